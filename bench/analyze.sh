#!/usr/bin/env bash
# make bench: bin/analyze against DuckDB, polars, GNU datamash and pandas
# on the same generated tidy CSV files, in the same run, on this machine.
# Writes bench/results-analyze.md (atomically): times, CPU seconds, peak
# RSS, the load average, the ratios against the project's targets and
# PASS/FAIL for each.
#
#   bench/analyze.sh [--rows N] [--small N] [--big N] [--singles N]
#                    [--repeat K] [--big-repeat K] [--out FILE]
#
# Four parts, each tool run once per round, the rounds repeated (medians):
#   1. "wide" files (all ten contract columns, about 83 bytes a row) of
#      --small (500,000) and --rows (5,000,000) rows, 1,000 groups: every
#      tool, --repeat (5) rounds. Every tool computes per group n, mean,
#      sample sd and median (analyze its whole summary, --format csv).
#   2. "narrow" files (platform,benchmark,metric,value,run; about 40
#      bytes a row) of the same sizes, the same way.
#   3. a wide file of --big (50,000,000, about 4 GB) rows: analyze, DuckDB
#      and polars, --big-repeat (2) rounds: does time grow linearly, does
#      memory stay with the values kept? (--big 0 leaves it out.)
#   4. --singles (1,000,000) groups of one row each: every output format of
#      analyze, and DuckDB, --big-repeat rounds: is every format within 2x
#      of CSV's time? (--singles 0 leaves it out.)
# The outputs of every tool must agree (bench/check_agree.py) before any
# time counts. Also timed in parts 1 and 2: build/bench/csvfloor, libcsv
# splitting the file with empty callbacks.
#
# Needs: make deps-bench (datamash, pandas, perf, Node.js, DuckDB and
# polars in bench/peers/node_modules). Also written: the raw times beside OUT
# (results-analyze.times.txt) and a profile of analyze (bench/profile.py). Exit status: 0 when the benchmark ran (whatever the
# verdicts), 1 when a tool is missing, failed or disagreed, 2 on bad usage.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1
ROWS=5000000
SMALL=500000
BIG=50000000
SINGLES=1000000
REPEAT=5
BIG_REPEAT=2
OUT=bench/results-analyze.md
while [ $# -gt 0 ]; do
	case "$1" in
	--rows) ROWS=$2; shift 2 ;;
	--small) SMALL=$2; shift 2 ;;
	--big) BIG=$2; shift 2 ;;
	--singles) SINGLES=$2; shift 2 ;;
	--repeat) REPEAT=$2; shift 2 ;;
	--big-repeat) BIG_REPEAT=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	-h|--help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench/analyze.sh: unknown option '$1'" >&2
	   echo "try 'bench/analyze.sh --help'" >&2; exit 2 ;;
	esac
done

PY=/usr/bin/python3
TIME=/usr/bin/time
PEERS=$TOP/bench/peers/node_modules
die() { echo "bench/analyze.sh: $*" >&2; exit 1; }
[ -x bin/analyze ] || die "bin/analyze is missing (run 'make' first)"
[ -x "$TIME" ] || die "GNU time is missing (apt-get install time)"
command -v datamash >/dev/null || die "datamash is missing (make deps-bench)"
"$PY" -c 'import pandas' 2>/dev/null ||
	die "pandas is missing for $PY (make deps-bench)"
command -v node >/dev/null || die "node is missing (make deps-bench)"
command -v perf >/dev/null || die "perf is missing (make deps-bench)"
[ -d "$PEERS/@duckdb/node-api" ] && [ -d "$PEERS/nodejs-polars" ] ||
	die "DuckDB and polars are missing from $PEERS (make deps-bench)"
export NODE_PATH=$PEERS
make -s build/bench/gencsv build/bench/csvfloor ||
	die "cannot build build/bench/gencsv and build/bench/csvfloor"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-analyze.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
TIMES=$WORK/times.txt

# The pandas contender: read_csv with its defaults, then the same
# statistics per group. dropna=False keeps the groups whose config is
# empty (read as NaN).
cat >"$WORK/pandas_agg.py" <<'EOF'
import sys
import pandas as pd
df = pd.read_csv(sys.argv[1])
keys = sys.argv[2].split(",")
out = df.groupby(keys, dropna=False)["value"].agg(
    ["count", "mean", "std", "median"])
out.to_csv(sys.stdout)
EOF

load() { cut -d' ' -f1-3 /proc/loadavg; }

# run_tool NAME OUTFILE CMD...: one timed run, standard output to OUTFILE;
# appends "run NAME WALL_S MAXRSS_KIB USER_S SYS_S" to the times. The wall
# time is taken here to the microsecond (GNU time's %e has 10 ms steps).
run_tool() {
	local name=$1 out=$2 t0 t1
	shift 2
	t0=$EPOCHREALTIME
	if ! "$TIME" -f '%M %U %S' -o "$WORK/time.txt" "$@" >"$out" \
		2>"$WORK/stderr.txt"; then
		cat "$WORK/stderr.txt" >&2
		die "$name failed: $*"
	fi
	t1=$EPOCHREALTIME
	echo "run $name $(awk -v a="$t0" -v b="$t1" \
		'BEGIN { printf "%.4f", b - a }') $(tail -n 1 "$WORK/time.txt")" \
		>>"$TIMES"
}

# section NAME ROWS BYTES: what follows in the times belongs to NAME.
section() { echo "section $1 $2 $3 $(load)" >>"$TIMES"; }
section_end() { echo "end $1 $(load)" >>"$TIMES"; }

# memory_for KIB: is there that much memory available (MemAvailable)?
memory_for() {
	awk -v need="$1" '/^MemAvailable:/ { exit !($2 >= need) }' /proc/meminfo
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
	section "$2" "$1" "$(stat -c %s "$csv")"
	for i in $(seq "$REPEAT"); do
		echo "bench: $2 ($1 rows), round $i of $REPEAT, load $(load)" >&2
		run_tool "analyze" "$WORK/analyze.csv" \
			bin/analyze --format csv "$csv"
		run_tool "duckdb" "$WORK/stdout.txt" \
			node bench/peers/duckdb_agg.js "$csv" "$keys" \
			"$WORK/duckdb.csv"
		run_tool "polars" "$WORK/stdout.txt" \
			node bench/peers/polars_agg.js "$csv" "$keys" \
			"$WORK/polars.csv"
		run_tool "datamash" "$WORK/datamash.csv" \
			datamash -s -t, --header-in -g "$cols" \
			count 4 mean 4 sstdev 4 median 4 <"$csv"
		run_tool "pandas" "$WORK/pandas.csv" \
			"$PY" "$WORK/pandas_agg.py" "$csv" "$keys"
		run_tool "floor" "$WORK/floor.txt" build/bench/csvfloor "$csv"
		# Every tool must agree before its times mean anything.
		"$PY" bench/check_agree.py "$keys" analyze="$WORK/analyze.csv" \
			datamash="$WORK/datamash.csv" pandas="$WORK/pandas.csv" \
			duckdb="$WORK/duckdb.csv" polars="$WORK/polars.csv" ||
			die "the tools disagree on the $2 file"
	done
	section_end "$2"
	# Where analyze's time goes, on the large wide file.
	if [ "$2" = wide-large ]; then
		echo "bench: profiling analyze on the $2 file" >&2
		"$PY" bench/profile.py bin/analyze "$csv" >"$WORK/profile.md" ||
			die "cannot profile analyze (perf record failed)"
	fi
	rm -f "$csv"
}

# The 50 M row file: analyze, DuckDB and polars. A peer whose memory at
# 5 M rows, scaled to the rows, is more than the machine has available
# is not started (other jobs share the machine): the report says so.
bench_big() {
	local csv="$WORK/rows-big.csv" keys=platform,benchmark,metric,config
	local i tool need peers
	build/bench/gencsv --rows "$BIG" --groups 1000 --seed 1 -o "$csv" ||
		die "gencsv failed (the $BIG-row file needs about $((BIG * 83 / 1000000)) MB)"
	section wide-big "$BIG" "$(stat -c %s "$csv")"
	peers=""
	for tool in duckdb polars; do
		need=$(awk -v t="run $tool" -v s="$BIG" -v r="$ROWS" '
			/^section / { in_large = ($2 == "wide-large") }
			in_large && index($0, t " ") == 1 && $4 > m { m = $4 }
			END { printf "%.0f", m * s / r * 1.2 }' "$TIMES")
		if memory_for "$need"; then
			peers="$peers $tool"
		else
			echo "skip $tool needs about $((need / 1024)) MB (its" \
			     "peak at $ROWS rows times $((BIG / ROWS)), plus 20%);" \
			     "$(awk '/^MemAvailable:/ { printf "%d", $2 / 1024 }' \
			     /proc/meminfo) MB were available" >>"$TIMES"
			echo "bench: not running $tool on the big file:" \
			     "not enough memory available" >&2
		fi
	done
	for i in $(seq "$BIG_REPEAT"); do
		echo "bench: wide-big ($BIG rows), round $i of $BIG_REPEAT," \
		     "load $(load)" >&2
		run_tool "analyze" "$WORK/analyze.csv" \
			bin/analyze --format csv "$csv"
		for tool in $peers; do
			run_tool "$tool" "$WORK/stdout.txt" \
				node "bench/peers/${tool}_agg.js" "$csv" "$keys" \
				"$WORK/$tool.csv"
		done
		# shellcheck disable=SC2046  # one argument per peer
		"$PY" bench/check_agree.py "$keys" analyze="$WORK/analyze.csv" \
			$(for tool in $peers; do
				echo "$tool=$WORK/$tool.csv"; done) ||
			die "the tools disagree on the big file"
	done
	section_end wide-big
	rm -f "$csv"
}

# A million groups of one row: each output format of analyze, and DuckDB.
bench_singles() {
	local csv="$WORK/singles.csv" keys=platform,benchmark,metric i fmt
	build/bench/gencsv --singles --rows "$SINGLES" -o "$csv" ||
		die "gencsv failed"
	section singles "$SINGLES" "$(stat -c %s "$csv")"
	for i in $(seq "$BIG_REPEAT"); do
		echo "bench: singles ($SINGLES groups), round $i of" \
		     "$BIG_REPEAT, load $(load)" >&2
		for fmt in csv text md tex json; do
			run_tool "analyze-$fmt" "$WORK/analyze.$fmt" \
				bin/analyze --format "$fmt" "$csv"
		done
		run_tool "duckdb" "$WORK/stdout.txt" \
			node bench/peers/duckdb_agg.js "$csv" "$keys" \
			"$WORK/duckdb.csv"
		"$PY" bench/check_agree.py "$keys" analyze="$WORK/analyze.csv" \
			duckdb="$WORK/duckdb.csv" ||
			die "analyze and DuckDB disagree on the singles file"
	done
	section_end singles
	rm -f "$csv"
}

{
	echo "start $(date -u '+%Y-%m-%d %H:%M') $(load)"
	echo "versions node $(node --version)"
	echo "versions duckdb $(node -p 'require("@duckdb/node-api/package.json").version')"
	echo "versions polars $(node -p 'require("nodejs-polars/package.json").version')"
} >"$TIMES" || die "cannot write $TIMES"
bench_size "$SMALL" wide-small wide
bench_size "$ROWS" wide-large wide
bench_size "$SMALL" narrow-small narrow
bench_size "$ROWS" narrow-large narrow
[ "$BIG" -gt 0 ] && bench_big
[ "$SINGLES" -gt 0 ] && bench_singles
echo "stop $(date -u '+%Y-%m-%d %H:%M') $(load)" >>"$TIMES"

"$PY" bench/report.py "$TIMES" "$REPEAT" "$BIG_REPEAT" "$WORK/profile.md" \
	>"$WORK/results.md" || die "cannot write the report"
mkdir -p "$(dirname "$OUT")"
cp "$WORK/results.md" "$OUT.tmp.$$" && mv "$OUT.tmp.$$" "$OUT" ||
	die "cannot write $OUT"
cp "$TIMES" "$OUT.times.txt.tmp.$$" &&
	mv "$OUT.times.txt.tmp.$$" "${OUT%.md}.times.txt" ||
	die "cannot keep the raw times"
cat "$OUT"
