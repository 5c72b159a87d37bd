#!/bin/sh
# figures.sh: regenerate the figures of plots/ from datasets/ with
# bin/analyze --plot, each as SVG and PNG (the body of 'make figures').
#
#   scripts/figures.sh [OUTDIR]      (default: plots/ of the repository)
#
# Environment: ANALYZE (default bin/analyze of the repository).
# Every figure is drawn even when one fails; the exit status is 1 if any
# failed. The figures are byte-identical from one run to the next (no
# timestamps; fixed size and font), so a regenerated plots/ shows in git
# only when data, templates or analyze changed. plots/README.md describes
# each figure and gives its command line.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
ANALYZE=${ANALYZE:-$TOP/bin/analyze}
OUT=${1:-$TOP/plots}
D=$TOP/datasets
failed=0

if [ ! -x "$ANALYZE" ]; then
	echo "figures: $ANALYZE is missing (run 'make' first)" >&2
	exit 1
fi

# fig ARGS...: analyze --plot ARGS once per terminal, into OUT.
fig() {
	for term in svg png; do
		if ! "$ANALYZE" --plot --term "$term" --templates "$TOP/templates" \
			-o "$OUT" "$@" >/dev/null; then
			echo "figures: failed: analyze --plot --term $term $*" >&2
			failed=1
		fi
	done
}

# EuroSys'21 (Unikraft) artifact
fig --title "Unikraft boot time per VMM (EuroSys'21 fig. 10)" \
	"$D/eurosys21-fig10-boot.csv"
fig --title "Unikraft image size (EuroSys'21 fig. 8)" \
	"$D/eurosys21-fig08-imagesize.csv"
fig --title "Minimum memory to run (EuroSys'21 fig. 11)" \
	"$D/eurosys21-fig11-minmem.csv"
fig --title "NGINX boot time per allocator (EuroSys'21 fig. 14)" \
	"$D/eurosys21-fig14-alloc-boot.csv"
fig --title "NGINX throughput (EuroSys'21 fig. 13)" \
	"$D/eurosys21-fig13-nginx.csv"
fig --kind dist --title "Boot time of other systems, every boot (EuroSys'21)" \
	"$D/eurosys21-txt01-boot-others.csv"

# HermitCore on KVM, QEMU and Xen (blog post tables)
fig --title "HermitCore STREAM" "$D/hermitcore-stream.csv"
fig --title "HermitCore basic benchmark" "$D/hermitcore-syscall.csv"

# firebench: sha256sum of 1 GiB in QEMU microVM and Firecracker
fig --title "sha256sum of 1 GiB (firebench)" "$D/firebench-sha256sum.csv"

# Course answers: one figure per benchmark, and every ratio to native
fig "$D/course-measurements.csv"
fig --kind ratio --baseline native \
	--title "Course benchmarks relative to native" \
	"$D/course-measurements.csv"

exit $failed
