#!/usr/bin/env python3
"""Where LibreOffice is installed, convert gpucost's CSV (each dialect) headless to .xlsx-free
plain recalculated CSV and check numeric cells read as numbers; exit 77 (skipped) when soffice is
absent, saying so.

Usage: check_csv_libreoffice.py GPUCOST SOURCE_DIR
"""

import os
import shutil
import subprocess
import sys
import tempfile

soffice = shutil.which("soffice") or shutil.which("libreoffice")
if not soffice:
    print("SKIPPED: LibreOffice (soffice) is not installed: numeric cells not checked in a spreadsheet")
    sys.exit(77)

GPUCOST, SOURCE = sys.argv[1], sys.argv[2]
env = dict(os.environ, GPUCOST_NOW="2026-11-23T12:00:00Z", GPUCOST_OFFLINE="1",
           GPUCOST_DATA_DIR=os.path.join(SOURCE, "data"))
fix = os.path.join(SOURCE, "tests", "fixtures", "check")
tmp = tempfile.mkdtemp(prefix="gpucost-lo-")
try:
    csv_path = os.path.join(tmp, "compare.csv")
    with open(csv_path, "wb") as f:
        f.write(subprocess.run([GPUCOST, "compare", "--catalog", os.path.join(fix, "catalog.json"),
                                "--workload", os.path.join(fix, "workload.json"), "--format", "csv"],
                               capture_output=True, env=env, check=True).stdout)
    # Convert to .fods (flat XML): a numeric cell carries office:value-type="float".
    subprocess.run([soffice, "--headless", "--infilter=CSV:44,34,76,1", "--convert-to", "fods",
                    "--outdir", tmp, csv_path], capture_output=True, check=True, timeout=120)
    with open(os.path.join(tmp, "compare.fods"), encoding="utf-8") as f:
        text = f.read()
    floats = text.count('office:value-type="float"')
    if floats == 0:
        print("FAIL: no numeric cell in LibreOffice's reading of the CSV")
        sys.exit(1)
    print(f"LibreOffice read {floats} numeric cells")
finally:
    shutil.rmtree(tmp)
