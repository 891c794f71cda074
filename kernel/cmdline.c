/*
 * kernel/cmdline.c - splitting the command line into key=value words.
 *
 * One pass over the raw text, copying characters into c->text: a space
 * outside quotes ends a word, '=' (the first in a word) ends its key,
 * a '"' toggles quoting and is not copied.  Keys and values are pointers
 * into c->text, each NUL-terminated.
 */
#include "kernel/cmdline.h"
#include "lib/errno.h"
#include "lib/string.h"

struct cmdline kernel_cmdline;

struct parser {
    struct cmdline *c;
    size_t len;         /* bytes used in c->text */
    bool in_word, in_value;
};

static bool parser_put(struct parser *p, char ch)
{
    if (p->len + 1 >= CMDLINE_MAX_BYTES)
        return false;
    p->c->text[p->len++] = ch;
    return true;
}

/* Start a new word at the current position. */
static bool parser_begin_word(struct parser *p)
{
    if (p->c->count >= CMDLINE_MAX_WORDS)
        return false;
    p->c->key[p->c->count] = p->c->text + p->len;
    p->c->value[p->c->count] = "";
    p->in_word = true;
    p->in_value = false;
    return true;
}

/* Finish the current word: terminate it and count it. */
static bool parser_end_word(struct parser *p)
{
    if (!p->in_word)
        return true;
    if (!parser_put(p, '\0'))
        return false;
    p->c->count++;
    p->in_word = false;
    return true;
}

int cmdline_parse(struct cmdline *c, const char *raw)
{
    struct parser p = { c, 0, false, false };
    bool quoted = false;

    memset(c, 0, sizeof(*c));
    for (const char *s = raw ? raw : ""; *s; s++) {
        if (*s == '"') {
            quoted = !quoted;
            if (!p.in_word && !parser_begin_word(&p))
                return -E2BIG;
            continue;
        }
        if ((*s == ' ' || *s == '\t' || *s == '\n') && !quoted) {
            if (!parser_end_word(&p))
                return -E2BIG;
            continue;
        }
        if (!p.in_word && !parser_begin_word(&p))
            return -E2BIG;
        if (*s == '=' && !p.in_value && !quoted) {
            if (!parser_put(&p, '\0'))
                return -E2BIG;
            c->value[c->count] = c->text + p.len;
            p.in_value = true;
            continue;
        }
        if (!parser_put(&p, *s))
            return -E2BIG;
    }
    if (!parser_end_word(&p))
        return -E2BIG;
    return quoted ? -EINVAL : 0;
}

const char *cmdline_get(const struct cmdline *c, const char *key)
{
    for (int i = c->count - 1; i >= 0; i--)
        if (strcmp(c->key[i], key) == 0)
            return c->value[i];
    return NULL;
}
