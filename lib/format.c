/*
 * lib/format.c - kvsnprintf, the formatting engine behind kprintf.
 *
 * Pure code: it writes only into the caller's buffer.  That is what lets the
 * host tests compile this very file natively and compare it, conversion by
 * conversion, with the C library's snprintf (tests/host/test_format.c).
 *
 * The formatter walks FMT once.  Each conversion is parsed into a struct
 * spec (flags, width, precision, length), its digits are produced into a
 * small scratch buffer, and emit_field pads them to the width.
 */
#include "lib/kprintf.h"

struct out {
    char *buf;
    size_t size;    /* capacity of BUF including the NUL */
    size_t len;     /* characters produced so far, even past SIZE */
};

struct spec {
    bool left;      /* '-': pad on the right */
    bool zero;      /* '0': pad numbers with zeros */
    int width;
    int precision;  /* -1: none */
    int longs;      /* number of 'l' modifiers (z counts as one) */
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_n(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

/* Emit TEXT (LEN chars) padded to the spec's width.  SIGN, if any, goes
 * before zero padding ("-0042") but after space padding ("  -42"). */
static void emit_field(struct out *o, const struct spec *s, char sign,
                       const char *text, int len)
{
    int body = len + (sign ? 1 : 0);
    int pad = s->width > body ? s->width - body : 0;

    if (!s->left && !s->zero)
        put_n(o, ' ', pad);
    if (sign)
        put(o, sign);
    if (!s->left && s->zero)
        put_n(o, '0', pad);
    for (int i = 0; i < len; i++)
        put(o, text[i]);
    if (s->left)
        put_n(o, ' ', pad);
}

/* Write V in BASE into the end of TMP; returns the first digit. */
static char *utoa(unsigned long long v, unsigned base, bool upper, char *end)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;

    do {
        *--p = digits[v % base];
        v /= base;
    } while (v);
    return p;
}

static void emit_number(struct out *o, const struct spec *s, char conv,
                        va_list *ap)
{
    char tmp[24];
    char *end = tmp + sizeof(tmp);
    unsigned long long v;
    char sign = 0;

    if (conv == 'd' || conv == 'i') {
        long long sv;
        if (s->longs >= 2)
            sv = va_arg(*ap, long long);
        else if (s->longs == 1)
            sv = va_arg(*ap, long);
        else
            sv = va_arg(*ap, int);
        if (sv < 0) {
            sign = '-';
            v = 0ULL - (unsigned long long)sv;
        } else {
            v = (unsigned long long)sv;
        }
    } else if (s->longs >= 2) {
        v = va_arg(*ap, unsigned long long);
    } else if (s->longs == 1) {
        v = va_arg(*ap, unsigned long);
    } else {
        v = va_arg(*ap, unsigned int);
    }

    unsigned base = (conv == 'x' || conv == 'X') ? 16 : conv == 'o' ? 8 : 10;
    char *p = utoa(v, base, conv == 'X', end);
    emit_field(o, s, sign, p, (int)(end - p));
}

static void emit_pointer(struct out *o, const struct spec *s, void *ptr)
{
    char tmp[2 + 2 * sizeof(void *)];
    char *end = tmp + sizeof(tmp);
    char *p = utoa((uintptr_t)ptr, 16, false, end);

    /* Always 8 digits on i386 and "0x" in front, so addresses line up. */
    while (end - p < (int)(2 * sizeof(void *)))
        *--p = '0';
    *--p = 'x';
    *--p = '0';
    struct spec plain = *s;
    plain.zero = false;
    emit_field(o, &plain, 0, p, (int)(end - p));
}

static void emit_string(struct out *o, const struct spec *s, const char *str)
{
    int len = 0;

    if (!str)
        str = "(null)";
    while (str[len] && (s->precision < 0 || len < s->precision))
        len++;
    struct spec plain = *s;
    plain.zero = false;
    emit_field(o, &plain, 0, str, len);
}

/* Parse flags, width, precision and length after a '%'.  Returns the
 * conversion character and advances *FMT past it. */
static char parse_spec(const char **fmt, struct spec *s, va_list *ap)
{
    const char *f = *fmt;

    *s = (struct spec){ .precision = -1 };
    for (;; f++) {
        if (*f == '-')
            s->left = true;
        else if (*f == '0')
            s->zero = true;
        else
            break;
    }
    if (*f == '*') {
        s->width = va_arg(*ap, int);
        if (s->width < 0) {
            s->left = true;
            s->width = -s->width;
        }
        f++;
    }
    while (*f >= '0' && *f <= '9')
        s->width = s->width * 10 + (*f++ - '0');
    if (*f == '.') {
        f++;
        s->precision = 0;
        while (*f >= '0' && *f <= '9')
            s->precision = s->precision * 10 + (*f++ - '0');
    }
    for (; *f == 'l' || *f == 'z'; f++)
        s->longs++;
    if (s->left)
        s->zero = false;
    *fmt = *f ? f + 1 : f;
    return *f;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    va_list args;

    va_copy(args, ap);
    while (*fmt) {
        if (*fmt != '%') {
            put(&o, *fmt++);
            continue;
        }
        fmt++;
        struct spec s;
        char conv = parse_spec(&fmt, &s, &args);
        switch (conv) {
        case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
            emit_number(&o, &s, conv, &args);
            break;
        case 'c': {
            char c = (char)va_arg(args, int);
            struct spec plain = s;
            plain.zero = false;
            emit_field(&o, &plain, 0, &c, 1);
            break;
        }
        case 's':
            emit_string(&o, &s, va_arg(args, const char *));
            break;
        case 'p':
            emit_pointer(&o, &s, va_arg(args, void *));
            break;
        case '%':
            put(&o, '%');
            break;
        case '\0':
            break;
        default:        /* unknown: print it as written, to be noticed */
            put(&o, '%');
            put(&o, conv);
            break;
        }
    }
    va_end(args);
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int refuse_with(char *buf, size_t size, const char **why, int err, const char *fmt, va_list ap)
{
    kvsnprintf(buf, size, fmt, ap);
    if (why)
        *why = buf;
    return err;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
