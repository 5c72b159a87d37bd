#!/usr/bin/env bash
# analyze reads every dataset in datasets/ without a diagnostic, names each
# sidecar's source in its report, and its --format csv means of fig_10
# (boot time per VMM) and fig_14 (boot phases per allocator) agree with
# means computed here from the same CSV in exact decimal arithmetic (Python
# standard library), to 1e-12 relative: the datasets and analyze checked
# against each other, with the rounded values of the source (INDEX.md:
# QEMU 38.4, QEMU 1NIC 42.7, microVM 9.1, Solo5 3.1, Firecracker 3.1 ms)
# as a last guard.
set -u
. "$TOP/tests/e2e/lib/common.sh"

for f in datasets/*.csv; do
	expect_exit 0 "analyze $f" "$A" "$f" || exit 1
	[ ! -s "$STDERR" ] || die "analyze $f wrote: $(head -3 "$STDERR")"
	src=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["source"])' \
		"${f%.csv}.meta.json") || die "sidecar of $f"
	grep -qF "$src" "$STDOUT" || die "analyze $f does not name its source '$src'"
done

for name in eurosys21-fig10-boot eurosys21-fig14-alloc-boot; do
	"$A" --format csv "datasets/$name.csv" >"$TMPDIR/$name.out" ||
		die "analyze --format csv $name"
done
exec "$PY" - "$TMPDIR" <<'EOF'
import csv
import sys
from decimal import Decimal, ROUND_HALF_UP

tmp = sys.argv[1]
bad = []
checks = 0


def exact_means(name):
    groups = {}
    with open("datasets/%s.csv" % name, newline="") as f:
        for r in csv.DictReader(f):
            key = (r["platform"], r["metric"], r["config"])
            groups.setdefault(key, []).append(Decimal(r["value"]))
    return {k: (sum(v) / len(v), len(v)) for k, v in groups.items()}


for name in ["eurosys21-fig10-boot", "eurosys21-fig14-alloc-boot"]:
    want = exact_means(name)
    with open("%s/%s.out" % (tmp, name), newline="") as f:
        got = {(r["platform"], r["metric"], r["config"]): r
               for r in csv.DictReader(f)}
    if set(got) != set(want):
        bad.append("%s: analyze groups %s, dataset groups %s" % (
            name, sorted(got), sorted(want)))
        continue
    for key, (mean, n) in want.items():
        checks += 1
        r = got[key]
        if int(r["n"]) != n:
            bad.append("%s %s: n %s, expected %d" % (name, key, r["n"], n))
        rel = abs(Decimal(r["mean"]) - mean) / abs(mean)
        if rel > Decimal("1e-12"):
            bad.append("%s %s: analyze mean %s, exact %s" % (
                name, key, r["mean"], mean))

with open("%s/eurosys21-fig10-boot.out" % tmp, newline="") as f:
    totals = {r["platform"]: Decimal(r["mean"]).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)
        for r in csv.DictReader(f) if r["metric"] == "total_ms"}
source = {"qemu": "38.4", "qemu-1nic": "42.7", "qemu-microvm": "9.1",
          "solo5": "3.1", "firecracker": "3.1"}
for vmm, ms in source.items():
    checks += 1
    if str(totals.get(vmm)) != ms:
        bad.append("fig10 %s: analyze mean total %s ms, source %s" % (
            vmm, totals.get(vmm), ms))

for b in bad:
    print("FAIL " + b)
print("%d analyze means checked, %d failed" % (checks, len(bad)))
sys.exit(1 if bad else 0)
EOF
