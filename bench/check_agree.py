"""Check that the tools of make bench computed the same statistics.

usage: check_agree.py KEYS TOOL=FILE...

KEYS: the grouping columns, comma-separated. TOOL is one of analyze (its
--format csv), datamash (no header: the keys, then count, mean, sstdev,
median), pandas, duckdb, polars (a header naming the keys and n/count,
mean, sd/std, median). analyze must be among them; every other output is
compared with it.

Every group must be in every output, with the same n, and mean and sample
sd equal to a relative 1e-9 (analyze, pandas, DuckDB and polars print
17 significant digits or the shortest exact form; the sums may be added
in another order) or 1e-6 against datamash (which prints about 14). The
median is an order statistic, or the mean of two, that every tool computes
from the same doubles: DuckDB's, polars' and pandas' must be exactly
analyze's; datamash's, printed with fewer digits, to 1e-12. An sd that is
undefined (n = 1) must be undefined in both (empty, NaN or null).
Exit status 0 when they agree, 1 with the first difference otherwise,
2 on bad usage.
"""
import csv
import math
import sys

# tool: (has a header, names of n, mean, sd, median, tolerance of mean
# and sd, tolerance of the median: 0 = exact)
TOOLS = {
    "analyze": (True, ("n", "mean", "sd", "median"), 0, 0),
    "datamash": (False, None, 1e-6, 1e-12),
    "pandas": (True, ("count", "mean", "std", "median"), 1e-9, 0),
    "duckdb": (True, ("n", "mean", "sd", "median"), 1e-9, 0),
    "polars": (True, ("n", "mean", "sd", "median"), 1e-9, 0),
}
UNDEFINED = ("", "nan", "NaN", "null", "NULL")


def number(x):
    return None if x in UNDEFINED else float(x)


def read(tool, path, keys):
    has_header, names, _, _ = TOOLS[tool]
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if has_header:
        head = rows.pop(0)
        idx = [head.index(c) for c in list(keys) + list(names)]
    else:
        idx = list(range(len(keys) + 4))
    out = {}
    for r in rows:
        v = [r[i] for i in idx]
        key = tuple("" if x in UNDEFINED else x for x in v[:len(keys)])
        n, mean, sd, median = v[len(keys):]
        if key in out:
            raise ValueError(f"{path}: group {'/'.join(key)} twice")
        out[key] = (int(float(n)), number(mean), number(sd), number(median))
    return out


def close(a, b, rel):
    if a is None or b is None:
        return a is None and b is None
    if rel == 0:
        return a == b
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-300)


def compare(keys, ana, tool, other):
    _, _, rel, rel_median = TOOLS[tool]
    if set(ana) != set(other):
        only = sorted(set(ana) ^ set(other))[:3]
        return (f"analyze found {len(ana)} groups, {tool} {len(other)} "
                f"(for example {only})")
    for k, a in ana.items():
        o = other[k]
        if a[0] != o[0]:
            return f"{'/'.join(k)}: n {a[0]} (analyze) vs {o[0]} ({tool})"
        for what, x, y, tol in (("mean", a[1], o[1], rel),
                                ("sd", a[2], o[2], rel),
                                ("median", a[3], o[3], rel_median)):
            if not close(x, y, tol):
                return (f"{'/'.join(k)}: {what} {x!r} (analyze) vs {y!r} "
                        f"({tool}){' must be equal' if tol == 0 else ''}")
    return None


def main():
    if len(sys.argv) < 4:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    keys = sys.argv[1].split(",")
    outputs = {}
    for arg in sys.argv[2:]:
        tool, _, path = arg.partition("=")
        if tool not in TOOLS or not path:
            print(f"check_agree: bad argument '{arg}'", file=sys.stderr)
            return 2
        outputs[tool] = read(tool, path, keys)
    if "analyze" not in outputs:
        print("check_agree: no analyze output", file=sys.stderr)
        return 2
    ana = outputs.pop("analyze")
    for tool, other in outputs.items():
        why = compare(keys, ana, tool, other)
        if why:
            print(f"check_agree: {why}", file=sys.stderr)
            return 1
    print(f"check_agree: {len(ana)} groups agree (n, mean, sd, median) "
          f"between analyze and {', '.join(outputs)}", file=sys.stderr)
    return 0


sys.exit(main())
