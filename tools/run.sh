#!/bin/sh
# tools/run.sh ISO MEM - `make run`: boot the GRUB ISO and land at the
# monitor.  With a display, QEMU opens its VGA window and the serial port
# stays on this terminal; without one, everything is on this terminal
# (-nographic).  Quit QEMU with Ctrl-A X, or `poweroff` at the monitor.
set -eu
iso=$1
mem=$2
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    exec qemu-system-i386 -m "$mem" -cdrom "$iso" -boot d -serial stdio \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 ${QEMU_EXTRA:-}
else
    exec qemu-system-i386 -m "$mem" -cdrom "$iso" -boot d -nographic \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 ${QEMU_EXTRA:-}
fi
