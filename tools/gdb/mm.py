"""tools/gdb/mm.py - the kernel's memory from gdb: the mm-* commands.

Sourced by tools/gdb/kernel.gdb (so `make debug` and the gdb tests have
them), or by hand: `source tools/gdb/mm.py`.  Sourcing it again reloads
every module, so an edited helper is picked up without restarting gdb.

  mm-walk VADDR [PID]   page-table walk of an address (mmwalk.py)
  mm-buddy, mm-frame    the buddy free lists; one frame's struct page (mmframes.py)
  mm-ps, mm-vmas PID    processes with VIRT/RES/SWAP and OOM badness; regions (mmprocs.py)
  mm-dmesg, mm-heap     the kernel log ring; the kernel heap's blocks (mmkernel.py)

`mm-help` lists them; `help mm-walk` etc. explain each with an example.
Layout constants come from the debug info and build/gdb_constants.py
(mmcore.py says how); none is typed here.
"""
import importlib
import os
import sys


_here = os.path.dirname(os.path.abspath(__file__))
if _here not in sys.path:
    sys.path.insert(0, _here)

for _name in ("mmcore", "mmwalk", "mmframes", "mmprocs", "mmkernel"):
    if _name in sys.modules:
        importlib.reload(sys.modules[_name])
    else:
        importlib.import_module(_name)

import mmcore  # noqa: E402


@mmcore.register
class MMHelp(mmcore.MMCommand):
    """List the mm-* commands (gdb helpers for the kernel's memory).

Usage: mm-help

`help mm-NAME` explains one, with an example.  tools/gdb/README.md has a
whole session.
"""
    NAME = "mm-help"

    def run(self, argv):
        for cls in mmcore.COMMANDS:
            usage = next(l for l in cls.__doc__.splitlines() if l.startswith("Usage:"))
            print("%-24s %s" % (usage[len("Usage: "):], cls.__doc__.splitlines()[0]))
