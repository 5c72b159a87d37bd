#!/usr/bin/env bash
# 2026-11-25: --with and served benchmarks. 'campaign image --with
# nginx' puts nginx, its loader, its libraries and the guest network's
# modules (dependencies first, as modules.dep says) into the initramfs.
# A campaign serving nginx on native and qemu-tcg (and the container when
# root) returns bench http's eight rows per platform with req_per_s > 0
# and errors == 0, and the guest really served them: the launcher's own
# GET returned the 612-byte page the server was given, nginx's stub_status
# counted exactly the N requests plus the launcher's two, and the guest's
# eth0 sent at least N pages through QEMU user networking forwarded to
# 127.0.0.1 (restrict=on). bench serve's usage and start-up errors, and
# its man page's synopsis.
set -u
. "$TOP/tests/e2e/lib/common.sh"
C="$BIN/campaign"
B="$BIN/bench"
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
	missing "nginx is not installed (apt-get install nginx-light)"
fi
require_platform qemu-tcg --no-probe

# bench serve on its own: bad usage is 2, a server that cannot start is 1.
"$B" serve --port 0 -- /bin/true >/dev/null 2>&1
[ $? -eq 2 ] || fail "bench serve --port 0: exit not 2"
"$B" serve --port 9 >/dev/null 2>&1
[ $? -eq 2 ] || fail "bench serve without a program: exit not 2"
"$B" serve --port 9 --ready-timeout 5 -- /nonexistent/server \
	</dev/null >/dev/null 2>"$TMPDIR/err"
[ $? -eq 1 ] && grep -q "exited with status 127 before port 9" \
	"$TMPDIR/err" || fail "missing server: $(cat "$TMPDIR/err")"

# bench-serve(1)'s SYNOPSIS is the --help synopsis (git's t0450).
man_synopsis bench-serve.1 "$B" serve --help

# The image: nginx, loader, libraries, modules in load order.
"$C" image --with nginx "$TMPDIR/img" >/dev/null 2>"$TMPDIR/err" ||
	fail "image --with nginx: $(cat "$TMPDIR/err")"
/usr/bin/python3 - "$TMPDIR/img/initramfs.cpio" <<'PY' || fail "image contents"
import sys
data = open(sys.argv[1], "rb").read()
names, files, off = [], {}, 0
while True:	# newc: 110-byte header, name, pad to 4, data, pad to 4
    h = data[off:off + 110]
    assert h[:6] == b"070701", h[:6]
    size, nlen = int(h[54:62], 16), int(h[94:102], 16)
    name = data[off + 110:off + 110 + nlen - 1].decode()
    off = (off + 110 + nlen + 3) & ~3
    if name == "TRAILER!!!":
        break
    names.append(name)
    files[name] = data[off:off + size]
    off = (off + size + 3) & ~3
for want in ["init", "usr/sbin/nginx", "lib64/ld-linux-x86-64.so.2",
             "lib/x86_64-linux-gnu/libc.so.6",
             "lib/x86_64-linux-gnu/libpcre2-8.so.0", "etc/bench/modules"]:
    assert want in names, (want, names)
for n in names:	# every parent directory comes before its children
    parent = n.rsplit("/", 1)[0]
    assert "/" not in n or names.index(parent) < names.index(n), n
mods = [m.rsplit("/", 1)[1] for m in
        files["etc/bench/modules"].decode().split()]
for a, b in [("virtio_ring.ko", "virtio.ko"), ("failover.ko", "net_failover.ko"),
             ("net_failover.ko", "virtio_net.ko"), ("virtio.ko", "virtio_pci.ko"),
             ("virtio.ko", "virtio_net.ko")]:
    assert mods.index(a) < mods.index(b), mods
for m in files["etc/bench/modules"].decode().split():
    assert files[m.lstrip("/")][:4] == b"\x7fELF", m
PY

write_campaign "$TMPDIR/c.json" nginx-smoke 1 90 \
	"$(local_platforms '"qemu-tcg"')" \
	'{ "name": "http", "serve": "nginx", "config": "n=300",
	   "args": ["-n", "300", "-c", "2", "-t", "1"] }'
out="$TMPDIR/c.csv"
"$C" run "$TMPDIR/c.json" -o "$out" 2>"$TMPDIR/err" ||
	fail "run exited $?: $(cat "$TMPDIR/err")"
for p in native qemu-tcg $([ "$(id -u)" = 0 ] && echo container); do
	n=$(awk -F, -v p=$p '$1 == p && $2 == "http" && $8 == "n=300"' "$out" |
		wc -l)
	[ "$n" -eq 8 ] || fail "$p: $n rows, expected 8"
	awk -F, -v p=$p '$1 == p && $3 == "req_per_s" && $4 > 0' "$out" |
		grep -q . || fail "$p: no req_per_s > 0"
	awk -F, -v p=$p '$1 == p && $3 == "errors" && $4 == 0' "$out" |
		grep -q . || fail "$p: errors not 0"
done
awk -F, '$1 == "qemu-tcg" && NR > 1 && $11 != "tcg"' "$out" | grep -q . &&
	fail "a qemu-tcg row without accel=tcg"
"$BIN/analyze" --format csv "$out" >/dev/null || fail "analyze cannot load it"
/usr/bin/python3 - "$TMPDIR/c.meta.json" <<'PY' || fail "meta evidence"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["runs"], m
for r in m["runs"]:
    s = r["evidence"]["serve"]
    assert r["status"] == "ok", r
    assert s["server"] == "nginx" and s["check_status"] == 200, s
    assert s["check_body_bytes"] == 612, s
    # stub_status counts the 300 requests, the launcher's GET of the
    # page and the status request itself: exactly 302.
    assert s["server_requests"] == 302, s
    g = s["served"]
    assert g["stopped_by"] == "input" and g["status"] == 0, g
    cmd = " ".join(r["command"])
    if r["platform"] == "qemu-tcg":
        assert g["iface"] == "eth0" and g["tx_bytes"] >= 300 * 612, g
        assert s["server_port"] == 8080 and s["port"] != 8080, s
        assert ("hostfwd=tcp:127.0.0.1:%d-:8080" % s["port"]) in cmd, cmd
        assert "restrict=on" in cmd and "kvm:tcg" not in cmd, cmd
        assert "bench.job=serve,--modules," in cmd, cmd
        assert r["evidence"]["cpuid_hypervisor"] == "TCGTCGTCGTCG", r
    elif r["platform"] == "container":
        assert g["iface"] == "lo" and g["tx_bytes"] >= 300 * 612, g
    else:
        assert g["iface"] == "-" and s["port"] == s["server_port"], s
PY

# An unknown server is bad input.
sed 's/"serve": "nginx"/"serve": "nope"/' "$TMPDIR/c.json" >"$TMPDIR/bad.json"
"$C" run "$TMPDIR/bad.json" -o "$TMPDIR/bad.csv" >/dev/null 2>"$TMPDIR/err"
[ $? -eq 2 ] && grep -q "no server 'nope'" "$TMPDIR/err" ||
	fail "unknown server: $(cat "$TMPDIR/err")"
exit $((fails > 0))
