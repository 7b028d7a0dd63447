/*
 * timezone_test.c - unit tests of how common/timefmt reads times without a
 * zone: in the zone of time_set_zone, with daylight-saving gaps and
 * overlaps resolved as java.time (so Spark) does. Prints TAP; run by
 * tests/t2100-timezone.t.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "timefmt.h"

/* Local times and the UTC instants they are in a zone. */
static const struct {
	const char *zone, *in, *want, *what;
} cases[] = {
	{ "UTC", "2025-11-10T03:11:00.123456", "2025-11-10T03:11:00.123456Z",
	    "UTC: a time without a zone is UTC" },
	{ "Europe/Berlin", "2025-11-10T03:11:00.123456",
	    "2025-11-10T02:11:00.123456Z", "Europe/Berlin in winter: +01:00" },
	{ "Europe/Berlin", "2025-07-01T12:00:00", "2025-07-01T10:00:00.000Z",
	    "Europe/Berlin in summer: +02:00" },
	{ "Europe/Berlin", "2025-11-10T03:11:00Z", "2025-11-10T03:11:00.000Z",
	    "an explicit Z is not affected by the zone" },
	{ "Europe/Berlin", "2025-11-10T03:11:00+05:00",
	    "2025-11-09T22:11:00.000Z", "nor is an explicit offset" },
	{ "Europe/Berlin", "2025-03-30T01:59:59", "2025-03-30T00:59:59.000Z",
	    "the last second before clocks go forward" },
	{ "Europe/Berlin", "2025-03-30T02:30:00", "2025-03-30T01:30:00.000Z",
	    "a time in the gap moves later by the gap, as java.time" },
	{ "Europe/Berlin", "2025-03-30T03:00:00", "2025-03-30T01:00:00.000Z",
	    "the first second after the gap" },
	{ "Europe/Berlin", "2025-10-26T01:59:59", "2025-10-25T23:59:59.000Z",
	    "the last second before the overlap" },
	{ "Europe/Berlin", "2025-10-26T02:30:00", "2025-10-26T00:30:00.000Z",
	    "a time in the overlap is the earlier instant, as java.time" },
	{ "Europe/Berlin", "2025-10-26T03:00:00", "2025-10-26T02:00:00.000Z",
	    "the first second after the overlap" },
	{ "Asia/Kolkata", "2025-11-08T20:00:00.5", "2025-11-08T14:30:00.500Z",
	    "an offset of half an hour" },
	{ "America/New_York", "2025-11-08T09:30:00", "2025-11-08T14:30:00.000Z",
	    "west of Greenwich" },
	{ "CET-1CEST,M3.5.0,M10.5.0/3", "2025-07-01T12:00:00",
	    "2025-07-01T10:00:00.000Z", "a POSIX TZ string" },
};

static void
test_cases(void)
{
	char out[32];
	hs_time t;
	size_t i;
	int good;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		good = time_set_zone(cases[i].zone) == 0 &&
		    time_parse_iso(cases[i].in, strlen(cases[i].in), &t) == 0 &&
		    time_format_iso(t, out) > 0 &&
		    strcmp(out, cases[i].want) == 0;
		if (!good)
			printf("# %s in %s: %s, want %s\n", cases[i].in,
			    cases[i].zone, out, cases[i].want);
		ok(good, cases[i].what);
	}
}

/* Every second of a local hour reads as the instant libc's mktime gives
 * outside gaps and overlaps: the hour cache never mixes offsets. */
static int
hour_matches_libc(int year, int mon, int day, int hour)
{
	char in[32];
	struct tm tm;
	hs_time t;
	time_t want;
	int s;

	for (s = 0; s < 3600; s += 7) {
		snprintf(in, sizeof(in), "%04d-%02d-%02dT%02d:%02d:%02d",
		    year, mon, day, hour, s / 60, s % 60);
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = year - 1900;
		tm.tm_mon = mon - 1;
		tm.tm_mday = day;
		tm.tm_hour = hour;
		tm.tm_min = s / 60;
		tm.tm_sec = s % 60;
		tm.tm_isdst = -1;
		want = mktime(&tm);
		if (time_parse_iso(in, strlen(in), &t) == -1 ||
		    t != (hs_time)want * HS_USEC_PER_SEC) {
			printf("# %s: %lld, libc %lld\n", in,
			    (long long)(t / HS_USEC_PER_SEC), (long long)want);
			return 0;
		}
	}
	return 1;
}

/* time_set_zone refuses name; its message is not shown. */
static int
refused_quietly(const char *name)
{
	int saved = dup(STDERR_FILENO), rc;

	freopen("/dev/null", "w", stderr);
	rc = time_set_zone(name);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	return rc == -1;
}

int
main(void)
{
	test_cases();
	time_set_zone("Europe/Berlin");
	ok(hour_matches_libc(2025, 11, 10, 3) &&
	    hour_matches_libc(2025, 3, 30, 1) &&
	    hour_matches_libc(2025, 3, 30, 3) &&
	    hour_matches_libc(2025, 10, 26, 1) &&
	    hour_matches_libc(2025, 10, 26, 3),
	    "every second of the hours around a change agrees with mktime");
	ok(refused_quietly("Nowhere/Atlantis") &&
	    refused_quietly("../../etc/passwd") &&
	    getenv("TZ") != NULL && strcmp(getenv("TZ"), "Europe/Berlin") == 0,
	    "an unknown zone is refused and the zone stays as it was");
	return tap_done();
}

