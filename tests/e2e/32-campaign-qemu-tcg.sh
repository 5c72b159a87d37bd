#!/usr/bin/env bash
# 2026-11-25: a qemu-tcg smoke run. One small syscall job in a TCG
# guest (bench as /init of an initramfs built by the launcher) returns its
# eight rows with accel=tcg; the meta's evidence for the run says what
# QEMU and the guest saw: QMP query-kvm enabled=false and the CPUID
# signature TCGTCGTCGTCG, a canary and the guest's boot time; the exact
# QEMU command line is recorded and never uses -accel kvm:tcg.
set -u
. "$TOP/tests/e2e/lib/common.sh"
C="$BIN/campaign"
require_platform qemu-tcg

write_campaign "$TMPDIR/c.json" tcg-smoke 1 90 '"qemu-tcg"' "$SMALL_SYSCALL"
out="$TMPDIR/c.csv"
"$C" run "$TMPDIR/c.json" -o "$out" 2>"$TMPDIR/err" ||
	fail "run exited $?: $(cat "$TMPDIR/err")"
n=$(awk -F, '$1 == "qemu-tcg" && $2 == "syscall" && $6 == 0 &&
	$11 == "tcg" && $12 == "r0:b0:qemu-tcg"' "$out" | wc -l)
[ "$n" -eq 8 ] || fail "expected 8 qemu-tcg rows with accel=tcg, got $n"
"$BIN/analyze" --format csv "$out" >/dev/null || fail "analyze cannot load it"
/usr/bin/python3 - "$TMPDIR/c.meta.json" <<'PY' || fail "meta evidence"
import json, sys
m = json.load(open(sys.argv[1]))
r = m["runs"][0]
e = r["evidence"]
assert r["status"] == "ok" and r["accel"] == "tcg", r
assert e["qmp_query_kvm"]["enabled"] is False, e
assert e["cpuid_hypervisor"] == "TCGTCGTCGTCG", e
assert e["canary_ns"] > 0 and e["guest_boottime_ms"] > 0, e
assert e["guest_pid"] == 1, e
cmd = " ".join(r["command"])
assert "accel=tcg" in cmd and "kvm:tcg" not in cmd, cmd
assert "bench.job=syscall," in cmd, cmd
assert m["host"]["qemu_version"].startswith("QEMU emulator"), m["host"]
PY
exit $((fails > 0))
