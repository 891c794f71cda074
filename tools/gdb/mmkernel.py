"""tools/gdb/mmkernel.py - the kernel's own memory: mm-dmesg (the log
ring of kernel/klog.c) and mm-heap (kmalloc's heap, mm/heap.h and the
block layout drawn in mm/heap_block.h).

Both read the structures directly rather than calling the kernel's
dmesg/heap_dump: calling into a stopped kernel from gdb may run it on a
stack or with a lock it must not have, and does nothing before the
console exists.
"""
import struct

from mmcore import C, MMCommand, register, arg_int, enum_name, offsetof, read, sizeof, sym


def log_text():
    """klog_read's text: the ring, oldest byte first; once it has wrapped,
    starting after the first newline (the oldest line is partial)."""
    ring = sym("ring", "kernel/klog.c")
    size = ring.type.sizeof
    written = int(sym("ring_written", "kernel/klog.c"))
    data = read(int(ring.address), size)
    if written <= size:
        return data[:written].decode("latin-1")
    start = written % size
    text = data[start:] + data[:start]
    return text[text.find(b"\n") + 1:].decode("latin-1")


@register
class MMDmesg(MMCommand):
    """Print the kernel log ring (what the monitor's dmesg prints).

Usage: mm-dmesg [LINES]

Reads kernel/klog.c's ring[] (its size from the debug info) and
ring_written directly, so it works at any breakpoint, even before the
console is up or after a panic.  With LINES, only the last LINES lines.

Example:
  (gdb) mm-dmesg 2
  [    0.938779] Out of memory: Killed process 2 (service) total-vm:3944kB, anon-rss:3044kB, ...
  [    0.943511] oom_reaper: reaped process 2 (service), now anon-rss:0kB, file-rss:0kB, ...
"""
    NAME = "mm-dmesg"

    def run(self, argv):
        if len(argv) > 1:
            self.usage()
        lines = log_text().splitlines()
        if argv:
            lines = lines[-arg_int(argv[0]):]
        for line in lines:
            print(line)


class Layout:
    """Offsets of the heap's tags and headers, from the debug info."""

    def __init__(self):
        self.header = sizeof("struct heap_header")
        self.region = sizeof("struct heap_region")
        self.size_flags = offsetof("struct heap_header", "tag.size_flags")
        self.check = offsetof("struct heap_header", "tag.check")
        self.requested = offsetof("struct heap_header", "requested")
        self.region_next = offsetof("struct heap_region", "next")
        self.region_bytes = offsetof("struct heap_region", "bytes")


def region_blocks(lay, base, data):
    """The blocks of the region whose DATA (its bytes) starts at BASE:
    (address, size, used, requested) each, or a last (address, None, ...)
    at a corrupt tag.  Blocks tile the region from just above its
    descriptor up to the fence header at its top."""
    c = C()
    word = lambda off: struct.unpack_from("<I", data, off)[0]   # noqa: E731
    off, fence = lay.region, len(data) - lay.header
    while off < fence:
        sf, check = word(off + lay.size_flags), word(off + lay.check)
        size = sf & ~c.HEAP_TAG_FLAGS
        if check != c.HEAP_TAG_MAGIC ^ sf or size < c.HEAP_MIN_BLOCK:
            yield base + off, None, sf, check
            return
        yield base + off, size, bool(sf & c.HEAP_TAG_USED), word(off + lay.requested)
        off += size


def percent(num, den):
    return 100.0 * num / den if den else 0.0


@register
class MMHeap(MMCommand):
    """Show the kernel heap (kmalloc): policy, statistics, regions and blocks.

Usage: mm-heap [all]

kmalloc's heap (the static kheap of mm/kmalloc.c): its placement policy,
the counters of struct heap_stats, internal and external fragmentation
(as the monitor's `heap` computes them), then every region and its blocks
(address, size with tags, used or free, bytes requested) walked through
the boundary tags as heap_dump does; `<- rover` marks where next fit
resumes.  The walk's totals are checked against the counters.  Without
`all`, only the first 24 blocks are listed.

Example:
  (gdb) mm-heap
  heap kmalloc: policy HEAP_FIRST_FIT, 2 regions, 8192 bytes (peak 8192)
    in use: 77 blocks, 1908 bytes requested, 4096 given (internal fragmentation 53.4%)
    free:   1 blocks, 4016 bytes, largest 4016 (external fragmentation 0.0%)
    calls:  78 allocs, 0 failed, 1 frees, 0 refused; 79 blocks looked at in 80 searches
    region 0xc7fa9000..0xc7faa000 (4096 bytes)
      0xc7fa9018       40  used  requested 12
      0xc7fa9040     4016  free  <- rover
    region 0xc7fdf000..0xc7fe0000 (4096 bytes)
      0xc7fdf018       40  used  requested 12
  ...
  walk: 77 used + 1 free blocks, 4016 free bytes: matches heap.stats
"""
    NAME = "mm-heap"
    SHOWN = 24

    def run(self, argv):
        if argv not in ([], ["all"]):
            self.usage()
        if not bool(sym("kheap_ready", "mm/kmalloc.c")):
            print("mm-heap: kmalloc_init has not run: the heap is empty")
            return
        heap = sym("kheap", "mm/kmalloc.c")
        s = heap["stats"]
        st = {f.name: int(s[f.name]) for f in s.type.fields()}
        print("heap %s: policy %s, %d regions, %d bytes (peak %d)" % (
            heap["name"].string(), enum_name(heap["policy"], "enum heap_policy"),
            st["regions"], st["region_bytes"], st["peak_region_bytes"]))
        print("  in use: %d blocks, %d bytes requested, %d given (internal fragmentation %.1f%%)"
              % (st["live_blocks"], st["live_requested"], st["live_given"],
                 percent(st["live_given"] - st["live_requested"], st["live_given"])))
        lines = []
        used, free, free_bytes, largest = self.walk(heap, argv == ["all"], lines)
        print("  free:   %d blocks, %d bytes, largest %d (external fragmentation %.1f%%)"
              % (st["free_blocks"], st["free_bytes"], largest,
                 100.0 - percent(largest, st["free_bytes"]) if st["free_bytes"] else 0.0))
        print("  calls:  %d allocs, %d failed, %d frees, %d refused; %d blocks looked at "
              "in %d searches" % (st["allocs"], st["failed"], st["frees"], st["refused"],
                                  st["searched"], st["searches"]))
        print("\n".join(lines))
        ok = (used, free, free_bytes) == (st["live_blocks"], st["free_blocks"], st["free_bytes"])
        print("walk: %d used + %d free blocks, %d free bytes: %s" % (
            used, free, free_bytes, "matches heap.stats" if ok else "DOES NOT MATCH heap.stats"))

    def walk(self, heap, show_all, out):
        """The regions and blocks, as lines appended to OUT; returns (used
        blocks, free blocks, free bytes, largest free block)."""
        lay = Layout()
        rover = int(heap["rover"])
        used = free = free_bytes = largest = shown = 0
        r = int(heap["regions"])
        while r:
            nbytes = struct.unpack("<I", read(r + lay.region_bytes, 4))[0]
            data = read(r, nbytes)
            out.append("  region 0x%08x..0x%08x (%d bytes)" % (r, r + nbytes, nbytes))
            for addr, size, a, b in region_blocks(lay, r, data):
                if size is None:
                    out.append("    0x%08x  corrupt tag %08x %08x: stop" % (addr, a, b))
                    break
                if a:
                    used += 1
                    line = "    0x%08x  %7d  used  requested %d" % (addr, size, b)
                else:
                    free += 1
                    free_bytes += size
                    largest = max(largest, size)
                    line = "    0x%08x  %7d  free%s" % (
                        addr, size, "  <- rover" if addr + lay.header == rover else "")
                shown += 1
                if show_all or shown <= self.SHOWN:
                    out.append(line)
                elif shown == self.SHOWN + 1:
                    out.append("    ... (mm-heap all lists every block)")
            r = struct.unpack_from("<I", data, lay.region_next)[0]
        return used, free, free_bytes, largest
