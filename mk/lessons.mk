# mk/lessons.mk - the lessons of docs/lessons/, one idea each.
#
#   make lesson N=3          boot straight into lesson 3's demonstration
#                            (its ```lesson block: RAM, swap, script) and
#                            land at the monitor; quit with `poweroff`
#   make lesson N=8 MEM=1G   the same demonstration with another RAM size
#   make lesson N=3 GDB=1    QEMU waits for gdb on localhost:1234 first
#
# tools/lesson.py reads the lesson block; `make test` boots every lesson
# headless and checks its expectations (tools/test.py, run_lessons).
# As for `make run`: install what is missing first, then build in a second
# make, so nothing is compiled before its compiler exists.  SWAP_IMG is
# defined by the Makefile after this file is read: it is used only in the
# recipe, which is expanded when it runs.  MEM has a default in the
# Makefile (for `make run`); only a MEM the user gave reaches the lesson.

LESSON_MEM = $(if $(filter command line environment,$(origin MEM)),--mem $(MEM) )

.PHONY: lesson
lesson: setup
	@[ -n "$(N)" ] || { echo "lesson: which one? make lesson N=3 (the lessons are docs/lessons/NN-*.md)"; exit 2; }
	@$(PYTHON) tools/lesson.py --check "$(N)"
	$(Q)$(MAKE) --no-print-directory $(B)/kernel.elf user-progs $(SWAP_IMG)
	$(PYTHON) tools/lesson.py $(if $(GDB),--gdb )$(LESSON_MEM)"$(N)"
