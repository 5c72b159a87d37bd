#!/usr/bin/env bash
# 2026-11-25 issue 5: a qemu-kvm smoke run, where KVM is usable. One small
# syscall job in a KVM guest returns rows with accel=kvm, backed by QMP
# query-kvm enabled=true and the CPUID signature KVMKVMKVM. Skips when
# 'campaign platforms' finds KVM unusable, and also when /dev/kvm passes
# the launcher's probe but QEMU cannot boot a Linux guest on it (seen on
# nested hosts: "KVM internal error", MSR assertions): the run must then
# have failed before the guest's /init, never with rows from TCG.
set -u
cd "$TOP" || exit 1
C="$BIN/campaign"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
line=$("$C" platforms | grep '^qemu-kvm ')
case "$line" in
*" available "*) ;;
*) echo "qemu-kvm cannot run here: ${line#* unavailable }"; exit 77 ;;
esac

cat >"$TMPDIR/c.json" <<'JSON'
{ "name": "kvm-smoke", "repetitions": 1, "timeout_s": 45,
  "platforms": ["qemu-kvm"],
  "benchmarks": [ { "name": "syscall",
                    "args": ["--ops", "20", "--batches", "3", "--warmup", "0"] } ] }
JSON
out="$TMPDIR/c.csv"
"$C" run "$TMPDIR/c.json" -o "$out" 2>"$TMPDIR/err"
status=$?
verdict=$(/usr/bin/python3 - "$TMPDIR/c.meta.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
e = r["evidence"]
if r["status"] == "ok":
    assert r["accel"] == "kvm", r
    assert e["qmp_query_kvm"]["enabled"] is True, e
    assert e["cpuid_hypervisor"] == "KVMKVMKVM", e
    print("ok")
elif "guest_boottime_ms" not in e and r["rows"] == 0:
    tail = [l for l in r.get("console_tail", "").splitlines() if l.strip()]
    print("skip " + (tail[-1] if tail else r.get("reason", "")))
else:
    print("bad " + json.dumps(r)[:600])
PY
) || fail "meta unreadable"
case "$verdict" in
ok)
	[ $status -eq 0 ] || fail "exit $status with an ok run"
	n=$(awk -F, '$1 == "qemu-kvm" && $11 == "kvm"' "$out" | wc -l)
	[ "$n" -eq 8 ] || fail "expected 8 rows with accel=kvm, got $n"
	"$BIN/analyze" --format csv "$out" >/dev/null || fail "analyze cannot load it" ;;
skip*)
	[ $status -eq 1 ] || fail "a failed KVM run exited $status, not 1"
	[ "$(wc -l <"$out")" -eq 1 ] || fail "a failed KVM run left rows"
	[ $fails -eq 0 ] || exit 1
	echo "KVM passes the probe but QEMU cannot boot a guest here: ${verdict#skip }"
	exit 77 ;;
*) fail "$verdict" ;;
esac
exit $((fails > 0))
