/*
 * kernel/panic.c - panic, assertion failures and backtraces.
 *
 * A backtrace follows the chain of saved frame pointers: with
 * -fno-omit-frame-pointer every function starts with "push %ebp; mov
 * %esp,%ebp", so [ebp] holds the caller's ebp and [ebp+4] the return
 * address.  The chain ends at the zero ebp that boot/multiboot.asm pushes
 * before calling kmain.  Each return address is named through ksyms.c.
 */
#include "kernel/panic.h"
#include "kernel/power.h"
#include "kernel/layout.h"
#include "kernel/x86.h"
#include "lib/kprintf.h"

#define BACKTRACE_MAX_DEPTH 32

extern const char kernel_start[], kernel_end[];

static bool in_kernel_text(uint32_t addr)
{
    return addr >= (uint32_t)(uintptr_t)kernel_start &&
           addr < (uint32_t)(uintptr_t)kernel_end;
}

void backtrace_from(uint32_t ebp, uint32_t first_eip)
{
    kprintf(KERN_EMERG "Call Trace:\n");
    if (first_eip)
        kprintf(KERN_EMERG " [<%08x>] %s\n", first_eip, ksym_describe(first_eip));
    for (int depth = 0; ebp && depth < BACKTRACE_MAX_DEPTH; depth++) {
        /* A frame pointer must be a 4-aligned kernel address, or the
         * chain is corrupt and following it would fault again. */
        if (ebp < KERNEL_VBASE || (ebp & 3))
            break;
        const uint32_t *frame = (const uint32_t *)(uintptr_t)ebp;
        uint32_t ret = frame[1];
        if (!in_kernel_text(ret))
            break;
        /* ret points after the call; ret-1 is inside the calling line. */
        kprintf(KERN_EMERG " [<%08x>] %s\n", ret, ksym_describe(ret - 1));
        ebp = frame[0];
    }
}

void backtrace(void)
{
    backtrace_from(read_ebp(), 0);
}

NORETURN void panic_stop(const char *why)
{
    kprintf(KERN_EMERG "---[ end Kernel panic - not syncing: %s ]---\n", why);
    if (power_test_mode())
        qemu_exit(PANIC_EXIT_STATUS);
    for (;;) {
        cli();
        hlt();
    }
}

static bool panicking;

NORETURN void panic_at(const char *file, int line, const char *func,
                       const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    cli();
    if (panicking)          /* a panic while panicking: stop quietly */
        panic_stop("nested panic");
    panicking = true;
    va_start(ap, fmt);
    kvsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    kprintf(KERN_EMERG "Kernel panic - not syncing: %s\n", msg);
    kprintf(KERN_EMERG "  at %s:%d in %s()\n", file, line, func);
    kprintf(KERN_EMERG "CR0: %08x CR2: %08x CR3: %08x CR4: %08x EBP: %08x\n",
            read_cr0(), read_cr2(), read_cr3(), read_cr4(), read_ebp());
    backtrace();
    panic_stop(msg);
}
