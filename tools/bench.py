#!/usr/bin/env python3
"""tools/bench.py - `make bench`: boot under -icount and print the counts.

QEMU's `-icount shift=0,sleep=off` makes the guest's time-stamp counter
count guest instructions, so the kernel's `bench` command measures exact,
repeatable instruction counts.  The kernel is booted twice to show the
numbers are identical run to run; they are printed as a table for the
README.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402

MEM = os.environ.get("BENCH_MEM", "512M")


def run_once():
    cmd = qemu.qemu_command(kernel="build/kernel.elf", mem=MEM,
                            append='tests=none loglevel=1 script="bench; run bench; poweroff 0"',
                            extra=["-icount", "shift=0,sleep=off",
                                   "-initrd", "build/user/progs.tar"])
    status, text = qemu.boot(cmd, timeout=300)
    if status != qemu.exit_status(0):
        sys.exit("bench: the kernel did not finish (status %s):\n%s" % (status, text[-2000:]))
    return re.findall(r"^bench: (.+?) +(\d+) (instructions(?:/op)?)$", text, re.M)


def main():
    first = run_once()
    second = run_once()
    if not first:
        sys.exit("bench: no results")
    print("guest instructions under -icount shift=0, -m %s" % MEM)
    print("| benchmark | instructions |")
    print("|---|---:|")
    for name, value, unit in first:
        per = " per op" if unit.endswith("/op") else ""
        print("| %s | %s%s |" % (name, "{:,}".format(int(value)), per))
    same = first == second
    print("deterministic (two boots, identical counts): %s" % ("yes" if same else "NO"))
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
