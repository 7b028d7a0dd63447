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

/* ISO-8601 text (not quoted) to instant: 0, or -1 if unparsable. */
int time_parse_iso(const char *s, size_t n, hs_time *t);
/* A numeric epoch (seconds or milliseconds) to instant: 0 or -1. */
int time_from_epoch(double v, hs_time *t);

/* "2025-11-08T14:30:00.000Z": milliseconds, or microseconds when the
 * instant has sub-millisecond digits. out must hold 32 bytes; returns
 * the length. */
int time_format_iso(hs_time t, char *out);

/* A JSON value as an instant: an ISO-8601 string, or a number of epoch
 * seconds or milliseconds. 0, or -1 for other values. */
int time_from_json(const struct json_span *v, hs_time *t);

/* The bounds of a window object {"start":ISO,"end":ISO}, as hs-window
 * writes it: 0, or -1 if it is not one. */
int window_bounds(const struct json_span *window, hs_time *start,
    hs_time *end);

/* Durations: "250ms", "10s", "1m", "5m", "1h", "1d", or combinations
 * "1h30m"; a bare number is seconds. 0 or -1. Must be > 0 unless
 * allow_zero. */
int duration_parse(const char *s, hs_time *d, int allow_zero);

/* Now on the monotonic clock, for processing-time pacing and triggers. */
hs_time time_monotonic(void);

/* Floor division for window alignment (works for negative instants). */
hs_time time_floor(hs_time t, hs_time step);

/* The instants time_format_iso writes with a four-digit year: years 0000
 * to 9999. */
#define HS_TIME_MIN (INT64_C(-62167219200) * HS_USEC_PER_SEC)
#define HS_TIME_MAX (INT64_C(253402300800) * HS_USEC_PER_SEC - 1)

/* An instant given on a command line: an ISO-8601 instant (as
 * time_parse_iso), a date YYYY-MM-DD (its midnight, read as
 * time_parse_iso reads YYYY-MM-DDT00:00:00), @SECONDS since the epoch with
 * up to six decimals (date(1)'s form), or "now" (the wall clock, to the
 * millisecond). 0, or -1; a message then names TIME_ARG_FORMS. */
int time_parse_arg(const char *s, hs_time *t);
#define TIME_ARG_FORMS "an ISO-8601 instant (2025-11-08T14:30:00Z), a " \
	"date (2025-11-08), epoch seconds (@1762612200) or now"

#endif
