"""Where analyze's time goes: a CPU profile of one run, by stage.

usage: profile.py ANALYZE FILE    (a Markdown section on stdout)

Runs `ANALYZE --format csv FILE` under `perf record -e cpu-clock` (a
timer: virtual machines often have no hardware counters), on every
thread, and sorts the samples into the stages of the pipeline by the
source file the sampled instruction was compiled from (analyze is built
with -g; for an inlined function that is the file it was written in), or
for code outside analyze by library and function. Exit status 0 with the
section written, 1 when perf is missing or fails (nothing written).
"""
import os
import re
import subprocess
import sys
import tempfile

# Stage names, in pipeline order.
READ = "reading the file (kernel: pread copies, page faults, threads)"
SPLIT = "finding lines and fields (linesplit.c, libcsv)"
FIELDS = "checking rows, parsing values and runs (load.c, load_field.c)"
GROUP = ("grouping (hash table, key interning, appending values, merging "
         "parts: load_set.c, load_priv.h, load_parallel.c)")
SUMMARY = "summarizing: sorting, quantiles, MAD (stats.c, summaries.c, GSL)"
COMPARE = "comparisons (compare.c, explain.c)"
OUTPUT = "output (format*.c, printf, strtod)"
MEMORY = "memory (malloc, free, memcpy)"
OTHER = "other (start-up, the dynamic loader, main.c)"
ORDER = (READ, SPLIT, FIELDS, GROUP, SUMMARY, COMPARE, OUTPUT, MEMORY, OTHER)

BY_FILE = {
    "linesplit.c": SPLIT, "emmintrin.h": SPLIT,
    "load.c": FIELDS, "load_field.c": FIELDS, "load_read.c": FIELDS,
    "load_set.c": GROUP, "load_priv.h": GROUP, "load_parallel.c": GROUP,
    "stats.c": SUMMARY, "summaries.c": SUMMARY,
    "compare.c": COMPARE, "explain.c": COMPARE,
    "format.c": OUTPUT, "format_json.c": OUTPUT,
}


def stage_of(dso, sym, src):
    if dso.startswith("[kernel"):
        return READ
    if dso == "analyze":
        return BY_FILE.get(src, OTHER)
    if dso.startswith("libcsv"):
        return SPLIT
    if dso.startswith("libgsl"):
        return SUMMARY
    if dso.startswith("libc.so"):
        if re.search(r"printf|strtod|_IO_|fwrite|fputs|fputc|mpn_|hack_digit"
                     r"|__strchrnul|str_to_mpn|round_and_return", sym):
            return OUTPUT
        if re.search(r"malloc|free|_int_|memmove|memcpy|memset|calloc|"
                     r"realloc|unlink_chunk|consolidate|arena", sym):
            return MEMORY
    return OTHER


def main():
    analyze, path = sys.argv[1:3]
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "perf.data")
        rec = subprocess.run(
            ["perf", "record", "-q", "-e", "cpu-clock", "-F", "2000",
             "-o", data, analyze, "--format", "csv", path],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if rec.returncode != 0:
            print(f"profile.py: perf record failed: {rec.stderr.strip()}",
                  file=sys.stderr)
            return 1
        rep = subprocess.run(
            ["perf", "report", "-i", data, "--stdio", "--no-children",
             "--sort", "dso,sym,srcfile", "-g", "none", "--percent-limit",
             "0", "--field-separator=|"],
            capture_output=True, text=True)
        if rep.returncode != 0:
            print("profile.py: perf report failed", file=sys.stderr)
            return 1
    shares, top = {s: 0.0 for s in ORDER}, []
    for line in rep.stdout.splitlines():
        if line.startswith("#") or "|" not in line:
            continue
        p = [x.strip() for x in line.split("|")]
        if len(p) < 4 or not p[0].endswith("%"):
            continue
        pct, dso, sym, src = float(p[0][:-1]), p[1], p[2][4:], p[3]
        st = stage_of(dso, sym, src)
        shares[st] += pct
        top.append((pct, sym, src or dso, st))
    print("## Where analyze's time goes\n")
    print(f"`perf record -e cpu-clock` of `bin/analyze --format csv` on the "
          f"large wide file, all threads (`bench/profile.py`): the share of "
          "the CPU samples in each stage, by the source file of the sampled "
          "instruction.\n")
    print("| stage | share of CPU time |\n|---|---:|")
    for st in ORDER:
        if shares[st] >= 0.05:
            print(f"| {st} | {shares[st]:.1f}% |")
    print("\nThe ten hottest functions:\n")
    print("| share | function | source |\n|---:|---|---|")
    top.sort(reverse=True)
    for pct, sym, src, _ in top[:10]:
        print(f"| {pct:.1f}% | `{sym}` | {src} |")
    return 0


sys.exit(main())
