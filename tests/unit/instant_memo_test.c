/*
 * instant_memo_test.c - the last timestamp parsed is remembered
 * (timefmt.c): the same text again gives the same instant, and a local
 * time read again after the zone is set is read in the new zone. Prints
 * TAP; run by tests/t0710-time-memo.t.
 */
#include <string.h>

#include "tap.h"
#include "timefmt.h"

static hs_time
local(const char *s)
{
	hs_time t = 0;

	if (time_parse_iso(s, strlen(s), &t) == -1)
		return -1;
	return t;
}

int
main(void)
{
	const char *noon = "2025-07-01T12:00:00";
	hs_time utc, berlin, again;

	time_set_zone("UTC");
	utc = local(noon);
	ok(utc > 0 && local(noon) == utc, "the same text twice, one instant");
	time_set_zone("Europe/Berlin");
	berlin = local(noon);
	ok(berlin == utc - 2 * 3600 * HS_USEC_PER_SEC,
	    "after the zone is set, a local time is read in the new zone");
	time_set_zone("UTC");
	again = local(noon);
	ok(again == utc, "and back in the first zone, as at first");
	ok(local("2025-07-01T12:00:00Z") == utc &&
	    local("2025-07-01T12:00:00+02:00") == berlin,
	    "a zoned timestamp after a local one of the same prefix");
	return tap_done();
}
