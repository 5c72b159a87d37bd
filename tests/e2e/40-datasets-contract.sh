#!/usr/bin/env bash
# Every datasets/*.csv follows the results data contract and has a sidecar:
# the ten contract columns first and in order, RFC 4180 rows of the header's
# width, required cells present, value a finite decimal number, better and
# run well formed, no two rows with the same (platform, benchmark, metric,
# config, run), and NAME.meta.json a JSON object whose "source" is a
# non-empty string. The hand-made and converted datasets (all but local-*,
# which bin/campaign writes) must also carry the provenance keys that
# datasets/README.md promises and be listed in its table.
set -u
. "$TOP/tests/e2e/lib/common.sh"
exec "$PY" - <<'EOF'
import csv
import glob
import json
import math
import os
import re
import sys

CONTRACT = ["platform", "benchmark", "metric", "value", "unit", "run",
            "better", "config", "host", "timestamp"]
# docs/data-contract.md: value is "a finite decimal number" (12, -0.5, 1e3).
NUMBER = re.compile(r"^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")
PROVENANCE = {"source": str, "citation": str, "units": dict, "host": str,
              "approximate": bool, "approximate_note": str,
              "derivation": str, "notes": list}

errors = []
files = sorted(glob.glob("datasets/*.csv"))
if len(files) < 23:
    errors.append("only %d dataset CSVs, expected at least 23" % len(files))
readme = open("datasets/README.md", encoding="utf-8").read()


def check_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, strict=True))
    if not rows:
        return errors.append("%s: empty" % path)
    header = rows[0]
    if header[:10] != CONTRACT:
        errors.append("%s:1: header starts %s, expected the contract "
                      "columns %s" % (path, header[:10], CONTRACT))
    if len(set(header)) != len(header) or "" in header:
        errors.append("%s:1: duplicate or empty column name" % path)
    if len(rows) < 2:
        errors.append("%s: header only" % path)
    seen = {}
    for i, row in enumerate(rows[1:], 2):
        if len(row) != len(header):
            errors.append("%s:%d: %d fields, header has %d" % (
                path, i, len(row), len(header)))
            continue
        r = dict(zip(header, row))
        for col in ("platform", "benchmark", "metric"):
            if not r[col]:
                errors.append("%s:%d: empty %s" % (path, i, col))
        v = r["value"]
        if not NUMBER.match(v) or not math.isfinite(float(v)):
            errors.append("%s:%d: value '%s' is not a finite number" % (
                path, i, v))
        if r["better"] not in ("", "lower", "higher"):
            errors.append("%s:%d: better '%s'" % (path, i, r["better"]))
        if r["run"] and not r["run"].isdigit():
            errors.append("%s:%d: run '%s'" % (path, i, r["run"]))
        key = tuple(r[c] for c in ("platform", "benchmark", "metric",
                                   "config", "run"))
        if key in seen:
            errors.append("%s:%d: same key as line %d: %s" % (
                path, i, seen[key], key))
        seen[key] = i


def check_meta(path, is_local):
    meta = path[:-4] + ".meta.json"
    try:
        with open(meta, encoding="utf-8") as f:
            m = json.load(f)
    except (OSError, ValueError) as e:
        return errors.append("%s: %s" % (meta, e))
    if not isinstance(m, dict):
        return errors.append("%s: not a JSON object" % meta)
    if not isinstance(m.get("source"), str) or not m["source"].strip():
        errors.append("%s: \"source\" is not a non-empty string" % meta)
    if is_local:
        return
    for key, typ in PROVENANCE.items():
        if not isinstance(m.get(key), typ):
            errors.append("%s: \"%s\" missing or not a %s" % (
                meta, key, typ.__name__))
    if not all(isinstance(n, str) for n in m.get("notes", [])):
        errors.append("%s: \"notes\" holds a non-string" % meta)
    name = os.path.basename(path)
    if "| %s |" % name not in readme:
        errors.append("datasets/README.md: %s is not in the file table" %
                      name)


for path in files:
    check_csv(path)
    check_meta(path, os.path.basename(path).startswith("local-"))
for meta in glob.glob("datasets/*.meta.json"):
    if not os.path.exists(meta[:-len(".meta.json")] + ".csv"):
        errors.append("%s: sidecar without a CSV" % meta)

for e in errors:
    print("FAIL " + e)
print("%d dataset files checked, %d problems" % (len(files), len(errors)))
sys.exit(1 if errors else 0)
EOF
