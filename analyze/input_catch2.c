/*
 * input_catch2: Catch2 v2's XML reporter (-r xml) with benchmarks.
 *
 * What Catch2 2.13 (Debian 12's catch2) writes for BENCHMARK is a summary
 * per benchmark, not its samples:
 *   <BenchmarkResults name="fib 10" samples="100" resamples="100000"
 *       iterations="237" clockResolution="34.47" estimatedDuration="...">
 *     <mean value="71.0" lowerBound="68.2" upperBound="76.7" ci="0.95"/>
 *     <standardDeviation value="6.2" .../>
 *     <outliers .../>
 * (it has no JSON reporter before v3). So each mean is read as one row (n
 * = 1, no CI), with a note; Catch2's own bootstrap interval and standard
 * deviation cannot be recomputed from it and are not invented here.
 * Mapping:
 *   platform   "native"
 *   benchmark  TestCase name "/" BenchmarkResults name
 *   metric     time, unit ns (Catch2: "All values in nano seconds")
 *   samples    "samples", iterations: "iterations", extra columns
 * The <Catch name> (the test binary) is the provenance. XML is read with
 * expat (libexpat1-dev), a block at a time.
 */
#include "input.h"
#include "xalloc.h"

#include <expat.h>
#include <stdlib.h>
#include <string.h>

struct c2 {
	struct input_file *in;
	struct diag *err;
	XML_Parser xp;
	int status;
	char *test_case;		/* the enclosing <TestCase name> */
	struct input_buf bench;		/* test case / benchmark */
	char samples[32], iterations[32];
	int in_bench;
	int has_mean;
	unsigned long bench_line;
	int is_noted;
};

static const char *attr(const XML_Char **a, const char *name)
{
	for (; a && a[0]; a += 2)
		if (!strcmp(a[0], name))
			return a[1];
	return NULL;
}

static void stop(struct c2 *c, int status)
{
	c->status = status;
	XML_StopParser(c->xp, XML_FALSE);
}

static void bench_start(struct c2 *c, const XML_Char **a)
{
	const char *name = attr(a, "name"), *v;
	unsigned long line = (unsigned long)XML_GetCurrentLineNumber(c->xp);

	if (!name || !*name) {
		stop(c, input_error(c->in, c->err, line, "<BenchmarkResults> "
				    "without a name"));
		return;
	}
	input_buf_clear(&c->bench);
	if (c->test_case)
		input_buf_printf(&c->bench, "%s/", c->test_case);
	input_buf_add(&c->bench, name, strlen(name));
	v = attr(a, "samples");
	snprintf(c->samples, sizeof(c->samples), "%.30s", v ? v : "");
	v = attr(a, "iterations");
	snprintf(c->iterations, sizeof(c->iterations), "%.30s", v ? v : "");
	c->in_bench = 1;
	c->has_mean = 0;
	c->bench_line = line;
}

static void mean_start(struct c2 *c, const XML_Char **a)
{
	const char *v = attr(a, "value");
	unsigned long line = (unsigned long)XML_GetCurrentLineNumber(c->xp);
	struct input_row row;
	char shown[128];
	int rc;

	if (!v) {
		stop(c, input_error(c->in, c->err, line, "<mean> without a "
				    "value"));
		return;
	}
	memset(&row, 0, sizeof(row));
	if (input_parse_double(v, strlen(v), &row.value)) {
		rc = input_skip(c->in, line, "benchmark '%s': mean '%s' is not "
				"a finite number", input_buf_str(&c->bench),
				input_show(shown, sizeof(shown), v));
		if (rc)
			stop(c, rc);
		return;
	}
	if (!c->is_noted) {
		c->is_noted = 1;
		input_note(c->in, line, "Catch2 v2's XML reporter writes only "
			   "summaries (mean, standard deviation and their "
			   "bootstrap intervals), not the samples: each mean "
			   "is read as one row (n = 1, no CI)");
	}
	row.platform = INPUT_DEFAULT_PLATFORM;
	row.benchmark = input_buf_str(&c->bench);
	row.metric = "time";
	row.unit = "ns";
	row.run = -1;
	row.extra[0] = c->samples;
	row.extra[1] = c->iterations;
	c->has_mean = 1;
	if ((rc = input_emit(c->in, line, &row, 2)))
		stop(c, rc);
}

static void XMLCALL on_start(void *data, const XML_Char *el,
			     const XML_Char **a)
{
	struct c2 *c = data;
	const char *name;

	if (c->status)
		return;
	if (!strcmp(el, "Catch") && (name = attr(a, "name")))
		input_provenance(c->in, "Catch2 XML of '%s'", name);
	else if (!strcmp(el, "TestCase")) {
		free(c->test_case);
		name = attr(a, "name");
		c->test_case = name ? xstrdup(name) : NULL;
	} else if (!strcmp(el, "BenchmarkResults"))
		bench_start(c, a);
	else if (!strcmp(el, "mean") && c->in_bench && !c->has_mean)
		mean_start(c, a);
}

static void XMLCALL on_end(void *data, const XML_Char *el)
{
	struct c2 *c = data;

	if (c->status)
		return;
	if (!strcmp(el, "BenchmarkResults")) {
		if (!c->has_mean)
			stop(c, input_error(c->in, c->err, c->bench_line,
					    "benchmark '%s' has no <mean>",
					    input_buf_str(&c->bench)));
		c->in_bench = 0;
	} else if (!strcmp(el, "TestCase")) {
		free(c->test_case);
		c->test_case = NULL;
	}
}

int input_catch2(struct input_file *in, struct diag *err)
{
	static const char *const extras[] = { "samples", "iterations" };
	char block[65536];
	struct c2 c;
	ssize_t n;
	int is_final = 0;

	memset(&c, 0, sizeof(c));
	c.in = in;
	c.err = err;
	c.status = input_begin(in, extras, 2, err);
	c.xp = XML_ParserCreate("UTF-8");
	if (!c.xp) {
		diag_set(err, NULL, 0, "out of memory");
		return STATUS_RUNTIME;
	}
	XML_SetUserData(c.xp, &c);
	XML_SetElementHandler(c.xp, on_start, on_end);
	while (!c.status && !is_final) {
		n = input_fill(in, block, sizeof(block), err);
		if (n < 0) {
			c.status = STATUS_RUNTIME;
			break;
		}
		is_final = n == 0;
		if (XML_Parse(c.xp, block, (int)n, is_final) == XML_STATUS_ERROR &&
		    !c.status)
			c.status = input_error(in, err, (unsigned long)
					       XML_GetCurrentLineNumber(c.xp),
					       "invalid XML: %s",
					       XML_ErrorString(XML_GetErrorCode(
							       c.xp)));
	}
	XML_ParserFree(c.xp);
	free(c.test_case);
	input_buf_release(&c.bench);
	if (!c.status && in->n_rows == 0 && in->n_skipped == 0)
		c.status = input_error(in, err, 0, "no <BenchmarkResults> "
				       "(Catch2 XML of a test binary built "
				       "with benchmarks enabled, run with -r "
				       "xml)");
	return c.status;
}
