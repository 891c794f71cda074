/*
 * kernel/monitor.c - the kernel monitor: a prompt, a line editor, and a
 * table of commands that the rest of the kernel fills.
 *
 * Commands live in the "monitor_cmds" linker section (MONITOR_CMD in
 * kernel/monitor.h), so this file knows none of them by name except
 * `help`.  A line is split into words like a shell would: spaces separate,
 * double quotes group.  script="a; b" on the command line runs the same
 * path non-interactively, echoing each command after a "# " prompt so a
 * log reads like a session.
 */
#include "kernel/monitor.h"
#include "kernel/console.h"
#include "lib/kprintf.h"
#include "lib/string.h"

#define LINE_MAX_BYTES 256
#define MAX_ARGS 16
#define HISTORY_LINES 16
#define PROMPT "mm> "

extern const struct monitor_cmd *__start_monitor_cmds[];
extern const struct monitor_cmd *__stop_monitor_cmds[];

static const struct monitor_cmd *monitor_find(const char *name)
{
    for (const struct monitor_cmd **c = __start_monitor_cmds; c < __stop_monitor_cmds; c++)
        if (strcmp((*c)->name, name) == 0)
            return *c;
    return NULL;
}

/* Split LINE (modified in place) into ARGV; returns argc or -1 when there
 * are too many words or a quote is left open. */
static int monitor_split(char *line, char **argv)
{
    int argc = 0;
    char *out = line;

    for (char *s = line; *s; ) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        if (argc == MAX_ARGS)
            return -1;
        argv[argc++] = out;
        bool quoted = false;
        for (; *s && (quoted || (*s != ' ' && *s != '\t')); s++) {
            if (*s == '"')
                quoted = !quoted;
            else
                *out++ = *s;
        }
        if (quoted)
            return -1;
        if (*s)
            s++;
        *out++ = '\0';
    }
    argv[argc] = NULL;
    return argc;
}

int monitor_exec(const char *text)
{
    char line[LINE_MAX_BYTES];
    char *argv[MAX_ARGS + 1];

    if (strlcpy(line, text, sizeof(line)) >= sizeof(line)) {
        cprintf("monitor: line too long (max %d bytes)\n", LINE_MAX_BYTES - 1);
        return 1;
    }
    int argc = monitor_split(line, argv);
    if (argc < 0) {
        cprintf("monitor: unbalanced quote or more than %d words\n", MAX_ARGS);
        return 1;
    }
    if (argc == 0)
        return 0;
    const struct monitor_cmd *cmd = monitor_find(argv[0]);
    if (!cmd) {
        cprintf("%s: command not found (try `help`)\n", argv[0]);
        return 127;
    }
    return cmd->fn(argc, argv);
}

void monitor_run_script(const char *script)
{
    char cmd[LINE_MAX_BYTES];

    while (*script) {
        const char *semi = strchr(script, ';');
        size_t n = semi ? (size_t)(semi - script) : strlen(script);
        if (n >= sizeof(cmd))
            n = sizeof(cmd) - 1;
        memcpy(cmd, script, n);
        cmd[n] = '\0';
        const char *start = cmd;
        while (*start == ' ')
            start++;
        if (*start) {
            cprintf("%s%s\n", PROMPT, start);
            int status = monitor_exec(start);
            if (status)
                cprintf("[script: `%s` returned %d]\n", start, status);
        }
        script += n + (semi ? 1 : 0);
    }
}

static int cmd_help(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cprintf("Commands:\n");
    for (const struct monitor_cmd **c = __start_monitor_cmds; c < __stop_monitor_cmds; c++)
        cprintf("  %-28s %s\n", (*c)->usage, (*c)->help);
    return 0;
}
MONITOR_CMD(help, "help", "list the commands", cmd_help);

/* --- the line editor ------------------------------------------------------- */

static char history[HISTORY_LINES][LINE_MAX_BYTES];
static int history_count;               /* lines ever entered */

static void editor_replace(char *buf, size_t *len, const char *with)
{
    while (*len) {                      /* erase what is shown */
        console_write("\b \b", 3);
        (*len)--;
    }
    *len = strlcpy(buf, with, LINE_MAX_BYTES);
    console_write(buf, *len);
}

/* Handle ESC [ A / ESC [ B (arrow up/down): walk the history. */
static void editor_escape(char *buf, size_t *len, int *browse)
{
    if (console_getc() != '[')
        return;
    int dir = console_getc();
    int oldest = history_count > HISTORY_LINES ? history_count - HISTORY_LINES : 0;

    if (dir == 'A' && *browse > oldest)
        (*browse)--;
    else if (dir == 'B' && *browse < history_count)
        (*browse)++;
    else
        return;
    editor_replace(buf, len, *browse == history_count ? ""
                   : history[*browse % HISTORY_LINES]);
}

/* Read one line with backspace and history; returns its length. */
static size_t monitor_readline(char *buf)
{
    size_t len = 0;
    int browse = history_count;

    for (;;) {
        int c = console_getc();
        if (c == '\r' || c == '\n') {
            console_putc('\n');
            buf[len] = '\0';
            return len;
        } else if (c == '\b' || c == 127) {
            if (len) {
                len--;
                console_write("\b \b", 3);
            }
        } else if (c == 27) {
            editor_escape(buf, &len, &browse);
        } else if (c == 3) {            /* Ctrl-C: abandon the line */
            console_write("^C\n", 3);
            len = 0;
            buf[0] = '\0';
            return 0;
        } else if (c >= ' ' && len + 1 < LINE_MAX_BYTES) {
            buf[len++] = (char)c;
            console_putc((char)c);
        }
    }
}

NORETURN void monitor_loop(void)
{
    char line[LINE_MAX_BYTES];

    cprintf("Type `help` for the list of commands.\n");
    for (;;) {
        cprintf(PROMPT);
        if (monitor_readline(line) == 0)
            continue;
        strlcpy(history[history_count % HISTORY_LINES], line, LINE_MAX_BYTES);
        history_count++;
        monitor_exec(line);
    }
}
