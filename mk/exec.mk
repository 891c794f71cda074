# mk/exec.mk - program files: the ELF validator (lib/elf.c) and the ustar
# reader (lib/tar.c), with the real files their host tests read.
#
#   make hosttests   includes the `elf` and `tar` suites, which read
#                    build/host/elf-samples/ and build/host/tar-samples/
#                    (built here first: tests run from the repository root)
#
# The samples are real toolchain output, not hand-made bytes, so the tests
# see exactly what the kernel's loader will be given:
#   hello32   i686-linux-gnu-gcc -static: what the kernel runs
#   dyn32     the same without -static (a PIE with PT_INTERP): refused
#   hello64   the host's gcc, x86-64: refused
#   sample.tar  GNU tar --format=ustar: small, empty, multi-block and
#               long-named files, a subdirectory
#   gnu.tar   the same files in GNU tar's default format: refused

# tests/host/test_{elf,tar}.c are already in HOST_SRCS (the wildcard).
HOST_SRCS += lib/elf.c lib/tar.c

ELF_SAMPLE_DIR := $(B)/host/elf-samples
TAR_SAMPLE_DIR := $(B)/host/tar-samples
ELF_SAMPLES    := $(ELF_SAMPLE_DIR)/hello32 $(ELF_SAMPLE_DIR)/dyn32 $(ELF_SAMPLE_DIR)/hello64
TAR_SAMPLES    := $(TAR_SAMPLE_DIR)/sample.tar $(TAR_SAMPLE_DIR)/gnu.tar

$(B)/host/hosttests: $(ELF_SAMPLES) $(TAR_SAMPLES)

# The source is written from here so that it cannot drift from this rule;
# the thread-local variable gives the binary a PT_TLS segment.
$(ELF_SAMPLE_DIR)/hello.c: mk/exec.mk
	@mkdir -p $(@D)
	@printf '%s\n' '#include <stdio.h>' \
	    'static __thread int calls = 1;' \
	    'int main(void) { printf("hello %d\n", calls++); return 0; }' > $@

EXEC_NEED_LIBC = { echo "exec.mk: $(CC) cannot link a user program;" \
                        "install the i386 C library: apt-get install -y libc6-dev-i386-cross"; \
                   exit 1; }

$(ELF_SAMPLE_DIR)/hello32: $(ELF_SAMPLE_DIR)/hello.c
	$(CC) -static -O2 $< -o $@ || $(EXEC_NEED_LIBC)

$(ELF_SAMPLE_DIR)/dyn32: $(ELF_SAMPLE_DIR)/hello.c
	$(CC) -O2 $< -o $@ || $(EXEC_NEED_LIBC)

$(ELF_SAMPLE_DIR)/hello64: $(ELF_SAMPLE_DIR)/hello.c
	$(HOSTCC) -O2 $< -o $@

# The tree the archives are made of.  tests/host/test_tar.c expects
# exactly these names and contents; the long name (5 + 70 + 1 + 74 = 150
# characters) only fits by using the ustar prefix field.
TAR_TREE := $(TAR_SAMPLE_DIR)/tree
$(TAR_TREE)/.stamp: mk/exec.mk
	rm -rf $(TAR_TREE) && mkdir -p $(TAR_TREE)/sub
	printf 'hello, tar\n' > $(TAR_TREE)/a.txt
	: > $(TAR_TREE)/empty
	seq 1 400 > $(TAR_TREE)/big.txt
	printf 'in a subdirectory\n' > $(TAR_TREE)/sub/b.txt
	d=long/$$(printf '%070d' 0 | tr 0 d); f=$$(printf '%070d' 0 | tr 0 f).txt; \
	    mkdir -p $(TAR_TREE)/$$d && printf 'a long name\n' > $(TAR_TREE)/$$d/$$f
	touch $@

# Reproducible: fixed order, owner and time.
TAR_FLAGS := --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 \
             -C $(TAR_TREE) a.txt empty big.txt sub long

$(TAR_SAMPLE_DIR)/sample.tar: $(TAR_TREE)/.stamp
	tar --format=ustar -cf $@ $(TAR_FLAGS)

$(TAR_SAMPLE_DIR)/gnu.tar: $(TAR_TREE)/.stamp
	tar --format=gnu -cf $@ $(TAR_FLAGS)
