/*
 * kernel/sysctl.c - `sysctl`: read and set the kernel's tunables.
 *
 *   sysctl                       every variable (as `sysctl -a`)
 *   sysctl vm.overcommit_memory  one variable
 *   sysctl vm.overcommit_memory=2   set it (range-checked)
 *
 * The output format is Linux's: "vm.overcommit_memory = 2".  Variables
 * also take their boot value from the kernel command line under the same
 * name (vm.overcommit_memory=2 on the command line), applied by
 * sysctl_apply_cmdline at boot.
 */
#include "kernel/sysctl.h"
#include "kernel/cmdline.h"
#include "kernel/monitor.h"
#include "lib/errno.h"
#include "lib/kprintf.h"
#include "lib/string.h"

extern const struct sysctl_entry *__start_sysctl_table[];
extern const struct sysctl_entry *__stop_sysctl_table[];

static const struct sysctl_entry *sysctl_find(const char *name)
{
    for (const struct sysctl_entry **e = __start_sysctl_table; e < __stop_sysctl_table; e++)
        if (strcmp((*e)->name, name) == 0)
            return *e;
    return NULL;
}

static void sysctl_show(const struct sysctl_entry *e)
{
    if (e->show)
        cprintf("%s = %s\n", e->name, e->show(*e->value));
    else
        cprintf("%s = %ld\n", e->name, *e->value);
}

int sysctl_set(const char *name, const char *text)
{
    const struct sysctl_entry *e = sysctl_find(name);
    long long v;
    long parsed;

    if (!e)
        return -ENOENT;
    if (e->parse) {
        if (e->parse(text, &parsed) < 0)
            return -EINVAL;
        v = parsed;
    } else if (!parse_int(text, &v)) {
        return -EINVAL;
    }
    if (v < e->min || v > e->max)
        return -EINVAL;
    *e->value = (long)v;
    return 0;
}

/* NAME=VALUE words of the kernel command line whose name is a sysctl. */
void sysctl_apply_cmdline(void)
{
    for (int i = 0; i < kernel_cmdline.count; i++) {
        if (!sysctl_find(kernel_cmdline.key[i]))
            continue;
        if (sysctl_set(kernel_cmdline.key[i], kernel_cmdline.value[i]) < 0)
            kprintf(KERN_ERR "sysctl: %s=%s: invalid value, ignored\n",
                    kernel_cmdline.key[i], kernel_cmdline.value[i]);
    }
}

static int cmd_sysctl(int argc, char **argv)
{
    if (argc == 1 || (argc == 2 && strcmp(argv[1], "-a") == 0)) {
        for (const struct sysctl_entry **e = __start_sysctl_table; e < __stop_sysctl_table; e++)
            sysctl_show(*e);
        return 0;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (eq)
            *eq = '\0';
        const struct sysctl_entry *e = sysctl_find(argv[i]);
        if (!e) {
            cprintf("sysctl: cannot stat %s: No such file or directory\n", argv[i]);
            status = 1;
            continue;
        }
        if (eq && sysctl_set(argv[i], eq + 1) < 0) {
            cprintf("sysctl: setting key \"%s\": Invalid argument (range %ld..%ld)\n",
                    argv[i], e->min, e->max);
            status = 1;
            continue;
        }
        sysctl_show(e);
    }
    return status;
}
MONITOR_CMD(sysctl, "sysctl [NAME[=VALUE]...]", "show or set kernel tunables (vm.*)", cmd_sysctl);
