/*
 * fmtsig_test.c - unit test of fmt_sig (common/jsonw): the same text as
 * printf's "%.*g" on edge cases and on a million pseudo-random numbers
 * of every magnitude. Run by tests/t7101-fmtsig.t.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "jsonw.h"
#include "tap.h"

static int
same(double d, int digits)
{
	char want[64], got[64];

	snprintf(want, sizeof(want), "%.*g", digits, d);
	fmt_sig(got, d, digits);
	if (strcmp(want, got) != 0) {
		printf("# %.17g at %d digits: %s, printf says %s\n", d, digits,
		    got, want);
		return 0;
	}
	return 1;
}

int
main(void)
{
	static const double edge[] = { 0, -0.0, 1, -1, 20, 20.0659, 0.1,
	    999999.5, 9999995, 0.0001, 0.00012345678, 99999.95, 123456,
	    1234567, 1e15, 1e-5, 3.5975, 100.5, -47.2025, 1e300, 5e-324 };
	uint64_t x = 88172645463325252ULL;
	size_t i, bad = 0;
	int digits;
	double d;

	for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
		for (digits = 1; digits <= 15; digits++)
			bad += !same(edge[i], digits);
	ok(bad == 0, "edge cases: as printf at 1 to 15 digits");
	for (i = 0, bad = 0; i < 1000000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		d = (double)(x >> 11) / 9007199254740992.0;
		d = (x & 1 ? -1 : 1) * d * pow(10, (double)(x >> 3 & 31) - 12);
		bad += !same(d, 3) + !same(d, 6);
	}
	ok(bad == 0, "a million random numbers: as printf at 3 and 6 digits");
	return tap_done();
}
