#!/usr/bin/env bash
# 2026-12-07: every output format is near-linear in the number of
# groups. The text, md and tex tables once decided for every row which key
# columns to show by comparing every group with the first (format.c
# grid_row -> is_shown): 10,000 groups took 1.8 s, 80,000 took 375 s.
#
# Not a timed test: the work is counted. Each format runs under valgrind's
# callgrind on N and 4N groups, and the instructions executed must grow
# by at most 6x (linear is 4x, n log n a little more; the quadratic table
# grew 9x on these sizes). Instruction counts do not depend on the load of
# the machine. Two shapes: one row per group, the generator of make bench
# (row i = p{i%2},b{i//2},m,{i%7+1}: every group single, every platform
# pair a comparison without a test), and three rows per group (CIs,
# Welch tests, --explain findings).
set -u
. "$TOP/tests/e2e/lib/common.sh"
[ "${SANITIZED:-0}" = 1 ] &&
	{ echo "valgrind cannot run the ASan build"; exit 77; }
require valgrind "needs valgrind to count instructions"

N=300
# gen FILE GROUPS ROWS_PER_GROUP
gen() {
	awk -v n="$2" -v r="$3" 'BEGIN {
		print "platform,benchmark,metric,value,run"
		for (i = 0; i < n; i++)
			for (j = 0; j < r; j++)
				printf "p%d,b%d,m,%d,%d\n", i % 2, int(i / 2),
				       (i + 3 * j) % 7 + 1, j
	}' >"$1"
}

# instructions FILE ARGS...: what analyze ARGS FILE executed.
instructions() {
	local file=$1 n
	shift
	valgrind --tool=callgrind --callgrind-out-file=/dev/null \
		"$A" "$@" "$file" </dev/null >"$TMPDIR/out" 2>"$TMPDIR/cg" ||
		{ echo "-1"; return; }
	n=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$TMPDIR/cg")
	echo "${n:--1}"
}

for rows in 1 3; do
	gen "$TMPDIR/small.csv" "$N" "$rows"
	gen "$TMPDIR/large.csv" $((4 * N)) "$rows"
	for args in "--format text" "--format md" "--format tex" \
		"--format csv" "--format csv --comparisons" "--format json" \
		"--explain" "--explain --format json"; do
		# shellcheck disable=SC2086  # args are words
		small=$(instructions "$TMPDIR/small.csv" $args)
		# shellcheck disable=SC2086
		large=$(instructions "$TMPDIR/large.csv" $args)
		if [ "$small" -le 0 ] || [ "$large" -le 0 ]; then
			fail "$args ($rows rows a group): analyze failed" \
			     "under valgrind: $(head -n 3 "$TMPDIR/cg")"
			continue
		fi
		ratio=$(awk -v a="$large" -v b="$small" \
			'BEGIN { printf "%.2f", a / b }')
		echo "$args, $rows row(s) a group: $small -> $large" \
		     "instructions for 4x the groups (${ratio}x)"
		awk -v r="$ratio" 'BEGIN { exit !(r <= 6) }' ||
			fail "$args: 4x the groups cost ${ratio}x the" \
			     "instructions (more than 6x: not linear)"
	done
done
finish
