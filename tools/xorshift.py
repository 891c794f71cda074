"""tools/xorshift.py - xorshift32 (Marsaglia, 2003) for the generators of
test data (tools/gentrace.py, tools/genrefs.py): the same numbers on every
machine and Python version, unlike the random module, and the same
sequence as ktest_rand in tests/ktest.h."""


class XorShift32:
    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF or 1

    def next(self):
        x = self.state
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        self.state = x
        return x

    def between(self, lo, hi):
        """A number in lo..hi, both included."""
        return lo + self.next() % (hi - lo + 1)
