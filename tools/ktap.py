#!/usr/bin/env python3
"""tools/ktap.py - read the KTAP a test run printed and judge it.

Used by tools/test.py for both the in-kernel self-tests (read from the
serial log) and the host unit tests (read from stdout): they share one
harness, so they share one parser.

A run passes only when: the top-level plan `1..N` is present, every suite
announced its own plan and printed that many results, every test case is
`ok` (a `# SKIP` counts as neither pass nor failure), the top-level result
count matches the plan, and no kernel panic or oops appears in the log.

Usage: ktap.py LOGFILE   prints a summary, exits 1 on failure.
"""
import re
import sys

# Linux-style timestamps that printk puts before each line.
STAMP = re.compile(r"^\[\s*\d+\.\d+\] ")
RESULT = re.compile(r"^(not ok|ok) (\d+) (\S+)(.*)$")
PLAN = re.compile(r"^1\.\.(\d+)$")
FATAL = re.compile(r"Kernel panic - not syncing|^Oops: |AddressSanitizer|runtime error:")


class Report:
    def __init__(self):
        self.passed = []      # "suite.case"
        self.failed = []      # (name, [diagnostic lines])
        self.skipped = []
        self.problems = []    # structural errors: missing plan, panic...

    @property
    def ok(self):
        return not self.failed and not self.problems


def parse(text):
    """Parse KTAP TEXT (possibly interleaved with other log lines)."""
    rep = Report()
    top_plan = None
    top_results = 0
    suite = None            # dict(name, plan, results, diag)
    seen_header = False
    for raw in text.splitlines():
        line = STAMP.sub("", raw.rstrip("\r"))
        if FATAL.search(line):
            rep.problems.append("fatal: " + line.strip())
        if line.strip() == "KTAP version 1" and not line.startswith(" "):
            seen_header = True
            continue
        if not seen_header:
            continue
        if line.startswith("    "):
            body = line[4:]
            if body.startswith("# Subtest: "):
                suite = {"name": body[11:].strip(), "plan": None, "results": 0, "diag": []}
            elif suite is not None and PLAN.match(body):
                suite["plan"] = int(PLAN.match(body).group(1))
            elif suite is not None and body.startswith("#"):
                suite["diag"].append(body)
            elif suite is not None and RESULT.match(body):
                m = RESULT.match(body)
                suite["results"] += 1
                name = suite["name"] + "." + m.group(3)
                if m.group(1) == "not ok":
                    rep.failed.append((name, suite["diag"]))
                elif "# SKIP" in m.group(4):
                    rep.skipped.append(name)
                else:
                    rep.passed.append(name)
                suite["diag"] = []
            continue
        if PLAN.match(line) and top_plan is None:
            top_plan = int(PLAN.match(line).group(1))
            continue
        m = RESULT.match(line)
        if m:
            top_results += 1
            if suite is None or suite["name"] != m.group(3):
                rep.problems.append("result for suite %s without its subtest" % m.group(3))
            elif suite["plan"] is None:
                rep.problems.append("suite %s printed no plan" % suite["name"])
            elif suite["plan"] != suite["results"]:
                rep.problems.append("suite %s planned %d tests but reported %d"
                                    % (suite["name"], suite["plan"], suite["results"]))
            suite = None
    if not seen_header:
        rep.problems.append("no 'KTAP version 1' header: the tests never started")
    elif top_plan is None:
        rep.problems.append("missing top-level plan 1..N")
    elif top_plan != top_results:
        rep.problems.append("planned %d suites but %d reported (crash or hang?)"
                            % (top_plan, top_results))
    return rep


def describe(rep, label):
    lines = []
    for name, diag in rep.failed:
        lines.append("%s: not ok %s" % (label, name))
        lines.extend("    " + d for d in diag)
    for p in rep.problems:
        lines.append("%s: %s" % (label, p))
    lines.append("%s: %d passed, %d failed, %d skipped" %
                 (label, len(rep.passed), len(rep.failed), len(rep.skipped)))
    return "\n".join(lines)


def main():
    text = open(sys.argv[1], errors="replace").read()
    rep = parse(text)
    print(describe(rep, sys.argv[1]))
    sys.exit(0 if rep.ok else 1)


if __name__ == "__main__":
    main()
