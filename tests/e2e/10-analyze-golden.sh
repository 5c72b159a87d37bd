#!/usr/bin/env bash
# 2026-11-25 issue 3: whole outputs of analyze on the small fixtures of
# tests/data, in every format, compared byte for byte with
# tests/e2e/golden/10-*. A change in wording, rounding or layout shows
# up here; when it is intended, regenerate with
#   UPDATE_GOLDEN=1 tests/run --only e2e --filter 10-analyze
# and review the diff before committing it.
set -u
cd "$TOP" || exit 1
GOLD=tests/e2e/golden
fails=0

# case NAME ARGS...: run analyze, compare stdout with $GOLD/10-NAME, and
# require exit status 0 and an empty stderr.
case_() {
	local name=$1 out err status
	shift
	out="$TMPDIR/$name.out"
	err="$TMPDIR/$name.err"
	"$BIN/analyze" "$@" >"$out" 2>"$err"
	status=$?
	if [ "${UPDATE_GOLDEN:-}" = 1 ] && [ "$SANITIZED" != 1 ]; then
		cp "$out" "$GOLD/10-$name"
	fi
	if [ $status -ne 0 ] || [ -s "$err" ]; then
		echo "FAIL $name: exit $status, stderr:"; cat "$err"
		fails=$((fails + 1))
	elif ! diff -u "$GOLD/10-$name" "$out"; then
		echo "FAIL $name: output differs from $GOLD/10-$name"
		fails=$((fails + 1))
	fi
}

B=tests/data/basic.csv
case_ basic.txt "$B"
case_ basic.csv --format csv "$B"
case_ basic-cmp.csv --format csv --comparisons "$B"
case_ basic.json --format json "$B"
case_ basic.md --format md "$B"
case_ basic.tex --format tex "$B"
case_ basic-mwu.txt --test mwu --level 0.99 "$B"
case_ single.txt tests/data/single.csv
case_ single.json --format json tests/data/single.csv
case_ outliers.txt tests/data/outliers.csv
case_ outliers-drop.txt --drop-outliers tests/data/outliers.csv
case_ explain.txt --explain tests/data/explain.csv
case_ explain.json --explain --format json tests/data/explain.csv
case_ explain-target.md --explain --target-ci 2% --format md \
	tests/data/explain.csv
case_ escape.tex --format tex tests/data/escape.csv
case_ escape.md --format md tests/data/escape.csv
case_ escape.csv --format csv tests/data/escape.csv

[ $fails -eq 0 ] || { echo "$fails golden case(s) failed"; exit 1; }
