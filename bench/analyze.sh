#!/usr/bin/env bash
# make bench: bin/analyze against GNU datamash and pandas on the same
# generated tidy CSV, in the same run, on this machine. Writes
# bench/results-analyze.md (atomically) with times, peak RSS, the ratios
# against the project's targets and PASS/FAIL for each.
#
#   bench/analyze.sh [--rows N] [--small N] [--repeat K] [--out FILE]
#
# Defaults: 5,000,000 rows (and 500,000 to show how time grows), 1,000
# groups, 5 runs of each tool per size (medians), for two shapes of file: "wide",
# all ten contract columns (about 83 bytes a row), and "narrow", only
# platform,benchmark,metric,value,run (about 40 bytes a row, near issue
# 3's own example of 2 million rows in 58 MB). Each tool computes per group the
# mean, sample sd and median; analyze also its CI, quartiles, outliers
# and comparisons (its normal work), written as --format csv. Also timed:
# build/bench/csvfloor, libcsv splitting the file with empty callbacks:
# what running every byte through libcsv would cost, for comparison.
# Exit status: 0 when the benchmark ran (whatever the verdicts), 1 when a
# tool is missing or failed, 2 on bad usage.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1
ROWS=5000000
SMALL=500000
REPEAT=5
OUT=bench/results-analyze.md
while [ $# -gt 0 ]; do
	case "$1" in
	--rows) ROWS=$2; shift 2 ;;
	--small) SMALL=$2; shift 2 ;;
	--repeat) REPEAT=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	-h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench/analyze.sh: unknown option '$1'" >&2
	   echo "try 'bench/analyze.sh --help'" >&2; exit 2 ;;
	esac
done

PY=/usr/bin/python3
TIME=/usr/bin/time
die() { echo "bench/analyze.sh: $*" >&2; exit 1; }
[ -x bin/analyze ] || die "bin/analyze is missing (run 'make' first)"
[ -x "$TIME" ] || die "GNU time is missing (apt-get install time)"
command -v datamash >/dev/null || die "datamash is missing"
"$PY" -c 'import pandas' 2>/dev/null || die "pandas is missing for $PY"
make -s build/bench/gencsv build/bench/csvfloor ||
	die "cannot build build/bench/gencsv and build/bench/csvfloor"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-analyze.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT

# The pandas contender: read_csv with its defaults, then the same three
# statistics per group. dropna=False keeps the groups whose config is
# empty (read as NaN).
cat >"$WORK/pandas_agg.py" <<'EOF'
import sys
import pandas as pd
df = pd.read_csv(sys.argv[1])
keys = sys.argv[2].split(",")
out = df.groupby(keys, dropna=False)["value"].agg(["mean", "std", "median"])
out.to_csv(sys.stdout)
EOF

# run_tool NAME OUTFILE CMD... : one timed run; appends "NAME secs KiB".
run_tool() {
	local name=$1 out=$2; shift 2
	if ! "$TIME" -f '%e %M' -o "$WORK/time.txt" "$@" >"$out" \
		2>"$WORK/stderr.txt"; then
		cat "$WORK/stderr.txt" >&2
		die "$name failed: $*"
	fi
	echo "$name $(tail -n 1 "$WORK/time.txt")" >>"$WORK/times.txt"
}

bench_size() {	# $1 = rows, $2 = label, $3 = shape (wide or narrow)
	local csv="$WORK/rows-$2.csv" i keys cols narrow=""
	if [ "$3" = narrow ]; then
		narrow=--narrow keys=platform,benchmark,metric cols=1,2,3
	else
		keys=platform,benchmark,metric,config cols=1,2,3,8
	fi
	build/bench/gencsv --rows "$1" --groups 1000 --seed 1 $narrow \
		-o "$csv" || die "gencsv failed"
	echo "size $2 $1 $(stat -c %s "$csv")" >>"$WORK/times.txt"
	for i in $(seq "$REPEAT"); do
		echo "bench: $2 ($1 rows), run $i of $REPEAT" >&2
		run_tool "analyze-$2" "$WORK/analyze-$2.csv" \
			bin/analyze --format csv "$csv"
		run_tool "datamash-$2" "$WORK/datamash-$2.csv" \
			datamash -s -t, --header-in -g "$cols" \
			mean 4 sstdev 4 median 4 <"$csv"
		run_tool "pandas-$2" "$WORK/pandas-$2.csv" \
			"$PY" "$WORK/pandas_agg.py" "$csv" "$keys"
		run_tool "floor-$2" "$WORK/floor-$2.txt" \
			build/bench/csvfloor "$csv"
	done
	# The three must agree before their times mean anything.
	"$PY" "$TOP/bench/check_agree.py" "$keys" "$WORK/analyze-$2.csv" \
		"$WORK/datamash-$2.csv" "$WORK/pandas-$2.csv" ||
		die "the tools disagree on the $2 file"
	rm -f "$csv"
}

echo "load $(cut -d' ' -f1-3 /proc/loadavg)" >"$WORK/times.txt"
bench_size "$SMALL" wide-small wide
bench_size "$ROWS" wide-large wide
bench_size "$SMALL" narrow-small narrow
bench_size "$ROWS" narrow-large narrow

"$PY" "$TOP/bench/report.py" "$WORK/times.txt" "$ROWS" "$SMALL" \
	"$REPEAT" >"$WORK/results.md" || die "cannot write the report"
mkdir -p "$(dirname "$OUT")"
cp "$WORK/results.md" "$OUT.tmp.$$" && mv "$OUT.tmp.$$" "$OUT" ||
	die "cannot write $OUT"
cat "$OUT"
