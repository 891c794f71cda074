/*
 * kernel/kmain.c - the kernel's first C function, and the boot order.
 *
 * boot/multiboot.asm arrives here with paging on (a temporary page
 * directory), a 16 KiB stack, the loader's magic number and the physical
 * address of its information block.  Each step below needs the ones
 * before it:
 *
 *   1. consoles        so anything can be said at all
 *   2. GDT, IDT, PIC   so a fault prints an oops instead of resetting
 *   3. check the loader's information; refuse without a memory map
 *   4. command line    tests=, script=, loglevel=, testmode=
 *   5. timer, input    interrupts on from here
 *   6. memory          (mm/) the frame allocator, paging, the heap; then
 *                      the double-fault task, which runs on those tables
 *   7. programs (boot modules), system calls, the process table
 *   8. the scheduler starts; the monitor runs as process 1: self-tests,
 *      the boot script, then the prompt
 */
#include "kernel/bench.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/doublefault.h"
#include "kernel/fpu.h"
#include "kernel/gdt.h"
#include "kernel/klog.h"
#include "kernel/layout.h"
#include "kernel/monitor.h"
#include "kernel/multiboot.h"
#include "kernel/pic.h"
#include "kernel/power.h"
#include "kernel/proc.h"
#include "kernel/program.h"
#include "kernel/syscall.h"
#include "kernel/trap.h"
#include "kernel/x86.h"
#include "drivers/ata.h"
#include "drivers/keyboard.h"
#include "drivers/pit.h"
#include "drivers/serial.h"
#include "mm/mm.h"
#include "mm/swap.h"
#include "tests/ktest.h"
#include "lib/kprintf.h"
#include "lib/string.h"

void kmain(uint32_t magic, paddr_t info_paddr);
static void monitor_main(void);

const struct multiboot_info *boot_info;
extern uint32_t boot_page_directory[1024];

/* Stop with a message on both consoles: used before anything else works. */
static NORETURN void boot_refuse(const char *why)
{
    kprintf(KERN_EMERG "boot: %s\n", why);
    kprintf(KERN_EMERG "boot: cannot continue; halting.\n");
    for (;;) {
        cli();
        hlt();
    }
}

static void boot_check_loader(uint32_t magic, paddr_t info_paddr)
{
    if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
        boot_refuse("not started by a Multiboot loader (bad magic in EAX)");
    boot_info = phys_to_virt(info_paddr);
    if (!(boot_info->flags & MB_INFO_MMAP))
        boot_refuse("the boot loader gave no memory map (multiboot flag 6); "
                    "this kernel needs one to find RAM");
}

/* The low 4 MiB identity mapping only served the jump to the higher
 * half; dropping it makes a NULL dereference fault as it should (until
 * paging_init replaces the boot directory altogether). */
static void boot_drop_identity_map(void)
{
    boot_page_directory[0] = 0;
    write_cr3(read_cr3());
}

static void boot_parse_cmdline(void)
{
    const char *raw = "";
    const char *v;
    unsigned long long n;

    if (boot_info->flags & MB_INFO_CMDLINE)
        raw = phys_to_virt(boot_info->cmdline);
    kprintf(KERN_INFO "Command line: %s\n", raw);
    if (cmdline_parse(&kernel_cmdline, raw) < 0)
        kprintf(KERN_ERR "cmdline: malformed (unterminated quote or too long); "
                "using the part before the error\n");
    if ((v = kernel_param("loglevel")) && parse_uint(v, &n, false) && n <= 8)
        klog_set_console_level((int)n);
    if ((v = kernel_param("testmode")) && strcmp(v, "0") != 0)
        power_set_test_mode(true);
}

/* Run the self-tests chosen by tests= (default: the quick suites). */
static int boot_run_tests(void)
{
    const char *filter = kernel_param("tests");
    int passed = 0;

    if (!filter)
        filter = "quick";
    if (strcmp(filter, "none") == 0)
        return 0;
    return ktest_run(filter, &passed);
}

void kmain(uint32_t magic, paddr_t info_paddr)
{
    console_init();
    kmain_entry_tsc = rdtsc();
    gdt_init();
    idt_init();
    pic_init();
    kprintf(KERN_NOTICE "mmkernel: a teaching kernel about memory management (i386)\n");
    boot_check_loader(magic, info_paddr);
    boot_drop_identity_map();
    if (boot_info->flags & MB_INFO_LOADER)
        kprintf(KERN_INFO "Booted by: %s\n",
                (const char *)phys_to_virt(boot_info->boot_loader_name));
    boot_parse_cmdline();
    pit_init();
    sti();
    serial_enable_input();
    keyboard_init();

    mm_init();
    doublefault_init();
    fpu_init();
    programs_init();
    syscall_init();
    ata_init();
    swap_init();
    proc_init();
    sched_start(monitor_main);
}

/* Process 1: the self-tests, the boot script, then the interactive prompt. */
static void monitor_main(void)
{
    swap_start_threads();
    boot_done_tsc = rdtsc();
    int failed = boot_run_tests();
    const char *script = kernel_param("script");
    if (script)
        monitor_run_script(script);
    if (power_test_mode())
        poweroff(failed ? 1 : 0);
    monitor_loop();
}
