#!/bin/sh
# tools/setup.sh - install the Debian packages the build, the tests and
# `make run` need, and only those that are missing.
#
# Called by `make run`, `make test` and friends before anything else, so a
# fresh Debian machine with only make and git can build and boot the kernel.
# Nothing is fetched from anywhere but the machine's own apt sources.
set -eu

# command-that-must-exist:debian-package
NEEDED="
qemu-system-i386:qemu-system-x86
nasm:nasm
grub-mkrescue:grub-common
xorriso:xorriso
mformat:mtools
i686-linux-gnu-gcc:gcc-i686-linux-gnu
i686-linux-gnu-ld:binutils-i686-linux-gnu
gdb:gdb
mkswap:util-linux
gcc:gcc
python3:python3
"

missing=""
for pair in $NEEDED; do
    cmd=${pair%%:*}
    pkg=${pair#*:}
    if ! command -v "$cmd" >/dev/null 2>&1 && ! [ -x "/usr/sbin/$cmd" ] && ! [ -x "/sbin/$cmd" ]; then
        case " $missing " in *" $pkg "*) ;; *) missing="$missing $pkg" ;; esac
    fi
done
# Files (not commands) some packages provide:
#   grub-mkrescue needs the BIOS platform files, which grub-common lacks;
#   i686-linux-gnu-gcc -static needs the i386 C library to link programs.
[ -d /usr/lib/grub/i386-pc ] || missing="$missing grub-pc-bin"
[ -f /usr/i686-linux-gnu/lib/libc.a ] || missing="$missing libc6-dev-i386-cross"

[ -z "$missing" ] && exit 0

echo "setup: missing Debian packages:$missing"
if [ "$(id -u)" = 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo"
else
    echo "setup: run this once, then try again:"
    echo "    sudo apt-get update && sudo apt-get install -y$missing"
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
