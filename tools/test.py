#!/usr/bin/env python3
"""tools/test.py - everything `make test` runs, and its one-line verdict.

Stages:
  1. host unit tests: build/host/hosttests (ASan + UBSan), KTAP parsed
  2. boot scenarios: every tests/scenarios/*.test, two QEMUs at a time;
     those marked `ktap: yes` contribute each in-kernel test case
  3. the gdb test (tools/gdbtest.py): gdb in batch mode against QEMU

The last line is `N passed, M failed`, counting every test case and every
scenario check; the exit status is 1 if anything failed.  Logs of every
run are kept in build/test-logs/.

Scenario file format (one per file, `#` comments):
  boot:    kernel | iso           (default kernel)
  mem:     128M                   (QEMU -m)
  append:  kernel command line    (kernel boots only)
  qemu:    extra QEMU arguments
  send:    a monitor command, sent at the next prompt (repeatable)
  exit:    expected QEMU exit status (kernel writes V: status 2V+1)
  expect:  a regular expression that must match the output (repeatable)
  reject:  a regular expression that must not match (repeatable)
  ktap:    yes                    (parse and count the KTAP results)
  check:   a function of tools/checks.py run on the output (repeatable)
  timeout: seconds                (default 60)
  prepare: a shell command run first (e.g. build a program)
  iso:     the ISO to boot instead of build/kernel.iso
  screendump: PATH REGEX          QEMU monitor `screendump PATH` (a PPM of the
                                  VGA screen) once the output matches REGEX
"""
import concurrent.futures
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import checks  # noqa: E402
import ktap  # noqa: E402
import qemu  # noqa: E402

LOGS = "build/test-logs"


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.messages = []

    def add(self, passed, failed, message=None):
        self.passed += passed
        self.failed += failed
        if message:
            self.messages.append(message)


def run_host_tests(tally):
    log = os.path.join(LOGS, "host.log")
    res = subprocess.run(["build/host/hosttests", "all"], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, timeout=300)
    text = res.stdout.decode(errors="replace")
    open(log, "w").write(text)
    rep = ktap.parse(text)
    if res.returncode != 0 and rep.ok:
        rep.problems.append("hosttests exited %d" % res.returncode)
    print(ktap.describe(rep, "host"))
    tally.add(len(rep.passed), len(rep.failed) + len(rep.problems))


def check_harness_can_fail(tally):
    """A deliberately broken suite must be reported, with its location and
    values, as a failure by both the runner and the parser."""
    res = subprocess.run(["build/host/hosttests", "harness_broken"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    text = res.stdout.decode(errors="replace")
    rep = ktap.parse(text)
    checks = {
        "exit status is nonzero": res.returncode != 0,
        "parser reports the failure": not rep.ok and len(rep.failed) == 1,
        "'not ok 1 deliberately_broken'": "not ok 1 deliberately_broken" in text,
        "file and line": re.search(r"tests/host/test_harness\.c:\d+", text) is not None,
        "both values": "one_plus_one == 2 (0x2)" in text and "3 == 3 (0x3)" in text,
        "next case still ran": "ok 2 still_runs_after_expect" in text,
    }
    bad = [k for k, v in checks.items() if not v]
    print("harness-can-fail: " + ("ok" if not bad else "FAIL: " + ", ".join(bad)))
    tally.add(0 if bad else 1, 1 if bad else 0)


def check_abi_numbers(tally):
    res = subprocess.run([sys.executable, "tools/check_syscall_nr.py"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    text = res.stdout.decode(errors="replace").strip()
    print("syscall-numbers: " + ("ok" if res.returncode == 0 else "FAIL\n" + text))
    tally.add(1 if res.returncode == 0 else 0, 0 if res.returncode == 0 else 1)


def run_user_host_tests(tally):
    """The user programs on this host's Linux: the reference behaviour."""
    res = subprocess.run([sys.executable, "tools/run-user-host.py", "build/user"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    text = res.stdout.decode(errors="replace")
    open(os.path.join(LOGS, "user-host.log"), "w").write(text)
    m = re.search(r"^(\d+) passed, (\d+) failed$", text, re.M)
    if "SKIP" in text and res.returncode == 0:
        print("user-host: SKIP (this host cannot run i386 programs)")
    elif m:
        print("user-host: %s passed, %s failed" % m.groups())
        tally.add(int(m.group(1)), int(m.group(2)) + (1 if res.returncode and m.group(2) == "0" else 0))
    else:
        print("user-host: FAIL\n" + text[-2000:])
        tally.add(0, 1)


def parse_scenario(path):
    spec = {"boot": "kernel", "mem": "128M", "append": "", "qemu": "",
            "send": [], "expect": [], "reject": [], "exit": None,
            "ktap": "no", "timeout": "60", "check": [], "prepare": "", "iso": "",
            "screendump": ""}
    for line in open(path):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key not in spec:
            raise ValueError("%s: unknown key %r" % (path, key))
        if isinstance(spec[key], list):
            spec[key].append(value)
        else:
            spec[key] = value
    return spec


def run_scenario(path):
    """Boot one scenario; returns (passed, failed, report text)."""
    name = os.path.basename(path)[:-len(".test")]
    spec = parse_scenario(path)
    if spec["prepare"]:
        prep = subprocess.run(spec["prepare"], shell=True, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=300)
        if prep.returncode != 0:
            return 0, 1, "%s: FAIL: prepare failed:\n%s" % (name, prep.stdout.decode(errors="replace"))
    monitor, triggers = None, []
    if spec["screendump"]:
        ppm, _, when = spec["screendump"].partition(" ")
        if os.path.exists(ppm):
            os.remove(ppm)                  # an old picture must not pass
        monitor = os.path.join(tempfile.mkdtemp(), "monitor.sock")
        triggers = [(when.strip(), "screendump " + ppm)]
    if spec["boot"] == "iso":
        cmd = qemu.qemu_command(iso=spec["iso"] or "build/kernel.iso", mem=spec["mem"],
                                extra=shlex.split(spec["qemu"]), monitor=monitor)
    else:
        cmd = qemu.qemu_command(kernel="build/kernel.elf", append=spec["append"],
                                mem=spec["mem"], extra=shlex.split(spec["qemu"]),
                                monitor=monitor)
    status, text = qemu.boot(cmd, timeout=int(spec["timeout"]), commands=spec["send"],
                             log=os.path.join(LOGS, name + ".log"),
                             monitor=monitor, triggers=triggers)
    if monitor:
        shutil.rmtree(os.path.dirname(monitor), ignore_errors=True)
    problems = []
    if status is None:
        problems.append("timed out")
    elif spec["exit"] is not None and status != int(spec["exit"]):
        problems.append("exit status %s, expected %s" % (status, spec["exit"]))
    for pattern in spec["expect"]:
        if not re.search(pattern, text, re.M):
            problems.append("missing: /%s/" % pattern)
    for pattern in spec["reject"]:
        m = re.search(pattern, text, re.M)
        if m:
            problems.append("unexpected: %r" % m.group(0))
    for check in spec["check"]:
        problems += getattr(checks, check)(text)
    passed = failed = 0
    lines = []
    if spec["ktap"] == "yes":
        rep = ktap.parse(text)
        lines.append(ktap.describe(rep, name))
        passed, failed = len(rep.passed), len(rep.failed) + len(rep.problems)
    if problems:
        failed += 1
        lines += ["%s: FAIL: %s" % (name, p) for p in problems]
        lines.append("%s: log in %s/%s.log" % (name, LOGS, name))
    else:
        passed += 1
        lines.append("%s: ok" % name)
    return passed, failed, "\n".join(lines)


def run_scenarios(tally, pattern):
    paths = sorted(glob.glob(pattern))
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for passed, failed, text in pool.map(run_scenario, paths):
            print(text, flush=True)
            tally.add(passed, failed)


def run_gdb_test(tally):
    res = subprocess.run([sys.executable, "tools/gdbtest.py"], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, timeout=300)
    text = res.stdout.decode(errors="replace")
    open(os.path.join(LOGS, "gdb.log"), "w").write(text)
    ok = res.returncode == 0
    print("gdb: ok" if ok else "gdb: FAIL\n" + text[-3000:])
    tally.add(1 if ok else 0, 0 if ok else 1)


def run_gdb_mm_test(tally):
    """tools/gdbtest_mm.py: the mm-* gdb helpers against live kernels; each
    of its checks counts."""
    res = subprocess.run([sys.executable, "tools/gdbtest_mm.py"], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, timeout=300)
    text = res.stdout.decode(errors="replace")
    open(os.path.join(LOGS, "gdb-mm.log"), "w").write(text)
    m = re.search(r"^gdbtest_mm: (\d+) passed, (\d+) failed$", text, re.M)
    passed, failed = (int(m.group(1)), int(m.group(2))) if m else (0, 1)
    if res.returncode != 0 and failed == 0:
        failed = 1
    fails = "\n".join(l for l in text.splitlines() if l.startswith("FAIL"))
    print("gdb-mm: %d passed" % passed if not failed else
          "gdb-mm: FAIL (log in %s/gdb-mm.log)\n%s" % (LOGS, fails or text[-3000:]))
    tally.add(passed, failed)


def run_lessons(tally):
    """Every lesson's demonstration (docs/lessons/*.md, read by
    tools/lesson.py) booted headless as `make lesson` boots it, then
    powered off: the exit must be clean, no command may answer "command not
    found" or "usage:", nothing may panic, and each `expect:` must match.
    One test per lesson, so a lesson never shows a command that broke."""
    import lesson

    def one(path):
        name = "lesson-" + os.path.basename(path)[:-len(".md")]
        try:
            spec = lesson.parse(path)
        except lesson.LessonError as e:
            return False, "%s: FAIL: %s" % (name, e)
        cmd = qemu.qemu_command(kernel="build/kernel.elf", mem=spec["mem"],
                                append=lesson.kernel_append(spec, "poweroff 0"),
                                extra=lesson.qemu_extra(spec))
        status, text = qemu.boot(cmd, timeout=120, log=os.path.join(LOGS, name + ".log"))
        problems = [] if status == 1 else ["exit status %s, expected 1 (poweroff 0)" % status]
        problems += ["unexpected: %r" % m.group(0) for m in re.finditer(
            r"^.*(command not found|^usage: |Kernel panic).*$", text, re.M)]
        problems += ["missing: /%s/" % e for e in spec["expect"] if not re.search(e, text, re.M)]
        if not problems:
            return True, "%s: ok" % name
        return False, "\n".join(["%s: FAIL: %s" % (name, p) for p in problems] +
                                 ["%s: log in %s/%s.log" % (name, LOGS, name)])

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for ok, text in pool.map(one, lesson.lesson_paths()):
            print(text, flush=True)
            tally.add(1 if ok else 0, 0 if ok else 1)


def main():
    os.makedirs(LOGS, exist_ok=True)
    only = sys.argv[1] if len(sys.argv) > 1 else "tests/scenarios/*.test"
    tally = Tally()
    if len(sys.argv) == 1:
        run_host_tests(tally)
        check_harness_can_fail(tally)
        check_abi_numbers(tally)
        run_user_host_tests(tally)
    run_scenarios(tally, only)
    if len(sys.argv) == 1:
        run_lessons(tally)
        run_gdb_test(tally)
        run_gdb_mm_test(tally)
    print("%d passed, %d failed" % (tally.passed, tally.failed))
    sys.exit(1 if tally.failed else 0)


if __name__ == "__main__":
    main()
