#!/usr/bin/env bash
# 2026-12-07: a platform that cannot run here says why and what
# to do, before anything runs: no KVM device, QEMU (or crun, runc,
# podman) not installed, namespaces not permitted, and campaign inside a
# chroot, where a container's mounts cannot be made private (the
# container once failed mid-run with "cannot enter ROOTFS: Invalid
# argument"). The way out that message gives (a mount namespace and
# pivot_root instead of chroot) is then shown to work.
set -u
. "$TOP/tests/e2e/lib/common.sh"
C="$BIN/campaign"
cd "$TMPDIR" || exit 1

# reason PLATFORM [ENV...]: the DETAIL column of `campaign platforms`.
reason() {
	local p=$1
	shift
	env "$@" "$C" platforms --no-probe | awk -v p="$p" '$1 == p {
		sub(/^[^ ]+ +[^ ]+ +[^ ]+ +unavailable +/, ""); print }'
}

# 1. No /dev/kvm.
want="no $TMPDIR/no-kvm: this machine offers no KVM (load kvm_intel or kvm_amd, enable VT-x/AMD-V in the firmware, or nested virtualization on the VM's host); run the TCG platforms (qemu-tcg, qemu-microvm-tcg) instead"
[ "$(reason qemu-kvm BENCH_KVM_DEVICE="$TMPDIR/no-kvm")" = "$want" ] ||
	fail "no KVM: '$(reason qemu-kvm BENCH_KVM_DEVICE="$TMPDIR/no-kvm")'"
write_campaign kvm.json kvm 1 60 '"qemu-kvm"' "$SMALL_SYSCALL"
BENCH_KVM_DEVICE="$TMPDIR/no-kvm" expect_exit 1 "run without KVM" "$C" run kvm.json -o kvm.csv
grep -qF "campaign: platform 'qemu-kvm' cannot run here: $want" "$STDERR" ||
	fail "run without KVM: $(cat "$STDERR")"
[ -e kvm.csv ] && fail "run without KVM wrote its CSV"

# 2. Programs not installed: each with the package that has them.
mkdir -p empty
for p in "qemu-tcg:qemu-system-x86_64:apt-get install qemu-system-x86" \
	 "runc:runc:apt-get install runc" "crun:crun:apt-get install crun" \
	 "podman:podman:apt-get install podman runc"; do
	IFS=: read -r plat prog pkg <<<"$p"
	[ "$(reason "$plat" PATH="$TMPDIR/empty")" = \
	  "not installed: '$prog' not found in PATH ($pkg)" ] ||
		fail "$plat without $prog: '$(reason "$plat" PATH="$TMPDIR/empty")'"
done

if [ "$(id -u)" != 0 ]; then
	finish "note: not root: the namespace and chroot cases need root"
fi

# 3. Namespaces not permitted (root without CAP_SYS_ADMIN, as in an
# unprivileged container).
if command -v setpriv >/dev/null; then
	want="namespaces are not permitted here (unshare: Operation not permitted): run campaign as root on the host, or in a container allowed to create them (CAP_SYS_ADMIN, e.g. docker run --privileged)"
	got=$(setpriv --bounding-set=-sys_admin "$C" platforms --no-probe |
		awk '$1 == "container" { sub(/^[^ ]+ +[^ ]+ +[^ ]+ +unavailable +/, ""); print }')
	[ "$got" = "$want" ] || fail "no namespaces: '$got'"
	write_campaign ns.json ns 1 60 '"container"' "$SMALL_SYSCALL"
	expect_exit 1 "container without namespaces" \
		setpriv --bounding-set=-sys_admin "$C" run ns.json -o ns.csv
	grep -qF "cannot run here: $want" "$STDERR" || fail "run: $(cat "$STDERR")"
fi

# 4. Inside a chroot: a root of bind mounts (the system's /usr and /etc,
# this checkout, TMPDIR) that is not itself a mount point.
R="$TMPDIR/root"
mkdir -p "$R"/{usr,etc,proc,dev,tmp} "$R$TOP" "$R$BIN" "$R$TMPDIR"
for l in bin lib lib64 sbin; do ln -s "usr/$l" "$R/$l"; done
binds="mount --bind /usr $R/usr && mount --bind /etc $R/etc &&
	mount --bind /dev $R/dev && mount -t proc proc $R/proc &&
	mount --bind $TOP $R$TOP && mount --bind $BIN $R$BIN &&
	mount --bind $TMPDIR $R$TMPDIR"
write_campaign ct.json ct 1 60 '"container"' "$SMALL_SYSCALL"
unshare --mount --propagation private sh -c "$binds &&
	exec chroot $R env TMPDIR=$TMPDIR $C run $TMPDIR/ct.json -o $TMPDIR/ct.csv" \
	</dev/null >"$STDOUT" 2>"$STDERR"
status=$?
[ "$status" = 1 ] || fail "container in a chroot: exit $status: $(cat "$STDERR")"
grep -qF "campaign: platform 'container' cannot run here: '/' is not a mount point (campaign runs inside a chroot?), so a container cannot keep its mounts private and pivot_root(2) is refused: enter the root with a mount namespace and pivot_root instead (unshare --mount; mount --rbind ROOT ROOT; pivot_root), or run campaign outside it" "$STDERR" ||
	fail "container in a chroot: $(cat "$STDERR")"
[ -e ct.csv ] && fail "the chroot run wrote its CSV"
# The way out: the same root entered with pivot_root. Its old root is
# detached, so the container's units run entirely inside it.
unshare --mount --propagation private sh -c "$binds &&
	mount --rbind $R $R && cd $R && mkdir -p old && pivot_root . old &&
	umount -l /old && exec env TMPDIR=$TMPDIR $C run $TMPDIR/ct.json -o $TMPDIR/ct.csv" \
	</dev/null >"$STDOUT" 2>"$STDERR" ||
	fail "container after pivot_root: $(cat "$STDERR")"
[ "$(awk -F, '$1 == "container" && $12 == "r0:b0:container"' ct.csv | wc -l)" -gt 0 ] ||
	fail "no container rows after pivot_root"
finish
