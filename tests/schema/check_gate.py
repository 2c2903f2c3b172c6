#!/usr/bin/env python3
"""End-to-end checks of `gpucost check` through the real binary, and of every CSV export.

Usage: check_gate.py GPUCOST SOURCE_DIR

Builds baselines with `gpucost compare --format json` from the constructed catalog in
tests/fixtures/check, then runs `gpucost check` on constructed changes and checks: every exit code
(0, 1, 2, 3, and 2 winning over 3 with both reported), attribution of a price change and of a
workload change (the parts add up), the JSON against docs/check.schema.json, the compare JSON
against docs/compare.schema.json, the markdown marker, the GitHub annotations and step summary,
the JUnit XML against tests/schema/junit.xsd (xmllint), and each CSV dialect of compare, offers
and check read back with Python's csv module and compared with the JSON of the same run.
Exit status 0 when all hold; every failure is printed.
"""

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

import jsonschema

GPUCOST, SOURCE = sys.argv[1], sys.argv[2]
FIX = os.path.join(SOURCE, "tests", "fixtures", "check")
CATALOG = os.path.join(FIX, "catalog.json")
CATALOG_UP = os.path.join(FIX, "catalog-up20.json")
CATALOG_LESS = os.path.join(FIX, "catalog-less.json")  # without the A100 offer
WORKLOAD = os.path.join(FIX, "workload.json")
SLOWER = os.path.join(FIX, "workload-slower.json")
TRANSCRIBE = os.path.join(FIX, "workload-transcribe.json")
failures = []
ENV = dict(os.environ, GPUCOST_NOW="2026-11-23T12:00:00Z", NO_COLOR="1", GPUCOST_OFFLINE="1",
           GPUCOST_DATA_DIR=os.path.join(SOURCE, "data"))
ENV.pop("GITHUB_STEP_SUMMARY", None)


def run(*args, env=None):
    result = subprocess.run([GPUCOST, *args], capture_output=True, env=env or ENV)
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


def expect(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what)


def load_schema(name):
    with open(os.path.join(SOURCE, "docs", name), encoding="utf-8") as f:
        return json.load(f)


CHECK_SCHEMA = load_schema("check.schema.json")
COMPARE_SCHEMA = load_schema("compare.schema.json")


def valid(document, schema, what):
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(document))
    for error in errors:
        print(f"FAIL: {what}: {list(error.absolute_path)}: {error.message}")
    expect(not errors, f"{what} validates against its schema")


def check_json(*args):
    code, out, err = run("check", *args, "--format", "json")
    doc = json.loads(out)
    valid(doc, CHECK_SCHEMA, "check " + " ".join(args))
    expect(doc["exit_code"] == code, f"exit_code field {doc['exit_code']} == exit status {code}")
    return code, doc, err


tmp = tempfile.mkdtemp(prefix="gpucost-check-")
try:
    base = os.path.join(tmp, "base.json")
    code, out, err = run("compare", "--catalog", CATALOG, "--workload", WORKLOAD, "--format", "json")
    expect(code == 0, f"compare for the baseline exits 0 ({err})")
    with open(base, "w", encoding="utf-8") as f:
        f.write(out)
    baseline = json.loads(out)
    valid(baseline, COMPARE_SCHEMA, "compare baseline")
    expect("filters" in baseline and all("key" in o and "traits" in o for o in baseline["options"]),
           "the compare document records its filters and each row's key and traits")
    keys = [o["key"] for o in baseline["options"]]
    expect(any(k.startswith("aws/vm/L4x1/us-east-1/per-job/on-demand/g6.xlarge") for k in keys),
           "a hyperscaler key carries the instance type")
    expect(any(k == "vastai/pod/RTX 4090x1/US/per-job/on-demand" for k in keys),
           "a marketplace key carries no offer id")

    # 0: nothing changed.
    code, doc, _ = check_json("--baseline", base, "--catalog", CATALOG, "--fail-on",
                              "cost_per_job:+10%", "--reprice-baseline")
    expect(code == 0 and doc["verdict"] == "pass", f"unchanged: exit 0 pass (got {code})")
    expect(doc["checks"][0]["delta"] == 0, "unchanged: delta 0")
    # The baseline's rows round-trip through JSON exactly: repricing them is no change at all.
    expect(doc["checks"][0]["config_driven"] == 0 and doc["checks"][0]["price_driven"] == 0,
           f"unchanged: both parts exactly 0 ({doc['checks'][0]})")

    # 2: prices up 20%, price-driven.
    code, doc, _ = check_json("--baseline", base, "--catalog", CATALOG_UP, "--fail-on",
                              "cost_per_job:+10%", "--warn-on", "monthly_cost:+5%",
                              "--reprice-baseline")
    expect(code == 2 and doc["verdict"] == "fail", f"prices up: exit 2 (got {code})")
    for c in doc["checks"]:
        expect(abs(c["delta_pct"] - 20) < 1e-6, f"prices up: {c['rule']} +20% ({c['delta_pct']})")
        expect(abs(c["config_driven"]) < 1e-12, f"prices up: {c['rule']} config_driven 0")
        expect(abs(c["price_driven"] - c["delta"]) < 1e-12, f"prices up: price_driven = delta")
    expect(any("another catalog" in r for r in doc["incomplete"]),
           "prices up: the other catalog is reported")

    # 2: the workload got slower, config-driven.
    code, doc, _ = check_json("--baseline", base, "--workload", SLOWER, "--catalog", CATALOG,
                              "--fail-on", "cost_per_job:+10%", "--reprice-baseline")
    expect(code == 2, f"slower workload: exit 2 (got {code})")
    c = doc["checks"][0]
    expect(abs(c["price_driven"]) < 1e-12 and abs(c["config_driven"] - c["delta"]) < 1e-12,
           f"slower workload: all config-driven ({c})")

    # Both: the parts add up.
    code, doc, _ = check_json("--baseline", base, "--workload", SLOWER, "--catalog", CATALOG_UP,
                              "--fail-on", "cost_per_job:+10%", "--reprice-baseline")
    c = doc["checks"][0]
    expect(c["config_driven"] > 0 and c["price_driven"] > 0
           and abs(c["config_driven"] + c["price_driven"] - c["delta"]) < 1e-12,
           f"both: the parts add up ({c})")

    # 0 with a warning only.
    code, doc, _ = check_json("--baseline", base, "--catalog", CATALOG_UP, "--warn-on",
                              "cost_per_job:+10%")
    expect(code == 0 and doc["verdict"] == "warn", f"warn only: exit 0 (got {code})")

    # Budgets, improvement alarms.
    code, doc, _ = check_json("--baseline", base, "--catalog", CATALOG, "--fail-on",
                              "cost_per_job:<=0.0001")
    expect(code == 2, f"budget breached: exit 2 (got {code})")
    code, doc, _ = check_json("--baseline", base, "--workload", WORKLOAD, "--catalog", CATALOG,
                              "--fail-on", "render:cost_per_job:<=100")
    expect(code == 0, f"budget met: exit 0 (got {code})")
    up = os.path.join(tmp, "base-up.json")
    with open(up, "w", encoding="utf-8") as f:
        f.write(run("compare", "--catalog", CATALOG_UP, "--workload", WORKLOAD, "--format",
                    "json")[1])
    code, doc, _ = check_json("--baseline", up, "--catalog", CATALOG, "--fail-on",
                              "cost_per_job:-10%")
    expect(code == 2, f"improvement alarm: exit 2 (got {code})")

    # 3: an option that disappeared under --strict; without --strict it is reported, exit 0.
    missing_rule = "cost_per_job[aws/vm/A100 SXM 80GBx8/us-east-1/per-job/on-demand/p4d.24xlarge]:+10%"
    code, doc, _ = check_json("--baseline", base, "--catalog", CATALOG_LESS, "--fail-on", missing_rule)
    expect(code == 0 and doc["checks"][0]["verdict"] == "missing"
           and doc["checks"][0]["current"] is None, f"missing: reported, exit 0 (got {code})")
    expect(any(o["change"] == "disappeared" for o in doc["workloads"][0]["options"]),
           "missing: the option is reported disappeared")
    code, doc, _ = check_json("--baseline", base, "--catalog", CATALOG_LESS, "--fail-on", missing_rule,
                              "--strict")
    expect(code == 3, f"missing under --strict: exit 3 (got {code})")
    # A key nothing has is a typo: exit 1 with a hint.
    code, _, err = run("check", "--baseline", base, "--catalog", CATALOG, "--fail-on",
                       "cost_per_job[aws/vm/L4x1/us-east-1/per-job/on-demand/g7.nosuch]:+10%")
    expect(code == 1 and "did you mean" in err, f"unknown key: exit 1 with a hint ({err})")
    code, doc, _ = check_json("--baseline", base, "--catalog", CATALOG, "--strict",
                              "--max-price-age", "1d", "--fail-on", "cost_per_job:+10%")
    expect(code == 3 and any("days old" in r for r in doc["incomplete"]),
           f"stale under --strict: exit 3 (got {code})")
    code, doc, _ = check_json("--baseline", base, "--catalog", CATALOG_UP, "--strict",
                              "--fail-on", "cost_per_job:+30%")
    expect(code == 3, f"another catalog under --strict: exit 3 (got {code})")
    # 2 wins over 3, both reported.
    code, doc, _ = check_json("--baseline", base, "--catalog", CATALOG_LESS, "--strict",
                              "--fail-on", "cost_per_job:<=0.001", "--fail-on", missing_rule)
    expect(code == 2 and doc["incomplete"], f"fail and incomplete: exit 2, both reported ({code})")

    # 1: a rule that cannot be parsed, named.
    code, out, err = run("check", "--baseline", base, "--catalog", CATALOG, "--fail-on",
                         "cost_per_job:10")
    expect(code == 1 and 'rule "cost_per_job:10"' in err, f"bad rule: exit 1 naming it ({err})")
    bad = os.path.join(tmp, "bad.json")
    broken = dict(baseline)
    broken["options"] = [dict(baseline["options"][0], cost_per_job="x")] + baseline["options"][1:]
    with open(bad, "w", encoding="utf-8") as f:
        json.dump(broken, f, indent=2)
    code, out, err = run("check", "--baseline", bad, "--catalog", CATALOG)
    expect(code == 1 and f"{bad}:" in err and "options[0].cost_per_job" in err,
           f"bad baseline: file:line:field ({err})")

    # Several workloads in one run.
    base2 = os.path.join(tmp, "base2.json")
    with open(base2, "w", encoding="utf-8") as f:
        f.write(run("compare", "--catalog", CATALOG, "--workload", TRANSCRIBE, "--format", "json")[1])
    code, doc, _ = check_json("--baseline", base, "--baseline", base2, "--workload", WORKLOAD,
                              "--workload", TRANSCRIBE, "--catalog", CATALOG_UP, "--fail-on",
                              "transcribe:cost_per_job:+10%")
    expect(code == 2 and [w["name"] for w in doc["workloads"]] == ["render", "transcribe"]
           and len(doc["checks"]) == 1, f"two workloads, a rule for one ({code})")

    # Markdown marker, GitHub annotations and step summary, JUnit.
    code, out, _ = run("check", "--baseline", base, "--catalog", CATALOG_UP, "--fail-on",
                       "cost_per_job:+10%", "--format", "markdown")
    expect(out.startswith("<!-- gpucost-check -->\n") and code == 2, "markdown marker")
    summary = os.path.join(tmp, "summary.md")
    junit = os.path.join(tmp, "junit.xml")
    env = dict(ENV, GITHUB_STEP_SUMMARY=summary)
    code, out, _ = run("check", "--baseline", base, "--catalog", CATALOG_UP, "--fail-on",
                       "cost_per_job:+10%", "--warn-on", "monthly_cost:+5%", "--format", "github",
                       "--junit", junit, "--comment-tag", "cost-gate", env=env)
    lines = out.splitlines()
    expect(code == 2, "github: exit 2")
    expect(any(l.startswith("::error title=") for l in lines), "github: an ::error line")
    expect(any(l.startswith("::warning title=") for l in lines), "github: a ::warning line")
    with open(summary, encoding="utf-8") as f:
        expect(f.read().startswith("<!-- cost-gate -->\n"), "github: markdown appended to the summary")
    if shutil.which("xmllint"):
        result = subprocess.run(["xmllint", "--noout", "--schema",
                                 os.path.join(SOURCE, "tests", "schema", "junit.xsd"), junit],
                                capture_output=True)
        expect(result.returncode == 0, f"JUnit matches junit.xsd: {result.stderr.decode()}")
    else:
        print("SKIPPED: xmllint not installed: JUnit not validated against junit.xsd")

    # CSV: every export, every dialect, read back and compared with the JSON of the same run.
    def read_csv(text, dialect):
        if dialect == "rfc4180":
            expect(not text.startswith("\ufeff"), "rfc4180: no BOM")
        else:
            expect(text.startswith("\ufeff"), f"{dialect}: a BOM")
            text = text[1:]
        expect("\n" not in text.replace("\r\n", ""), f"{dialect}: CRLF record ends")
        rows = list(csv.DictReader(io.StringIO(text, newline=""),
                                   delimiter=";" if dialect == "excel-eu" else ","))
        return rows

    def as_number(cell, dialect):
        if cell == "":
            return None
        return float(cell.replace(",", ".") if dialect == "excel-eu" else cell)

    exports = [
        (["compare", "--catalog", CATALOG, "--workload", WORKLOAD], "options",
         [("cost_per_job_usd", "cost_per_job"), ("monthly_cost_usd", "monthly_cost"),
          ("price_per_hour_usd", "price_per_hour")], "provider"),
        (["offers", "--catalog", CATALOG], "offers",
         [("price_per_hour_usd", "price_per_hour"), ("spot_price_per_hour_usd", "spot_price_per_hour")],
         "provider"),
        (["check", "--baseline", base, "--catalog", CATALOG_UP, "--fail-on", "cost_per_job:+10%",
          "--fail-on", "monthly_cost:+1%", "--reprice-baseline"], "checks",
         [("baseline_usd", "baseline"), ("current_usd", "current"), ("delta_usd", "delta"),
          ("delta_pct", "delta_pct"), ("config_driven_usd", "config_driven"),
          ("price_driven_usd", "price_driven")], "rule"),
    ]
    for args, array, columns, text_column in exports:
        _, out, _ = run(*args, "--format", "json")
        records = json.loads(out)[array]
        for dialect in ("rfc4180", "excel", "excel-eu"):
            _, text, err = run(*args, "--format", "csv", "--csv-dialect", dialect)
            rows = read_csv(text, dialect)
            what = f"{args[0]} csv {dialect}"
            expect(len(rows) == len(records), f"{what}: {len(rows)} rows == {len(records)}")
            for row, record in zip(rows, records):
                expect(row[text_column] == record[text_column], f"{what}: {text_column}")
                for column, field in columns:
                    value = as_number(row[column], dialect)
                    want = record[field]
                    expect(value == want, f"{what}: {column} {row[column]!r} == {want!r}")
    # Formula guard on a text cell, through the writer: a rule starting with '-' is not possible,
    # but a workload name is free text.
    evil = os.path.join(tmp, "evil.json")
    with open(WORKLOAD, encoding="utf-8") as f:
        w = json.load(f)
    w["name"] = "=HYPERLINK(\"x\")"
    with open(evil, "w", encoding="utf-8") as f:
        json.dump(w, f)
    _, text, _ = run("check", "--workload", evil, "--catalog", CATALOG, "--fail-on",
                     "cost_per_job:<=100", "--format", "csv")
    rows = read_csv(text, "rfc4180")
    expect(rows and rows[0]["workload"] == "'=HYPERLINK(\"x\")", "formula guard on a text cell")
finally:
    shutil.rmtree(tmp)

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("gpucost check end-to-end: every exit code, attribution, outputs and CSV dialects hold")
