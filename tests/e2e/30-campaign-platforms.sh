#!/usr/bin/env bash
# 2026-11-25: campaign platforms and the command line. Every
# shipped definition is listed; native, container and (with qemu and a
# kernel) qemu-tcg and qemu-microvm-tcg are available; with the KVM device
# pointed at a missing path the KVM platforms are unavailable with that
# exact reason; firecracker and cloud-hypervisor say "not installed" when
# absent; a malformed definition is "FILE:LINE: message" and exit 2; bad
# usage is one message, the try line and exit 2; the man page SYNOPSIS
# matches --help.
set -u
. "$TOP/tests/e2e/lib/common.sh"
C="$BIN/campaign"

help=$("$C" --help) || fail "--help exited non-zero"
grep -q '^usage: campaign platforms' <<<"$help" || fail "--help lacks usage"
grep -q '^Exit status:' <<<"$help" || fail "--help lacks the exit status"

out=$(BENCH_KVM_DEVICE=/nonexistent/kvm "$C" platforms) ||
	fail "platforms exited $?"
for f in runners/platforms/*.json; do
	name=$(sed -n 's/^ *"name": *"\([^"]*\)".*/\1/p' "$f")
	grep -q "^$name " <<<"$out" || fail "platform $name ($f) not listed"
done
status_of() { awk -v p="$1" '$1 == p { print $4 }' <<<"$out"; }
[ "$(status_of native)" = available ] || fail "native not available"
if [ "$(id -u)" = 0 ]; then
	[ "$(status_of container)" = available ] || fail "container not available"
fi
if command -v qemu-system-x86_64 >/dev/null && ls /boot/vmlinuz-* >/dev/null 2>&1; then
	[ "$(status_of qemu-tcg)" = available ] || fail "qemu-tcg not available"
	[ "$(status_of qemu-microvm-tcg)" = available ] ||
		fail "qemu-microvm-tcg not available"
fi
for p in qemu-kvm qemu-microvm; do
	line=$(grep "^$p " <<<"$out")
	[ "$(status_of $p)" = unavailable ] || fail "$p available without KVM"
	grep -q 'no /nonexistent/kvm: this machine offers no KVM (load kvm_intel or kvm_amd' <<<"$line" ||
		fail "$p: reason not exact: $line"
done
# With the real device: KVM platforms are available only after a probe
# boot showed KVM, or unavailable with the reason.
real=$("$C" platforms) || fail "platforms exited $?"
for p in qemu-kvm qemu-microvm; do
	line=$(grep "^$p " <<<"$real")
	case "$line" in
	*" available "*"works: a probe boot showed KVM (QMP and CPUID)") ;;
	*" unavailable "*"cannot open "*|*" unavailable "*"KVM_CREATE_VM"*) ;;
	*" unavailable "*"passes the KVM probe, but "*) ;;
	*) fail "$p: $line" ;;
	esac
done
for p in firecracker cloud-hypervisor; do
	if ! command -v $p >/dev/null; then
		grep -q "^$p .*not installed: '$p' not found in PATH" <<<"$out" ||
			fail "$p: no 'not installed' reason"
	fi
done

# A malformed definition: FILE:LINE: message, exit 2.
mkdir -p "$TMPDIR/defs"
printf '{\n  "name": "x",\n  "kind": "vm"\n  "command": []\n}\n' \
	>"$TMPDIR/defs/bad.json"
"$C" platforms --platforms-dir "$TMPDIR/defs" >/dev/null 2>"$TMPDIR/err"
[ $? -eq 2 ] || fail "malformed definition: exit not 2"
grep -q "^$TMPDIR/defs/bad.json:4: " "$TMPDIR/err" ||
	fail "malformed definition: no FILE:LINE: $(cat "$TMPDIR/err")"
printf '{ "name": "x", "kind": "rocket", "command": ["true"] }\n' \
	>"$TMPDIR/defs/bad.json"
"$C" platforms --platforms-dir "$TMPDIR/defs" >/dev/null 2>"$TMPDIR/err"
[ $? -eq 2 ] && [ "$(cat "$TMPDIR/err")" = \
	"$TMPDIR/defs/bad.json:1: 'kind' is 'rocket': it must be exec, namespaces, oci or vm" ] ||
	fail "bad kind: $(cat "$TMPDIR/err")"

# Usage errors.
"$C" frobnicate >/dev/null 2>"$TMPDIR/err"
[ $? -eq 2 ] && [ "$(cat "$TMPDIR/err")" = "campaign: unknown command 'frobnicate' (platforms, run, submit, collect or image)
try 'campaign --help'" ] || fail "unknown command: $(cat "$TMPDIR/err")"
"$C" --versoin >/dev/null 2>"$TMPDIR/err"
[ $? -eq 2 ] && [ "$(cat "$TMPDIR/err")" = "campaign: unknown option '--versoin' (did you mean '--version'?)
try 'campaign --help'" ] || fail "misspelled --version: $(cat "$TMPDIR/err")"
"$C" -q run x.json >/dev/null 2>"$TMPDIR/err"
[ $? -eq 2 ] && [ "$(cat "$TMPDIR/err")" = "campaign: unknown option '-q' (before the command only --help and --version; the command's options follow it)
try 'campaign --help'" ] || fail "option before the command: $(cat "$TMPDIR/err")"
"$C" sumbit x.json >/dev/null 2>"$TMPDIR/err"
[ $? -eq 2 ] && [ "$(cat "$TMPDIR/err")" = "campaign: unknown command 'sumbit' (did you mean 'submit'?)
try 'campaign --help'" ] || fail "misspelled command: $(cat "$TMPDIR/err")"
"$C" run --dryrun x.json >/dev/null 2>"$TMPDIR/err"
[ $? -eq 2 ] && [ "$(cat "$TMPDIR/err")" = "campaign: unknown option '--dryrun' (did you mean '--dry-run'?)
try 'campaign --help'" ] || fail "misspelled option: $(cat "$TMPDIR/err")"
"$C" run --partition batch x.json >/dev/null 2>"$TMPDIR/err"
[ $? -eq 2 ] && [ "$(cat "$TMPDIR/err")" = "campaign: option '--partition' is not one of 'run' (it is for 'campaign submit')
try 'campaign --help'" ] || fail "submit option to run: $(cat "$TMPDIR/err")"
"$C" platforms --no-prob >/dev/null 2>"$TMPDIR/err"
[ $? -eq 2 ] && [ "$(cat "$TMPDIR/err")" = "campaign: unknown option '--no-prob' (did you mean '--no-probe'?)
try 'campaign --help'" ] || fail "platforms option: $(cat "$TMPDIR/err")"
"$C" run >/dev/null 2>"$TMPDIR/err"
[ $? -eq 2 ] || fail "run without a file: exit not 2"
"$C" run --timeout -3 x.json >/dev/null 2>"$TMPDIR/err"
[ $? -eq 2 ] && grep -q "^campaign: --timeout '-3' is not a number" "$TMPDIR/err" ||
	fail "bad --timeout: $(cat "$TMPDIR/err")"
"$C" run --resume --force x.json >/dev/null 2>&1
[ $? -eq 2 ] || fail "--resume --force: exit not 2"
# The man page's SYNOPSIS is the --help synopsis (git's t0450).
man_synopsis campaign.1 "$C" --help
exit $((fails > 0))
