/*
 * load_field: the per-field rules of the data contract that do not need
 * the reader's state: numbers, run indices, units and UTF-8. Split from
 * load.c to keep both files short; declared in load.h so that the unit
 * tests can call them directly.
 */
#include "load_priv.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Field text quoted in a message is cut here so a runaway quoted field
 * cannot push the message itself past DIAG_MSG_MAX. */
#define SHOW_MAX 60

/* Length of buf[0..n-1] without a UTF-8 character cut short at its end. */
static size_t utf8_cut(const char *buf, size_t n)
{
	size_t lead = n, want;
	unsigned char c;

	while (lead > 0 && ((unsigned char)buf[lead - 1] & 0xc0) == 0x80)
		lead--;
	if (lead == 0)
		return n;
	c = (unsigned char)buf[lead - 1];
	want = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	return n - (lead - 1) < want ? lead - 1 : n;
}

char *load_show(char *buf, size_t size, const char *s)
{
	size_t o = 0, i;

	if (size == 0)
		return buf;
	for (i = 0; s[i] && o + 8 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i == SHOW_MAX) {
			o = utf8_cut(buf, o);
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (c == '\n' || c == '\r' || c == '\t') {
			buf[o++] = '\\';
			buf[o++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
		} else {
			buf[o++] = (char)c;
		}
	}
	buf[o] = '\0';
	return buf;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Scan the longest prefix of s that has the form of a decimal number:
 * [+-] digits [. digits] [(e|E) [+-] digits], at least one mantissa digit.
 * Returns its length (0 when there is none). While scanning it gathers up
 * to 19 significant digits into *mant and the power of ten they are
 * scaled by into *exp10; *is_exact is 0 when digits were dropped or the
 * exponent is too long for an int, so only strtod can round correctly.
 */
static size_t scan_decimal(const char *s, size_t len, uint64_t *mant,
			   long *exp10, int *is_exact)
{
	size_t i = 0, n_sig = 0, n_mant = 0, e_start;
	long e = 0, frac = 0;
	int is_dot = 0, neg_e = 0;

	*mant = 0;
	*is_exact = 1;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	for (; i < len && (is_digit(s[i]) || (s[i] == '.' && !is_dot)); i++) {
		if (s[i] == '.') {
			is_dot = 1;
			continue;
		}
		n_mant++;
		if (*mant == 0 && s[i] == '0') {
			frac += is_dot;
			continue;
		}
		if (n_sig < 19) {
			*mant = *mant * 10 + (uint64_t)(s[i] - '0');
			n_sig++;
			frac += is_dot;
		} else {
			*is_exact = 0;
		}
	}
	if (n_mant == 0)
		return 0;
	e_start = i;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			neg_e = s[i++] == '-';
		if (i == len || !is_digit(s[i]))
			return e_start;	/* "12e" or "1e+x": the number ends before 'e' */
		for (; i < len && is_digit(s[i]); i++) {
			if (e > 99999)
				*is_exact = 0;
			else
				e = e * 10 + (s[i] - '0');
		}
	}
	*exp10 = (neg_e ? -e : e) - frac;
	return i;
}

/* Is s (after an optional sign) a spelling of NaN or infinity that strtod
 * would accept? */
static int is_nan_inf(const char *s)
{
	if (*s == '+' || *s == '-')
		s++;
	return !strncasecmp(s, "nan", 3) || !strncasecmp(s, "inf", 3);
}

static void value_syntax_error(const char *s, size_t len, size_t prefix,
			       char *msg, size_t msg_size)
{
	char shown[4 * SHOW_MAX];
	size_t i = prefix;

	load_show(shown, sizeof(shown), s);
	while (i < len && s[i] == ' ')
		i++;
	if (is_nan_inf(s)) {
		snprintf(msg, msg_size, "value '%s' is not a finite number",
			 shown);
	} else if (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' ||
		   s[len - 1] == '\t') {
		snprintf(msg, msg_size, "value '%s' is not a number (remove "
			 "the spaces around it)", shown);
	} else if (prefix > 0 && (s[prefix] == 'x' || s[prefix] == 'X')) {
		snprintf(msg, msg_size, "value '%s' is not a decimal number",
			 shown);
	} else if (prefix > 0 && i < len &&
		   (((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') ||
		    s[i] == '%' || (unsigned char)s[i] >= 0x80)) {
		snprintf(msg, msg_size, "value '%s' is not a number "
			 "(put units in the 'unit' column)", shown);
	} else if (prefix > 0 && s[prefix] == ',') {
		snprintf(msg, msg_size, "value '%s' is not a number "
			 "(use '.' as the decimal point and no thousands "
			 "separator)", shown);
	} else {
		snprintf(msg, msg_size, "value '%s' is not a number", shown);
	}
}

const unsigned char load_mask_bytes[96] = {
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255
};

/* Exact powers of ten (load_priv.h, load_plain_decimal). */
const double load_pow10_exact[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

int load_parse_value(const char *s, size_t len, double *out,
		     char *msg, size_t msg_size)
{
	uint64_t mant;
	long exp10 = 0;
	int is_exact;
	size_t n;

	if (load_plain_decimal(s, len, out) == 0)
		return 0;
	n = scan_decimal(s, len, &mant, &exp10, &is_exact);
	char shown[4 * SHOW_MAX];
	char *end;
	double v;

	if (len == 0) {
		snprintf(msg, msg_size, "value is empty");
		return -1;
	}
	if (n != len) {
		value_syntax_error(s, len, n, msg, msg_size);
		return -1;
	}
	if (is_exact && mant <= (UINT64_C(1) << 53) && exp10 >= -22 &&
	    exp10 <= 22) {
		v = (double)mant;
		v = exp10 < 0 ? v / load_pow10_exact[-exp10] : v * load_pow10_exact[exp10];
		*out = s[0] == '-' ? -v : v;
		return 0;
	}
	errno = 0;
	v = strtod(s, &end);
	if (errno == ERANGE && isinf(v)) {
		snprintf(msg, msg_size, "value '%s' is out of range "
			 "(larger than 1.8e308)", load_show(shown,
			 sizeof(shown), s));
		return -1;
	}
	if (v == 0 && mant != 0) {
		snprintf(msg, msg_size, "value '%s' is too small: it "
			 "underflows to 0", load_show(shown, sizeof(shown), s));
		return -1;
	}
	*out = v;
	return 0;
}

int load_parse_run(const char *s, size_t len, double *out,
		   char *msg, size_t msg_size)
{
	char shown[4 * SHOW_MAX];
	uint64_t r = 0;
	size_t i;

	/* 15 digits keep every index below 2^53, exact as a double. */
	for (i = 0; i < len && i < 16 && is_digit(s[i]); i++)
		r = r * 10 + (uint64_t)(s[i] - '0');
	if (len == 0 || i != len || len > 15) {
		snprintf(msg, msg_size, "run '%s' is not a non-negative "
			 "integer", load_show(shown, sizeof(shown), s));
		return -1;
	}
	*out = (double)r;
	return 0;
}

enum dimension {
	DIM_TIME,		/* base unit: ns */
	DIM_SIZE,		/* base unit: B */
	DIM_RATE,		/* base unit: bit/s (so B/s is 8) */
	DIM_FLOPS,		/* base unit: FLOPS */
	DIM_CYCLES
};

struct unit_def {
	const char *name;
	enum dimension dim;
	double scale;		/* in the base unit of dim; an integer */
};

/*
 * The units that convert into each other. Every scale is an integer that
 * a double holds exactly (<= 2^53), so converting within a dimension is
 * one multiplication or division by an exact integer whenever one scale
 * divides the other. Decimal prefixes are SI (10^3), binary ones IEC
 * (2^10); 'kB' is the SI spelling, 'KB' the common one; both are 10^3.
 */
static const struct unit_def units[] = {
	{ "ns", DIM_TIME, 1 }, { "us", DIM_TIME, 1e3 },
	{ "\xc2\xb5s", DIM_TIME, 1e3 }, { "ms", DIM_TIME, 1e6 },
	{ "s", DIM_TIME, 1e9 }, { "min", DIM_TIME, 6e10 },
	{ "h", DIM_TIME, 3.6e12 },
	{ "B", DIM_SIZE, 1 }, { "KB", DIM_SIZE, 1e3 }, { "kB", DIM_SIZE, 1e3 },
	{ "MB", DIM_SIZE, 1e6 }, { "GB", DIM_SIZE, 1e9 },
	{ "TB", DIM_SIZE, 1e12 }, { "KiB", DIM_SIZE, 1024.0 },
	{ "MiB", DIM_SIZE, 1048576.0 }, { "GiB", DIM_SIZE, 1073741824.0 },
	{ "TiB", DIM_SIZE, 1099511627776.0 },
	{ "b/s", DIM_RATE, 1 }, { "bps", DIM_RATE, 1 },
	{ "Kb/s", DIM_RATE, 1e3 }, { "kb/s", DIM_RATE, 1e3 },
	{ "Kbps", DIM_RATE, 1e3 }, { "kbps", DIM_RATE, 1e3 },
	{ "Mb/s", DIM_RATE, 1e6 }, { "Mbps", DIM_RATE, 1e6 },
	{ "Gb/s", DIM_RATE, 1e9 }, { "Gbps", DIM_RATE, 1e9 },
	{ "B/s", DIM_RATE, 8 }, { "KB/s", DIM_RATE, 8e3 },
	{ "kB/s", DIM_RATE, 8e3 }, { "MB/s", DIM_RATE, 8e6 },
	{ "GB/s", DIM_RATE, 8e9 }, { "KiB/s", DIM_RATE, 8192.0 },
	{ "MiB/s", DIM_RATE, 8388608.0 }, { "GiB/s", DIM_RATE, 8589934592.0 },
	{ "FLOPS", DIM_FLOPS, 1 }, { "KFLOPS", DIM_FLOPS, 1e3 },
	{ "MFLOPS", DIM_FLOPS, 1e6 }, { "GFLOPS", DIM_FLOPS, 1e9 },
	{ "TFLOPS", DIM_FLOPS, 1e12 },
	{ "cycles", DIM_CYCLES, 1 }, { "Kcycles", DIM_CYCLES, 1e3 },
	{ "Mcycles", DIM_CYCLES, 1e6 }
};

static const struct unit_def *unit_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(units[i].name, name))
			return &units[i];
	return NULL;
}

int load_unit_convert(const char *from, const char *to, double v,
		      double *out)
{
	const struct unit_def *a, *b;

	if (!strcmp(from, to)) {
		*out = v;
		return 0;
	}
	a = unit_find(from);
	b = unit_find(to);
	if (!a || !b || a->dim != b->dim)
		return -1;
	if (fmod(a->scale, b->scale) == 0)
		*out = v * (a->scale / b->scale);
	else if (fmod(b->scale, a->scale) == 0)
		*out = v / (b->scale / a->scale);
	else	/* KiB vs KB: two roundings, still within 1 ulp */
		*out = v * a->scale / b->scale;
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

enum better load_better_from_unit(const char *unit)
{
	const struct unit_def *u = unit_find(unit);
	size_t n = strlen(unit);

	if (u)
		return u->dim == DIM_RATE || u->dim == DIM_FLOPS ?
			BETTER_HIGHER : BETTER_LOWER;
	/* Rates not in the table: req/s, ops/s, pages/s, IOPS, fps, ... */
	if (ends_with(unit, "/s") || ends_with(unit, "ps") ||
	    ends_with(unit, "PS") ||
	    (n >= 5 && !strcasecmp(unit + n - 5, "flops")))
		return BETTER_HIGHER;
	if (ends_with(unit, "cycles") || !strcmp(unit, "sec") ||
	    !strcmp(unit, "seconds") || !strcmp(unit, "bytes"))
		return BETTER_LOWER;
	return BETTER_UNSET;
}

/*
 * UTF-8 as RFC 3629 section 4 defines it: the table of well-formed byte
 * sequences excludes overlong forms (C0, C1, E0 80..9F, F0 80..8F),
 * surrogates (ED A0..BF) and code points past U+10FFFF (F4 90.., F5..FF).
 */
size_t load_utf8_check(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n, k;
		unsigned char lo = 0x80, hi = 0xbf;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			if (c == 0xe0)
				lo = 0xa0;
			else if (c == 0xed)
				hi = 0x9f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f;
		} else {
			return i;
		}
		for (k = 1; k <= n; k++) {
			if (i + k >= len || s[i + k] < lo || s[i + k] > hi)
				return i;
			lo = 0x80;
			hi = 0xbf;
		}
		i += n + 1;
	}
	return len;
}
