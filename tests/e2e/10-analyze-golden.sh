#!/usr/bin/env bash
# 2026-11-25: whole outputs of analyze on the small fixtures of
# tests/data, in every format, compared byte for byte with
# tests/e2e/golden/10-*. A change in wording, rounding or layout shows
# up here; when it is intended, regenerate with
#   UPDATE_GOLDEN=1 tests/run --only e2e --filter 10-analyze
# and review the diff before committing it.
set -u
. "$TOP/tests/e2e/lib/common.sh"
GOLD=tests/e2e/golden

# case NAME ARGS...: run analyze, compare stdout with $GOLD/10-NAME, and
# require exit status 0 and an empty stderr.
case_() {
	local name=$1
	shift
	expect_exit 0 "$name" "$A" "$@" || return
	if [ "${UPDATE_GOLDEN:-}" = 1 ] && [ "$SANITIZED" != 1 ]; then
		cp "$STDOUT" "$GOLD/10-$name"
	fi
	if [ -s "$STDERR" ]; then
		fail "$name: stderr: $(cat "$STDERR")"
	else
		same_file "$GOLD/10-$name" "$STDOUT" "$name"
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

finish
