"""tools/gdb/mmwalk.py - mm-walk: the two-level page-table walk of one
virtual address, as the MMU does it (mm/pgtable.h draws the 10/10/12
split), read from physical memory through the direct map.

The same walk as the monitor's `pt` command (mm/ptdump.c) and the same
words, so the lesson reads alike at the prompt and in gdb; gdb can also
walk another process's directory, and stop the kernel between the fault
and its fix to watch a PTE change.
"""
import struct

import gdb

from mmcore import (C, MMCommand, register, arg_int, enum_name, find_proc, phys_u32,
                    proc_label, procs, read_phys, swap_device, sym, virt_to_phys, vma_find)

# Flag names, in mm/ptdump.c's order and words; the bits come from the header.
FLAG_NAMES = (("PTE_PRESENT", "present"), ("PTE_WRITABLE", "writable"),
              ("PTE_USER", "user"), ("PTE_ACCESSED", "accessed"),
              ("PTE_DIRTY", "dirty"), ("PDE_LARGE", "4MiB"), ("PTE_GLOBAL", "global"))


def flags_str(entry):
    """"present writable user ..." as pte_flags_str writes it."""
    c = C()
    if not entry & c.PTE_PRESENT:
        return "not present"
    words = [name for bit, name in FLAG_NAMES if entry & getattr(c, bit)]
    if not entry & c.PTE_USER:
        words.append("kernel-only")
    return " ".join(words)


def pde_index(va):
    return va >> C().PDE_SHIFT


def pte_index(va):
    return (va >> C().PTE_SHIFT) & C().PT_INDEX_MASK


def is_swap(entry):
    """mm/swap.h's pte_is_swap: PRESENT clear, PTE_SWAP set."""
    return not entry & C().PTE_PRESENT and entry & C().PTE_SWAP


def swap_slot(entry):
    return entry >> C().PAGE_SHIFT


def swap_where(slot):
    """"swap slot N (disk sector 8N of /dev/hdb)", as mm/swap.c places it."""
    active, _, disk = swap_device()
    sectors = C().PAGE_SIZE // C().ATA_SECTOR_SIZE
    return "swap slot %d (disk sector %d of /dev/%s)" % (slot, slot * sectors,
                                                       disk if active else "?, swap is off")


def directory_owner(pd_phys):
    """Whose page directory is at physical PD_PHYS: (label, addr_space or None)."""
    ks = sym("kernel_space")
    if int(ks["pgdir"]) and virt_to_phys(int(ks["pgdir"])) == pd_phys:
        return "kernel_space, the kernel's own", ks
    for p in procs():
        if int(p["as"]) and virt_to_phys(int(p["as"]["pgdir"])) == pd_phys:
            return proc_label(p), p["as"].dereference()
    try:
        if virt_to_phys(int(sym("boot_page_directory").address)) == pd_phys:
            return "boot_page_directory (boot/multiboot.asm, 4 MiB pages)", None
    except gdb.GdbError:
        pass
    return "unknown", None


def why_absent(va, space):
    """What a fault at VA would do, from the regions of SPACE (mm/fault.c)."""
    c = C()
    if va >= c.KERNEL_VBASE:
        return "a kernel address: a kernel access here is an oops"
    if space is None:
        return "no address space known for this directory"
    if int(space.address) == int(sym("kernel_space").address):
        return "kernel_space has no user regions: a kernel access here is an oops"
    v = vma_find(space, va)
    if v is None:
        return "no region covers it: an access is a segmentation fault (SEGV_MAPERR)"
    prot = "".join(ch if int(v["prot"]) & getattr(c, bit) else "-"
                   for ch, bit in (("r", "VM_READ"), ("w", "VM_WRITE"), ("x", "VM_EXEC")))
    kind = enum_name(v["kind"], "enum vma_kind")
    return ("region 0x%08x-0x%08x %s %s: a permitted access gets a frame (demand paging)"
            % (int(v["start"]), int(v["end"]), prot, kind))


def walk(va, pd_phys, space, out):
    """Walk VA from the directory at PD_PHYS, appending lines to OUT.
    Returns the physical address, or None where the walk stops."""
    c = C()
    off_mask = c.PAGE_SIZE - 1
    pde_i, pte_i = pde_index(va), pte_index(va)
    out.append("virtual 0x%08x = PDE index %d | PTE index %d | offset 0x%03x"
               % (va, pde_i, pte_i, va & off_mask))
    pde = phys_u32(pd_phys + 4 * pde_i)
    out.append("PDE[%d] = 0x%08x  %s" % (pde_i, pde, flags_str(pde)))
    if not pde & c.PTE_PRESENT:
        base = va & ~(c.PDE_SPAN - 1)
        out.append("  -> no page table covers 0x%08x-0x%08x: the walk stops here"
                   % (base, base + c.PDE_SPAN - 1))
        out.append("  -> " + why_absent(va, space))
        return None
    if pde & c.PDE_LARGE:
        frame = pde & ~(c.PDE_SPAN - 1) & 0xFFFFFFFF
        out[-1] += "  -> 4 MiB page at 0x%08x" % frame
        phys = frame | (va & (c.PDE_SPAN - 1))
        out.append("physical 0x%08x = 4 MiB page 0x%08x + offset 0x%06x"
                   % (phys, frame, va & (c.PDE_SPAN - 1)))
        return phys
    table = pde & c.PTE_ADDR_MASK
    out[-1] += "  -> page table at 0x%08x" % table
    pte = phys_u32(table + 4 * pte_i)
    if is_swap(pte):
        out.append("PTE[%d] = 0x%08x  not present, swap entry  -> %s"
                   % (pte_i, pte, swap_where(swap_slot(pte))))
        out.append("  -> an access faults and swap_in reads it back (a major fault)")
        return None
    out.append("PTE[%d] = 0x%08x  %s" % (pte_i, pte, flags_str(pte)))
    if not pte & c.PTE_PRESENT:
        out[-1] += "  -> no frame: the walk stops here"
        out.append("  -> " + why_absent(va, space))
        return None
    frame = pte & c.PTE_ADDR_MASK
    out[-1] += "  -> frame 0x%08x (pfn 0x%x)" % (frame, frame >> c.PAGE_SHIFT)
    phys = frame | (va & off_mask)
    out.append("physical 0x%08x = frame 0x%08x + offset 0x%03x" % (phys, frame, va & off_mask))
    return phys


def directory_of(pid):
    """(physical directory, label line, addr_space or None) for PID or CR3."""
    if pid is None:
        cr3 = arg_int("$cr3")
        pd_phys = cr3 & C().PTE_ADDR_MASK
        owner, space = directory_owner(pd_phys)
        return pd_phys, "CR3 0x%08x: page directory at physical 0x%08x (%s)" % (
            cr3, pd_phys, owner), space
    p = find_proc(pid)
    if not int(p["as"]):
        raise gdb.GdbError("mm-walk: %s is a kernel thread: it has no page directory "
                           "of its own (walk from CR3 instead)" % proc_label(p))
    pgdir = int(p["as"]["pgdir"])
    pd_phys = virt_to_phys(pgdir)
    return pd_phys, "%s: as->pgdir 0x%08x = page directory at physical 0x%08x" % (
        proc_label(p), pgdir, pd_phys), p["as"].dereference()


def page_table_counts(pd_phys, start, end):
    """(present, swapped) PTEs for the pages of [START, END) under the
    directory at PD_PHYS: one read per page table, none for absent ones."""
    c = C()
    present = swapped = 0
    va = start
    while va < end:
        span_end = min(end, (va | (c.PDE_SPAN - 1)) + 1)
        pde = phys_u32(pd_phys + 4 * pde_index(va))
        if pde & c.PTE_PRESENT and not pde & c.PDE_LARGE:
            table = struct.unpack("<%dI" % c.PT_ENTRIES,
                                  read_phys(pde & c.PTE_ADDR_MASK, 4 * c.PT_ENTRIES))
            first = pte_index(va)
            last = pte_index(span_end - 1)
            for e in table[first:last + 1]:
                present += bool(e & c.PTE_PRESENT)
                swapped += bool(is_swap(e))
        va = span_end
    return present, swapped


@register
class MMWalk(MMCommand):
    """Walk the page tables for a virtual address, from CR3 or from a process.

Usage: mm-walk VADDR [PID]

The two-level walk the MMU makes (mm/pgtable.h): the PDE index (bits
31..22) picks an entry of the page directory, which points at a page
table; the PTE index (bits 21..12) picks the entry that holds the frame;
the offset (bits 11..0) is carried over.  Prints each entry with its
flags, then the physical address -- or where the walk stops and why: no
page table, a page not present (and what a fault there would do, from the
process's regions), or a swap entry decoded to its slot and disk sector.

The directory is the one in CR3, or with PID that process's
(proc_table[i].as->pgdir).  Tables are read in physical memory through the
kernel's direct map, so it works whatever CR3 holds.  VADDR is any gdb
expression: 0xC0100000, $cr2, addr (inside handle_mm_fault).
Sets $mm_phys and $mm_pfn (-1 where the walk stops).

Example:
  (gdb) mm-walk 0xC0100000
  CR3 0x003de000: page directory at physical 0x003de000 (kernel_space, the kernel's own)
  virtual 0xc0100000 = PDE index 768 | PTE index 256 | offset 0x000
  PDE[768] = 0x003df023  present writable accessed kernel-only  -> page table at 0x003df000
  PTE[256] = 0x00100103  present writable global kernel-only  -> frame 0x00100000 (pfn 0x100)
  physical 0x00100000 = frame 0x00100000 + offset 0x000
"""
    NAME = "mm-walk"

    def run(self, argv):
        if len(argv) not in (1, 2):
            self.usage()
        va = arg_int(argv[0]) & 0xFFFFFFFF
        pid = arg_int(argv[1]) if len(argv) == 2 else None
        pd_phys, label, space = directory_of(pid)
        out = [label]
        phys = walk(va, pd_phys, space, out)
        print("\n".join(out))
        gdb.set_convenience_variable("mm_phys", -1 if phys is None else phys)
        gdb.set_convenience_variable("mm_pfn", -1 if phys is None else phys >> C().PAGE_SHIFT)
