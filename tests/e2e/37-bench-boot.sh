#!/usr/bin/env bash
# 2026-11-25: bench boot. Bad usage exits 2 with one message, the
# try line and no rows. With qemu and a kernel: two TCG boots of the
# campaign's image give per run first_output_ms, vmm_ms, guest_ms,
# total_ms, marker_ms, exit_ms in ms, with total_ms = vmm_ms + guest_ms =
# the time the /init line arrived, which lies between the first console
# byte and the marker, and the marker before the VMM's exit; the evidence
# line is passed to
# stderr; the CSV loads in analyze. A VMM that never prints the marker is
# killed at --timeout: exit 1, no row. SIGINT during the second boot
# exits 130 and keeps the first run's whole rows.
set -u
. "$TOP/tests/e2e/lib/common.sh"
B="$BIN/bench"

bench_usage boot "no VMM command: put it after '--'"
bench_usage boot "no VMM command: put it after '--'" --runs 2 --
bench_usage boot "unknown option '--frob'" --frob -- true
bench_usage boot "--marker must not be empty" --marker "" -- true
bench_help boot
grep -q '^usage: bench boot \[options\] -- VMM \[ARGS...\]' <<<"$help" || fail "usage line"
grep -q 'vmm_ms' <<<"$help" || fail "help text"

# A VMM that never prints the marker: killed at the timeout, exit 1.
"$B" boot --runs 1 --timeout 0.5 -o "$TMPDIR/t.csv" -- sleep 5 2>"$TMPDIR/err"
[ $? -eq 1 ] || fail "timeout: exit not 1"
grep -q "no '@@BENCH-END' within 0.5 s: VMM killed" "$TMPDIR/err" ||
	fail "timeout message: $(cat "$TMPDIR/err")"
[ "$(wc -l <"$TMPDIR/t.csv")" -eq 1 ] || fail "timeout: rows written"

# The man page's SYNOPSIS is the --help synopsis (git's t0450).
man_synopsis bench-boot.1 "$B" boot --help

if ! has_platform qemu-tcg; then
	echo "qemu-tcg cannot run here: the boot part is skipped"
	exit $((fails > 0 ? 1 : 77))
fi
"$BIN/campaign" image "$TMPDIR/img" >/dev/null || fail "campaign image"
vmm=(qemu-system-x86_64 -machine pc,accel=tcg -cpu max -m 256M -nodefaults
     -no-user-config -display none -serial stdio -no-reboot
     -kernel "$TMPDIR/img/vmlinux" -initrd "$TMPDIR/img/initramfs.cpio"
     -append "console=ttyS0 quiet loglevel=1 panic=-1")
out="$TMPDIR/b.csv"
"$B" boot --runs 2 --platform qemu-tcg -o "$out" -- "${vmm[@]}" 2>"$TMPDIR/err" ||
	fail "boot exited $?: $(cat "$TMPDIR/err")"
grep -q '^bench boot: guest: @@BENCH-EVIDENCE hypervisor=TCGTCGTCGTCG ' \
	"$TMPDIR/err" || fail "no evidence on stderr"
"$BIN/analyze" --format csv "$out" >/dev/null || fail "analyze cannot load it"
/usr/bin/python3 - "$out" <<'PY' || fail "boot rows"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
by = {}
for r in rows:
    assert r["unit"] == "ms" and r["better"] == "lower", r
    by.setdefault(int(r["run"]), {})[r["metric"]] = float(r["value"])
assert sorted(by) == [0, 1], by
for m in by.values():
    assert set(m) == {"first_output_ms", "vmm_ms", "guest_ms", "total_ms",
                      "marker_ms", "exit_ms"}, m
    init = m["vmm_ms"] + m["guest_ms"]
    assert abs(init - m["total_ms"]) < 1e-6 * init, m
    assert m["guest_ms"] > 0 and m["vmm_ms"] > 0, m
    assert m["first_output_ms"] <= init + 1 <= m["marker_ms"] + 1, m
    assert m["marker_ms"] <= m["exit_ms"] < 120000, m
PY

# SIGINT during the second boot: exit 130, the first run's rows kept.
out="$TMPDIR/i.csv"
"$B" boot --runs 3 -o "$out" -- "${vmm[@]}" 2>/dev/null &
pid=$!
for _ in $(seq 1 300); do
	[ "$(wc -l <"$out" 2>/dev/null || echo 0)" -ge 7 ] && break
	sleep 0.05
done
sleep 0.3
kill -INT $pid
wait $pid
[ $? -eq 130 ] || fail "SIGINT: exit not 130"
[ "$(tail -n +2 "$out" | wc -l)" -eq 6 ] || fail "SIGINT: expected the 6 rows of run 0"
awk -F, 'NF != 10 { exit 1 }' "$out" || fail "SIGINT: a partial row"
"$BIN/analyze" --format csv "$out" >/dev/null || fail "SIGINT: analyze cannot load it"
exit $((fails > 0))
