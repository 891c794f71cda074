/*
 * kernel/exec.c - the ELF loader: from a program image to a process ready
 * to enter user mode.
 *
 *   1. lib/elf.c checks the image (an i386 static executable whose
 *      segments lie in user space) and lists its PT_LOAD segments;
 *   2. each segment becomes a file-backed region -- nothing is copied now,
 *      pages arrive on first touch (read-only ones from the page cache);
 *   3. the heap starts after the last segment (brk), empty;
 *   4. the stack region gets what the System V i386 ABI says a process
 *      starts with, from the top down:
 *
 *        0xC0000000  strings: argv, envp, "i686", 16 random bytes
 *                    auxv: (AT_PHDR, ...) ... (AT_NULL, 0)
 *                    envp[0] ... NULL
 *                    argv[0] ... NULL
 *        esp ->      argc
 *
 *   5. a trap frame that "returns" to the entry point in ring 3.
 */
#include "kernel/exec.h"
#include "kernel/gdt.h"
#include "kernel/x86.h"
#include "drivers/pit.h"
#include "mm/vm.h"
#include "mm/kmalloc.h"
#include "mm/uaccess.h"
#include "lib/elf.h"
#include "lib/errno.h"
#include "lib/string.h"

/* Auxiliary vector types (Linux include/uapi/linux/auxvec.h). */
#define AT_NULL    0
#define AT_PHDR    3
#define AT_PHENT   4
#define AT_PHNUM   5
#define AT_PAGESZ  6
#define AT_BASE    7
#define AT_FLAGS   8
#define AT_ENTRY   9
#define AT_UID    11
#define AT_EUID   12
#define AT_GID    13
#define AT_EGID   14
#define AT_PLATFORM 15
#define AT_HWCAP  16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_EXECFN 31

#define EFLAGS_RESERVED_1 (1u << 1)

static const char *const default_envp[] = { "HOME=/", "PATH=/bin", "TERM=linux", NULL };

static uint32_t exec_prot(uint32_t pflags)
{
    return ((pflags & PF_R) ? VM_READ : 0) | ((pflags & PF_W) ? VM_WRITE : 0) |
           ((pflags & PF_X) ? VM_EXEC : 0);
}

/* One region per PT_LOAD segment.  A page two segments share goes to the
 * later one, with both segments' permissions. */
static int exec_map_segments(struct addr_space *as, struct program *prog,
                             const struct elf_image *img)
{
    struct vma *prev = NULL;

    for (unsigned i = 0; i < img->nsegs; i++) {
        const struct elf_segment *s = &img->segs[i];
        vaddr_t start = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
        vaddr_t end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
        uint32_t prot = exec_prot(s->flags);
        int err;
        if (s->shares_page_with_prev && prev) {
            prot |= prev->prot;
            if (prev->end - prev->start == PAGE_SIZE)
                vma_remove(as, prev);
            else
                vma_resize_end(as, prev, prev->end - PAGE_SIZE);
        }
        struct vma *v = vma_add(as, start, end, prot, VMA_FILE, &err);
        if (!v)
            return err;
        if (vma_charge(v) < 0)          /* writable data and bss */
            return -ENOMEM;
        v->file_data = prog->data;
        v->file_offset = ALIGN_DOWN(s->offset, PAGE_SIZE);
        v->file_size = s->offset + s->filesz;
        v->prog = prog;
        prev = v;
    }
    return 0;
}

/* Builds the initial stack in the (current) new address space. */
struct stack_builder {
    vaddr_t sp;
    int err;
};

static vaddr_t stack_push(struct stack_builder *b, const void *data, size_t n)
{
    b->sp -= n;
    if (copy_to_user((void *)b->sp, data, n) < 0)
        b->err = -EFAULT;
    return b->sp;
}

static vaddr_t stack_push_string(struct stack_builder *b, const char *s)
{
    return stack_push(b, s, strlen(s) + 1);
}

static void stack_push_word(struct stack_builder *b, uint32_t w)
{
    stack_push(b, &w, sizeof(w));
}

/* Lay out argc, argv, envp and auxv as the i386 ABI says; returns esp. */
static vaddr_t exec_build_stack(const struct elf_image *img, int argc, char **argv, int *err)
{
    struct stack_builder b = { USER_STACK_TOP, 0 };
    vaddr_t argp[EXEC_MAX_ARGS], envp[ARRAY_SIZE(default_envp)];
    uint8_t random[16];
    int envc = 0;

    for (int i = 0; i < argc; i++)
        argp[i] = stack_push_string(&b, argv[i]);
    for (; default_envp[envc]; envc++)
        envp[envc] = stack_push_string(&b, default_envp[envc]);
    vaddr_t platform = stack_push_string(&b, "i686");
    uint64_t seed = rdtsc() ^ ((uint64_t)img->entry << 17);
    for (unsigned i = 0; i < sizeof(random); i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        random[i] = (uint8_t)(seed >> 56);
    }
    vaddr_t rnd = stack_push(&b, random, sizeof(random));
    const uint32_t auxv[][2] = {
        { AT_PHDR, img->phdr_vaddr }, { AT_PHENT, img->phent }, { AT_PHNUM, img->phnum },
        { AT_PAGESZ, PAGE_SIZE }, { AT_BASE, 0 }, { AT_FLAGS, 0 }, { AT_ENTRY, img->entry },
        { AT_UID, 0 }, { AT_EUID, 0 }, { AT_GID, 0 }, { AT_EGID, 0 },
        { AT_PLATFORM, platform }, { AT_HWCAP, 0 }, { AT_CLKTCK, 100 }, { AT_SECURE, 0 },
        { AT_RANDOM, rnd }, { AT_EXECFN, argp[0] }, { AT_NULL, 0 },
    };
    /* Align so that esp (at argc) ends up 16-byte aligned. */
    size_t words = 1 + (size_t)argc + 1 + (size_t)envc + 1 + 2 * ARRAY_SIZE(auxv);
    b.sp = ALIGN_DOWN(b.sp - words * 4, 16) + words * 4;
    stack_push(&b, auxv, sizeof(auxv));
    stack_push_word(&b, 0);
    for (int i = envc - 1; i >= 0; i--)
        stack_push_word(&b, envp[i]);
    stack_push_word(&b, 0);
    for (int i = argc - 1; i >= 0; i--)
        stack_push_word(&b, argp[i]);
    stack_push_word(&b, (uint32_t)argc);
    *err = b.err;
    return b.sp;
}

/* The registers the process starts with: all zero but the segments, the
 * entry point, the stack and interrupts enabled. */
static void exec_init_trapframe(struct proc *p, vaddr_t entry, vaddr_t sp)
{
    struct trapframe *tf = (struct trapframe *)(p->kstack_top - sizeof(*tf));

    memset(tf, 0, sizeof(*tf));
    tf->cs = SEL_USER_CODE;
    tf->ds = tf->es = tf->fs = tf->gs = tf->user_ss = SEL_USER_DATA;
    tf->eflags = EFLAGS_IF | EFLAGS_RESERVED_1;
    tf->eip = entry;
    tf->user_esp = sp;
    p->tf = tf;
}

/* Regions and stack of P's new address space; returns 0 or -errno. */
static int exec_setup(struct proc *p, struct program *prog, const struct elf_image *img,
                      int argc, char **argv)
{
    struct addr_space *saved = current_space;
    vaddr_t sp;
    int err;

    if (!(p->as = aspace_create()))
        return -ENOMEM;
    if ((err = exec_map_segments(p->as, prog, img)) < 0)
        return err;
    struct vma *stack = vma_add(p->as, USER_STACK_TOP - USER_STACK_INITIAL, USER_STACK_TOP,
                                VM_READ | VM_WRITE, VMA_STACK, &err);
    if (!stack)
        return err;
    if (vma_charge(stack) < 0)
        return -ENOMEM;
    switch_address_space(p->as);
    sp = exec_build_stack(img, argc, argv, &err);
    switch_address_space(saved);
    if (err < 0)
        return err;
    p->brk_start = p->brk = img->brk_start;
    p->mmap_base = USER_MMAP_BASE;
    p->maxrss_pages = p->as->rss_pages;
    exec_init_trapframe(p, img->entry, sp);
    return 0;
}

struct proc *exec_spawn(struct program *prog, int argc, char **argv,
                        struct proc *parent, const char **why)
{
    struct elf_image *img = kmalloc(sizeof(*img));
    struct proc *p = NULL;
    int err;

    if (argc < 1 || argc > EXEC_MAX_ARGS) {
        *why = "between 1 and 16 arguments, please";
        goto out;
    }
    if (!img || !(p = proc_alloc(prog->name))) {
        *why = "out of memory or process slots";
        goto out;
    }
    if (elf_parse(prog->data, prog->size, KERNEL_VBASE, img, why) < 0) {
        static char reason[ELF_WHY_MAX];    /* WHY points into IMG, freed below */
        strlcpy(reason, *why, sizeof(reason));
        *why = reason;
        proc_reap(p);
        p = NULL;
        goto out;
    }
    p->program = prog;
    p->parent = parent;
    if ((err = exec_setup(p, prog, img, argc, argv)) < 0) {
        *why = err == -ENOMEM ? "out of memory" : "could not build the address space";
        proc_reap(p);
        p = NULL;
        goto out;
    }
    proc_start_user(p);
out:
    kfree(img);
    return p;
}
