/*
 * tests/host/test_elf.c - the ELF validator against real and broken files.
 *
 * The real files are built by mk/exec.mk before the tests: a static glibc
 * i386 program (accepted), the same program dynamically linked and an
 * x86-64 build (both refused).  The broken ones are that static program
 * with one field changed in memory, truncated, or mutated at random; each
 * image sits in a buffer of exactly its size, so AddressSanitizer stops the
 * test at the first byte the parser reads past the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include "tests/ktest.h"
#include "lib/elf.h"
#include "lib/errno.h"
#include "lib/string.h"
#include "kernel/layout.h"

#define SAMPLES "build/host/elf-samples/"

struct blob {
    uint8_t *data;
    size_t size;
};

static struct blob hello32;     /* read once, never modified */

/* Read PATH into a buffer of exactly its size (AddressSanitizer then
 * catches any read past its end). */
static bool read_file(const char *path, struct blob *b)
{
    FILE *f = fopen(path, "rb");
    long n;

    if (!f)
        return false;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    b->size = (size_t)n;
    b->data = malloc(b->size ? b->size : 1);
    if (fread(b->data, 1, b->size, f) != b->size) {
        free(b->data);
        b->data = NULL;
    }
    fclose(f);
    return b->data != NULL;
}

static bool need_hello32(struct ktest *t)
{
    if (!hello32.data && !read_file(SAMPLES "hello32", &hello32)) {
        ktest_fail_msg(t, __FILE__, __LINE__,
                       "cannot read " SAMPLES "hello32: run from the repository root "
                       "after `make hosttests` (mk/exec.mk builds it)");
        return false;
    }
    return true;
}

/* An exact-size copy of the first SIZE bytes of hello32. */
static uint8_t *copy_hello32(size_t size)
{
    uint8_t *p = malloc(size ? size : 1);

    memcpy(p, hello32.data, size);
    return p;
}

static Elf32_Ehdr get_ehdr(const uint8_t *img)
{
    Elf32_Ehdr eh;

    memcpy(&eh, img, sizeof(eh));
    return eh;
}

static Elf32_Phdr get_phdr(const uint8_t *img, unsigned i)
{
    Elf32_Phdr ph;

    memcpy(&ph, img + get_ehdr(img).e_phoff + i * sizeof(ph), sizeof(ph));
    return ph;
}

static void put_phdr(uint8_t *img, unsigned i, const Elf32_Phdr *ph)
{
    memcpy(img + get_ehdr(img).e_phoff + i * sizeof(*ph), ph, sizeof(*ph));
}

/* Check that parsing IMG fails with ERR and a reason containing TEXT. */
static void expect_refused_at(struct ktest *t, int line, const char *what,
                              const void *img, size_t size, int err, const char *text)
{
    struct elf_image im;
    const char *why = NULL;
    int r = elf_parse(img, size, KERNEL_VBASE, &im, &why);
    char msg[300];

    if (r == err && why && strstr(why, text))
        return;
    snprintf(msg, sizeof(msg), "%s: elf_parse returned %d (\"%s\"), expected %d (\"...%s...\")",
             what, r, why ? why : "(null)", err, text);
    ktest_fail_msg(t, __FILE__, line, msg);
}
#define EXPECT_REFUSED(t, what, img, size, err, text) \
    expect_refused_at(t, __LINE__, what, img, size, err, text)

static uint64_t end_of(const struct elf_segment *s)
{
    return (uint64_t)s->vaddr + s->memsz;
}

/* The promises of lib/elf.h about an accepted image; NULL if all hold. */
static const char *broken_promise(const struct elf_image *im, size_t size)
{
    const struct elf_segment *entry_seg = NULL;

    if (im->nsegs == 0 || im->nsegs > ELF_MAX_SEGMENTS)
        return "segment count";
    for (unsigned i = 0; i < im->nsegs; i++) {
        const struct elf_segment *s = &im->segs[i], *prev = i ? s - 1 : NULL;

        if (s->memsz == 0 || s->filesz > s->memsz)
            return "segment sizes";
        if ((uint64_t)s->offset + s->filesz > size)
            return "segment outside the file";
        if (s->vaddr < ELF_MIN_VADDR || end_of(s) > KERNEL_VBASE)
            return "segment outside user space";
        if (s->vaddr % PAGE_SIZE != s->offset % PAGE_SIZE || (s->flags & ~PF_RWX))
            return "segment congruence or flags";
        if (prev && (s->vaddr < end_of(prev) ||
                     s->shares_page_with_prev !=
                     (s->vaddr / PAGE_SIZE == (end_of(prev) - 1) / PAGE_SIZE)))
            return "segment order or page sharing";
        if (s->shares_page_with_prev && (prev->filesz != prev->memsz ||
                                         prev->vaddr - prev->offset != s->vaddr - s->offset))
            return "shared page not served by one file page";
        if (end_of(s) > im->brk_start || ALIGN_DOWN(s->vaddr, PAGE_SIZE) < im->lowest)
            return "lowest/brk_start do not enclose a segment";
        if (im->entry >= s->vaddr && im->entry < end_of(s))
            entry_seg = s;
    }
    if (!entry_seg || !(entry_seg->flags & PF_X))
        return "entry not in an executable segment";
    if (im->brk_start % PAGE_SIZE || im->lowest % PAGE_SIZE || im->brk_start > KERNEL_VBASE)
        return "lowest/brk_start alignment";
    if (im->tls.present && im->tls.filesz > im->tls.memsz)
        return "TLS sizes";
    if (im->phent != sizeof(Elf32_Phdr) || im->phnum == 0 || im->phnum > ELF_MAX_PHDRS)
        return "program header table";
    return NULL;
}

static void test_static_i386_accepted(struct ktest *t)
{
    struct elf_image im;
    const char *why = NULL;
    unsigned loads = 0;

    if (!need_hello32(t))
        return;
    ASSERT_EQ(t, elf_parse(hello32.data, hello32.size, KERNEL_VBASE, &im, &why), 0);
    EXPECT_NULL(t, why);
    EXPECT_NULL(t, broken_promise(&im, hello32.size));
    EXPECT_EQ(t, im.phnum, get_ehdr(hello32.data).e_phnum);
    EXPECT_EQ(t, im.phoff, get_ehdr(hello32.data).e_phoff);
    for (unsigned i = 0; i < im.phnum; i++)
        loads += get_phdr(hello32.data, i).p_type == PT_LOAD;
    EXPECT_EQ(t, im.nsegs, loads);
    for (unsigned i = 0; i < im.nsegs; i++) {
        Elf32_Phdr ph = get_phdr(hello32.data, im.segs[i].phdr_index);

        EXPECT_EQ(t, im.segs[i].vaddr, ph.p_vaddr);
        EXPECT_EQ(t, im.segs[i].filesz, ph.p_filesz);
        if (im.entry >= ph.p_vaddr && im.entry < ph.p_vaddr + ph.p_memsz)
            EXPECT_EQ(t, im.segs[i].flags, PF_R | PF_X);
    }
    /* AT_PHDR: the first segment maps file offset 0, so the headers appear
     * at its address plus e_phoff, and the bytes there are the table. */
    EXPECT_EQ(t, im.segs[0].offset, 0);
    EXPECT_EQ(t, im.phdr_vaddr, im.segs[0].vaddr + im.phoff);
    EXPECT_TRUE(t, im.tls.present);
    EXPECT_TRUE(t, im.stack_noexec);
    EXPECT_EQ(t, im.brk_start % PAGE_SIZE, 0);
    EXPECT_GE(t, im.brk_start, end_of(&im.segs[im.nsegs - 1]));
}

static void test_other_programs_refused(struct ktest *t)
{
    struct blob b;
    const char *text = "#!/bin/sh\necho not an ELF\n";

    ASSERT_TRUE(t, read_file(SAMPLES "hello64", &b));
    EXPECT_REFUSED(t, "x86-64", b.data, b.size, -ENOEXEC,
                   "ELF class 64 (x86-64): this kernel runs 32-bit i386 programs");
    free(b.data);
    ASSERT_TRUE(t, read_file(SAMPLES "dyn32", &b));
    EXPECT_REFUSED(t, "dynamic", b.data, b.size, -ENOEXEC,
                   "dynamically linked (has PT_INTERP): build with -static");
    free(b.data);
    EXPECT_REFUSED(t, "script", text, strlen(text), -ENOEXEC, "not an ELF file (bad magic)");
    EXPECT_REFUSED(t, "empty", text, 0, -ENOEXEC, "not an ELF file (bad magic)");
}

/* Which header a corruption edits. */
enum target { EHDR, TEXT, DATA, TLS, NOTE };

/* Index of the program header TARGET names in IMG, or -1. */
static int find_target(const uint8_t *img, enum target target)
{
    for (unsigned i = 0; i < get_ehdr(img).e_phnum; i++) {
        Elf32_Phdr ph = get_phdr(img, i);
        bool load = ph.p_type == PT_LOAD;

        if ((target == TEXT && load && (ph.p_flags & PF_X)) ||
            (target == DATA && load && (ph.p_flags & PF_W)) ||
            (target == TLS && ph.p_type == PT_TLS) ||
            (target == NOTE && ph.p_type == PT_NOTE))
            return (int)i;
    }
    return -1;
}

/* One field changed: set to VALUE, or (ADD) increased by it, mod 2^32. */
struct corruption {
    const char *what;
    enum target target;
    size_t field;               /* offsetof in Elf32_Ehdr or Elf32_Phdr */
    unsigned width;             /* 1, 2 or 4 bytes */
    bool add;
    uint32_t value;
    int err;
    const char *reason;         /* must appear in the reason */
};

#define EH(f) offsetof(Elf32_Ehdr, f), sizeof(((Elf32_Ehdr *)0)->f)
#define PH(f) offsetof(Elf32_Phdr, f), 4

static const struct corruption corruptions[] = {
    { "magic", EHDR, 1, 1, false, 'X', -ENOEXEC, "not an ELF file (bad magic)" },
    { "class", EHDR, EI_CLASS, 1, false, 3, -ENOEXEC, "ELF class byte 3" },
    { "big-endian", EHDR, EI_DATA, 1, false, ELFDATA2MSB, -ENOEXEC, "little-endian" },
    { "ident version", EHDR, EI_VERSION, 1, false, 0, -ENOEXEC, "identification version 0" },
    { "machine x86-64", EHDR, EH(e_machine), false, EM_X86_64, -ENOEXEC,
      "machine 62 (x86-64), not i386 (3)" },
    { "machine ARM", EHDR, EH(e_machine), false, EM_ARM, -ENOEXEC, "machine 40 (ARM)" },
    { "ET_DYN", EHDR, EH(e_type), false, ET_DYN, -ENOEXEC, "position-independent (ET_DYN)" },
    { "ET_REL", EHDR, EH(e_type), false, ET_REL, -ENOEXEC, "relocatable object (ET_REL)" },
    { "ET_CORE", EHDR, EH(e_type), false, ET_CORE, -ENOEXEC, "core dump" },
    { "ET_NONE", EHDR, EH(e_type), false, ET_NONE, -ENOEXEC, "ELF type 0 is not an executable" },
    { "e_version", EHDR, EH(e_version), false, 2, -ENOEXEC, "ELF version 2" },
    { "e_ehsize", EHDR, EH(e_ehsize), false, 40, -EINVAL, "ELF header size 40" },
    { "e_phentsize", EHDR, EH(e_phentsize), false, 40, -EINVAL, "program header size 40" },
    { "e_phnum 0", EHDR, EH(e_phnum), false, 0, -ENOEXEC, "no program headers" },
    { "e_phnum huge", EHDR, EH(e_phnum), false, 0xffff, -E2BIG, "65535 program headers" },
    { "e_phnum 65", EHDR, EH(e_phnum), false, 65, -E2BIG, "65 program headers" },
    { "e_phoff wraps", EHDR, EH(e_phoff), false, 0xfffffff0, -EINVAL,
      "program headers outside the file" },
    { "entry 0", EHDR, EH(e_entry), false, 0, -EINVAL,
      "entry point 0x0 is not inside an executable segment" },
    { "entry in kernel", EHDR, EH(e_entry), false, 0xc0001000, -EINVAL, "entry point 0xc0001000" },
    { "text not X", TEXT, PH(p_flags), false, PF_R, -EINVAL, "not inside an executable segment" },
    { "text filesz", TEXT, PH(p_memsz), true, (uint32_t)-1, -EINVAL,
      "larger than memory size" },
    { "text offset", TEXT, PH(p_offset), false, 0x7ffff000, -EINVAL,
      "extends past the end of the file" },
    { "text offset wraps", TEXT, PH(p_offset), false, 0xfffff000, -EINVAL,
      "extends past the end of the file" },
    { "text in kernel", TEXT, PH(p_vaddr), false, 0xc0001000, -EINVAL,
      "overlaps the kernel (0xc0000000 and up)" },
    { "text at top", TEXT, PH(p_vaddr), false, 0xbffff000, -EINVAL, "overlaps the kernel" },
    { "text wraps", TEXT, PH(p_vaddr), false, 0xfffff000, -EINVAL, "wraps past 4 GiB" },
    { "text memsz wraps", TEXT, PH(p_memsz), false, 0xffffffff, -EINVAL, "wraps past 4 GiB" },
    { "text at page 1", TEXT, PH(p_vaddr), false, 0x1000, -EINVAL,
      "below mmap_min_addr (0x10000)" },
    { "text align 3", TEXT, PH(p_align), false, 3, -EINVAL, "alignment 0x3 is not a power of two" },
    { "text off-page", TEXT, PH(p_vaddr), true, 0x10, -EINVAL, "differ modulo the page size" },
    { "text over rodata", TEXT, PH(p_memsz), true, 0x100000, -EINVAL, "segments overlap" },
    { "data below text", DATA, PH(p_vaddr), true, (uint32_t)-0x07000000, -EINVAL,
      "not sorted by address" },
    { "tls elsewhere", TLS, PH(p_vaddr), true, 0x10000000, -EINVAL, "PT_TLS template" },
    { "tls sizes", TLS, PH(p_filesz), false, 0x100000, -EINVAL, "PT_TLS: file size" },
    { "tls align", TLS, PH(p_align), false, 6, -EINVAL, "PT_TLS: alignment 0x6" },
    { "note -> interp", NOTE, PH(p_type), false, PT_INTERP, -ENOEXEC,
      "dynamically linked (has PT_INTERP)" },
    { "note -> tls", NOTE, PH(p_type), false, PT_TLS, -EINVAL, "two PT_TLS headers" },
};

/* Apply C to IMG; false if the program has no such header. */
static bool corrupt(uint8_t *img, const struct corruption *c)
{
    int i = c->target == EHDR ? 0 : find_target(img, c->target);
    uint8_t *p;
    uint32_t v = 0;

    if (i < 0)
        return false;
    p = img + c->field + (c->target == EHDR ? 0 : get_ehdr(img).e_phoff + i * sizeof(Elf32_Phdr));
    memcpy(&v, p, c->width);            /* little-endian host and target */
    v = c->add ? v + c->value : c->value;
    memcpy(p, &v, c->width);
    return true;
}

static void test_corrupted_fields(struct ktest *t)
{
    if (!need_hello32(t))
        return;
    for (size_t k = 0; k < ARRAY_SIZE(corruptions); k++) {
        const struct corruption *c = &corruptions[k];
        uint8_t *img = copy_hello32(hello32.size);

        if (corrupt(img, c))
            EXPECT_REFUSED(t, c->what, img, hello32.size, c->err, c->reason);
        else
            ktest_fail_msg(t, __FILE__, __LINE__, c->what);
        free(img);
    }
}

static void test_offsets_beyond_file(struct ktest *t)
{
    uint8_t *img;
    Elf32_Ehdr eh;
    Elf32_Phdr ph;
    int text;

    if (!need_hello32(t))
        return;
    img = copy_hello32(hello32.size);
    text = find_target(img, TEXT);
    ASSERT_GE(t, text, 0);
    ph = get_phdr(img, (unsigned)text);
    ph.p_offset = (uint32_t)hello32.size - 0x10;
    put_phdr(img, (unsigned)text, &ph);
    EXPECT_REFUSED(t, "text near end", img, hello32.size, -EINVAL,
                   "extends past the end of the file");
    eh = get_ehdr(img);
    eh.e_phoff = (uint32_t)hello32.size - 10;
    memcpy(img, &eh, sizeof(eh));
    EXPECT_REFUSED(t, "phoff near end", img, hello32.size, -EINVAL,
                   "program headers outside the file");
    free(img);
}

/* Where the last file byte any header needs lies: the end of the
 * program header table or of a segment's file range.  The section headers
 * and symbols after it are not needed to run the program. */
static size_t needed_bytes(const uint8_t *img)
{
    Elf32_Ehdr eh = get_ehdr(img);
    size_t end = eh.e_phoff + eh.e_phnum * sizeof(Elf32_Phdr);

    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf32_Phdr ph = get_phdr(img, i);
        end = MAX(end, (size_t)ph.p_offset + ph.p_filesz);
    }
    return end;
}

/* Every prefix up to 200 bytes, then one per page: refused until the last
 * needed byte is there, and never read past the end (each buffer is
 * exactly LEN bytes). */
static void test_truncated(struct ktest *t)
{
    size_t table_end, needed;
    struct elf_image im;
    uint8_t *img;

    if (!need_hello32(t))
        return;
    table_end = get_ehdr(hello32.data).e_phoff +
                get_ehdr(hello32.data).e_phnum * sizeof(Elf32_Phdr);
    needed = needed_bytes(hello32.data);
    for (size_t len = 0; len < needed; len += len < 200 ? 1 : PAGE_SIZE) {
        img = copy_hello32(len);
        if (len < SELFMAG)
            EXPECT_REFUSED(t, "truncated", img, len, -ENOEXEC, "bad magic");
        else if (len < sizeof(Elf32_Ehdr))
            EXPECT_REFUSED(t, "truncated", img, len, -ENOEXEC, "truncated ELF header");
        else if (len < table_end)
            EXPECT_REFUSED(t, "truncated", img, len, -EINVAL, "program headers outside the file");
        else
            EXPECT_REFUSED(t, "truncated", img, len, -EINVAL, "extends past the end of the file");
        free(img);
    }
    img = copy_hello32(needed - 1);
    EXPECT_REFUSED(t, "one byte short", img, needed - 1, -EINVAL, "extends past the end");
    free(img);
    img = copy_hello32(needed);
    EXPECT_EQ(t, elf_parse(img, needed, KERNEL_VBASE, &im, NULL), 0);
    free(img);
}

/* A hand-made image of SIZE bytes: the ELF header, then the N program
 * headers PH, the rest zero.  The text starts at 0x400000. */
#define MINI_BASE 0x400000
static uint8_t *mini_elf(const Elf32_Phdr *ph, unsigned n, size_t size)
{
    uint8_t *img = calloc(1, size);
    Elf32_Ehdr eh = {
        .e_type = ET_EXEC, .e_machine = EM_386, .e_version = EV_CURRENT,
        .e_entry = MINI_BASE + 0x100, .e_phoff = sizeof(Elf32_Ehdr),
        .e_ehsize = sizeof(Elf32_Ehdr), .e_phentsize = sizeof(Elf32_Phdr), .e_phnum = n,
    };

    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS32;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    memcpy(img, &eh, sizeof(eh));
    memcpy(img + sizeof(eh), ph, n * sizeof(*ph));
    return img;
}

static Elf32_Phdr load(uint32_t off, uint32_t vaddr, uint32_t filesz, uint32_t memsz,
                       uint32_t flags)
{
    return (Elf32_Phdr){ .p_type = PT_LOAD, .p_offset = off, .p_vaddr = vaddr,
                         .p_filesz = filesz, .p_memsz = memsz, .p_flags = flags,
                         .p_align = PAGE_SIZE };
}

/* Text [0x400000, 0x401800) and data from DATA_VADDR: same page or not. */
static void test_page_sharing(struct ktest *t)
{
    Elf32_Phdr ph[2] = { load(0, MINI_BASE, 0x1800, 0x1800, PF_R | PF_X),
                         load(0x1900, MINI_BASE + 0x1900, 0x100, 0x2000, PF_R | PF_W) };
    struct elf_image im;
    uint8_t *img = mini_elf(ph, 2, 0x2000);

    ASSERT_EQ(t, elf_parse(img, 0x2000, KERNEL_VBASE, &im, NULL), 0);
    EXPECT_NULL(t, broken_promise(&im, 0x2000));
    EXPECT_FALSE(t, im.segs[0].shares_page_with_prev);
    EXPECT_TRUE(t, im.segs[1].shares_page_with_prev);
    EXPECT_EQ(t, im.lowest, MINI_BASE);
    EXPECT_EQ(t, im.brk_start, MINI_BASE + 0x4000);      /* 0x403900 rounded up */
    EXPECT_EQ(t, im.phdr_vaddr, MINI_BASE + sizeof(Elf32_Ehdr));
    EXPECT_FALSE(t, im.stack_noexec);                    /* no PT_GNU_STACK */
    EXPECT_FALSE(t, im.tls.present);
    free(img);

    ph[1].p_vaddr += PAGE_SIZE;                          /* next page: not shared */
    img = mini_elf(ph, 2, 0x2000);
    ASSERT_EQ(t, elf_parse(img, 0x2000, KERNEL_VBASE, &im, NULL), 0);
    EXPECT_FALSE(t, im.segs[1].shares_page_with_prev);
    free(img);

    ph[1].p_vaddr = MINI_BASE + 0x1700;                  /* a shared byte */
    ph[1].p_offset = 0x1700;
    img = mini_elf(ph, 2, 0x2000);
    EXPECT_REFUSED(t, "byte overlap", img, 0x2000, -EINVAL, "segments overlap: 0 ends at 0x401800");
    free(img);
}

/* A shared page is refused when one file page cannot hold both parts. */
static void test_page_sharing_refused(struct ktest *t)
{
    Elf32_Phdr ph[2] = { load(0, MINI_BASE, 0x1800, 0x1880, PF_R | PF_X),   /* bss */
                         load(0x1900, MINI_BASE + 0x1900, 0x100, 0x100, PF_R | PF_W) };
    uint8_t *img = mini_elf(ph, 2, 0x2000);

    EXPECT_REFUSED(t, "bss on a shared page", img, 0x2000, -EINVAL,
                   "segments 0 and 1 share the page 0x401000 but are not laid out alike");
    free(img);
    ph[0].p_memsz = 0x1800;
    ph[1].p_offset = 0x0900;                             /* congruent, displaced */
    img = mini_elf(ph, 2, 0x2000);
    EXPECT_REFUSED(t, "displaced", img, 0x2000, -EINVAL, "share the page 0x401000");
    free(img);
}

static void test_segment_count(struct ktest *t)
{
    Elf32_Phdr ph[ELF_MAX_SEGMENTS + 2];
    struct elf_image im;
    uint8_t *img;

    for (unsigned i = 0; i < ARRAY_SIZE(ph); i++)
        ph[i] = load(0, MINI_BASE + i * PAGE_SIZE, 0, PAGE_SIZE, PF_R);
    ph[0] = load(0, MINI_BASE, 0x200, PAGE_SIZE, PF_R | PF_X);
    ph[1] = load(0, 0, 0, 0, PF_R);                      /* empty: dropped */
    img = mini_elf(ph, ELF_MAX_SEGMENTS + 1, PAGE_SIZE);
    ASSERT_EQ(t, elf_parse(img, PAGE_SIZE, KERNEL_VBASE, &im, NULL), 0);
    EXPECT_EQ(t, im.nsegs, ELF_MAX_SEGMENTS);
    EXPECT_NULL(t, broken_promise(&im, PAGE_SIZE));
    free(img);
    img = mini_elf(ph, ELF_MAX_SEGMENTS + 2, PAGE_SIZE);
    EXPECT_REFUSED(t, "17 segments", img, PAGE_SIZE, -E2BIG, "more than 16 loadable segments");
    free(img);
}

/* AT_PHDR from PT_PHDR, from the segment holding e_phoff, or nowhere. */
static void test_phdr_address(struct ktest *t)
{
    Elf32_Phdr ph[2] = { { .p_type = PT_PHDR, .p_vaddr = MINI_BASE + 0x34,
                           .p_memsz = 2 * sizeof(Elf32_Phdr) },
                         load(0, MINI_BASE, 0x200, 0x200, PF_R | PF_X) };
    struct elf_image im;
    uint8_t *img = mini_elf(ph, 2, PAGE_SIZE);

    ASSERT_EQ(t, elf_parse(img, PAGE_SIZE, KERNEL_VBASE, &im, NULL), 0);
    EXPECT_EQ(t, im.phdr_vaddr, MINI_BASE + 0x34);
    free(img);
    ph[0].p_vaddr = MINI_BASE + 0x1f0;                   /* runs past the segment */
    img = mini_elf(ph, 2, PAGE_SIZE);
    EXPECT_REFUSED(t, "PT_PHDR", img, PAGE_SIZE, -EINVAL, "PT_PHDR at 0x4001f0");
    free(img);
    ph[0] = (Elf32_Phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W | PF_X };
    ph[1] = load(0x1000, MINI_BASE + 0x1000, 0x200, 0x200, PF_R | PF_X);
    img = mini_elf(ph, 2, 2 * PAGE_SIZE);
    ((Elf32_Ehdr *)img)->e_entry = MINI_BASE + 0x1000;
    ASSERT_EQ(t, elf_parse(img, 2 * PAGE_SIZE, KERNEL_VBASE, &im, NULL), 0);
    EXPECT_EQ(t, im.phdr_vaddr, 0);                      /* headers not loaded */
    EXPECT_FALSE(t, im.stack_noexec);                    /* PT_GNU_STACK asks for X */
    free(img);
}

/* xorshift32 (Marsaglia 2003): a fixed seed makes every run the same. */
static uint32_t rng_state = 2463534242u;
static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* Change one byte, or one aligned word to a random, nearby or one-bit-off
 * value, somewhere in the first HDR_BYTES bytes. */
static void mutate(uint8_t *img, size_t hdr_bytes)
{
    size_t at = rng() % hdr_bytes;
    uint32_t v;

    if (rng() % 2) {
        img[at] = (uint8_t)(rng() % 3 == 0 ? 0xff * (rng() % 2) : rng());
        return;
    }
    at = ALIGN_DOWN(at, 4);
    memcpy(&v, img + at, 4);
    switch (rng() % 3) {
    case 0: v = rng(); break;
    case 1: v += (rng() % 2 ? 1 : -1) * (rng() % 0x2000); break;
    default: v ^= 1u << (rng() % 32); break;
    }
    memcpy(img + at, &v, 4);
}

static void test_random_mutations(struct ktest *t)
{
    enum { ROUNDS = 4000 };
    size_t hdr_bytes;
    uint8_t *img;
    unsigned accepted = 0;

    if (!need_hello32(t))
        return;
    hdr_bytes = get_ehdr(hello32.data).e_phoff +
                get_ehdr(hello32.data).e_phnum * sizeof(Elf32_Phdr);
    img = copy_hello32(hello32.size);
    for (int round = 0; round < ROUNDS; round++) {
        struct elf_image im;
        const char *why = NULL;
        unsigned n = 1 + rng() % 4;

        for (unsigned k = 0; k < n; k++)
            mutate(img, hdr_bytes);
        int r = elf_parse(img, hello32.size, KERNEL_VBASE, &im, &why);
        if (r == 0) {
            const char *broken = broken_promise(&im, hello32.size);
            accepted++;
            EXPECT_NULL(t, broken);
            if (broken)
                ktest_fail_msg(t, __FILE__, __LINE__, broken);
        } else {
            EXPECT_TRUE(t, r == -ENOEXEC || r == -EINVAL || r == -E2BIG);
            EXPECT_TRUE(t, why && why[0] && strlen(why) < ELF_WHY_MAX);
        }
        memcpy(img, hello32.data, hdr_bytes);
    }
    printf("    # %d mutants of hello32: %u accepted, %u refused\n",
           ROUNDS, accepted, ROUNDS - accepted);
    EXPECT_GT(t, accepted, 0);                           /* e.g. p_paddr, e_shoff */
    EXPECT_LT(t, accepted, ROUNDS);
    free(img);
}

static const struct ktest_case elf_cases[] = {
    KTEST_CASE(test_static_i386_accepted),
    KTEST_CASE(test_other_programs_refused),
    KTEST_CASE(test_corrupted_fields),
    KTEST_CASE(test_offsets_beyond_file),
    KTEST_CASE(test_truncated),
    KTEST_CASE(test_page_sharing),
    KTEST_CASE(test_page_sharing_refused),
    KTEST_CASE(test_segment_count),
    KTEST_CASE(test_phdr_address),
    KTEST_CASE(test_random_mutations),
    { 0 }
};
KTEST_SUITE(elf, elf_cases);
