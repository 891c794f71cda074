#!/bin/sh
# tools/debug.sh KERNEL MEM - `make debug`: QEMU paused with a gdb stub on
# localhost:1234, and gdb attached, stopped at kmain with source lines.
# QEMU's own window (or serial on this terminal without a display) shows
# the console; quit gdb to stop QEMU.
set -eu
kernel=$1
mem=$2
if [ -n "${DISPLAY:-}" ]; then
    display="-serial vc"
else
    display="-display none -serial file:build/debug-serial.log"
    echo "debug: no display; the console goes to build/debug-serial.log"
fi
# shellcheck disable=SC2086
qemu-system-i386 -m "$mem" -kernel "$kernel" -no-reboot -s -S $display \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 &
qemu_pid=$!
trap 'kill $qemu_pid 2>/dev/null || true' EXIT INT TERM
gdb -q "$kernel" \
    -ex "target remote localhost:1234" \
    -x tools/gdb/kernel.gdb \
    -ex "hbreak kmain" \
    -ex "continue"
