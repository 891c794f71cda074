#!/usr/bin/env python3
"""tools/qemu.py - boot the kernel headless in QEMU and capture COM1.

One function, boot(), used by the test runner, the benchmarks and the gdb
test: it starts qemu-system-i386 with the isa-debug-exit device, reads the
serial console until QEMU exits or the timeout passes, optionally answers
monitor prompts with commands, and returns (exit status, output text).
A timeout kills QEMU and is reported as status None: a hang fails a test
instead of blocking it.

QEMU's own monitor is off (-monitor none) unless qemu_command is given a
MONITOR socket path; boot() can then type monitor commands when the guest's
output first matches a pattern (e.g. `screendump FILE` while `watch` draws),
and notes each one, with QEMU's answer, at the end of the output.
"""
import os
import re
import selectors
import socket
import subprocess
import time

QEMU = os.environ.get("QEMU", "qemu-system-i386")
PROMPT = b"mm> "


def qemu_command(kernel=None, iso=None, append="", mem="128M", extra=(), monitor=None):
    cmd = [QEMU, "-m", mem, "-display", "none", "-serial", "stdio",
           "-monitor", "unix:%s,server,nowait" % monitor if monitor else "none",
           "-no-reboot",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if iso:
        cmd += ["-cdrom", iso, "-boot", "d"]
    else:
        cmd += ["-kernel", kernel]
        if append:
            cmd += ["-append", append]
    return cmd + list(extra)


def hmp(sock_path, command, timeout=10):
    """Type COMMAND at QEMU's human monitor on the unix socket SOCK_PATH
    (see qemu_command's MONITOR); returns its answer, without the echo."""
    deadline = time.monotonic() + timeout
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(timeout)
        s.connect(sock_path)

        def until_prompt():
            buf = b""
            while not buf.endswith(b"(qemu) ") and time.monotonic() < deadline:
                buf += s.recv(4096) or b"(qemu) "
            return buf.decode(errors="replace")

        until_prompt()                          # the banner
        s.sendall(command.encode() + b"\n")
        answer = until_prompt()[:-len("(qemu) ")]
    answer = re.sub(r".*\x1b\[K\r?\n?", "", answer, flags=re.S)   # the echo
    return answer.strip()


def boot(cmd, timeout=60, commands=(), log=None, monitor=None, triggers=()):
    """Run CMD; send each of COMMANDS after successive monitor prompts.
    TRIGGERS are (regex, QEMU monitor command) pairs: each command is typed
    at the MONITOR socket once, as soon as the output matches its regex.

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
    triggers, notes = list(triggers), []
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
        seen = out.decode(errors="replace").replace("\r\n", "\n") if triggers else ""
        for trig in [t for t in triggers if re.search(t[0], seen, re.M)]:
            triggers.remove(trig)
            try:
                answer = hmp(monitor, trig[1])
            except OSError as e:
                answer = "error: %s" % e
            notes.append("[qemu.py: monitor: %s -> %r]\n" % (trig[1], answer))
    out += "".join(notes).encode()
    text = out.decode("utf-8", errors="replace").replace("\r\n", "\n")
    if log:
        with open(log, "w") as f:
            f.write(text)
    return status, text


def free_port():
    """A TCP port on localhost nobody is listening on (for a gdb stub)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def exit_status(value):
    """The status QEMU exits with when the kernel writes VALUE to 0xf4."""
    return (value << 1) | 1
