#!/usr/bin/env python3
"""Runs the real binary's --chart on compare, breakeven and matrix and checks each SVG: it parses
as XML, has a title, labelled axes, a legend, and the series the result has (R4's break-even points
at 2,286 and 3,429; R7's stacked contributions adding up to 91 and 55)."""
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

NS = {"svg": "http://www.w3.org/2000/svg"}


def run(binary, cwd, args):
    result = subprocess.run([binary] + args, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"FAIL: {' '.join(args)} exited {result.returncode}: {result.stderr}")


def parse(path):
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag
    assert root.find("svg:title", NS) is not None, "no <title>"
    assert root.find(".//svg:script", NS) is None, "a script"
    texts = {t.get("class"): "".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("class")}
    assert texts.get("y-label"), "no y axis label"
    assert root.find(".//svg:g[@class='legend']", NS) is not None, "no legend"
    series = root.findall(".//svg:g[@class='series']", NS)
    return root, texts, series


def main():
    binary, source = sys.argv[1], sys.argv[2]
    cases = os.path.join(source, "tests", "golden", "cases")
    out = tempfile.mkdtemp()
    failures = []

    be = os.path.join(out, "breakeven.svg")
    run(binary, cases, ["breakeven", "--catalog", "r4.catalog.json", "--ref-gpu", "L4",
                        "--job-seconds", "420", "--chart", be])
    root, texts, series = parse(be)
    names = [g.get("data-name") for g in series]
    if len(names) != 6 or "vertex vm L4 per-job" not in names:
        failures.append(f"breakeven series: {names}")
    if "jobs a month" not in texts.get("x-label", "") or "USD" not in texts["y-label"]:
        failures.append(f"breakeven axis labels: {texts}")
    xs = sorted(float(m.get("data-x")) for m in root.findall(".//svg:g[@class='marker']", NS))
    for expected in (160 / 0.07, 160 / (0.4 * 420 / 3600)):
        if not any(abs(x - expected) / expected < 1e-6 for x in xs):
            failures.append(f"breakeven: no marker at {expected}: {xs}")
    for g in series:
        if not g.find("svg:path", NS).get("d", "").startswith("M"):
            failures.append(f"breakeven: empty line {g.get('data-name')}")

    cmp_svg = os.path.join(out, "compare.svg")
    run(binary, cases, ["compare", "--catalog", "r4.catalog.json", "--ref-gpu", "L4",
                        "--job-seconds", "420", "--chart", cmp_svg])
    root, texts, series = parse(cmp_svg)
    parts = [g.get("data-name") for g in series]
    if parts != ["execution", "cold start", "idle", "rounding", "rerun", "egress"]:
        failures.append(f"compare parts: {parts}")
    bars = {}
    for g in series:
        for rect in g.findall("svg:rect", NS):
            bars[rect.get("data-category")] = bars.get(rect.get("data-category"), 0) + float(rect.get("data-value"))
    if abs(bars.get("vertex vm L4 per-job", 0) - 0.07) > 1e-9:
        failures.append(f"compare: vertex bar {bars}")

    mx = os.path.join(out, "matrix.svg")
    run(binary, os.path.join(source, "tests", "fixtures", "matrix"),
        ["matrix", "--scores", "r7_seed003.csv", "--chart", mx])
    root, texts, series = parse(mx)
    if len(series) != 10:
        failures.append(f"matrix: {len(series)} criteria series")
    totals = {}
    for g in series:
        for rect in g.findall("svg:rect", NS):
            totals[rect.get("data-category")] = totals.get(rect.get("data-category"), 0) + float(rect.get("data-value"))
    if abs(totals.get("RunPod", 0) - 91) > 1e-9 or abs(totals.get("Vast.ai", 0) - 55) > 1e-9:
        failures.append(f"matrix totals {totals}")

    sw = os.path.join(out, "sweep.svg")
    run(binary, cases, ["sweep", "--catalog", "r4.catalog.json", "--ref-gpu", "L4",
                        "--job-seconds", "420", "--vary", "jobs-per-month=10..100000",
                        "--steps", "9", "--chart", sw])
    root, texts, series = parse(sw)
    names = [g.get("data-name") for g in series]
    if "dedicated-l4 dedicated L4 always-on" not in names or "log" not in texts.get("x-label", ""):
        failures.append(f"sweep chart: {names} {texts}")
    for g in series:
        if g.find("svg:path", NS).get("d", "").count("L") < 1:
            failures.append(f"sweep: line {g.get('data-name')} has fewer than two points")

    if failures:
        print("\n".join("FAIL: " + f for f in failures))
        return 1
    print("charts ok:", be, cmp_svg, mx)
    return 0


if __name__ == "__main__":
    sys.exit(main())
