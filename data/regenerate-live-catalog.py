#!/usr/bin/env python3
"""Regenerate the bundled rows of the live providers from recorded API responses.

The live providers (vastai, runpod, lambda, aws, gcp, azure, oci) have adapters in
lib/src/providers/ that turn an API answer into catalog rows. For every provider with a real
recorded answer in data/recorded/ (listed in data/recorded/manifest.json), this script

  1. serves the recorded files on a loopback HTTP server (port 0, 127.0.0.1 only), answering
     exactly the method and path each recording answers;
  2. runs `gpucost catalog update --provider P` with GPUCOST_<P>_URL pointing at that server,
     GPUCOST_NOW set to the recording date, a temporary cache directory and the repository's
     data directory, so the rows come from the same parser a live fetch uses;
  3. takes the rows from the cache file gpucost wrote, puts the real API URL back as `source`
     (the adapters write the URL they read, here the loopback one) and names the recording in
     `notes`; `fetched_at` is the recording date, written by gpucost itself;
  4. writes data/catalog/<P>.json. Rows transcribed from pricing pages live in
     data/catalog/<P>-pages.json and are never touched.

Several recordings of one provider are replayed one at a time (each is a whole answer to one
request) and their rows concatenated in manifest order.

  regenerate-live-catalog.py [--gpucost PATH] [--provider P ...]    rewrite data/catalog/<P>.json
Rows on a GPU data/gpus.json does not know (gpucost warns "unknown GPU ... kept as is") are left
out: the bundled catalog only holds GPUs it can price. A parser row is also left out when
<P>-pages.json has a newer observation of the same offer (same product, GPU, GPU count, region and
cloud tier: "secure", "community" or none, from the row's name): an August API answer must not
undercut a November pricing page. A page row older than a parser row of the same offer is reported,
to be removed by hand.

  regenerate-live-catalog.py --check [--gpucost PATH] [--provider P] [--catalog-dir DIR]
      regenerate into a temporary directory and exit 1, with a summary of the differences, if
      data/catalog/<P>.json is not exactly what the parsers produce (so a hand edit fails)
  regenerate-live-catalog.py --self-test [--gpucost PATH]
      prove that --check catches a hand-edited price and a removed row (on a copy of data/catalog)

Standard library only; no network access beyond 127.0.0.1.
"""

import argparse
import difflib
import hashlib
import http.server
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RECORDED = os.path.join(HERE, "recorded")
CATALOG = os.path.join(HERE, "catalog")
MANIFEST = os.path.join(RECORDED, "manifest.json")

# Dummy keys for the adapters whose API wants one (the loopback server ignores them). RunPod is
# left without a key on purpose: its serverless prices need a second endpoint no recording
# answers, and without a key the adapter reads the GraphQL pod prices alone.
DUMMY_KEYS = {
    "lambda": {"LAMBDA_API_KEY": "recorded-response-replay"},
    "gcp": {"GCP_API_KEY": "recorded-response-replay"},
}
# Variables that could change what a run does; removed from the child's environment.
SCRUBBED = ("VAST_API_KEY", "RUNPOD_API_KEY", "LAMBDA_API_KEY", "GCP_API_KEY", "XDG_CACHE_HOME",
            "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")


def fail(message):
    print(f"regenerate-live-catalog: error: {message}", file=sys.stderr)
    sys.exit(2)


def load_manifest():
    with open(MANIFEST, encoding="utf-8") as f:
        manifest = json.load(f)
    if manifest.get("schema") != "gpucost/recorded-responses" or manifest.get("schemaVersion") != 1:
        fail(f"{MANIFEST}: unknown schema")
    required = ("provider", "file", "sha256", "method", "path", "url", "recorded_at", "date_basis",
                "origin")
    for i, rec in enumerate(manifest["recordings"]):
        for field in required:
            if not isinstance(rec.get(field), str) or not rec[field].strip():
                fail(f"{MANIFEST}: recordings[{i}].{field} is required")
        path = os.path.join(RECORDED, rec["file"])
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        if digest != rec["sha256"]:
            fail(f"{path}: sha256 {digest} differs from the manifest's {rec['sha256']} "
                 "(a recording is never edited; record a new one)")
    return manifest["recordings"]


class Replay(http.server.BaseHTTPRequestHandler):
    """Answers the one recorded request of the current run; 404 for anything else."""

    recording = None  # set per run
    requests = []     # (method, path) seen, for the summary

    def _answer(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)  # the request body (search filters, GraphQL query)
        path = urllib.parse.urlsplit(self.path).path
        Replay.requests.append((method, self.path))
        rec = Replay.recording
        if rec and method == rec["method"] and path == rec["path"]:
            with open(os.path.join(RECORDED, rec["file"]), "rb") as f:
                body = f.read()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
        else:
            body = b'{"error": "no recording answers this request"}'
            self.send_response(404)
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self._answer("GET")

    def do_POST(self):  # noqa: N802
        self._answer("POST")

    def log_message(self, *args):
        pass


def run_recording(gpucost, rec, server, workdir):
    """Replays one recording through `gpucost catalog update`; returns its rows."""
    provider = rec["provider"]
    base = f"http://127.0.0.1:{server.server_address[1]}"
    cache = tempfile.mkdtemp(prefix=f"{provider}-", dir=workdir)
    env = {k: v for k, v in os.environ.items() if k not in SCRUBBED and not k.startswith("GPUCOST_")}
    env.update(DUMMY_KEYS.get(provider, {}))
    env["GPUCOST_DATA_DIR"] = os.path.join(ROOT, "data")
    env["GPUCOST_CACHE_DIR"] = cache
    env["GPUCOST_NOW"] = rec["recorded_at"]
    env["GPUCOST_" + provider.upper() + "_URL"] = base
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1"
    Replay.recording = rec
    Replay.requests = []
    run = subprocess.run([gpucost, "catalog", "update", "--provider", provider],
                         env=env, capture_output=True, text=True, timeout=120)
    Replay.recording = None
    cache_file = os.path.join(cache, f"{provider}.json")
    if run.returncode != 0 or not os.path.exists(cache_file):
        fail(f"gpucost catalog update --provider {provider} on {rec['file']} failed "
             f"(exit {run.returncode}):\n{run.stdout}{run.stderr}")
    with open(cache_file, encoding="utf-8") as f:
        cached = json.load(f)
    if cached.get("fetched_at") != rec["recorded_at"]:
        fail(f"{cache_file}: fetched_at {cached.get('fetched_at')!r}, expected {rec['recorded_at']}")
    # The bundled catalog holds only GPUs data/gpus.json knows (tests/data/check_data.py); a live
    # fetch keeps unknown ones under the provider's name and warns, so those rows are left out.
    unknown = set(re.findall(r'unknown GPU "([^"]+)" kept as is', run.stderr))
    rows = []
    for offer in cached["offers"]:
        if offer.get("gpu") in unknown:
            continue
        source = urllib.parse.urlsplit(offer.get("source", ""))
        if f"{source.scheme}://{source.netloc}" != base or source.path != rec["path"]:
            fail(f"{rec['file']}: a {provider} row names source {offer.get('source')!r}, not the "
                 f"replayed {rec['method']} {rec['path']}")
        if offer.get("fetched_at") != rec["recorded_at"]:
            fail(f"{rec['file']}: a {provider} row has fetched_at {offer.get('fetched_at')!r}")
        offer["source"] = rec["url"]
        note = (f"recorded API answer data/recorded/{rec['file']} ({rec['origin']}), replayed "
                "through gpucost's parser by data/regenerate-live-catalog.py")
        offer["notes"] = f"{offer['notes']}; {note}" if offer.get("notes") else note
        rows.append(offer)
    if not rows:
        fail(f"{rec['file']}: the {provider} parser produced no rows")
    return rows, run.stderr


TIERS = ("secure", "community", "interruptible", "spot")


def offer_key(offer):
    """What makes two rows observations of the same offer (the tier comes from the name)."""
    name = (offer.get("name") or "").lower()
    tier = next((t for t in TIERS if t in name), "")
    return (offer.get("product"), offer.get("gpu"), offer.get("gpu_count"), offer.get("region"), tier)


def drop_superseded(provider, rows, pages_dir, quiet):
    """Leaves out parser rows that <provider>-pages.json observed later; warns of older page rows."""
    pages_path = os.path.join(pages_dir, f"{provider}-pages.json")
    if not os.path.exists(pages_path):
        return rows
    with open(pages_path, encoding="utf-8") as f:
        pages = json.load(f)["offers"]
    newest_page = {}
    for page in pages:
        key = offer_key(page)
        if key not in newest_page or page["fetched_at"] > newest_page[key]["fetched_at"]:
            newest_page[key] = page
    kept = []
    for row in rows:
        page = newest_page.get(offer_key(row))
        if page is not None and page["fetched_at"] >= row["fetched_at"]:
            if not quiet:
                print(f"  left out {row['name']} ({row['gpu']}): {provider}-pages.json has "
                      f"\"{page['name']}\" from {page['fetched_at'][:10]}")
            continue
        if page is not None and not quiet:
            print(f"  note: {provider}-pages.json row \"{page['name']}\" ({page['fetched_at'][:10]}) "
                  f"is older than the parser row {row['name']} ({row['fetched_at'][:10]}): remove it")
        kept.append(row)
    return kept


def regenerate(gpucost, providers, out_dir, quiet=False, pages_dir=CATALOG):
    """Writes <out_dir>/<provider>.json for each provider; returns {provider: path}."""
    recordings = [r for r in load_manifest() if not providers or r["provider"] in providers]
    missing = sorted(set(providers or []) - {r["provider"] for r in recordings})
    if missing:
        fail(f"no recording for {', '.join(missing)} in {MANIFEST}")
    written = {}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Replay)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with tempfile.TemporaryDirectory(prefix="gpucost-replay-") as workdir:
            by_provider = {}
            for rec in recordings:
                rows, log = run_recording(gpucost, rec, server, workdir)
                by_provider.setdefault(rec["provider"], []).extend(rows)
                if not quiet:
                    print(f"{rec['provider']}: {len(rows)} rows from {rec['file']} "
                          f"({rec['recorded_at']})")
                    for line in log.splitlines():
                        print(f"  gpucost: {line}")
            for provider, rows in by_provider.items():
                rows = drop_superseded(provider, rows, pages_dir, quiet)
                doc = {
                    "schema": "gpucost/catalog",
                    "schemaVersion": 1,
                    "generated_by": "data/regenerate-live-catalog.py from data/recorded/"
                                    "manifest.json; do not edit (rows transcribed from pages "
                                    f"go in {provider}-pages.json)",
                    "offers": rows,
                }
                path = os.path.join(out_dir, f"{provider}.json")
                with open(path, "w", encoding="utf-8") as f:
                    json.dump(doc, f, indent=2, ensure_ascii=False)
                    f.write("\n")
                written[provider] = path
    finally:
        server.shutdown()
        server.server_close()
    return written


def summarize(expected_path, actual_path):
    """A short account of how the bundled file differs from the regenerated one."""
    with open(expected_path, encoding="utf-8") as f:
        expected = f.read()
    if not os.path.exists(actual_path):
        return [f"{actual_path} is missing"]
    with open(actual_path, encoding="utf-8") as f:
        actual = f.read()
    lines = []
    try:
        want = json.loads(expected)["offers"]
        have = json.loads(actual)["offers"]
        if len(want) != len(have):
            lines.append(f"{len(have)} rows bundled, the parsers give {len(want)}")
        for i, (w, h) in enumerate(zip(want, have)):
            for key in sorted(set(w) | set(h)):
                if w.get(key) != h.get(key):
                    lines.append(f"offers[{i}] ({h.get('name', '?')}).{key}: bundled "
                                 f"{json.dumps(h.get(key))}, parsers give {json.dumps(w.get(key))}")
    except (ValueError, KeyError, TypeError) as e:
        lines.append(f"not a readable catalog: {e}")
    if not lines:
        diff = difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                    "regenerated", os.path.relpath(actual_path, ROOT), lineterm="")
        lines = list(diff)[:40]
    return lines


def check(gpucost, providers, catalog_dir):
    """0 when every generated file in catalog_dir is what the parsers produce, else 1."""
    with tempfile.TemporaryDirectory(prefix="gpucost-regenerated-") as out:
        written = regenerate(gpucost, providers, out, quiet=True, pages_dir=catalog_dir)
        problems = []
        for provider, path in sorted(written.items()):
            bundled = os.path.join(catalog_dir, f"{provider}.json")
            with open(path, encoding="utf-8") as f:
                regenerated = f.read()
            current = None
            if os.path.exists(bundled):
                with open(bundled, encoding="utf-8") as f:
                    current = f.read()
            if current != regenerated:
                problems.append((provider, summarize(path, bundled)))
        if not providers:
            # A generated file whose recordings are gone from the manifest is stale too.
            for name in sorted(os.listdir(catalog_dir)):
                path = os.path.join(catalog_dir, name)
                if not name.endswith(".json") or name[:-5] in written:
                    continue
                with open(path, encoding="utf-8") as f:
                    if "generated_by" in json.load(f):
                        problems.append((name[:-5], ["generated, but no recording in "
                                                     "data/recorded/manifest.json produces it"]))
        if problems:
            print(f"regenerate-live-catalog: {catalog_dir} differs from what the parsers produce "
                  "from data/recorded/:", file=sys.stderr)
            for provider, lines in problems:
                print(f"  {provider}.json:", file=sys.stderr)
                for line in lines[:20]:
                    print(f"    {line}", file=sys.stderr)
                if len(lines) > 20:
                    print(f"    ... and {len(lines) - 20} more", file=sys.stderr)
            print("Run data/regenerate-live-catalog.py to rewrite them (never edit them by hand; "
                  "page-sourced rows go in data/catalog/<provider>-pages.json).", file=sys.stderr)
            return 1
        print(f"regenerate-live-catalog: {', '.join(sorted(written))}: {catalog_dir} matches the "
              "parsers' output")
        return 0


def self_test(gpucost):
    """Proves --check catches a hand-edited parser row and a removed one."""
    import shutil
    failures = 0
    recorded = sorted({r["provider"] for r in load_manifest()})
    for provider in recorded:
        for what in ("price edited", "row removed"):
            with tempfile.TemporaryDirectory(prefix="gpucost-selftest-") as tmp:
                copy = os.path.join(tmp, "catalog")
                shutil.copytree(CATALOG, copy)
                path = os.path.join(copy, f"{provider}.json")
                with open(path, encoding="utf-8") as f:
                    doc = json.load(f)
                if what == "price edited":
                    doc["offers"][0]["price_per_hour"] = round(doc["offers"][0]["price_per_hour"] * 0.9, 4)
                else:
                    doc["offers"].pop()
                with open(path, "w", encoding="utf-8") as f:
                    json.dump(doc, f, indent=2, ensure_ascii=False)
                    f.write("\n")
                devnull = open(os.devnull, "w")
                saved, sys.stderr = sys.stderr, devnull
                try:
                    code = check(gpucost, [provider], copy)
                finally:
                    sys.stderr = saved
                    devnull.close()
                ok = code == 1
                failures += not ok
                print(f"self-test: {provider}: {what}: {'caught' if ok else 'NOT CAUGHT'}")
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gpucost", default=os.path.join(ROOT, "build", "cli", "gpucost"),
                        help="the built gpucost binary (default: build/cli/gpucost)")
    parser.add_argument("--provider", action="append", default=[],
                        help="only this provider (repeatable)")
    parser.add_argument("--check", action="store_true",
                        help="regenerate into a temporary directory and compare with data/catalog")
    parser.add_argument("--catalog-dir", default=CATALOG,
                        help="the catalog directory to write or check (default: data/catalog)")
    parser.add_argument("--self-test", action="store_true",
                        help="prove that --check fails on a hand-edited or removed parser row")
    args = parser.parse_args()
    if not os.access(args.gpucost, os.X_OK):
        fail(f"{args.gpucost} is not an executable gpucost (build it, or pass --gpucost)")
    if args.self_test:
        return self_test(args.gpucost)
    if args.check:
        return check(args.gpucost, args.provider, args.catalog_dir)
    for provider, path in regenerate(args.gpucost, args.provider, args.catalog_dir,
                                     pages_dir=args.catalog_dir).items():
        print(f"wrote {os.path.relpath(path, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
