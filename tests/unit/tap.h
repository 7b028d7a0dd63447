/*
 * tap.h - the Test Anything Protocol for the C unit tests: ok() prints one
 * result line, tap_done() the plan, and returns main's exit status;
 * tap_random() is a fixed sequence of pseudo-random numbers (xorshift).
 */
#ifndef HS_TAP_H
#define HS_TAP_H

#include <stdint.h>
#include <stdio.h>

static int tap_n, tap_failed;

static void
ok(int cond, const char *what)
{
	printf("%sok %d - %s\n", cond ? "" : "not ", ++tap_n, what);
	tap_failed += !cond;
}

static int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed != 0;
}

static inline uint64_t
tap_random(void)
{
	static uint64_t seed = 88172645463325252ULL;

	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

#endif
