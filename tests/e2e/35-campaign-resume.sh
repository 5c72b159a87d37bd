#!/usr/bin/env bash
# 2026-11-25: --resume. A campaign interrupted with SIGINT in the
# middle exits 130 and leaves a valid CSV of whole units (each job key
# with all its rows); --resume runs only what is missing; the result has
# the same keys as an uninterrupted run of the same campaign and no
# duplicates, and the meta lists every unit once as ok.
set -u
. "$TOP/tests/e2e/lib/common.sh"
C="$BIN/campaign"
plats=$(local_platforms)
write_campaign "$TMPDIR/c.json" resume 3 60 "$plats" \
	'{ "name": "syscall", "args": ["--warmup", "0"] }'
units=$(( 3 * $(grep -o '"[a-z]*"' <<<"$plats" | wc -l) ))

"$C" run "$TMPDIR/c.json" -o "$TMPDIR/full.csv" 2>"$TMPDIR/err" ||
	fail "uninterrupted run exited $?: $(cat "$TMPDIR/err")"

part="$TMPDIR/part.csv"
# SIGINT once the first unit (header and 8 rows) is in the file.
send_sigint "$part" 8 "$C" run "$TMPDIR/c.json" -o "$part"
[ $status -eq 130 ] || fail "interrupted run exited $status, not 130"
grep -q "interrupted: '$part' holds the finished units; continue with --resume" \
	"$TMPDIR/int.err" || fail "no resume hint: $(cat "$TMPDIR/int.err")"
awk -F, 'NF != 12 { exit 1 }' "$part" || fail "a partial line"
[ "$(tail -c 1 "$part" | od -An -tx1 | tr -d ' ')" = 0a ] || fail "no final newline"
"$BIN/analyze" --format csv "$part" >/dev/null || fail "analyze cannot load the partial CSV"
done_units=$(tail -n +2 "$part" | cut -d, -f12 | sort | uniq -c |
	awk '$1 != 8 { bad = 1 } END { print bad ? -1 : NR }')
[ "$done_units" -ge 1 ] && [ "$done_units" -lt "$units" ] ||
	fail "interrupted CSV holds $done_units whole units (of $units)"

"$C" run --resume "$TMPDIR/c.json" -o "$part" 2>"$TMPDIR/err2" ||
	fail "resume exited $?: $(cat "$TMPDIR/err2")"
grep -q "resuming: $done_units units done, $((units - done_units)) to run" \
	"$TMPDIR/err2" || fail "resume message: $(cat "$TMPDIR/err2")"
keys() { tail -n +2 "$1" | cut -d, -f1,2,3,6,12 | sort; }
[ -z "$(keys "$part" | uniq -d)" ] || fail "duplicate rows after resume"
[ "$(keys "$part")" = "$(keys "$TMPDIR/full.csv")" ] ||
	fail "keys differ from the uninterrupted run:
$(diff <(keys "$part") <(keys "$TMPDIR/full.csv") | head)"
[ "$(head -n 1 "$part")" = "$(head -n 1 "$TMPDIR/full.csv")" ] || fail "header"
/usr/bin/python3 - "$TMPDIR/part.meta.json" "$units" <<'PY' || fail "meta runs"
import json, sys
runs = json.load(open(sys.argv[1]))["runs"]
jobs = [r["job"] for r in runs]
assert len(jobs) == len(set(jobs)) == int(sys.argv[2]), jobs
assert all(r["status"] == "ok" for r in runs)
PY
exit $((fails > 0))
