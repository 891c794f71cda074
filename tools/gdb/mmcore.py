"""tools/gdb/mmcore.py - what every mm-* command stands on: the kernel's
constants, its memory, its lists and its processes, as seen from gdb.

Nothing about the kernel's layout is typed here.  Two sources give it:

  - the kernel's debug info (build/kernel.elf, -ggdb): struct layouts,
    array sizes, enum values.  offsetof(), sizeof(), enum_value() below;
  - build/gdb_constants.py, the integer #defines of the C headers
    (KERNEL_VBASE, PAGE_SHIFT, PTE_PRESENT, PTE_SWAP, ...), written by
    every `make` from the headers themselves (mk/gdb.mk, mkconst.py).
    C() loads it, next to the kernel file or in ./build.

Physical memory is read through the kernel's direct map (virtual = physical
+ KERNEL_VBASE, lowmem only), which every address space maps the same way:
so a page table can be read whatever CR3 holds at the time.
"""
import importlib.util
import os
import struct

import gdb

_constants = None


def _constant_dirs():
    """Where build/gdb_constants.py may be: beside the kernel, ./build, ."""
    dirs = []
    files = [gdb.current_progspace().filename] + [o.filename for o in gdb.objfiles()]
    for f in files:
        if f:
            dirs.append(os.path.dirname(os.path.abspath(f)))
    return dirs + [os.path.join(os.getcwd(), "build"), os.getcwd()]


def _warn_if_stale(module, path):
    """Say so when a header is newer than the generated file (no `make`)."""
    root = os.path.dirname(os.path.dirname(path))
    mtime = os.path.getmtime(path)
    newer = [h for h in module.HEADERS
             if os.path.exists(os.path.join(root, h))
             and os.path.getmtime(os.path.join(root, h)) > mtime]
    if newer:
        print("mm: warning: %s is older than %s: run `make`" % (path, ", ".join(newer)))


def C():
    """The constants module, loaded on first use."""
    global _constants
    if _constants is None:
        for d in _constant_dirs():
            path = os.path.join(d, "gdb_constants.py")
            if os.path.exists(path):
                spec = importlib.util.spec_from_file_location("gdb_constants", path)
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                _warn_if_stale(module, path)
                _constants = module
                break
        else:
            raise gdb.GdbError("mm: no gdb_constants.py beside the kernel or in ./build: "
                               "run `make` (mk/gdb.mk writes build/gdb_constants.py)")
    return _constants


# --- the debug info ---------------------------------------------------------

def typ(name):
    """gdb.Type of NAME ("struct page", "enum page_state", "pde_t")."""
    try:
        return gdb.lookup_type(name)
    except gdb.error:
        raise gdb.GdbError("mm: no type %r in the debug info: is build/kernel.elf loaded?" % name)


def sizeof(name):
    return typ(name).sizeof


def offsetof(struct_name, field):
    return int(gdb.parse_and_eval("(unsigned long)&((%s *)0)->%s" % (struct_name, field)))


def enum_value(name):
    """The value of the enumerator NAME (PROC_ZOMBIE, PAGE_ALLOCATED ...)."""
    return int(gdb.parse_and_eval(name))


def enum_name(value, enum_type):
    """The enumerator of ENUM_TYPE whose value is VALUE, or the number."""
    return str(gdb.Value(int(value)).cast(typ(enum_type)))


def sym(name, file=None):
    """The value of the global NAME, or of the static NAME of FILE."""
    if file is None:
        s = gdb.lookup_global_symbol(name)
        if s is not None:
            return s.value()
    for s in gdb.lookup_static_symbols(name):
        if file is None or s.symtab.filename.endswith(file):
            return s.value()
    raise gdb.GdbError("mm: no symbol %s%s in the debug info" %
                       (name, " in " + file if file else ""))


def deref(addr, type_name):
    """The object of type TYPE_NAME at kernel virtual address ADDR."""
    return gdb.Value(addr).cast(typ(type_name).pointer()).dereference()


# --- memory -------------------------------------------------------------------

def read(addr, size):
    try:
        return bytes(gdb.selected_inferior().read_memory(addr, size))
    except gdb.MemoryError as e:
        raise gdb.GdbError("mm: cannot read %d bytes at 0x%08x: %s" % (size, addr, e))


def u32(addr):
    return struct.unpack("<I", read(addr, 4))[0]


def phys_to_virt(paddr):
    if paddr >= C().LOWMEM_LIMIT:
        raise gdb.GdbError("mm: physical 0x%08x is above lowmem: not in the direct map" % paddr)
    return paddr + C().KERNEL_VBASE


def virt_to_phys(vaddr):
    return vaddr - C().KERNEL_VBASE


def read_phys(paddr, size):
    return read(phys_to_virt(paddr), size)


def phys_u32(paddr):
    return u32(phys_to_virt(paddr))


def cstring(addr, size):
    """The NUL-terminated string in the SIZE-byte array at ADDR."""
    return read(addr, size).split(b"\0")[0].decode("latin-1")


def arg_int(text):
    """A command argument: any gdb expression (0xC0100000, $cr2, addr)."""
    try:
        return int(gdb.parse_and_eval(text))
    except gdb.error as e:
        raise gdb.GdbError("mm: %s: %s" % (text, e))


# --- lists ---------------------------------------------------------------------

def list_entries(head, struct_name, field, limit=1 << 20):
    """The objects linked through FIELD into the list whose head (a struct
    list_head value) is HEAD, first to last: lib/list.h's list_for_each plus
    container_of.  Stops after LIMIT (a corrupt list must not hang gdb)."""
    head_addr = int(head.address)
    off = offsetof(struct_name, field)
    node = int(head["next"])
    n = 0
    while node != head_addr and n < limit:
        yield deref(node - off, struct_name)
        node = int(deref(node, "struct list_head")["next"])
        n += 1


def array_len(value):
    lo, hi = value.type.range()
    return hi - lo + 1


# --- processes ------------------------------------------------------------------

def procs():
    """Every used slot of proc_table (state != PROC_UNUSED), in table order."""
    table = sym("proc_table")
    unused = enum_value("PROC_UNUSED")
    for i in range(array_len(table)):
        if int(table[i]["state"]) != unused:
            yield table[i]


def proc_name(p):
    return cstring(int(p["name"].address), p["name"].type.sizeof)


def proc_label(p):
    return "pid %d (%s)" % (int(p["pid"]), proc_name(p))


def find_proc(pid):
    for p in procs():
        if int(p["pid"]) == pid:
            return p
    raise gdb.GdbError("mm: no process with pid %d (mm-ps lists them)" % pid)


def space_label(as_addr):
    """Who owns the address space at AS_ADDR: a process, or the kernel."""
    if as_addr == int(sym("kernel_space").address):
        return "kernel_space"
    for p in procs():
        if int(p["as"]) == as_addr:
            return proc_label(p)
    return "address space 0x%08x (no process)" % as_addr


def vmas(as_value):
    """The regions (struct vma) of the address space AS_VALUE, by address."""
    return list_entries(as_value["vmas"], "struct vma", "link")


def vma_find(as_value, va):
    for v in vmas(as_value):
        if int(v["start"]) <= va < int(v["end"]):
            return v
    return None


# --- memory totals ----------------------------------------------------------------

def swap_device():
    """mm/swap.c's swapdev: (active, usable pages, disk name)."""
    try:
        dev = sym("swapdev", "mm/swap.c")
    except gdb.GdbError:
        return False, 0, None
    if not bool(dev["active"]):
        return False, 0, None
    m = dev["map"]
    total = int(m["nr_slots"]) - 1 - int(m["nr_bad"])   # swap_total_pages()
    disk = dev["disk"]
    name = cstring(int(disk["name"].address), disk["name"].type.sizeof) if int(disk) else "?"
    return True, total, name


def kib(pages):
    return pages * (C().PAGE_SIZE // 1024)


# --- the commands -------------------------------------------------------------------

COMMANDS = []


class MMCommand(gdb.Command):
    """Base of the mm-* commands: NAME, a docstring (the help text: first
    line a summary, then usage and an example), and run(ARGV)."""
    NAME = None

    def __init__(self):
        super().__init__(self.NAME, gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        self.dont_repeat()
        self.run(gdb.string_to_argv(arg))

    def usage(self):
        line = next(l for l in self.__doc__.splitlines() if l.startswith("Usage:"))
        raise gdb.GdbError(line.replace("Usage:", "usage:") + "   (help %s)" % self.NAME)


def register(cls):
    """Class decorator: create the gdb command CLS.NAME."""
    cls()
    COMMANDS.append(cls)
    return cls
