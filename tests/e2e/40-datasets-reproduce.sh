#!/usr/bin/env bash
# datasets/convert-eurosys21 reproduces the committed eurosys21-* files byte
# for byte from the artifact extract, writes nothing else, and refuses input
# that contradicts itself (a results CSV against its raw log) with
# FILE:LINE and exit 2, leaving existing outputs alone.
#
# The extract is not part of the repository: EUROSYS21_DIR names its
# directory; without it the test skips.
set -u
. "$TOP/tests/e2e/lib/common.sh"
SRC=${EUROSYS21_DIR:-}
if [ ! -f "$SRC/INDEX.md" ]; then
	echo "no EuroSys'21 extract at '$SRC' (set EUROSYS21_DIR to its directory)"
	exit 77
fi
CONV=datasets/convert-eurosys21

# 1. A fresh conversion equals the committed files, and covers all of them.
mkdir "$TMPDIR/out" || exit 1
expect_exit 0 converter $CONV "$SRC" "$TMPDIR/out" || exit 1
produced=$(cd "$TMPDIR/out" && ls)
committed=$(cd datasets && ls eurosys21-*)
[ "$produced" = "$committed" ] ||
	die "converter writes [$produced], datasets/ holds [$committed]"
for f in $produced; do
	same_file "datasets/$f" "$TMPDIR/out/$f" "a fresh conversion"
done
[ -z "$(cd "$TMPDIR/out" && ls -A | grep '^\.tmp-')" ] || fail "temporary file left"

# 2. --check agrees: 0 on the committed files, 1 naming a changed one.
expect_exit 0 "--check on the committed files" $CONV --check "$SRC" datasets
sed -i '2s/35.578/35.579/' "$TMPDIR/out/eurosys21-fig10-boot.csv"
expect_exit 1 "--check on a changed file" $CONV --check "$SRC" "$TMPDIR/out"
grep -q "eurosys21-fig10-boot.csv differs" "$STDERR" ||
	fail "--check message: $(cat "$STDERR")"

# 3. Self-contradicting input: a raw redis-benchmark value that does not
# match the undone running mean. Exit 2, exact message, outputs untouched.
cp -r "$SRC" "$TMPDIR/src" && chmod -R u+w "$TMPDIR/src" || exit 1
sed -i '2s/2564102.50/2564102.60/' "$TMPDIR/src/fig_18/paperrawdata/tlsf.txt"
cp "$TMPDIR/out/eurosys21-fig10-boot.csv" "$TMPDIR/before"
expect_exit 2 "contradicting raw log" $CONV "$TMPDIR/src" "$TMPDIR/out"
want="$TMPDIR/src/fig_18/paperresults/tlsf.csv:2: undone running mean gives 2564102.50 req/s but $TMPDIR/src/fig_18/paperrawdata/tlsf.txt:2 says 2564102.60"
[ "$(cat "$STDERR")" = "$want" ] ||
	fail "message: '$(cat "$STDERR")', expected '$want'"
same_file "$TMPDIR/before" "$TMPDIR/out/eurosys21-fig10-boot.csv" \
	"a failed conversion changed an existing output"

# 4. A malformed value names its file and line.
cp "$SRC/fig_18/paperrawdata/tlsf.txt" "$TMPDIR/src/fig_18/paperrawdata/tlsf.txt"
sed -i '2s/^5226\t/52x6\t/' "$TMPDIR/src/fig_10/paperresults/firecracker.csv"
expect_exit 2 "malformed value" $CONV "$TMPDIR/src" "$TMPDIR/out"
want="$TMPDIR/src/fig_10/paperresults/firecracker.csv:2: '52x6' is not a plain decimal number"
[ "$(cat "$STDERR")" = "$want" ] ||
	fail "malformed value: '$(cat "$STDERR")', expected '$want'"

# 5. Usage errors exit 2; a directory that is not the extract too.
expect_exit 2 "unknown option" $CONV --bogus
expect_exit 2 "non-extract directory" $CONV "$TMPDIR" "$TMPDIR/out"
$CONV --help | grep -q '^usage: datasets/convert-eurosys21' ||
	fail "--help has no usage line"
finish "converter reproduces $(echo "$produced" | wc -l) files"
