#!/usr/bin/env python3
"""tools/check_screendump.py - read a QEMU screendump of `watch`, check it,
convert it to PNG.  Plain Python: no PIL.

QEMU's `screendump FILE` (monitor command) writes the VGA screen as a
binary PPM (P6): "P6\\n720 400\\n255\\n", then 720x400 RGB triples.  In text
mode a character cell is 9x16 pixels (some modes 8x16), so cell (row, col)
starts at pixel (col * W, row * H) with W = width / 80, H = height / 25.

kernel/watch.c draws each map cell as one character in one of the 16 VGA
colours on black (a full block, or a dot for free frames), so a cell's
colour is the commonest non-black colour of its pixels; watch prints on the
serial console which VGA colour number stands for what:

    watch: colours free=8 kernel=1 ... reserved=0 pid2=14 pid3=11
    watch: free 20280 KiB  swap used 0 KiB  faults/s -  last OOM kill: none

check(ppm_path, serial_text) returns a list of problems (empty: passed):
  - the map area (rows 1..22) shows the free and kernel colours and the
    colours of at least two processes, all different;
  - the status line (row 24) is not empty;
  - the last `watch:` status line on the serial console gives the same
    free and swap-used KiB as the `free` printed right after it.

Usage:
  tools/check_screendump.py FILE.ppm [SERIAL.log]   check, print problems
  tools/check_screendump.py --png FILE.ppm OUT.png  convert
"""
import collections
import re
import struct
import sys
import zlib

COLS, ROWS = 80, 25
MAP_ROWS = range(1, ROWS - 2)       # kernel/watch.c: WATCH_MAP_ROW .. + WATCH_MAP_ROWS
STATUS_ROW = ROWS - 1

# The standard VGA text palette for attribute colours 0..15 (0xAA for a
# normal component, 0x55 added for the bright half, brown's green halved).
# The DAC holds 6 bits per component and QEMU widens them its own way
# (0x15 becomes 0x57, 0x2A becomes 0xA8), so pixels are matched to the
# nearest entry, not compared for equality.
VGA_RGB = [
    (0x00, 0x00, 0x00), (0x00, 0x00, 0xAA), (0x00, 0xAA, 0x00), (0x00, 0xAA, 0xAA),
    (0xAA, 0x00, 0x00), (0xAA, 0x00, 0xAA), (0xAA, 0x55, 0x00), (0xAA, 0xAA, 0xAA),
    (0x55, 0x55, 0x55), (0x55, 0x55, 0xFF), (0x55, 0xFF, 0x55), (0x55, 0xFF, 0xFF),
    (0xFF, 0x55, 0x55), (0xFF, 0x55, 0xFF), (0xFF, 0xFF, 0x55), (0xFF, 0xFF, 0xFF),
]


def nearest_vga(rgb):
    return min(range(16), key=lambda i: sum((a - b) ** 2 for a, b in zip(rgb, VGA_RGB[i])))


class Image:
    def __init__(self, width, height, rgb):
        self.width, self.height, self.rgb = width, height, rgb

    def pixel(self, x, y):
        i = (y * self.width + x) * 3
        return tuple(self.rgb[i:i + 3])

    def cell_size(self):
        return self.width // COLS, self.height // ROWS

    def cell_color(self, row, col):
        """The VGA colour number of a character cell: its commonest
        non-black pixel colour (the character's), or 0 if it is blank."""
        w, h = self.cell_size()
        counts = collections.Counter(self.pixel(x, y) for y in range(row * h, row * h + h)
                                     for x in range(col * w, col * w + w))
        counts.pop((0, 0, 0), None)
        return nearest_vga(counts.most_common(1)[0][0]) if counts else 0

    def row_has_ink(self, row):
        """Is any pixel of text row ROW not black?"""
        w, h = self.cell_size()
        start = row * h * self.width * 3
        return any(self.rgb[start:start + h * self.width * 3])


def read_ppm(path):
    """Parse a binary PPM (P6, maxval 255) into an Image."""
    data = open(path, "rb").read()
    fields, pos = [], 0
    while len(fields) < 4:          # magic, width, height, maxval
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    pos += 1                        # exactly one whitespace byte before the pixels
    if fields[0] != b"P6" or int(fields[3]) != 255:
        raise ValueError("%s: not a P6 PPM with maxval 255" % path)
    width, height = int(fields[1]), int(fields[2])
    rgb = data[pos:pos + width * height * 3]
    if len(rgb) != width * height * 3:
        raise ValueError("%s: truncated (%d of %d pixel bytes)" % (path, len(rgb), width * height * 3))
    return Image(width, height, rgb)


def write_png(image, path):
    """An 8-bit RGB PNG: signature, IHDR, one IDAT (filter 0 rows), IEND."""
    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body +
                struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    stride = image.width * 3
    raw = b"".join(b"\0" + image.rgb[y * stride:(y + 1) * stride] for y in range(image.height))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", image.width, image.height, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def watch_colours(text):
    """The first `watch: colours` line as {name: VGA colour number}."""
    m = re.search(r"^watch: colours (.*)$", text, re.M)
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(1))} if m else {}


def status_matches_free(text):
    """The last watch status line against the first `free` after it."""
    statuses = list(re.finditer(r"^watch: free (\d+) KiB  swap used (\d+) KiB  faults/s \S+  "
                                r"last OOM kill: .*$", text, re.M))
    if len(statuses) < 2:
        return ["%d watch status lines on the serial console, expected 2 (start, end)"
                % len(statuses)]
    last = statuses[-1]
    mem = re.compile(r"^Mem: +\d+ +\d+ +(\d+) ", re.M).search(text, last.end())
    swap = re.compile(r"^Swap: +\d+ +(\d+) +\d+$", re.M).search(text, last.end())
    if not mem or not swap:
        return ["no `free` output after the last watch status line"]
    problems = []
    if mem.group(1) != last.group(1):
        problems.append("watch says free %s KiB, free says %s KiB" % (last.group(1), mem.group(1)))
    if swap.group(1) != last.group(2):
        problems.append("watch says swap used %s KiB, free says %s KiB"
                        % (last.group(2), swap.group(1)))
    return problems


def check(ppm_path, text):
    try:
        image = read_ppm(ppm_path)
    except (OSError, ValueError) as e:
        return ["screendump unreadable: %s" % e]
    if image.width < COLS or image.height < ROWS:
        return ["screendump is %dx%d: not a text screen" % (image.width, image.height)]
    colours = watch_colours(text)
    pids = sorted(k for k in colours if k.startswith("pid"))
    problems = []
    if "free" not in colours or "kernel" not in colours or len(pids) < 2:
        problems.append("no `watch: colours` line naming free, kernel and two pids")
    shown = {image.cell_color(r, c) for r in MAP_ROWS for c in range(COLS)}
    wanted = ["free", "kernel"] + pids
    for name in wanted:
        if name in colours and colours[name] not in shown:
            problems.append("%s colour %d not in the map (it shows %s)"
                            % (name, colours[name], sorted(shown)))
    distinct = {colours[n] for n in wanted if n in colours}
    if len(distinct) < len([n for n in wanted if n in colours]):
        problems.append("free, kernel and the processes do not have distinct colours: %s"
                        % {n: colours[n] for n in wanted if n in colours})
    if not image.row_has_ink(STATUS_ROW):
        problems.append("the status line (row %d) is empty" % STATUS_ROW)
    return problems + status_matches_free(text)


def main(argv):
    if len(argv) == 4 and argv[1] == "--png":
        write_png(read_ppm(argv[2]), argv[3])
        return 0
    if len(argv) not in (2, 3):
        print("usage: check_screendump.py FILE.ppm [SERIAL.log] | --png FILE.ppm OUT.png",
              file=sys.stderr)
        return 2
    text = open(argv[2], errors="replace").read() if len(argv) == 3 else ""
    problems = check(argv[1], text)
    for p in problems:
        print("FAIL: " + p)
    print("ok" if not problems else "%d problems" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
