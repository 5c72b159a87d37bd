#!/bin/sh
# Install the Debian packages named on the command line that are missing.
#
#   scripts/deps.sh PACKAGE...
#
# Nothing missing: exit 0 quietly. As root: one 'apt-get update', then one
# 'apt-get install' of only the missing packages (waiting up to
# DEPS_LOCK_TIMEOUT seconds, default 900, for another dpkg/apt to release
# its lock), then a list of every package that was installed, the pulled-in
# dependencies included. As a normal user: print the one command that
# installs them and exit 1, so that 'make check' stops before building.
set -u
timeout=${DEPS_LOCK_TIMEOUT:-900}

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps: no dpkg-query: this is not a Debian system; install the" \
	     "equivalents of these Debian 12 packages by hand: $*" >&2
	exit 1
fi

installed() {	# every installed package, one a line, sorted
	dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' 2>/dev/null |
		sed -n 's/^ii *//p' | sort -u
}

missing=""
for pkg in "$@"; do
	case " $missing " in *" $pkg "*) continue ;; esac
	status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null)
	case "$status" in
	ii*) ;;
	*) missing="$missing $pkg" ;;
	esac
done
[ -z "$missing" ] && exit 0

cmd="apt-get update && apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: install them as root, then run make again:" >&2
	echo "    $cmd" >&2
	exit 1
fi

echo "deps: installing:$missing"
t0=$(date +%s)
before=$(mktemp) || exit 1
trap 'rm -f "$before"' EXIT
installed >"$before"
export DEBIAN_FRONTEND=noninteractive
lock="-o DPkg::Lock::Timeout=$timeout -o Dpkg::Use-Pty=0"
# shellcheck disable=SC2086
apt-get $lock update -qq || { echo "deps: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086
if ! apt-get $lock install -y -qq --no-install-recommends $missing; then
	echo "deps: apt-get install failed; the command was:" >&2
	echo "    $cmd" >&2
	exit 1
fi
still=""
for pkg in $missing; do
	dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null | grep -q '^ii' ||
		still="$still $pkg"
done
if [ -n "$still" ]; then
	echo "deps: still not installed after apt-get install:$still" >&2
	exit 1
fi
new=$(installed | comm -13 "$before" -)
echo "deps: installed $(printf '%s\n' "$new" | grep -c .) packages" \
     "($(echo $missing | wc -w) asked for) in $(($(date +%s) - t0)) s:"
printf '%s\n' "$new" | paste -sd' ' | fold -s -w 76 | sed 's/^/    /'
