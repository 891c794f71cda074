#!/usr/bin/env python3
"""tools/gdbtest.py - the gdb path must keep working: a test for it.

Starts QEMU paused with a gdb stub, drives gdb in batch mode with the
same start-up file `make debug` uses (tools/gdb/kernel.gdb), and checks
that gdb stops in kmain with source lines, follows a breakpoint into a
later function, prints a backtrace through kmain and reads a global.
Hardware breakpoints are used because the kernel's addresses do not
exist until the boot code turns paging on.
"""
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402


def main():
    port = qemu.free_port()
    cmd = qemu.qemu_command(kernel="build/kernel.elf", append="tests=lib testmode=1",
                            extra=["-S", "-gdb", "tcp:127.0.0.1:%d" % port])
    vm = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          stdin=subprocess.DEVNULL)
    time.sleep(0.5)
    gdb = ["gdb", "-nx", "-batch",
           "-ex", "set pagination off",
           "-ex", "set confirm off",
           "-ex", "file build/kernel.elf",
           "-ex", "target remote 127.0.0.1:%d" % port,
           "-x", "tools/gdb/kernel.gdb",
           "-ex", "hbreak kmain",
           "-ex", "continue",
           "-ex", "info line *$pc",
           "-ex", "hbreak ktest_run",
           "-ex", "continue",
           "-ex", "bt",
           "-ex", "print kernel_cmdline.count",
           "-ex", "print (char *)kernel_cmdline.value[1]",
           "-ex", "kill"]
    try:
        res = subprocess.run(gdb, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             timeout=120)
        out = res.stdout.decode(errors="replace")
    finally:
        vm.kill()
        vm.wait()
    print(out)
    checks = [
        (r"Breakpoint 1, kmain \(magic=732803074", "stopped in kmain with its arguments"),
        (r"Breakpoint 1, kmain .* at kernel/kmain\.c:\d+\n\d+\s+console_init\(\);",
         "stopped at kmain's first source line"),
        (r"Line \d+ of \"kernel/kmain\.c\"", "source line of kmain"),
        (r"Breakpoint 2, ktest_run \(filter=", "reached ktest_run"),
        (r"#\d+ .*monitor_main \(\) at kernel/kmain\.c", "backtrace goes through the monitor (pid 1)"),
        (r"\$1 = [1-9]", "read kernel_cmdline.count"),
        (r"\$2 = .* \"lib\"", "read the tests= value"),
    ]
    bad = [why for pattern, why in checks if not re.search(pattern, out)]
    for why in bad:
        print("gdbtest: FAIL: " + why)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
