#!/usr/bin/env bash
# datasets/convert-eurosys21 reproduces the committed eurosys21-* files byte
# for byte from the artifact extract, writes nothing else, and refuses input
# that contradicts itself (a results CSV against its raw log) with
# FILE:LINE and exit 2, leaving existing outputs alone.
#
# The extract is not part of the repository: it is looked for at
# $EUROSYS21_DIR, else ../shared/reference/eurosys21 next to the repository;
# without it the test skips.
set -u
cd "$TOP" || exit 1
SRC=${EUROSYS21_DIR:-$TOP/../shared/reference/eurosys21}
if [ ! -f "$SRC/INDEX.md" ]; then
	echo "no EuroSys'21 extract at $SRC (set EUROSYS21_DIR)"
	exit 77
fi
CONV=datasets/convert-eurosys21
fail() { echo "FAIL $*"; exit 1; }

# 1. A fresh conversion equals the committed files, and covers all of them.
mkdir "$TMPDIR/out" || exit 1
$CONV "$SRC" "$TMPDIR/out" 2>"$TMPDIR/err" || fail "converter: $(cat "$TMPDIR/err")"
produced=$(cd "$TMPDIR/out" && ls)
committed=$(cd datasets && ls eurosys21-*)
[ "$produced" = "$committed" ] ||
	fail "converter writes [$produced], datasets/ holds [$committed]"
for f in $produced; do
	cmp -s "$TMPDIR/out/$f" "datasets/$f" ||
		fail "datasets/$f differs from a fresh conversion: $(diff "datasets/$f" "$TMPDIR/out/$f" | head -5)"
done
[ -z "$(cd "$TMPDIR/out" && ls -A | grep '^\.tmp-')" ] || fail "temporary file left"

# 2. --check agrees: 0 on the committed files, 1 naming a changed one.
$CONV --check "$SRC" datasets || fail "--check on the committed files"
sed -i '2s/35.578/35.579/' "$TMPDIR/out/eurosys21-fig10-boot.csv"
$CONV --check "$SRC" "$TMPDIR/out" 2>"$TMPDIR/err"
[ $? -eq 1 ] || fail "--check on a changed file did not exit 1"
grep -q "eurosys21-fig10-boot.csv differs" "$TMPDIR/err" ||
	fail "--check message: $(cat "$TMPDIR/err")"

# 3. Self-contradicting input: a raw redis-benchmark value that does not
# match the undone running mean. Exit 2, exact message, outputs untouched.
cp -r "$SRC" "$TMPDIR/src" && chmod -R u+w "$TMPDIR/src" || exit 1
sed -i '2s/2564102.50/2564102.60/' "$TMPDIR/src/fig_18/paperrawdata/tlsf.txt"
cp "$TMPDIR/out/eurosys21-fig10-boot.csv" "$TMPDIR/before"
$CONV "$TMPDIR/src" "$TMPDIR/out" 2>"$TMPDIR/err"
status=$?
want="$TMPDIR/src/fig_18/paperresults/tlsf.csv:2: undone running mean gives 2564102.50 req/s but $TMPDIR/src/fig_18/paperrawdata/tlsf.txt:2 says 2564102.60"
[ $status -eq 2 ] || fail "contradicting raw log: exit $status, expected 2"
[ "$(cat "$TMPDIR/err")" = "$want" ] ||
	fail "message: '$(cat "$TMPDIR/err")', expected '$want'"
cmp -s "$TMPDIR/before" "$TMPDIR/out/eurosys21-fig10-boot.csv" ||
	fail "a failed conversion changed an existing output"

# 4. A malformed value names its file and line.
cp "$SRC/fig_18/paperrawdata/tlsf.txt" "$TMPDIR/src/fig_18/paperrawdata/tlsf.txt"
sed -i '2s/^5226\t/52x6\t/' "$TMPDIR/src/fig_10/paperresults/firecracker.csv"
$CONV "$TMPDIR/src" "$TMPDIR/out" 2>"$TMPDIR/err"
status=$?
want="$TMPDIR/src/fig_10/paperresults/firecracker.csv:2: '52x6' is not a plain decimal number"
[ $status -eq 2 ] && [ "$(cat "$TMPDIR/err")" = "$want" ] ||
	fail "malformed value: exit $status, '$(cat "$TMPDIR/err")'"

# 5. Usage errors exit 2; a directory that is not the extract too.
$CONV --bogus 2>/dev/null; [ $? -eq 2 ] || fail "unknown option not exit 2"
$CONV "$TMPDIR" "$TMPDIR/out" 2>/dev/null; [ $? -eq 2 ] ||
	fail "non-extract directory not exit 2"
$CONV --help | grep -q '^usage: datasets/convert-eurosys21' ||
	fail "--help has no usage line"
echo "converter reproduces $(echo "$produced" | wc -l) files"
exit 0
