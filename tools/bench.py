#!/usr/bin/env python3
"""tools/bench.py - `make bench`: boot under -icount and print the counts.

QEMU's `-icount shift=0,sleep=off` makes the guest's time-stamp counter
count guest instructions, so the kernel's `bench` command (kernel/bench.c)
and the user program `bench` (user/bench.c) measure exact, repeatable
instruction counts.  The kernel is booted twice without a disk to show the
numbers are identical run to run.  A third boot attaches the swap disk for
the swap and raw-disk throughput (these vary a little: QEMU completes disk
I/O on host threads) and prints vmsim's fault counts of every replacement
policy against OPT on the shipped reference strings.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402

MEM = os.environ.get("BENCH_MEM", "512M")
ICOUNT = ["-icount", "shift=0,sleep=off", "-initrd", "build/user/progs.tar"]
SWAP_DISK = ["-drive", "file=build/swap.img,format=raw,if=ide,index=1,snapshot=on"]


def boot(script, extra):
    cmd = qemu.qemu_command(kernel="build/kernel.elf", mem=MEM,
                            append='tests=none loglevel=1 script="%s; poweroff 0"' % script,
                            extra=ICOUNT + extra)
    status, text = qemu.boot(cmd, timeout=300)
    if status != qemu.exit_status(0):
        sys.exit("bench: the kernel did not finish (status %s):\n%s" % (status, text[-2000:]))
    return text


def counts(text):
    return re.findall(r"^bench: (.+?) +(\d+) (instructions(?:/op)?)$", text, re.M)


def main():
    first = counts(boot("bench; run bench", []))
    second = counts(boot("bench; run bench", []))
    if not first:
        sys.exit("bench: no results")
    disk = boot("bench; vmsim 40 @loop; vmsim 20 @zipf; vmsim 30 @scanmix", SWAP_DISK)
    global MEM
    saved, MEM = MEM, "32M"
    oom = boot("run bench pressure 48; run leak; dmesg", SWAP_DISK)
    MEM = saved
    print("guest instructions under -icount shift=0, -m %s" % MEM)
    print("| benchmark | instructions |")
    print("|---|---:|")
    for name, value, unit in first:
        per = " per op" if unit.endswith("/op") else ""
        print("| %s | %s%s |" % (name, "{:,}".format(int(value)), per))
    print("\nswap and disk (64 pages; guest time at 1 instruction = 1 ns)")
    print("| benchmark | pages per million instructions | pages per second |")
    print("|---|---:|---:|")
    for name, per_m, per_s in re.findall(r"^bench: (.+?) +([\d.]+) pages/Minstr +(\d+) pages/s$",
                                         disk, re.M):
        print("| %s | %s | %s |" % (name, per_m, per_s))
    for name, per_m, per_s in re.findall(r"^bench: (.+?) +([\d.]+) pages/Minstr +(\d+) pages/s$",
                                         oom, re.M):
        print("| %s (32 MiB RAM, 48 MiB touched) | %s | %s |" % (name, per_m, per_s))
    for n in re.findall(r"oom: victim's memory free (\d+) instructions", oom):
        print("| OOM: allocation failure to the victim's memory free (leak, 32 MiB + swap) | "
              "%s instructions | %.3f ms |" % ("{:,}".format(int(n)), int(n) / 1e6))
    for title, table in re.findall(r"^mm> (vmsim \d+ @\w+)\n((?:.*\n)+?)(?=mm> )", disk, re.M):
        print("\n%s (page faults; OPT is Belady's optimum)\n%s" % (title, table.rstrip()))
    same = first == second
    print("\ndeterministic (two boots, identical counts): %s" % ("yes" if same else "NO"))
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
