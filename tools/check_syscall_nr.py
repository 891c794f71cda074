#!/usr/bin/env python3
"""tools/check_syscall_nr.py - kernel/syscall_nr.h must agree with Linux.

Every __NR_name the kernel defines is compared with the cross toolchain's
<asm/unistd_32.h> (package linux-libc-dev-i386-cross, which
gcc-i686-linux-gnu pulls in).  A wrong number would send a program's call
to the wrong handler, so this runs in `make test`.
"""
import re
import sys

HEADER = "/usr/i686-linux-gnu/include/asm/unistd_32.h"
DEFINE = re.compile(r"^#define\s+(__NR_\w+)\s+(\d+)", re.M)


def main():
    ours = dict(DEFINE.findall(open("kernel/syscall_nr.h").read()))
    try:
        linux = dict(DEFINE.findall(open(HEADER).read()))
    except OSError as e:
        sys.exit("check_syscall_nr: cannot read %s: %s" % (HEADER, e))
    bad = ["%s is %s here but %s in Linux" % (n, v, linux.get(n, "missing"))
           for n, v in sorted(ours.items()) if linux.get(n) != v]
    for line in bad:
        print("check_syscall_nr: " + line)
    print("check_syscall_nr: %d numbers checked, %d wrong" % (len(ours), len(bad)))
    sys.exit(1 if bad or not ours else 0)


if __name__ == "__main__":
    main()
