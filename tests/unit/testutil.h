/*
 * testutil: what several unit tests share: the headers cmocka needs before
 * it, N_OF, assert_rel for comparing with a reference value and next_u64
 * for reproducible random inputs. Included
 * by the tests themselves; the Makefile builds each tests/unit/NAME_test.c
 * on its own, so these helpers are static inline rather than a library.
 */
#ifndef TESTS_UNIT_TESTUTIL_H
#define TESTS_UNIT_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* x within a relative tol of the reference ref (absolute when ref is 0);
 * the message names what, both values and the error. */
static inline void assert_rel(double x, double ref, double tol,
			      const char *what)
{
	double err = ref == 0.0 ? fabs(x) : fabs(x - ref) / fabs(ref);

	if (!(err <= tol))
		fail_msg("%s: got %.17g, expected %.17g (relative error %g)",
			 what, x, ref, err);
}

/* splitmix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014), as bench/gencsv.c: random test inputs that
 * are the same on every run. */
static inline uint64_t next_u64(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

#endif
