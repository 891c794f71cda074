#!/usr/bin/env python3
"""tools/gdbtest_mm.py - the gdb mm-* helpers (tools/gdb/) against a live
kernel: they must show what the kernel really does.

Three short boots, each QEMU paused with a gdb stub (-S -gdb tcp) and gdb
in batch mode with the start-up file `make debug` uses
(tools/gdb/kernel.gdb, which loads the helpers), no display:

  fault    at kmain, `mm-walk 0xC0100000` reaches physical 0x100000
           through the boot directory's 4 MiB page (later, through the
           kernel's 4 KiB tables).  Then `run touch 1`: a hardware
           breakpoint in handle_mm_fault on the first touch of the second
           page of touch's malloc'd block (in the mmap area: its page table
           exists, the PTE does not): the walk of $cr2 stops at a PTE that
           is not present; after `finish` the same walk reaches a frame,
           which mm-frame shows allocated to touch with a reverse-map entry
           for that page; mm-walk with the pid agrees with the CR3 walk;
           mm-vmas, mm-buddy, mm-heap, mm-dmesg are consistent.
  oom      16 MiB, no swap: a 3000 KiB service, then leak.  At each
           out_of_memory, mm-ps's largest badness (marked `*`) is the pid
           the kernel then kills (oom_last_victim_pid, and the "Out of
           memory: Killed process" line); the first victim is the service,
           the larger, although leak (usually) asked; mm-ps's badness
           equals what the kernel's task table implies.
  swap     16 MiB with a small swap disk: at swap_in, mm-walk decodes the
           PTE as the swap slot the kernel is reading (entry >> 12) and its
           disk sector; after `finish` the page is present again.

Prints every gdb session, then one line per check and
`gdbtest_mm: N passed, M failed`; exits 1 if any check failed.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402

BUILD = "build"
WORK = None                 # a fresh directory per run: serial logs, swap disk
RESULTS = []


def check(ok, what):
    RESULTS.append((bool(ok), what))
    print("%s: %s" % ("ok" if ok else "FAIL", what), flush=True)


def constants():
    """build/gdb_constants.py: the same numbers the helpers use."""
    sys.path.insert(0, BUILD)
    import gdb_constants
    return gdb_constants


def session(name, append, commands, mem="128M", extra=(), timeout=60):
    """Boot paused, run COMMANDS in gdb (each a -ex; "@@ TAG" lines become
    section markers), kill QEMU.  Returns (sections, serial text)."""
    port = qemu.free_port()
    serial_path = os.path.join(WORK, name + ".serial")
    cmd = qemu.qemu_command(kernel=os.path.join(BUILD, "kernel.elf"), append=append, mem=mem,
                            extra=["-initrd", os.path.join(BUILD, "user/progs.tar"),
                                   "-S", "-gdb", "tcp:127.0.0.1:%d" % port] + list(extra))
    gdb = ["gdb", "-nx", "-batch",
           "-ex", "set pagination off", "-ex", "set confirm off",
           "-ex", "set tcp connect-timeout 20",
           "-ex", "file %s/kernel.elf" % BUILD,
           "-ex", "target remote 127.0.0.1:%d" % port,
           "-x", "tools/gdb/kernel.gdb"]
    for c in commands:
        gdb += ["-ex", "echo \\n@@ %s\\n" % c[3:] if c.startswith("@@ ") else c]
    gdb += ["-ex", "kill"]
    with open(serial_path, "wb") as serial:
        vm = subprocess.Popen(cmd, stdout=serial, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL)
        try:
            res = subprocess.run(gdb, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 timeout=timeout)
            out = res.stdout.decode(errors="replace")
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode(errors="replace") + "\n[gdbtest_mm: gdb timed out]\n"
        finally:
            vm.kill()
            vm.wait()
    text = open(serial_path, "rb").read().decode(errors="replace").replace("\r\n", "\n")
    print("===== %s: gdb =====\n%s" % (name, out))
    print("===== %s: serial (last 30 lines) =====\n%s\n" % (
        name, "\n".join(text.splitlines()[-30:])))
    sections = {}
    for part in out.split("\n@@ ")[1:]:
        tag, _, body = part.partition("\n")
        sections[tag.strip()] = body
    return sections, text


def sec(sections, tag):
    return sections.get(tag, "")


def test_walk_and_fault(c):
    """(a) the kernel's first page; (b) a demand-paging fault, before and after."""
    second_page = c.USER_MMAP_BASE + c.PAGE_SIZE
    s, _ = session("fault", 'tests=none script="run touch 1; poweroff 0"', [
        "hbreak kmain", "continue",
        "@@ boot-walk", "mm-walk 0xC0100000",
        "delete",
        "hbreak handle_mm_fault if $_streq(current->name, \"touch\") && "
        "addr >= %#x && addr < %#x" % (second_page, c.USER_MMAP_BASE + 0x10000000),
        "continue",
        "@@ fault-args", "print/x addr", "print $cr2 == addr",
        "set $fa = addr", "set $pid = current->pid",
        "@@ before", "mm-walk $cr2",
        "@@ kernel-walk", "mm-walk 0xC0100000",
        "delete",
        "@@ finish", "finish",
        "@@ after", "mm-walk $fa",
        "@@ after-pid", "mm-walk $fa $pid",
        "@@ frame", "mm-frame $mm_pfn",
        "@@ vmas", "mm-vmas $pid",
        "@@ ps", "mm-ps",
        "@@ buddy", "mm-buddy",
        "@@ heap", "mm-heap",
        "@@ dmesg", "mm-dmesg 3",
        "@@ help", "mm-help",
        "@@ end"])
    boot = sec(s, "boot-walk")
    check(re.search(r"4 MiB page at 0x00000000\nphysical 0x00100000 ", boot),
          "walk: at kmain, 0xC0100000 -> physical 0x00100000 through the boot 4 MiB page")
    check(re.search(r"PTE\[256\] = 0x00100\w\w\w .*-> frame 0x00100000 \(pfn 0x100\)\n"
                    r"physical 0x00100000 ", sec(s, "kernel-walk")),
          "walk: later, 0xC0100000 -> physical 0x00100000 through a 4 KiB PTE")
    m = re.search(r"\$\d+ = (0x[0-9a-f]+)\n\$\d+ = 1", sec(s, "fault-args"))
    check(m, "fault: stopped in handle_mm_fault for touch, addr == $cr2")
    addr = int(m.group(1), 16) if m else -1
    page = addr & ~(c.PAGE_SIZE - 1)
    before = sec(s, "before")
    check(re.search(r"\(pid \d+ \(touch\)\)", before), "fault: CR3 is touch's directory")
    check(re.search(r"PDE\[\d+\] = 0x\w+  present .*-> page table at", before) and
          re.search(r"PTE\[\d+\] = 0x00000000  not present  -> no frame: the walk stops here",
                    before), "fault: before, the PTE is not present")
    check("VMA_ANON: a permitted access gets a frame" in before,
          "fault: before, mm-walk names the anonymous region that allows it")
    check(re.search(r"Value returned is \$\d+ = 0", sec(s, "finish")),
          "fault: handle_mm_fault returned 0")
    after = sec(s, "after")
    m = re.search(r"PTE\[\d+\] = 0x\w+  present writable user.*-> frame (0x\w+) \(pfn (0x\w+)\)\n"
                  r"physical (0x\w+) = ", after)
    check(m and int(m.group(3), 16) == int(m.group(1), 16) | (addr & (c.PAGE_SIZE - 1)),
          "fault: after, the PTE is present and maps the address to a frame")
    phys_lines = lambda t: re.findall(r"^(?:PTE|physical).*$", t, re.M)  # noqa: E731
    check(phys_lines(after) and phys_lines(after) == phys_lines(sec(s, "after-pid")),
          "fault: mm-walk ADDR PID (as->pgdir) agrees with the CR3 walk")
    frame = sec(s, "frame")
    check(m and frame.startswith("pfn %s:" % m.group(2)) and
          "state PAGE_ALLOCATED, order 0 (1 frame), owner OWNER_USER, refcount 1" in frame and
          re.search(r"rmap: 1 mapping\n    pid \d+ \(touch\) va 0x%08x " % page, frame),
          "frame: mm-frame shows the new frame allocated to touch, mapped at the page")
    region = [l for l in sec(s, "vmas").splitlines()
              if re.match(r"0x\w+ 0x\w+ ", l) and int(l.split()[0], 16) <= addr < int(l.split()[1], 16)]
    check(len(region) == 1 and " rw-  VMA_ANON " in region[0],
          "vmas: the faulting address lies in an anonymous rw- region of touch")
    check(re.search(r"^\*\s+\d+ touch\s+RUNNING ", sec(s, "ps"), re.M), "ps: touch is running")
    check("zone.free_pages" in sec(s, "buddy") and ": consistent" in sec(s, "buddy"),
          "buddy: the free lists add up to zone.free_pages")
    check("policy HEAP_FIRST_FIT" in sec(s, "heap") and "matches heap.stats" in sec(s, "heap"),
          "heap: the block walk matches the heap's counters")
    check(len(re.findall(r"^\[\s*\d+\.\d{6}\] ", sec(s, "dmesg"), re.M)) == 3,
          "dmesg: the last 3 lines of the log ring")
    check(all(("mm-" + n) in sec(s, "help") for n in
              "walk buddy frame ps vmas dmesg heap".split()), "help: mm-help lists every command")
    check("end" in s and "Traceback" not in "".join(s.values()) and
          "Python Exception" not in "".join(s.values()), "no Python errors")


def kernel_badness(serial, pid, page_size):
    """Badness from the kernel's own task table (oom_score_adj 0 there):
    rss + pgtables_bytes / PAGE_SIZE + swapents."""
    m = re.search(r"\[\s*%d\]\s+\d+\s+\d+\s+\d+\s+(\d+)\s+(\d+)\s+(\d+)\s+0 \S+" % pid, serial)
    return int(m.group(1)) + int(m.group(2)) // page_size + int(m.group(3)) if m else None


def ps_rows(text):
    """mm-ps rows: [(marked, pid, name, badness)]."""
    return [(l[0] == "*", int(f[0]), f[1], int(f[-1]))
            for l in text.splitlines() for f in [l[1:].split()]
            if re.match(r"^[* ]\s+\d+ ", l)]


def test_oom(c):
    """(c) mm-ps's largest badness is the process the OOM killer kills."""
    script = "run service big 3000 3 &; sleep 500; run leak; wait; poweroff 0"
    s, serial = session("oom", 'tests=none script="%s"' % script, [
        "hbreak out_of_memory", "continue",
        "@@ ps1", "mm-ps", "print trigger->name",
        "@@ finish1", "finish", "print oom_last_victim_pid",
        "continue",
        "@@ ps2", "mm-ps",
        "@@ finish2", "finish", "print oom_last_victim_pid",
        "@@ dmesg", "mm-dmesg 40",
        "@@ end"], mem="16M")
    kills = re.findall(r"Out of memory: Killed process (\d+) \((\w+)\)", serial)
    for n, (ps, fin) in enumerate((("ps1", "finish1"), ("ps2", "finish2"))):
        rows = ps_rows(sec(s, ps))
        marked = [r for r in rows if r[0]]
        victim = re.findall(r"^\$\d+ = (\d+)$", sec(s, fin), re.M)
        check(len(marked) == 1 and victim and marked[0][1] == int(victim[-1]),
              "oom %d: mm-ps's largest badness is oom_last_victim_pid" % (n + 1))
        check(len(kills) > n and marked and kills[n] == (str(marked[0][1]), marked[0][2]),
              "oom %d: ... and the process in 'Out of memory: Killed process' line %d"
              % (n + 1, n + 1))
        if n == 0:
            # Usually leak asks; on a loaded host the service may fault
            # first (a text page reclaim dropped).  The choice is the same.
            check(marked and marked[0][2] == "service",
                  "oom 1: the larger service is chosen, whoever asked")
            first = serial[:serial.find("Out of memory: Killed")]
            same = [kernel_badness(first, r[1], c.PAGE_SIZE) == r[3] for r in rows if r[3] > 0]
            check(same and all(same),
                  "oom 1: mm-ps's badness = rss + page tables + swap of the kernel's task table")
    check(any("Out of memory: Killed process" in l for l in sec(s, "dmesg").splitlines()),
          "oom: mm-dmesg shows the kill")


def make_swap_image(path, size_mib=8):
    mkswap = shutil.which("mkswap") or next(
        (p for p in ("/usr/sbin/mkswap", "/sbin/mkswap") if os.path.exists(p)), None)
    if not mkswap:
        return False
    with open(path, "wb") as f:
        f.truncate(size_mib << 20)
    return subprocess.run([mkswap, path], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def test_swap(c):
    """A swap entry decoded to its slot and sector, then read back."""
    img = os.path.join(WORK, "swap.img")
    if not make_swap_image(img):
        check(False, "swap: mkswap (util-linux) is needed for the swap test")
        return
    script = "run service big 3000 2 &; sleep 200; run touch 3; wait; poweroff 0"
    s, _ = session("swap", 'tests=none script="%s"' % script, [
        "hbreak swap_in", "continue",
        "@@ entry", "print entry >> %d" % c.PAGE_SHIFT, "set $va = va",
        "@@ before", "mm-walk $va",
        "delete",
        "@@ finish", "finish",
        "@@ after", "mm-walk $va",
        "@@ end"], mem="16M",
        extra=["-drive", "file=%s,format=raw,index=1,media=disk" % img])
    slot = re.search(r"\$\d+ = (\d+)", sec(s, "entry"))
    before = sec(s, "before")
    sectors = c.PAGE_SIZE // c.ATA_SECTOR_SIZE
    check(slot and re.search(r"not present, swap entry  -> swap slot %s \(disk sector %d of "
                             r"/dev/hdb\)" % (slot.group(1), int(slot.group(1)) * sectors), before),
          "swap: at swap_in, mm-walk decodes the PTE as the slot being read, and its sector")
    check(re.search(r"Value returned is \$\d+ = 0", sec(s, "finish")) and
          re.search(r"PTE\[\d+\] = 0x\w+  present .*-> frame", sec(s, "after")),
          "swap: after swap_in the page is present again")


def main():
    global WORK
    WORK = tempfile.mkdtemp(prefix="gdbtest-mm-", dir=BUILD)
    c = constants()
    try:
        test_walk_and_fault(c)
        test_oom(c)
        test_swap(c)
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    failed = sum(1 for ok, _ in RESULTS if not ok)
    print("gdbtest_mm: %d passed, %d failed" % (len(RESULTS) - failed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
