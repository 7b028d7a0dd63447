/*
 * control.c - in-band control records (see control.h and hs(7)).
 */
#include <string.h>

#include "control.h"
#include "json.h"
#include "positions.h"

#define CONTROL_PREFIX "{\"_hs\":"

int
control_is(const char *line, size_t len)
{
	const char *p = json_skip_ws(line, line + len);
	struct json_error err;

	return (size_t)(line + len - p) >= sizeof(CONTROL_PREFIX) - 1 &&
	    memcmp(p, CONTROL_PREFIX, sizeof(CONTROL_PREFIX) - 1) == 0 &&
	    json_scan(line, len, NULL, 0, NULL, &err) == 0;
}

enum control_kind
control_kind(const char *line, size_t len)
{
	static const struct {
		const char *tag;
		enum control_kind kind;
	} kinds[] = {
		{ "\"watermark\"", CONTROL_WATERMARK },
		{ "\"trigger\"", CONTROL_TRIGGER },
		{ "\"checkpoint\"", CONTROL_CHECKPOINT },
		{ "\"resume\"", CONTROL_RESUME },
		{ "\"end\"", CONTROL_END },
		{ "\"stop\"", CONTROL_STOP },
		{ "\"commit\"", CONTROL_COMMIT },
		{ "\"revoke\"", CONTROL_REVOKE },
	};
	const char *p = json_skip_ws(line, line + len), *end = line + len;
	size_t i, n;

	if (!control_is(line, len))
		return CONTROL_NONE;
	p = json_skip_ws(p + sizeof(CONTROL_PREFIX) - 1, end);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		n = strlen(kinds[i].tag);
		if ((size_t)(end - p) >= n && memcmp(p, kinds[i].tag, n) == 0)
			return kinds[i].kind;
	}
	return CONTROL_OTHER;
}

int
control_int(const char *line, size_t len, const char *key, long long *v)
{
	const char *keys[1] = { key };
	struct json_error err;
	struct json_span span;

	if (json_scan(line, len, keys, 1, &span, &err) == -1 ||
	    json_int(&span, v) == -1 || *v < 0)
		return -1;
	return 0;
}

int
control_watermark(const char *line, size_t len, hs_time *wm)
{
	static const char *const keys[] = { "_hs", "watermark" };
	struct json_span v[2];
	struct json_error err;

	if (json_scan(line, len, keys, 2, v, &err) == -1 ||
	    v[0].type != JSON_STRING || v[0].len != 11 ||
	    memcmp(v[0].p, "\"watermark\"", 11) != 0 ||
	    v[1].type != JSON_STRING)
		return -1;
	return time_parse_iso(v[1].p + 1, v[1].len - 2, wm);
}

void
control_put_watermark(struct buf *b, hs_time wm)
{
	control_put_stream_watermark(b, wm, NULL, 0);
}

void
control_put_stream_watermark(struct buf *b, hs_time wm, const char *stream,
    size_t len)
{
	char iso[32];

	buf_puts(b, CONTROL_PREFIX "\"watermark\",\"watermark\":\"");
	buf_puts(b, (time_format_iso(wm, iso), iso));
	buf_putc(b, '"');
	if (stream != NULL) {
		buf_puts(b, ",\"stream\":");
		buf_json_string(b, stream, len);
	}
	buf_puts(b, "}\n");
}

void
control_put_trigger(struct buf *b, unsigned long batch)
{
	buf_printf(b, CONTROL_PREFIX "\"trigger\",\"batch\":%lu}\n", batch);
}

void
control_put_end(struct buf *b)
{
	buf_puts(b, CONTROL_PREFIX "\"end\"}\n");
}

void
control_put_stop(struct buf *b)
{
	buf_puts(b, CONTROL_PREFIX "\"stop\"}\n");
}

void
control_put_resume(struct buf *b, long long id)
{
	buf_printf(b, CONTROL_PREFIX "\"resume\",\"id\":%lld}\n", id);
}

void
control_put_commit(struct buf *b, const struct positions *ps)
{
	buf_puts(b, CONTROL_PREFIX "\"commit\",\"positions\":");
	positions_put(b, ps);
	buf_puts(b, "}\n");
}

void
control_put_revoke(struct buf *b, const struct positions *ps)
{
	buf_puts(b, CONTROL_PREFIX "\"revoke\",\"partitions\":");
	positions_put(b, ps);
	buf_puts(b, "}\n");
}
