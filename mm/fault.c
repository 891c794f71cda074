/*
 * mm/fault.c - the page-fault handler: where demand paging happens.
 *
 * The CPU raises #PF (vector 14) when a translation fails, pushing an error
 * code that says why (SDM Vol. 3A, 4.7) and leaving the address in CR2:
 *
 *   bit 0  P    0: the page was not present   1: a protection violation
 *   bit 1  W/R  0: a read                     1: a write
 *   bit 2  U/S  0: in the kernel              1: in user mode
 *
 * For an address in user space the handler asks the region list what
 * should be there (handle_mm_fault).  If the region allows the access and
 * the page is simply not there yet, it gets a frame -- zero-filled for
 * anonymous memory, copied from the image for a file-backed region -- and
 * the faulting instruction runs again, never knowing.  Otherwise the access
 * is an error: a user program gets a segmentation fault (the processes
 * issue), kernel code inside copy_from_user gets -EFAULT through the
 * exception table, and any other kernel fault is a bug: an oops.
 */
#include "mm/vm.h"
#include "mm/page.h"
#include "mm/kstack.h"
#include "mm/reclaim.h"
#include "mm/rmap.h"
#include "mm/swap.h"
#include "mm/oom.h"
#include "mm/uaccess.h"
#include "mm/vmstat.h"
#include "kernel/panic.h"
#include "kernel/proc.h"
#include "kernel/program.h"
#include "kernel/trap.h"
#include "kernel/x86.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"

struct fault_report last_bad_fault;

/* Reclaim-and-retry rounds one fault may take before the OOM killer. */
#define FAULT_RECLAIM_TRIES 8

/* Fill the new frame at KADDR for the page at VA of region V. */
static void fault_fill(const struct vma *v, vaddr_t va, uint8_t *kaddr)
{
    memset(kaddr, 0, PAGE_SIZE);
    if (v->kind != VMA_FILE)
        return;
    size_t off = v->file_offset + (va - v->start);       /* into file_data */
    if (off < v->file_size)
        memcpy(kaddr, v->file_data + off, MIN((size_t)PAGE_SIZE, v->file_size - off));
}

/*
 * Copy-on-write: a write to a present, read-only page of a writable region
 * (fork shared it).  If no one else maps the frame any more, it simply
 * becomes writable; otherwise the writer gets its own copy and drops its
 * reference to the shared one.
 */
static int fault_cow(struct addr_space *as, vaddr_t va, const char **why)
{
    pte_t *pte = pgdir_walk(as, va, false);
    uint32_t flags = PTE_USER | PTE_WRITABLE;

    if (!pte || !pte_present(*pte)) {
        *why = "protection fault on a vanished page";
        return -EFAULT;
    }
    struct page *old = pfn_to_page(pte_paddr(*pte) >> PAGE_SHIFT);
    if (page_count(old) == 1 && old->owner != OWNER_PAGECACHE)
        return protect_page(as, va, flags);
    struct page *copy = alloc_user_page();
    if (!copy) {
        *why = "out of memory (copy-on-write)";
        return -ENOMEM;
    }
    memcpy(page_address(copy), page_address(old), PAGE_SIZE);
    if (user_page_map(copy, as, va, true) < 0) {
        free_page(copy);
        *why = "out of memory (copy-on-write)";
        return -ENOMEM;
    }
    remap_page(as, va, page_to_pfn(copy) << PAGE_SHIFT, flags);
    user_page_unmap(old, as, va);
    return 0;
}

/* Is the access described by ERR allowed in region V?  Else why not. */
static const char *fault_denied(const struct vma *v, uint32_t err)
{
    if ((err & PF_WRITE) && !(v->prot & VM_WRITE))
        return "write to a region without write permission";
    if (!(err & PF_WRITE) && !(v->prot & (VM_READ | VM_EXEC)))
        return "read of a region without read permission";
    if (err & PF_PRESENT)
        return "protection violation on a present page";
    return NULL;
}

/* The frame for a page no one has mapped here yet: from the program's
 * page cache (shared, read-only), or a new private one, filled. */
static struct page *fault_new_frame(const struct vma *v, vaddr_t va)
{
    if (v->kind == VMA_FILE && v->prog && !(v->prot & VM_WRITE))
        return program_get_page(v->prog, (v->file_offset + (va - v->start)) / PAGE_SIZE,
                                v->file_size);
    struct page *frame = alloc_user_page();
    if (frame) {
        fault_fill(v, va, page_address(frame));
    }
    return frame;
}

int handle_mm_fault(struct addr_space *as, vaddr_t addr, uint32_t err, const char **why)
{
    vaddr_t va = ALIGN_DOWN(addr, PAGE_SIZE);
    struct vma *v = vma_find_or_grow_stack(as, addr);

    if (!v) {
        *why = "address not in any region";
        return -EFAULT;
    }
    if ((err & PF_PRESENT) && (err & PF_WRITE) && (v->prot & VM_WRITE))
        return fault_cow(as, va, why);
    if ((*why = fault_denied(v, err)))
        return -EACCES;
    pte_t *pte = pgdir_walk(as, va, false);
    if (pte && (*pte & PTE_SOFT))
        return lru_soft_fault(as, va, *pte);
    if (as->local && !v->locked)
        reclaim_enforce_rss(as);        /* RLIMIT_RSS: make room among its own */
    pte = pgdir_walk(as, va, false);    /* enforcing may have changed tables */
    if (pte && pte_is_swap(*pte)) {
        int r = swap_in(as, va, *pte, v->prot);
        *why = r == -EIO ? "I/O error reading the page back from swap" : "out of memory";
        if (r == 0)
            lru_soft_switch(as, va);
        return r == 0 ? FAULT_MAJOR : r;
    }
    struct page *frame = fault_new_frame(v, va);
    if (!frame) {
        *why = "out of memory";
        return -ENOMEM;
    }
    uint32_t flags = PTE_USER | ((v->prot & VM_WRITE) ? PTE_WRITABLE : 0);
    bool fresh = page_count(frame) == 1;    /* not a shared page-cache page */
    int r = map_page(as, va, page_to_pfn(frame) << PAGE_SHIFT, flags);
    if (r == 0 && (r = user_page_map(frame, as, va, fresh)) < 0)
        unmap_page(as, va);
    if (r < 0) {
        user_page_put(frame);
        *why = r == -ENOMEM ? "out of memory for a page table" : "already mapped";
        return r;
    }
    as->rss_pages++;
    lru_soft_switch(as, va);
    return 0;
}

/* A resolved fault counts for the process it happened in (getrusage):
 * major if it waited for the disk, minor otherwise. */
static void fault_account(struct addr_space *as, bool major)
{
    if (current && current->as == as) {
        if (major)
            current->majflt++;
        else
            current->minflt++;
        current->maxrss_pages = MAX(current->maxrss_pages, as->rss_pages);
    }
}

static NORETURN void fault_stack_overflow(struct trapframe *tf, vaddr_t addr)
{
    kprintf(KERN_EMERG "BUG: kernel stack overflow: access to guard page at %08x\n", addr);
    trap_oops(tf, "kernel stack overflow");
}

static void page_fault_trap(struct trapframe *tf)
{
    vaddr_t addr = read_cr2();
    const char *why = "kernel address not mapped";
    int result = -EFAULT;

    count_vm_event(PGFAULT);
    if (tf->eflags & EFLAGS_IF)
        sti();  /* as the interrupted code had them: the clock may tick */
    if (addr < KERNEL_VBASE) {
        result = handle_mm_fault(current_space, addr, tf->err, &why);
        /* Out of frames (for the page, a page table or the reverse map):
         * reclaim and try again; when reclaim finds nothing, or what it
         * finds never lets this fault through (pages that come straight
         * back), the OOM killer frees a victim's memory. */
        for (int tries = 0; result == -ENOMEM && current && current->as == current_space; ) {
            if (++tries > FAULT_RECLAIM_TRIES || !reclaim_pages(RECLAIM_BATCH)) {
                if (!out_of_memory(current, 0))
                    proc_exit(W_SIGNALED(SIGKILL));     /* we were the victim */
                tries = 0;
            }
            result = handle_mm_fault(current_space, addr, tf->err, &why);
        }
        if (result == -EIO && current && current->as == current_space) {
            kprintf(KERN_ERR "%s[%d]: %s at %x: killed (SIGBUS)\n", current->name,
                    current->pid, why, addr);
            proc_exit(W_SIGNALED(SIGBUS));
        }
        if (result >= 0) {
            if (result != FAULT_SOFT)
                fault_account(current_space, result == FAULT_MAJOR);
            mem_pressure_check();
            return;
        }
    } else if (kstack_is_guard(addr)) {
        fault_stack_overflow(tf, addr);
    }
    last_bad_fault = (struct fault_report){ addr, tf->err, result, why };
    if (trap_from_user(tf))
        proc_user_fault(tf, SIGSEGV, why, addr);
    uint32_t fixup = extable_fixup(tf->eip);
    if (fixup) {
        tf->eip = fixup;
        return;
    }
    kprintf(KERN_EMERG "page fault at %08x (%s %s, %s): %s\n", addr,
            tf->err & PF_USER ? "user" : "kernel", tf->err & PF_WRITE ? "write" : "read",
            tf->err & PF_PRESENT ? "protection" : "not present", why);
    trap_oops(tf, "page fault");
}

void fault_init(void)
{
    trap_set_handler(T_PAGE_FAULT, page_fault_trap);
}
