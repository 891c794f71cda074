#!/bin/sh
# tools/mkiso.sh ISO KERNEL [MODULE...] - a GRUB rescue ISO that boots
# KERNEL with each MODULE (a program or a ustar archive of programs)
# loaded as a multiboot module named by its file name.
set -eu
iso=$1
kernel=$2
shift 2
dir=$(dirname "$iso")/isodir
rm -rf "$dir"
mkdir -p "$dir/boot/grub"
cp "$kernel" "$dir/boot/kernel.elf"
lines=""
for m in "$@"; do
    name=$(basename "$m")
    cp "$m" "$dir/boot/$name"
    lines="$lines    module /boot/$name $name\n"
done
# Replace each @MODULES@ line with the module lines (or nothing).
awk -v lines="$lines" '/@MODULES@/ { printf "%s", lines; next } { print }' \
    iso/boot/grub/grub.cfg > "$dir/boot/grub/grub.cfg"
grub-mkrescue -o "$iso" "$dir" > "$iso.log" 2>&1 || { cat "$iso.log"; exit 1; }
