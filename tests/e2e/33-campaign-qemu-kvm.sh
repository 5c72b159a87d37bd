#!/usr/bin/env bash
# 2026-11-25: a qemu-kvm smoke run, where KVM is usable. One small
# syscall job in a KVM guest returns rows with accel=kvm, backed by QMP
# query-kvm enabled=true and the CPUID signature KVMKVMKVM. Skips when
# 'campaign platforms' finds KVM unusable, and also when /dev/kvm passes
# that probe but QEMU cannot boot a Linux guest on it (seen on nested
# hosts: "KVM internal error", MSR assertions): the launcher's probe boot
# must then have refused the platform (exit 1, no CSV), never run it.
set -u
. "$TOP/tests/e2e/lib/common.sh"
C="$BIN/campaign"
require_platform qemu-kvm

write_campaign "$TMPDIR/c.json" kvm-smoke 1 45 '"qemu-kvm"' "$SMALL_SYSCALL"
out="$TMPDIR/c.csv"
"$C" run "$TMPDIR/c.json" -o "$out" 2>"$TMPDIR/err"
status=$?
if [ $status -ne 0 ] && grep -q "passes the KVM probe, but" "$TMPDIR/err"; then
	[ $status -eq 1 ] || fail "a refused KVM platform exited $status, not 1"
	[ ! -e "$out" ] || fail "a refused KVM platform left a CSV"
	[ $fails -eq 0 ] || exit 1
	echo "KVM passes the device probe but cannot boot a guest here:" \
		"$(grep -o 'probe boot (no job) failed: .*' "$TMPDIR/err" | head -n 1)"
	exit 77
fi
[ $status -eq 0 ] || fail "run exited $status: $(cat "$TMPDIR/err")"
n=$(awk -F, '$1 == "qemu-kvm" && $11 == "kvm"' "$out" | wc -l)
[ "$n" -eq 8 ] || fail "expected 8 rows with accel=kvm, got $n"
"$BIN/analyze" --format csv "$out" >/dev/null || fail "analyze cannot load it"
/usr/bin/python3 - "$TMPDIR/c.meta.json" <<'PY' || fail "meta evidence"
import json, sys
r = json.load(open(sys.argv[1]))["runs"][0]
e = r["evidence"]
assert r["status"] == "ok" and r["accel"] == "kvm", r
assert e["qmp_query_kvm"]["enabled"] is True, e
assert e["cpuid_hypervisor"] == "KVMKVMKVM", e
PY
exit $((fails > 0))
