#!/usr/bin/env bash
# 2026-12-02: resume after a full disk lost and
# corrupted rows. With the output on a 96 KB tmpfs (6 repetitions of
# stream --size 64K --ntimes 100, native) the CSV kept 256 of the 396 rows
# of r2 and ended in a cut line; after growing the filesystem, --resume
# counted "3 units done", glued r3 onto the cut line, lost 140 rows and
# wrote a 21-field line that analyze rejects.
#
# Now a unit's rows reach the output whole or not at all (a write that
# fails is cut off again and the unit counts as not run), campaign stops
# at the full disk (exit 1, saying to --resume), and --resume checks the
# file against the meta's record of each finished unit: a torn last line
# is cut, and a unit whose rows are incomplete or were never recorded as
# finished loses its rows and runs again.
#
# The tmpfs lives in a private mount namespace: this script runs itself
# there, and the mount is gone with it.
set -u
if [ "$(id -u)" != 0 ]; then
	echo "needs root: mounts a tmpfs"
	exit 77
fi
if [ -z "${I16_IN_NS:-}" ]; then
	command -v unshare >/dev/null || { echo "unshare is missing"; exit 1; }
	I16_IN_NS=1 exec unshare --mount --propagation private bash "$0" "$@"
fi
. "$TOP/tests/e2e/lib/common.sh"
C="$BIN/campaign"
mnt="$TMPDIR/mnt"
mkdir -p "$mnt"
mount -t tmpfs -o size=96k tmpfs "$mnt" || die "cannot mount a tmpfs"
write_campaign "$TMPDIR/c.json" fulldisk 6 120 '"native"' \
	'{ "name": "stream", "args": ["--size", "64K", "--ntimes", "100"] }'
out="$mnt/c.csv"

# units FILE: "COUNT KEY" per job key, in file order of first row
units() { tail -n +2 "$1" | awk -F, '{ n[$12]++; if (!($12 in o)) o[$12] = NR }
	END { for (k in n) print o[k], n[k], k }' | sort -n | cut -d' ' -f2-; }
whole_file() {	# FILE: 12 fields a line, a final newline, analyze reads it
	awk -F, 'NF != 12 { exit 1 }' "$1" || fail "$1: a line without 12 fields"
	[ "$(tail -c 1 "$1" | od -An -tx1 | tr -d ' ')" = 0a ] ||
		fail "$1: does not end with a newline"
	"$A" --format csv "$1" >/dev/null 2>&1 || fail "$1: analyze rejects it"
}

"$C" run "$TMPDIR/c.json" -o "$out" 2>"$TMPDIR/err1"
status=$?
[ $status = 1 ] || fail "full disk: exit $status, expected 1: $(tail -n 3 "$TMPDIR/err1")"
grep -q "No space left on device" "$TMPDIR/err1" ||
	fail "full disk: not said: $(tail -n 3 "$TMPDIR/err1")"
grep -q "continue with --resume" "$TMPDIR/err1" ||
	fail "full disk: no resume hint: $(tail -n 3 "$TMPDIR/err1")"
whole_file "$out"
first=$(units "$out")
per_unit=$(head -n 1 <<<"$first" | cut -d' ' -f1)
[ -n "$per_unit" ] && [ "$per_unit" -gt 100 ] || die "no whole unit: $first"
[ -z "$(awk -v n="$per_unit" '$1 != n' <<<"$first")" ] ||
	fail "full disk: a unit with some of its rows: $first"
# done: whole in the CSV and recorded as finished (the meta, written
# after the rows, may have found the disk full first: that unit runs
# again, and campaign stopped there)
n_done=$("$PY" - "$out" "${out%.csv}.meta.json" <<'PY'
import csv, json, sys
rows = {}
for r in list(csv.reader(open(sys.argv[1])))[1:]:
    rows[r[11]] = rows.get(r[11], 0) + 1
runs = json.load(open(sys.argv[2]))["runs"]
print(sum(1 for r in runs if r["status"] == "ok" and rows.get(r["job"]) == r["rows"]))
PY
)
[ "$n_done" -ge 1 ] && [ "$n_done" -lt 6 ] || die "$n_done units fit in 96 KB?"

# more room, then --resume runs exactly what is missing
mount -o remount,size=4m "$mnt" || die "cannot grow the tmpfs"
"$C" run --resume "$TMPDIR/c.json" -o "$out" 2>"$TMPDIR/err2" ||
	fail "resume exited $?: $(tail -n 3 "$TMPDIR/err2")"
grep -q "resuming: $n_done units done, $((6 - n_done)) to run" "$TMPDIR/err2" ||
	fail "resume message: $(tail -n 3 "$TMPDIR/err2")"
whole_file "$out"
all=$(units "$out")
[ "$(wc -l <<<"$all")" = 6 ] && [ -z "$(awk -v n="$per_unit" '$1 != n' <<<"$all")" ] ||
	fail "after resume, not 6 whole units: $all"

# a crash mid-unit: the last unit cut in the middle of a line, so its
# rows are incomplete and the file ends in a torn line
cp "$out" "$TMPDIR/good.csv"
last=$(tail -n 1 <<<"$all" | cut -d' ' -f2)
"$PY" - "$out" "$last" <<'PY' || die "cannot cut the file"
import os, sys
data = open(sys.argv[1], "rb").read()
first = min(i for i, line in enumerate(data.split(b"\n"))
            if line.endswith(b"," + sys.argv[2].encode()))
start = sum(len(l) + 1 for l in data.split(b"\n")[:first])
cut = start + (len(data) - start) // 2
while data[cut - 1:cut] == b"\n":	# inside a line, never at its end
    cut -= 1
os.truncate(sys.argv[1], cut)
PY
"$C" run --resume "$TMPDIR/c.json" -o "$out" 2>"$TMPDIR/err3" ||
	fail "resume after a torn line exited $?: $(tail -n 3 "$TMPDIR/err3")"
grep -q "resuming: 5 units done, 1 to run" "$TMPDIR/err3" ||
	fail "torn line: resume message: $(tail -n 3 "$TMPDIR/err3")"
grep -q "$out: cut a torn last line" "$TMPDIR/err3" ||
	fail "torn line: not said: $(tail -n 3 "$TMPDIR/err3")"
whole_file "$out"
all=$(units "$out")
[ "$(wc -l <<<"$all")" = 6 ] && [ -z "$(awk -v n="$per_unit" '$1 != n' <<<"$all")" ] ||
	fail "after a torn line, not 6 whole units: $all"
[ "$(tail -n 1 <<<"$all" | cut -d' ' -f2)" = "$last" ] ||
	fail "the torn unit did not run again last: $all"

# rows of a unit the meta never recorded as finished (a crash between the
# rows and the record): they go, and the unit runs again
meta="$mnt/c.meta.json"
"$PY" - "$meta" "$last" <<'PY' || die "cannot edit the meta"
import json, sys
m = json.load(open(sys.argv[1]))
m["runs"] = [r for r in m["runs"] if r["job"] != sys.argv[2]]
json.dump(m, open(sys.argv[1], "w"))
PY
"$C" run --resume "$TMPDIR/c.json" -o "$out" 2>"$TMPDIR/err4" ||
	fail "resume of an unrecorded unit exited $?: $(tail -n 3 "$TMPDIR/err4")"
grep -q "resuming: 5 units done, 1 to run" "$TMPDIR/err4" ||
	fail "unrecorded unit: resume message: $(tail -n 3 "$TMPDIR/err4")"
whole_file "$out"
all=$(units "$out")
[ "$(wc -l <<<"$all")" = 6 ] && [ -z "$(awk -v n="$per_unit" '$1 != n' <<<"$all")" ] ||
	fail "after an unrecorded unit, not 6 whole units: $all"
"$PY" - "$meta" <<'PY' || fail "meta: $(cat "$meta")"
import json, sys
runs = json.load(open(sys.argv[1]))["runs"]
ok = [r["job"] for r in runs if r["status"] == "ok"]
assert len(set(ok)) == 6, ok
PY
umount "$mnt"
finish
