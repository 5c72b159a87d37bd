#!/usr/bin/env bash
# make bench-runners: every bench runner beside the reference tool it
# replaces, on this machine, in the same run, and bench/results-runners.md
# with both means, their 95% CIs and the ratio bench/reference with its CI,
# all computed by bin/analyze, and PASS/FAIL against these targets:
#
#   bench stream    vs McCalpin's STREAM (STREAM_SRC)   within 5%, per kernel
#   bench linpack   vs netlib's linpackc (LINPACK_SRC)  within 5%
#   bench diskwrite vs fio --rw=write --bs=1M --end_fsync=1   within 10%
#   bench time      vs hyperfine -N                     within 3%
#   bench http      vs wrk, against nginx on 127.0.0.1  at least 95%
#
# Each tool runs REPS times (default 5), interleaved with its counterpart
# and alternating which goes first, so drift hits both alike. Where one
# run is short enough to be hit as a whole by a burst of other work on the
# shared CPUs and memory (STREAM, LINPACK, diskwrite, time), a repetition
# is the median of several runs per tool, the two tools alternating run by
# run: the same rule for both tools, and the spread across repetitions
# still sets the CIs. A comparison whose tool or source is missing is
# listed as skipped, with the reason.
#
# STREAM and linpackc are third-party sources that this repository never
# holds or downloads: give their paths, e.g.
#   make bench-runners STREAM_SRC=~/src/stream.c LINPACK_SRC=~/src/linpackc.c
# and optionally say where they came from (printed in the results):
#   STREAM_ORIGIN='...' LINPACK_ORIGIN='...'
# Both are compiled with the flags bench is built with (-O2); linpackc as
# its header asks, -DDP (double) and -DUNROLL (bench linpack's default BLAS).
#
# Before each repetition the script waits, up to QUIET_WAIT seconds
# (default 30; 0 never waits), until the CPUs were at most QUIET_BUSY
# per cent busy (default 30) over one second: the machine is shared, and a
# repetition measured while other work holds a CPU compares noise. Each
# section says how busy the CPUs were and how long it waited.
#
# Other settings: REPS, OUT (default bench/results-runners.md), DISK_DIR
# (diskwrite/fio directory, default /var/tmp), STREAM_N (elements per array,
# default 20000000), HASH_MIB (file hashed by sha256sum, default 256),
# the runs per tool whose median is one repetition, the tools alternating
# run by run: STREAM_RUNS (default 7), LINPACK_RUNS (default 7),
# DISK_RUNS (default 5) and TIME_RUNS (default 7),
# HTTP_SECONDS and HTTP_SLICES (runs of that length averaged per http/wrk
# repetition, the tools alternating; default 1 and 5), HTTP_CONNS and
# HTTP_THREADS (default 10 and 2). ONLY, a comma-separated list of stream,
# linpack, fio, hyperfine and wrk, runs just those comparisons (the others
# are listed as not selected): for checking one runner, not for the
# committed results.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$TOP/bin}
OUT=${OUT:-$TOP/bench/results-runners.md}
REPS=${REPS:-5}
CC=${CC:-gcc}
CFLAGS_REF="-O2"
DISK_DIR=${DISK_DIR:-/var/tmp}
STREAM_N=${STREAM_N:-20000000}
HASH_MIB=${HASH_MIB:-256}
STREAM_RUNS=${STREAM_RUNS:-7}
LINPACK_RUNS=${LINPACK_RUNS:-7}
DISK_RUNS=${DISK_RUNS:-5}
TIME_RUNS=${TIME_RUNS:-7}
QUIET_WAIT=${QUIET_WAIT:-30}
QUIET_BUSY=${QUIET_BUSY:-30}
HTTP_SECONDS=${HTTP_SECONDS:-1}
HTTP_SLICES=${HTTP_SLICES:-5}
HTTP_CONNS=${HTTP_CONNS:-10}
HTTP_THREADS=${HTTP_THREADS:-2}
ONLY=${ONLY:-}
B="$BIN/bench"
A="$BIN/analyze"

die() { echo "bench/runners.sh: $*" >&2; exit 1; }
note() { echo "bench/runners.sh: $*" >&2; }
[ -x "$B" ] && [ -x "$A" ] || die "build first: make (needs $B and $A)"
case $REPS in ''|*[!0-9]*|0|1) die "REPS must be a number of at least 2" ;; esac
case $QUIET_WAIT$QUIET_BUSY in *[!0-9]*) die "QUIET_WAIT and QUIET_BUSY must be whole numbers" ;; esac
for v in STREAM_RUNS LINPACK_RUNS DISK_RUNS TIME_RUNS HTTP_SLICES; do
	case ${!v} in ''|*[!0-9]*|0) die "$v must be a number of at least 1" ;; esac
done
for c in ${ONLY//,/ }; do
	case $c in stream|linpack|fio|hyperfine|wrk) ;;
	*) die "ONLY: unknown comparison '$c' (stream, linpack, fio, hyperfine, wrk)" ;;
	esac
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-runners.XXXXXX") || exit 1
. "$TOP/scripts/nginx-loopback.sh"
cleanup() {
	nginx_stop
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

SECTIONS=$WORK/sections.md	# the per-comparison sections
SUMMARY=$WORK/summary.md	# one line per comparison
SKIPPED=$WORK/skipped.md
RUNS_LOG=$WORK/runs.txt	# every run of the current comparison (slice_rows)
QUIET_LOG=$WORK/quiet.txt	# quiet_gate's findings for the current comparison
: >"$SECTIONS"; : >"$SUMMARY"; : >"$SKIPPED"; : >"$RUNS_LOG"; : >"$QUIET_LOG"

skip() {	# NAME REASON
	note "$1: skipped: $2"
	printf -- '- %s: skipped: %s\n' "$1" "$2" >>"$SKIPPED"
	: >"$RUNS_LOG"
	: >"$QUIET_LOG"
}

# ref_given NAME VAR WHAT: the variable VAR (STREAM_SRC, LINPACK_SRC)
# names a readable file, the third-party source WHAT; else NAME is
# skipped saying why, and 1 returned
ref_given() {
	local name=$1 var=$2 what=$3 path=${!2:-}
	[ -n "$path" ] || { skip "$name" "$var not given (path to $what)"; return 1; }
	[ -r "$path" ] || { skip "$name" "$var '$path' is not readable"; return 1; }
}

# ref_build NAME SRC CMD...: run the compiler command CMD that builds the
# reference from SRC; when it fails, NAME is skipped with the compiler's
# first line, and 1 returned
ref_build() {
	local name=$1 src=$2
	shift 2
	"$@" 2>"$WORK/cc.err" && return 0
	skip "$name" "$src does not compile: $(head -n 1 "$WORK/cc.err")"
	return 1
}

has_runner() {	# SUB: bench SUB exists in this build
	"$B" "$1" --help >/dev/null 2>&1
}

# new_csv FILE: the tidy header
new_csv() {
	echo "platform,benchmark,metric,value,unit,run,better" >"$1"
}

# add FILE PLATFORM BENCHMARK METRIC VALUE UNIT RUN BETTER; a missing or
# non-numeric value skips the comparison CUR (set by each compare_*)
add() {
	local f=$1
	shift
	case $4 in
	''|*[!0-9.eE+-]*)
		skip "$CUR" "no $3 value from $1 in repetition $6"
		return 1 ;;
	esac
	printf '%s,%s,%s,%s,%s,%s,%s\n' "$@" >>"$f"
}

# order R: "ref bench" for an even R, "bench ref" for an odd one: the
# tool that goes first alternates, so that drift hits both alike
order() {
	[ $(($1 % 2)) -eq 0 ] && echo ref bench || echo bench ref
}

# slice_stat R N STAT FMT REF_NAME BENCH_NAME ONE ARG...: repetition R as
# the STAT (mean or median) of N runs per tool of `ONE ref|bench ARG...`
# (which prints one number), the tools alternating run by run (order R +
# run), so that load that comes and goes within a repetition hits both
# alike; printed with FMT. Sets STAT_REF and STAT_BENCH, and RUNS_REF and
# RUNS_BENCH (every run's value, for the results); when a run fails, skips
# CUR naming the tool (REF_NAME or BENCH_NAME) and returns 1.
slice_stat() {
	local r=$1 n=$2 stat=$3 fmt=$4 ref_name=$5 bench_name=$6 one=$7
	local args=("${@:8}") j k v
	RUNS_REF=
	RUNS_BENCH=
	for j in $(seq "$n"); do
		for k in $(order $((r + j))); do
			v=$("$one" "$k" "${args[@]}") && [ -n "$v" ] ||
				{ skip "$CUR" "$([ "$k" = ref ] && echo "$ref_name" || echo "$bench_name") failed"; return 1; }
			if [ "$k" = ref ]; then
				RUNS_REF="$RUNS_REF $v"
			else
				RUNS_BENCH="$RUNS_BENCH $v"
			fi
		done
	done
	STAT_REF=$(stat_of "$stat" "$fmt" $RUNS_REF)
	STAT_BENCH=$(stat_of "$stat" "$fmt" $RUNS_BENCH)
}

# stat_of mean|median FMT VALUE...: the mean, or the median (the mean of
# the middle two for an even count), printed with FMT
stat_of() {
	local stat=$1 fmt=$2
	shift 2
	printf '%s\n' "$@" | sort -g | awk -v s="$stat" -v f="$fmt" '
		{ v[NR] = $1; t += $1 }
		END {
			if (s == "mean") x = t / NR
			else if (NR % 2) x = v[(NR + 1) / 2]
			else x = (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf f, x
		}'
}

# slice_rows CSV REF_PLATFORM BENCHMARK METRIC UNIT R BETTER: the rows of
# repetition R from slice_stat, and every run's value in RUNS_LOG (listed
# in the results under the table)
slice_rows() {
	local csv=$1 ref=$2 bm=$3 m=$4 unit=$5 r=$6 better=$7
	add "$csv" "$ref" "$bm" "$m" "$STAT_REF" "$unit" "$r" "$better" &&
	add "$csv" bench "$bm" "$m" "$STAT_BENCH" "$unit" "$r" "$better" ||
		return 1
	printf '%s %s repetition %s runs:%s\n' "$ref" "$m" "$r" "$RUNS_REF" \
		>>"$RUNS_LOG"
	printf 'bench %s repetition %s runs:%s\n' "$m" "$r" "$RUNS_BENCH" \
		>>"$RUNS_LOG"
}

# cpu_busy: per cent of all CPUs' time that was not idle (nor iowait)
# over the next second, from /proc/stat; empty without /proc
cpu_busy() {
	local a b
	a=$(head -n 1 /proc/stat 2>/dev/null) || return 0
	sleep 1
	b=$(head -n 1 /proc/stat 2>/dev/null) || return 0
	awk -v a="$a" -v b="$b" 'BEGIN {
		n = split(a, x, " "); split(b, y, " ")
		for (i = 2; i <= n && i <= 9; i++) {	# user .. steal
			d = y[i] - x[i]; t += d
			if (i == 5 || i == 6) idle += d	# idle, iowait
		}
		if (t > 0) printf "%.0f\n", 100 * (t - idle) / t
	}'
}

# quiet_gate R: before repetition R, wait (up to QUIET_WAIT s) for a
# second in which the CPUs were at most QUIET_BUSY% busy; the outcome goes
# to QUIET_LOG for the section. Waiting favours neither tool: both run
# in the repetition that follows.
quiet_gate() {
	local busy waited=0
	while :; do
		busy=$(cpu_busy)
		[ -z "$busy" ] && { echo "repetition $1: CPU load unknown (no /proc/stat)" >>"$QUIET_LOG"; return; }
		[ "$busy" -le "$QUIET_BUSY" ] || [ "$waited" -ge "$QUIET_WAIT" ] && break
		sleep 1
		waited=$((waited + 2))
	done
	printf 'repetition %s: CPUs %s%% busy after waiting %s s%s\n' "$1" "$busy" \
		"$waited" "$([ "$busy" -gt "$QUIET_BUSY" ] && echo " (not quiet: gave up)")" \
		>>"$QUIET_LOG"
}

# bench_value CSV METRIC: mean of the metric's rows in a bench CSV (one run)
bench_value() {
	awk -F, -v m="$2" 'NR > 1 && $3 == m { s += $4; n++ }
		END { if (n) printf "%.10g\n", s / n }' "$1"
}

# bench_best CSV METRIC...: the largest value of each metric (STREAM's
# best rate), on one line; nothing when a metric has no row
bench_best() {
	local csv=$1
	shift
	awk -F, -v want="$*" 'NR > 1 && (!($3 in b) || $4 > b[$3]) { b[$3] = $4 }
		END {
			n = split(want, m, " ")
			for (i = 1; i <= n; i++) {
				if (!(m[i] in b)) exit
				line = line (i > 1 ? " " : "") sprintf("%.10g", b[m[i]])
			}
			print line
		}' "$csv"
}

# col HEADER_LINE NAME: 1-based index of a column in a CSV header
col() {
	tr ',' '\n' <<<"$1" | grep -nx "$2" | cut -d: -f1
}

# report TITLE CSV REF TARGET_KIND TARGET_PCT HOW...: analyze CSV, append
# a section and a summary line. TARGET_KIND is "within" (|ratio - 1| <=
# pct), "atleast" (ratio >= 1 - pct) or "info" (no target: shown for
# reference, summarized as INFO).
report() {
	local title=$1 csv=$2 ref=$3 kind=$4 pct=$5 groups cmps verdict
	shift 5
	groups=$WORK/groups.csv
	cmps=$WORK/cmps.csv
	if ! "$A" -q --format csv "$csv" >"$groups" 2>"$WORK/aerr" ||
	   ! "$A" -q --format csv --comparisons --baseline "$ref" "$csv" \
		>"$cmps" 2>>"$WORK/aerr"; then
		skip "$title" "analyze failed: $(head -n 3 "$WORK/aerr" | tr '\n' ' ')"
		return
	fi
	verdict=$(awk -F, -v ref="$ref" -v kind="$kind" -v pct="$pct" \
		-v gh="$(head -n 1 "$groups")" -v ch="$(head -n 1 "$cmps")" '
		function num(x) { return (x >= 1000 || x <= -1000) ? sprintf("%.0f", x) : sprintf("%.4g", x) }
		function ci(m, lo, hi) { return num(m) " [" num(lo) ", " num(hi) "]" }
		BEGIN {
			n = split(gh, h, ","); for (i = 1; i <= n; i++) G[h[i]] = i
			n = split(ch, h, ","); for (i = 1; i <= n; i++) C[h[i]] = i
			ok = 1
		}
		FNR == 1 { file++; next }
		file == 1 {
			k = $G["metric"]; u[k] = $G["unit"]; order[++nm] = k
			if ($G["platform"] == ref)
				r[k] = ci($G["mean"], $G["ci_lo"], $G["ci_hi"])
			else
				b[k] = ci($G["mean"], $G["ci_lo"], $G["ci_hi"])
			next
		}
		{
			k = $C["metric"]; q = $C["ratio"] + 0
			rc[k] = $C["ratio_bounded"] == 1 ? \
				sprintf("%.4f [%.4f, %.4f]", q, $C["ratio_lo"], $C["ratio_hi"]) : \
				sprintf("%.4f [unbounded]", q)
			pass = kind == "within" ? (q >= 1 - pct / 100 && q <= 1 + pct / 100) \
			     : kind == "atleast" ? (q >= 1 - pct / 100) : 1
			res[k] = kind == "info" ? "n/a" : pass ? "PASS" : "FAIL"
			if (!pass) ok = 0
			seen[k] = 1
		}
		END {
			tgt = kind == "within" ? "within " pct "%" : \
			      kind == "atleast" ? ">= " (100 - pct) "%" : "none"
			print "| metric | unit | " ref " mean [95% CI] | bench mean [95% CI] | ratio bench/" ref " [95% CI] | target | result |" > "/dev/stderr"
			print "|:---|:---|---:|---:|---:|:---|:---|" > "/dev/stderr"
			for (i = 1; i <= nm; i++) {
				k = order[i]
				if (done[k]++ || !seen[k]) continue
				print "| " k " | " u[k] " | " r[k] " | " b[k] " | " rc[k] " | " tgt " | **" res[k] "** |" > "/dev/stderr"
			}
			for (k in u) if (!seen[k]) ok = 0
			if (kind == "info")
				print "INFO (no target, for reference)"
			else
				print (ok ? "PASS" : "FAIL") " (" tgt ")"
		}' "$groups" "$cmps" 2>"$WORK/table.md")
	{
		printf '## %s\n\n' "$title"
		printf '%s\n' "$@"
		printf '\n'
		cat "$WORK/table.md"
		printf '\nValues (one per repetition, in order):\n\n```\n'
		awk -F, 'NR > 1 { v[$1 " " $3] = v[$1 " " $3] " " $4 }
			END { for (k in v) print k ":" v[k] }' "$csv" | sort
		printf '```\n\n'
		if [ -s "$QUIET_LOG" ]; then
			printf 'Other work on the machine, measured before each repetition (at most %s%% busy wanted, waiting up to %s s):\n\n```\n' "$QUIET_BUSY" "$QUIET_WAIT"
			cat "$QUIET_LOG"
			printf '```\n\n'
		fi
		if [ -s "$RUNS_LOG" ]; then
			printf 'Runs behind each repetition (in the order they ran):\n\n```\n'
			cat "$RUNS_LOG"
			printf '```\n\n'
		fi
	} >>"$SECTIONS"
	: >"$RUNS_LOG"
	: >"$QUIET_LOG"
	printf '| %s | %s |\n' "$title" "$verdict" >>"$SUMMARY"
	note "$title: $verdict"
}

# ---- STREAM ------------------------------------------------------------------
# stream_one TOOL: one run of stream.c (ref) or bench stream; prints its
# best Copy, Scale, Add and Triad rates (MB/s) on one line, or fails when
# the run fails or (stream.c) does not validate
stream_one() {
	local out
	if [ "$1" = ref ]; then
		out=$("$WORK/stream") && grep -q 'Solution Validates' <<<"$out" ||
			return 1
		awk '$1 == "Copy:" { c = $2 } $1 == "Scale:" { s = $2 }
			$1 == "Add:" { a = $2 } $1 == "Triad:" { t = $2 }
			END { if (c != "" && s != "" && a != "" && t != "") print c, s, a, t }' <<<"$out"
	else
		"$B" stream --size "$STREAM_N" --ntimes 10 -o "$WORK/b.csv" \
			2>/dev/null || return 1
		bench_best "$WORK/b.csv" copy scale add triad
	fi
}

compare_stream() {
	local name="STREAM (bench stream vs McCalpin's stream.c)" csv=$WORK/stream.csv
	CUR=$name
	local r j k i m line tool
	has_runner stream || { skip "$name" "bench stream not available"; return; }
	ref_given "$name" STREAM_SRC "McCalpin's stream.c" &&
	ref_build "$name" "$STREAM_SRC" $CC $CFLAGS_REF \
		-DSTREAM_ARRAY_SIZE="$STREAM_N" -DNTIMES=10 \
		-o "$WORK/stream" "$STREAM_SRC" || return
	new_csv "$csv"
	: >"$RUNS_LOG"
	for r in $(seq 0 $((REPS - 1))); do
		quiet_gate "$r"
		: >"$WORK/s.ref"
		: >"$WORK/s.bench"
		for j in $(seq "$STREAM_RUNS"); do
			for k in $(order $((r + j))); do
				line=$(stream_one "$k") && [ -n "$line" ] || {
					skip "$name" "$([ "$k" = ref ] && echo "stream.c failed or did not validate" || echo "bench stream failed")"
					return
				}
				echo "$line" >>"$WORK/s.$k"
			done
		done
		for k in ref bench; do
			tool=$([ "$k" = ref ] && echo stream.c || echo bench)
			i=1
			for m in copy scale add triad; do
				add "$csv" "$tool" stream "$m" "$(stat_of median %.4f \
					$(cut -d' ' -f"$i" "$WORK/s.$k"))" MB/s "$r" higher ||
					return
				i=$((i + 1))
			done
			printf '%s repetition %s runs (copy scale add triad): %s\n' \
				"$tool" "$r" "$(paste -sd';' "$WORK/s.$k" | sed 's/;/; /g')" \
				>>"$RUNS_LOG"
		done
	done
	report "$name" "$csv" stream.c within 5 \
		"Best rate per kernel of one run (STREAM's 'Best Rate MB/s'; bench's largest iteration rate), 10 iterations, $STREAM_N doubles per array, one thread, both built with $CC $CFLAGS_REF. Both lay the three arrays back to back, touch a and b first and then c (gcc turns stream.c's c = 0 into a memset), and run vectorized Scale, Add and Triad loops and a memcpy for Copy (bench-stream(1))." \
		"Why bench's loops start on a 64-byte boundary (-falign-loops=64, padding only): where the linker put bench's Scale loop moved its rate by 4-7% on this AMD EPYC. Runs alternating with stream.c, Scale/Add within a run: 0.95 for stream.c; 1.01-1.04 for the bench build whose Scale loop began at 0x...7ea; 0.95-0.97 for the same object linked last (loop at 0x...25a) and for builds with loops aligned to 16, 32 or 64 bytes. That placement, not the arrays' allocation, was what put bench's Scale 2-6% above stream.c's in earlier runs of this script." \
		"Each repetition is, per kernel, the median of $STREAM_RUNS runs per tool, the two alternating run by run. The memory bandwidth this VM gets drifts with what shares its host: one earlier run of this script saw both tools' Copy fall from 25 to 20 GB/s within a minute, and with one run per tool per repetition such a drift between two neighbouring runs failed the 5% target on Copy or Scale in two of five runs." \
		"Reference: $(basename "$STREAM_SRC") given as STREAM_SRC (sha256 $(sha256sum "$STREAM_SRC" | cut -c1-12)); origin: ${STREAM_ORIGIN:-not stated}." \
		"Commands: \`stream\` (compiled with -DSTREAM_ARRAY_SIZE=$STREAM_N -DNTIMES=10) and \`bench stream --size $STREAM_N --ntimes 10\`."
}

# ---- LINPACK -----------------------------------------------------------------
# linpack_one TOOL: KFLOPS of one run of linpackc (ref) or bench linpack
linpack_one() {
	if [ "$1" = ref ]; then
		"$WORK/linpackc" 2>&1 >/dev/null |
			sed -n 's/.*Precision *\([0-9][0-9]*\) Kflops ;.*/\1/p'
	else
		"$B" linpack --n 100 --runs 1 -o "$WORK/b.csv" 2>/dev/null ||
			return 1
		bench_value "$WORK/b.csv" kflops
	fi
}

compare_linpack() {
	local name="LINPACK n=100 (bench linpack vs netlib linpackc)" csv=$WORK/linpack.csv
	CUR=$name
	local r
	has_runner linpack || { skip "$name" "bench linpack not available"; return; }
	ref_given "$name" LINPACK_SRC "netlib's linpackc.c" || return
	grep -q 'Kflops ; ' "$LINPACK_SRC" ||
		{ skip "$name" "$LINPACK_SRC is not the classic netlib linpackc (no 'Kflops ;' report)"; return; }
	# linpackc is K&R C (implicit int): gnu89, its warnings silenced.
	ref_build "$name" "$LINPACK_SRC" $CC $CFLAGS_REF -std=gnu89 -w -DDP \
		-DUNROLL -o "$WORK/linpackc" "$LINPACK_SRC" -lm || return
	new_csv "$csv"
	: >"$RUNS_LOG"
	for r in $(seq 0 $((REPS - 1))); do
		quiet_gate "$r"
		slice_stat "$r" "$LINPACK_RUNS" median %.0f linpackc "bench linpack" \
			linpack_one "" || return
		slice_rows "$csv" linpackc linpack kflops KFLOPS "$r" higher || return
	done
	report "$name" "$csv" linpackc within 5 \
		"KFLOPS at n=100, double precision, unrolled BLAS: linpackc's reported figure (the smaller of its two 1000-repetition averages, CPU time from getrusage) and bench linpack's (wall clock over at least 0.05 s of repetitions), both built with $CC $CFLAGS_REF (bench's linpack.o adds -falign-loops=64, padding only)." \
		"Each repetition is the median of $LINPACK_RUNS runs per tool, the two alternating run by run. One run takes a fraction of a second (linpackc about 0.3 s, bench about 0.1 s), so a burst of other work on the shared CPUs can cover a whole run of one tool and not the neighbouring run of the other: a repetition of one run each then compares a loaded run with a quiet one (an earlier run of this script failed that way). The median of alternating runs lets one such run not decide a repetition, for both tools alike; the CI still comes from the spread of the $REPS repetitions." \
		"Both time dgefa + dgesl and not matgen (linpackc subtracts the matgen it runs between its dgefa calls), count 2/3 n^3 + 2 n^2 operations, and run the classic column-oriented code through the level-1 BLAS, daxpy unrolled by 4 and its vectors not restrict-qualified, which gcc -O2 leaves scalar in both. See bench-linpack(1) for the remaining differences." \
		"Reference: $(basename "$LINPACK_SRC") given as LINPACK_SRC (sha256 $(sha256sum "$LINPACK_SRC" | cut -c1-12)), compiled -std=gnu89 -DDP -DUNROLL; origin: ${LINPACK_ORIGIN:-not stated}." \
		"Commands: \`linpackc\` and \`bench linpack --n 100 --runs 1\`."
}

# ---- fio -----------------------------------------------------------------------
# disk_one TOOL warm|cold page|malloc: MB/s of one write of 256 MiB in
# 1 MiB blocks with a final fsync in DISK_DIR, by fio (ref) or bench
# diskwrite. "warm" gives both the same untimed warm-up right before their
# timed span (see compare_fio): bench's own --warmup 1, and for fio that
# very bench run as its exec_prerun, which fio's job thread runs after
# laying the file out and before it starts its clock (fio 3.33 backend.c:
# thread_main). "page" has fio write from a page-aligned buffer, as bench
# does (--mem_align=4096); "malloc" leaves fio's buffer where malloc put
# it. fio runs in WORK, where it saves the prerun's output.
disk_one() {
	local tool=$1 mode=$2 place=$3 f="$DISK_DIR/bench-runners-fio.$$" v
	local pre=() warm=() align=()
	if [ "$mode" = warm ]; then
		pre=("--exec_prerun='$B' diskwrite --size 256 --bs 1M --path '$DISK_DIR' --runs 1 -o /dev/null")
		warm=(--warmup 1)
	fi
	[ "$place" = page ] && align=(--mem_align=4096)
	if [ "$tool" = ref ]; then
		v=$(cd "$WORK" && fio --name=runners --filename="$f" --rw=write \
			--bs=1M --size=256M --end_fsync=1 "${align[@]}" "${pre[@]}" \
			--output-format=json 2>/dev/null |
			awk '/"write" : \{/ { w = 1 }
				w && /"bw_bytes"/ { gsub(/[^0-9]/, "", $3); printf "%.6f\n", $3 / 1e6; exit }')
		rm -f "$f"
	else
		"$B" diskwrite --size 256 --bs 1M --path "$DISK_DIR" --runs 1 \
			"${warm[@]}" -o "$WORK/b.csv" 2>/dev/null || return 1
		v=$(bench_value "$WORK/b.csv" write)
	fi
	# fio reports 0 when its job failed (a prerun that failed included)
	awk -v v="$v" 'BEGIN { exit !(v + 0 > 0) }' && echo "$v"
}

# disk_reference CSV MODE PLACE: REPS repetitions of one run per tool of
# `disk_one ... MODE PLACE`, for a table without a target
disk_reference() {
	local csv=$1 mode=$2 place=$3 r
	new_csv "$csv"
	for r in $(seq 0 $((REPS - 1))); do
		quiet_gate "$r"
		slice_stat "$r" 1 median %.6f fio "bench diskwrite" \
			disk_one "$mode" "$place" || return
		add "$csv" fio diskwrite write "$STAT_REF" MB/s "$r" higher &&
		add "$csv" bench diskwrite write "$STAT_BENCH" MB/s "$r" higher ||
			return
	done
}

compare_fio() {
	local name="sequential write (bench diskwrite vs fio)" csv=$WORK/fio.csv
	local fio_cmd="fio --rw=write --bs=1M --size=256M --end_fsync=1"
	local bench_cmd="bench diskwrite --size 256 --bs 1M --path $DISK_DIR --runs 1"
	local prerun="--exec_prerun='bench diskwrite --size 256 --bs 1M --path $DISK_DIR --runs 1 -o /dev/null'"
	local fs r
	CUR=$name
	has_runner diskwrite || { skip "$name" "bench diskwrite not available"; return; }
	command -v fio >/dev/null || { skip "$name" "fio is not installed (make deps-bench)"; return; }
	[ -d "$DISK_DIR" ] && [ -w "$DISK_DIR" ] ||
		{ skip "$name" "DISK_DIR '$DISK_DIR' is not a writable directory"; return; }
	fs=$(df -T "$DISK_DIR" 2>/dev/null | awk 'NR == 2 { print $2 }')
	new_csv "$csv"
	: >"$RUNS_LOG"
	for r in $(seq 0 $((REPS - 1))); do
		quiet_gate "$r"
		slice_stat "$r" "$DISK_RUNS" median %.6f fio "bench diskwrite" \
			disk_one warm page || return
		slice_rows "$csv" fio diskwrite write MB/s "$r" higher || return
	done
	report "$name" "$csv" fio within 10 \
		"MB/s (10^6 bytes/s) writing 256 MiB in 1 MiB blocks with a final fsync, in $DISK_DIR ($fs). Each repetition is the median of $DISK_RUNS runs per tool, the two alternating run by run, each run right after the same untimed warm-up, and both writing from a page-aligned buffer (both below)." \
		"What each tool times, from fio 3.33's source: the job thread starts the clock (td->start, backend.c: thread_main) after setup_files has created the file and fallocated it (fallocate=native); do_io then opens it, calls posix_fadvise DONTNEED (invalidate=1) and SEQUENTIAL, issues the 256 writes, and fio_file_fsync fsyncs it; update_runtime stops the clock before close_and_free_files closes it; bw_bytes is 1000 * bytes / runtime, the runtime in ms rounded up (stat.c). bench diskwrite times from its first write to the return of fsync, after an untimed posix_fallocate. The spans differ by fio's open and fadvise calls (tens of microseconds under strace -T) and its per-block bookkeeping (its runtime minus its summed completion latencies, about 2 ms of 105); nothing in fio's timed span is changed." \
		"Why the warm-up: this machine is a Firecracker VM whose virtio-balloon reports free pages to the host (page_reporting.page_reporting_order=11 on the kernel command line): memory left free for about 2 s is handed back, and the page cache a run then allocates costs a host page fault per page. After a 4 s pause bench diskwrite measured 300-560 MB/s against 2100-2800 back to back, the time all in the write phase (strace), and fio's slow runs (370-690 MB/s) look the same. fio starts writing about 0.27 s after it is launched (bench: about 1 ms), long enough for the last run's freed page cache to be handed back more often, which made fio 10-23% slower with a wide CI in earlier runs. So both get the same warm-up of writing, fsyncing and removing 256 MiB immediately before their clock starts: \`bench diskwrite --warmup 1\`, and fio \`--exec_prerun\` of that same bench run. The last table shows both without it." \
		"Why --mem_align=4096: for buffered I/O fio writes from the buffer exactly as malloc returned it, 16 bytes into a page (backend.c: init_io_u_buffers aligns it only for O_DIRECT, raw I/O or a mem_align; strace shows pwrite64(fd, 0x7f...0010, 1048576, ...)). bench's block is page-aligned, like a page-cache page. On this AMD EPYC the kernel's copy into the page cache is about a third slower from the misaligned buffer: under strace -T fio's pwrite calls took 139-141 us each (median) against bench's 103-107 us, the rest of the span equal, and with --mem_align=64 or 4096 fio's rate rose from 2606-2658 to 2711-2918 MB/s, bench's 2851-2945 in the same rounds. The alignment is where the copy reads from, not what is timed, so fio writes from a page-aligned buffer here; the table after this one keeps fio's default placement." \
		"Commands: \`$fio_cmd --mem_align=4096 $prerun\` (write bw_bytes of its JSON) and \`$bench_cmd --warmup 1\`."
	disk_reference "$WORK/fio-malloc.csv" warm malloc || return
	report "sequential write, fio's buffer where malloc put it (for reference)" \
		"$WORK/fio-malloc.csv" fio info 0 \
		"The comparison above with fio in its default buffer placement (16 bytes into a page, see above): one run per tool per repetition, alternating, with the same warm-up (\`$fio_cmd $prerun\` and \`$bench_cmd --warmup 1\`). No target: this measures the cost of fio's misaligned copy as much as the disk."
	disk_reference "$WORK/fio-cold.csv" cold malloc || return
	report "sequential write without the warm-up (for reference)" \
		"$WORK/fio-cold.csv" fio info 0 \
		"Both tools as a user would launch them: one run per tool per repetition, alternating, no warm-up, fio's buffer where malloc put it (\`$fio_cmd\` and \`$bench_cmd\`). No target: a run here can draw memory the host took back (see above), which hits fio more often."
}

# ---- hyperfine -------------------------------------------------------------------
# time_one TOOL FILE: one timed run of sha256sum FILE by TOOL, in seconds
time_one() {
	if [ "$1" = ref ]; then
		hyperfine -N --style none --runs 1 --export-json "$WORK/h.json" \
			"sha256sum $2" >/dev/null 2>&1 || return 1
		sed -n 's/^ *"mean": *\([0-9.eE+-]*\),*$/\1/p' "$WORK/h.json" |
			awk 'NR == 1 { printf "%.9f\n", $1 }'
	else
		"$B" time --runs 1 -o "$WORK/b.csv" -- sha256sum "$2" 2>/dev/null ||
			return 1
		bench_value "$WORK/b.csv" real
	fi
}

compare_hyperfine() {
	local name="command timing (bench time vs hyperfine)" csv=$WORK/time.csv
	CUR=$name
	local r file=$WORK/hash.bin
	has_runner time || { skip "$name" "bench time not available"; return; }
	command -v hyperfine >/dev/null ||
		{ skip "$name" "hyperfine is not installed (make deps-bench)"; return; }
	head -c $((HASH_MIB * 1048576)) /dev/urandom >"$file" || return
	sha256sum "$file" >/dev/null	# warm-up: the file is in the page cache
	new_csv "$csv"
	: >"$RUNS_LOG"
	for r in $(seq 0 $((REPS - 1))); do
		quiet_gate "$r"
		slice_stat "$r" "$TIME_RUNS" median %.9f hyperfine "bench time" \
			time_one "$file" || return
		slice_rows "$csv" hyperfine time:sha256sum real s "$r" lower ||
			return
	done
	report "$name" "$csv" hyperfine within 3 \
		"Wall-clock seconds of \`sha256sum\` on a $HASH_MIB MiB file of random bytes (in the page cache), no shell. Each repetition is the median of $TIME_RUNS runs per tool, the two alternating run by run." \
		"Both time the same span: hyperfine -N spawns the command once per run (strace: one vfork and execve; its other thread, the progress bar's, sleeps) and times from before the spawn to after the wait, as bench time does with posix_spawnp and wait4. In 16 interleaved single runs of each on this machine (8 with hyperfine's --style basic, 8 with none) the medians were 0.757 s (hyperfine) and 0.758 s (bench). The spread an earlier run showed in hyperfine's repetitions (0.78-0.92 s, each the mean of 3 runs, while bench's stayed at 0.78 s) came from bursts of other work on the CPUs (in this VM, or on its host where the VM cannot see it), which hit bench's runs just as well: six back-to-back \`bench time\` runs once measured 0.76, 0.75, 0.83, 0.95, 1.03 and 1.13 s. A run of sha256sum lasts under a second, so such a burst covers whole runs of one tool; a mean of 3 carries it into the repetition, the median of $TIME_RUNS alternating runs does not, for both tools alike. hyperfine runs with --style none (no progress bar to draw)." \
		"Commands: \`hyperfine -N --style none --runs 1 'sha256sum FILE'\` (mean of its JSON) and \`bench time --runs 1 -- sha256sum FILE\` (real)."
}

# ---- wrk ----------------------------------------------------------------------------
# http_one TOOL URL: req/s of one HTTP_SECONDS run by TOOL
http_one() {
	if [ "$1" = ref ]; then
		wrk -c "$HTTP_CONNS" -t "$HTTP_THREADS" -d "${HTTP_SECONDS}s" "$2" |
			awk '$1 == "Requests/sec:" { print $2 }'
	else
		"$B" http -c "$HTTP_CONNS" -t "$HTTP_THREADS" -d "${HTTP_SECONDS}s" \
			-o "$WORK/b.csv" "$2" 2>/dev/null || return 1
		bench_value "$WORK/b.csv" req_per_s
	fi
}

compare_wrk() {
	local name="HTTP load (bench http vs wrk, nginx on loopback)" csv=$WORK/http.csv
	CUR=$name
	local r url
	has_runner http || { skip "$name" "bench http not available"; return; }
	command -v wrk >/dev/null || { skip "$name" "wrk is not installed (make deps-bench)"; return; }
	nginx_start "$WORK/nginx" ||
		{ skip "$name" "nginx (nginx-light) is not installed or did not start"; return; }
	url="http://127.0.0.1:$PORT/"
	# Warm both up once (nginx's first requests, page cache, CPU clocks).
	http_one ref "$url" >/dev/null 2>&1
	http_one bench "$url" >/dev/null 2>&1
	new_csv "$csv"
	# Each repetition is the mean of HTTP_SLICES runs per tool, the tools
	# alternating run by run: the CPUs are shared with nginx and with
	# whatever else runs, and that load changes within seconds.
	for r in $(seq 0 $((REPS - 1))); do
		quiet_gate "$r"
		slice_stat "$r" "$HTTP_SLICES" mean %.4f wrk "bench http" \
			http_one "$url" || return
		add "$csv" wrk http req_per_s "$STAT_REF" req/s "$r" higher || return
		add "$csv" bench http req_per_s "$STAT_BENCH" req/s "$r" higher ||
			return
	done
	nginx_stop
	report "$name" "$csv" wrk atleast 5 \
		"Requests per second, $HTTP_CONNS keep-alive connections on $HTTP_THREADS threads, GET of a 6-byte static file from one nginx worker (access log off) on 127.0.0.1; client and server share the machine's $(nproc) CPUs. Each repetition is the mean of $HTTP_SLICES runs of ${HTTP_SECONDS} s per tool, the tools alternating run by run." \
		"Commands: \`wrk -c $HTTP_CONNS -t $HTTP_THREADS -d ${HTTP_SECONDS}s URL\` (Requests/sec) and \`bench http -c $HTTP_CONNS -t $HTTP_THREADS -d ${HTTP_SECONDS}s URL\` (req_per_s)."
}

# ---- the results file ------------------------------------------------------------------
load_average() {
	cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown
}

versions() {
	printf -- '- compiler: %s\n' "$($CC --version 2>/dev/null | head -n 1)"
	command -v fio >/dev/null && printf -- '- fio: %s\n' "$(fio --version)"
	command -v hyperfine >/dev/null && printf -- '- hyperfine: %s\n' "$(hyperfine --version)"
	command -v wrk >/dev/null && printf -- '- wrk: %s\n' "$(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
	printf -- '- nginx: %s\n' "$("$(command -v nginx || echo /usr/sbin/nginx)" -v 2>&1 | sed 's/^nginx version: //')"
	printf -- '- bench: %s\n' "$("$B" --version)"
}

write_results() {
	local tmp="$OUT.tmp.$$" cpu
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
	{
		printf '# bench runners beside their reference tools\n\n'
		printf 'Written by `make bench-runners` (bench/runners.sh) on %s.\n' \
			"$(date -u +%Y-%m-%dT%H:%M:%SZ)"
		printf 'Host: %s, %s CPUs, Linux %s.\n' "${cpu:-unknown CPU}" "$(nproc)" "$(uname -r)"
		printf 'Load average (1, 5, 15 min) at the start: %s; at the end: %s.\n' \
			"$LOAD_START" "$(load_average)"
		printf 'A load above the CPU count means other work shared the CPUs\n'
		printf 'with the tools, which widens the intervals below.\n\n' 
		printf 'Each tool ran %s times, interleaved with its counterpart (the\n' "$REPS"
		printf 'order alternating per repetition), on the same machine in the same\n'
		printf 'run. Means with 95%% Student-t confidence intervals and the ratio\n'
		printf 'bench/reference with its 95%% Fieller interval are computed by\n'
		printf '`bin/analyze` from the values listed under each table. A target\n'
		printf 'is met (PASS) when the ratio of the means is within it.\n'
		printf 'Before each repetition the script waited up to %s s for a\n' "$QUIET_WAIT"
		printf 'second in which the CPUs were at most %s%% busy with other\n' "$QUIET_BUSY"
		printf 'work; each section lists what it found.\n\n'
		versions
		printf '\n## Summary\n\n| comparison | result |\n|:---|:---|\n'
		cat "$SUMMARY"
		if [ -s "$SKIPPED" ]; then
			printf '\nSkipped comparisons:\n\n'
			cat "$SKIPPED"
		fi
		printf '\n'
		cat "$SECTIONS"
	} >"$tmp" && mv "$tmp" "$OUT" || { rm -f "$tmp"; die "cannot write $OUT"; }
	note "wrote $OUT"
}

LOAD_START=$(load_average)
for c in stream linpack fio hyperfine wrk; do
	if [ -z "$ONLY" ] || [[ ",$ONLY," == *",$c,"* ]]; then
		"compare_$c"
	else
		skip "$c" "not selected (ONLY=$ONLY)"
	fi
done
write_results
