#!/usr/bin/env python3
"""Reads gpucost's CSV with Python's csv module (an independent RFC 4180 parser) and checks that
every row carries the same values as the JSON output of the same command.

usage: check_csv_matches_json.py RESULT.csv RESULT.json
"""
import csv
import json
import math
import sys

# CSV column -> JSON path in an option
COLUMNS = {
    "rank": ("rank",),
    "provider": ("provider",),
    "product": ("product",),
    "mode": ("mode",),
    "pricing": ("pricing",),
    "gpu": ("gpu",),
    "gpu_count": ("gpu_count",),
    "price_per_hour_usd": ("price_per_hour",),
    "job_seconds": ("job_seconds",),
    "billed_seconds_per_job": ("billed_seconds_per_job",),
    "cost_per_job_usd": ("cost_per_job",),
    "execution_usd": ("split", "execution"),
    "cold_start_usd": ("split", "cold_start"),
    "idle_usd": ("split", "idle"),
    "rounding_usd": ("split", "rounding"),
    "rerun_usd": ("split", "rerun"),
    "egress_usd": ("split", "egress"),
    "monthly_cost_usd": ("monthly_cost",),
    "capacity_jobs_per_month": ("capacity_jobs_per_month",),
    "p_cold": ("p_cold",),
    "utilization": ("utilization",),
    "margin": ("margin",),
    "source": ("source",),
    "fetched_at": ("fetched_at",),
    # Api rows only (absent from a GPU row's JSON, empty in its CSV).
    "unit": ("unit",),
    "price_per_unit_usd": ("price_per_unit",),
    "units_per_job": ("api", "units_per_job"),
}


def main():
    csv_path, json_path = sys.argv[1], sys.argv[2]
    raw = open(csv_path, "rb").read()
    lines = raw.split(b"\r\n")
    if lines[-1] != b"":
        sys.exit(f"{csv_path}: the last record does not end with CRLF")
    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    options = json.load(open(json_path))["options"]
    if len(rows) != len(options):
        sys.exit(f"{csv_path}: {len(rows)} rows, but the JSON has {len(options)} options")
    for index, (row, option) in enumerate(zip(rows, options)):
        for column, path in COLUMNS.items():
            expected = option
            for key in path:
                expected = expected.get(key) if isinstance(expected, dict) else None
            cell = row[column]
            if expected is None:
                if cell != "":
                    sys.exit(f"row {index + 1} {column}: expected an empty cell, got {cell!r}")
            elif isinstance(expected, (int, float)) and not isinstance(expected, bool):
                if not math.isclose(float(cell), float(expected), rel_tol=1e-12, abs_tol=0):
                    sys.exit(f"row {index + 1} {column}: CSV {cell!r} != JSON {expected!r}")
            else:
                text = str(expected)
                if text[:1] in "=+-@\t\r":
                    text = "'" + text
                if cell != text:
                    sys.exit(f"row {index + 1} {column}: CSV {cell!r} != JSON {text!r}")
    print(f"{csv_path}: {len(rows)} rows match {json_path}")


if __name__ == "__main__":
    main()
