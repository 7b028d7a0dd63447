/*
 * timefmt.h - event time: parsing timestamps and durations, formatting
 * instants. Instants are int64 microseconds since the Unix epoch, UTC.
 *
 * Accepted timestamps: ISO-8601 "YYYY-MM-DDTHH:MM:SS[.frac][Z|+hh:mm|-hh:mm]"
 * (a space may stand for the T), and numbers: epoch seconds, or epoch
 * milliseconds when the value is above 1e11 in magnitude. A timestamp
 * without a zone is local time, as date(1) reads it: in the zone of
 * time_set_zone (a tool's --tz), else of $TZ, else the system's. In a gap
 * of a daylight-saving change it moves later by the gap, in an overlap it
 * is the earlier instant (as java.time, so Spark).
 */
#ifndef HS_TIMEFMT_H
#define HS_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

struct json_span;		/* json.h */

typedef int64_t hs_time;	/* microseconds since 1970-01-01T00:00:00Z */

#define HS_USEC_PER_SEC INT64_C(1000000)

/* Read timestamps without a zone in zone `name` (a tz database name such as
 * "Europe/Berlin", "UTC", or a POSIX TZ string): 0, or -1 with a message
 * when the zone is unknown. */
int time_set_zone(const char *name);

/*
 * The instants every tool accepts: those time_format_iso writes and
 * time_parse_iso reads back, years 0001 to 9999. An instant outside them,
 * from any input, is a bad record. Durations are at most their span, so
 * that an instant plus or minus a duration never overflows.
 */
#define HS_TIME_MIN (INT64_C(-62135596800) * HS_USEC_PER_SEC)
#define HS_TIME_MAX (INT64_C(253402300800) * HS_USEC_PER_SEC - 1)
#define HS_DURATION_MAX (HS_TIME_MAX - HS_TIME_MIN + 1)

/* Whether t lies in [HS_TIME_MIN, HS_TIME_MAX]. */
int time_in_range(hs_time t);

/* ISO-8601 text (not quoted) to instant: 0, or -1 if unparsable or out of
 * range. */
int time_parse_iso(const char *s, size_t n, hs_time *t);
/* A numeric epoch (seconds or milliseconds) to instant: 0, or -1 if out of
 * range (checked before any multiplication). */
int time_from_epoch(double v, hs_time *t);

/* "2025-11-08T14:30:00.000Z": milliseconds, or microseconds when the
 * instant has sub-millisecond digits. t must be in range (above); out
 * must hold 32 bytes; returns the length. */
int time_format_iso(hs_time t, char *out);

/* A JSON value as an instant: an ISO-8601 string, or a number of epoch
 * seconds or milliseconds. 0, or -1 for other values. */
int time_from_json(const struct json_span *v, hs_time *t);

/* The bounds of a window object {"start":ISO,"end":ISO}, as hs-window
 * writes it: 0, or -1 if it is not one. */
int window_bounds(const struct json_span *window, hs_time *start,
    hs_time *end);

/* Durations: "250ms", "10s", "1m", "5m", "1h", "1d", "1w", combinations
 * "1h30m", and Spark's spellings "10 seconds", "1 minute", "1 hour 30
 * minutes", "interval 5 minutes" (units in any case); a bare number is
 * seconds. 0, or -1 if unparsable or above HS_DURATION_MAX; must be > 0
 * unless allow_zero. Messages name the forms with DURATION_FORMS. */
int duration_parse(const char *s, hs_time *d, int allow_zero);
#define DURATION_FORMS "expected a duration such as 10s, 250ms, 1m30s, 2h, " \
	"1d, '10 seconds' or '1 hour 30 minutes' (units us, ms, s, m, h, d, " \
	"w, or spelled out)"

/* Now on the monotonic clock, for processing-time pacing and triggers. */
hs_time time_monotonic(void);
/* The monotonic instant ms milliseconds from now, and the whole
 * milliseconds left until such an instant (0 once it has passed): one
 * bound for several calls that each take a timeout. */
hs_time time_deadline(int ms);
int time_ms_left(hs_time deadline);

/* Floor division for window alignment (works for negative instants). */
hs_time time_floor(hs_time t, hs_time step);

/* An instant given on a command line: an ISO-8601 instant (as
 * time_parse_iso), a date YYYY-MM-DD (its midnight, read as
 * time_parse_iso reads YYYY-MM-DDT00:00:00), @SECONDS since the epoch with
 * up to six decimals (date(1)'s form), or "now" (the wall clock, to the
 * millisecond). 0, or -1; a message then names TIME_ARG_FORMS. */
int time_parse_arg(const char *s, hs_time *t);
#define TIME_ARG_FORMS "an ISO-8601 instant (2025-11-08T14:30:00Z), a " \
	"date (2025-11-08), epoch seconds (@1762612200) or now"

#endif
