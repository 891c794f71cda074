# mk/user.mk - the user programs: ordinary static i386 Linux executables.
#
#   make user             build/user/NAME for every NAME in USER_PROGS, and
#                         build/user/progs.tar, all of them in one ustar
#                         archive (flat names) for the kernel to receive as
#                         a single multiboot module
#   make user-host-test   run each program on this Linux host and check its
#                         output (tools/run-user-host.py); prints SKIP and
#                         succeeds if the host cannot run i386 binaries
#
# The programs are built with the stock cross compiler and glibc, exactly as
# any Linux program would be, so their output on the host is the reference
# the kernel's output is compared to.  See user/README.md.

USER_PROGS := hello true squares leak touch sparse forker crash usertests sysfuzz bench service refstring
USER_BINS  := $(USER_PROGS:%=$(B)/user/%)

USER_CC     := $(CROSS)gcc
USER_CFLAGS := -static -O2 -Wall -Wextra -Werror -I$(B)/user

# leak is built as the course text builds it: -g, no optimisation.  At -O1
# and above gcc deletes malloc calls whose result is never used.
USER_LEAK_CFLAGS := -static -g -Wall -Wextra -Werror

$(filter-out $(B)/user/leak,$(USER_BINS)): $(B)/user/%: user/%.c mk/user.mk
	@mkdir -p $(@D)
	@echo "  USERCC  $<"
	$(Q)$(USER_CC) $(USER_CFLAGS) $< -o $@

# refstring carries the shipped reference strings (`refstring 40 @loop`).
$(B)/user/refs.h: $(sort $(wildcard tests/traces/refs/*.refs)) tools/refs2c.py
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tools/refs2c.py $(sort $(wildcard tests/traces/refs/*.refs)) > $@
$(B)/user/refstring: $(B)/user/refs.h

$(B)/user/leak: user/leak.c mk/user.mk
	@mkdir -p $(@D)
	@echo "  USERCC  $< (-g, unoptimised)"
	$(Q)$(USER_CC) $(USER_LEAK_CFLAGS) $< -o $@

# Owner, group and time are fixed so the same programs give the same archive.
$(B)/user/progs.tar: $(USER_BINS)
	@echo "  TAR     $@"
	$(Q)tar --format=ustar --owner=0 --group=0 --numeric-owner --mtime=@0 \
	    -cf $@ -C $(B)/user $(USER_PROGS)

# As for the kernel: install what is missing first, then build in a second
# make, so nothing is compiled before its compiler exists.
.PHONY: user user-progs user-host-test
user: setup
	$(Q)$(MAKE) --no-print-directory user-progs

user-progs: $(USER_BINS) $(B)/user/progs.tar

user-host-test: setup
	$(Q)$(MAKE) --no-print-directory user-progs
	$(PYTHON) tools/run-user-host.py $(B)/user
