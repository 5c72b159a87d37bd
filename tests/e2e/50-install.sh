#!/usr/bin/env bash
# make install PREFIX=... puts the binaries, the man pages, the gnuplot
# templates and campaign's platform and server definitions where the
# installed tools find them by themselves (relative to their own path),
# with no checkout around.
set -eu
prefix=$TMPDIR/prefix
make -s -C "$TOP" install PREFIX="$prefix" >"$TMPDIR/make.log" 2>&1 ||
	{ echo "make install failed:"; cat "$TMPDIR/make.log"; exit 1; }
for f in bin/analyze bin/bench bin/campaign share/man/man1/analyze.1 \
	share/man/man1/bench.1 share/man/man1/campaign.1 \
	share/bench-toolkit/templates/bars.gp \
	share/bench-toolkit/platforms/native.json \
	share/bench-toolkit/servers/nginx.json; do
	[ -e "$prefix/$f" ] || { echo "missing after install: $f"; exit 1; }
done
# Run the installed copies from outside the checkout.
cd "$TMPDIR"
cp "$TOP/tests/data/basic.csv" in.csv
[ "$("$prefix/bin/analyze" --version)" = "analyze $(sed -n \
	's/^VERSION := //p' "$TOP/Makefile")" ] || { echo "wrong --version"; exit 1; }
"$prefix/bin/analyze" -q --plot -o figs in.csv >/dev/null
ls figs/*.svg >/dev/null
out=$("$prefix/bin/campaign" platforms --no-probe 2>&1)
grep -q "^definitions: $prefix/bin/../share/bench-toolkit/platforms" <<<"$out" ||
	{ echo "campaign did not find its installed definitions:"; echo "$out"; exit 1; }
grep -q '^native .*available' <<<"$out" || { echo "native not listed"; exit 1; }
MANWIDTH=80 man -l "$prefix/share/man/man1/analyze.1" 2>&1 | grep -q 'EXIT STATUS'
echo "installed under $prefix and ran from $TMPDIR"
