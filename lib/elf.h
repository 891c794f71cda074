/*
 * lib/elf.h - the 32-bit ELF executable format, and a validator for it.
 *
 * An ELF executable is a recipe for an address space.  Its ELF header says
 * "this is an i386 program, start it at ENTRY, my program headers are at
 * file offset PHOFF"; each program header of type PT_LOAD then says "copy
 * FILESZ bytes from file offset OFFSET to virtual address VADDR, zero the
 * rest up to MEMSZ, and give those pages the permissions FLAGS".  The other
 * program headers are notes for whoever starts the program: PT_INTERP names
 * a dynamic linker, PT_TLS describes the thread-local-storage template,
 * PT_GNU_STACK says whether the stack may be executable.
 *
 *   file                                  virtual memory
 *   +---------------+ 0                   0xC0000000 +--------------+ user_limit
 *   | ELF header    |                                | (kernel)     |
 *   | program hdrs  |                                +--------------+
 *   | .text ...     |--- PT_LOAD R+X --------------> | text   R X   |
 *   | .rodata       |--- PT_LOAD R   --------------> | rodata R     |
 *   | .data         |--- PT_LOAD RW  --------------> | data   RW    |
 *   +---------------+                                | bss (zeroes) | <- memsz > filesz
 *                                                    +--------------+ brk_start
 *                                                    |  heap ...    |
 *
 * elf_parse() is pure logic: it reads an image already in memory, checks
 * every number in it against the file size and the user address range
 * (each check overflow-safe, since the file is untrusted input), and hands
 * the program loader a summary it can act on without re-checking anything.
 * It allocates nothing and maps nothing.
 *
 * The layouts below are those of the System V ABI, "gABI" chapter 4
 * (Object Files: ELF Header) and chapter 5 (Program Loading: Program
 * Header), with the i386 values from the Intel386 psABI supplement.
 */
#ifndef LIB_ELF_H
#define LIB_ELF_H

#include "lib/types.h"

/* gABI 4, "Data Representation": the 32-bit ELF base types. */
typedef uint32_t Elf32_Addr;
typedef uint32_t Elf32_Off;
typedef uint16_t Elf32_Half;
typedef uint32_t Elf32_Word;
typedef int32_t  Elf32_Sword;

/* gABI 4, "ELF Identification": the first 16 bytes, e_ident[]. */
#define EI_NIDENT     16
#define EI_MAG0       0         /* 0x7f 'E' 'L' 'F' */
#define EI_CLASS      4
#define EI_DATA       5
#define EI_VERSION    6
#define EI_OSABI      7
#define ELFMAG        "\177ELF"
#define SELFMAG       4
#define ELFCLASS32    1
#define ELFCLASS64    2
#define ELFDATA2LSB   1         /* little-endian, as i386 */
#define ELFDATA2MSB   2
#define EV_CURRENT    1

/* gABI 4, "ELF Header": e_type. */
#define ET_NONE       0
#define ET_REL        1         /* relocatable object (.o) */
#define ET_EXEC       2         /* executable at fixed addresses */
#define ET_DYN        3         /* shared object or position-independent executable */
#define ET_CORE       4

/* gABI 4, "ELF Header": e_machine, the values named in our messages. */
#define EM_SPARC      2
#define EM_386        3
#define EM_MIPS       8
#define EM_PPC        20
#define EM_PPC64      21
#define EM_ARM        40
#define EM_X86_64     62
#define EM_AARCH64    183
#define EM_RISCV      243

/* gABI 4, "ELF Header". */
typedef struct {
    unsigned char e_ident[EI_NIDENT];
    Elf32_Half e_type;
    Elf32_Half e_machine;
    Elf32_Word e_version;
    Elf32_Addr e_entry;         /* virtual address of the first instruction */
    Elf32_Off  e_phoff;         /* file offset of the program header table */
    Elf32_Off  e_shoff;         /* section headers: not needed to load */
    Elf32_Word e_flags;
    Elf32_Half e_ehsize;
    Elf32_Half e_phentsize;     /* size of one program header */
    Elf32_Half e_phnum;
    Elf32_Half e_shentsize;
    Elf32_Half e_shnum;
    Elf32_Half e_shstrndx;
} Elf32_Ehdr;
_Static_assert(sizeof(Elf32_Ehdr) == 52, "gABI: the ELF32 header is 52 bytes");

/* gABI 5, "Program Header": p_type. */
#define PT_NULL       0
#define PT_LOAD       1
#define PT_DYNAMIC    2
#define PT_INTERP     3
#define PT_NOTE       4
#define PT_SHLIB      5
#define PT_PHDR       6
#define PT_TLS        7
#define PT_GNU_EH_FRAME 0x6474e550  /* PT_LOOS + 0x474e550: GNU extensions */
#define PT_GNU_STACK    0x6474e551
#define PT_GNU_RELRO    0x6474e552

/* gABI 5, "Segment Permissions": p_flags. */
#define PF_X          0x1
#define PF_W          0x2
#define PF_R          0x4
#define PF_RWX        (PF_R | PF_W | PF_X)

typedef struct {
    Elf32_Word p_type;
    Elf32_Off  p_offset;        /* where the segment's bytes start in the file */
    Elf32_Addr p_vaddr;         /* where they go in memory */
    Elf32_Addr p_paddr;         /* unused on i386 */
    Elf32_Word p_filesz;        /* bytes taken from the file ... */
    Elf32_Word p_memsz;         /* ... of this many in memory; the rest is zero */
    Elf32_Word p_flags;
    Elf32_Word p_align;
} Elf32_Phdr;
_Static_assert(sizeof(Elf32_Phdr) == 32, "gABI: an ELF32 program header is 32 bytes");

/* The i386 psABI's page size: PT_LOAD segments are mapped in units of it,
 * so p_vaddr and p_offset must agree modulo it.  lib/elf.c checks that it
 * equals the kernel's PAGE_SIZE. */
#define ELF_PAGE_SIZE     4096

/* Linux refuses to map anything below vm.mmap_min_addr, 65536 by default
 * (CONFIG_DEFAULT_MMAP_MIN_ADDR on x86), so that a NULL-pointer dereference
 * in the kernel can never reach user-controlled memory.  We do the same. */
#define ELF_MIN_VADDR     0x10000

#define ELF_MAX_SEGMENTS  16    /* PT_LOAD entries we keep; static glibc has 4 */
#define ELF_MAX_PHDRS     64    /* program headers of any kind */
#define ELF_WHY_MAX       112   /* room for the longest reason */

/* One PT_LOAD segment, checked: within the file, within user space, not
 * below ELF_MIN_VADDR, filesz <= memsz, and memsz > 0 (empty ones are
 * dropped). */
struct elf_segment {
    vaddr_t  vaddr;             /* p_vaddr: first byte in memory */
    uint32_t memsz;             /* bytes in memory: [vaddr, vaddr + memsz) */
    uint32_t offset;            /* p_offset: first byte in the file */
    uint32_t filesz;            /* bytes copied from the file; the rest is zero */
    uint32_t flags;             /* PF_R | PF_W | PF_X, other bits cleared */
    uint16_t phdr_index;        /* its index in the program header table */
    /* Its first page is also the last page of the segment before it (no
     * byte is shared, only the page).  The loader must then map that page
     * once, with the union of both permissions.  elf_parse guarantees that
     * the earlier segment has no bss and both have the same p_vaddr -
     * p_offset, so this segment's file mapping of the page (file offset
     * ALIGN_DOWN(offset)) also holds the earlier segment's bytes. */
    bool     shares_page_with_prev;
};

/* The PT_TLS template: glibc copies FILESZ bytes from VADDR (inside a
 * loaded segment) into each thread's TLS block and zeroes up to MEMSZ. */
struct elf_tls {
    bool     present;
    vaddr_t  vaddr;
    uint32_t filesz;
    uint32_t memsz;
    uint32_t align;
};

struct elf_image {
    vaddr_t  entry;             /* e_entry: inside an executable segment */
    /* For the auxiliary vector: AT_PHDR, AT_PHENT, AT_PHNUM.  PHDR_VADDR is
     * where the program headers appear once loaded, or 0 if no loaded
     * segment contains them (then do not pass AT_PHDR). */
    vaddr_t  phdr_vaddr;
    uint32_t phoff;             /* e_phoff: where they are in the file */
    uint16_t phent;             /* e_phentsize, always sizeof(Elf32_Phdr) */
    uint16_t phnum;             /* e_phnum */
    /* The loadable segments, sorted by address, no two sharing a byte. */
    unsigned nsegs;
    struct elf_segment segs[ELF_MAX_SEGMENTS];
    vaddr_t  lowest;            /* first segment's start, rounded down to a page */
    vaddr_t  brk_start;         /* last segment's end, rounded up to a page */
    struct elf_tls tls;
    /* PT_GNU_STACK present without PF_X.  Without PT_GNU_STACK, Linux on
     * i386 assumes an old program that may execute its stack. */
    bool     stack_noexec;
    char     why_buf[ELF_WHY_MAX];  /* holds the text *WHY points to */
};

/*
 * Check that IMAGE (SIZE bytes) is a statically linked i386 ET_EXEC that
 * can be loaded below USER_LIMIT (a page-aligned address; the kernel
 * passes KERNEL_VBASE), and summarize it in *OUT.
 *
 * Returns 0, or on refusal a negative errno with *WHY (if WHY is not NULL)
 * set to a sentence for a human, stored in OUT->why_buf:
 *   -ENOEXEC  not an ELF file, or not one for us: 64-bit, big-endian, not
 *             i386, not an executable, dynamically linked
 *   -EINVAL   an ELF file whose numbers are absurd: ranges outside the file
 *             or user space, overflowing sums, overlapping segments, an
 *             entry point outside executable code
 *   -E2BIG    more than ELF_MAX_PHDRS headers or ELF_MAX_SEGMENTS segments
 * Reads only bytes inside [IMAGE, IMAGE + SIZE), whatever they contain.
 * IMAGE needs no particular alignment.
 */
int elf_parse(const void *image, size_t size, vaddr_t user_limit,
              struct elf_image *out, const char **why);

#endif
