#!/usr/bin/env python3
"""tools/gentrace.py - write a synthetic allocation trace, the same every time.

The generator imitates what programs do to a heap (Wilson et al.,
"Dynamic Storage Allocation: A Survey and Critical Review", 1995, section
3.4): most objects are small and die young, a few are large, and some live
until the end.  Each step allocates one object, gives it a lifetime, and
frees every object whose lifetime is over:

    size      50%  1..64 bytes     30%  65..512     15%  513..4096     5%  4097..16384
    lifetime  70%  1..20 steps     25%  21..300     5%   forever (never freed)

Random numbers come from xorshift32 (Marsaglia, 2003) seeded with SEED, not
from Python's random module, so the output depends on nothing but this file.

    python3 tools/gentrace.py > tests/traces/random.trace
    python3 tools/gentrace.py --events 4000 --seed 2024   (the defaults)
"""
import argparse
import heapq
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from xorshift import XorShift32  # noqa: E402




def pick_size(rng):
    r = rng.next() % 100
    if r < 50:
        return rng.between(1, 64)
    if r < 80:
        return rng.between(65, 512)
    if r < 95:
        return rng.between(513, 4096)
    return rng.between(4097, 16384)


def pick_lifetime(rng):
    r = rng.next() % 100
    if r < 70:
        return rng.between(1, 20)
    if r < 95:
        return rng.between(21, 300)
    return None                                 # lives to the end


def generate(events, seed):
    """Yield trace lines until EVENTS a/f lines have been produced."""
    rng = XorShift32(seed)
    deaths = []                                 # heap of (step, id)
    step = next_id = produced = 0
    while produced < events:
        size = pick_size(rng)
        life = pick_lifetime(rng)
        yield f"a {next_id} {size}"
        produced += 1
        if life is not None:
            heapq.heappush(deaths, (step + life, next_id))
        next_id += 1
        while deaths and deaths[0][0] <= step and produced < events:
            yield f"f {heapq.heappop(deaths)[1]}"
            produced += 1
        step += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args()
    out = sys.stdout
    out.write("# random.trace - synthetic, from tools/gentrace.py "
              f"--events {args.events} --seed {args.seed}\n")
    out.write("# Regenerate: python3 tools/gentrace.py > tests/traces/random.trace\n")
    for line in generate(args.events, args.seed):
        out.write(line + "\n")


if __name__ == "__main__":
    main()
