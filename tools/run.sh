#!/bin/sh
# tools/run.sh ISO MEM [SWAPIMG] - `make run`: boot the GRUB ISO (with
# SWAPIMG as the swap disk) and land at the
# monitor.  With a display, QEMU opens its VGA window and the serial port
# stays on this terminal; without one, everything is on this terminal
# (-nographic).  Quit QEMU with Ctrl-A X, or `poweroff` at the monitor.
set -eu
iso=$1
mem=$2
swap=${3:-}
# The swap disk is the primary slave (hdb); the CD-ROM is the secondary master.
disk=""
[ -n "$swap" ] && disk="-drive file=$swap,format=raw,if=ide,index=1"
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    display="-serial stdio"
else
    display="-nographic"
fi
status=0
# shellcheck disable=SC2086
qemu-system-i386 -m "$mem" -cdrom "$iso" -boot d $display $disk \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 ${QEMU_EXTRA:-} || status=$?
# `poweroff N` exits QEMU with 2N+1: report N, so `poweroff 0` is success.
if [ $((status % 2)) -eq 1 ]; then
    exit $((status / 2))
fi
exit $status
