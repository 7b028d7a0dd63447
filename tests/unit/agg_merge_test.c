/*
 * agg_merge_test.c - unit test of field_merge (cmd/hs-agg/agg.c): a state
 * split at any point and merged back equals the state of the values added
 * in one go; first and last follow event times; without times, the input
 * order. Run by tests/t2500-agg-merge.t.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cmd/hs-agg/agg.h"
#include "tap.h"

#define N 1000

static uint64_t seed = 88172645463325252ULL;

static uint64_t
next_random(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static int
close_to(double got, double want, double rel)
{
	return fabs(got - want) <= rel * fmax(fabs(want), 1e-300);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The kept values of two states are the same multiset. */
static int
same_values(struct field_state *a, struct field_state *b)
{
	if (a->nvalues != b->nvalues)
		return 0;
	qsort(a->values, a->nvalues, sizeof(double), cmp_double);
	qsort(b->values, b->nvalues, sizeof(double), cmp_double);
	return memcmp(a->values, b->values, a->nvalues * sizeof(double)) == 0;
}

/* The sum of squared deviations, two passes in long double. */
static double
exact_m2(const double *v, size_t n)
{
	long double mean = 0, m2 = 0;
	size_t i;

	for (i = 0; i < n; i++)
		mean += v[i];
	mean /= n;
	for (i = 0; i < n; i++)
		m2 += (v[i] - mean) * (v[i] - mean);
	return (double)m2;
}

/* Split v[0..n) with times t[] at every point k, merge, compare with the
 * whole; integers keep sums exact, so they must be equal, others close.
 * The slope's co-moment takes b's positions after a's. */
static void
split_everywhere(const char *what, const double *v, const hs_time *t,
    size_t n, int integers)
{
	struct field_state whole, a, b;
	size_t i, k, bad = 0;
	char name[160];

	memset(&whole, 0, sizeof(whole));
	for (i = 0; i < n; i++)
		field_add(&whole, v[i], t[i], 1);
	for (k = 0; k <= n; k++) {
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		for (i = 0; i < k; i++)
			field_add(&a, v[i], t[i], 1);
		for (i = k; i < n; i++)
			field_add(&b, v[i], t[i], 1);
		field_merge(&a, &b, 1);
		if (a.n != whole.n || a.min != whole.min || a.max != whole.max ||
		    a.first != whole.first || a.last != whole.last ||
		    a.first_time != whole.first_time ||
		    a.last_time != whole.last_time ||
		    (integers ? a.sum != whole.sum :
		    !close_to(a.sum, whole.sum, 1e-12)) ||
		    !close_to(a.mean, whole.mean, 1e-12) ||
		    !close_to(a.m2, exact_m2(v, n), 1e-6) ||
		    !same_values(&a, &whole) || b.n != n - k) {
			if (bad++ == 0)
				printf("# %s: split at %zu: n %lu sum %.17g "
				    "mean %.17g m2 %.17g first %g last %g, "
				    "whole: n %lu sum %.17g mean %.17g "
				    "m2 %.17g first %g last %g\n", what, k,
				    a.n, a.sum, a.mean, a.m2, a.first, a.last,
				    whole.n, whole.sum, whole.mean, whole.m2,
				    whole.first, whole.last);
		}
		field_free(&a);
		field_free(&b);
	}
	field_free(&whole);
	snprintf(name, sizeof(name), "%s: every split merged equals the whole",
	    what);
	ok(bad == 0, name);
}

/* State a holds x1 at t1 then x2 at t2, state b y1 at u1 then y2 at u2;
 * merged, first and last are as expected. */
static int
first_last(double x1, hs_time t1, double x2, hs_time t2, double y1,
    hs_time u1, double y2, hs_time u2, double first, double last)
{
	struct field_state a, b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	field_add(&a, x1, t1, 0);
	field_add(&a, x2, t2, 0);
	field_add(&b, y1, u1, 0);
	field_add(&b, y2, u2, 0);
	field_merge(&a, &b, 0);
	if (a.first != first || a.last != last) {
		printf("# first %g, last %g\n", a.first, a.last);
		return 0;
	}
	return 1;
}

int
main(void)
{
	static double v[N];
	static hs_time t[N], none[N];
	struct field_state a, b, empty;
	size_t i;

	for (i = 0; i < N; i++) {
		v[i] = (double)(int)(next_random() % 2001) - 1000;
		t[i] = (hs_time)i * HS_USEC_PER_SEC;
		none[i] = AGG_NO_TIME;
	}
	split_everywhere("integers in time order", v, t, 300, 1);
	split_everywhere("integers, no times (input order)", v, none, 300, 1);
	for (i = 0; i < N; i++)
		t[i] = (hs_time)(next_random() % 100000) * 1000;
	split_everywhere("integers, times out of order", v, t, 300, 1);
	for (i = 0; i < N; i++)
		t[i] = (hs_time)(next_random() % 7) * 1000;
	split_everywhere("integers, many equal times", v, t, 300, 1);
	for (i = 0; i < N; i++) {
		v[i] = (double)(next_random() >> 11) / 9007199254740992.0 *
		    1e3 - 500;
		t[i] = (hs_time)i;
	}
	split_everywhere("fractions", v, t, 300, 0);
	for (i = 0; i < N; i++)
		v[i] = 1e9 + (double)(next_random() % 1000) / 1000;
	split_everywhere("large values close together", v, t, 300, 0);

	/* 1e9 + {0, 0.001, ..., 0.999} in halves: the values themselves hold
	 * only about four digits of their spread, and a sum of squares would
	 * lose all of them */
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	for (i = 0; i < 1000; i++) {
		v[i] = 1e9 + (double)i / 1000;
		field_add(i < 500 ? &a : &b, v[i], AGG_NO_TIME, 0);
	}
	field_merge(&a, &b, 0);
	ok(close_to(a.m2, exact_m2(v, 1000), 1e-3), "the variance of nearly "
	    "equal values, merged, stays accurate");

	ok(first_last(1, 30, 2, 40, 3, 10, 4, 50, 3, 4), "first and last are "
	    "those of the earliest and latest event times");
	ok(first_last(1, 30, 2, 30, 3, 30, 4, 30, 1, 4), "equal times: the "
	    "merged-in state counts as later input");
	ok(first_last(1, AGG_NO_TIME, 2, 20, 3, 5, 4, 30, 1, 4), "a value "
	    "without a time keeps the input order");

	memset(&a, 0, sizeof(a));
	memset(&empty, 0, sizeof(empty));
	field_add(&a, 7, 1, 1);
	field_merge(&a, &empty, 1);
	ok(a.n == 1 && a.sum == 7 && a.first == 7 && a.last == 7 &&
	    a.nvalues == 1, "merging an empty state changes nothing");
	field_merge(&empty, &a, 1);
	ok(empty.n == 1 && empty.min == 7 && empty.max == 7 &&
	    empty.first_time == 1 && empty.last_time == 1 &&
	    empty.nvalues == 1 && empty.values != a.values,
	    "merging into an empty state copies, values included");
	field_free(&a);
	field_free(&empty);
	return tap_done();
}
