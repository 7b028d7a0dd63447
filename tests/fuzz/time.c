/*
 * time.c - fuzzing the time parsers (common/timefmt.c): ISO-8601 text,
 * epoch numbers and durations. Whatever the text, no crash and no
 * overflow (UBSan); an accepted instant lies in the years 0001 to 9999 and
 * reads back from what time_format_iso writes; a duration is at most
 * HS_DURATION_MAX.
 */
#include "harness.h"
#include "timefmt.h"

static void
fuzz_one(const char *data, size_t len)
{
	char out[32];
	hs_time t, back, d;
	double v;
	char *end;

	if (time_parse_iso(data, len, &t) == 0) {
		if (!time_in_range(t))
			abort();
		time_format_iso(t, out);
		if (time_parse_iso(out, strlen(out), &back) == -1 || back != t)
			abort();
	}
	v = strtod(data, &end);
	if (end != data && time_from_epoch(v, &t) == 0 && !time_in_range(t))
		abort();
	if (duration_parse(data, &d, 1) == 0 && (d < 0 || d > HS_DURATION_MAX))
		abort();
}

#include "unit_main.h"
