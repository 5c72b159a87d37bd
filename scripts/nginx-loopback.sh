# nginx-loopback.sh: a throwaway nginx (Debian's nginx-light) on a free
# port of 127.0.0.1, for the tests and for make bench-runners. Sourced:
#
#   . "$TOP/scripts/nginx-loopback.sh"
#   nginx_start DIR || echo "did not start"     # sets PORT and NGINX_PID
#   ...
#   nginx_stop
#
# DIR holds the generated nginx.conf, html/ (index.html is "hello\n"),
# tmp/, error.log and start.log; callers may add files to DIR/html first.
# Optional settings, read by nginx_start:
#   NGINX_ACCESS_LOG   access_log target (default: off)
#   NGINX_CONNECTIONS  worker_connections (default: 4096)
#   NGINX_KEEPALIVE    keepalive_requests (default: 100000000)
#   NGINX_HTTP_EXTRA   lines added inside http { }
#   NGINX_SERVER_EXTRA lines added inside server { }
# The port is a pseudo-random one in 20000..59999, retried up to 8 times
# when taken; nginx runs in the foreground (no daemon, one process), so
# NGINX_PID is the process to stop.

NGINX_PID=""

nginx_start() {
	local d=$1 nginx try
	nginx=$(command -v nginx || echo /usr/sbin/nginx)
	[ -x "$nginx" ] || return 1
	mkdir -p "$d/html" "$d/tmp"
	printf 'hello\n' >"$d/html/index.html"
	for try in 1 2 3 4 5 6 7 8; do
		PORT=$((20000 + (RANDOM * 7 + $$ + try * 997) % 40000))
		cat >"$d/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
error_log $d/error.log warn;
pid $d/nginx.pid;
events { worker_connections ${NGINX_CONNECTIONS:-4096}; }
http {
	access_log ${NGINX_ACCESS_LOG:-off};
	client_body_temp_path $d/tmp;
	proxy_temp_path $d/tmp;
	fastcgi_temp_path $d/tmp;
	uwsgi_temp_path $d/tmp;
	scgi_temp_path $d/tmp;
	keepalive_requests ${NGINX_KEEPALIVE:-100000000};
${NGINX_HTTP_EXTRA:-}
	server {
		listen 127.0.0.1:$PORT;
		root $d/html;
${NGINX_SERVER_EXTRA:-}
	}
}
CONF
		"$nginx" -e "$d/error.log" -p "$d" -c "$d/nginx.conf" \
			2>>"$d/start.log" &
		NGINX_PID=$!
		if nginx_wait_port "$PORT" && kill -0 "$NGINX_PID" 2>/dev/null; then
			return 0
		fi
		nginx_stop
	done
	return 1
}

# nginx_wait_port PORT: until something accepts on 127.0.0.1:PORT (5 s).
nginx_wait_port() {
	local i
	for i in $(seq 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

nginx_stop() {
	[ -n "$NGINX_PID" ] || return 0
	kill "$NGINX_PID" 2>/dev/null
	wait "$NGINX_PID" 2>/dev/null
	NGINX_PID=""
}
