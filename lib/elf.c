/*
 * lib/elf.c - validating an i386 ELF executable before anything is loaded.
 *
 * A program file is untrusted input: every offset and size in it may be a
 * lie, and the loader is about to turn them into copies and page-table
 * entries.  So the checks come first, all of them, in one place, and the
 * loader acts only on a summary whose every number has been checked.  The
 * order goes from "what is this file?" to "does it fit together?":
 *
 *   1. identification  magic, class, byte order, version    -> -ENOEXEC
 *   2. ELF header      machine, type, header sizes          -> -ENOEXEC
 *   3. header table    inside the file, a sane count        -> -EINVAL/-E2BIG
 *   4. dynamic?        PT_INTERP or ET_DYN: refused with advice
 *   5. each segment    inside the file, inside user space,   -> -EINVAL
 *                      filesz <= memsz, page-congruent
 *   6. all segments    sorted, no byte in two segments, a shared page
 *                      only if one file page can serve both; the entry
 *                      point, TLS template and program headers inside them
 *
 * Overflow: all offsets and sizes are 32-bit and attacker-chosen, so every
 * sum is done in 64 bits (uint64_t) where it cannot wrap.  A check written
 * "offset + size > file_size" in 32 bits is the classic loader hole: an
 * offset of 0xFFFFF000 plus a size of 0x2000 is 0x1000, which "fits".
 *
 * Headers are copied out with memcpy before use, so the image may sit at
 * any alignment.  The reasons are formatted into OUT->why_buf, so the
 * parser keeps no state between calls.
 */
#include "lib/elf.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "kernel/assert.h"
#include "kernel/layout.h"

_Static_assert(ELF_PAGE_SIZE == PAGE_SIZE, "ELF pages are the kernel's pages");
_Static_assert(IS_ALIGNED(ELF_MIN_VADDR, ELF_PAGE_SIZE), "mmap_min_addr is page-aligned");

/* What every check needs: the file, the limit, where to put the answer. */
struct elf_ctx {
    const uint8_t *image;
    size_t size;
    uint64_t user_limit;
    bool has_pt_phdr;
    struct elf_image *out;
    const char **why;
};

/* Record a refusal: format the reason into OUT->why_buf, return ERR. */
static int PRINTF_LIKE(3, 4) refuse(struct elf_ctx *c, int err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    err = refuse_with(c->out->why_buf, sizeof(c->out->why_buf), c->why, err, fmt, ap);
    va_end(ap);
    return err;
}

static const char *machine_name(unsigned machine)
{
    switch (machine) {
    case EM_SPARC:   return "SPARC";
    case EM_386:     return "i386";
    case EM_MIPS:    return "MIPS";
    case EM_PPC:     return "PowerPC";
    case EM_PPC64:   return "PowerPC64";
    case EM_ARM:     return "ARM";
    case EM_X86_64:  return "x86-64";
    case EM_AARCH64: return "AArch64";
    case EM_RISCV:   return "RISC-V";
    default:         return "unknown";
    }
}

/* A little-endian 16-bit field, read byte by byte (any alignment). */
static unsigned read_le16(const uint8_t *p)
{
    return p[0] | (unsigned)p[1] << 8;
}

/* Step 1: the 16 identification bytes, which every ELF class shares. */
static int check_ident(struct elf_ctx *c)
{
    const uint8_t *id = c->image;

    if (c->size < SELFMAG || memcmp(id, ELFMAG, SELFMAG) != 0)
        return refuse(c, -ENOEXEC, "not an ELF file (bad magic)");
    if (c->size < sizeof(Elf32_Ehdr))
        return refuse(c, -ENOEXEC, "truncated ELF header (%zu of %zu bytes)",
                      c->size, sizeof(Elf32_Ehdr));
    /* e_machine sits at the same offset in the 64-bit header. */
    if (id[EI_CLASS] == ELFCLASS64)
        return refuse(c, -ENOEXEC,
                      "ELF class 64 (%s): this kernel runs 32-bit i386 programs",
                      machine_name(read_le16(id + offsetof(Elf32_Ehdr, e_machine))));
    if (id[EI_CLASS] != ELFCLASS32)
        return refuse(c, -ENOEXEC, "ELF class byte %u is neither 32- (1) nor 64-bit (2)",
                      id[EI_CLASS]);
    if (id[EI_DATA] != ELFDATA2LSB)
        return refuse(c, -ENOEXEC, "ELF data encoding %u: i386 programs are little-endian (1)",
                      id[EI_DATA]);
    if (id[EI_VERSION] != EV_CURRENT)
        return refuse(c, -ENOEXEC, "ELF identification version %u, expected 1",
                      id[EI_VERSION]);
    return 0;
}

/* Step 2: is it an i386 executable?  (ET_DYN waits for step 4, so that a
 * dynamically linked PIE gets the more useful "build with -static".) */
static int check_header(struct elf_ctx *c, const Elf32_Ehdr *eh)
{
    if (eh->e_machine != EM_386)
        return refuse(c, -ENOEXEC, "machine %u (%s), not i386 (3)",
                      eh->e_machine, machine_name(eh->e_machine));
    if (eh->e_version != EV_CURRENT)
        return refuse(c, -ENOEXEC, "ELF version %u, expected 1", eh->e_version);
    if (eh->e_type == ET_REL)
        return refuse(c, -ENOEXEC, "relocatable object (ET_REL), not an executable: link it first");
    if (eh->e_type == ET_CORE)
        return refuse(c, -ENOEXEC, "core dump (ET_CORE), not an executable");
    if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
        return refuse(c, -ENOEXEC, "ELF type %u is not an executable", eh->e_type);
    if (eh->e_ehsize != sizeof(Elf32_Ehdr))
        return refuse(c, -EINVAL, "ELF header size %u, expected %zu",
                      eh->e_ehsize, sizeof(Elf32_Ehdr));
    return 0;
}

/* Step 3: the program header table lies wholly inside the file. */
static int check_phdr_table(struct elf_ctx *c, const Elf32_Ehdr *eh)
{
    uint64_t end = (uint64_t)eh->e_phoff + (uint64_t)eh->e_phnum * eh->e_phentsize;

    if (eh->e_phnum == 0)
        return refuse(c, -ENOEXEC, "no program headers: nothing to load");
    if (eh->e_phentsize != sizeof(Elf32_Phdr))
        return refuse(c, -EINVAL, "program header size %u, expected %zu",
                      eh->e_phentsize, sizeof(Elf32_Phdr));
    if (eh->e_phnum > ELF_MAX_PHDRS)
        return refuse(c, -E2BIG, "%u program headers (at most %u)",
                      eh->e_phnum, ELF_MAX_PHDRS);
    if (end > c->size)
        return refuse(c, -EINVAL, "program headers outside the file (0x%x + %u x %u > 0x%zx)",
                      eh->e_phoff, eh->e_phnum, eh->e_phentsize, c->size);
    c->out->phoff = eh->e_phoff;
    c->out->phent = eh->e_phentsize;
    c->out->phnum = eh->e_phnum;
    return 0;
}

/* Program header I; the table was checked to lie inside the file. */
static void read_phdr(const struct elf_ctx *c, unsigned i, Elf32_Phdr *ph)
{
    memcpy(ph, c->image + c->out->phoff + (size_t)i * sizeof(*ph), sizeof(*ph));
}

/* Step 4: this kernel has no dynamic linker and loads at fixed addresses. */
static int check_static(struct elf_ctx *c, const Elf32_Ehdr *eh)
{
    Elf32_Phdr ph;

    for (unsigned i = 0; i < c->out->phnum; i++) {
        read_phdr(c, i, &ph);
        if (ph.p_type == PT_INTERP)
            return refuse(c, -ENOEXEC, "dynamically linked (has PT_INTERP): build with -static");
    }
    if (eh->e_type == ET_DYN)
        return refuse(c, -ENOEXEC,
                      "position-independent (ET_DYN), not ET_EXEC: build with -static -no-pie");
    return 0;
}

static bool is_power_of_two_or_zero(uint32_t x)
{
    return (x & (x - 1)) == 0;
}

/* Step 5: one PT_LOAD header, program header number I, on its own. */
static int check_load(struct elf_ctx *c, unsigned i, const Elf32_Phdr *ph)
{
    uint64_t file_end = (uint64_t)ph->p_offset + ph->p_filesz;
    uint64_t mem_end = (uint64_t)ph->p_vaddr + ph->p_memsz;

    if (ph->p_filesz > ph->p_memsz)
        return refuse(c, -EINVAL, "segment %u: file size 0x%x larger than memory size 0x%x",
                      i, ph->p_filesz, ph->p_memsz);
    if (file_end > c->size)
        return refuse(c, -EINVAL, "segment %u extends past the end of the file (0x%llx > 0x%zx)",
                      i, (unsigned long long)file_end, c->size);
    if (ph->p_memsz == 0)
        return 0;               /* occupies nothing: the caller drops it */
    if (mem_end > 0x100000000ull)
        return refuse(c, -EINVAL, "segment %u: address 0x%x + size 0x%x wraps past 4 GiB",
                      i, ph->p_vaddr, ph->p_memsz);
    if (mem_end > c->user_limit)
        return refuse(c, -EINVAL, "segment %u overlaps the kernel (0x%llx and up)",
                      i, (unsigned long long)c->user_limit);
    if (ph->p_vaddr < ELF_MIN_VADDR)
        return refuse(c, -EINVAL, "segment %u at 0x%x is below mmap_min_addr (0x%x)",
                      i, ph->p_vaddr, ELF_MIN_VADDR);
    if (!is_power_of_two_or_zero(ph->p_align))
        return refuse(c, -EINVAL, "segment %u: alignment 0x%x is not a power of two",
                      i, ph->p_align);
    /* gABI 5: "p_vaddr should equal p_offset, modulo p_align".  The page is
     * the unit of mapping, so that much congruence is what we need. */
    if (ph->p_vaddr % ELF_PAGE_SIZE != ph->p_offset % ELF_PAGE_SIZE)
        return refuse(c, -EINVAL, "segment %u: address 0x%x and file offset 0x%x differ "
                      "modulo the page size", i, ph->p_vaddr, ph->p_offset);
    return 0;
}

static int add_load(struct elf_ctx *c, unsigned i, const Elf32_Phdr *ph)
{
    struct elf_image *out = c->out;
    struct elf_segment *s;

    if (out->nsegs == ELF_MAX_SEGMENTS)
        return refuse(c, -E2BIG, "more than %u loadable segments", ELF_MAX_SEGMENTS);
    s = &out->segs[out->nsegs++];
    s->vaddr = ph->p_vaddr;
    s->memsz = ph->p_memsz;
    s->offset = ph->p_offset;
    s->filesz = ph->p_filesz;
    s->flags = ph->p_flags & PF_RWX;
    s->phdr_index = (uint16_t)i;
    return 0;
}

/* PT_TLS: the thread-local-storage template.  Where it lies is checked in
 * step 6, once the segments are known. */
static int note_tls(struct elf_ctx *c, const Elf32_Phdr *ph)
{
    struct elf_tls *tls = &c->out->tls;

    if (tls->present)
        return refuse(c, -EINVAL, "two PT_TLS headers");
    if (ph->p_filesz > ph->p_memsz)
        return refuse(c, -EINVAL, "PT_TLS: file size 0x%x larger than memory size 0x%x",
                      ph->p_filesz, ph->p_memsz);
    if (!is_power_of_two_or_zero(ph->p_align))
        return refuse(c, -EINVAL, "PT_TLS: alignment 0x%x is not a power of two", ph->p_align);
    tls->present = true;
    tls->vaddr = ph->p_vaddr;
    tls->filesz = ph->p_filesz;
    tls->memsz = ph->p_memsz;
    tls->align = ph->p_align;
    return 0;
}

/* Step 5 for every header: check and collect what the loader needs. */
static int scan_phdrs(struct elf_ctx *c)
{
    Elf32_Phdr ph;
    int err = 0;

    for (unsigned i = 0; i < c->out->phnum && err == 0; i++) {
        read_phdr(c, i, &ph);
        switch (ph.p_type) {
        case PT_LOAD:
            err = check_load(c, i, &ph);
            if (err == 0 && ph.p_memsz > 0)
                err = add_load(c, i, &ph);
            break;
        case PT_TLS:
            err = note_tls(c, &ph);
            break;
        case PT_PHDR:
            c->has_pt_phdr = true;
            c->out->phdr_vaddr = ph.p_vaddr;
            break;
        case PT_GNU_STACK:
            c->out->stack_noexec = !(ph.p_flags & PF_X);
            break;
        default:                /* notes, PT_GNU_RELRO ...: not our business */
            break;
        }
    }
    return err;
}

static uint64_t seg_end(const struct elf_segment *s)
{
    return (uint64_t)s->vaddr + s->memsz;
}

/*
 * Step 6a: gABI 5 requires PT_LOAD entries "in ascending order, sorted on
 * the p_vaddr member".  No byte may belong to two segments, but a page may:
 * with segments [0x400000, 0x401800) and [0x401900, ...) the page 0x401000
 * holds the end of one and the start of the other.  The linker avoids this
 * by default, yet `ld -N` and hand-made binaries do it, so it is allowed --
 * on one condition that lets a single file-backed page serve both: the two
 * segments sit in the file exactly as in memory (same p_vaddr - p_offset)
 * and the first has no bss to zero on that page.  The loader is told
 * through shares_page_with_prev.
 */
static int check_shared_page(struct elf_ctx *c, const struct elf_segment *prev,
                             struct elf_segment *s)
{
    s->shares_page_with_prev =
        ALIGN_DOWN(s->vaddr, ELF_PAGE_SIZE) < ALIGN_UP(seg_end(prev), ELF_PAGE_SIZE);
    if (s->shares_page_with_prev &&
        (prev->filesz != prev->memsz || prev->vaddr - prev->offset != s->vaddr - s->offset))
        return refuse(c, -EINVAL, "segments %u and %u share the page 0x%x but are not "
                      "laid out alike in the file", prev->phdr_index, s->phdr_index,
                      ALIGN_DOWN(s->vaddr, ELF_PAGE_SIZE));
    return 0;
}

static int check_layout(struct elf_ctx *c)
{
    struct elf_image *out = c->out;
    int err;

    if (out->nsegs == 0)
        return refuse(c, -ENOEXEC, "no loadable segment (PT_LOAD)");
    for (unsigned i = 1; i < out->nsegs; i++) {
        const struct elf_segment *prev = &out->segs[i - 1];
        struct elf_segment *s = &out->segs[i];

        if (s->vaddr < prev->vaddr)
            return refuse(c, -EINVAL, "segments %u and %u are not sorted by address",
                          prev->phdr_index, s->phdr_index);
        if (s->vaddr < seg_end(prev))
            return refuse(c, -EINVAL, "segments overlap: %u ends at 0x%llx, %u starts at 0x%x",
                          prev->phdr_index, (unsigned long long)seg_end(prev),
                          s->phdr_index, s->vaddr);
        if ((err = check_shared_page(c, prev, s)) != 0)
            return err;
    }
    /* Sorted and disjoint: the last segment ends highest.  user_limit is
     * page-aligned, so rounding up stays within it. */
    out->lowest = ALIGN_DOWN(out->segs[0].vaddr, ELF_PAGE_SIZE);
    out->brk_start = (vaddr_t)ALIGN_UP(seg_end(&out->segs[out->nsegs - 1]),
                                       (uint64_t)ELF_PAGE_SIZE);
    return 0;
}

/* The loaded segment holding all of [ADDR, ADDR + LEN) in memory, or NULL. */
static const struct elf_segment *find_segment(const struct elf_image *out,
                                              uint32_t addr, uint64_t len)
{
    for (unsigned i = 0; i < out->nsegs; i++) {
        const struct elf_segment *s = &out->segs[i];

        if (addr >= s->vaddr && (uint64_t)addr + len <= seg_end(s))
            return s;
    }
    return NULL;
}

/*
 * Step 6b: where the program headers will be in memory, for AT_PHDR.  A
 * PT_PHDR header says so directly (dynamic executables have one).  Static
 * ones do not: then the headers are visible if some segment loads the file
 * bytes at E_PHOFF -- with glibc's, the first, read-only segment, which
 * starts at file offset 0 and so also holds the ELF header.
 */
static int locate_phdrs(struct elf_ctx *c)
{
    struct elf_image *out = c->out;
    uint64_t table = (uint64_t)out->phnum * out->phent;

    if (c->has_pt_phdr) {
        if (!find_segment(out, out->phdr_vaddr, table))
            return refuse(c, -EINVAL, "PT_PHDR at 0x%x is not inside a loaded segment",
                          out->phdr_vaddr);
        return 0;
    }
    for (unsigned i = 0; i < out->nsegs; i++) {
        const struct elf_segment *s = &out->segs[i];

        if (out->phoff >= s->offset &&
            (uint64_t)out->phoff + table <= (uint64_t)s->offset + s->filesz) {
            out->phdr_vaddr = s->vaddr + (out->phoff - s->offset);
            return 0;
        }
    }
    out->phdr_vaddr = 0;        /* not loaded: the loader omits AT_PHDR */
    return 0;
}

/* Step 6c: the entry point and the TLS template lie in loaded memory. */
static int check_targets(struct elf_ctx *c, vaddr_t entry)
{
    struct elf_image *out = c->out;
    const struct elf_segment *s = find_segment(out, entry, 1);

    if (!s || !(s->flags & PF_X))
        return refuse(c, -EINVAL, "entry point 0x%x is not inside an executable segment",
                      entry);
    out->entry = entry;
    if (out->tls.present && out->tls.filesz > 0 &&
        !find_segment(out, out->tls.vaddr, out->tls.filesz))
        return refuse(c, -EINVAL, "PT_TLS template at 0x%x (0x%x bytes) is not inside "
                      "a loaded segment", out->tls.vaddr, out->tls.filesz);
    return 0;
}

int elf_parse(const void *image, size_t size, vaddr_t user_limit,
              struct elf_image *out, const char **why)
{
    struct elf_ctx c = {
        .image = image, .size = size, .user_limit = user_limit, .out = out, .why = why,
    };
    Elf32_Ehdr eh;
    int err;

    ASSERT(out != NULL);
    ASSERTF(IS_ALIGNED(user_limit, ELF_PAGE_SIZE), "user_limit 0x%x", user_limit);
    memset(out, 0, sizeof(*out));
    if (why)
        *why = NULL;
    err = check_ident(&c);
    if (err)
        return err;
    memcpy(&eh, image, sizeof(eh));
    if ((err = check_header(&c, &eh)) != 0 ||
        (err = check_phdr_table(&c, &eh)) != 0 ||
        (err = check_static(&c, &eh)) != 0 ||
        (err = scan_phdrs(&c)) != 0 ||
        (err = check_layout(&c)) != 0 ||
        (err = locate_phdrs(&c)) != 0 ||
        (err = check_targets(&c, eh.e_entry)) != 0)
        return err;
    return 0;
}
