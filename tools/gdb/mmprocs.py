"""tools/gdb/mmprocs.py - processes and their memory: mm-ps (VIRT, RES,
SWAP and the OOM killer's badness of every process) and mm-vmas (the
regions of one).

mm-ps computes badness exactly as mm/oom.c's oom_badness does, so at a
breakpoint in out_of_memory it names the process the kernel is about to
kill, and why: the one whose death frees the most.
"""
import gdb

from mmcore import (C, MMCommand, register, arg_int, cstring, deref, enum_name,
                    enum_value, find_proc, kib, proc_label, proc_name, procs, swap_device,
                    sym, virt_to_phys, vmas)
from mmwalk import page_table_counts


def oom_total_pages():
    """mm/oom.c's oom_total_pages: RAM (managed frames) + swap pages."""
    return int(sym("lowmem_zone")["managed_pages"]) + swap_device()[1]


def oom_badness(p, total):
    """mm/oom.c's oom_badness, line for line: resident + swapped +
    page-table pages (+1 for the directory), shifted by oom_score_adj per
    mille of TOTAL; 0 for who must never be chosen; at least 1 otherwise."""
    as_ = p["as"]
    adj = int(p["oom_score_adj"])
    if (not int(as_) or int(p["state"]) == enum_value("PROC_ZOMBIE") or int(p["kill_signal"])
            or adj == C().OOM_SCORE_ADJ_MIN):
        return 0
    points = int(as_["rss_pages"]) + int(as_["swap_pages"]) + int(as_["nr_pgtables"]) + 1
    points += adj * (total // 1000)
    return points if points > 0 else 1


def virt_pages(as_value):
    """VIRT: the size of every region, in pages."""
    return sum(int(v["end"]) - int(v["start"]) for v in vmas(as_value)) >> C().PAGE_SHIFT


def state_name(p):
    return enum_name(p["state"], "enum proc_state").replace("PROC_", "")


@register
class MMPs(MMCommand):
    """List processes: VIRT, RES, SWAP, oom_score_adj and OOM badness.

Usage: mm-ps

Every used slot of proc_table: pid, name, state, VIRT (the sum of its
regions' sizes), RES (as->rss_pages), SWAP (as->swap_pages), in KiB;
page-table pages (the directory included), oom_score_adj, and badness in
pages, computed as mm/oom.c's oom_badness does:

    rss + swap + page tables + 1 + oom_score_adj x (RAM + swap pages) / 1000

(0 for kernel threads, zombies, processes being killed, and
oom_score_adj -1000).  The process marked `*` has the highest badness:
the one the OOM killer would choose now (the first in the table on a tie,
as oom_select).  Sets $mm_oom_pid to its pid (0 if none).

Example:
  (gdb) mm-ps
      PID NAME             STATE          VIRT     RES    SWAP PGTBL   ADJ  BADNESS
        1 monitor          SLEEPING          -       -       -     -     0        0
  *     2 service          SLEEPING      3944K   3044K      0K     4     0      765
        3 leak             RUNNING       2124K   1348K      0K     3     0      340
  badness total: RAM 1131 + swap 0 = 1131 pages; one point of oom_score_adj = 1 pages
  the OOM killer would choose pid 2 (service), badness 765
"""
    NAME = "mm-ps"

    def run(self, argv):
        if argv:
            self.usage()
        total = oom_total_pages()
        rows, best, victim = [], 0, None
        for p in procs():
            points = oom_badness(p, total)
            if points > best:           # oom_select: strictly greater wins
                best, victim = points, p
            rows.append((p, points))
        print("  %5s %-16s %-9s %9s %7s %7s %5s %5s %8s" % (
            "PID", "NAME", "STATE", "VIRT", "RES", "SWAP", "PGTBL", "ADJ", "BADNESS"))
        for p, points in rows:
            mark = "*" if victim is not None and int(p.address) == int(victim.address) else " "
            as_ = p["as"]
            if int(as_):
                mem = ("%8dK %6dK %6dK %5d" % (
                    kib(virt_pages(as_)), kib(int(as_["rss_pages"])),
                    kib(int(as_["swap_pages"])), int(as_["nr_pgtables"]) + 1))
            else:
                mem = "%9s %7s %7s %5s" % ("-", "-", "-", "-")
            print("%s %5d %-16s %-9s %s %5d %8d" % (mark, int(p["pid"]), proc_name(p),
                                                   state_name(p), mem,
                                                   int(p["oom_score_adj"]), points))
        ram = int(sym("lowmem_zone")["managed_pages"])
        print("badness total: RAM %d + swap %d = %d pages; one point of oom_score_adj = %d pages"
              % (ram, total - ram, total, total // 1000))
        if victim is None:
            print("no process can be chosen: the OOM killer would panic")
        else:
            print("the OOM killer would choose %s, badness %d" % (proc_label(victim), best))
        gdb.set_convenience_variable("mm_oom_pid", int(victim["pid"]) if victim is not None else 0)


def prot_str(prot):
    c = C()
    return "".join(ch if prot & getattr(c, bit) else "-"
                   for ch, bit in (("r", "VM_READ"), ("w", "VM_WRITE"), ("x", "VM_EXEC")))


@register
class MMVmas(MMCommand):
    """List the regions (VMAs) of a process, with resident and swapped pages.

Usage: mm-vmas PID

Walks proc_table[i].as->vmas (sorted by address, mm/vm.h): start, end,
size, protection (rwx from VM_READ/VM_WRITE/VM_EXEC), kind (VMA_ANON,
VMA_STACK, VMA_FILE), whether it is mlocked and charged to Committed_AS,
shared (MAP_SHARED), and the program a file region shows.  RES and SWAP
count its present and swapped-out PTEs, read from the page tables (one
read per page table, none where no table exists), as `pmap -x` does.

Example:
  (gdb) mm-vmas 3
  pid 3 (service): as 0xc0b7e268, page directory at physical 0x00fcc000, 8 regions
  start      end         size KiB  prot kind       locked accounted shared  RES KiB SWAP KiB  file
  0x08048000 0x08049000         4  r--  VMA_FILE   no     no        no            0        0  service+0x0
  0x08049000 0x080b7000       440  r-x  VMA_FILE   no     no        no           56        0  service+0x1000
  ...
  0x40000000 0x402ef000      3004  rw-  VMA_ANON   no     yes       no         2556      448
  0xbffe0000 0xc0000000       128  rw-  VMA_STACK  no     yes       no            0        8
"""
    NAME = "mm-vmas"

    def run(self, argv):
        if len(argv) != 1:
            self.usage()
        p = find_proc(arg_int(argv[0]))
        as_ = p["as"]
        if not int(as_):
            raise gdb.GdbError("mm-vmas: %s is a kernel thread: no regions" % proc_label(p))
        regions = list(vmas(as_))
        pd_phys = virt_to_phys(int(as_["pgdir"]))
        print("%s: as 0x%08x, page directory at physical 0x%08x, %d regions"
              % (proc_label(p), int(as_), pd_phys, len(regions)))
        print("%-10s %-10s %9s  %-4s %-10s %-6s %-9s %-6s %8s %8s  %s" % (
            "start", "end", "size KiB", "prot", "kind", "locked", "accounted", "shared",
            "RES KiB", "SWAP KiB", "file"))
        yes = {True: "yes", False: "no"}
        for v in regions:
            start, end = int(v["start"]), int(v["end"])
            res, swp = page_table_counts(pd_phys, start, end)
            file = ""
            if int(v["prog"]):
                prog = deref(int(v["prog"]), "struct program")
                name = cstring(int(prog["name"].address), prog["name"].type.sizeof)
                file = "%s+0x%x" % (name, int(v["file_offset"]))
            print("0x%08x 0x%08x %9d  %-4s %-10s %-6s %-9s %-6s %8d %8d  %s" % (
                start, end, (end - start) // 1024, prot_str(int(v["prot"])),
                enum_name(v["kind"], "enum vma_kind"), yes[bool(v["locked"])],
                yes[bool(v["accounted"])], yes[bool(v["shared"])], kib(res), kib(swp), file))
