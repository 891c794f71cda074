"""tools/gdb/mmframes.py - physical frames: mm-buddy (the buddy
allocator's free lists, mm/buddy.h) and mm-frame (one frame's struct page,
mm/page.h).

Both read lowmem_zone, the kernel's one zone: free_area[order] holds the
free blocks of 2^order frames, linked through struct page.lru, and
frames[pfn - base_pfn] describes frame PFN.
"""
import gdb

from mmcore import (C, MMCommand, register, arg_int, array_len, deref, enum_name,
                    enum_value, list_entries, sizeof, space_label, sym, cstring)

FIRST_BLOCKS = 4        # free blocks listed per order


def zone():
    return sym("lowmem_zone")


def page_pfn(z, page):
    """zone_page_to_pfn: the frame number the descriptor PAGE describes."""
    return int(z["base_pfn"]) + (int(page.address) - int(z["frames"])) // sizeof("struct page")


def pfn_page(z, pfn):
    """zone_pfn_to_page, refusing frames outside the zone."""
    base, n = int(z["base_pfn"]), int(z["nr_frames"])
    if not base <= pfn < base + n:
        raise gdb.GdbError("mm-frame: pfn 0x%x is outside zone %s (pfn 0x%x..0x%x)"
                           % (pfn, z["name"].string(), base, base + n - 1))
    return z["frames"][pfn - base]


def block_head(z, pfn):
    """zone_block_head: the head of the free or allocated block holding
    PFN, or None (reserved).  At most MAX_ORDER probes: a head of order N
    sits at PFN with its low N bits cleared."""
    tail, reserved = enum_value("PAGE_TAIL"), enum_value("PAGE_RESERVED")
    base, n = int(z["base_pfn"]), int(z["nr_frames"])
    for order in range(C().MAX_ORDER + 1):
        start = pfn & ~((1 << order) - 1)
        if not base <= start < base + n:
            return None
        page = z["frames"][start - base]
        if int(page["state"]) == reserved:
            return None
        if int(page["state"]) != tail:
            return page if int(page["order"]) >= order else None
    return None


@register
class MMBuddy(MMCommand):
    """Show the buddy allocator's free lists: blocks per order, first few pfns.

Usage: mm-buddy

For each order N of lowmem_zone.free_area[] (blocks of 2^N frames):
nr_free, the pages they hold, and the frame numbers of the first few
blocks on the list (a block of order N starts at a multiple of 2^N).
Then the totals, checked against zone.free_pages, and the line the
monitor's `buddyinfo` prints (/proc/buddyinfo).

Example:
  (gdb) mm-buddy
  zone Normal: pfn 0x0..0x7fdf (32736 frames), 29383 managed, 29270 free (114.3 MiB)
  order  block     nr_free  free pages  first blocks (pfn)
      0     4 KiB        0           0
      1     8 KiB        1           2  0x7faa
  ...
     10     4 MiB       27       27648  0x7800 0x7400 0x7000 0x6c00 ...
  total: 29270 free pages in 36 blocks; zone.free_pages 29270: consistent
  Node 0, zone   Normal      0      1      1      0      1      0      1      2      1      2     27
"""
    NAME = "mm-buddy"

    def run(self, argv):
        if argv:
            self.usage()
        z = zone()
        c = C()
        base, n = int(z["base_pfn"]), int(z["nr_frames"])
        free = int(z["free_pages"])
        print("zone %s: pfn 0x%x..0x%x (%d frames), %d managed, %d free (%.1f MiB)"
              % (z["name"].string(), base, base + n - 1, n, int(z["managed_pages"]), free,
                 free * c.PAGE_SIZE / 2**20))
        print("order  block     nr_free  free pages  first blocks (pfn)")
        total = blocks = 0
        counts = []
        for order in range(array_len(z["free_area"])):
            area = z["free_area"][order]
            nr = int(area["nr_free"])
            counts.append(nr)
            firsts = []
            for i, page in enumerate(list_entries(area["free_list"], "struct page", "lru")):
                if i == FIRST_BLOCKS:
                    firsts.append("...")
                    break
                firsts.append("0x%x" % page_pfn(z, page))
            size_kib = (c.PAGE_SIZE << order) // 1024
            size = "%d MiB" % (size_kib // 1024) if size_kib >= 1024 else "%d KiB" % size_kib
            print("%5d  %8s  %7d  %10d  %s" % (order, size, nr, nr << order, " ".join(firsts)))
            total += nr << order
            blocks += nr
        verdict = "consistent" if total == free else "MISMATCH"
        print("total: %d free pages in %d blocks; zone.free_pages %d: %s"
              % (total, blocks, free, verdict))
        print("Node 0, zone %8s %s" % (z["name"].string(), " ".join("%6d" % x for x in counts)))


@register
class MMFrame(MMCommand):
    """Show one frame's struct page: state, order, owner, users, reverse map.

Usage: mm-frame PFN

PFN is a frame number (physical address >> 12; any gdb expression, e.g.
$mm_pfn after mm-walk).  Prints lowmem_zone.frames[PFN - base_pfn]: the
buddy state (a tail frame names the head of its block), order, owner,
refcount, pt_used (page tables: entries in use), flags; for a user page
every PTE that maps it (rmap: address space and virtual address, with the
process), its swap-cache slot or page-cache index, and its place in the
page-replacement policy (rp: state, id).

Example:
  (gdb) mm-frame 0x7fa8
  pfn 0x7fa8: physical 0x07fa8000, kernel virtual 0xc7fa8000, lowmem_zone.frames[32680]
    state PAGE_ALLOCATED, order 0 (1 frame), owner OWNER_USER, refcount 1, pt_used 0, flags 0x0
    rmap: 1 mapping
      pid 2 (touch) va 0x40001000  (as 0xc7fdf268)
    swap cache: no copy on swap (index 0)
    rp: RP_COLD, id 0x856bd618, flags 0x1
"""
    NAME = "mm-frame"

    def run(self, argv):
        if len(argv) != 1:
            self.usage()
        pfn = arg_int(argv[0])
        if pfn < 0:
            raise gdb.GdbError("mm-frame: pfn %d: no frame (after mm-walk: the walk "
                               "stopped before reaching one)" % pfn)
        z = zone()
        page = pfn_page(z, pfn)
        c = C()
        phys = pfn << c.PAGE_SHIFT
        print("pfn 0x%x: physical 0x%08x, kernel virtual 0x%08x, lowmem_zone.frames[%d]"
              % (pfn, phys, phys + c.KERNEL_VBASE, pfn - int(z["base_pfn"])))
        state = int(page["state"])
        order = int(page["order"])
        print("  state %s, order %d (%d frame%s), owner %s, refcount %d, pt_used %d, flags %#x"
              % (enum_name(state, "enum page_state"), order, 1 << order,
                 "s" if order else "", enum_name(page["owner"], "enum page_owner"),
                 int(page["refcount"]), int(page["pt_used"]), int(page["flags"])))
        if state == enum_value("PAGE_TAIL"):
            head = block_head(z, pfn)
            if head is None:
                print("  a tail frame with no valid head: corrupt")
            else:
                print("  tail of the %s order-%d block headed by pfn 0x%x"
                      % (enum_name(head["state"], "enum page_state"), int(head["order"]),
                         page_pfn(z, head)))
        elif state == enum_value("PAGE_FREE"):
            print("  head of a free block of %d frames, on free_area[%d]" % (1 << order, order))
        elif state == enum_value("PAGE_RESERVED"):
            print("  reserved: never given to the allocator (firmware, the kernel image, the "
                  "frame array, boot modules); the owner says who keeps it")
        elif state == enum_value("PAGE_ALLOCATED"):
            self.user_page(page)

    def user_page(self, page):
        owner = int(page["owner"])
        user, cache = enum_value("OWNER_USER"), enum_value("OWNER_PAGECACHE")
        entries = []
        e = int(page["rmap"])
        while e and len(entries) < 1024:
            entry = deref(e, "struct rmap_entry")
            entries.append(entry)
            e = int(entry["next"])
        if entries or owner in (user, cache):
            print("  rmap: %d mapping%s" % (len(entries), "" if len(entries) == 1 else "s"))
            for entry in entries:
                print("    %s va 0x%08x  (as 0x%08x)" % (space_label(int(entry["as"])),
                                                       int(entry["va"]), int(entry["as"])))
        index = int(page["index"])
        if owner == cache and int(page["mapping"]):
            prog = deref(int(page["mapping"]), "struct program")
            name = cstring(int(prog["name"].address), prog["name"].type.sizeof)
            print("  page cache: program %s, file page %d" % (name, index))
        elif owner == user:
            print("  swap cache: " + ("slot %d holds a copy" % index if index
                                      else "no copy on swap (index 0)"))
        if owner in (user, cache):
            rp = page["rp"]
            print("  rp: %s, id %#x, flags %#x" % (enum_name(rp["state"], "enum rp_state"),
                                                  int(rp["id"]), int(rp["flags"])))
