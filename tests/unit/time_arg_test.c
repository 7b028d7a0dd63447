/*
 * time_arg_test.c - unit tests of time_parse_arg (common/timefmt.c), the
 * instants given on command lines, printing TAP. Run by
 * tests/t1140-time-arg.t.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "timefmt.h"

/* arg reads as the instant ISO-8601 text want names. */
static void
reads_as(const char *arg, const char *want)
{
	char what[128];
	hs_time t, w;

	snprintf(what, sizeof(what), "'%s' is %s", arg, want);
	ok(time_parse_arg(arg, &t) == 0 &&
	    time_parse_iso(want, strlen(want), &w) == 0 && t == w, what);
}

static void
refused(const char *arg)
{
	char what[128];
	hs_time t;

	snprintf(what, sizeof(what), "'%s' is refused", arg);
	ok(time_parse_arg(arg, &t) == -1, what);
}

int
main(void)
{
	static const char *bad[] = { "", "1762612200", "@", "@-", "@1.",
	    "@.5", "@1.1234567", "@1e9", "@ 1", "@0x10", "@1762612200x",
	    "@9999999999999", "@253402300800", "@-62135596801", "now ",
	    "Now", "2025-11-8", "2025-13-01", "2025-02-30", "20251108",
	    "2025-11-08T", "0001-01-01T00:00:00+01:00", "0000-12-31" };
	hs_time t, before;
	struct timespec ts;
	size_t i;

	setenv("TZ", "UTC", 1);
	reads_as("2025-11-08T14:30:00Z", "2025-11-08T14:30:00Z");
	reads_as("2025-11-08T14:30:00.123456+01:00", "2025-11-08T13:30:00.123456Z");
	reads_as("2025-11-08", "2025-11-08T00:00:00");
	reads_as("2024-02-29", "2024-02-29T00:00:00");
	reads_as("@1762612200", "2025-11-08T14:30:00Z");
	reads_as("@1762612200.5", "2025-11-08T14:30:00.500Z");
	reads_as("@1762612200.000001", "2025-11-08T14:30:00.000001Z");
	reads_as("@0", "1970-01-01T00:00:00Z");
	reads_as("@-1.5", "1969-12-31T23:59:58.500Z");
	reads_as("@253402300799.999999", "9999-12-31T23:59:59.999999Z");
	reads_as("@-62135596800", "0001-01-01T00:00:00Z");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused(bad[i]);

	clock_gettime(CLOCK_REALTIME, &ts);
	before = (hs_time)ts.tv_sec * HS_USEC_PER_SEC;
	ok(time_parse_arg("now", &t) == 0 && t >= before &&
	    t < before + 5 * HS_USEC_PER_SEC, "'now' is the wall clock");
	ok(t % 1000 == 0, "'now' is to the millisecond");
	ok(strstr(TIME_ARG_FORMS, "@1762612200") != NULL &&
	    strstr(TIME_ARG_FORMS, "now") != NULL &&
	    strstr(TIME_ARG_FORMS, "2025-11-08)") != NULL,
	    "TIME_ARG_FORMS names every form");
	return tap_done();
}
