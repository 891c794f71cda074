# tools/gdb/kernel.gdb - gdb start-up for this kernel (used by `make debug`
# and by tools/gdbtest.py).  The kernel is a 32-bit i386 image whose
# addresses only exist once paging is on: break with `hbreak`, not `break`,
# on anything that runs before kmain.
set architecture i386
set disassembly-flavor intel
set print pretty on
# The mm-* commands (mm-walk, mm-buddy, mm-ps, ...): `mm-help` lists them.
source tools/gdb/mm.py
