#!/usr/bin/env bash
# Headline numbers of every dataset in datasets/, checked against values
# transcribed by hand from the sources, independently of the converter and
# of analyze: the EuroSys'21 extract's INDEX.md (its per-figure text and its
# "Headline numbers" table) and the seed documents (course answers b,
# firebench memory document, HermitCore on Xen post, Unikraft performance
# page). Means are computed here in exact decimal arithmetic (Python's
# standard library, no pandas) and rounded as the source rounded them.
#
# The figure labels of fig_12 and fig_18 are the mean of the artifact's
# running-mean rows; the test rebuilds those running means from the
# per-run rows of the dataset, which checks the undoing of the running means
# against numbers printed on the published figures.
set -u
. "$TOP/tests/e2e/lib/common.sh"
exec "$PY" - <<'EOF'
import csv
import sys
from decimal import Decimal, ROUND_HALF_UP, ROUND_HALF_EVEN

failures = []
checks = 0


def load(name):
    with open("datasets/%s.csv" % name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def values(rows, **key):
    out = [Decimal(r["value"]) for r in rows
           if all(r[k] == v for k, v in key.items())]
    if not out:
        failures.append("no rows for %s" % key)
    return out


def mean(xs):
    return sum(xs, Decimal(0)) / len(xs) if xs else Decimal("NaN")


def rnd(d, places, mode=ROUND_HALF_UP):
    return d.quantize(Decimal(1).scaleb(-places), rounding=mode)


def expect(what, got, want):
    global checks
    checks += 1
    if str(got) != str(want):
        failures.append("%s: got %s, expected %s" % (what, got, want))


def running_mean_label(xs, scale, places):
    """Mean of the running means of xs, / scale, rounded: the figure method."""
    run = []
    total = Decimal(0)
    for k, x in enumerate(xs, 1):
        total += x
        run.append(total / k)
    return rnd(mean(run) / scale, places)


# ---- fig_08: INDEX.md headline table, bytes exact --------------------------
d = load("eurosys21-fig08-imagesize")
for app, default, dcelto in [("helloworld", 262816, 197280),
                             ("nginx", 1639224, 852928),
                             ("redis", 1835832, 1115072)]:
    expect("fig08 %s default" % app, values(
        d, config="app=%s;build=default" % app)[0], default)
    expect("fig08 %s dce+lto" % app, values(
        d, config="app=%s;build=dce+lto" % app)[0], dcelto)
# INDEX.md fig_08 text: nginx default 1.6 MiB (1639224 B), redis 1.8 MiB.
# INDEX.md anomaly: sqlite byte-identical to nginx in all four builds.
for b in ["default", "lto", "dce", "dce+lto"]:
    expect("fig08 sqlite==nginx %s" % b,
           values(d, config="app=sqlite;build=" + b),
           values(d, config="app=nginx;build=" + b))
expect("fig08 rows", len(d), 16)

# ---- fig_09: INDEX.md: Unikraft 212992/1634304/1839104/1593344 B; OSv
# redis 8.07 MB and Linux user hello 16.4 KB in the figure's 1000 base.
d = load("eurosys21-fig09-imagesize-os")
for app, b in [("hello", 212992), ("nginx", 1634304), ("redis", 1839104),
               ("sqlite", 1593344)]:
    expect("fig09 unikraft " + app,
           values(d, platform="unikraft", config="app=" + app)[0], b)
expect("fig09 osv redis MB", rnd(values(
    d, platform="osv", config="app=redis")[0] / 1000000, 2), "8.07")
expect("fig09 linux-user hello KB", rnd(values(
    d, platform="linux-user", config="app=hello")[0] / 1000, 1), "16.4")
expect("fig09 mirage apps", len(values(d, platform="mirage")), 1)

# ---- fig_10: INDEX.md mean totals (ms, 1 decimal) and guest means (us) -----
d = load("eurosys21-fig10-boot")
for vmm, total, guest_us in [("qemu", "38.4", 55), ("qemu-1nic", "42.7", 544),
                             ("qemu-microvm", "9.1", 85),
                             ("solo5", "3.1", 74),
                             ("firecracker", "3.1", 1309)]:
    t = values(d, platform=vmm, metric="total_ms")
    expect("fig10 %s boots" % vmm, len(t), 26)
    expect("fig10 %s mean total ms" % vmm, rnd(mean(t), 1), total)
    expect("fig10 %s mean guest us" % vmm, rnd(mean(values(
        d, platform=vmm, metric="guest_ms")) * 1000, 0), guest_us)
    v = values(d, platform=vmm, metric="vmm_ms")
    g = values(d, platform=vmm, metric="guest_ms")
    expect("fig10 %s total = vmm + guest" % vmm,
           [a + b for a, b in zip(v, g)], t)
# INDEX.md fig_10 text: QEMU VMM 38.35, Solo5 VMM 2.99, Firecracker VMM
# 1.75 and guest 1.31 ms.
for vmm, metric, want in [("qemu", "vmm_ms", "38.35"),
                          ("solo5", "vmm_ms", "2.99"),
                          ("firecracker", "vmm_ms", "1.75"),
                          ("firecracker", "guest_ms", "1.31")]:
    expect("fig10 %s %s" % (vmm, metric), rnd(mean(values(
        d, platform=vmm, metric=metric)), 2), want)

# ---- fig_11: INDEX.md: Unikraft 2/5/7/4 MiB, OSv redis 40, ranges -------
d = load("eurosys21-fig11-minmem")
for app, mib in [("hello", 2), ("nginx", 5), ("redis", 7), ("sqlite", 4)]:
    expect("fig11 unikraft " + app,
           values(d, platform="unikraft", config="app=" + app)[0], mib)
expect("fig11 osv redis", values(d, platform="osv", config="app=redis")[0],
       40)
for plat, lo, hi in [("docker", 6, 7), ("rump", 8, 13),
                     ("linux-microvm", 29, 30)]:
    v = values(d, platform=plat)
    expect("fig11 %s range" % plat, "%s-%s" % (min(v), max(v)),
           "%d-%d" % (lo, hi))
expect("fig11 hermitux has no nginx",
       [r for r in d if r["platform"] == "hermitux"
        and r["config"] == "app=nginx"], [])

# ---- fig_12: INDEX.md GET/SET Mreq/s by the figure method ----------------
d = load("eurosys21-fig12-redis")
for plat, get, set_ in [("unikraft-qemu", "2.68", "2.26"),
                        ("native", "2.44", "2.01"),
                        ("osv-qemu", "1.98", "1.54"),
                        ("docker", "1.95", "1.68"),
                        ("hermitux-uhyve", "0.37", "0.24")]:
    for op, want in [("GET", get), ("SET", set_)]:
        xs = values(d, platform=plat, config="op=" + op)
        expect("fig12 %s %s runs" % (plat, op), len(xs), 5)
        expect("fig12 %s %s label" % (plat, op),
               running_mean_label(xs, 1000000, 2), want)
# INDEX.md: the true per-run mean of Unikraft GET is 2.688 Mreq/s (the
# artifact's last row, 2688.478000 kreq/s).
expect("fig12 unikraft GET true mean", rnd(mean(values(
    d, platform="unikraft-qemu", config="op=GET")), 3), "2688478.000")
expect("fig12 systems", len({r["platform"] for r in d}), 10)
d = load("eurosys21-fig12-redis-mitigoff")
expect("fig12 mitigoff systems", len({r["platform"] for r in d}), 9)
expect("fig12 mitigoff has no rump",
       [r for r in d if r["platform"].startswith("rump")], [])

# ---- fig_13: INDEX.md kreq/s, "%3.1f" of mean / 1000 ----------------------
d = load("eurosys21-fig13-nginx")
for plat, kreq in [("unikraft-qemu", "291.8"), ("osv-qemu", "232.7"),
                   ("lupine-qemu", "189.0"), ("native", "175.6"),
                   ("docker", "160.3"), ("mirage-solo5", "25.9")]:
    expect("fig13 %s kreq/s" % plat,
           rnd(mean(values(d, platform=plat)) / 1000, 1), kreq)
expect("fig13 mirage runs", len(values(d, platform="mirage-solo5")), 8)
expect("fig13 unikraft runs", len(values(d, platform="unikraft-qemu")), 5)

# ---- fig_14: INDEX.md totals (ms, 2 decimals), buddy alloc 2.42 ms -------
d = load("eurosys21-fig14-alloc-boot")
for alloc, ms in [("buddy", "3.07"), ("mimalloc", "0.94"),
                  ("tinyalloc", "0.87"), ("tlsf", "0.51"),
                  ("region", "0.49")]:
    rows = values(d, config="alloc=" + alloc)
    expect("fig14 %s rows (10 boots x 9 phases)" % alloc, len(rows), 90)
    expect("fig14 %s total ms" % alloc, rnd(sum(rows) / 10 / 1000, 2), ms)
expect("fig14 buddy alloc ms", rnd(mean(values(
    d, config="alloc=buddy", metric="alloc")) / 1000, 2), "2.42")
# The artifact's published phase means (paperresults/1024M/tlsf.csv, read by
# hand): the per-boot rows must average to them.
for phase, us in [("plat", "19.47"), ("virtio", "2.76"), ("vfscore", "5.72"),
                  ("alloc", "23.66"), ("ukbus", "244.14"),
                  ("pthreads", "1.18"), ("lwip", "100.95"),
                  ("rootfs", "89.96"), ("misc", "19.69")]:
    expect("fig14 tlsf %s mean us" % phase, rnd(mean(values(
        d, config="alloc=tlsf", metric=phase)), 2, ROUND_HALF_EVEN), us)

# ---- fig_15: INDEX.md kreq/s ---------------------------------------------
d = load("eurosys21-fig15-alloc-nginx")
for alloc, kreq in [("tlsf", "293.3"), ("mimalloc", "291.2"),
                    ("buddy", "274.8"), ("tinyalloc", "217.1")]:
    expect("fig15 %s kreq/s" % alloc, rnd(mean(values(
        d, config="alloc=" + alloc)) / 1000, 1), kreq)

# ---- fig_16: INDEX.md relative speedup vs mimalloc (%), mimalloc means ---
d = load("eurosys21-fig16-alloc-sqlite")


def t16(alloc, n):
    return mean(values(d, config="alloc=%s;queries=%d" % (alloc, n)))


for n, alloc, pct in [(10, "buddy", "-12.5"), (10, "tinyalloc", "31.8"),
                      (10, "tlsf", "23.2"), (60000, "buddy", "-77.1"),
                      (60000, "tinyalloc", "-14.5"), (60000, "tlsf", "-9.8"),
                      (100000, "tinyalloc", "-21.0"),
                      (100000, "tlsf", "-13.8")]:
    rel = (t16("mimalloc", n) - t16(alloc, n)) / t16(alloc, n) * 100
    expect("fig16 N=%d %s %%" % (n, alloc), rnd(rel, 1), pct)
expect("fig16 mimalloc N=10 ms", rnd(t16("mimalloc", 10) * 1000, 3), "0.298")
expect("fig16 mimalloc N=10000 ms", rnd(t16("mimalloc", 10000) * 1000, 1),
       "89.5")
expect("fig16 mimalloc N=100000 s", rnd(t16("mimalloc", 100000), 2), "3.08")
expect("fig16 buddy has no N=100000",
       [r for r in d if r["config"] == "alloc=buddy;queries=100000"], [])
expect("fig16 rows", len(d), 460)

# ---- fig_18: INDEX.md GET/SET Mreq/s from the data (figure method) -------
d = load("eurosys21-fig18-alloc-redis")
for alloc, get, set_ in [("mimalloc", "2.76", "2.24"),
                         ("tlsf", "2.55", "2.00"),
                         ("buddy", "2.40", "1.88"),
                         ("tinyalloc", "1.01", "0.77")]:
    for op, want in [("GET", get), ("SET", set_)]:
        xs = values(d, config="alloc=%s;op=%s" % (alloc, op))
        expect("fig18 %s %s" % (alloc, op),
               running_mean_label(xs, 1000000, 2), want)

# ---- fig_21: INDEX.md per-boot means (us) and figure labels --------------
d = load("eurosys21-fig21-boot-pt")
for cfg, true_mean, label in [("pt=static;mem_mib=1024", "29.28", "29"),
                              ("pt=dynamic;mem_mib=32", "46.40", "46"),
                              ("pt=dynamic;mem_mib=1024", "71.50", "71"),
                              ("pt=dynamic;mem_mib=3072", "113.63", "114")]:
    xs = values(d, config=cfg)
    expect("fig21 %s boots" % cfg, len(xs), 10)
    expect("fig21 %s mean" % cfg, rnd(mean(xs), 2), true_mean)
    expect("fig21 %s label" % cfg, running_mean_label(xs, 1, 0), label)

# ---- fig_22: INDEX.md cycles (and ns for SHFS), rounded -------------------
d = load("eurosys21-fig22-vfs")
for plat, fs, exists, nofile in [("unikraft", "shfs", 308, 291),
                                 ("unikraft", "vfs", 1637, 2219),
                                 ("linux", "vfs", 2647, 4054),
                                 ("linux-nomitig", "vfs", 1968, 3277)]:
    for case, want in [("file-exists", exists), ("no-file", nofile)]:
        expect("fig22 %s %s %s" % (plat, fs, case), rnd(values(
            d, platform=plat, metric="cycles",
            config="fs=%s;case=%s" % (fs, case))[0], 0), want)
for case, ns in [("file-exists", 86), ("no-file", 81)]:
    expect("fig22 shfs ns " + case, rnd(values(
        d, platform="unikraft", metric="ns",
        config="fs=shfs;case=" + case)[0], 0), ns)

# ---- txt_01: INDEX.md mean boot times (ms), OSv median, boot counts ------
d = load("eurosys21-txt01-boot-others")
for plat, ms in [("osv-rofs", "4.41"), ("rump", "14.41"),
                 ("lupine-nokml", "17.80"), ("hermitux-light", "31.00"),
                 ("hermitux", "32.42"), ("docker-min", "66.30"),
                 ("lupine", "68.07"), ("alpine-vm", "331.55")]:
    expect("txt01 %s mean ms" % plat, rnd(mean(values(d, platform=plat)),
                                         2), ms)
osv = sorted(values(d, platform="osv-rofs"))
expect("txt01 osv median ms", rnd((osv[14] + osv[15]) / 2, 2), "3.24")
expect("txt01 alpine boots", len(values(d, platform="alpine-vm")), 29)
expect("txt01 osv boots", len(osv), 30)

# ---- txt_02: INDEX.md difference of means, ms ----------------------------
d = load("eurosys21-txt02-9pfs")
for plat, base, with9p, diff in [("unikraft-kvm", "104.387", "104.748",
                                  "0.361"),
                                 ("unikraft-xen", "0.1345", "2.7985",
                                  "2.664")]:
    places = len(base.split(".")[1])
    a = mean(values(d, platform=plat, config="9pfs=no")) / 1000000
    b = mean(values(d, platform=plat, config="9pfs=yes")) / 1000000
    expect("txt02 %s mean without" % plat, rnd(a, places), base)
    expect("txt02 %s mean with" % plat, rnd(b, places), with9p)
    expect("txt02 %s overhead ms" % plat, rnd(b - a, 3), diff)

# ---- course answers b, "reality" bullets ---------------------------------
d = load("course-measurements")
course = {
    "linpack": {"native": 2000000, "docker": 2000000, "qemu": 33000,
                "qemu-kvm": 33000},            # "~2 Mio", "~33,000 KFLOPS"
    "memsweep": {"native": 5, "docker": 5, "qemu": 140,
                 "qemu-kvm": 140},              # "~5 s", "~140 s"
    "diskwrite": {"native": 400, "docker": 400, "qemu": 400,
                  "qemu-kvm": 400},             # "~400 Mbps" for all four
    "forksum": {"native": "2.7", "docker": "2.7", "qemu": 36,
                "qemu-kvm": 36},                # "~2.7s", "~36s"
    "nginx": {"native": 420, "docker": 660, "qemu": 79000,
              "qemu-kvm": 77000},               # ~420, ~660, ~79,000, ~77,000 ms
}
for bench, per in course.items():
    for plat, want in per.items():
        v = values(d, benchmark=bench, platform=plat)
        expect("course %s %s" % (bench, plat), v, [Decimal(str(want))])
expect("course all approximate", {r["approx"] for r in d}, {"1"})
expect("course diskwrite unit", {r["unit"] for r in d
                                 if r["benchmark"] == "diskwrite"}, {"Mbps"})

# ---- firebench: the three 'time sha256sum' outputs per VMM ----------------
d = load("firebench-sha256sum")
fire = {"qemu-microvm": {"real": ["20.42", "19.19", "19.05"],
                         "user": ["17.84", "17.75", "17.63"],
                         "sys": ["1.33", "1.43", "1.41"]},
        "firecracker": {"real": ["20.36", "19.30", "19.28"],
                        "user": ["17.72", "17.63", "17.58"],
                        "sys": ["2.61", "1.52", "1.55"]}}
for plat, metrics in fire.items():
    for metric, want in metrics.items():
        got = [r["value"] for r in sorted(
            (r for r in d if r["platform"] == plat and r["metric"] == metric),
            key=lambda r: int(r["run"]))]
        expect("firebench %s %s" % (plat, metric), got, want)
d = load("firebench-meminfo")
for plat, field, kb in [("firecracker", "MemTotal", 1012792),
                        ("qemu-microvm", "MemTotal", 1012620),
                        ("firecracker", "Cached", 923436),
                        ("qemu-microvm", "Cached", 918292),
                        ("qemu-microvm", "Slab", 8940),
                        ("firecracker", "DirectMap2M", 1030144)]:
    expect("meminfo %s %s" % (plat, field),
           values(d, platform=plat, metric=field), [Decimal(kb)])
expect("meminfo fields per VMM", len(values(d, platform="firecracker")), 47)

# ---- HermitCore on Xen post: every cell of the basic and boot tables,
# the STREAM bandwidths and the copy/triad times -----------------------------
plats = ["hermitcore-kvm", "hermitcore-qemu", "hermitcore-xen-hvm",
         "hermitcore-xen-pvh"]
d = load("hermitcore-syscall")
for metric, cells in [("getpid", [9, 122, 12, 12]),
                      ("sched_yield", [79, 360, 90, 83]),
                      ("malloc", [5858, 51812, 51311, 86658]),
                      ("write_access", [3368, 34626, 42607, 83368])]:
    for plat, want in zip(plats, cells):
        expect("hermitcore %s %s" % (plat, metric),
               values(d, platform=plat, metric=metric), [Decimal(want)])
d = load("hermitcore-stream")
for metric, cells in [("copy", ["23342.8", "5153.7", "24294.7", "24141.9"]),
                      ("scale", ["16556.5", "1094.8", "17263.1", "17189.3"]),
                      ("add", ["19264.9", "1562.1", "20038.9", "19955.0"]),
                      ("triad", ["19088.8", "897.4", "19856.3", "19772.2"]),
                      ("copy_time_avg", ["0.009865", "0.045812", "0.009369",
                                         "0.009469"]),
                      ("triad_time_min", ["0.017602", "0.374413", "0.016922",
                                          "0.016994"]),
                      ("triad_time_max", ["0.021669", "0.415066", "0.018756",
                                          "0.021154"])]:
    for plat, want in zip(plats, cells):
        expect("hermitcore %s %s" % (plat, metric),
               [r["value"] for r in d if r["platform"] == plat
                and r["metric"] == metric], [want])
expect("hermitcore stream rows", len(d), 64)
d = load("hermitcore-boot")
for plat, ms in zip(plats, [80, 60, 6140, 80]):
    expect("hermitcore boot " + plat, values(d, platform=plat),
           [Decimal(ms)])

# ---- Unikraft performance page claims -------------------------------------
d = load("unikraft-claims")
claims = {r["metric"]: (r["value"], r["unit"], r["bound"]) for r in d}
for metric, want in [("speedup_min", ("1.7", "x", "lower")),
                     ("speedup_max", ("2.7", "x", "upper")),
                     ("size", ("1", "MB", "approx")),
                     ("min_mem", ("10", "MB", "upper")),
                     ("guest_ms", ("1", "ms", "approx")),
                     ("total_ms_min", ("2", "ms", "lower")),
                     ("total_ms_max", ("40", "ms", "upper"))]:
    expect("claim " + metric, claims.get(metric), want)

for f in failures:
    print("FAIL " + f)
print("%d headline checks, %d failed" % (checks, len(failures)))
sys.exit(1 if failures else 0)
EOF
