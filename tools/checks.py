"""tools/checks.py - checks on a boot's output that a regular expression
cannot express.  A scenario names one with `check: NAME`; each function
takes the serial output and returns a list of problems (empty: passed).
"""
import re


def buddyinfo_matches_meminfo(text):
    """Free blocks per order x block size must add up to MemFree, and the
    buddyinfo line must have Linux's layout (11 orders, width 6)."""
    problems = []
    line = re.search(r"^Node 0, zone   Normal((?: +\d+){11}) $", text, re.M)
    memfree = re.search(r"^MemFree: +(\d+) kB$", text, re.M)
    total = re.search(r"^MemTotal: +(\d+) kB$", text, re.M)
    if not line:
        return ["no buddyinfo line in Linux's format"]
    if not memfree or not total:
        return ["no MemFree/MemTotal lines in /proc/meminfo format"]
    counts = [int(n) for n in line.group(1).split()]
    free_kb = sum(n * (4 << order) for order, n in enumerate(counts))
    if free_kb != int(memfree.group(1)):
        problems.append("buddyinfo adds up to %d kB but MemFree says %s kB"
                        % (free_kb, memfree.group(1)))
    if int(memfree.group(1)) > int(total.group(1)):
        problems.append("MemFree exceeds MemTotal")
    return problems


def _usertests_lines(text):
    return [l for l in text.splitlines()
            if re.match(r"^(ok |FAIL |\d+ passed, \d+ failed$)", l)]


def usertests_matches_host(text):
    """The kernel's usertests results must be the host Linux's, line for
    line (skipped when this host cannot run i386 programs)."""
    import subprocess
    try:
        res = subprocess.run(["build/user/usertests"], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=60)
    except OSError:
        return []           # no i386 support on this host: nothing to compare
    host = _usertests_lines(res.stdout.decode(errors="replace"))
    kernel = _usertests_lines(text)
    if not host:
        return ["usertests printed nothing on the host"]
    if host != kernel:
        diff = [("host:   " + h, "kernel: " + k) for h, k in zip(host, kernel) if h != k]
        first = diff[0] if diff else ("host: %d lines" % len(host), "kernel: %d lines" % len(kernel))
        return ["usertests differs from the host Linux run: %s / %s" % first]
    return []


def memfree_unchanged(text):
    """The last two MemFree lines must be equal: whatever ran between them
    gave every frame back."""
    values = re.findall(r"^MemFree: +(\d+) kB$", text, re.M)
    if len(values) < 2:
        return ["fewer than two MemFree lines"]
    if values[-1] != values[-2]:
        return ["MemFree went from %s kB to %s kB" % (values[-2], values[-1])]
    return []


def twelve_services_intact(text):
    """swap_fill: every one of the twelve service runs reported intact."""
    n = len(re.findall(r"^(a: 6000|b: 3000|c: 3000) KiB intact$", text, re.M))
    return [] if n == 12 else ["%d of 12 service runs reported their data intact" % n]


def data_disk_unchanged(text):
    """swap_untouched: the non-swap disk image still has its checksum."""
    import subprocess
    res = subprocess.run(["sha256sum", "-c", "build/test-disks/data.sha256"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return [] if res.returncode == 0 else ["build/test-disks/data.img changed: " +
                                           res.stdout.decode(errors="replace").strip()]


def two_services_intact(text):
    """swap_eio: the two services that did not lose a page kept their data."""
    n = len(re.findall(r"^[abc]: 3000 KiB intact$", text, re.M))
    return [] if n == 2 else ["%d services reported intact data, expected 2" % n]


def watch_screendump(text):
    """watch_screendump: the PPM QEMU took while `watch` drew shows free
    memory, the kernel and two processes in their colours and a status line,
    and watch's last status line agrees with the `free` printed after it
    (tools/check_screendump.py).  The picture's path comes from the note
    tools/qemu.py appends for each monitor command it typed."""
    import check_screendump
    m = re.search(r"^\[qemu\.py: monitor: screendump (\S+) -> (.*)\]$", text, re.M)
    if not m:
        return ["no screendump was taken (no `[qemu.py: monitor: screendump` note)"]
    if m.group(2) != "''":
        return ["QEMU answered the screendump with %s" % m.group(2)]
    return check_screendump.check(m.group(1), text)


def watch_status_matches_free(text):
    """watch's last status line gives the free and swap-used KiB that the
    `free` right after it prints (tools/check_screendump.py)."""
    import check_screendump
    return check_screendump.status_matches_free(text)


def refstring_matches_vmsim(text):
    """refstring_traces: each real run's fault count equals vmsim's count
    for the same policy, string and frames."""
    problems = []
    sim = {}
    for frames, name, table in re.findall(r"^mm> vmsim (\d+) @(\w+)\n((?:.*\n)+?)(?=mm> )", text, re.M):
        for policy, faults in re.findall(r"^(fifo|clock|lru) +(\d+) ", table, re.M):
            sim[(policy, name, frames)] = faults
    policy = None
    runs = 0
    for line in text.splitlines():
        m = re.match(r"^vm.page_replacement = (\w+)$", line)
        if m:
            policy = m.group(1)
        m = re.match(r"^mm> run refstring (\d+) @(\w+)$", line)
        if m:
            key = (policy, m.group(2), m.group(1))
        m = re.match(r"^refstring: (\d+) faults$", line)
        if m:
            runs += 1
            if sim.get(key) != m.group(1):
                problems.append("%s %s with %s frames: kernel %s faults, vmsim %s" %
                                (key[0], key[1], key[2], m.group(1), sim.get(key)))
    if runs != 9:
        problems.append("%d refstring runs reported, expected 9" % runs)
    return problems
