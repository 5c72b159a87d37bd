#!/usr/bin/env bash
# 2026-11-25: bench imagesize. text/data/bss equal what size(1)
# from binutils prints (Berkeley format) for a static ELF64 executable,
# relocatable objects, a dynamic PIE, an ELF32 executable and object
# assembled here, and big-endian copies made by byte-swapping headers;
# without section headers they equal the PT_LOAD sums computed from
# readelf -l; bytes equals stat's size; a bzImage and other non-ELF files
# get bytes only with a note. Bad files and options exit 2 with no rows;
# the CSV loads in analyze; the man page SYNOPSIS matches --help.
set -u
. "$TOP/tests/e2e/lib/common.sh"
B="$BIN/bench"

if ! command -v size >/dev/null || ! command -v readelf >/dev/null; then
	missing "binutils (size, readelf) is not installed: nothing to compare with"
fi

# usage WANTED_MESSAGE ARGS...: exit 2, exact stderr, no stdout, no -o file
usage() {
	local want=$1 out status
	shift
	rm -f "$TMPDIR/bad.csv"
	out=$("$B" imagesize -o "$TMPDIR/bad.csv" "$@" 2>"$TMPDIR/err" </dev/null)
	status=$?
	[ $status -eq 2 ] || fail "imagesize $*: exit $status, expected 2"
	[ -z "$out" ] || fail "imagesize $*: wrote to stdout: $out"
	[ ! -e "$TMPDIR/bad.csv" ] || fail "imagesize $*: created the -o file"
	[ "$(cat "$TMPDIR/err")" = "$want" ] || fail "imagesize $*: stderr was
$(cat "$TMPDIR/err")"
}

# sizes FILE: "text data bss" from bench
sizes() {
	"$B" imagesize "$1" 2>/dev/null |
		awk -F, '{ v[$3] = $4 } END { print v["text"], v["data"], v["bss"] }'
}

# same_as_size FILE: bench agrees with size(1)
same_as_size() {
	local want got
	want=$(size "$1" | awk 'NR == 2 { print $1, $2, $3 }')
	got=$(sizes "$1")
	[ -n "$want" ] && [ "$want" = "$got" ] ||
		fail "$1: size says '$want', bench says '$got'"
}

bench_help imagesize
grep -q '^usage: bench imagesize \[options\] FILE...$' <<<"$help" ||
	fail "--help lacks the usage line"
grep -q 'SHF_ALLOC' <<<"$help" || fail "--help does not define text"

# ELF64: the static bench itself, every runner object, a dynamic PIE.
same_as_size "$B"
for o in build/runners/*.o; do
	[ -e "$o" ] && same_as_size "$o"
done
same_as_size "$(command -v size)"

# ELF32 (x86 as/ld from binutils): text 12 = 7 bytes of code + "hello",
# data 12 = three longs, bss 4096, as size also says.
cat >"$TMPDIR/a.s" <<'EOF'
	.text
	.globl _start
_start:	movl $1, %eax
	int $0x80
	.data
	.long 1, 2, 3
	.bss
	.lcomm buf, 4096
	.section .rodata
	.ascii "hello"
EOF
if as --32 -o "$TMPDIR/a32.o" "$TMPDIR/a.s" 2>/dev/null &&
   ld -m elf_i386 -o "$TMPDIR/a32" "$TMPDIR/a32.o" 2>/dev/null; then
	same_as_size "$TMPDIR/a32.o"
	same_as_size "$TMPDIR/a32"
	[ "$(sizes "$TMPDIR/a32")" = "12 12 4096" ] ||
		fail "a32: expected 12 12 4096, got $(sizes "$TMPDIR/a32")"
else
	echo "note: this binutils cannot assemble ELF32 x86; ELF32 not tested"
fi

# Big-endian: the same files with every header field byte-swapped. size
# reads them as elf64-big / elf32-big.
PY=$(command -v /usr/bin/python3 python3 | head -n 1)
if [ -n "$PY" ]; then
	for f in "$B" "$TMPDIR/a32"; do
		[ -e "$f" ] || continue
		"$PY" - "$f" "$TMPDIR/be-$(basename "$f")" <<'EOF'
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
is64 = b[4] == 2
def sw(off, fmt):
    v = struct.unpack_from('<' + fmt, b, off)
    struct.pack_into('>' + fmt, b, off, *v)
    return v
v = sw(16, 'HHIQQQIHHHHHH' if is64 else 'HHIIIIIHHHHHH')
phoff, shoff, phent, phnum, shent, shnum = v[4], v[5], v[8], v[9], v[10], v[11]
for i in range(phnum):
    sw(phoff + i * phent, 'IIQQQQQQ' if is64 else 'IIIIIIII')
for i in range(shnum):
    sw(shoff + i * shent, 'IIQQQQIIQQ' if is64 else 'IIIIIIIIII')
b[5] = 2
open(sys.argv[2], 'wb').write(b)
EOF
		same_as_size "$TMPDIR/be-$(basename "$f")"
		[ "$(sizes "$TMPDIR/be-$(basename "$f")")" = "$(sizes "$f")" ] ||
			fail "big-endian copy of $f differs"
	done
else
	partly_missing "python3 not found; big-endian not tested"
fi

# No section headers (e_shoff, e_shentsize, e_shnum, e_shstrndx zeroed):
# the PT_LOAD sums, computed independently from readelf -l.
cp "$B" "$TMPDIR/nosh"
dd if=/dev/zero of="$TMPDIR/nosh" bs=1 seek=40 count=8 conv=notrunc 2>/dev/null
dd if=/dev/zero of="$TMPDIR/nosh" bs=1 seek=58 count=6 conv=notrunc 2>/dev/null
want=$(readelf -lW "$B" | awk '
	function hex(s,  i, v) {	# mawk has no strtonum
		v = 0; s = tolower(substr(s, 3))
		for (i = 1; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v
	}
	$1 == "LOAD" {
	fs = hex($5); ms = hex($6); fl = $7 $8	# "R E" is two fields
	if (fl ~ /E/ || fl !~ /W/) t += ms; else { d += fs; b += ms - fs }
	} END { print t, d, b }')
[ "$(sizes "$TMPDIR/nosh")" = "$want" ] ||
	fail "no section headers: bench '$(sizes "$TMPDIR/nosh")', readelf sums '$want'"
"$B" imagesize "$TMPDIR/nosh" 2>&1 >/dev/null | grep -q 'no section headers: text, data and bss from the PT_LOAD program headers' ||
	fail "no section headers: no note on stderr"

# bzImage (the boot protocol's HdrS at 0x202) and other files: bytes only.
head -c 8192 /dev/zero >"$TMPDIR/vmlinuz"
printf 'HdrS' | dd of="$TMPDIR/vmlinuz" bs=1 seek=514 conv=notrunc 2>/dev/null
printf 'not a kernel\n' >"$TMPDIR/notes.txt"
out="$TMPDIR/k.csv"
"$B" imagesize --platform test -o "$out" "$TMPDIR/vmlinuz" "$TMPDIR/notes.txt" \
	--config lto "$B" 2>"$TMPDIR/err" || fail "bzImage: exit $?"
[ "$(tail -n +2 "$out" | cut -d, -f1-8 | tr '\n' ' ')" = \
  "test,imagesize,bytes,8192,B,0,lower,lto file=vmlinuz test,imagesize,bytes,13,B,0,lower,lto file=notes.txt test,imagesize,bytes,$(stat -L -c %s "$B"),B,0,lower,lto file=bench test,imagesize,text,$(sizes "$B" | cut -d' ' -f1),B,0,lower,lto file=bench test,imagesize,data,$(sizes "$B" | cut -d' ' -f2),B,0,lower,lto file=bench test,imagesize,bss,$(sizes "$B" | cut -d' ' -f3),B,0,lower,lto file=bench " ] ||
	fail "rows differ: $(cut -d, -f1-8 "$out")"
[ "$(cat "$TMPDIR/err")" = "bench imagesize: $TMPDIR/vmlinuz: a Linux bzImage, not ELF: bytes only
bench imagesize: $TMPDIR/notes.txt: not an ELF file: bytes only" ] ||
	fail "bzImage notes: $(cat "$TMPDIR/err")"
"$BIN/analyze" --format csv "$out" >/dev/null || fail "analyze cannot load $out"
for k in /boot/vmlinuz-*; do
	[ -r "$k" ] || continue
	"$B" imagesize "$k" 2>&1 >/dev/null | grep -q 'a Linux bzImage' ||
		fail "$k is not recognised as a bzImage"
	break
done

usage "bench imagesize: no FILE given
try 'bench imagesize --help'"
usage "bench imagesize: unknown option '--bogus'
try 'bench imagesize --help'" --bogus "$B"
usage "bench imagesize: --runs, --warmup and --until-ci do not apply: file sizes do not vary between runs
try 'bench imagesize --help'" --runs 3 "$B"
usage "bench imagesize: $TMPDIR/missing: cannot open: No such file or directory" "$B" "$TMPDIR/missing"
usage "bench imagesize: $TMPDIR: not a regular file" "$TMPDIR"
head -c 100 "$B" >"$TMPDIR/trunc"
usage "bench imagesize: $TMPDIR/trunc: section header count exceeds the file (truncated?)" "$TMPDIR/trunc"
head -c 40 "$B" >"$TMPDIR/trunc2"
usage "bench imagesize: $TMPDIR/trunc2: truncated ELF header" "$TMPDIR/trunc2"
cp "$TMPDIR/a32.o" "$TMPDIR/badclass" 2>/dev/null || cp "$B" "$TMPDIR/badclass"
printf '\003' | dd of="$TMPDIR/badclass" bs=1 seek=4 conv=notrunc 2>/dev/null
usage "bench imagesize: $TMPDIR/badclass: unknown ELF class (byte 4)" "$TMPDIR/badclass"

# The man page SYNOPSIS is the usage line of --help.
man_synopsis bench-imagesize.1 "$B" imagesize --help

finish
