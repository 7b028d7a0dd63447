/*
 * tap.h - the Test Anything Protocol for the C unit tests: ok() prints one
 * result line, tap_done() the plan, and returns main's exit status.
 */
#ifndef HS_TAP_H
#define HS_TAP_H

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

#endif
