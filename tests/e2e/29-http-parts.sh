#!/usr/bin/env bash
# 2026-11-25: the parts of bench http below the load loop, driven
# through a small harness compiled here against runners/http_hist.c and
# runners/http_parse.c (under ASan+UBSan when the compiler has them).
#
# Histogram: percentiles of deterministic data sets are compared with the
# nearest-rank percentile computed independently by sort(1) and awk (rank
# ceil(p/100 * n) of the sorted values): exactly equal below 2048 us,
# within 1/1024 above; every value maps to a bucket whose range holds it.
# Parser: responses fed whole and in every split of 1..7-byte pieces must
# end where the response ends, with the expected status or error message.
set -u
. "$TOP/tests/e2e/lib/common.sh"
CC=${CC:-gcc}
require "$CC" "no C compiler ($CC) to build the harness"

cat >"$TMPDIR/harness.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http.h"

static int hist(int argc, char **argv)
{
	struct http_hist h;
	unsigned long v;
	uint64_t x;
	int i;

	if (http_hist_init(&h))
		return 1;
	while (scanf("%lu", &v) == 1)
		http_hist_record(&h, v);
	for (i = 2; i < argc; i++)
		printf("%lu\n", (unsigned long)http_hist_percentile(&h,
		       atof(argv[i])));
	for (x = 0; x < ((uint64_t)1 << 41); x = x < 100000 ? x + 1 : x * 1.01 + 1) {
		size_t k = http_hist_index(x);

		if (x < ((uint64_t)1 << 40) && (http_hist_bucket_top(k) < x ||
		    (k && http_hist_bucket_top(k - 1) >= x))) {
			printf("bucket %zu does not hold %lu\n", k, (unsigned long)x);
			return 1;
		}
	}
	http_hist_release(&h);
	return 0;
}

/* parse FILE STEP: feed FILE in STEP-byte pieces (0: whole), then EOF */
static int parse(const char *path, size_t step)
{
	static struct http_resp r;
	static char buf[65536];
	size_t len, at = 0, used;
	int rc = 0;
	FILE *f = fopen(path, "rb");

	if (!f)
		return 1;
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	http_resp_init(&r);
	while (at < len && rc == 0) {
		size_t n = step && step < len - at ? step : len - at;

		rc = http_resp_feed(&r, buf + at, n, &used);
		if (used > n)
			return 1;
		at += used;
	}
	if (rc == 0 && http_resp_eof(&r))
		rc = 2;
	if (rc < 0)	/* where it stops depends on the pieces */
		printf("error status %d: %s\n", r.status, r.error);
	else
		printf("%s status %d used %zu/%zu%s\n", rc == 1 ? "done" :
		       rc == 2 ? "done-at-eof" : "incomplete", r.status, at,
		       len, r.is_close ? " close" : "");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "hist"))
		return hist(argc, argv);
	if (argc == 4 && !strcmp(argv[1], "parse"))
		return parse(argv[2], (size_t)atol(argv[3]));
	return 1;
}
EOF
H="$TMPDIR/harness"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
$CC -std=c11 -O1 -g $SAN -Iruners -o "$H" "$TMPDIR/harness.c" \
	runners/http_hist.c runners/http_parse.c -lm 2>/dev/null ||
	$CC -std=c11 -O1 -g -Irunners -o "$H" "$TMPDIR/harness.c" \
		runners/http_hist.c runners/http_parse.c -lm ||
	{ echo "FAIL: the harness does not build"; exit 1; }
export ASAN_OPTIONS=detect_leaks=1:exitcode=99 UBSAN_OPTIONS=halt_on_error=1:exitcode=99

# ---- histogram ------------------------------------------------------------------
# nearest_rank FILE P...: the reference, from sort and awk only
nearest_rank() {
	local f=$1
	shift
	sort -n "$f" >"$f.sorted"
	for p in "$@"; do
		awk -v p="$p" '{ v[NR] = $1 } END {
			r = p / 100 * NR; k = int(r); if (k < r - 1e-9 * r) k++
			if (k < 1) k = 1; print v[k] }' "$f.sorted"
	done
}

# data MODULUS N MULT: a deterministic spread of N values in [1, MODULUS]
data() {
	awk -v m="$1" -v n="$2" -v a="$3" 'BEGIN { x = 12345
		for (i = 0; i < n; i++) { x = (x * a + 12345) % 2147483647; print 1 + x % m } }'
}

for set in "1999 1000 48271" "2047 10007 16807" "300000 5000 48271" \
	   "3000000000 999 16807" "5 3 48271"; do
	set -- $set
	data "$1" "$2" "$3" >"$TMPDIR/values"
	got=$("$H" hist 50 90 99 99.9 100 <"$TMPDIR/values") ||
		{ fail "histogram harness failed on $set: $got"; continue; }
	want=$(nearest_rank "$TMPDIR/values" 50 90 99 99.9 100)
	paste <(echo "$got") <(echo "$want") | awk -v s="$set" '
		{ rel = ($1 - $2) / $2
		  if ($2 < 2048 ? $1 != $2 : (rel < 0 || rel > 1 / 1024)) {
			print "values " s ": histogram " $1 ", nearest rank " $2; bad = 1 } }
		END { exit bad }' || fail "percentiles differ from nearest rank"
done
[ "$(printf '' | "$H" hist 50)" = 0 ] || fail "an empty histogram is not 0"

# ---- parser -----------------------------------------------------------------------
# case NAME EXPECTED PRINTF_FORMAT: every split of the response gives EXPECTED
case_() {
	local name=$1 want=$2 step out
	printf "$3" >"$TMPDIR/resp"
	for step in 0 1 2 3 4 5 6 7; do
		out=$("$H" parse "$TMPDIR/resp" "$step") ||
			{ fail "$name: harness failed at step $step"; return; }
		[ "$out" = "$want" ] || { fail "$name (pieces of $step): '$out', expected '$want'"; return; }
	done
}
long=$(printf 'x%.0s' $(seq 9000))
case_ length "done status 200 used 54/54" \
	'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: x\r\n\r\nhello'
case_ chunked "done status 200 used 97/97" \
	'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5;ext=1\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-T: 1\r\n\r\n'
case_ bare-lf "done status 404 used 42/42" \
	'HTTP/1.1 404 Not Found\ncontent-length: 0\n\n'
case_ continue-then-204 "done status 204 used 52/52" \
	'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n'
case_ 304-has-no-body "done status 304 used 48/48" \
	'HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n'
case_ close-delimited "done-at-eof status 200 used 35/35 close" \
	'HTTP/1.0 200 OK\r\n\r\nbody until close'
case_ connection-close "done status 200 used 57/57 close" \
	'HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n'
case_ http10-keep-alive "done status 200 used 62/62" \
	'HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n'
case_ http10-default-close "done status 200 used 38/38 close" \
	'HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n'
case_ extra-data "done status 200 used 43/48" \
	'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA'
case_ truncated-body "incomplete status 200 used 41/41" \
	'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel'
case_ conflicting-length "error status 200: conflicting Content-Length headers" \
	'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello'
case_ bad-status "error status 0: malformed status line" \
	'HTTP/1.1 20 OK\r\n\r\n'
case_ chunk-too-long "error status 200: chunk data longer than its size" \
	'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX\r\n0\r\n\r\n'
case_ bad-chunk-size "error status 200: malformed chunk size" \
	'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'
case_ chunk-overflow "error status 200: chunk size overflows" \
	'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n11111111111111111\r\n\r\n'
case_ folding "error status 200: obsolete header line folding" \
	'HTTP/1.1 200 OK\r\n  folded: x\r\n\r\n'
case_ long-line "error status 200: line longer than 8192 bytes" \
	"HTTP/1.1 200 OK\r\nX: $long\r\n\r\n"

finish
