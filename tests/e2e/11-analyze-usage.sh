#!/usr/bin/env bash
# 2026-11-25: the command line of analyze. --help and --version on
# standard output with exit 0; every usage error is exactly one line naming
# the problem (with "did you mean" for a near miss), then the "try" line,
# on standard error, nothing on standard output, and exit 2.
set -u
. "$TOP/tests/e2e/lib/common.sh"
B=tests/data/basic.csv

# usage WANTED_MESSAGE ARGS...
usage() {
	local want=$1
	shift
	expect_usage analyze "$want" "$A" "$@"
}

usage "unknown option '--formt' (did you mean '--format'?)" --formt json "$B"
usage "unknown option '--explian' (did you mean '--explain'?)" --explian "$B"
usage "unknown option '--drop' (did you mean '--drop-outliers'?)" --drop "$B"
usage "unknown option '--zzzzzz'" --zzzzzz "$B"
usage "unknown option '-x'" -x "$B"
usage "no input file (use '-' for standard input)"
usage "no input file (use '-' for standard input)" --format csv
usage "option '--level' needs a value (L)" "$B" --level
usage "option '-o' needs a value (PATH)" "$B" -o
usage "option '--quiet' takes no value" --quiet=yes "$B"
usage "--format 'xml' is not one of text, csv, json, md, tex" --format xml "$B"
usage "--test 'ttest' is not one of welch, mwu" --test=ttest "$B"
usage "--level '1.5' is not a level between 0 and 1 (e.g. 0.95 or 95%)" \
	--level 1.5 "$B"
usage "--level 'abc' is not a level between 0 and 1 (e.g. 0.95 or 95%)" \
	--level abc "$B"
usage "--target-ci '0' is not a percentage above 0 (e.g. 2%)" \
	--target-ci 0 "$B"
usage "--size '800' is not WIDTHxHEIGHT in pixels (e.g. 800x500)" \
	--plot --size 800 "$B"
usage "--by 'platform,,metric' has an empty column name (e.g. --by platform,benchmark)" \
	--by platform,,metric "$B"
usage "option '--term' needs '--plot'" --term png "$B"
usage "option '--comparisons' needs '--format csv'" --comparisons "$B"
usage "options '--plot' and '--format' exclude each other (a figure has no table format)" \
	--plot --format json "$B"

# --help: stdout, exit 0, nothing on stderr, the layout docs/conventions.md
# gives, and no line wider than 80 columns.
expect_exit 0 --help "$A" --help
[ -s "$STDERR" ] && fail "--help wrote to stderr"
help=$(cat "$STDOUT")
[ "$(head -n 1 <<<"$help")" = "usage: analyze [options] FILE..." ] ||
	fail "--help: first line is not the synopsis"
for section in EXAMPLE OPTIONS "EXIT STATUS"; do
	grep -qx "$section" <<<"$help" || fail "--help lacks $section"
done
grep -q '^  2  bad usage or bad input' <<<"$help" ||
	fail "--help: EXIT STATUS does not list status 2"
grep -q -- '--level L .*(default: 0.95)' <<<"$help" ||
	fail "--help: --level does not state its default"
wide=$(awk 'length($0) > 80' <<<"$help")
[ -z "$wide" ] || fail "--help lines wider than 80 columns: $wide"
# -h is the same, and --help wins over a later bad option
[ "$("$A" -h)" = "$help" ] || fail "-h differs from --help"
[ "$("$A" --help --nonsense)" = "$help" ] || fail "--help before a bad option"

# --version: the toolkit version, one line
v=$("$A" --version)
[ $? -eq 0 ] && [ "$v" = "analyze 0.1.0" ] || fail "--version printed '$v'"

# a usage error wins over --help after it
expect_exit 2 "a usage error before --help" "$A" --nonsense --help

# '--' ends options: a file named like an option
cp "$B" "$TMPDIR/--weird.csv"
(cd "$TMPDIR" && "$A" -q -- --weird.csv >/dev/null 2>&1) ||
	fail "'--' did not end the options"

finish
