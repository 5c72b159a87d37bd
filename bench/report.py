"""Write bench/results-analyze.md from the timings of bench/analyze.sh.

usage: report.py TIMES.txt REPEAT BIG_REPEAT [PROFILE.txt]  (Markdown on stdout)

TIMES.txt lines (bench/analyze.sh writes them):
  start DATE TIME L1 L5 L15        the run began; load averages
  versions TOOL VERSION
  section NAME ROWS BYTES L1 L5 L15   the runs below are on file NAME
  run TOOL WALL_S MAXRSS_KIB USER_S SYS_S
  skip TOOL REASON...              TOOL was not run on this section
  end NAME L1 L5 L15
  stop DATE TIME L1 L5 L15
Times are the median of the runs, CPU seconds (user + system) too; RSS
the largest seen. PROFILE.txt, when given, is bench/profile.sh's output
(the share of each stage), and bench/tried.md is appended as it is.
"""
import os
import platform
import statistics
import subprocess
import sys

PEERS = ("duckdb", "polars", "datamash", "pandas")
NAMES = {"analyze": "analyze", "duckdb": "DuckDB", "polars": "polars",
         "datamash": "datamash", "pandas": "pandas",
         "floor": "libcsv alone"}
# (what, peer, kind, threshold): speed = peer time / analyze time >= t;
# rss = peer RSS / analyze RSS >= t.
TARGETS = [
    ("analyze >= 3x faster than DuckDB", "duckdb", "speed", 3.0),
    ("analyze >= 3x faster than polars", "polars", "speed", 3.0),
    ("analyze peak RSS <= 1/4 of DuckDB's", "duckdb", "rss", 4.0),
    ("analyze >= 5x faster than datamash", "datamash", "speed", 5.0),
    ("analyze >= 8x faster than pandas", "pandas", "speed", 8.0),
    ("analyze peak RSS <= 1/4 of pandas'", "pandas", "rss", 4.0),
]
FORMATS = ("csv", "text", "md", "tex", "json")


class Section:
    def __init__(self, name, rows, size, load):
        self.name, self.rows, self.size = name, rows, size
        self.load_start, self.load_end = load, "?"
        self.runs, self.skips = {}, {}

    def has(self, tool):
        return tool in self.runs

    def wall(self, tool):
        return statistics.median(r[0] for r in self.runs[tool])

    def cpu(self, tool):
        return statistics.median(r[2] + r[3] for r in self.runs[tool])

    def rss(self, tool):
        return max(r[1] for r in self.runs[tool]) / 1024


def parse(path):
    sections, versions, cur = {}, {}, None
    head = {"start": "?", "stop": "?", "load_start": "?", "load_stop": "?"}
    with open(path) as f:
        for line in f:
            p = line.split()
            if not p:
                continue
            if p[0] in ("start", "stop"):
                head[p[0]] = " ".join(p[1:3])
                head["load_" + p[0]] = " ".join(p[3:6])
            elif p[0] == "versions":
                versions[p[1]] = " ".join(p[2:])
            elif p[0] == "section":
                cur = Section(p[1], int(p[2]), int(p[3]), " ".join(p[4:7]))
                sections[p[1]] = cur
            elif p[0] == "end":
                sections[p[1]].load_end = " ".join(p[2:5])
            elif p[0] == "run":
                cur.runs.setdefault(p[1], []).append(
                    (float(p[2]), int(p[3]), float(p[4]), float(p[5])))
            elif p[0] == "skip":
                cur.skips[p[1]] = " ".join(p[2:])
    return head, versions, sections


def first_line(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True,
                             check=False).stdout
        return out.splitlines()[0] if out else "unknown"
    except OSError:
        return "unknown"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def mem_total_gib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return 0


def verdict(ok):
    return "PASS" if ok else "FAIL"


def ratio_of(sec, peer, kind):
    if not sec.has(peer):
        return None
    if kind == "speed":
        return sec.wall(peer) / sec.wall("analyze")
    return sec.rss(peer) / sec.rss("analyze")


def tool_table(sec):
    print("| tool | time s | CPU s | peak RSS MB | analyze faster by | "
          "analyze's RSS smaller by |")
    print("|---|---:|---:|---:|---:|---:|")
    for tool in ("analyze",) + PEERS + ("floor",):
        if not sec.has(tool):
            continue
        speed = ratio_of(sec, tool, "speed")
        mem = ratio_of(sec, tool, "rss")
        peer = tool not in ("analyze", "floor")
        print(f"| {NAMES[tool]} | {sec.wall(tool):.2f} | {sec.cpu(tool):.2f}"
              f" | {sec.rss(tool):.0f} | {f'{speed:.1f}x' if peer else ''} "
              f"| {f'{mem:.1f}x' if peer else ''} |")
    for tool, why in sec.skips.items():
        print(f"| {NAMES[tool]} | not run: {why} | | | | |")
    print()


def load_line(sec):
    return (f"Load average (1, 5, 15 min) {sec.load_start} before these "
            f"runs, {sec.load_end} after.")


def shape_report(shape, sections, verdicts):
    small, large = sections[f"{shape}-small"], sections[f"{shape}-large"]
    print(f"## {shape.capitalize()} file\n")
    for sec in (small, large):
        print(f"{sec.rows:,} rows, {sec.size / 1e6:.0f} MB. {load_line(sec)}\n")
        tool_table(sec)
    floor = large.wall("floor")
    print(f"libcsv alone, on one thread, needs {floor:.2f} s to split the "
          f"large file ({large.size / 1e6 / floor:.0f} MB/s); analyze took "
          f"{large.wall('analyze'):.2f} s for everything.\n")
    growth = large.wall("analyze") / small.wall("analyze")
    print(f"Growth: {large.rows / small.rows:.0f}x the rows took analyze "
          f"{growth:.1f}x the time.\n")
    print(f"Targets ({shape} file, {large.rows:,} rows):\n")
    print("| target | measured | verdict |\n|---|---:|---|")
    for what, peer, kind, thr in TARGETS:
        got = ratio_of(large, peer, kind)
        if got is None:
            print(f"| {what} | not run | FAIL |")
            verdicts.append((f"{shape}: {what}", "not run", False))
            continue
        unit = "x faster" if kind == "speed" else "x less memory"
        print(f"| {what} | {got:.2f}{unit} | {verdict(got >= thr)} |")
        verdicts.append((f"{shape}: {what}", f"{got:.2f}{unit}",
                         got >= thr))
    print()


def big_report(sections, verdicts):
    big, large = sections["wide-big"], sections["wide-large"]
    print(f"## {big.rows:,} rows\n")
    print(f"A wide file of {big.rows:,} rows, {big.size / 1e9:.1f} GB, "
          f"{big.rows // large.rows}x the large one. {load_line(big)}\n")
    tool_table(big)
    scale = big.rows / large.rows
    growth = big.wall("analyze") / large.wall("analyze")
    ok = growth <= scale
    print(f"Time: {scale:.0f}x the rows took analyze {growth:.2f}x the time "
          f"({'at most' if ok else 'more than'} linear).")
    verdicts.append((f"{big.rows:,} rows: analyze's time grows at most "
                     f"linearly from {large.rows:,}", f"{growth:.2f}x for "
                     f"{scale:.0f}x the rows", ok))
    # What analyze must keep: every value as a double (its run is implicit
    # while runs count up), and the arrays grow by doubling: at most twice
    # that, plus the fixed part measured at the large size.
    kept = big.rows * 8 / 1e6
    fixed = large.rss("analyze") - large.rows * 8 / 1e6 * 2
    limit = 2 * kept + max(fixed, 0) + 16
    rss = big.rss("analyze")
    print(f"Memory: analyze's peak RSS was {rss:.0f} MB; the values it keeps "
          f"take {kept:.0f} MB as doubles, and arrays that grow by doubling "
          f"may hold up to twice that: {limit:.0f} MB with the fixed part "
          f"(threads' blocks, parser, groups).\n")
    verdicts.append((f"{big.rows:,} rows: analyze's memory stays within "
                     f"what the kept values need", f"{rss:.0f} MB, limit "
                     f"{limit:.0f} MB", rss <= limit))
    for peer in ("duckdb", "polars"):
        if big.has(peer):
            got = ratio_of(big, peer, "speed")
            verdicts.append((f"{big.rows:,} rows: {NAMES[peer]} run (analyze "
                             "faster by)", f"{got:.2f}x", True))
        else:
            why = big.skips.get(peer, "no run recorded")
            verdicts.append((f"{big.rows:,} rows: {NAMES[peer]} run",
                             f"not run: {why}", False))
    print()


def singles_report(sections, verdicts):
    sec = sections["singles"]
    print(f"## {sec.rows:,} groups\n")
    print(f"`build/bench/gencsv --singles --rows {sec.rows}`: row i is "
          "`p{i%2},b{i/2},m,{i%7+1}`, so every row is a group of one and "
          f"every benchmark compares p1 with p0 ({sec.rows // 2:,} "
          f"comparisons); {sec.size / 1e6:.0f} MB. {load_line(sec)}\n")
    print("| command | time s | CPU s | peak RSS MB | time / CSV's |")
    print("|---|---:|---:|---:|---:|")
    csv_t = sec.wall("analyze-csv")
    for fmt in FORMATS:
        t = sec.wall(f"analyze-{fmt}")
        print(f"| `analyze --format {fmt}` | {t:.2f} | "
              f"{sec.cpu(f'analyze-{fmt}'):.2f} | "
              f"{sec.rss(f'analyze-{fmt}'):.0f} | {t / csv_t:.2f} |")
    if sec.has("duckdb"):
        print(f"| DuckDB | {sec.wall('duckdb'):.2f} | {sec.cpu('duckdb'):.2f}"
              f" | {sec.rss('duckdb'):.0f} | {sec.wall('duckdb') / csv_t:.2f} |")
    print()
    worst = max(sec.wall(f"analyze-{fmt}") / csv_t for fmt in FORMATS)
    verdicts.append((f"{sec.rows:,} groups: every format within 2x of CSV's "
                     "time", f"worst {worst:.2f}x", worst <= 2.0))
    if sec.has("duckdb"):
        verdicts.append((f"{sec.rows:,} groups: DuckDB run (analyze --format "
                         "csv faster by)",
                         f"{sec.wall('duckdb') / csv_t:.2f}x", True))


def main():
    times, repeat, big_repeat = sys.argv[1:4]
    profile = sys.argv[4] if len(sys.argv) > 4 else None
    head, versions, sections = parse(times)
    import pandas
    print("# make bench: analyze vs DuckDB, polars, datamash and pandas\n")
    print(f"Generated by `bench/analyze.sh` from {head['start']} to "
          f"{head['stop']} UTC. Each tool ran {repeat} times per file "
          f"({big_repeat} on the largest and on the million groups), one "
          "run of each tool after the other, round after round; times are "
          "the median wall-clock seconds of the whole process (Node.js's "
          "start included for DuckDB and polars), CPU the median user + "
          "system seconds, RSS the largest peak resident set (GNU time's "
          "%M). Before any time counts, every tool's output was checked "
          "to agree with analyze's (`bench/check_agree.py`): the same "
          "groups, the same n, mean and sd to 1e-9 (datamash: 1e-6), the "
          "median exactly (DuckDB's, polars' and pandas' medians are "
          "exact).\n")
    print("| | |\n|---|---|")
    print(f"| CPU | {cpu_model()}, {os.cpu_count()} CPUs, "
          f"{mem_total_gib():.0f} GiB |")
    print(f"| load average (1, 5, 15 min) | {head['load_start']} at the "
          f"start, {head['load_stop']} at the end; other jobs may share "
          "the machine: the ratios, measured with the tools interleaved, "
          "are steadier than the times |")
    print(f"| kernel | {platform.release()} |")
    print(f"| analyze | {first_line(['bin/analyze', '--version'])}, libcsv "
          f"{first_line(['dpkg-query', '-W', '-f', '${Version}', 'libcsv3'])}"
          " |")
    print(f"| DuckDB | @duckdb/node-api {versions.get('duckdb', '?')}, "
          f"Node.js {versions.get('node', '?')} |")
    print(f"| polars | nodejs-polars {versions.get('polars', '?')}, "
          f"Node.js {versions.get('node', '?')} |")
    print(f"| datamash | {first_line(['datamash', '--version'])} |")
    print(f"| pandas | {pandas.__version__} (Python "
          f"{platform.python_version()}) |")
    print()
    print("Files from `build/bench/gencsv --rows N --groups 1000 --seed 1`: "
          "*wide* has all ten contract columns; *narrow* (`--narrow`) only "
          "platform, benchmark, metric, value and run. Commands, per file "
          "`F` with grouping columns `K` (wide: platform, benchmark, metric, "
          "config; narrow: platform, benchmark, metric), each computing per "
          "group n, mean, sample sd and median:\n")
    print("- `bin/analyze --format csv F`: its whole summary (also CI, "
          "quartiles, MAD, outliers) and the comparisons it makes by "
          "default. A regular file of 4 MiB or more is read in parts on one "
          "thread per CPU (at most 4), and large inputs are summarized on "
          "one thread per CPU.")
    print("- DuckDB: `node bench/peers/duckdb_agg.js F K OUT`: `COPY (SELECT "
          "K, count(value), avg(value), stddev_samp(value), median(value) "
          "FROM read_csv(F) GROUP BY K) TO OUT`, on every core.")
    print("- polars: `node bench/peers/polars_agg.js F K OUT`: "
          "`readCSV(F).groupBy(K).agg(count, mean, std, median)` then "
          "`writeCSV(OUT)`, on every core.")
    print("- `datamash -s -t, --header-in -g K count 4 mean 4 sstdev 4 "
          "median 4 < F` (its sort included)")
    print("- pandas: `pd.read_csv(F).groupby(K, dropna=False)['value']"
          ".agg(['count', 'mean', 'std', 'median'])`")
    print("- `build/bench/csvfloor F`: libcsv alone on one thread, "
          "callbacks that only count: what running every byte through "
          "libcsv's state machine would cost, for comparison\n")
    verdicts = []
    for shape in ("wide", "narrow"):
        if f"{shape}-large" in sections:
            shape_report(shape, sections, verdicts)
    if "wide-big" in sections:
        big_report(sections, verdicts)
    if "singles" in sections:
        singles_report(sections, verdicts)
    print("## Verdicts\n")
    print("| target | measured | verdict |\n|---|---:|---|")
    for what, got, ok in verdicts:
        print(f"| {what} | {got} | {verdict(ok)} |")
    print()
    n_fail = sum(1 for v in verdicts if not v[2])
    print(f"{len(verdicts) - n_fail} passed, {n_fail} failed.\n")
    if profile and os.path.exists(profile):
        with open(profile) as f:
            sys.stdout.write(f.read())
        print()
    tried = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         "tried.md")
    if os.path.exists(tried):
        with open(tried) as f:
            sys.stdout.write(f.read())


main()
