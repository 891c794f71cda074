#!/usr/bin/env python3
"""tools/qemu.py - boot the kernel headless in QEMU and capture COM1.

One function, boot(), used by the test runner, the benchmarks and the gdb
test: it starts qemu-system-i386 with the isa-debug-exit device, reads the
serial console until QEMU exits or the timeout passes, optionally answers
monitor prompts with commands, and returns (exit status, output text).
A timeout kills QEMU and is reported as status None: a hang fails a test
instead of blocking it.
"""
import os
import selectors
import subprocess
import time

QEMU = os.environ.get("QEMU", "qemu-system-i386")
PROMPT = b"mm> "


def qemu_command(kernel=None, iso=None, append="", mem="128M", extra=()):
    cmd = [QEMU, "-m", mem, "-display", "none", "-serial", "stdio",
           "-monitor", "none", "-no-reboot",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if iso:
        cmd += ["-cdrom", iso, "-boot", "d"]
    else:
        cmd += ["-kernel", kernel]
        if append:
            cmd += ["-append", append]
    return cmd + list(extra)


def boot(cmd, timeout=60, commands=(), log=None):
    """Run CMD; send each of COMMANDS after successive monitor prompts.

    Returns (status, text): status is QEMU's exit code, None on timeout."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    out = bytearray()
    pending = list(commands)
    prompts_seen = 0
    deadline = time.monotonic() + timeout
    status = None
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            proc.kill()
            proc.wait()
            out += b"\n[qemu.py: timed out after %ds]\n" % timeout
            break
        if sel.select(min(left, 0.5)):
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                status = proc.wait()
                break
            out += chunk
        if pending and out.count(PROMPT) > prompts_seen:
            prompts_seen = out.count(PROMPT)
            proc.stdin.write(pending.pop(0).encode() + b"\r")
            proc.stdin.flush()
    text = out.decode("utf-8", errors="replace").replace("\r\n", "\n")
    if log:
        with open(log, "w") as f:
            f.write(text)
    return status, text


def exit_status(value):
    """The status QEMU exits with when the kernel writes VALUE to 0xf4."""
    return (value << 1) | 1
