# mk/heap.mk - the kernel heap (mm/heap*.c), kmalloc and the fit-policy lab.
#
# Host tests: the heap and the lab are pure logic, so they run natively
# too.  kt_heap.c is a kernel test file that also builds on the host;
# tests/host/*.c are already in HOST_SRCS.  mm/kmalloc.c needs the buddy
# allocator and stays kernel-only.
HOST_SRCS += mm/heap.c mm/heap_policy.c mm/heap_check.c mm/fitlab.c \
             tests/kernel/kt_heap.c

# Every tests/traces/*.trace is embedded in the kernel for the `fitlab`
# command: tools/mkembed.sh writes build/gen/traces.S (.incbin of each
# file plus a table), the Makefile's $(B)/%.o: $(B)/%.S rule assembles it,
# and the kernel link takes it through KERNEL_EXTRA_OBJ.
TRACE_FILES := $(sort $(wildcard tests/traces/*.trace))

# Regenerated on every make but only replaced when its text changes (a
# trace added or removed), so an unchanged kernel is not relinked.
$(B)/gen/traces.S: heap-traces-list
	@mkdir -p $(@D)
	@sh tools/mkembed.sh .rodata.fitlab_traces fitlab_embedded trace $(abspath $(TRACE_FILES)) > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

# .incbin is invisible to dependency tracking: name the traces here.
$(B)/gen/traces.o: $(TRACE_FILES)

.PHONY: heap-traces-list
heap-traces-list:

KERNEL_EXTRA_OBJ += $(B)/gen/traces.o
