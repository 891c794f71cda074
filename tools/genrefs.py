#!/usr/bin/env python3
"""tools/genrefs.py - write a synthetic page-reference string, the same every time.

A reference string is the list of virtual page numbers a program touches, in
order: the input of every page-replacement textbook exercise and of the
simulator mm/vmsim.c.  This script writes the three workload strings shipped
in tests/traces/refs/ (format in tests/traces/refs/README.md):

  loop      the pages 0..PAGES-1 touched in order, ROUNDS times: a program
            sweeping an array a little larger than its memory.  Recency
            policies (LRU, CLOCK, FIFO) fault on every reference once the
            loop does not fit; OPT keeps most of the loop resident.

  zipf      REFS references to PAGES pages, page k (from 0) chosen with
            probability proportional to 1/(k+1): Zipf's law with exponent 1,
            the popularity curve of web objects, file blocks and database
            rows.  Page 0 is the hottest, then page 1, and so on.

  scanmix   PHASES phases, each HOT_REFS references drawn uniformly from a
            hot set of HOT pages, followed by a scan of SCAN pages that are
            never touched again (a program reading a large file once, or a
            backup job).  The hot set fits in memory; a scan of once-used
            pages can push it out of memory under LRU.

The Zipf sampler uses only integers: page k weighs floor(2^24 / (k+1)), and
a uniform number below the total weight picks the page whose cumulative
weight first exceeds it (a binary search).  Random numbers come from
xorshift32 (Marsaglia, 2003) seeded with --seed, not from Python's random
module, so the output depends on nothing but this file:

    python3 tools/genrefs.py loop    > tests/traces/refs/loop.refs
    python3 tools/genrefs.py zipf    > tests/traces/refs/zipf.refs
    python3 tools/genrefs.py scanmix > tests/traces/refs/scanmix.refs
"""
import argparse
import bisect
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from xorshift import XorShift32  # noqa: E402




def gen_loop(args, rng):
    for _ in range(args.rounds):
        yield from range(args.pages)


def gen_zipf(args, rng):
    cumulative, total = [], 0
    for k in range(args.pages):
        total += (1 << 24) // (k + 1)
        cumulative.append(total)
    for _ in range(args.refs):
        yield bisect.bisect_right(cumulative, rng.next() % total)


def gen_scanmix(args, rng):
    next_scan_page = args.hot
    for _ in range(args.phases):
        for _ in range(args.hot_refs):
            yield rng.next() % args.hot
        yield from range(next_scan_page, next_scan_page + args.scan)
        next_scan_page += args.scan


GENERATORS = {"loop": gen_loop, "zipf": gen_zipf, "scanmix": gen_scanmix}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("kind", choices=sorted(GENERATORS))
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--pages", type=int, help="loop: 50; zipf: 500")
    ap.add_argument("--rounds", type=int, default=20, help="loop")
    ap.add_argument("--refs", type=int, default=4000, help="zipf")
    ap.add_argument("--hot", type=int, default=25, help="scanmix: hot set size")
    ap.add_argument("--hot-refs", type=int, default=150, help="scanmix")
    ap.add_argument("--scan", type=int, default=40, help="scanmix: pages per scan")
    ap.add_argument("--phases", type=int, default=10, help="scanmix")
    args = ap.parse_args()
    if args.pages is None:
        args.pages = 50 if args.kind == "loop" else 500
    refs = list(GENERATORS[args.kind](args, XorShift32(args.seed)))
    argv = " ".join(sys.argv[1:])
    out = sys.stdout
    out.write(f"# {args.kind}.refs - {len(refs)} references to "
              f"{len(set(refs))} pages, from tools/genrefs.py {argv}\n")
    out.write(f"# Regenerate: python3 tools/genrefs.py {argv} "
              f"> tests/traces/refs/{args.kind}.refs\n")
    for i in range(0, len(refs), 20):
        out.write(" ".join(str(p) for p in refs[i:i + 20]) + "\n")


if __name__ == "__main__":
    main()
