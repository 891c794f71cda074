/*
 * mm/mmap.c - the system calls that shape an address space: brk, mmap,
 * munmap, mprotect, madvise, mlock.
 *
 * None of them allocates memory for the program: they add, cut or change
 * regions, and frames arrive only when a page is first touched (mm/fault.c).
 * That is why a program can "allocate" a gigabyte (VIRT) and use a
 * megabyte (RES).  Freeing does return frames at once: munmap,
 * madvise(MADV_DONTNEED) and shrinking brk unmap the pages.
 */
#include "kernel/syscall.h"
#include "kernel/proc.h"
#include "kernel/exec.h"
#include "mm/vm.h"
#include "mm/uaccess.h"
#include "mm/swap.h"
#include "lib/errno.h"
#include "lib/string.h"

/* mmap flags and protections (asm-generic/mman-common.h). */
#define PROT_READ      0x1
#define PROT_WRITE     0x2
#define PROT_EXEC      0x4
#define MAP_SHARED     0x01
#define MAP_PRIVATE    0x02
#define MAP_FIXED      0x10
#define MAP_ANONYMOUS  0x20
#define MAP_FIXED_NOREPLACE 0x100000
#define MADV_DONTNEED  4
#define MCL_CURRENT    1
#define MCL_FUTURE     2
#define MCL_ONFAULT    4
#define MAP_FAILED_ERR(e) ((long)(e))

static uint32_t prot_to_vm(uint32_t prot)
{
    return ((prot & PROT_READ) ? VM_READ : 0) | ((prot & PROT_WRITE) ? VM_WRITE : 0) |
           ((prot & PROT_EXEC) ? VM_EXEC : 0);
}

/* Apply FN to every region piece inside [START, END), splitting regions
 * at the two ends first.  Returns 0 or the first error. */
static int for_each_vma_in(struct addr_space *as, vaddr_t start, vaddr_t end,
                           int (*fn)(struct addr_space *, struct vma *, uint32_t), uint32_t arg)
{
    struct list_head *pos, *tmp;
    int r;

    if ((r = vma_split_at(as, start)) < 0 || (r = vma_split_at(as, end)) < 0)
        return r;
    list_for_each_safe(pos, tmp, &as->vmas) {
        struct vma *v = list_entry(pos, struct vma, link);
        if (v->start >= start && v->end <= end && (r = fn(as, v, arg)) < 0)
            return r;
    }
    return 0;
}

static int vma_drop(struct addr_space *as, struct vma *v, uint32_t unused)
{
    (void)unused;
    vma_remove(as, v);
    return 0;
}

static int do_munmap(struct addr_space *as, vaddr_t addr, size_t len)
{
    vaddr_t end = addr + ALIGN_UP(len, PAGE_SIZE);

    if (!IS_ALIGNED(addr, PAGE_SIZE) || len == 0 || end <= addr || end > KERNEL_VBASE)
        return -EINVAL;
    return for_each_vma_in(as, addr, end, vma_drop, 0);
}

SYSCALL_DEFINE(__NR_munmap, munmap)
{
    return do_munmap(current->as, SYSARG(0), SYSARG(1));
}

/* The lowest gap of LEN bytes at or above the process's mmap base. */
static vaddr_t mmap_find_gap(struct addr_space *as, vaddr_t base, size_t len)
{
    struct list_head *pos;
    vaddr_t candidate = base;

    list_for_each(pos, &as->vmas) {
        struct vma *v = list_entry(pos, struct vma, link);
        if (v->end <= candidate)
            continue;
        if (v->start >= candidate + len)
            break;
        candidate = v->end;
    }
    if (candidate + len < candidate || candidate + len > USER_STACK_TOP - (8u << 20))
        return 0;
    return candidate;
}

static long do_mmap(vaddr_t addr, size_t len, uint32_t prot, uint32_t flags, int fd)
{
    struct addr_space *as = current->as;
    int err;

    if (len == 0 || !(flags & (MAP_PRIVATE | MAP_SHARED)) || (prot & ~7u))
        return -EINVAL;
    if (!(flags & MAP_ANONYMOUS) || fd != -1)
        return -ENODEV;             /* there are no files to map */
    len = ALIGN_UP(len, PAGE_SIZE);
    if (len == 0 || len > KERNEL_VBASE)
        return -ENOMEM;
    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
        if (!IS_ALIGNED(addr, PAGE_SIZE) || addr + len < addr || addr + len > KERNEL_VBASE)
            return -EINVAL;
        if ((flags & MAP_FIXED) && (err = do_munmap(as, addr, len)) < 0)
            return err;
    } else if (!(addr = mmap_find_gap(as, MAX(ALIGN_DOWN(addr, PAGE_SIZE), current->mmap_base), len)) &&
               !(addr = mmap_find_gap(as, current->mmap_base, len))) {
        return -ENOMEM;
    }
    struct vma *v = vma_add(as, addr, addr + len, prot_to_vm(prot), VMA_ANON, &err);
    if (!v)
        return err;
    v->shared = flags & MAP_SHARED;
    v->locked = current->mlockall;      /* mlockall(MCL_FUTURE) */
    if (vma_charge(v) < 0) {
        vma_remove(as, v);          /* vm.overcommit_memory said no */
        return -ENOMEM;
    }
    return (long)addr;
}

SYSCALL_DEFINE(__NR_mmap2, mmap2)
{
    return do_mmap(SYSARG(0), SYSARG(1), SYSARG(2), SYSARG(3), (int)SYSARG(4));
}

/* The old i386 mmap takes one pointer to its six arguments. */
SYSCALL_DEFINE(__NR_mmap, old_mmap)
{
    uint32_t args[6];

    if (copy_from_user(args, (void *)SYSARG(0), sizeof(args)) < 0)
        return -EFAULT;
    if (args[5] & (PAGE_SIZE - 1))
        return -EINVAL;
    return do_mmap(args[0], args[1], args[2], args[3], (int)args[4]);
}

/* The heap region, if the program has grown its heap. */
static struct vma *brk_region(struct proc *p)
{
    return p->brk > p->brk_start ? vma_find(p->as, p->brk_start) : NULL;
}

SYSCALL_DEFINE(__NR_brk, brk)
{
    struct proc *p = current;
    vaddr_t want = SYSARG(0), old_end = ALIGN_UP(p->brk, PAGE_SIZE);
    vaddr_t new_end = ALIGN_UP(want, PAGE_SIZE);
    struct vma *heap = brk_region(p);
    int err;

    if (want < p->brk_start || want >= USER_MMAP_BASE)
        return (long)p->brk;                /* Linux answers a bad brk with the old one */
    if (new_end > old_end) {
        if (mmap_find_gap(p->as, old_end, new_end - old_end) != old_end)
            return (long)p->brk;            /* something is mapped in the way */
        if (heap) {
            if (vma_resize_end(p->as, heap, new_end) < 0)
                return (long)p->brk;        /* overcommit refused: malloc gets NULL */
        } else {
            heap = vma_add(p->as, p->brk_start, new_end, VM_READ | VM_WRITE, VMA_ANON, &err);
            if (!heap)
                return (long)p->brk;
            if (vma_charge(heap) < 0) {
                vma_remove(p->as, heap);
                return (long)p->brk;
            }
        }
    } else if (new_end < old_end && heap) {
        if (new_end == heap->start)
            vma_remove(p->as, heap);
        else
            vma_resize_end(p->as, heap, new_end);
    }
    p->brk = want;
    return (long)want;
}

static int vma_set_prot(struct addr_space *as, struct vma *v, uint32_t prot)
{
    uint32_t old = v->prot;

    v->prot = prot;
    /* Made writable: now it can cost memory (Linux keeps the charge when
     * write permission goes away again, and so do we). */
    if (vma_charge(v) < 0) {
        v->prot = old;
        return -ENOMEM;
    }
    pte_t *pte;

    for (vaddr_t va = v->start; (pte = pgdir_walk_next(as, &va, v->end)); va += PAGE_SIZE) {
        /* Taking write away is immediate; giving it back waits for the
         * next write fault, which copies the page if it is shared. */
        if (pte_present(*pte) && !(prot & VM_WRITE))
            protect_page(as, va, *pte & PTE_USER);
        else if ((*pte & PTE_SOFT) && !(prot & VM_WRITE))
            *pte &= ~PTE_WRITABLE;          /* hidden by the LRU mode: no TLB entry */
    }
    return 0;
}

/* Is every page of [START, END) inside some region? */
static bool range_mapped(struct addr_space *as, vaddr_t start, vaddr_t end)
{
    for (vaddr_t a = start; a < end; ) {
        struct vma *v = vma_find(as, a);
        if (!v)
            return false;
        a = v->end;
    }
    return true;
}

SYSCALL_DEFINE(__NR_mprotect, mprotect)
{
    vaddr_t start = SYSARG(0), end = start + ALIGN_UP(SYSARG(1), PAGE_SIZE);

    if (!IS_ALIGNED(start, PAGE_SIZE) || (SYSARG(2) & ~7u) || end < start || end > KERNEL_VBASE)
        return -EINVAL;
    if (!range_mapped(current->as, start, end))
        return -ENOMEM;
    return for_each_vma_in(current->as, start, end, vma_set_prot, prot_to_vm(SYSARG(2)));
}

static int vma_dontneed(struct addr_space *as, struct vma *v, uint32_t unused)
{
    (void)unused;
    vma_unmap_range(as, v, v->start, v->end);
    return 0;
}

SYSCALL_DEFINE(__NR_madvise, madvise)
{
    vaddr_t start = SYSARG(0), end = start + ALIGN_UP(SYSARG(1), PAGE_SIZE);

    if (!IS_ALIGNED(start, PAGE_SIZE) || end < start || end > KERNEL_VBASE)
        return -EINVAL;
    if (!range_mapped(current->as, start, end))
        return -ENOMEM;
    if (SYSARG(2) != MADV_DONTNEED)
        return 0;                   /* advice only: ignoring it is allowed */
    return for_each_vma_in(current->as, start, end, vma_dontneed, 0);
}

/* mlock: bring every page of the range in now, and mark its regions
 * locked so reclaim never evicts their pages (mm/reclaim.c). */
static int populate(vaddr_t start, vaddr_t end)
{
    for (vaddr_t va = ALIGN_DOWN(start, PAGE_SIZE); va < end; va += PAGE_SIZE) {
        const char *why;
        paddr_t pa;
        if (translate(current->as, va, &pa) == 0)
            continue;
        struct vma *v = vma_find(current->as, va);
        uint32_t err = (v && (v->prot & VM_WRITE)) ? PF_WRITE | PF_USER : PF_USER;
        if (handle_mm_fault(current->as, va, err, &why) < 0)
            return -ENOMEM;
    }
    return 0;
}

static int vma_lock(struct addr_space *as, struct vma *v, uint32_t on)
{
    (void)as;
    v->locked = on;
    return 0;
}

static long do_mlock(vaddr_t addr, size_t len, bool on)
{
    vaddr_t start = ALIGN_DOWN(addr, PAGE_SIZE), end = ALIGN_UP(addr + len, PAGE_SIZE);

    if (addr + len < addr || end > KERNEL_VBASE)
        return -EINVAL;
    if (!range_mapped(current->as, start, end))
        return -ENOMEM;
    int r = for_each_vma_in(current->as, start, end, vma_lock, on);
    return r < 0 ? r : on ? populate(start, end) : 0;
}

SYSCALL_DEFINE(__NR_mlock, mlock)
{
    return do_mlock(SYSARG(0), SYSARG(1), true);
}

SYSCALL_DEFINE(__NR_munlock, munlock)
{
    return do_mlock(SYSARG(0), SYSARG(1), false);
}

SYSCALL_DEFINE(__NR_mlockall, mlockall)
{
    uint32_t flags = SYSARG(0);
    struct list_head *pos;

    if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)))
        return -EINVAL;
    current->mlockall = flags & MCL_FUTURE;
    if (!(flags & MCL_CURRENT))
        return 0;
    list_for_each(pos, &current->as->vmas) {
        struct vma *v = list_entry(pos, struct vma, link);
        v->locked = true;
        if (!(flags & MCL_ONFAULT) && v->kind != VMA_STACK && populate(v->start, v->end) < 0)
            return -ENOMEM;
    }
    return 0;
}

SYSCALL_DEFINE(__NR_munlockall, munlockall)
{
    struct list_head *pos;

    current->mlockall = false;
    list_for_each(pos, &current->as->vmas)
        list_entry(pos, struct vma, link)->locked = false;
    return 0;
}
