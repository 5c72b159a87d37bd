#!/usr/bin/env bash
# 2026-12-07: mistakes in a campaign are found before anything
# runs. Each tests/campaign-bad/NNN-slug.json is run with
# `campaign run FILE -o OUT` (plus the words of NNN-slug.args, one per
# line, @DIR@ standing for tests/campaign-bad); NNN-slug.expected holds
# "exit N" on its first line and the exact standard error after it (@DIR@
# again). Every case must exit as expected, print nothing on standard
# output, and write nothing: no OUT, no OUT's meta, no work directory,
# and an OUT that existed is left as it was.
set -u
. "$TOP/tests/e2e/lib/common.sh"
C="$BIN/campaign"
dir=tests/campaign-bad
n=0
for json in "$dir"/*.json; do
	base=${json%.json}
	name=$(basename "$base")
	exp="$base.expected"
	[ -f "$exp" ] || { fail "$name: no $exp"; continue; }
	args=()
	if [ -f "$base.args" ]; then
		while IFS= read -r line; do
			args+=("${line//@DIR@/$dir}")
		done <"$base.args"
	fi
	want_status=$(head -n 1 "$exp" | sed -n 's/^exit \([0-9]*\)$/\1/p')
	want_err=$(tail -n +2 "$exp" | sed "s#@DIR@#$dir#g")
	out="$TMPDIR/out.csv"
	rm -rf "$TMPDIR"/out.* "$TMPDIR"/campaign.*
	"$C" run "$json" -o "$out" "${args[@]}" </dev/null \
		>"$STDOUT" 2>"$STDERR"
	status=$?
	n=$((n + 1))
	if [ "$status" != "$want_status" ]; then
		fail "$name: exit $status, expected $want_status; stderr:
$(cat "$STDERR")"
		continue
	fi
	[ "$(cat "$STDERR")" = "$want_err" ] || fail "$name: stderr differs:
$(diff <(printf '%s\n' "$want_err") "$STDERR")"
	[ -s "$STDOUT" ] && fail "$name: wrote to standard output"
	leftovers=$(ls "$TMPDIR" | grep -E '^(out\.|campaign\.)' || true)
	[ -z "$leftovers" ] || fail "$name: left $leftovers"
	# An existing output is left alone.
	printf 'good\n' >"$out"
	"$C" run "$json" -o "$out" --force "${args[@]}" </dev/null \
		>/dev/null 2>&1
	[ "$(cat "$out")" = good ] || fail "$name: --force replaced the output"
done
[ "$n" -ge 30 ] || fail "only $n cases in $dir"

# Accepted: a UTF-8 byte order mark (RFC 8259 lets a parser ignore it),
# and an argument with a line break is quoted as \n in bench's answer.
printf '\357\273\277{ "platforms": ["native"],\n  "benchmarks": [{ "name": "syscall" }] }\n' \
	>"$TMPDIR/bom.json"
expect_exit 0 "byte order mark" "$C" run "$TMPDIR/bom.json" -o "$TMPDIR/bom.csv" \
	--dry-run --no-calibrate
printf '{ "platforms": ["native"],\n  "benchmarks": [{ "name": "syscall", "args": ["--ops\\n5"] }] }\n' \
	>"$TMPDIR/nl.json"
expect_exit 2 "line break in an argument" "$C" run "$TMPDIR/nl.json" -o "$TMPDIR/nl.csv"
[ "$(cat "$STDERR")" = "$TMPDIR/nl.json:2: bench syscall: unknown option '--ops\\n5' (did you mean '--ops'?) (try 'bench syscall --help')" ] ||
	fail "line break: $(cat "$STDERR")"
finish
