#!/usr/bin/env python3
"""Checks gpucost's bundled data files (Python 3 standard library only).

Usage:
  check_data.py DATA_DIR        check DATA_DIR (gpus.json, providers.json, fx.json, catalog/*.json,
                                examples/*.json, coverage.json); exit 1 and name file, offer index and
                                field on error
  check_data.py --self-test [DATA_DIR]
                                copy the data to a temp dir, break it in several ways and assert
                                that each break is caught (DATA_DIR defaults to ../../data)
"""

import copy
import json
import math
import os
import re
import shutil
import sys
import tempfile

HOURS_PER_MONTH = 730.0
PRODUCTS = {"pod", "vm", "serverless", "dedicated", "training", "prediction", "api"}
UNITS = {"audio_minute", "character_1k", "token_1m", "image", "output_second", "call"}
API_FIELDS = ("unit", "price_per_unit", "minimum_charge", "unit_increment", "max_units_per_call",
              "rate_limit_per_minute")
GPU_ONLY_FIELDS = ("gpu", "gpu_count", "gpu_memory_gb", "vcpus", "ram_gb", "price_per_hour", "spot_price_per_hour",
                   "monthly_price", "always_on_price_per_hour", "billing_granularity_s", "billing_minimum_s",
                   "cold_start_s", "cold_start_billed", "idle_timeout_s", "interruptions_per_hour")
TIERS = {"marketplace", "specialist", "hyperscaler", "dedicated"}
WORKLOAD_CLASSES = {"compute", "memory", "encode"}
DROP_PREFIX = {"nvidia", "geforce", "tesla"}

OFFER_FIELDS = {
    "provider", "product", "name", "gpu", "gpu_count", "gpu_memory_gb", "vcpus", "ram_gb", "region",
    "price_per_hour", "spot_price_per_hour", "monthly_price", "always_on_price_per_hour", "currency",
    "billing_granularity_s", "billing_minimum_s", "cold_start_s", "cold_start_billed", "idle_timeout_s",
    "interruptions_per_hour", "egress_per_gb", "reliability", "source", "fetched_at", "notes",
    "unit", "price_per_unit", "minimum_charge", "unit_increment", "max_units_per_call", "rate_limit_per_minute",
}
PRICE_FIELDS = ("price_per_hour", "spot_price_per_hour", "monthly_price", "always_on_price_per_hour")
GPU_FIGURES = ("memory_gb", "fp16_tflops", "fp32_tflops", "memory_bandwidth_gbs", "nvenc")
PRODUCT_TRAITS = ("billing_granularity_s", "billing_minimum_s", "cold_start_s", "cold_start_billed",
                  "idle_billed", "idle_timeout_s", "idle_timeout_range_s", "native_autoscaling", "always_on")
WORKLOAD_REQUIRED = ("name", "description", "ref_gpu", "job_seconds", "workload_class", "assumptions", "source")

# Every provider and GPU the seeds name (issue 9 item 4): coverage.json must list each of them, and
# each must have a dated offer in catalog/*.json or a dated note saying why not.
SEED_PROVIDERS = (
    "Vast.ai", "RunPod", "Lambda", "Oracle OCI", "GMI Cloud", "Paperspace", "CoreWeave", "Hyperstack",
    "Alibaba Cloud", "Genesis Cloud", "Thunder Compute", "GCP", "Azure", "Cloud Run", "Vertex AI", "Hetzner",
    "Fly.io", "Replicate", "MiniMax", "Mistral (Voxtral)",
)
SEED_GPUS = (
    "RTX 4090", "RTX A4000", "RTX 3090", "RTX 3060", "RTX 4000 Ada", "L4", "A100", "H100", "H200", "V100", "T4",
)

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$")


def fold_gpu_name(name):
    """Lower case, split on anything not a letter or digit, drop leading nvidia/geforce/tesla tokens, join."""
    tokens = [t for t in re.split(r"[^a-z0-9]+", name.lower()) if t]
    while tokens and tokens[0] in DROP_PREFIX:
        tokens.pop(0)
    return "".join(tokens)


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def is_url_or_file(v):
    return isinstance(v, str) and v.strip() != "" and (
        v.startswith("https://") or v.startswith("http://") or "/" in v)


class Checker:
    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.errors = []
        self.gpu_index = {}
        self.currencies = {"USD"}
        self.provider_products = None  # provider id -> products, once providers.json is read

    def err(self, path, where, msg):
        rel = os.path.relpath(path, self.data_dir)
        self.errors.append(f"{rel}: {where}: {msg}" if where else f"{rel}: {msg}")

    def load(self, path):
        try:
            with open(path, encoding="utf-8") as f:
                return json.load(f)
        except FileNotFoundError:
            self.err(path, "", "missing")
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            self.err(path, "", f"not valid JSON: {e}")
        return None

    def header(self, path, doc, schema):
        if not isinstance(doc, dict):
            self.err(path, "", "top level is not an object")
            return False
        if doc.get("schema") != schema:
            self.err(path, "schema", f"expected {schema!r}, found {doc.get('schema')!r}")
        if doc.get("schemaVersion") != 1:
            self.err(path, "schemaVersion", f"expected 1, found {doc.get('schemaVersion')!r}")
        return True

    # --- gpus.json -------------------------------------------------------------------------------
    def check_gpus(self):
        path = os.path.join(self.data_dir, "gpus.json")
        doc = self.load(path)
        if doc is None or not self.header(path, doc, "gpucost/gpus"):
            return
        gpus = doc.get("gpus")
        if not isinstance(gpus, list) or not gpus:
            self.err(path, "gpus", "must be a non-empty list")
            return
        for i, g in enumerate(gpus):
            where = f"gpus[{i}]"
            if not isinstance(g, dict):
                self.err(path, where, "not an object")
                continue
            name = g.get("name")
            if not isinstance(name, str) or not name.strip():
                self.err(path, f"{where}.name", "required")
                continue
            where = f"gpus[{i}] ({name})"
            if g.get("vendor") not in ("nvidia", "amd", "intel"):
                self.err(path, f"{where}.vendor", f"unexpected {g.get('vendor')!r}")
            aliases = g.get("aliases", [])
            if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
                self.err(path, f"{where}.aliases", "must be a list of strings")
                aliases = []
            for n in [name] + aliases:
                key = fold_gpu_name(n)
                if not key:
                    self.err(path, where, f"name {n!r} folds to nothing")
                elif key in self.gpu_index and self.gpu_index[key] != name:
                    self.err(path, where, f"{n!r} folds to {key!r}, already used by {self.gpu_index[key]!r}")
                else:
                    self.gpu_index[key] = name
            sources = g.get("sources", {})
            if not isinstance(sources, dict):
                self.err(path, f"{where}.sources", "must be an object field -> URL")
                sources = {}
            for field in GPU_FIGURES:
                if field not in g:
                    self.err(path, f"{where}.{field}", "required (null when unknown)")
                    continue
                v = g[field]
                if v is None:
                    continue
                if field == "nvenc":
                    if not isinstance(v, int) or isinstance(v, bool) or v < 0:
                        self.err(path, f"{where}.nvenc", f"must be an integer >= 0, found {v!r}")
                elif not is_number(v) or v <= 0:
                    self.err(path, f"{where}.{field}", f"must be a number > 0 or null, found {v!r}")
                src = sources.get(field, g.get("source"))
                if not is_url_or_file(src):
                    self.err(path, f"{where}.{field}", "non-null figure without a source")
            for field, src in sources.items():
                if field not in GPU_FIGURES:
                    self.err(path, f"{where}.sources.{field}", "not a GPU figure")
                elif not is_url_or_file(src):
                    self.err(path, f"{where}.sources.{field}", "not a URL")

    def resolve_gpu(self, name):
        return self.gpu_index.get(fold_gpu_name(name)) if isinstance(name, str) else None

    # --- fx.json ---------------------------------------------------------------------------------
    def check_fx(self):
        path = os.path.join(self.data_dir, "fx.json")
        doc = self.load(path)
        if doc is None or not self.header(path, doc, "gpucost/fx"):
            return
        rates = doc.get("rates")
        if not isinstance(rates, list):
            self.err(path, "rates", "must be a list")
            return
        for i, r in enumerate(rates):
            where = f"rates[{i}]"
            if not isinstance(r, dict):
                self.err(path, where, "not an object")
                continue
            cur = r.get("currency")
            if not isinstance(cur, str) or not re.fullmatch(r"[A-Z]{3}", cur):
                self.err(path, f"{where}.currency", f"must be an ISO 4217 code, found {cur!r}")
            else:
                self.currencies.add(cur)
            if not is_number(r.get("usd_per_unit")) or r["usd_per_unit"] <= 0:
                self.err(path, f"{where}.usd_per_unit", f"must be a number > 0, found {r.get('usd_per_unit')!r}")
            if not isinstance(r.get("as_of"), str) or not ISO_DATE.match(r["as_of"]):
                self.err(path, f"{where}.as_of", f"must be a date YYYY-MM-DD, found {r.get('as_of')!r}")
            if not is_url_or_file(r.get("source")):
                self.err(path, f"{where}.source", "required")

    # --- providers.json --------------------------------------------------------------------------
    def check_worker_cap(self, path, pw, prod, t):
        """A serverless product states its default worker cap, null when none is documented."""
        if prod == "serverless" and "max_workers" not in t:
            self.err(path, f"{pw}.max_workers", "required for serverless (null when undocumented)")
        cap = t.get("max_workers")
        if cap is None:
            return
        cw = f"{pw}.max_workers"
        if not isinstance(cap, dict):
            self.err(path, cw, f"must be an object or null, found {cap!r}")
            return
        counts = [k for k in ("workers", "gpus") if k in cap]
        if len(counts) != 1:
            self.err(path, cw, "give exactly one of workers and gpus")
        for k in counts:
            v = cap[k]
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                self.err(path, f"{cw}.{k}", f"must be a whole number >= 1, found {v!r}")
        if not isinstance(cap.get("scope"), str) or not cap["scope"]:
            self.err(path, f"{cw}.scope", "required")
        if not is_url_or_file(cap.get("source")):
            self.err(path, f"{cw}.source", "required")
        if not isinstance(cap.get("as_of"), str) or not ISO_DATE.match(cap["as_of"]):
            self.err(path, f"{cw}.as_of", f"must be a date YYYY-MM-DD, found {cap.get('as_of')!r}")

    def check_providers(self):
        path = os.path.join(self.data_dir, "providers.json")
        doc = self.load(path)
        if doc is None or not self.header(path, doc, "gpucost/providers"):
            return
        providers = doc.get("providers")
        if not isinstance(providers, dict) or not providers:
            self.err(path, "providers", "must be a non-empty object")
            return
        self.provider_products = {pid: set((p.get("products") or {}) if isinstance(p, dict) else ())
                                  for pid, p in providers.items()}
        for pid, p in providers.items():
            where = f"providers.{pid}"
            if not isinstance(p, dict):
                self.err(path, where, "not an object")
                continue
            if not isinstance(p.get("display_name"), str) or not p["display_name"]:
                self.err(path, f"{where}.display_name", "required")
            if p.get("tier") not in TIERS:
                self.err(path, f"{where}.tier", f"must be one of {sorted(TIERS)}, found {p.get('tier')!r}")
            if "api_key_env" not in p:
                self.err(path, f"{where}.api_key_env", "required (null when none)")
            eg = p.get("egress_per_gb")
            if eg is not None:
                if not is_number(eg) or eg < 0:
                    self.err(path, f"{where}.egress_per_gb", f"must be a number >= 0 or null, found {eg!r}")
                if not is_url_or_file(p.get("egress_source")):
                    self.err(path, f"{where}.egress_source", "egress_per_gb given without a source")
                if not isinstance(p.get("egress_as_of"), str) or not ISO_DATE.match(p["egress_as_of"]):
                    self.err(path, f"{where}.egress_as_of", "egress_per_gb given without a date")
            products = p.get("products")
            if not isinstance(products, dict):
                self.err(path, f"{where}.products", "must be an object")
                continue
            for prod, t in products.items():
                pw = f"{where}.products.{prod}"
                if prod not in PRODUCTS:
                    self.err(path, pw, f"unknown product (expected one of {sorted(PRODUCTS)})")
                if not isinstance(t, dict):
                    self.err(path, pw, "not an object")
                    continue
                if not is_url_or_file(t.get("source")):
                    self.err(path, f"{pw}.source", "required")
                if not isinstance(t.get("as_of"), str) or not ISO_DATE.match(t["as_of"]):
                    self.err(path, f"{pw}.as_of", f"must be a date YYYY-MM-DD, found {t.get('as_of')!r}")
                for field in PRODUCT_TRAITS:
                    if field not in t:
                        self.err(path, f"{pw}.{field}", "required (null when unknown)")
                for field in ("billing_granularity_s",):
                    v = t.get(field)
                    if v is not None and (not is_number(v) or v <= 0):
                        self.err(path, f"{pw}.{field}", f"must be > 0 or null, found {v!r}")
                for field in ("billing_minimum_s", "cold_start_s", "idle_timeout_s"):
                    v = t.get(field)
                    if v is not None and (not is_number(v) or v < 0):
                        self.err(path, f"{pw}.{field}", f"must be >= 0 or null, found {v!r}")
                rng = t.get("idle_timeout_range_s")
                if rng is not None:
                    if (not isinstance(rng, list) or len(rng) != 2 or not all(is_number(x) for x in rng)
                            or rng[0] > rng[1]):
                        self.err(path, f"{pw}.idle_timeout_range_s", f"must be [min, max] or null, found {rng!r}")
                    elif is_number(t.get("idle_timeout_s")) and not rng[0] <= t["idle_timeout_s"] <= rng[1]:
                        self.err(path, f"{pw}.idle_timeout_s", "outside idle_timeout_range_s")
                for field in ("cold_start_billed", "idle_billed", "native_autoscaling", "always_on"):
                    v = t.get(field)
                    if v is not None and not isinstance(v, bool):
                        self.err(path, f"{pw}.{field}", f"must be true, false or null, found {v!r}")
                self.check_worker_cap(path, pw, prod, t)
                alts = t.get("alternatives", [])
                if not isinstance(alts, list):
                    self.err(path, f"{pw}.alternatives", "must be a list")
                    alts = []
                for j, a in enumerate(alts):
                    aw = f"{pw}.alternatives[{j}]"
                    if not isinstance(a, dict):
                        self.err(path, aw, "not an object")
                        continue
                    if not is_url_or_file(a.get("source")):
                        self.err(path, f"{aw}.source", "required")
                    if not isinstance(a.get("as_of"), str) or not ISO_DATE.match(a["as_of"]):
                        self.err(path, f"{aw}.as_of", "required date")
                    if not isinstance(a.get("note"), str) or not a["note"]:
                        self.err(path, f"{aw}.note", "required")

    # --- catalog/*.json --------------------------------------------------------------------------
    def check_catalogs(self):
        cdir = os.path.join(self.data_dir, "catalog")
        if not os.path.isdir(cdir):
            self.err(cdir, "", "catalog directory missing")
            return
        files = sorted(f for f in os.listdir(cdir) if f.endswith(".json"))
        if not files:
            self.err(cdir, "", "no catalog files")
        for fname in files:
            self.check_catalog(os.path.join(cdir, fname))

    def check_catalog(self, path):
        doc = self.load(path)
        if doc is None or not self.header(path, doc, "gpucost/catalog"):
            return
        offers = doc.get("offers")
        if not isinstance(offers, list) or not offers:
            self.err(path, "offers", "must be a non-empty list")
            return
        for i, o in enumerate(offers):
            where = f"offers[{i}]"
            if not isinstance(o, dict):
                self.err(path, where, "not an object")
                continue
            if isinstance(o.get("name"), str):
                where = f"offers[{i}] ({o['name']})"
            for field in o:
                if field not in OFFER_FIELDS:
                    self.err(path, f"{where}.{field}", "unknown field (misspelled?)")
            if o.get("product") == "api":
                self.check_api_offer(path, where, o)
                continue
            for field in API_FIELDS:
                if o.get(field) is not None:
                    self.err(path, f"{where}.{field}", "applies only to an offer of product 'api'")
            for field in ("provider", "product", "gpu", "source", "fetched_at"):
                if not isinstance(o.get(field), str) or not o[field].strip():
                    self.err(path, f"{where}.{field}", "required")
            if isinstance(o.get("product"), str) and o["product"] not in PRODUCTS:
                self.err(path, f"{where}.product", f"must be one of {sorted(PRODUCTS)}, found {o['product']!r}")
            if isinstance(o.get("gpu"), str) and self.gpu_index and self.resolve_gpu(o["gpu"]) is None:
                self.err(path, f"{where}.gpu", f"{o['gpu']!r} does not resolve through gpus.json")
            gc = o.get("gpu_count")
            if not isinstance(gc, int) or isinstance(gc, bool) or gc < 1:
                self.err(path, f"{where}.gpu_count", f"required integer >= 1, found {gc!r}")
            if isinstance(o.get("source"), str) and not is_url_or_file(o["source"]):
                self.err(path, f"{where}.source", "must be a URL or file path")
            if isinstance(o.get("fetched_at"), str) and not ISO_TIME.match(o["fetched_at"]):
                self.err(path, f"{where}.fetched_at", f"must be ISO 8601, found {o['fetched_at']!r}")
            prices = {}
            for field in PRICE_FIELDS:
                v = o.get(field)
                if v is None:
                    continue
                if not is_number(v) or v <= 0:
                    self.err(path, f"{where}.{field}", f"must be a number > 0 or null (never 0), found {v!r}")
                else:
                    prices[field] = v
            if not any(f in prices for f in ("price_per_hour", "spot_price_per_hour", "monthly_price")):
                self.err(path, where, "needs at least one of price_per_hour, spot_price_per_hour, monthly_price")
            if "price_per_hour" in prices and "monthly_price" in prices:
                expect = prices["price_per_hour"] * HOURS_PER_MONTH
                if abs(prices["monthly_price"] - expect) > 0.01 * expect + 0.01:
                    self.err(path, f"{where}.monthly_price",
                             f"{prices['monthly_price']} disagrees with price_per_hour x 730 = {expect:.2f}")
            cur = o.get("currency", "USD")
            if cur not in self.currencies:
                self.err(path, f"{where}.currency", f"{cur!r} has no rate in fx.json")
            for field in ("gpu_memory_gb", "vcpus", "ram_gb"):
                v = o.get(field)
                if v is not None and (not is_number(v) or v <= 0):
                    self.err(path, f"{where}.{field}", f"must be > 0 or null, found {v!r}")
            v = o.get("billing_granularity_s")
            if v is not None and (not is_number(v) or v <= 0):
                self.err(path, f"{where}.billing_granularity_s", f"must be > 0 or null, found {v!r}")
            for field in ("billing_minimum_s", "cold_start_s", "idle_timeout_s", "interruptions_per_hour",
                          "egress_per_gb"):
                v = o.get(field)
                if v is not None and (not is_number(v) or v < 0):
                    self.err(path, f"{where}.{field}", f"must be >= 0 or null, found {v!r}")
            v = o.get("reliability")
            if v is not None and (not is_number(v) or not 0 <= v <= 1):
                self.err(path, f"{where}.reliability", f"must be within 0-1 or null, found {v!r}")
            v = o.get("cold_start_billed")
            if v is not None and not isinstance(v, bool):
                self.err(path, f"{where}.cold_start_billed", f"must be true, false or null, found {v!r}")

    def check_api_offer(self, path, where, o):
        """An api offer: a unit of the closed list, a price per unit, dated and sourced, and no GPU fields."""
        for field in ("provider", "source", "fetched_at"):
            if not isinstance(o.get(field), str) or not o[field].strip():
                self.err(path, f"{where}.{field}", "required")
        if o.get("unit") not in UNITS:
            self.err(path, f"{where}.unit", f"must be one of {sorted(UNITS)}, found {o.get('unit')!r}")
        v = o.get("price_per_unit")
        if not is_number(v) or v <= 0:
            self.err(path, f"{where}.price_per_unit", f"must be a number > 0 (never 0), found {v!r}")
        for field in ("unit_increment", "max_units_per_call", "rate_limit_per_minute"):
            v = o.get(field)
            if v is not None and (not is_number(v) or v <= 0):
                self.err(path, f"{where}.{field}", f"must be > 0 or null, found {v!r}")
        v = o.get("minimum_charge")
        if v is not None and (not is_number(v) or v < 0):
            self.err(path, f"{where}.minimum_charge", f"must be >= 0 or null, found {v!r}")
        for field in GPU_ONLY_FIELDS:
            if o.get(field) is not None:
                self.err(path, f"{where}.{field}", "an api offer has no GPU or hourly fields")
        if isinstance(o.get("source"), str) and not is_url_or_file(o["source"]):
            self.err(path, f"{where}.source", "must be a URL or file path")
        if isinstance(o.get("fetched_at"), str) and not ISO_TIME.match(o["fetched_at"]):
            self.err(path, f"{where}.fetched_at", f"must be ISO 8601, found {o['fetched_at']!r}")
        if self.provider_products is not None and o.get("provider") not in self.provider_products:
            self.err(path, f"{where}.provider", f"{o.get('provider')!r} is not in providers.json")

    # --- examples/*.json -------------------------------------------------------------------------
    def check_examples(self):
        edir = os.path.join(self.data_dir, "examples")
        if not os.path.isdir(edir):
            return
        for fname in sorted(f for f in os.listdir(edir) if f.endswith(".json")):
            path = os.path.join(edir, fname)
            doc = self.load(path)
            if doc is None or not self.header(path, doc, "gpucost/workload"):
                continue
            for field in WORKLOAD_REQUIRED:
                if field not in doc or doc[field] in (None, "", []):
                    self.err(path, field, "required")
            if "ref_gpu" in doc and self.gpu_index and self.resolve_gpu(doc["ref_gpu"]) is None:
                self.err(path, "ref_gpu", f"{doc['ref_gpu']!r} does not resolve through gpus.json")
            js = doc.get("job_seconds")
            if js is not None and (not is_number(js) or js <= 0):
                self.err(path, "job_seconds", f"must be > 0, found {js!r}")
            if doc.get("workload_class") not in WORKLOAD_CLASSES:
                self.err(path, "workload_class", f"must be one of {sorted(WORKLOAD_CLASSES)}")
            ms = doc.get("measured_seconds") or {}
            if not isinstance(ms, dict):
                self.err(path, "measured_seconds", "must be an object GPU -> seconds")
                ms = {}
            for k, v in ms.items():
                if self.gpu_index and self.resolve_gpu(k) is None:
                    self.err(path, f"measured_seconds.{k}", "GPU does not resolve through gpus.json")
                if not is_number(v) or v <= 0:
                    self.err(path, f"measured_seconds.{k}", f"must be > 0, found {v!r}")
            for field in ("jobs_per_month", "revenue_per_job", "output_gb", "idle_timeout_s", "cold_start_s",
                          "interruptions_per_hour"):
                v = doc.get(field)
                if v is not None and (not is_number(v) or v < 0):
                    self.err(path, field, f"must be >= 0 or null, found {v!r}")
            mu = doc.get("max_utilization")
            if mu is not None and (not is_number(mu) or not 0 < mu <= 1):
                self.err(path, "max_utilization", f"must be within (0, 1], found {mu!r}")
            gpj = doc.get("gpus_per_job", 1)
            if not isinstance(gpj, int) or isinstance(gpj, bool) or gpj < 1:
                self.err(path, "gpus_per_job", f"must be an integer >= 1, found {gpj!r}")

    # --- coverage.json ---------------------------------------------------------------------------
    def catalog_offers(self):
        """Every offer of catalog/*.json whose provider, product, GPU and fetched_at are well formed."""
        cdir = os.path.join(self.data_dir, "catalog")
        offers = []
        for fname in sorted(f for f in os.listdir(cdir) if f.endswith(".json")) if os.path.isdir(cdir) else []:
            try:
                with open(os.path.join(cdir, fname), encoding="utf-8") as f:
                    doc = json.load(f)
            except (OSError, ValueError):
                continue  # check_catalog reports it
            for o in doc.get("offers", []) if isinstance(doc, dict) else []:
                if (isinstance(o, dict) and isinstance(o.get("fetched_at"), str) and ISO_TIME.match(o["fetched_at"])
                        and any(is_number(o.get(k)) and o[k] > 0 for k in PRICE_FIELDS + ("price_per_unit",))):
                    offers.append(o)
        return offers

    def check_note(self, path, where, note):
        """A note saying why there is no offer: text, a date YYYY-MM-DD and a source."""
        if not isinstance(note, dict):
            self.err(path, f"{where}.note", "required when there is no offer (text, as_of, source)")
            return
        if not isinstance(note.get("text"), str) or not note["text"].strip():
            self.err(path, f"{where}.note.text", "required")
        if not isinstance(note.get("as_of"), str) or not ISO_DATE.match(note["as_of"]):
            self.err(path, f"{where}.note.as_of", f"must be a date YYYY-MM-DD, found {note.get('as_of')!r}")
        if not is_url_or_file(note.get("source")):
            self.err(path, f"{where}.note.source", "required")

    def check_coverage(self):
        path = os.path.join(self.data_dir, "coverage.json")
        doc = self.load(path)
        if doc is None or not self.header(path, doc, "gpucost/coverage"):
            return
        offers = self.catalog_offers()
        sections = {}
        for key in ("providers", "gpus", "offers"):
            sections[key] = doc.get(key)
            if not isinstance(sections[key], list):
                self.err(path, key, "must be a list")
                sections[key] = []

        def entries(key, names):
            found = {}
            for i, e in enumerate(sections[key]):
                if isinstance(e, dict) and isinstance(e.get("seed_name"), str):
                    found[e["seed_name"]] = (i, e)
                else:
                    self.err(path, f"{key}[{i}].seed_name", "required")
            for name in names:
                if name not in found:
                    self.err(path, key, f"{name!r} (named by the seeds) is missing")
            return found.values()

        def covered(where, entry, matches, what):
            if entry.get("offers") is True:
                if not any(matches(o) for o in offers):
                    self.err(path, f"{where}.offers", f"true, but catalog/*.json has no dated offer for {what}")
                if entry.get("note") is not None:
                    self.check_note(path, where, entry["note"])
            elif entry.get("offers") is False:
                self.check_note(path, where, entry.get("note"))
            else:
                self.err(path, f"{where}.offers", f"must be true or false, found {entry.get('offers')!r}")

        for i, e in entries("providers", SEED_PROVIDERS):
            where = f"providers[{i}] ({e['seed_name']})"
            pid, products = e.get("id"), e.get("products")
            if not isinstance(pid, str) or not pid:
                self.err(path, f"{where}.id", "required")
                continue
            if not isinstance(products, list):
                self.err(path, f"{where}.products", "must be a list")
                continue
            if e.get("offers") is True and not products:
                self.err(path, f"{where}.products", "offers true needs the products priced")
            for prod in products:
                covered(where, e, lambda o, prod=prod: o.get("provider") == pid and o.get("product") == prod,
                        f"{pid} {prod}")
            if not products:
                covered(where, e, lambda o: o.get("provider") == pid, pid)
        for i, e in entries("gpus", SEED_GPUS):
            where = f"gpus[{i}] ({e['seed_name']})"
            gpu = self.resolve_gpu(e.get("gpu"))
            if gpu is None:
                self.err(path, f"{where}.gpu", f"{e.get('gpu')!r} does not resolve through gpus.json")
                continue
            covered(where, e, lambda o, gpu=gpu: self.resolve_gpu(o.get("gpu")) == gpu, gpu)
        for i, e in entries("offers", ()):
            where = f"offers[{i}] ({e['seed_name']})"
            gpu = self.resolve_gpu(e.get("gpu"))
            if gpu is None or not isinstance(e.get("provider"), str) or e.get("product") not in PRODUCTS:
                self.err(path, where, "needs provider, a known product and a GPU gpus.json knows")
                continue
            spot = e.get("spot") is True
            covered(where, e,
                    lambda o, e=e, gpu=gpu, spot=spot: (
                        o.get("provider") == e["provider"] and o.get("product") == e["product"]
                        and self.resolve_gpu(o.get("gpu")) == gpu
                        and (not spot or is_number(o.get("spot_price_per_hour")))),
                    f"{e['provider']} {e['product']} {gpu}{' with a spot price' if spot else ''}")

    def check_benchmark_clocks(self):
        """Each encode figure's video clocks: a positive MHz, and a GPU's own clock with its source
        and date (the model scales the note's per-engine speed by clock / reference clock)."""
        path = os.path.join(self.data_dir, "benchmarks.json")
        if not os.path.exists(path):
            return
        doc = self.load(path)
        if doc is None:
            return
        figures = doc.get("classes", {}).get("encode", {}).get("figures", [])
        for i, fig in enumerate(figures):
            where = f"classes.encode.figures[{i}] ({fig.get('gpu')})"
            for field in ("video_clock_mhz", "reference_video_clock_mhz"):
                v = fig.get(field)
                if v is not None and not (is_number(v) and v > 0):
                    self.err(path, f"{where}.{field}", f"must be a positive number of MHz, found {v!r}")
            if fig.get("video_clock_mhz") is not None:
                if not is_url_or_file(fig.get("video_clock_source")):
                    self.err(path, f"{where}.video_clock_source", "is required with video_clock_mhz")
                if not ISO_DATE.match(str(fig.get("video_clock_as_of", ""))):
                    self.err(path, f"{where}.video_clock_as_of", "must be a date (YYYY-MM-DD)")

    def run(self):
        self.check_gpus()
        self.check_fx()
        self.check_providers()
        self.check_catalogs()
        self.check_examples()
        self.check_coverage()
        self.check_benchmark_clocks()
        return self.errors


def check(data_dir):
    return Checker(data_dir).run()


# --- self test -----------------------------------------------------------------------------------
def _edit_json(path, fn):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    fn(doc)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2)


def self_test(data_dir):
    base_errors = check(data_dir)
    if base_errors:
        print("self-test: the data itself does not pass:", file=sys.stderr)
        for e in base_errors:
            print("  " + e, file=sys.stderr)
        return 1
    catalogs = sorted(f for f in os.listdir(os.path.join(data_dir, "catalog")) if f.endswith(".json"))
    first = os.path.join("catalog", catalogs[0])

    def offer0(fn):
        return lambda d: fn(d["offers"][0])

    def first_product(d):
        p = next(iter(d["providers"].values()))
        return next(iter(p["products"].values()))

    def first_gpu_with_figure(d):
        for g in d["gpus"]:
            if g.get("fp32_tflops") is not None:
                return g
        raise AssertionError("no GPU with fp32_tflops")

    def monthly_mismatch(o):
        o["price_per_hour"] = 1.0
        o["monthly_price"] = 100.0

    def fig_without_source(d):
        g = first_gpu_with_figure(d)
        g.pop("source", None)
        g.setdefault("sources", {}).pop("fp32_tflops", None)
        g["sources"] = {k: v for k, v in g["sources"].items() if k != "fp32_tflops"}

    cases = [
        ("offer without source", first, offer0(lambda o: o.pop("source")), "offers[0]", "source"),
        ("offer without fetched_at", first, offer0(lambda o: o.pop("fetched_at")), "offers[0]", "fetched_at"),
        ("zero price", first, offer0(lambda o: o.__setitem__("price_per_hour", 0)), "offers[0]", "price_per_hour"),
        ("negative price", first, offer0(lambda o: o.__setitem__("spot_price_per_hour", -1.5)), "offers[0]",
         "spot_price_per_hour"),
        ("no price at all", first, offer0(lambda o: [o.__setitem__(k, None) for k in PRICE_FIELDS]), "offers[0]",
         "needs at least one"),
        ("missing gpu", first, offer0(lambda o: o.pop("gpu")), "offers[0]", "gpu"),
        ("unknown gpu", first, offer0(lambda o: o.__setitem__("gpu", "Voodoo 5 6000")), "offers[0]",
         "does not resolve"),
        ("bad gpu_count", first, offer0(lambda o: o.__setitem__("gpu_count", 0)), "offers[0]", "gpu_count"),
        ("monthly vs hourly", first, offer0(monthly_mismatch), "offers[0]", "monthly_price"),
        ("misspelled field", first, offer0(lambda o: o.__setitem__("price_per_huor", 1.0)), "offers[0]",
         "price_per_huor"),
        ("currency without rate", first, offer0(lambda o: o.__setitem__("currency", "GBP")), "offers[0]",
         "currency"),
        ("api offer with a gpu", os.path.join("catalog", "mistral.json"),
         offer0(lambda o: o.__setitem__("gpu", "L4")), "offers[0]", "no GPU"),
        ("api offer with an unknown unit", os.path.join("catalog", "mistral.json"),
         offer0(lambda o: o.__setitem__("unit", "minute")), "offers[0]", "unit"),
        ("api offer priced 0", os.path.join("catalog", "mistral.json"),
         offer0(lambda o: o.__setitem__("price_per_unit", 0)), "offers[0]", "price_per_unit"),
        ("api field on a gpu offer", first, offer0(lambda o: o.__setitem__("unit", "image")), "offers[0]",
         "only to an offer of product 'api'"),
        ("gpu figure without source", "gpus.json", fig_without_source, "gpus[", "without a source"),
        ("product without source", "providers.json", lambda d: first_product(d).pop("source"), "products.",
         "source"),
        ("product without as_of", "providers.json", lambda d: first_product(d).pop("as_of"), "products.", "as_of"),
        ("worker cap of zero", "providers.json",
         lambda d: d["providers"]["runpod"]["products"]["serverless"]["max_workers"].__setitem__("workers", 0),
         "max_workers.workers", "whole number"),
        ("worker cap undated", "providers.json",
         lambda d: d["providers"]["runpod"]["products"]["serverless"]["max_workers"].pop("as_of"),
         "max_workers.as_of", "date"),
        ("serverless without a worker cap", "providers.json",
         lambda d: d["providers"]["cloudrun"]["products"]["serverless"].pop("max_workers"),
         "serverless.max_workers", "required"),
        ("fx rate undated", "fx.json", lambda d: d["rates"][0].pop("as_of"), "rates[0]", "as_of"),
        ("coverage: a seed provider dropped", "coverage.json",
         lambda d: d.__setitem__("providers", [p for p in d["providers"] if p["seed_name"] != "Hetzner"]),
         "providers", "'Hetzner' (named by the seeds) is missing"),
        ("coverage: a note undated", "coverage.json",
         lambda d: next(g for g in d["gpus"] if g["note"] is not None)["note"].pop("as_of"),
         "note.as_of", "date"),
        ("coverage: a note without source", "coverage.json",
         lambda d: next(p for p in d["providers"] if p["offers"] is False)["note"].pop("source"),
         "note.source", "required"),
        ("coverage: the offer removed", os.path.join("catalog", "runpod-pages.json"),
         lambda d: d.__setitem__("offers", [o for o in d["offers"]
                                            if not (o["product"] == "pod" and o["gpu"] == "RTX 3090")]),
         "RunPod RTX 3090 pod", "no dated offer for runpod pod RTX 3090"),
        ("coverage: an offer undated", os.path.join("catalog", "hetzner.json"),
         lambda d: [o.__setitem__("fetched_at", "recently") for o in d["offers"]],
         "Hetzner", "no dated offer for hetzner dedicated"),
        ("coverage: the spot prices removed", os.path.join("catalog", "gcp.json"),
         lambda d: [o.__setitem__("spot_price_per_hour", None) for o in d["offers"]],
         "GCP L4 with spot", "with a spot price"),
        ("video clock without source", "benchmarks.json",
         lambda d: d["classes"]["encode"]["figures"][0].pop("video_clock_source"),
         "classes.encode.figures[0]", "video_clock_source"),
        ("video clock of zero", "benchmarks.json",
         lambda d: d["classes"]["encode"]["figures"][0].__setitem__("video_clock_mhz", 0),
         "classes.encode.figures[0]", "positive number of MHz"),
        ("wrong schema", "gpus.json", lambda d: d.__setitem__("schema", "gpucost/gpu"), "gpus.json", "schema"),
    ]
    failures = 0
    for label, rel, fn, expect_where, expect_text in cases:
        tmp = tempfile.mkdtemp(prefix="gpucost-check-")
        try:
            broken = os.path.join(tmp, "data")
            shutil.copytree(data_dir, broken)
            _edit_json(os.path.join(broken, rel), fn)
            errs = check(broken)
            hit = [e for e in errs if expect_where in e and expect_text in e]
            if hit:
                print(f"self-test ok: {label}: {hit[0]}")
            else:
                failures += 1
                print(f"self-test FAILED: {label}: not caught (errors: {errs})", file=sys.stderr)
        finally:
            shutil.rmtree(tmp)
    print(f"self-test: {len(cases) - failures}/{len(cases)} breaks caught")
    return 1 if failures else 0


def main(argv):
    args = argv[1:]
    if args and args[0] == "--self-test":
        data_dir = args[1] if len(args) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                              "..", "..", "data")
        return self_test(os.path.normpath(data_dir))
    if len(args) != 1 or args[0].startswith("-"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    errors = check(args[0])
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        print(f"{len(errors)} problem(s)", file=sys.stderr)
        return 1
    print("data ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
