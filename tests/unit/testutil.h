/*
 * testutil: what several unit tests share: the headers cmocka needs before
 * it, N_OF, and assert_rel for comparing with a reference value. Included
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

#endif
