#!/usr/bin/env bash
# 2026-12-07: the OCI platforms (runc, crun, podman: Debian 12's
# 1.1.5, 1.8.1 and 4.3.1, run as docs/platforms.md says they must be on
# these hosts) run a campaign like the built-in container: per platform
# and repetition the syscall job's eight rows and a bench time unit (which
# needs the container's /dev/null), accel=none, bench guest as PID 1 of
# the container, the platform order rotated. A platform that cannot run
# here is named with its reason; the script skips only when none can.
set -u
. "$TOP/tests/e2e/lib/common.sh"
C="$BIN/campaign"
cd "$TMPDIR" || exit 1
plats=()
for p in runc crun podman; do
	if has_platform "$p" --no-probe; then
		plats+=("$p")
	else
		echo "note: $p cannot run here: $("$C" platforms --no-probe |
			awk -v p="$p" '$1 == p { sub(/^[^ ]+ +[^ ]+ +[^ ]+ +unavailable +/, ""); print }')"
	fi
done
[ ${#plats[@]} -gt 0 ] || { echo "no OCI runtime can run here (runc, crun, podman)"; exit 77; }
list=$(printf '"%s", ' "${plats[@]}")
write_campaign oci.json oci 2 300 "${list%, }" \
	"$SMALL_SYSCALL, { \"name\": \"time\", \"config\": \"true\", \"with\": [\"true\"],
	   \"args\": [\"--warmup\", \"0\", \"--\", \"$(type -P true)\"] }"
"$C" run oci.json -o oci.csv 2>run.err || fail "run: $(cat run.err)"
for p in "${plats[@]}"; do
	for r in 0 1; do
		n=$(awk -F, -v p="$p" -v r="$r" '$1 == p && $2 == "syscall" &&
			$11 == "none" && $12 == "r" r ":b0:" p' oci.csv | wc -l)
		[ "$n" -eq 8 ] || fail "$p rep $r: $n syscall rows, expected 8"
		n=$(awk -F, -v p="$p" -v r="$r" '$1 == p && $2 == "time:true" &&
			$12 == "r" r ":b1:" p' oci.csv | wc -l)
		[ "$n" -ge 1 ] || fail "$p rep $r: no bench time rows"
	done
done
"$A" --format csv oci.csv >/dev/null || fail "analyze cannot load it"
"$PY" - oci.meta.json "${plats[@]}" <<'PY' || fail "meta"
import json, sys
m = json.load(open(sys.argv[1]))
plats = sys.argv[2:]
runs = m["runs"]
assert all(r["status"] == "ok" for r in runs), [(r["job"], r.get("reason")) for r in runs if r["status"] != "ok"]
assert all(r["evidence"]["guest_pid"] == 1 for r in runs), [r["evidence"]["guest_pid"] for r in runs]
order = [r["platform"] for r in runs if r["benchmark"] == "syscall"]
n = len(plats)
assert order == plats + plats[1:] + plats[:1], order
PY
finish
