#!/usr/bin/env python3
"""tools/run-user-host.py - run the user programs on this Linux host.

    python3 tools/run-user-host.py [DIR]        (DIR defaults to build/user)

The programs in user/ are ordinary static i386 Linux executables, and an
x86-64 Linux runs them directly.  Their behaviour here is the reference the
teaching kernel is compared to, so this script runs each one with the
arguments user/README.md documents and checks its output and its exit
status (or the signal that killed it).

Prints `ok NAME` or `FAIL NAME: why` per run, then `N passed, N failed`,
and exits 1 if anything failed.  If the host cannot execute i386 binaries
(running DIR/hello fails with an exec error), prints a SKIP line and
exits 0: that is a missing host feature, not a bug in the programs.
"""
import os
import re
import resource
import signal
import subprocess
import sys

TIMEOUT_S = 60
THP_FILE = "/sys/kernel/mm/transparent_hugepage/enabled"


def thp_always():
    """True if Linux may back plain anonymous memory with 2 MiB pages.

    Then one fault maps 512 pages and fault counts say little about RES."""
    try:
        with open(THP_FILE) as f:
            return "[always]" in f.read()
    except OSError:
        return False


def no_core_dumps():
    """In the child before exec: crash's SIGSEGV must not leave a core."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run(directory, argv):
    """Run DIR/argv[0] with argv[1:]; return (returncode, stdout text).

    returncode is negative (-SIGNAL) if a signal killed the program."""
    path = os.path.join(directory, argv[0])
    proc = subprocess.run([path] + argv[1:], stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=TIMEOUT_S, preexec_fn=no_core_dumps)
    return proc.returncode, proc.stdout.decode("utf-8", "replace")


# --- what each program must print ------------------------------------------
# Each checker takes (returncode, output) and returns None if the run is
# right, or a short reason.

def exact(expected, status=0):
    def check(rc, out):
        if rc != status:
            return f"exit status {rc}, expected {status}"
        if out != expected:
            return f"output {out!r}, expected {expected!r}"
        return None
    return check


def number(pattern, out):
    """The integer captured by PATTERN's first group in OUT, or None."""
    m = re.search(pattern, out, re.M)
    return int(m.group(1)) if m else None


def check_touch(mib):
    def check(rc, out):
        if rc != 0:
            return f"exit status {rc}"
        pages = mib * 256
        faults = number(r"^touch: \+(\d+) minor faults for %d pages" % pages, out)
        peak = number(r"^touch: after: +maxrss (\d+) KiB", out)
        if faults is None or peak is None:
            return f"missing lines in {out!r}"
        # Linux keeps RSS in per-CPU counters: allow 1 MiB of slack.
        if peak < mib * 1024 - 1024:
            return f"peak RES {peak} KiB after touching {mib} MiB"
        if not thp_always() and faults < pages:
            return f"{faults} minor faults for {pages} pages"
        return None
    return check


def check_sparse(rc, out):
    if rc != 0:
        return f"exit status {rc}"
    for line in ("sparse: mmap reserved 1048576 KiB (VIRT)",
                 "sparse: touched 1024 KiB (256 pages)",
                 "sparse: VIRT reserved 1048576 KiB, RES touched 1024 KiB",
                 "sparse: sleeping 1 s: compare VIRT and RES in top",
                 "sparse: munmap returned the 1 GiB region"):
        if line not in out.splitlines():
            return f"missing line {line!r}"
    faults = number(r"^sparse: \+(\d+) minor faults", out)
    peak = number(r"is (\d+) KiB\)$", out)
    if faults is None or peak is None:
        return f"missing fault line in {out!r}"
    if not thp_always() and faults < 256:
        return f"only {faults} minor faults for 256 pages"
    if peak > 256 * 1024:	# 1 GiB reserved, far less resident
        return f"peak RES {peak} KiB: the untouched pages cost memory"
    return None


def check_forker(n):
    def check(rc, out):
        last = f"forker: {n} children, {n} ok, 0 failed"
        if rc != 0:
            return f"exit status {rc}"
        if "FAIL" in out or out.splitlines()[-1:] != [last]:
            return f"output {out!r}"
        if "forker: parent's buffer unchanged by the children" not in out:
            return "parent's buffer line missing"
        return None
    return check


def check_crash(rc, out):
    if rc != -signal.SIGSEGV:
        return f"status {rc}, expected death by SIGSEGV ({-signal.SIGSEGV})"
    if out != "crash: reading through a NULL pointer\n":
        return f"output {out!r}"
    return None


def check_usertests(rc, out):
    lines = out.splitlines()
    failed = [l for l in lines if l.startswith("FAIL")]
    if failed:
        return "; ".join(failed)
    oks = sum(1 for l in lines if l.startswith("ok "))
    if not lines or lines[-1] != f"{oks} passed, 0 failed":
        return f"last line {lines[-1:]!r}, {oks} ok lines"
    if rc != 0:
        return f"exit status {rc}"
    return None


def check_sysfuzz(iterations):
    def check(rc, out):
        if rc != 0:
            return f"exit status {rc}, output {out[-200:]!r}"
        if out.splitlines()[-1:] != [f"sysfuzz: {iterations} calls, survived"]:
            return f"output {out[-200:]!r}"
        return None
    return check


SQUARES = ("squares: 100 ints (400 bytes) on the heap\n"
           "squares[0] = 0\nsquares[9] = 81\nsquares[99] = 9801\n"
           "sum = 328350\n")
LEAK_1000 = ("leak: allocating 1000 blocks of 1024 bytes, freeing none\n"
             "leak: done, 1000 blocks (1000 KiB) allocated, none freed\n")

# (argv, checker): the documented runs, cheap enough for every test run.
# leak gets 1000 blocks, not a million: a million would take 1 GiB here.
RUNS = [
    (["hello"], exact("hello, world\n")),
    (["true"], exact("")),
    (["squares"], exact(SQUARES)),
    (["leak", "1000"], exact(LEAK_1000)),
    (["touch", "32"], check_touch(32)),
    (["sparse", "1"], check_sparse),
    (["forker"], check_forker(4)),
    (["forker", "64"], check_forker(64)),
    (["crash"], check_crash),
    (["usertests"], check_usertests),
    (["sysfuzz"], check_sysfuzz(10000)),
    (["sysfuzz", "10000", "2"], check_sysfuzz(10000)),
    (["sysfuzz", "10000", "3"], check_sysfuzz(10000)),
]


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else "build/user"
    try:
        run(directory, ["hello"])
    except OSError as e:
        print(f"SKIP user-host-test: this host cannot run {directory}/hello "
              f"({e.strerror}); the programs need an i386-capable Linux")
        return 0

    passed = failed = 0
    for argv, check in RUNS:
        name = " ".join(argv)
        try:
            why = check(*run(directory, argv))
        except subprocess.TimeoutExpired:
            why = f"still running after {TIMEOUT_S} s"
        except OSError as e:
            why = f"cannot run: {e.strerror}"
        if why is None:
            print(f"ok {name}")
            passed += 1
        else:
            print(f"FAIL {name}: {why}")
            failed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
