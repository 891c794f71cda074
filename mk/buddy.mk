# mk/buddy.mk - the buddy allocator's host tests and fuzzer.
#
#   make hosttests   includes the buddy suites (tests/kernel/kt_buddy.c
#                    runs on the host too; the stress test is host-only)
#   make fuzz        builds the libFuzzer harness with clang and runs it for
#                    FUZZ_SECONDS (30); a crash leaves its input in build/fuzz/

# This file is included before the Makefile's first rule: keep its rules
# from becoming the default goal (restored at the end).
buddy_saved_goal := $(.DEFAULT_GOAL)

# tests/host/{test_buddy_stress,buddy_model,page_arena}.c are already in
# HOST_SRCS (the Makefile's wildcard); these are the kernel's own files.
HOST_SRCS += mm/buddy.c mm/buddy_check.c mm/fragdemo.c tests/kernel/kt_buddy.c

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 30
FUZZ_SRCS    := tests/fuzz/fuzz_buddy.c mm/buddy.c mm/buddy_check.c \
                tests/host/buddy_model.c tests/host/page_arena.c \
                tests/host/shim.c lib/format.c lib/string.c
FUZZ_CFLAGS  := -std=gnu11 -Wall -Wextra -Werror -I. -DHOST_TEST -g -O1 \
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined

.PHONY: fuzz
$(B)/fuzz/fuzz_buddy: $(FUZZ_SRCS) $(wildcard mm/*.h lib/*.h kernel/*.h tests/host/*.h)
	@mkdir -p $(@D)/corpus
	@command -v $(FUZZ_CC) >/dev/null || \
	    { echo "fuzz: $(FUZZ_CC) not found: apt-get install -y clang"; exit 1; }
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SRCS) -o $@

fuzz: $(B)/fuzz/fuzz_buddy
	cd $(B)/fuzz && ./fuzz_buddy -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 corpus

.DEFAULT_GOAL := $(buddy_saved_goal)
