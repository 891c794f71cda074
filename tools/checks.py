"""tools/checks.py - checks on a boot's output that a regular expression
cannot express.  A scenario names one with `check: NAME`; each function
takes the serial output and returns a list of problems (empty: passed).
"""
import re


def buddyinfo_matches_meminfo(text):
    """Free blocks per order x block size must add up to MemFree, and the
    buddyinfo line must have Linux's layout (11 orders, width 6)."""
    problems = []
    line = re.search(r"^Node 0, zone   Normal((?: +\d+){11}) $", text, re.M)
    memfree = re.search(r"^MemFree: +(\d+) kB$", text, re.M)
    total = re.search(r"^MemTotal: +(\d+) kB$", text, re.M)
    if not line:
        return ["no buddyinfo line in Linux's format"]
    if not memfree or not total:
        return ["no MemFree/MemTotal lines in /proc/meminfo format"]
    counts = [int(n) for n in line.group(1).split()]
    free_kb = sum(n * (4 << order) for order, n in enumerate(counts))
    if free_kb != int(memfree.group(1)):
        problems.append("buddyinfo adds up to %d kB but MemFree says %s kB"
                        % (free_kb, memfree.group(1)))
    if int(memfree.group(1)) > int(total.group(1)):
        problems.append("MemFree exceeds MemTotal")
    return problems
