/*
 * http_hist: the log-linear latency histogram of bench http (layout in
 * http.h). Written for this project after the idea of Gil Tene's
 * HdrHistogram: constant memory, O(1) recording, bounded relative error,
 * and histograms of several threads merge by adding counts.
 */
#include <math.h>
#include <stdlib.h>

#include "http.h"

#define SUB_COUNT ((uint64_t)1 << HTTP_HIST_SUB_BITS)	/* 1024 */

int http_hist_init(struct http_hist *h)
{
	h->counts = calloc(HTTP_HIST_BUCKETS, sizeof(*h->counts));
	h->total = 0;
	h->max_us = 0;
	h->min_us = UINT64_MAX;
	return h->counts ? 0 : -1;
}

void http_hist_release(struct http_hist *h)
{
	free(h->counts);
	h->counts = NULL;
}

/* Position of the highest set bit of v > 0. */
static int top_bit(uint64_t v)
{
	return 63 - __builtin_clzll(v);
}

/*
 * Values below 2 * SUB_COUNT are their own index. A larger value with top
 * bit b is shifted right by e = b - SUB_BITS, leaving a mantissa m in
 * [SUB_COUNT, 2 * SUB_COUNT); its index is 2 * SUB_COUNT + (e - 1) *
 * SUB_COUNT + (m - SUB_COUNT), which is contiguous with the exact range.
 */
size_t http_hist_index(uint64_t value_us)
{
	int e;

	if (value_us >= ((uint64_t)1 << HTTP_HIST_MAX_BITS))
		return HTTP_HIST_BUCKETS - 1;
	if (value_us < 2 * SUB_COUNT)
		return (size_t)value_us;
	e = top_bit(value_us) - HTTP_HIST_SUB_BITS;
	return (size_t)((uint64_t)(e + 1) * SUB_COUNT +
			((value_us >> e) - SUB_COUNT));
}

uint64_t http_hist_bucket_top(size_t index)
{
	uint64_t e, m;

	if (index < 2 * SUB_COUNT)
		return index;
	e = index / SUB_COUNT - 1;
	m = index % SUB_COUNT + SUB_COUNT;
	return ((m + 1) << e) - 1;
}

void http_hist_record(struct http_hist *h, uint64_t value_us)
{
	h->counts[http_hist_index(value_us)]++;
	h->total++;
	if (value_us > h->max_us)
		h->max_us = value_us;
	if (value_us < h->min_us)
		h->min_us = value_us;
}

void http_hist_merge(struct http_hist *dst, const struct http_hist *src)
{
	size_t i;

	for (i = 0; i < HTTP_HIST_BUCKETS; i++)
		dst->counts[i] += src->counts[i];
	dst->total += src->total;
	if (src->max_us > dst->max_us)
		dst->max_us = src->max_us;
	if (src->min_us < dst->min_us)
		dst->min_us = src->min_us;
}

uint64_t http_hist_percentile(const struct http_hist *h, double pct)
{
	uint64_t rank, seen = 0, top;
	double x;
	size_t i;

	if (h->total == 0)
		return 0;
	/* pct * total first, and a relative 1e-12 off, so that 99.9% of
	 * 1000 is rank 999 despite 99.9 having no exact binary value. */
	x = pct * (double)h->total / 100.0;
	rank = (uint64_t)ceil(x - x * 1e-12);
	if (rank < 1)
		rank = 1;
	if (rank > h->total)
		rank = h->total;
	for (i = 0; i < HTTP_HIST_BUCKETS; i++) {
		seen += h->counts[i];
		if (seen >= rank)
			break;
	}
	top = http_hist_bucket_top(i);
	if (top < h->min_us)
		top = h->min_us;
	return top > h->max_us ? h->max_us : top;
}
