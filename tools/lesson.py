#!/usr/bin/env python3
"""tools/lesson.py [--check | --gdb] [--mem SIZE] N - `make lesson N=3`.

Each lesson, docs/lessons/NN-NAME.md, carries its demonstration in one
fenced block tagged `lesson`, a `key: value` per line:

    ```lesson
    mem: 32M                     QEMU's RAM (-m)
    swap: no                     yes: attach build/swap.img as hdb
    script: fragdemo; buddyinfo  monitor commands run at boot (`;` between)
    expect: FAILED, although     a regular expression the output must match
    ```

`script` and `expect` may be repeated: the scripts are joined with `; `,
every expectation must match.  This program boots the kernel ELF directly
(no ISO, no self-tests) with the user programs and, with `swap: yes`, a
throw-away copy of the swap disk (snapshot=on: the image on disk is never
written), runs the script and leaves you at the monitor prompt, with the
serial console on this terminal.  Quit with `poweroff` (or Ctrl-A X
when there is no display and QEMU runs -nographic).

--mem SIZE replaces the lesson's RAM size (make lesson N=8 MEM=1G): the
same demonstration on a bigger machine.  With --gdb, QEMU waits for gdb
on localhost:1234 before the first instruction; the command to attach is
printed.  --check only reads the lesson and says what is wrong with it, if
anything (make checks N with it before building).

`make test` boots every lesson the same way, headless, and checks the
expectations (tools/test.py, run_lessons), so a lesson never shows a
command that no longer works.  The functions below are shared with it.
"""
import glob
import os
import re
import shutil
import subprocess
import sys

LESSONS = "docs/lessons"
KERNEL = "build/kernel.elf"
PROGS = "build/user/progs.tar"
SWAP_IMG = "build/swap.img"
KEYS = ("mem", "swap", "script", "expect")
BLOCK = re.compile(r"^```lesson[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)


class LessonError(Exception):
    pass


def lesson_paths():
    """Every lesson file, in order."""
    return sorted(glob.glob(os.path.join(LESSONS, "[0-9][0-9]-*.md")))


def find_lesson(n):
    """The file of lesson N (a number: 3, 03 and "3" all name 03-*.md)."""
    if not str(n).isdigit():
        raise LessonError("lesson number must be a number, not %r" % n)
    paths = glob.glob(os.path.join(LESSONS, "%02d-*.md" % int(n)))
    if len(paths) != 1:
        known = ", ".join(os.path.basename(p)[:2].lstrip("0") for p in lesson_paths())
        raise LessonError("no lesson %s in %s/ (lessons: %s)" % (n, LESSONS, known or "none"))
    return paths[0]


def parse(path):
    """The lesson block of PATH as a dict: mem, swap (bool), script, expect (list)."""
    text = open(path).read()
    blocks = BLOCK.findall(text)
    if len(blocks) != 1:
        raise LessonError("%s: %d ```lesson blocks, expected exactly one" % (path, len(blocks)))
    spec = {"mem": "32M", "swap": "no", "script": [], "expect": []}
    for line in blocks[0].splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if not sep or key not in KEYS:
            raise LessonError("%s: lesson block: unknown line %r (keys: %s)"
                              % (path, line, ", ".join(KEYS)))
        if isinstance(spec[key], list):
            spec[key].append(value)
        else:
            spec[key] = value
    if spec["swap"] not in ("yes", "no"):
        raise LessonError("%s: swap: must be yes or no" % path)
    script = "; ".join(s.rstrip("; ") for s in spec["script"])
    if not script or '"' in script:
        raise LessonError("%s: script: missing, or holds a double quote" % path)
    spec["swap"] = spec["swap"] == "yes"
    spec["script"] = script
    return spec


def qemu_extra(spec):
    """QEMU arguments for the lesson's programs and swap disk."""
    extra = ["-initrd", PROGS]
    if spec["swap"]:
        extra += ["-drive", "file=%s,format=raw,if=ide,index=1,snapshot=on" % SWAP_IMG]
    return extra


def kernel_append(spec, after=""):
    """The kernel command line: no self-tests, the lesson's script (+ AFTER)."""
    script = spec["script"] + ("; " + after if after else "")
    return 'tests=none script="%s"' % script


def interactive(n, gdb=False, mem=None):
    """Boot lesson N on this terminal (MEM: another RAM size; GDB: wait for
    gdb first).  Returns the N of the guest's `poweroff N`, else QEMU's
    exit status; raises LessonError if the lesson or a build file is
    missing."""
    path = find_lesson(n)
    spec = parse(path)
    if mem:
        spec["mem"] = mem
    for f in [KERNEL, PROGS] + ([SWAP_IMG] if spec["swap"] else []):
        if not os.path.exists(f):
            raise LessonError("%s is missing: build it first (make lesson N=%s does)" % (f, n))
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        display = ["-serial", "stdio"]          # VGA in a window, serial here
    else:
        display = ["-nographic"]
    cmd = [os.environ.get("QEMU", "qemu-system-i386"), "-m", spec["mem"],
           "-kernel", KERNEL, "-append", kernel_append(spec)] + qemu_extra(spec) + \
        display + ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if gdb:
        cmd += ["-s", "-S"]
    print("lesson %s: %s (%s RAM%s)" % (n, path, spec["mem"],
                                         ", swap on hdb" if spec["swap"] else ""))
    print("  script: %s" % spec["script"])
    print("  quit with `poweroff` at the mm> prompt%s"
          % ("" if display[0] == "-serial" else ", or Ctrl-A X"))
    if gdb:
        print("  QEMU waits for gdb; in another terminal (kernel.gdb loads the mm-* commands):\n"
              "    gdb -q %s -ex 'target remote localhost:1234' -x tools/gdb/kernel.gdb" % KERNEL)
    sys.stdout.flush()
    if not shutil.which(cmd[0]):
        raise LessonError("%s not found: apt-get install -y qemu-system-x86" % cmd[0])
    status = subprocess.call(cmd)
    # `poweroff N` exits QEMU with 2N+1: report N, so `poweroff 0` is success.
    return status // 2 if status % 2 == 1 else status


def main(argv):
    args, opts, mem = list(argv[1:]), set(), None
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--mem" and args:
            mem = args.pop(0)
        elif opt in ("--gdb", "--check"):
            opts.add(opt)
        else:
            args = []
    if len(args) != 1:
        sys.stderr.write("usage: tools/lesson.py [--check | --gdb] [--mem SIZE] N"
                         "   (make lesson N=3 [MEM=1G] [GDB=1])\n")
        return 2
    try:
        if "--check" in opts:
            parse(find_lesson(args[0]))
            return 0
        return interactive(args[0], gdb="--gdb" in opts, mem=mem)
    except LessonError as e:
        sys.stderr.write("lesson: %s\n" % e)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
