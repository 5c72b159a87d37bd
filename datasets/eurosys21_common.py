"""Shared parts of datasets/convert-eurosys21: input readers, the decimal
helpers, the tidy-row container and the sidecar skeleton.

Not a program of its own; see convert-eurosys21 for usage.
"""

import decimal
import json
import re
from decimal import Decimal

CONTRACT = ["platform", "benchmark", "metric", "value", "unit", "run",
            "better", "config", "host", "timestamp"]
HOST = ("not recorded in the artifact data; the constant cycles/ns ratio "
        "of 3.6 in fig_22 implies a 3.6 GHz TSC on the Unikraft test host")
CITATION = ("Simon Kuenzer et al., \"Unikraft: Fast, Specialized Unikernels "
            "the Easy Way\", EuroSys 2021; artifact repository "
            "unikraft/eurosys21-artifacts, commit "
            "d88853d509c43f4bcd1633e9fec49e4d02241985 (2021-07-06)")
EXACT = ("no value is approximate: numbers are copied digit for digit from "
         "the artifact files or derived from them exactly")

# Decimal arithmetic wide enough that no derivation here ever rounds.
decimal.getcontext().prec = 50


class InputError(Exception):
    """Bad or self-contradicting input: message is 'FILE:LINE: ...'."""


def where(path, line=None):
    """FILE or FILE:LINE for diagnostics (1-based lines)."""
    return path if line is None else "%s:%d" % (path, line)


def read_text(path):
    try:
        with open(path, "r", encoding="utf-8", newline="") as f:
            return f.read()
    except UnicodeDecodeError:
        raise InputError("%s: not valid UTF-8" % path)
    except OSError as e:
        raise InputError("%s: cannot read (%s)" % (path, e.strerror))


def read_tsv(path, header=None, ncols=None):
    """Rows of a tab-separated file as (line number, fields).

    header: the exact header fields expected on line 1, or None when the
    file has no header. ncols: required field count of each data row.
    Blank lines are skipped (txt_02 files open with one).
    """
    rows = []
    lines = read_text(path).split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for i, text in enumerate(lines, 1):
        text = text.rstrip("\r")
        fields = text.split("\t")
        if i == 1 and header is not None:
            if fields != header:
                raise InputError("%s: header is '%s', expected '%s'" % (
                    where(path, 1), "\\t".join(fields),
                    "\\t".join(header)))
            continue
        if text.strip() == "":
            continue
        if ncols is not None and len(fields) != ncols:
            raise InputError("%s: %d fields, expected %d" % (
                where(path, i), len(fields), ncols))
        rows.append((i, fields))
    if not rows:
        raise InputError("%s: no data rows" % path)
    return rows


NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def num(text, path, line):
    """Decimal of a plain decimal number; anything else is an InputError."""
    text = text.strip()
    if not NUMBER.match(text):
        raise InputError("%s: '%s' is not a plain decimal number" % (
            where(path, line), text))
    return Decimal(text)


def dec(d):
    """Canonical text of a Decimal: fixed point, no exponent."""
    s = format(d, "f")
    return "0" if s in ("-0", "") else s


def round_to(d, places):
    return d.quantize(Decimal(1).scaleb(-places),
                      rounding=decimal.ROUND_HALF_EVEN)


class Dataset:
    """One output: tidy rows (dicts), extra columns, sidecar metadata."""

    def __init__(self, name, extra, meta):
        self.name = name
        self.columns = CONTRACT + extra
        self.rows = []
        self.meta = meta

    def add(self, **kw):
        for key in kw:
            if key not in self.columns:
                raise KeyError("%s: unknown column %s" % (self.name, key))
        self.rows.append(kw)

    def csv_text(self):
        out = [",".join(self.columns)]
        for r in self.rows:
            out.append(",".join(csv_field(str(r.get(c, "")))
                                for c in self.columns))
        return "\n".join(out) + "\n"

    def meta_text(self):
        return json.dumps(self.meta, indent=2, ensure_ascii=False) + "\n"


def csv_field(s):
    """RFC 4180 quoting, only when needed."""
    if any(c in s for c in ",\"\r\n"):
        return '"' + s.replace('"', '""') + '"'
    return s


def meta(source, units, derivation, notes, files):
    return {
        "source": source,
        "citation": CITATION,
        "units": units,
        "host": HOST,
        "approximate": False,
        "approximate_note": EXACT,
        "derivation": derivation,
        "source_files": files,
        "notes": notes,
    }


# Allocators of figures 14-18: artifact name and the figures' legend text.
ALLOCS = [("buddy", "Binary buddy"), ("mimalloc", "Mimalloc"),
          ("region", "Bootalloc"), ("tinyalloc", "tinyalloc"),
          ("tlsf", "TLSF")]
ALLOC_LABEL = dict(ALLOCS)
