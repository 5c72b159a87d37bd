#!/usr/bin/env bash
# 2026-11-25: the man page and --help agree (as git's t0450 does
# for its commands): the man page SYNOPSIS is the --help synopsis, every
# long option of --help is documented under OPTIONS, every option the man
# page documents exists, and the page renders without groff warnings.
set -u
. "$TOP/tests/e2e/lib/common.sh"
require groff "groff is not installed"
MAN=man/analyze.1

help=$("$A" --help) || fail "--help failed"
rendered=$(groff -man -Tutf8 -P-c -rLL=200n "$MAN" 2>/dev/null | col -b)

warn=$(groff -man -ww -z "$MAN" 2>&1)
[ -z "$warn" ] || fail "groff warnings: $warn"

# the SYNOPSIS section of the page, whitespace squeezed
man_syn=$(awk '/^SYNOPSIS/ { on = 1; next } /^[A-Z]/ { on = 0 } on' \
	<<<"$rendered" | tr -s ' \n' ' ' | sed 's/^ //; s/ $//')
help_syn=$(head -n 1 <<<"$help" | sed 's/^usage: //')
[ "$man_syn" = "$help_syn" ] ||
	fail "SYNOPSIS '$man_syn' differs from --help's '$help_syn'"

# every long option of --help is an OPTIONS entry of the page
man_opts=$(awk '/^OPTIONS/ { on = 1; next } /^[A-Z]/ { on = 0 } on' \
	<<<"$rendered")
help_longs=$(grep -o -- '--[a-z][a-z-]*' <<<"$(sed -n '/^OPTIONS$/,/^EXIT STATUS$/p' <<<"$help")" |
	sort -u)
[ -n "$help_longs" ] || fail "no options found in --help"
for o in $help_longs; do
	grep -qE "^ {7}(-[a-z], )?$o( |$)" <<<"$man_opts" ||
		fail "$o is in --help but not an OPTIONS entry of $MAN"
done
# and every OPTIONS entry of the page is an option of --help
for o in $(grep -oE '^ {7}(-[a-z], )?--[a-z-]+' <<<"$man_opts" |
	grep -o -- '--[a-z-]*'); do
	grep -qx -- "$o" <<<"$help_longs" ||
		fail "$o is documented in $MAN but not in --help"
done
# short options too
for s in $(grep -oE '^  -[a-z],' <<<"$help" | tr -d ' ,'); do
	grep -qE "^ {7}$s, --" <<<"$man_opts" ||
		fail "$s is in --help but not in $MAN"
done

# the sections the style guide asks for, and every JSON field named
for sec in NAME SYNOPSIS DESCRIPTION OPTIONS "INPUT FORMAT" OUTPUT \
	STATISTICS "EXIT STATUS" EXAMPLES "SEE ALSO"; do
	grep -qx "$sec" <<<"$rendered" || fail "$MAN lacks section $sec"
done
json=$("$A" --format json --explain tests/data/explain.csv)
for k in $("$PY" -c 'import json, sys
d = json.loads(sys.stdin.read())
keys = set(d) | set(d["groups"][0]) | set(d["comparisons"][0]) | set(d["sources"][0]) | set(d["findings"][0])
print("\n".join(sorted(keys)))' <<<"$json"); do
	grep -qw -- "$k" <<<"$(awk '/^OUTPUT/ { on = 1; next } /^[A-Z]/ { on = 0 } on' <<<"$rendered")" ||
		fail "JSON field '$k' is not documented under OUTPUT"
done

finish
