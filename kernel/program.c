/*
 * kernel/program.c - finding programs in the multiboot modules, and their
 * page cache.
 *
 *   qemu -initrd "build/user/hello,build/user/progs.tar"
 *   grub: module /boot/hello hello
 *
 * The first gives two modules with command lines "build/user/hello" and
 * "build/user/progs.tar": one program called hello, and one program per
 * file of the archive.  The second gives one called hello.
 *
 * The page cache: the first process to fault on a read-only page of a
 * program copies that page of the image into a fresh frame; the cache
 * keeps a reference to it, and every later process maps the same frame.
 * Ten processes running `hello` share one copy of its text.
 */
#include "kernel/program.h"
#include "kernel/multiboot.h"
#include "kernel/monitor.h"
#include "kernel/layout.h"
#include "mm/page.h"
#include "mm/kmalloc.h"
#include "mm/reclaim.h"
#include "mm/rmap.h"
#include "lib/tar.h"
#include "lib/kprintf.h"
#include "lib/string.h"

static struct program programs[MAX_PROGRAMS];
static unsigned nr_programs;

/* The basename of the first word of CMDLINE into NAME. */
static void program_name_from(const char *cmdline, char *name, size_t size)
{
    const char *start = cmdline, *end;

    for (const char *p = cmdline; *p && *p != ' '; p++)
        if (*p == '/')
            start = p + 1;
    end = start;
    while (*end && *end != ' ')
        end++;
    size_t len = MIN((size_t)(end - start), size - 1);
    memcpy(name, start, len);
    name[len] = '\0';
}

static void program_add(const char *name, const void *data, size_t size)
{
    if (nr_programs == MAX_PROGRAMS) {
        kprintf(KERN_WARNING "programs: more than %d; %s ignored\n", MAX_PROGRAMS, name);
        return;
    }
    if (!name[0] || program_find(name)) {
        kprintf(KERN_WARNING "programs: %s '%s' ignored\n", name[0] ? "duplicate" : "unnamed", name);
        return;
    }
    struct program *p = &programs[nr_programs++];
    strlcpy(p->name, name, sizeof(p->name));
    p->data = data;
    p->size = size;
}

static void program_add_archive(const char *archive_name, const void *data, size_t size)
{
    struct tar_entry e;
    const char *why;
    size_t offset = 0;
    int r;

    while ((r = tar_next(data, size, &offset, &e, &why)) > 0) {
        char name[PROGRAM_NAME_MAX];
        program_name_from(e.name, name, sizeof(name));
        program_add(name, e.data, e.size);
    }
    if (r < 0)
        kprintf(KERN_ERR "programs: archive %s: %s; the rest of it is ignored\n",
                archive_name, why);
}

void programs_init(void)
{
    if (!(boot_info->flags & MB_INFO_MODS))
        return;
    const struct multiboot_module *mods = phys_to_virt(boot_info->mods_addr);
    for (uint32_t i = 0; i < boot_info->mods_count; i++) {
        char name[PROGRAM_NAME_MAX];
        const void *data = phys_to_virt(mods[i].mod_start);
        size_t size = mods[i].mod_end - mods[i].mod_start;
        program_name_from(mods[i].cmdline ? phys_to_virt(mods[i].cmdline) : "", name, sizeof(name));
        if (tar_looks_like_ustar(data, size))
            program_add_archive(name, data, size);
        else
            program_add(name, data, size);
    }
    kprintf(KERN_INFO "programs: %u from %u boot module%s\n", nr_programs,
            boot_info->mods_count, boot_info->mods_count == 1 ? "" : "s");
}

struct program *program_find(const char *name)
{
    for (unsigned i = 0; i < nr_programs; i++)
        if (strcmp(programs[i].name, name) == 0)
            return &programs[i];
    return NULL;
}

struct page *program_get_page(struct program *prog, size_t index, size_t limit)
{
    size_t npages = (prog->size + PAGE_SIZE - 1) / PAGE_SIZE;

    if (index >= npages)
        return NULL;
    if (!prog->cache && !(prog->cache = kzalloc(npages * sizeof(*prog->cache))))
        return NULL;
    if (!prog->cache[index]) {
        struct page *page = alloc_user_page();
        if (!page)
            return NULL;
        user_page_init(page, OWNER_PAGECACHE);
        uint8_t *dst = page_address(page);
        size_t off = index * PAGE_SIZE, end = MIN(limit, prog->size);
        size_t n = off < end ? MIN((size_t)PAGE_SIZE, end - off) : 0;
        memcpy(dst, prog->data + off, n);
        memset(dst + n, 0, PAGE_SIZE - n);
        page->mapping = prog;
        page->index = (uint32_t)index;
        prog->cache[index] = page;      /* the cache's own reference */
        prog->cache_pages++;
        reclaim_track(page);            /* clean: reclaim may drop it */
    }
    get_page(prog->cache[index]);
    return prog->cache[index];
}

unsigned long programs_cached_pages(void)
{
    unsigned long n = 0;

    for (unsigned i = 0; i < nr_programs; i++)
        n += programs[i].cache_pages;
    return n;
}

void program_drop_page(struct program *prog, size_t index)
{
    struct page *page = prog->cache[index];

    prog->cache[index] = NULL;
    prog->cache_pages--;
    page->mapping = NULL;
    page->index = 0;
    put_page(page);                     /* the cache's reference: the last */
}

static int cmd_ls(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (!nr_programs)
        cprintf("no programs: boot with modules (qemu -initrd, grub module)\n");
    for (unsigned i = 0; i < nr_programs; i++)
        cprintf("%-20s %8zu bytes  %4u pages cached\n", programs[i].name,
                programs[i].size, programs[i].cache_pages);
    return 0;
}
MONITOR_CMD(ls, "ls", "list the programs (boot modules)", cmd_ls);
