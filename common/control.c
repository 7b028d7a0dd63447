/*
 * control.c - in-band control records (see control.h and hs(7)).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "control.h"
#include "json.h"
#include "positions.h"

#define CONTROL_PREFIX "{\"_hs\":"

int
control_is(const char *line, size_t len)
{
	const char *p = line;
	struct json_error err;

	if (len > 0 && (unsigned char)*p <= ' ')	/* rare: no call */
		p = json_skip_ws(line, line + len);
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
		{ "\"source_watermark\"", CONTROL_SOURCE_WATERMARK },
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

/* The members of a record of kind tag (with quotes): its "watermark" as
 * an instant (INT64_MIN for null), and the spans of keys[2..n). */
static int
parse_time_record(const char *line, size_t len, const char *tag,
    const char *const *keys, size_t n, struct json_span *v, hs_time *t)
{
	struct json_error err;

	if (json_scan(line, len, keys, n, v, &err) == -1 ||
	    v[0].type != JSON_STRING || v[0].len != strlen(tag) ||
	    memcmp(v[0].p, tag, v[0].len) != 0)
		return -1;
	if (v[1].type == JSON_NULL) {
		*t = INT64_MIN;
		return 0;
	}
	if (v[1].type != JSON_STRING)
		return -1;
	return time_parse_iso(v[1].p + 1, v[1].len - 2, t);
}

int
control_watermark(const char *line, size_t len, struct watermark *wm)
{
	static const char *const keys[] = { "_hs", "watermark", "stream",
	    "final" };
	struct json_span v[4];

	if (parse_time_record(line, len, "\"watermark\"", keys, 4, v,
	    &wm->time) == -1)
		return -1;
	wm->stream[0] = '\0';
	if (v[2].type == JSON_STRING &&
	    json_string(&v[2], wm->stream, sizeof(wm->stream)) == -1)
		return -1;
	wm->final = v[3].type == JSON_TRUE;
	return 0;
}

int
control_source_watermark(const char *line, size_t len, hs_time *t)
{
	static const char *const keys[] = { "_hs", "watermark" };
	struct json_span v[2];

	return parse_time_record(line, len, "\"source_watermark\"", keys, 2,
	    v, t);
}

static void
put_time(struct buf *b, hs_time t)
{
	char iso[32];

	if (t == INT64_MIN) {
		buf_puts(b, "null");
		return;
	}
	buf_putc(b, '"');
	buf_puts(b, (time_format_iso(t, iso), iso));
	buf_putc(b, '"');
}

void
control_put_watermark(struct buf *b, hs_time t, const char *stream,
    size_t len, int final)
{
	buf_puts(b, CONTROL_PREFIX "\"watermark\",\"watermark\":");
	put_time(b, t);
	if (stream != NULL) {
		buf_puts(b, ",\"stream\":");
		buf_json_string(b, stream, len);
	}
	if (final)
		buf_puts(b, ",\"final\":true");
	buf_puts(b, "}\n");
}

void
control_put_source_watermark(struct buf *b, hs_time t)
{
	buf_puts(b, CONTROL_PREFIX "\"source_watermark\",\"watermark\":");
	put_time(b, t);
	buf_puts(b, "}\n");
}

void
control_stream_id(char out[CONTROL_STREAM_MAX], const char *seed,
    size_t len)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)seed[i]) * 1099511628211ULL;
	snprintf(out, CONTROL_STREAM_MAX, "%016" PRIx64, h);
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

/* A record of a list of positions: head is its kind and member name. */
static void
put_positions_record(struct buf *b, const char *head,
    const struct positions *ps)
{
	buf_puts(b, CONTROL_PREFIX);
	buf_puts(b, head);
	positions_put(b, ps);
	buf_puts(b, "}\n");
}

void
control_put_commit(struct buf *b, const struct positions *ps)
{
	put_positions_record(b, "\"commit\",\"positions\":", ps);
}

void
control_put_revoke(struct buf *b, const struct positions *ps)
{
	put_positions_record(b, "\"revoke\",\"partitions\":", ps);
}

void
control_note_end(struct input_end *e, enum control_kind kind)
{
	if (kind == CONTROL_CHECKPOINT || kind == CONTROL_RESUME)
		e->checkpointed = 1;
	else if (kind == CONTROL_END)
		e->ended = 1;
	else if (kind == CONTROL_STOP)
		e->stopped = 1;
}
