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
# each figure and gives its command line; OUTDIR/index.html shows every
# figure with its dataset and command line (the gallery).
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

mkdir -p "$OUT" || exit 1
LIST=$(mktemp "${TMPDIR:-/tmp}/figures.XXXXXX") || exit 1
trap 'rm -f "$LIST" "$LIST.paths"' EXIT

# html TEXT: TEXT with &, <, > and " escaped for HTML.
html() {
	printf '%s' "$1" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g'
}

# shown ARGS...: the command line as plots/README.md gives it, from the
# repository root (paths under it relative, each argument quoted when
# it holds a space or a quote).
shown() {
	printf 'bin/analyze --plot'
	for a in "$@"; do
		a=${a#"$TOP/"}
		case "$a" in
		*[\ \'\"]*) printf ' "%s"' "$a" ;;
		*) printf ' %s' "$a" ;;
		esac
	done
}

# fig ARGS...: analyze --plot ARGS once per terminal, into OUT; each SVG
# written is listed for the gallery with its dataset and command line.
fig() {
	for term in svg png; do
		if ! "$ANALYZE" --plot --term "$term" --templates "$TOP/templates" \
			-o "$OUT" "$@" >"$LIST.paths"; then
			echo "figures: failed: analyze --plot --term $term $*" >&2
			failed=1
			continue
		fi
		[ "$term" = svg ] || continue
		while IFS= read -r p; do
			case "$p" in *.svg) ;; *) continue ;; esac
			for last in "$@"; do :; done
			printf '%s\t%s\t%s\n' "$(basename "$p" .svg)" \
				"${last#"$D/"}" "$(shown "$@")" >>"$LIST"
		done <"$LIST.paths"
	done
}

# gallery: OUT/index.html, every figure with its dataset and command.
gallery() {
	{
		printf '<!DOCTYPE html>\n<html lang="en">\n<head>\n'
		printf '<meta charset="utf-8">\n<title>bench-toolkit figures</title>\n'
		printf '<style>body{font-family:"DejaVu Sans",sans-serif;margin:1em}'
		printf 'figure{display:inline-block;vertical-align:top;margin:0 1em 2em 0}'
		printf 'figcaption{max-width:40em;font-size:90%%}'
		printf 'code{font-size:90%%}</style>\n</head>\n<body>\n'
		printf '<h1>Figures of <code>make figures</code></h1>\n'
		printf '<p>Regenerated from <code>datasets/</code> by '
		printf '<code>scripts/figures.sh</code>; each also as PNG. '
		printf 'See README.md for what each shows.</p>\n'
		while IFS="$(printf '\t')" read -r name data cmd; do
			printf '<figure id="%s">\n' "$(html "$name")"
			printf '<img src="%s.svg" alt="%s">\n' "$(html "$name")" \
				"$(html "$name")"
			printf '<figcaption><b>%s</b> (<a href="%s.png">PNG</a>)' \
				"$(html "$name")" "$(html "$name")"
			printf '<br>dataset: <code>datasets/%s</code>' "$(html "$data")"
			printf '<br><code>%s</code></figcaption>\n</figure>\n' \
				"$(html "$cmd")"
		done <"$LIST"
		printf '</body>\n</html>\n'
	} >"$OUT/index.html.tmp" && mv "$OUT/index.html.tmp" "$OUT/index.html"
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

gallery || failed=1
exit $failed
