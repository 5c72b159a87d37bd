#!/usr/bin/env bash
# 2026-11-25: bench memfloor. Bad usage exits 2 with no rows. With
# a stand-in VMM (sh) that "boots" exactly when given at least 100 MiB, the
# bisection with --step 8M finds 104 (the smallest multiple of 8 >= 100,
# by hand) and counts its trials; one that never boots is exit 1; one that
# boots at --low reports --low with a warning. With qemu: a microvm TCG
# guest's floor at a 32 MiB step between 96 and 128 MiB is one of them,
# and its evidence line (TCG) is relayed to stderr once
# (lower than 96 is avoided: there the guest may hang silently until the
# timeout, seen at 64 MiB on this project's host).
set -u
. "$TOP/tests/e2e/lib/common.sh"
B="$BIN/bench"

bench_help memfloor
bench_usage memfloor "no VMM command: put it after '--'"
bench_usage memfloor "the VMM command has no {mem} placeholder (e.g. -m {mem})" -- qemu -m 1G
bench_usage memfloor "--low is above --high" --low 2G --high 1G -- vmm {mem}
bench_usage memfloor "--step '1536K' is not a whole number of MiB" --step 1536K -- vmm {mem}
bench_usage memfloor "--until-ci is not supported (a floor is not a mean)" --until-ci 5 -- vmm {mem}

out="$TMPDIR/f.csv"
"$B" memfloor --low 16M --high 512M --step 8M --repeats 2 -o "$out" -- \
	sh -c 'm=${1%M}; [ "$m" -ge 100 ] && echo "@@BENCH-END rc=0@@"' sh '{mem}' \
	2>"$TMPDIR/err" || fail "fake VMM: exit $?: $(cat "$TMPDIR/err")"
[ "$(awk -F, '$3 == "floor_mib" { print $4 "," $5 "," $7 }' "$out")" = \
	"104,MiB,lower" ] || fail "floor: $(cat "$out")"
trials=$(awk -F, '$3 == "trials" { print $4 }' "$out")
[ "$trials" -ge 8 ] && [ "$trials" -le 14 ] || fail "trials: $trials"
"$BIN/analyze" --format csv "$out" >/dev/null || fail "analyze cannot load it"

"$B" memfloor --high 64M --timeout 2 -o "$TMPDIR/n.csv" -- sh -c 'exit 0' sh '{mem}' \
	2>"$TMPDIR/err"
[ $? -eq 1 ] || fail "never boots: exit not 1"
grep -q "does not boot even with --high 64M" "$TMPDIR/err" || fail "never boots: message"
"$B" memfloor --low 32M --high 64M -o "$TMPDIR/l.csv" -- \
	sh -c 'echo @@BENCH-END' sh '{mem}' 2>"$TMPDIR/err" || fail "always boots: exit $?"
grep -q ',floor_mib,32,' "$TMPDIR/l.csv" && grep -q "boots at --low 32M" "$TMPDIR/err" ||
	fail "always boots: $(cat "$TMPDIR/l.csv" "$TMPDIR/err")"

# The man page's SYNOPSIS is the --help synopsis (git's t0450).
man_synopsis bench-memfloor.1 "$B" memfloor --help

if ! has_platform qemu-microvm-tcg; then
	echo "qemu-microvm-tcg cannot run here: the VM part is skipped"
	exit $((fails > 0 ? 1 : 77))
fi
"$BIN/campaign" image "$TMPDIR/img" >/dev/null || fail "campaign image"
khz=$(awk -F': ' '/^cpu MHz/ { printf "%.0f", $2 * 1000; exit }' /proc/cpuinfo)
"$B" memfloor --low 96M --high 128M --step 32M --repeats 1 --timeout 30 \
	-o "$TMPDIR/v.csv" -- qemu-system-x86_64 -machine microvm,accel=tcg \
	-cpu max -m '{mem}' -nodefaults -no-user-config -display none \
	-serial stdio -no-reboot -kernel "$TMPDIR/img/vmlinux" \
	-initrd "$TMPDIR/img/initramfs.cpio" \
	-append "console=ttyS0 quiet panic=-1 tsc_early_khz=${khz:-2000000}" \
	2>"$TMPDIR/err" || fail "microvm: exit $?: $(cat "$TMPDIR/err")"
grep -Eq ',memfloor,floor_mib,(96|128),MiB,' "$TMPDIR/v.csv" ||
	fail "microvm floor: $(cat "$TMPDIR/v.csv")"
[ "$(grep -c '^bench memfloor: guest: @@BENCH-EVIDENCE hypervisor=TCGTCGTCGTCG ' \
	"$TMPDIR/err")" -eq 1 ] || fail "the guest's evidence was not relayed once"
exit $((fails > 0))
