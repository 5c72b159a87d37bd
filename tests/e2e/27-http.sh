#!/usr/bin/env bash
# 2026-11-25: bench http against a real nginx (Debian nginx-light)
# started here on a free loopback port with its own config in $TMPDIR.
# nginx's access log is the independent count: -n N makes exactly N
# requests, a -d window counts what nginx served minus at most one
# in-flight request per connection. Chunked (gzip) and Connection: close
# responses parse without errors, 404s are counted as errors, --rate
# holds its rate, percentiles are ordered. With python3, a server taking
# 20 ms per request shows coordinated-omission correction: closed loop
# p50 ~ 20 ms, open loop at twice its capacity p99 > 0.4 s; a malformed
# status line is an error and no completed response is exit 1. Bad
# options and remote targets exit 2 with no rows; an unreachable server is
# exit 1 with no rows; SIGINT keeps whole runs; analyze loads the CSV; the
# man page SYNOPSIS matches --help.
set -u
. "$TOP/tests/e2e/lib/common.sh"
B="$BIN/bench"

NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || missing "nginx is not installed (make deps installs nginx-light)"
PY=$(command -v /usr/bin/python3 python3 | head -n 1)

pids=()
cleanup() { [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT

. "$TOP/scripts/nginx-loopback.sh"
wait_port() { nginx_wait_port "$@"; }

# nginx with its access log (the independent request count), gzip for
# text/plain, a 'Connection: close' location and a larger text file.
start_nginx() {
	local d=$TMPDIR/nginx i
	mkdir -p "$d/html"
	for i in $(seq 30); do printf 'line %d of a compressible text\n' $(seq 200); done \
		>"$d/html/big.txt"
	NGINX_ACCESS_LOG=$d/access.log NGINX_CONNECTIONS=1024 \
	NGINX_KEEPALIVE=1000000 \
	NGINX_HTTP_EXTRA='	gzip on;
	gzip_min_length 0;
	gzip_types text/plain;' \
	NGINX_SERVER_EXTRA='		location = /close { keepalive_timeout 0; return 200 "bye\n"; }' \
		nginx_start "$d" || return 1
	pids+=("$NGINX_PID")
}

if ! start_nginx; then
	echo "FAIL: nginx did not start: $(cat "$TMPDIR/nginx/start.log" "$TMPDIR/nginx/error.log" 2>/dev/null)"
	exit 1
fi
URL="http://127.0.0.1:$PORT"
LOG="$TMPDIR/nginx/access.log"
served() { wc -l <"$LOG"; }

val() { awk -F, -v m="$2" '$3 == m { print $4; exit }' "$1"; }

# ordered FILE: p50 <= p90 <= p99 <= p99.9 <= max, all > 0
ordered() {
	awk -F, '$3 ~ /^(p50|p90|p99|p99\.9|max)_ms$/ { v[$3] = $4 }
		END { exit !(v["p50_ms"] > 0 && v["p50_ms"] <= v["p90_ms"] &&
		      v["p90_ms"] <= v["p99_ms"] && v["p99_ms"] <= v["p99.9_ms"] &&
		      v["p99.9_ms"] <= v["max_ms"]) }' "$1" ||
		fail "$1: percentiles not ordered: $(grep _ms, "$1")"
}

bench_help http
grep -q '^usage: bench http \[options\] http://HOST\[:PORT\]\[/PATH\]$' <<<"$help" ||
	fail "--help lacks the usage line"
grep -q 'intended send time' <<<"$help" || fail "--help does not define --rate latency"

# -n: exactly N requests reach nginx; the rows; req_per_s = N / total_ms.
before=$(served)
out="$TMPDIR/n.csv"
"$B" http -n 3000 -c 4 -t 2 --platform test -o "$out" "$URL/" 2>"$TMPDIR/err" ||
	fail "-n 3000: exit $?: $(cat "$TMPDIR/err")"
whole_rows "$out"
[ $(( $(served) - before )) -eq 3000 ] ||
	fail "-n 3000: nginx served $(( $(served) - before )) requests"
[ "$(tail -n +2 "$out" | cut -d, -f3,5,7 | tr '\n' ' ')" = \
  "req_per_s,req/s,higher p50_ms,ms,lower p90_ms,ms,lower p99_ms,ms,lower p99.9_ms,ms,lower max_ms,ms,lower errors,count,lower total_ms,ms,lower " ] ||
	fail "-n: unexpected metrics: $(cut -d, -f3,5,7 "$out" | tr '\n' ' ')"
[ "$(val "$out" errors)" = 0 ] || fail "-n: errors against nginx"
awk -F, '$3 == "req_per_s" { r = $4 } $3 == "total_ms" { t = $4 }
	END { x = r * t / 1000; exit !(x > 2999.9 && x < 3000.1) }' "$out" ||
	fail "-n: req_per_s * total_ms != 3000"
ordered "$out"

# -d: responses counted in the window were served; at most one request
# per connection (8) was in flight at its end.
before=$(served)
out="$TMPDIR/d.csv"
"$B" http -d 1s -c 8 -t 2 -o "$out" "$URL/" 2>"$TMPDIR/err" ||
	fail "-d 1s: exit $?: $(cat "$TMPDIR/err")"
got=$(( $(served) - before ))
awk -F, -v s="$got" '$3 == "req_per_s" { exit !($4 > 0 && $4 <= s && s <= $4 + 8) }' \
	"$out" || fail "-d 1s: req_per_s $(val "$out" req_per_s) vs $got served"
grep -q total_ms "$out" && fail "-d: a total_ms row without -n"
ordered "$out"

# Chunked responses (nginx gzips on the fly) and Connection: close.
resp=$(exec 3<>"/dev/tcp/127.0.0.1/$PORT" &&
	printf 'GET /big.txt HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n' >&3 &&
	head -c 400 <&3 | tr -d '\r')
grep -qi '^Transfer-Encoding: chunked$' <<<"$resp" ||
	fail "nginx did not send chunked (test setup): $resp"
out="$TMPDIR/chunked.csv"
"$B" http -n 500 -c 2 -H 'Accept-Encoding: gzip' -o "$out" "$URL/big.txt" \
	2>"$TMPDIR/err" || fail "chunked: exit $?: $(cat "$TMPDIR/err")"
[ "$(val "$out" errors)" = 0 ] || fail "chunked: errors: $(cat "$TMPDIR/err")"
before=$(served)
out="$TMPDIR/close.csv"
"$B" http -n 200 -c 2 -o "$out" "$URL/close" 2>"$TMPDIR/err" ||
	fail "close: exit $?: $(cat "$TMPDIR/err")"
[ "$(val "$out" errors)" = 0 ] && [ $(( $(served) - before )) -eq 200 ] ||
	fail "Connection: close: errors $(val "$out" errors), served $(( $(served) - before ))"

# 404s are errors, counted and explained; the run still succeeds.
out="$TMPDIR/404.csv"
"$B" http -n 50 -c 2 -o "$out" "$URL/missing" 2>"$TMPDIR/err" ||
	fail "404: exit $?"
[ "$(val "$out" errors)" = 50 ] || fail "404: errors $(val "$out" errors), expected 50"
grep -q '^bench http: run 0: 50 errors: non-2xx 50 (first: 404)$' "$TMPDIR/err" ||
	fail "404: stderr was $(cat "$TMPDIR/err")"

# --rate: 400 req/s over 2 s are 800 requests, minus in-flight ones.
out="$TMPDIR/rate.csv"
"$B" http -R 400 -c 4 -d 2s -o "$out" "$URL/" 2>"$TMPDIR/err" ||
	fail "--rate: exit $?"
awk -F, '$3 == "req_per_s" { exit !($4 >= 380 && $4 <= 401) }' "$out" ||
	fail "--rate 400: req_per_s $(val "$out" req_per_s)"

# --latency-unit us renames the metrics.
"$B" http -n 100 -c 1 --latency-unit us "$URL/" 2>/dev/null | grep -q ',p99.9_us,' ||
	fail "--latency-unit us: no p99.9_us row"

# A server taking 20 ms per request (python3), one connection.
if [ -n "$PY" ]; then
	SLOW=$((PORT + 1))
	"$PY" - "$SLOW" 2>/dev/null <<'EOF' &
import http.server, sys, time
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        time.sleep(0.02)
        if self.path == "/garbage":
            self.wfile.write(b"HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n")
        else:  # one write: no Nagle/delayed-ACK stall between two
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n")
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
EOF
	pids+=($!)
	if wait_port "$SLOW"; then
		out="$TMPDIR/closed.csv"
		"$B" http -c 1 -t 1 -d 2s -o "$out" "http://127.0.0.1:$SLOW/" 2>/dev/null
		awk -F, '$3 == "p50_ms" { exit !($4 >= 20 && $4 < 60) }' "$out" ||
			fail "closed loop on a 20 ms server: p50 $(val "$out" p50_ms) ms"
		# 100/s offered to a 50/s server for 2 s: the backlog grows to
		# ~100 requests, ~1 s, measured from the intended send times.
		out="$TMPDIR/open.csv"
		"$B" http -c 1 -t 1 -d 2s -R 100 -o "$out" "http://127.0.0.1:$SLOW/" 2>/dev/null
		awk -F, '$3 == "p99_ms" { exit !($4 > 400) }' "$out" ||
			fail "open loop at 2x capacity: p99 $(val "$out" p99_ms) ms, expected > 400"
		"$B" http -c 1 -t 1 -n 5 -o "$TMPDIR/garbage.csv" \
			"http://127.0.0.1:$SLOW/garbage" 2>"$TMPDIR/err"
		[ $? -eq 1 ] || fail "malformed responses only: expected exit 1"
		grep -q 'malformed 5 (first: malformed status line)' "$TMPDIR/err" &&
			grep -q '^bench http: no response completed in run 0$' "$TMPDIR/err" ||
			fail "malformed: stderr was $(cat "$TMPDIR/err")"
	else
		fail "the python3 test server did not start"
	fi
else
	partly_missing "python3 not found, latency and malformed-response checks skipped"
fi

# Nothing listening: exit 1 before any row, no -o file.
rm -f "$TMPDIR/down.csv"
"$B" http -n 10 -o "$TMPDIR/down.csv" "http://127.0.0.1:1/" 2>"$TMPDIR/err"
[ $? -eq 1 ] && [ ! -e "$TMPDIR/down.csv" ] &&
	[ "$(cat "$TMPDIR/err")" = "bench http: cannot connect to 'http://127.0.0.1:1/': Connection refused (is the server running?)" ] ||
	fail "unreachable server: $(cat "$TMPDIR/err")"

bench_usage http "no URL given (e.g. http://127.0.0.1:8080/)"
bench_usage http "unknown option '--bogus'" --bogus "$URL/"
bench_usage http "refusing to load '10.1.2.3': not a loopback address (use --allow-remote for a server you run)" http://10.1.2.3/
bench_usage http "refusing to load '2001:db8::1': not a loopback address (use --allow-remote for a server you run)" 'http://[2001:db8::1]:80/'
bench_usage http "host 'example.com' is not an IP address (bench is static and resolves only 'localhost'; write IPv6 in [])" http://example.com/
bench_usage http "URL 'https://127.0.0.1/': https is not supported (plain http only)" https://127.0.0.1/
bench_usage http "URL 'ftp://127.0.0.1/' must start with http://" ftp://127.0.0.1/
bench_usage http "URL 'http://127.0.0.1/a b' has a space or control character (percent-encode it)" 'http://127.0.0.1/a b'
bench_usage http "the URL's port '0' must be an integer from 1 to 65535" http://127.0.0.1:0/
bench_usage http "more than one URL ('$URL/', '$URL/x')" "$URL/" "$URL/x"
bench_usage http "-t 4 threads need at least 4 connections (-c)" -c 2 -t 4 "$URL/"
bench_usage http "-d '0s' must be a time from 1ms to 1 week (e.g. 10s, 500ms, 2m)" -d 0s "$URL/"
bench_usage http "-d '10parsecs' must be a time from 1ms to 1 week (e.g. 10s, 500ms, 2m)" -d 10parsecs "$URL/"
bench_usage http "-c '0' must be an integer from 1 to 100000" -c 0 "$URL/"
bench_usage http "--header 'NoColon' must look like 'Name: value'" -H NoColon "$URL/"
bench_usage http "--latency-unit 's' must be ms or us" --latency-unit s "$URL/"

# SIGINT mid-run: exit 130, whole runs of 7 rows, still loads.
out="$TMPDIR/int.csv"
interrupt "$out" 14 "$B" http --runs 1000 -d 300ms -c 2 -o "$out" "$URL/"
[ $(( ($(wc -l <"$out") - 1) % 7 )) -eq 0 ] || fail "SIGINT: rows are not whole runs of 7"

# The man page SYNOPSIS is the usage line of --help.
man_synopsis bench-http.1 "$B" http --help

finish
