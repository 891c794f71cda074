# mk/gdb.mk - what the gdb helpers (tools/gdb/mm.py) need from the build.
#
#   make          also writes build/gdb_constants.py: the integer #defines
#                 of the headers below (KERNEL_VBASE, PAGE_SHIFT, the PTE_*
#                 bits, PTE_SWAP, ...) as Python, so the helpers never type
#                 a layout constant a second time.  Types, struct layouts
#                 and enum values they read from the kernel's debug info.
#   make debug    gdb sources tools/gdb/kernel.gdb, which loads mm.py
#
# The generator is the C preprocessor itself (-E -dM: every macro in force
# after the headers) filtered by tools/gdb/mkconst.py, which keeps the
# #defines written in these headers whose value is an integer.

GDB_CONST_HEADERS := kernel/layout.h mm/pgtable.h mm/swap.h mm/vm.h mm/page.h \
                     mm/buddy.h mm/oom.h mm/heap.h mm/heap_block.h \
                     drivers/ata.h kernel/exec.h

# Order-only: every build makes (or refreshes) the file, but a change to
# the generator alone does not relink the kernel.
$(B)/kernel.elf: | $(B)/gdb_constants.py

$(B)/gdb_constants.py: $(GDB_CONST_HEADERS) tools/gdb/mkconst.py mk/gdb.mk
	@mkdir -p $(@D)
	@echo "  GEN     $@"
	$(Q)$(CC) -E -dM -I. $(addprefix -include ,$(GDB_CONST_HEADERS)) -x c /dev/null \
	    | $(PYTHON) tools/gdb/mkconst.py $(GDB_CONST_HEADERS) > $@.tmp
	$(Q)mv $@.tmp $@
