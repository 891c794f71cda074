/*
 * mm/uaccess.c - copy_from_user/copy_to_user with an exception table.
 *
 * uaccess_copy is one `rep movsb` at label 1, registered in __ex_table
 * with its fixup at label 3.  A fault the handler cannot resolve during the
 * copy makes trap handling jump to 3, which sets the result to -EFAULT and
 * continues after the copy.  A resolvable fault (a page not yet touched in
 * a valid region) is handled and the `rep movsb` resumes where it stopped,
 * since the CPU keeps its progress in ECX/ESI/EDI.
 */
#include "mm/uaccess.h"
#include "lib/errno.h"

struct extable_entry {
    uint32_t insn, fixup;
};

extern const struct extable_entry __start_ex_table[], __stop_ex_table[];

static int uaccess_copy(void *dst, const void *src, size_t n)
{
    int err = 0;

    __asm__ volatile(
        "1: rep movsb\n"
        "2:\n"
        ".pushsection .fixup, \"ax\"\n"
        "3: movl %[efault], %[err]\n"
        "   jmp 2b\n"
        ".popsection\n"
        ".pushsection __ex_table, \"a\"\n"
        "   .long 1b, 3b\n"
        ".popsection\n"
        : [err] "+r"(err), "+D"(dst), "+S"(src), "+c"(n)
        : [efault] "i"(-EFAULT)
        : "memory");
    return err;
}

int copy_from_user(void *dst, const void *user_src, size_t n)
{
    if (!access_ok(user_src, n))
        return -EFAULT;
    return uaccess_copy(dst, user_src, n);
}

int copy_to_user(void *user_dst, const void *src, size_t n)
{
    if (!access_ok(user_dst, n))
        return -EFAULT;
    return uaccess_copy(user_dst, src, n);
}

uint32_t extable_fixup(uint32_t eip)
{
    for (const struct extable_entry *e = __start_ex_table; e < __stop_ex_table; e++)
        if (e->insn == eip)
            return e->fixup;
    return 0;
}
