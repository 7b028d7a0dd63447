/*
 * timefmt.c - timestamps and durations (see timefmt.h).
 *
 * Calendar arithmetic uses the days-from-civil algorithm for the proleptic
 * Gregorian calendar, so parsing a timestamp with a zone or offset is pure
 * and fast enough for the per-event path; the last timestamp and its
 * minute are remembered, as consecutive events share them. A timestamp
 * without a zone is local time: libc (tzset, localtime_r) gives the offset
 * of its local hour, remembered in a small cache so that the per-event
 * cost stays a lookup. Instants are printed without printf.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "bytes.h"
#include "cli.h"
#include "json.h"
#include "timefmt.h"

#define ZONE_CACHE 64	/* local hours remembered, direct-mapped */
#define MINUTE_PREFIX 16	/* "YYYY-MM-DDTHH:MM" */
#define INSTANT_MAX 40	/* longer timestamps are not remembered */

/* The zone timestamps without one are read in. */
static struct {
	int ready;		/* tzset() done */
	int utc;		/* the zone is UTC: local time is UTC */
	struct {
		int64_t hour;	/* local seconds / 3600 */
		int64_t offset;	/* local - UTC, s, for the whole hour */
	} cache[ZONE_CACHE];
} zone;

/* The last timestamp parsed and its instant: the events of one tick (the
 * sensors of a rig) carry the same one. It was read in the zone, so it is
 * forgotten when the zone is set. */
static struct {
	char text[INSTANT_MAX];
	size_t len;		/* 0: none */
	hs_time t;
} last_instant;

static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

/* n digits at s as a number, or -1. */
static int
digits(const char *s, int n)
{
	int v = 0;

	while (n-- > 0) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

static const unsigned char month_days[] =
    { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

/* Names that libc reads as UTC itself: no conversion needed. */
static int
is_utc_name(const char *name)
{
	static const char *const names[] = { "", "UTC", "UTC0", "UCT", "GMT",
	    "GMT0", "GMT+0", "GMT-0", "Greenwich", "Universal", "Zulu" };
	size_t i;

	if (name[0] == ':')
		name++;
	if (strncmp(name, "Etc/", 4) == 0)
		name += 4;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return 0;
}

/* Whether the system's local zone (/etc/localtime) is UTC. */
static int
system_zone_is_utc(void)
{
	char target[256];
	const char *base;
	ssize_t n;

	if (access("/etc/localtime", F_OK) == -1)
		return 1;	/* libc's default */
	n = readlink("/etc/localtime", target, sizeof(target) - 1);
	if (n <= 0)
		return 0;
	target[n] = '\0';
	base = strstr(target, "zoneinfo/");
	return base != NULL && is_utc_name(base + 9);
}

static void
zone_init(void)
{
	const char *tz = getenv("TZ");
	size_t i;

	tzset();
	zone.utc = tz != NULL ? is_utc_name(tz) : system_zone_is_utc();
	for (i = 0; i < ZONE_CACHE; i++)
		zone.cache[i].hour = INT64_MIN;
	last_instant.len = 0;
	zone.ready = 1;
}

/* A POSIX TZ string such as "CET-1CEST,M3.5.0,M10.5.0/3" or "EST5". */
static int
is_posix_tz(const char *s)
{
	size_t n = 0;

	if (*s == '<') {
		if ((s = strchr(s, '>')) == NULL)
			return 0;
		s++;
	} else
		for (; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z');
		    s++)
			n++;
	if (*s == '+' || *s == '-')
		s++;
	return (n >= 3 || n == 0) && *s >= '0' && *s <= '9';
}

int
time_set_zone(const char *name)
{
	const char *dir = getenv("TZDIR");
	const char *file = name[0] == ':' ? name + 1 : name;
	char path[4096];

	if (dir == NULL)
		dir = "/usr/share/zoneinfo";
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (!is_utc_name(name) && !is_posix_tz(file) &&
	    (strstr(file, "..") != NULL ||
	    access(file[0] == '/' ? file : path, R_OK) == -1)) {
		hs_warn("--tz: unknown time zone '%s' (expected a name under "
		    "%s such as Europe/Berlin, or a POSIX TZ string)", name,
		    dir);
		return -1;
	}
	if (setenv("TZ", name, 1) == -1)
		hs_fatal("setenv: %m");
	zone_init();
	return 0;
}

/* The zone's offset from UTC at the instant t, in seconds. */
static int64_t
offset_at(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		return 0;
	return tm.tm_gmtoff;
}

/*
 * The offset of the local time `local` (seconds as if it were UTC), as
 * java.time and so Spark resolve it: in an overlap (clocks set back) the
 * earlier instant, the offset in force before the change; in a gap (clocks
 * set forward) the local time is moved later by the length of the gap.
 * Offsets change at most once in the two days around it.
 */
static int64_t
resolve_offset(int64_t local)
{
	int64_t before = offset_at(local - 86400);
	int64_t after = offset_at(local + 86400);
	int ok_before = offset_at(local - before) == before;
	int ok_after = offset_at(local - after) == after;

	if (ok_before && ok_after)
		return before > after ? before : after;
	if (ok_before || ok_after)
		return ok_before ? before : after;
	return before < after ? before : after;
}

/* The offset for a local time, through the cache of whole local hours. */
static int64_t
local_offset(int64_t local)
{
	int64_t hour = time_floor(local, 3600) / 3600, off;
	size_t slot = (size_t)(hour & (ZONE_CACHE - 1));

	if (zone.cache[slot].hour == hour)
		return zone.cache[slot].offset;
	off = resolve_offset(hour * 3600);
	if (off != resolve_offset(hour * 3600 + 3599))
		return resolve_offset(local);	/* the hour of a change */
	zone.cache[slot].hour = hour;
	zone.cache[slot].offset = off;
	return off;
}

/* The minute of the last timestamp parsed: consecutive events share
 * "YYYY-MM-DDTHH:MM", so only the seconds and what follows are parsed
 * again. Only a valid prefix is kept. */
static struct {
	char text[MINUTE_PREFIX];
	int64_t secs;		/* its local seconds, as if UTC */
	int valid;
} minute;

/* The minute "YYYY-MM-DDTHH:MM" at s as local seconds (as if UTC):
 * 0, or -1 if it is not a valid one. */
static int
parse_minute(const char *s, int64_t *secs)
{
	int y, mo, d, h, mi;

	if (s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':')
		return -1;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > month_days[mo - 1] ||
	    h < 0 || h > 23 || mi < 0 || mi > 59)
		return -1;
	if (mo == 2 && d == 29 &&
	    !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return -1;
	*secs = ((days_from_civil(y, (unsigned)mo, (unsigned)d) * 24 + h) *
	    60 + mi) * 60;
	return 0;
}

static int
parse_iso(const char *s, size_t n, hs_time *t)
{
	const char *end = s + n;
	static const int64_t usec_scale[] = { 1000000, 100000, 10000, 1000,
	    100, 10, 1 };
	int sec, zh, zm, sign, places = 0;
	int64_t frac = 0, secs;

	if (n < 19 || s[16] != ':')
		return -1;
	if (minute.valid && memcmp(s, minute.text, MINUTE_PREFIX) == 0)
		secs = minute.secs;
	else {
		if (parse_minute(s, &secs) == -1)
			return -1;
		memcpy(minute.text, s, MINUTE_PREFIX);
		minute.secs = secs;
		minute.valid = 1;
	}
	sec = digits(s + 17, 2);
	if (sec < 0 || sec > 60)
		return -1;
	secs += sec;
	s += 19;
	if (s < end && (*s == '.' || *s == ',')) {
		s++;
		if (s >= end || *s < '0' || *s > '9')
			return -1;
		/* microseconds: digits past the sixth are cut off */
		for (; s < end && *s >= '0' && *s <= '9'; s++)
			if (places < 6) {
				frac = frac * 10 + (*s - '0');
				places++;
			}
		frac *= usec_scale[places];
	}
	*t = secs * HS_USEC_PER_SEC + frac;
	if (s == end) {
		if (!zone.ready)
			zone_init();
		if (!zone.utc)
			*t -= local_offset(secs) * HS_USEC_PER_SEC;
		return 0;
	}
	if ((*s == 'Z' || *s == 'z') && s + 1 == end)
		return 0;
	if (*s != '+' && *s != '-')
		return -1;
	sign = *s++ == '-' ? -1 : 1;
	if (end - s == 5 && s[2] == ':') {
		zh = digits(s, 2);
		zm = digits(s + 3, 2);
	} else if (end - s == 4) {
		zh = digits(s, 2);
		zm = digits(s + 2, 2);
	} else if (end - s == 2) {
		zh = digits(s, 2);
		zm = 0;
	} else
		return -1;
	if (zh < 0 || zh > 23 || zm < 0 || zm > 59)
		return -1;
	*t -= sign * (int64_t)(zh * 60 + zm) * 60 * HS_USEC_PER_SEC;
	return 0;
}

int
time_in_range(hs_time t)
{
	return t >= HS_TIME_MIN && t <= HS_TIME_MAX;
}

/* Whether the n bytes at s are the last instant's text. */
static int
is_last_instant(const char *s, size_t n)
{
	return n > 0 && n == last_instant.len &&
	    bytes_same(s, last_instant.text, n);
}

/* A timestamp not the last one: parsed, and remembered. Not inline, so
 * that the remembered one is found without its stack frame. */
static int __attribute__((noinline))
parse_new_instant(const char *s, size_t n, hs_time *t)
{
	if (parse_iso(s, n, t) == -1 || !time_in_range(*t))
		return -1;
	if (n <= sizeof(last_instant.text)) {
		memcpy(last_instant.text, s, n);
		last_instant.len = n;
		last_instant.t = *t;
	}
	return 0;
}

int
time_parse_iso(const char *s, size_t n, hs_time *t)
{
	if (is_last_instant(s, n)) {
		*t = last_instant.t;
		return 0;
	}
	return parse_new_instant(s, n, t);
}

int
time_from_epoch(double v, hs_time *t)
{
	if (!isfinite(v))
		return -1;
	if (fabs(v) > 1e11)
		v /= 1000;
	/* in range before the multiplication, which could overflow */
	if (v < (double)(HS_TIME_MIN / HS_USEC_PER_SEC) ||
	    v >= (double)(HS_TIME_MAX / HS_USEC_PER_SEC + 1))
		return -1;
	*t = (hs_time)llround(v * 1e6);
	return time_in_range(*t) ? 0 : -1;
}

int
time_from_json(const struct json_span *v, hs_time *t)
{
	double d;

	if (v->type == JSON_STRING)
		return time_parse_iso(v->p + 1, v->len - 2, t);
	if (v->type == JSON_NUMBER && json_number(v, &d) == 0)
		return time_from_epoch(d, t);
	return -1;
}

int
window_bounds(const struct json_span *window, hs_time *start, hs_time *end)
{
	struct json_span s, e;

	if (window->type != JSON_OBJECT)
		return -1;
	s = json_member(window, "start");
	e = json_member(window, "end");
	if (s.type != JSON_STRING || e.type != JSON_STRING ||
	    time_from_json(&s, start) == -1 || time_from_json(&e, end) == -1)
		return -1;
	return 0;
}

/* v as n decimal digits, zero-padded, at o; returns the end. */
static char *
put_digits(char *o, unsigned v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--) {
		o[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return o + n;
}

int
time_format_iso(hs_time t, char *out)
{
	int64_t secs = time_floor(t, HS_USEC_PER_SEC) / HS_USEC_PER_SEC;
	int64_t usec = t - secs * HS_USEC_PER_SEC;
	int64_t days = time_floor(secs, 86400) / 86400;
	unsigned rem = (unsigned)(secs - days * 86400), m, d;
	char *o = out;
	int y;

	civil_from_days(days, &y, &m, &d);
	o = put_digits(o, (unsigned)y, 4);
	*o++ = '-';
	o = put_digits(o, m, 2);
	*o++ = '-';
	o = put_digits(o, d, 2);
	*o++ = 'T';
	o = put_digits(o, rem / 3600, 2);
	*o++ = ':';
	o = put_digits(o, rem / 60 % 60, 2);
	*o++ = ':';
	o = put_digits(o, rem % 60, 2);
	*o++ = '.';
	if (usec % 1000 == 0)
		o = put_digits(o, (unsigned)(usec / 1000), 3);
	else
		o = put_digits(o, (unsigned)usec, 6);
	*o++ = 'Z';
	*o = '\0';
	return (int)(o - out);
}

/* The units of a duration, by the names they may have, as Spark spells
 * them ("10 seconds") or short ("10s"). */
static const struct {
	const char *name;
	hs_time usec;
} duration_units[] = {
	{ "us", 1 }, { "usec", 1 }, { "usecs", 1 }, { "microsecond", 1 },
	{ "microseconds", 1 },
	{ "ms", 1000 }, { "msec", 1000 }, { "msecs", 1000 },
	{ "millisecond", 1000 }, { "milliseconds", 1000 },
	{ "s", HS_USEC_PER_SEC }, { "sec", HS_USEC_PER_SEC },
	{ "secs", HS_USEC_PER_SEC }, { "second", HS_USEC_PER_SEC },
	{ "seconds", HS_USEC_PER_SEC },
	{ "m", 60 * HS_USEC_PER_SEC }, { "min", 60 * HS_USEC_PER_SEC },
	{ "mins", 60 * HS_USEC_PER_SEC }, { "minute", 60 * HS_USEC_PER_SEC },
	{ "minutes", 60 * HS_USEC_PER_SEC },
	{ "h", 3600 * HS_USEC_PER_SEC }, { "hr", 3600 * HS_USEC_PER_SEC },
	{ "hrs", 3600 * HS_USEC_PER_SEC }, { "hour", 3600 * HS_USEC_PER_SEC },
	{ "hours", 3600 * HS_USEC_PER_SEC },
	{ "d", 86400 * HS_USEC_PER_SEC }, { "day", 86400 * HS_USEC_PER_SEC },
	{ "days", 86400 * HS_USEC_PER_SEC },
	{ "w", 604800 * HS_USEC_PER_SEC }, { "week", 604800 * HS_USEC_PER_SEC },
	{ "weeks", 604800 * HS_USEC_PER_SEC },
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The unit named by the letters at *s (none: seconds), moving *s past
 * it; 0 if the name is unknown. */
static hs_time
duration_unit(const char **s)
{
	const char *p = *s;
	size_t n = 0, i;

	while (is_space(*p))
		p++;
	while (is_letter(p[n]))
		n++;
	if (n == 0)
		return HS_USEC_PER_SEC;
	for (i = 0; i < sizeof(duration_units) / sizeof(duration_units[0]); i++)
		if (strlen(duration_units[i].name) == n &&
		    strncasecmp(p, duration_units[i].name, n) == 0) {
			*s = p + n;
			return duration_units[i].usec;
		}
	return 0;
}

int
duration_parse(const char *s, hs_time *d, int allow_zero)
{
	hs_time total = 0, unit;
	double v;
	char *e;

	while (is_space(*s))
		s++;
	if (strncasecmp(s, "interval", 8) == 0 && is_space(s[8]))
		s += 8;	/* Spark's literal: interval 10 seconds */
	while (is_space(*s))
		s++;
	if (*s == '\0')
		return -1;
	while (*s != '\0') {
		v = strtod(s, &e);
		/* decimal, unsigned: no inf, nan or hex */
		if (e == s || strspn(s, "0123456789.eE+-") < (size_t)(e - s) ||
		    *s == '+' || *s == '-' || !isfinite(v))
			return -1;
		s = e;
		if ((unit = duration_unit(&s)) == 0 ||
		    v > (double)HS_DURATION_MAX / (double)unit)
			return -1;
		total += (hs_time)llround(v * (double)unit);
		if (total > HS_DURATION_MAX)
			return -1;
		while (is_space(*s) || *s == ',')
			s++;
	}
	if (total == 0 && !allow_zero)
		return -1;
	*d = total;
	return 0;
}

hs_time
time_floor(hs_time t, hs_time step)
{
	hs_time q = t / step;

	if (t % step != 0 && t < 0)
		q--;
	return q * step;
}

hs_time
time_monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (hs_time)ts.tv_sec * HS_USEC_PER_SEC + ts.tv_nsec / 1000;
}

hs_time
time_deadline(int ms)
{
	return time_monotonic() + (hs_time)ms * 1000;
}

int
time_ms_left(hs_time deadline)
{
	hs_time left = (deadline - time_monotonic()) / 1000;

	return left <= 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
}

/* @SECONDS[.FRACTION] to instant: 0, or -1. */
static int
parse_epoch_arg(const char *s, hs_time *t)
{
	int64_t secs = 0, usec = 0, scale = 100000;
	int neg = *s == '-', n = 0;

	s += neg;
	for (; *s >= '0' && *s <= '9' && n <= 12; s++, n++)
		secs = secs * 10 + (*s - '0');
	if (n == 0 || n > 12)
		return -1;
	if (*s == '.') {
		for (s++, n = 0; *s >= '0' && *s <= '9' && n < 6; s++, n++) {
			usec += (*s - '0') * scale;
			scale /= 10;
		}
		if (n == 0)
			return -1;
	}
	if (*s != '\0')
		return -1;
	*t = (neg ? -1 : 1) * (secs * HS_USEC_PER_SEC + usec);
	return *t < HS_TIME_MIN || *t > HS_TIME_MAX ? -1 : 0;
}

int
time_parse_arg(const char *s, hs_time *t)
{
	struct timespec ts;
	char midnight[20];
	size_t n = strlen(s);

	if (strcmp(s, "now") == 0) {
		clock_gettime(CLOCK_REALTIME, &ts);
		*t = (hs_time)ts.tv_sec * HS_USEC_PER_SEC +
		    ts.tv_nsec / 1000000 * 1000;
		return 0;
	}
	if (*s == '@')
		return parse_epoch_arg(s + 1, t);
	if (n == 10) {
		snprintf(midnight, sizeof(midnight), "%sT00:00:00", s);
		s = midnight;
		n = strlen(s);
	}
	if (time_parse_iso(s, n, t) == -1)
		return -1;
	return *t < HS_TIME_MIN || *t > HS_TIME_MAX ? -1 : 0;
}
