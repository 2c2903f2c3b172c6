#!/usr/bin/env python3
"""Runs `gpucost report` on R4's catalog and checks the HTML page: every tag closed in order,
self-contained (no script, no external href or src), the ranked table with one row per option,
inline SVG charts, the break-even (2,286 and 3,429), the matrix, the sensitivity and the price
provenance. When chromium is installed, loads the page headless and checks the rows are in the
rendered DOM and no console error is logged; without chromium that part reports itself skipped."""
import html.parser
import os
import shutil
import subprocess
import sys
import tempfile

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "wbr", "source"}
SVG_SELF = {"path", "rect", "line", "circle", "polyline", "polygon"}


class Checker(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack = []
        self.errors = []
        self.tables = {}
        self.current_table = None
        self.rows = 0
        self.svgs = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.errors.append("a <script>")
        for key in ("src", "href"):
            if key in attrs and not attrs[key].startswith("#"):
                self.errors.append(f"external {key}: {attrs[key]}")
        if tag == "svg":
            self.svgs += 1
        if tag == "table":
            self.current_table = attrs.get("id")
            self.tables[self.current_table] = 0
        if tag == "tr" and self.current_table and self.stack and self.stack[-1] == "tbody":
            self.tables[self.current_table] += 1
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID and tag not in SVG_SELF:
            self.errors.append(f"self-closed <{tag}/>")

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            return
        self.stack.pop()


def main():
    binary, source = sys.argv[1], sys.argv[2]
    cases = os.path.join(source, "tests", "golden", "cases")
    out = os.path.join(tempfile.mkdtemp(), "decision.html")
    result = subprocess.run([binary, "report", "--catalog", "r4.catalog.json", "--ref-gpu", "L4",
                             "--job-seconds", "420", "--revenue-per-job", "14", "-o", out],
                            cwd=cases, capture_output=True, text=True)
    if result.returncode != 0:
        print("FAIL: report exited", result.returncode, result.stderr)
        return 1
    text = open(out, encoding="utf-8").read()
    checker = Checker()
    checker.feed(text)
    checker.close()
    failures = list(checker.errors)
    if checker.stack:
        failures.append(f"unclosed: {checker.stack}")
    if checker.tables.get("ranked") != 6:
        failures.append(f"ranked rows: {checker.tables}")
    for table in ("workload-table", "breakeven", "matrix", "sensitivity", "provenance"):
        if not checker.tables.get(table):
            failures.append(f"no rows in table {table}")
    if checker.svgs != 3:
        failures.append(f"{checker.svgs} inline SVG charts, expected 3")
    for needle in ("2,286", "3,429", "vertex vm L4 per-job", "r4.catalog.json",
                   "2026-11-20T00:00:00Z"):
        if needle not in text:
            failures.append(f"missing {needle!r}")

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("SKIPPED: headless chromium check (chromium is not installed)")
    else:
        profile = tempfile.mkdtemp()
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--no-first-run", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0"]
        dom = subprocess.run([chromium] + flags + ["--dump-dom", "file://" + out],
                             capture_output=True, text=True, timeout=120)
        if "vertex vm L4 per-job" not in dom.stdout or "<svg" not in dom.stdout:
            failures.append("chromium: the rendered DOM lacks the rows or the charts")
        if "CONSOLE" in dom.stderr and "rror" in dom.stderr:
            failures.append("chromium console error: " + dom.stderr[-500:])
        shot = os.path.join(os.path.dirname(out), "decision.png")
        subprocess.run([chromium] + flags + [f"--screenshot={shot}", "--window-size=1280,2400",
                                             "file://" + out], capture_output=True, timeout=120)
        print("chromium: rendered; screenshot", shot if os.path.exists(shot) else "not written")

    if failures:
        print("\n".join("FAIL: " + f for f in failures))
        return 1
    print("report ok:", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
