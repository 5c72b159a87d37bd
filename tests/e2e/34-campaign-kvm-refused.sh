#!/usr/bin/env bash
# 2026-11-25: a run that asks for KVM on a machine without it
# fails clearly instead of falling back to TCG (the source documents'
# blunder). Simulated with BENCH_KVM_DEVICE pointing at a missing device:
# the campaign stops before running anything (exit 1, the exact reason,
# no CSV); with --skip-unavailable the other platforms run and the meta
# notes the skipped one. And a definition that asks for KVM but whose
# command silently gets TCG (what -accel kvm:tcg does without KVM) is
# caught by the evidence of the launcher's probe boot: exit 1, the QMP
# answer quoted, no CSV (this part needs a /dev/kvm that passes the device
# probe, and qemu).
set -u
. "$TOP/tests/e2e/lib/common.sh"
C="$BIN/campaign"
export BENCH_KVM_DEVICE=/nonexistent/kvm

write_campaign "$TMPDIR/c.json" kvm-refused 1 30 '"native", "qemu-kvm"' \
	"$SMALL_SYSCALL"
"$C" run "$TMPDIR/c.json" -o "$TMPDIR/c.csv" >/dev/null 2>"$TMPDIR/err"
[ $? -eq 1 ] || fail "exit $? (expected 1)"
grep -q "^campaign: platform 'qemu-kvm' cannot run here: no /nonexistent/kvm: this machine offers no KVM" \
	"$TMPDIR/err" || fail "no exact reason: $(cat "$TMPDIR/err")"
grep -q "never falls back to TCG" "$TMPDIR/err" || fail "no fallback note"
[ ! -e "$TMPDIR/c.csv" ] || fail "a CSV was written"

"$C" run --skip-unavailable "$TMPDIR/c.json" -o "$TMPDIR/c.csv" \
	>/dev/null 2>"$TMPDIR/err" || fail "--skip-unavailable exited $?"
[ "$(cut -d, -f1 "$TMPDIR/c.csv" | sort -u | tr '\n' ' ')" = "native platform " ] ||
	fail "platforms in the CSV: $(cut -d, -f1 "$TMPDIR/c.csv" | sort -u)"
/usr/bin/python3 - "$TMPDIR/c.meta.json" <<'PY' || fail "meta does not note the skip"
import json, sys
m = json.load(open(sys.argv[1]))
k = m["platforms"]["qemu-kvm"]
assert k["available"] is False and k["note"].startswith("skipped"), k
assert "/nonexistent/kvm" in k["check"], k
assert {r["platform"] for r in m["runs"]} == {"native"}
PY

unset BENCH_KVM_DEVICE
if has_platform qemu-kvm --no-probe && has_platform qemu-tcg; then
	mkdir -p "$TMPDIR/defs"
	sed -e 's/"name": "qemu-tcg"/"name": "sneaky-kvm"/' \
	    -e 's/"accel": "tcg"/"accel": "kvm"/' \
		runners/platforms/qemu-tcg.json >"$TMPDIR/defs/sneaky.json"
	sed 's/"qemu-kvm"/"sneaky-kvm"/; s/"native", //' "$TMPDIR/c.json" \
		>"$TMPDIR/s.json"
	"$C" run --platforms-dir "$TMPDIR/defs" "$TMPDIR/s.json" \
		-o "$TMPDIR/s.csv" >/dev/null 2>"$TMPDIR/err"
	[ $? -eq 1 ] || fail "sneaky: exit $? (expected 1)"
	grep -q "^campaign: platform 'sneaky-kvm' cannot run here: .* ran without KVM: asked for kvm but QMP query-kvm says enabled=false" \
		"$TMPDIR/err" || fail "sneaky: $(head -n 3 "$TMPDIR/err")"
	[ ! -e "$TMPDIR/s.csv" ] || fail "sneaky: a CSV was written"
else
	echo "note: no usable KVM or qemu: the accel-mismatch part did not run"
fi
exit $((fails > 0))
