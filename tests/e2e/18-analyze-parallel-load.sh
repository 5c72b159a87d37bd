#!/usr/bin/env bash
# 2026-11-25 (performance): a regular file read in parts on several
# threads (analyze/load_parallel.c) must give exactly what the serial read
# gives: the same stdout, the same stderr (warnings and the first error,
# with its FILE:LINE) and the same exit status. ANALYZE_LOAD_THREADS=1
# forces the serial read, 2..4 that many parts whatever the file's size.
# Likewise linesplit.c's shortcut for plain lines must give what libcsv
# alone gives (ANALYZE_LOAD_SHORTCUT=0, mode "L" below): every case is
# also read that way.
#
# Cases: every file of the bad-input corpus; a generated 200,000-row file
# with quoted fields holding commas, line breaks and doubled quotes placed
# around the cuts (so some cuts fall inside a record and the part must be
# read again in order); the same with CRLF line ends and with a BOM;
# errors in the later parts, whose line numbers are computed here by the
# generator (counting the '\n' bytes before the row) and checked; a group
# whose unit changes in a later part; --lenient with bad rows in every
# part and more than the 20 listed skips; two files sharing groups,
# --factor file, and the same file given twice.
set -u
. "$TOP/tests/e2e/lib/common.sh"
require "$PY" "needs $PY to generate the input files"

# same_in_all_modes NAME ARGS...: run analyze serially, in 2, 3 and 4
# parts, and serially through libcsv alone (L) (stdin from /dev/null);
# everything must match the serial run. The serial run's outputs stay in
# $TMPDIR/NAME.{out,err,status}.
same_in_all_modes() {
	local name=$1 t shortcut
	shift
	for t in 1 2 3 4 L; do
		shortcut=1
		[ "$t" = L ] && shortcut=0
		ANALYZE_LOAD_THREADS=${t/L/1} ANALYZE_LOAD_SHORTCUT=$shortcut \
			"$A" "$@" </dev/null \
			>"$TMPDIR/$name.out.$t" 2>"$TMPDIR/$name.err.$t"
		echo $? >"$TMPDIR/$name.status.$t"
	done
	for t in 2 3 4 L; do
		cmp -s "$TMPDIR/$name.status.1" "$TMPDIR/$name.status.$t" ||
			fail "$name: exit $(cat "$TMPDIR/$name.status.$t") with" \
			     "$t parts, $(cat "$TMPDIR/$name.status.1") serially"
		cmp -s "$TMPDIR/$name.err.1" "$TMPDIR/$name.err.$t" ||
			fail "$name: stderr with $t parts differs:" \
			     "$(diff "$TMPDIR/$name.err.1" "$TMPDIR/$name.err.$t" |
				head -n 6)"
		cmp -s "$TMPDIR/$name.out.1" "$TMPDIR/$name.out.$t" ||
			fail "$name: stdout with $t parts differs"
	done
	cp "$TMPDIR/$name.out.1" "$TMPDIR/$name.out"
	cp "$TMPDIR/$name.err.1" "$TMPDIR/$name.err"
	cp "$TMPDIR/$name.status.1" "$TMPDIR/$name.status"
}

# expect NAME STATUS STDERR_LINE: the serial run (so every mode) exited
# with STATUS and printed STDERR_LINE.
expect() {
	[ "$(cat "$TMPDIR/$1.status")" = "$2" ] ||
		fail "$1: exit $(cat "$TMPDIR/$1.status"), expected $2"
	grep -qxF -- "$3" "$TMPDIR/$1.err" ||
		fail "$1: no line '$3' on stderr: $(head -n 3 "$TMPDIR/$1.err")"
}

# ---- the bad-input corpus, as tests/run reads it ---------------------------
for exp in tests/bad-input/*.expected; do
	base=${exp%.expected}
	args=()
	if [ -f "$base.args" ]; then
		while IFS= read -r line; do
			args+=("${line//@FILE@/$base.csv}")
		done <"$base.args"
	else
		args=("$base.csv")
	fi
	[ -f "$base.stdin" ] && continue	# standard input is never split
	same_in_all_modes "bad-$(basename "$base")" "${args[@]}"
done

# ---- generated files ------------------------------------------------------
# gen.py OUT ROWS SEED [edits...] prints "ROW LINE" for each edited row:
# the physical line its record starts on (header = line 1). Edits:
#   bad:ROW       value '12ms' (not a number)
#   unit:ROW      unit 'cycles' on a group whose unit is 's'
#   quote:ROW     a stray '"' in an unquoted field
#   nl            quoted notes with line breaks around every cut
#   nl:K          the same around the cuts from K twelfths of the file on
cat >"$TMPDIR/gen.py" <<'EOF'
import random, sys
out, rows, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
edits = {}
is_nl, min_k = False, 1
for e in sys.argv[4:]:
    if e.startswith("nl"):
        is_nl = True
        min_k = int(e[3:] or 1)
    else:
        kind, row = e.split(":")
        edits[int(row)] = kind
rng = random.Random(seed)
plats = ["native", "qemu-kvm", "qemu-tcg", "container", "firecracker"]
benches = ["stream", "memsweep", "forksum", "boot"]
metrics = [("triad", "MB/s"), ("seconds", "s"), ("vmm_ms", "ms")]
WIDTH = 20	# every note is this long, so offsets do not depend on it
HOT = ['"a, b\nc ""q"" d', '"\n', '",,\n\n""', '"x""\ny', '"line\none, two']
def hot_note(i):
    if not is_nl:
        return '"c, ""q""'.ljust(WIDTH - 1, "x") + '"'
    n = HOT[i % len(HOT)]
    return n.ljust(WIDTH - 1, "x") + '"'
recs = []
for i in range(rows):
    p, b = rng.choice(plats), rng.choice(benches)
    m, u = rng.choice(metrics)
    v = "%.6g" % rng.lognormvariate(3, 1)
    kind = edits.get(i)
    if kind == "bad":
        v = "12ms"
    elif kind == "unit":
        m, u = "seconds", "cycles"
    recs.append([p, b, m, v, u, str(i), "n".ljust(WIDTH, "0"), kind])
head = "platform,benchmark,metric,value,unit,run,note\n"
# The cuts for 2, 3 and 4 parts fall near 1/2, 1/3, 2/3, 1/4 and 3/4 of
# the bytes: every row starting within 8 KB of a twelfth gets a hot note.
starts, off = [], len(head)
for r in recs:
    starts.append(off)
    off += len(",".join(r[:7])) + 1
targets = [len(head) + (off - len(head)) * k // 12 for k in range(min_k, 12)]
line = 2
with open(out, "w", newline="") as f:
    f.write(head)
    for i, r in enumerate(recs):
        if any(abs(starts[i] - t) < 8000 for t in targets):
            r[6] = hot_note(i)
        if r[7] == "quote":
            r[6] = 'ab"c'
        if r[7]:
            print(i, line)
        row = ",".join(r[:7]) + "\n"
        f.write(row)
        line += row.count("\n")
EOF
gen() { "$PY" "$TMPDIR/gen.py" "$@"; }
N=200000

# Quoted fields with commas and doubled quotes around the cuts.
gen "$TMPDIR/quoted.csv" $N 1 >/dev/null || fail "gen quoted"
same_in_all_modes quoted --format csv "$TMPDIR/quoted.csv"
[ "$(cat "$TMPDIR/quoted.status")" = 0 ] && [ ! -s "$TMPDIR/quoted.err" ] ||
	fail "quoted: exit $(cat "$TMPDIR/quoted.status"): $(cat "$TMPDIR/quoted.err")"
[ "$(wc -l <"$TMPDIR/quoted.out")" -gt 50 ] || fail "quoted: few groups"

# Line breaks inside quoted fields around the cuts: some cuts fall inside
# a record; the counts of lines must still be right (the error at the end
# of the file names its physical line).
gen "$TMPDIR/nl.csv" $N 2 nl "bad:$((N - 1))" >"$TMPDIR/nl.rows" ||
	fail "gen nl"
same_in_all_modes nl --format csv "$TMPDIR/nl.csv"
read -r _ line <"$TMPDIR/nl.rows"
expect nl 2 "$TMPDIR/nl.csv:$line: value '12ms' is not a number (put units in the 'unit' column)"
same_in_all_modes nl-json --format json --lenient "$TMPDIR/nl.csv"
# Line breaks only around the cut at 3/4: in 4 parts, the first later
# part is merged, the next ends inside a record and is read again.
gen "$TMPDIR/nl9.csv" $N 8 nl:9 "bad:$((N - 2))" >"$TMPDIR/nl9.rows" ||
	fail "gen nl9"
same_in_all_modes nl9 --format json "$TMPDIR/nl9.csv"
read -r _ line <"$TMPDIR/nl9.rows"
expect nl9 2 "$TMPDIR/nl9.csv:$line: value '12ms' is not a number (put units in the 'unit' column)"
same_in_all_modes nl9-lenient --format json --lenient "$TMPDIR/nl9.csv"

# CRLF line ends (also inside the quoted fields), then a BOM.
sed 's/$/\r/' "$TMPDIR/nl.csv" >"$TMPDIR/crlf.csv"
same_in_all_modes crlf --format csv --lenient "$TMPDIR/crlf.csv"
printf '\357\273\277' | cat - "$TMPDIR/quoted.csv" >"$TMPDIR/bom.csv"
same_in_all_modes bom --format csv "$TMPDIR/bom.csv"
cmp -s "$TMPDIR/bom.out" "$TMPDIR/quoted.out" ||
	fail "bom: a BOM changed the results"

# Errors in the later parts: the first one is reported, at its line.
gen "$TMPDIR/late.csv" $N 3 nl "bad:$((N * 7 / 10))" "bad:$((N * 9 / 10))" \
	>"$TMPDIR/late.rows" || fail "gen late"
same_in_all_modes late --format csv "$TMPDIR/late.csv"
read -r _ line <"$TMPDIR/late.rows"
expect late 2 "$TMPDIR/late.csv:$line: value '12ms' is not a number (put units in the 'unit' column)"

gen "$TMPDIR/quote.csv" $N 4 "quote:$((N * 8 / 10))" >"$TMPDIR/quote.rows" ||
	fail "gen quote"
same_in_all_modes quote --format csv --lenient "$TMPDIR/quote.csv"
read -r _ line <"$TMPDIR/quote.rows"
expect quote 2 "$TMPDIR/quote.csv:$line: stray '\"' in unquoted column 'note' (quote the whole field and write '\"' as '\"\"')"

# A group whose rows change unit in a later part: the part's first row
# of the group must be checked against the unit seen in the first part.
gen "$TMPDIR/unit.csv" $N 5 "unit:$((N * 6 / 10))" "unit:$((N * 95 / 100))" \
	>"$TMPDIR/unit.rows" || fail "gen unit"
same_in_all_modes unit --format csv "$TMPDIR/unit.csv"
[ "$(cat "$TMPDIR/unit.status")" = 2 ] || fail "unit: not exit 2"
read -r _ line <"$TMPDIR/unit.rows"
grep -q "^$TMPDIR/unit.csv:$line: unit 'cycles' does not convert to 's'" \
	"$TMPDIR/unit.err" || fail "unit: wrong first error: $(cat "$TMPDIR/unit.err")"
same_in_all_modes unit-lenient --format csv --lenient "$TMPDIR/unit.csv"
while read -r _ line; do
	grep -q "^$TMPDIR/unit.csv:$line: warning: skipped row: unit 'cycles' does not convert to 's'" \
		"$TMPDIR/unit-lenient.err" || fail "unit-lenient: no skip at $line"
done <"$TMPDIR/unit.rows"

# --lenient with bad rows in every part, more than the 20 listed.
edits=()
for k in $(seq 1 30); do edits+=("bad:$((N * k / 31))"); done
gen "$TMPDIR/lenient.csv" $N 6 nl "${edits[@]}" >"$TMPDIR/lenient.rows" ||
	fail "gen lenient"
same_in_all_modes lenient --format csv --lenient "$TMPDIR/lenient.csv"
expect lenient 0 "$TMPDIR/lenient.csv: warning: skipped 10 more bad rows, not listed"
line=$(sed -n 20p "$TMPDIR/lenient.rows" | cut -d' ' -f2)
expect lenient 0 "$TMPDIR/lenient.csv:$line: warning: skipped row: value '12ms' is not a number (put units in the 'unit' column)"

# Several files: groups shared between them, --factor file, a file twice.
gen "$TMPDIR/second.csv" $((N / 2)) 7 >/dev/null || fail "gen second"
same_in_all_modes two --format csv "$TMPDIR/quoted.csv" "$TMPDIR/second.csv"
grep -q "group.* also in '$TMPDIR/quoted.csv'" "$TMPDIR/two.err" ||
	fail "two: no note on shared groups"
same_in_all_modes factor --format json --factor file \
	"$TMPDIR/quoted.csv" "$TMPDIR/second.csv"
same_in_all_modes twice --format csv "$TMPDIR/quoted.csv" "$TMPDIR/quoted.csv"
expect twice 0 "$TMPDIR/quoted.csv: warning: file given twice; its rows are counted once"

finish
