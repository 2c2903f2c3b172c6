#!/usr/bin/env python3
"""Where LibreOffice is installed, open gpucost's CSV exports headless, as a spreadsheet user
would, and check every cell: a cell gpucost wrote as a number is a number in the sheet with the
same value, and every other cell is text. Covers several commands and each dialect (rfc4180 and
excel read with an English locale, excel-eu with `;` and a German one). Exits 77 (skipped) when
soffice is absent, saying so.

Usage: check_csv_libreoffice.py GPUCOST SOURCE_DIR
"""

import csv
import io
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

soffice = shutil.which("soffice") or shutil.which("libreoffice")
if not soffice:
    print("SKIPPED: LibreOffice (soffice) is not installed: numeric cells not checked in a spreadsheet")
    sys.exit(77)

GPUCOST, SOURCE = sys.argv[1], sys.argv[2]
env = dict(os.environ, GPUCOST_NOW="2026-11-23T12:00:00Z", GPUCOST_OFFLINE="1",
           GPUCOST_DATA_DIR=os.path.join(SOURCE, "data"))
fix = os.path.join(SOURCE, "tests", "fixtures", "check")
COMMANDS = {
    "compare": ["compare", "--catalog", os.path.join(fix, "catalog.json"),
                "--workload", os.path.join(fix, "workload.json")],
    "offers": ["offers", "--catalog", os.path.join(fix, "catalog.json")],
    "gpus": ["gpus"],
    "providers": ["providers"],
}
# LibreOffice's CSV filter options: separator (ASCII), text delimiter, charset (76 = UTF-8),
# first line, column formats (empty: detect), language (1033 en-US, 1031 de-DE).
DIALECTS = {
    "rfc4180": (",", "44,34,76,1,,1033"),
    "excel": (",", "44,34,76,1,,1033"),
    "excel-eu": (";", "59,34,76,1,,1031"),
}
NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")
# ISO 8601 dates and times: a spreadsheet reading them as dates is what a user wants.
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?Z?)?$")
NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}


def sheet_cells(fods_path):
    """Rows of (value_type, value) as LibreOffice holds them."""
    rows = []
    table = ET.parse(fods_path).getroot().find(".//table:table", NS)
    for row in table.iter(f"{{{NS['table']}}}table-row"):
        cells = []
        for cell in row:
            if cell.tag not in (f"{{{NS['table']}}}table-cell", f"{{{NS['table']}}}covered-table-cell"):
                continue
            repeat = int(cell.get(f"{{{NS['table']}}}number-columns-repeated", "1"))
            kind = cell.get(f"{{{NS['office']}}}value-type")
            value = cell.get(f"{{{NS['office']}}}value")
            cells.extend([(kind, value)] * min(repeat, 1000))
        rows.append(cells)
    return rows


failures = []
checked_numbers = 0
tmp = tempfile.mkdtemp(prefix="gpucost-lo-")
try:
    for name, args in COMMANDS.items():
        for dialect, (separator, filter_options) in DIALECTS.items():
            stem = f"{name}-{dialect}"
            data = subprocess.run([GPUCOST, *args, "--format", "csv", "--csv-dialect", dialect],
                                  capture_output=True, env=env, check=True).stdout
            csv_path = os.path.join(tmp, stem + ".csv")
            with open(csv_path, "wb") as f:
                f.write(data)
            subprocess.run([soffice, "--headless", f"--infilter=CSV:{filter_options}",
                            "--convert-to", "fods", "--outdir", tmp, csv_path],
                           capture_output=True, check=True, timeout=180)
            sheet = sheet_cells(os.path.join(tmp, stem + ".fods"))
            text = data.decode("utf-8-sig")
            records = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
            for r, record in enumerate(records[1:], start=1):
                for c, cell in enumerate(record):
                    kind, value = sheet[r][c] if c < len(sheet[r]) else (None, None)
                    plain = cell.replace(",", ".") if dialect == "excel-eu" else cell
                    where = f"{stem}: row {r + 1}, column {records[0][c]!r} ({cell!r})"
                    if NUMBER.match(plain):
                        checked_numbers += 1
                        if kind not in ("float", "percentage", "currency"):
                            failures.append(f"{where}: a number in the CSV, {kind} in the sheet")
                        elif not math.isclose(float(value), float(plain), rel_tol=1e-9, abs_tol=1e-300):
                            failures.append(f"{where}: reads back as {value}")
                    elif ISO_TIME.match(cell):
                        continue
                    elif cell and kind in ("float", "percentage", "currency", "date", "time"):
                        failures.append(f"{where}: text in the CSV, {kind} {value} in the sheet")
    for failure in failures[:40]:  # the first ones say enough
        print("FAIL:", failure)
    if failures:
        sys.exit(1)
    if checked_numbers == 0:
        print("FAIL: no numeric cell was checked")
        sys.exit(1)
    print(f"LibreOffice read {checked_numbers} numeric cells of {len(COMMANDS)} commands in "
          f"{len(DIALECTS)} dialects as the same numbers, and every text cell as text")
finally:
    shutil.rmtree(tmp)
