# mk/swap.mk - swap areas (mm/swap_header.c, mm/swap_map.c), the page
# replacement policies (mm/replace*.c) and their simulator (mm/vmsim.c).
#
#   make hosttests   includes the `swap_header`, `swap_map` and `replace`
#                    suites; the first reads build/host/swap-samples/,
#                    made here first by the real mkswap (util-linux)
#   make kernel      embeds tests/traces/refs/*.refs for `vmsim FRAMES @NAME`
#
# The samples are what Debian's mkswap writes, not hand-made bytes:
#   swap64.img   64 MiB sparse file: last_page 16383, "Adding 65532k swap"
#   teach.img    1 MiB, label "teach", a fixed UUID

# tests/host/test_{swap_header,swap_map,replace}.c are already in HOST_SRCS
# (the Makefile's wildcard); these are the kernel's own files.
HOST_SRCS += mm/swap_header.c mm/swap_map.c mm/replace.c mm/replace_clockpro.c mm/vmsim.c

SWAP_SAMPLE_DIR := $(B)/host/swap-samples
SWAP_SAMPLES    := $(SWAP_SAMPLE_DIR)/swap64.img $(SWAP_SAMPLE_DIR)/teach.img

$(B)/host/hosttests: $(SWAP_SAMPLES)

# mkswap lives in /sbin, which is not on every user's PATH.
MKSWAP := $(firstword $(wildcard /usr/sbin/mkswap /sbin/mkswap) $(shell command -v mkswap))
SWAP_NEED_MKSWAP = { echo "swap.mk: mkswap not found: apt-get install -y util-linux"; exit 1; }

# mkswap warns about a world-readable file and (for sparse files) about
# holes a kernel might refuse to swap to: both are harmless for a sample.
$(SWAP_SAMPLE_DIR)/swap64.img: mk/swap.mk
	@mkdir -p $(@D)
	@[ -n "$(MKSWAP)" ] || $(SWAP_NEED_MKSWAP)
	rm -f $@ && truncate -s 64M $@ && chmod 600 $@
	$(MKSWAP) -q $@

$(SWAP_SAMPLE_DIR)/teach.img: mk/swap.mk
	@mkdir -p $(@D)
	@[ -n "$(MKSWAP)" ] || $(SWAP_NEED_MKSWAP)
	rm -f $@ && truncate -s 1M $@ && chmod 600 $@
	$(MKSWAP) -q -L teach -U 01234567-89ab-cdef-0123-456789abcdef $@

# Every tests/traces/refs/*.refs is embedded in the kernel for `vmsim
# FRAMES @NAME`: tools/mkembed.sh writes build/gen/refs.S (.incbin of each
# file plus a table), the Makefile's $(B)/%.o: $(B)/%.S rule assembles it,
# and the kernel link takes it through KERNEL_EXTRA_OBJ.
REFS_FILES := $(sort $(wildcard tests/traces/refs/*.refs))

# Regenerated on every make but only replaced when its text changes (a
# string added or removed), so an unchanged kernel is not relinked.
$(B)/gen/refs.S: swap-refs-list
	@mkdir -p $(@D)
	@sh tools/mkembed.sh .rodata.vmsim_refs vmsim_refs_table refs $(abspath $(REFS_FILES)) > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

# .incbin is invisible to dependency tracking: name the strings here.
$(B)/gen/refs.o: $(REFS_FILES)

.PHONY: swap-refs-list
swap-refs-list:

KERNEL_EXTRA_OBJ += $(B)/gen/refs.o
