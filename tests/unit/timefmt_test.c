/*
 * timefmt_test.c - unit tests of the bounds of time (timefmt.h): instants
 * outside the years 0001 to 9999 are refused before any arithmetic can
 * overflow, durations are bounded, and Spark's spellings of durations are
 * read; a timestamp parses the same whatever was parsed before it (the
 * minute of the last one is remembered); instants print as gmtime(3)
 * gives them. Prints TAP; run by tests/t0210-time-range.t.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"
#include "timefmt.h"

static int
iso(const char *s)
{
	hs_time t;

	return time_parse_iso(s, strlen(s), &t);
}

/* Whether two ISO timestamps parse, to the same instant. */
static int
same_instant(const char *a, const char *b)
{
	hs_time ta, tb;

	return time_parse_iso(a, strlen(a), &ta) == 0 &&
	    time_parse_iso(b, strlen(b), &tb) == 0 && ta == tb;
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

/* Every timestamp of the list parses the same right after each other
 * one, with whom it may share its minute, as after one of another
 * minute: the remembered minute changes no result. */
static int
same_after_any(void)
{
	static const char *const list[] = {
		"2025-11-08T14:30:00.000Z", "2025-11-08T14:30:59.5Z",
		"2025-11-08T14:30:61Z", "2025-11-08T14:30:0xZ",
		"2025-11-08T14:30:00+01:00", "2025-11-08T14:30:00.123456789",
		"2025-11-08 14:30:00", "2025-11-08T14:31:00Z",
		"2025-11-08T14:3", "2025-11-08T14:30", "2025-11-08T14:30:00Zjunk",
		"2024-02-29T00:00:00Z", "2025-02-29T00:00:00Z",
		"2025-13-08T14:30:00Z", "2025-11-08T24:30:00Z",
		"2025-11-08T14:60:00Z", "2025-03-30T02:30:00",
		"9999-12-31T23:59:59.999999Z", "0001-01-01T00:00:00+00:01",
	};
	const size_t n = sizeof(list) / sizeof(list[0]);
	hs_time want, got;
	size_t i, j;
	int rwant, rgot;

	for (i = 0; i < n; i++) {
		iso("1970-01-01T00:00:00Z");
		rwant = time_parse_iso(list[i], strlen(list[i]), &want);
		for (j = 0; j < n; j++) {
			iso(list[j]);
			rgot = time_parse_iso(list[i], strlen(list[i]), &got);
			if (rgot != rwant || (rgot == 0 && got != want)) {
				printf("# %s after %s: %d %lld, want %d %lld\n",
				    list[i], list[j], rgot, (long long)got,
				    rwant, (long long)want);
				return 0;
			}
		}
	}
	return 1;
}

/* Random instants of the years 0001-9999 print as gmtime(3) and
 * printf give them, and read back. */
static int
format_as_gmtime(void)
{
	uint64_t r = 0x2545f4914f6cdd1d;
	char out[32], want[48];
	struct tm tm;
	hs_time t, back;
	time_t secs;
	int i;

	for (i = 0; i < 1000000; i++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		t = HS_TIME_MIN + (hs_time)(r % (uint64_t)(HS_TIME_MAX -
		    HS_TIME_MIN + 1));
		if (i % 2)
			t -= (t - HS_TIME_MIN) % 1000;
		secs = (time_t)((t - HS_TIME_MIN) / HS_USEC_PER_SEC +
		    HS_TIME_MIN / HS_USEC_PER_SEC);
		gmtime_r(&secs, &tm);
		if ((t - HS_TIME_MIN) % 1000 == 0)
			snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:"
			    "%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
			    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
			    (int)((t - HS_TIME_MIN) % HS_USEC_PER_SEC / 1000));
		else
			snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:"
			    "%02d.%06dZ", tm.tm_year + 1900, tm.tm_mon + 1,
			    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
			    (int)((t - HS_TIME_MIN) % HS_USEC_PER_SEC));
		if (time_format_iso(t, out) != (int)strlen(want) ||
		    strcmp(out, want) != 0 ||
		    time_parse_iso(out, strlen(out), &back) == -1 || back != t) {
			printf("# %lld: %s, want %s\n", (long long)t, out, want);
			return 0;
		}
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
	ok(same_after_any(), "a timestamp parses the same after any other, of "
	    "its minute or not, valid or not");
	ok(format_as_gmtime(), "instants print as gmtime gives them and read back");
	ok(same_instant("2025-11-08T14:30:00+02", "2025-11-08T12:30:00Z") &&
	    same_instant("2025-11-08T14:30:00+0200", "2025-11-08T12:30:00Z") &&
	    same_instant("2025-11-08T14:30:00-05:30", "2025-11-08T20:00:00Z") &&
	    same_instant("2025-11-08t14:30:00z", "2025-11-08T14:30:00Z") &&
	    iso("2025-11-08T14:30:00+2") == -1 &&
	    iso("2025-11-08T14:30:00+24:00") == -1 &&
	    iso("2025-11-08T14:30:00+02:60") == -1 &&
	    iso("2025-11-08T14:30:00+02:0") == -1,
	    "offsets as +hh, +hhmm and +hh:mm, bounded; a lower-case t and z");
	ok(time_ms_left(time_deadline(60000)) > 59000 &&
	    time_ms_left(time_deadline(60000)) <= 60000 &&
	    time_ms_left(time_deadline(-5)) == 0 &&
	    time_ms_left(time_monotonic() - 1000000) == 0 &&
	    time_ms_left(HS_TIME_MAX) == INT_MAX,
	    "milliseconds left until a deadline: none once passed, at most INT_MAX");
	return tap_done();
}
