#!/usr/bin/env bash
# 2026-11-25: what is compared with what. --baseline picks the
# reference value of the factor, --factor file compares input files,
# --by sets the grouping columns; an unknown baseline is exit 2 with one
# line. Values are checked in the JSON output; the expected ratios are
# the fixtures' means divided by hand (each noted below).
set -u
. "$TOP/tests/e2e/lib/common.sh"
require "$PY" "needs $PY to read the JSON output"
B=tests/data/basic.csv

# default baseline: the first platform seen (native)
"$A" --format json "$B" >"$TMPDIR/default.json" || fail "default run"
jcheck "$TMPDIR/default.json" '
assert d["baseline"] == "native", d["baseline"]
assert [c["other"] for c in d["comparisons"]] == ["container", "container", "qemu-kvm", "qemu-kvm"]
' "default baseline is not the first platform seen"

# --baseline qemu-kvm: native memsweep / qemu-kvm memsweep
# = (25.04 / 5) / (28.08 / 5) = 25.04 / 28.08 = 0.891737891737...
"$A" --format json --baseline qemu-kvm "$B" >"$TMPDIR/kvm.json" ||
	fail "--baseline qemu-kvm run"
jcheck "$TMPDIR/kvm.json" '
assert d["baseline"] == "qemu-kvm"
c = [c for c in d["comparisons"] if c["other"] == "native" and c["key"]["benchmark"] == "memsweep"]
assert len(c) == 1, c
assert abs(c[0]["ratio"] - 25.04 / 28.08) < 1e-12, c[0]["ratio"]
assert c[0]["change"].endswith("faster"), c[0]["change"]
assert len(d["comparisons"]) == 4
' "--baseline qemu-kvm"

# --factor file: after.csv against basic.csv, native memsweep only;
# ratio = (24.05 / 5) / (25.04 / 5) = 0.960463258785942...
"$A" --format json --factor file "$B" tests/data/after.csv \
	>"$TMPDIR/file.json" || fail "--factor file run"
jcheck "$TMPDIR/file.json" '
assert d["factor"] == "file" and d["baseline"] == "tests/data/basic.csv"
assert d["key_columns"] == ["platform", "benchmark", "metric", "config", "file"], d["key_columns"]
assert len(d["groups"]) == 7, len(d["groups"])
assert len(d["comparisons"]) == 1, d["comparisons"]
c = d["comparisons"][0]
assert c["other"] == "tests/data/after.csv"
assert c["key"] == {"platform": "native", "benchmark": "memsweep", "metric": "seconds", "config": ""}, c["key"]
assert abs(c["ratio"] - 24.05 / 25.04) < 1e-12, c["ratio"]
assert c["significant"] is True
' "--factor file"

# --by benchmark: the key is benchmark then the factor, appended
"$A" --format json --by benchmark "$B" >"$TMPDIR/by.json" || fail "--by run"
jcheck "$TMPDIR/by.json" '
assert d["key_columns"] == ["benchmark", "platform"], d["key_columns"]
assert [tuple(g["key"].values()) for g in d["groups"]][:2] == [("memsweep", "native"), ("stream", "native")]
assert len(d["groups"]) == 6
' "--by benchmark"

# --factor config --baseline: compare configs inside one platform
"$A" --format json --factor config --baseline "alloc=tlsf,threads=2" \
	tests/data/escape.csv >"$TMPDIR/config.json" || fail "--factor config"
jcheck "$TMPDIR/config.json" '
assert d["baseline"] == "alloc=tlsf,threads=2"
assert sorted(c["key"]["platform"] for c in d["comparisons"]) == ["native", "unikraft_qemu"]
# native: (1.70 + 1.72) / 2 / ((1.50 + 1.52 + 1.51) / 3) = 1.71 / 1.51
c = [c for c in d["comparisons"] if c["key"]["platform"] == "native"][0]
assert abs(c["ratio"] - 1.71 / 1.51) < 1e-12, c["ratio"]
' "--factor config"

# a baseline that does not occur: one line naming it, exit 2
expect_exit 2 "--baseline nosuch" "$A" --baseline nosuch "$B"
[ "$(wc -l <"$STDERR")" -eq 1 ] && grep -q "'nosuch'" "$STDERR" ||
	fail "--baseline nosuch: stderr: $(cat "$STDERR")"
[ -s "$STDOUT" ] && fail "--baseline nosuch wrote to stdout"

finish
