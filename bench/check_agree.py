"""Check that analyze, datamash and pandas computed the same statistics.

usage: check_agree.py KEYS ANALYZE.csv DATAMASH.csv PANDAS.csv

KEYS: the grouping columns, comma-separated (datamash printed them first).

Every group must appear in all three outputs, with mean, sample sd and
median equal to a relative 1e-9 between analyze and pandas (both print
17 significant digits) and 1e-6 against datamash (which prints about 14).
Exit status 0 when they agree, 1 with the first difference otherwise.
"""
import csv
import math
import sys


def read(path, has_header, cols):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if has_header:
        head = rows.pop(0)
        idx = [head.index(c) for c in cols]
    else:
        idx = list(range(len(cols)))
    out = {}
    for r in rows:
        v = [r[i] for i in idx]
        key = tuple("" if x == "nan" else x for x in v[:-3])
        out[key] = [float(x) for x in v[-3:]]
    return out


def close(a, b, rel):
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)


def main():
    keys = sys.argv[1].split(",")
    ana = read(sys.argv[2], True, keys + ["mean", "sd", "median"])
    dm = read(sys.argv[3], False, keys + ["mean", "sd", "median"])
    pd_ = read(sys.argv[4], True, keys + ["mean", "std", "median"])
    if set(ana) != set(dm) or set(ana) != set(pd_):
        print("check_agree: the tools found different groups "
              f"({len(ana)}, {len(dm)}, {len(pd_)})", file=sys.stderr)
        return 1
    for k, a in ana.items():
        for name, other, rel in (("pandas", pd_[k], 1e-9),
                                 ("datamash", dm[k], 1e-6)):
            for what, x, y in zip(("mean", "sd", "median"), a, other):
                if not close(x, y, rel):
                    print(f"check_agree: {'/'.join(k)}: {what} {x!r} "
                          f"(analyze) vs {y!r} ({name})", file=sys.stderr)
                    return 1
    print(f"check_agree: {len(ana)} groups agree", file=sys.stderr)
    return 0


sys.exit(main())
