#!/usr/bin/env bash
# 2026-11-25: analyze --plot as a command: the figures land in the
# -o directory, their paths (and nothing else) go to standard output, no
# temporary file is left, --explain findings follow the paths, and a
# missing gnuplot is a runtime failure (exit 1) named on stderr. The
# figures themselves are the plot tests' business (family 4x).
set -u
. "$TOP/tests/e2e/lib/common.sh"
require gnuplot "gnuplot is not installed"

out="$TMPDIR/figs"
mkdir -p "$out"
expect_exit 0 --plot "$A" --plot --templates templates -o "$out" \
	tests/data/basic.csv
cp "$STDOUT" "$TMPDIR/paths"
[ -s "$TMPDIR/paths" ] || fail "--plot printed no figure path"
while IFS= read -r p; do
	case "$p" in
	"$out"/*.svg) ;;
	*) fail "--plot printed '$p', not a figure path in $out" ;;
	esac
	head -c 200 "$p" 2>/dev/null | grep -q '<svg\|<?xml' ||
		fail "$p is not an SVG file"
done <"$TMPDIR/paths"
[ "$(ls "$out" | wc -l)" -eq "$(wc -l <"$TMPDIR/paths")" ] ||
	fail "files in $out differ from the paths printed: $(ls "$out")"

# --explain: findings after the paths, in the text form
"$A" --plot --explain --templates templates -o "$out" \
	tests/data/explain.csv >"$TMPDIR/paths" 2>/dev/null ||
	fail "--plot --explain: exit $?"
grep -qx 'findings:' "$TMPDIR/paths" || fail "--plot --explain: no findings"
grep -q '^  qemu-kvm is within noise of qemu-tcg' "$TMPDIR/paths" ||
	fail "--plot --explain: the kvm finding is missing"

# no gnuplot on PATH: exit 1, said on stderr, nothing written
rm -rf "$out"; mkdir -p "$out"
expect_exit 1 "no gnuplot" env PATH=/nonexistent "$A" --plot \
	--templates templates -o "$out" tests/data/basic.csv
grep -qi gnuplot "$STDERR" || fail "no gnuplot: stderr: $(cat "$STDERR")"
[ -z "$(ls -A "$out")" ] || fail "no gnuplot: left $(ls -A "$out")"

finish
