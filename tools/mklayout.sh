#!/bin/sh
# tools/mklayout.sh HEADER - turn the numeric #defines of kernel/layout.h
# into NASM %defines, so the assembly uses the C header's values and no
# constant is kept equal by hand.
set -eu
sed -n 's/^#define[ \t]\{1,\}\([A-Z_][A-Z0-9_]*\)[ \t]\{1,\}\([^/]*\).*$/%define \1 \2/p' "$1" |
    sed 's/[ \t]*$//'
