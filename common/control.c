/*
 * control.c - in-band control records (see control.h and hs(7)).
 */
#include <string.h>

#include "control.h"
#include "json.h"

#define CONTROL_PREFIX "{\"_hs\":"

int
control_is(const char *line, size_t len)
{
	const char *p = json_skip_ws(line, line + len);

	return (size_t)(line + len - p) >= sizeof(CONTROL_PREFIX) - 1 &&
	    memcmp(p, CONTROL_PREFIX, sizeof(CONTROL_PREFIX) - 1) == 0;
}

int
control_watermark(const char *line, size_t len, hs_time *wm)
{
	static const char *const keys[] = { "_hs", "watermark" };
	struct json_span v[2];
	const char *why;

	if (json_scan(line, len, keys, 2, v, &why) == -1 ||
	    v[0].type != JSON_STRING || v[0].len != 11 ||
	    memcmp(v[0].p, "\"watermark\"", 11) != 0 ||
	    v[1].type != JSON_STRING)
		return -1;
	return time_parse_iso(v[1].p + 1, v[1].len - 2, wm);
}

void
control_put_watermark(struct buf *b, hs_time wm)
{
	char iso[32];

	buf_puts(b, CONTROL_PREFIX "\"watermark\",\"watermark\":\"");
	buf_puts(b, (time_format_iso(wm, iso), iso));
	buf_puts(b, "\"}\n");
}

void
control_put_trigger(struct buf *b, unsigned long batch)
{
	buf_printf(b, CONTROL_PREFIX "\"trigger\",\"batch\":%lu}\n", batch);
}
