/*
 * fmtdouble_test.c - unit test of fmt_double (common/jsonw): the same
 * text as printf's "%.15g", "%.16g" or "%.17g" (the first that strtod
 * reads back; integers as "%.0f" below 1e17), for edge cases and
 * millions of pseudo-random doubles: any bits, every magnitude, short
 * decimals as sensors send them, their means, and their neighbours:
 * short decimals take fmt_double's fast path, their neighbours and
 * most means the exact one.
 * HS_FMT_DOUBLE_COUNT sets how many of each kind (default 50000). Run
 * by tests/t6620-fmt-double.t.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"
#include "tap.h"

static uint64_t state = 0x9e3779b97f4a7c15;
static long compared;

static uint64_t
next_random(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

/* What printf gives: the first of 15, 16 and 17 digits that reads back. */
static void
printf_text(char *out, double d)
{
	int prec;

	if (!isfinite(d))
		strcpy(out, "null");
	else if (d == 0)
		strcpy(out, "0");
	else if (d == nearbyint(d) && fabs(d) < 1e17)
		snprintf(out, 32, "%.0f", d);
	else
		for (prec = 15; prec <= 17; prec++) {
			snprintf(out, 32, "%.*g", prec, d);
			if (strtod(out, NULL) == d)
				break;
		}
}

/* d and its three neighbours on each side print as printf prints them. */
static int
same(double d)
{
	char want[48], got[48];
	double x = d;
	int i, n;

	for (i = 0; i < 7; i++) {
		x = i == 0 ? nextafter(nextafter(nextafter(d, -INFINITY),
		    -INFINITY), -INFINITY) : nextafter(x, INFINITY);
		printf_text(want, x);
		n = fmt_double(got, x);
		compared++;
		if (strcmp(want, got) != 0 || n != (int)strlen(want)) {
			printf("# %a: '%s' (%d), printf says '%s'\n", x, got, n,
			    want);
			return 0;
		}
	}
	return 1;
}

/* A decimal of 1 to 17 digits with the point anywhere, as a double. */
static double
short_decimal(void)
{
	char text[32];
	int n = 1 + (int)(next_random() % 17), point, i;

	point = (int)(next_random() % (uint64_t)(n + 1));
	for (i = 0; i < n; i++)
		text[i] = (char)('0' + next_random() % 10);
	text[n] = '\0';
	return strtod(text, NULL) / pow(10, point) *
	    (next_random() % 2 ? -1 : 1);
}

int
main(void)
{
	static const double edge[] = { 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 47.202,
	    0.5, 1.5, 2.5, 1e-4, 1e-3, 1e-2, 0.0001234, 999999999999999.5,
	    999999999999999.9, 99999999999999.99, 1e15, 1e16, 1e17, 1e-5,
	    123456789012345.6, 4503599627370495.5, 0.30000000000000004,
	    9.999999999999999e-5, 5e-324, 2.2250738585072014e-308, 1.7e308,
	    0.000999999999999999, 0.9999999999999999, 9.5, 0.05, 0.95,
	    0.001, 0.0001, 0.00010000000000000002, 99.99999999999999, 47.438,
	    2376.081, 2376.0809999999997, 39.60135, 100000000000000.5,
	    99999999999999.98, 12345.678901234, 0.000123456789012345 };
	char *env = getenv("HS_FMT_DOUBLE_COUNT");
	long count = env != NULL ? atol(env) : 50000, i;
	uint64_t bits;
	double d, sum;
	int all, e, n;

	for (all = 1, i = 0; i < (long)(sizeof(edge) / sizeof(edge[0])); i++)
		all &= same(edge[i]) && same(-edge[i]);
	for (e = -1074; e <= 1023; e++)
		all &= same(ldexp(1, e)) && same(ldexp(1.5, e));
	for (e = -20; e <= 20; e++)
		all &= same(pow(10, e)) && same(5 * pow(10, e));
	ok(all, "edge cases: powers of 2 and 10, halves, binade ends, limits");
	for (all = 1, i = 0; i < count && all; i++) {
		bits = next_random();
		memcpy(&d, &bits, sizeof(d));
		all &= same(d);
	}
	ok(all, "doubles of any bits");
	for (all = 1, i = 0; i < count && all; i++)
		all &= same(ldexp((double)(next_random() >> 11),
		    (int)(next_random() % 120) - 120));
	ok(all, "doubles from 2^-120 to 2^53, every magnitude");
	for (all = 1, i = 0; i < count && all; i++)
		all &= same(short_decimal());
	ok(all, "short decimals, as sensors send them");
	for (all = 1, i = 0; i < count && all; i++) {
		n = 1 + (int)(next_random() % 6000);
		d = short_decimal();
		sum = d * n + short_decimal();
		all &= same(sum / (n + 1));
	}
	ok(all, "means of decimals, as hs-agg prints them");
	printf("# %ld doubles compared with printf\n", compared);
	return tap_done();
}
