/*
 * kernel/monitor.h - the kernel monitor's command table.
 *
 * A command is one entry dropped into the "monitor_cmds" linker section by
 * MONITOR_CMD, in the file of the subsystem it shows, so adding a command
 * is one line next to the code it exercises:
 *
 *   static int cmd_buddyinfo(int argc, char **argv) { ...; return 0; }
 *   MONITOR_CMD(buddyinfo, "buddyinfo", "free blocks per order", cmd_buddyinfo);
 *
 * A command prints with cprintf (console only, not the kernel log) and
 * returns 0 on success or a nonzero status; `script=` stops reporting on
 * the first failing command.
 */
#ifndef KERNEL_MONITOR_H
#define KERNEL_MONITOR_H

#include "lib/types.h"

struct monitor_cmd {
    const char *name;
    const char *usage;
    const char *help;
    int (*fn)(int argc, char **argv);
};

#define MONITOR_CMD(cname, cusage, chelp, cfn) \
    static const struct monitor_cmd monitor_cmd_##cname = { \
        #cname, cusage, chelp, cfn }; \
    static const struct monitor_cmd *monitor_ptr_##cname \
        __attribute__((used, section("monitor_cmds"))) = &monitor_cmd_##cname

/* Run one command line (split into words, quotes respected). */
int monitor_exec(const char *line);
/* Run a ';'-separated list of commands, as given by script="..." */
void monitor_run_script(const char *script);
/* The interactive loop: never returns. */
NORETURN void monitor_loop(void);

#endif
