/*
 * timefmt_test.c - unit tests of the bounds of time (timefmt.h): instants
 * outside the years 0001 to 9999 are refused before any arithmetic can
 * overflow, durations are bounded, and Spark's spellings of durations are
 * read. Prints TAP; run by tests/t0210-time-range.t.
 */
#include <stdint.h>
#include <string.h>

#include "tap.h"
#include "timefmt.h"

static int
iso(const char *s)
{
	hs_time t;

	return time_parse_iso(s, strlen(s), &t);
}

static int
duration_is(const char *s, hs_time want)
{
	hs_time d;

	if (duration_parse(s, &d, 0) == -1 || d != want) {
		printf("# '%s' -> %lld\n", s, duration_parse(s, &d, 0) ? -1LL :
		    (long long)d);
		return 0;
	}
	return 1;
}

int
main(void)
{
	char out[32];
	hs_time t, d;

	ok(time_from_epoch(9.5e15, &t) == -1 && time_from_epoch(-9.3e15, &t) == -1 &&
	    time_from_epoch(1e16, &t) == -1 && time_from_epoch(1.7e308, &t) == -1 &&
	    time_from_epoch(-1e300, &t) == -1,
	    "epoch values that overflow microseconds are refused");
	ok(time_from_epoch(253402300799.0 * 1000, &t) == 0 && t == HS_TIME_MAX - 999999 &&
	    time_from_epoch(-62135596800.0, &t) == 0 && t == HS_TIME_MIN &&
	    time_from_epoch(-62135596801.0, &t) == -1,
	    "epoch values are bounded by the years 0001 to 9999");
	ok(iso("0000-12-31T23:59:59Z") == -1 && iso("0001-01-01T00:30:00+01:00") == -1 &&
	    iso("0001-01-01T00:00:00Z") == 0 && iso("9999-12-31T23:59:59.999999Z") == 0 &&
	    iso("9999-12-31T23:00:00-01:00") == -1,
	    "ISO instants outside the years 0001 to 9999 are refused, offsets too");
	time_format_iso(HS_TIME_MIN, out);
	ok(strcmp(out, "0001-01-01T00:00:00.000Z") == 0 && iso(out) == 0,
	    "the first instant round-trips");
	time_format_iso(HS_TIME_MAX, out);
	ok(strcmp(out, "9999-12-31T23:59:59.999999Z") == 0 && iso(out) == 0,
	    "the last instant round-trips");
	ok(duration_parse("5e18us5e18us", &d, 0) == -1 &&
	    duration_parse("9e18us", &d, 0) == -1 &&
	    duration_parse("600000w", &d, 0) == -1 && duration_parse("1e400s", &d, 0) == -1 &&
	    duration_parse("inf", &d, 0) == -1 && duration_parse("nan", &d, 0) == -1 &&
	    duration_parse("0x10s", &d, 0) == -1 && duration_parse("+5s", &d, 0) == -1,
	    "durations that overflow or are not numbers are refused");
	ok(duration_parse("3652060d", &d, 0) == -1 &&
	    duration_parse("3652059d", &d, 0) == 0 && d == HS_DURATION_MAX,
	    "durations are bounded by the span of the years 0001 to 9999");
	ok(duration_is("1 minute", 60000000) && duration_is("10 seconds", 10000000) &&
	    duration_is("1 hour 30 minutes", 5400000000LL) &&
	    duration_is("interval 5 minutes", 300000000) &&
	    duration_is("2 Hours", 7200000000LL) && duration_is("1 day", 86400000000LL) &&
	    duration_is("1 week", 604800000000LL) && duration_is("250 milliseconds", 250000) &&
	    duration_is("7 microseconds", 7) && duration_is("1min 30sec", 90000000) &&
	    duration_is("1h30m", 5400000000LL) && duration_is("1.5h", 5400000000LL),
	    "Spark's spellings and the short forms give the same durations");
	ok(duration_parse("1 fortnight", &d, 0) == -1 && duration_parse("1 minute x", &d, 0) == -1 &&
	    duration_parse("minute", &d, 0) == -1 && duration_parse("interval", &d, 0) == -1,
	    "unknown units are refused");
	return tap_done();
}
