/*
 * streams.c - the watermark of hs-agg's input when it merges several
 * streams (several hs-window outputs, concatenated or interleaved).
 *
 * Each watermark record names its stream. As Spark's default
 * multipleWatermarkPolicy ("min"), the watermark is the minimum over the
 * streams, so the slowest one governs; a stream whose final watermark
 * has come no longer holds the others back, and when all have ended the
 * end of the input, not a watermark, completes what is open. hs-agg
 * cannot know of a stream it has not seen: with --streams N the watermark
 * stays at minus infinity until N streams have shown themselves.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "hs-agg.h"

static struct stream_mark *
find_stream(struct aggregator *a, const char *id)
{
	struct stream_mark *s;
	size_t i;

	for (i = 0; i < a->nstreams; i++)
		if (strcmp(a->streams[i].id, id) == 0)
			return &a->streams[i];
	a->streams = hs_xrealloc(a->streams,
	    (a->nstreams + 1) * sizeof(*a->streams));
	s = &a->streams[a->nstreams++];
	memset(s, 0, sizeof(*s));
	snprintf(s->id, sizeof(s->id), "%s", id);
	s->watermark = INT64_MIN;
	return s;
}

static hs_time
minimum(const struct aggregator *a)
{
	hs_time min = INT64_MAX;
	size_t i;

	if (a->nstreams < a->want_streams)
		return INT64_MIN;
	for (i = 0; i < a->nstreams; i++)
		if (!a->streams[i].final && a->streams[i].watermark < min)
			min = a->streams[i].watermark;
	return min == INT64_MAX ? INT64_MIN : min;	/* all ended */
}

int
streams_watermark(struct aggregator *a, const struct watermark *wm)
{
	struct stream_mark *s = find_stream(a, wm->stream);
	hs_time min;

	if (wm->time > s->watermark)
		s->watermark = wm->time;
	s->final |= wm->final;
	if ((min = minimum(a)) <= a->watermark)
		return 0;
	a->watermark = min;
	return 1;
}

void
streams_put(const struct aggregator *a, struct buf *b)
{
	size_t i;

	buf_putc(b, '[');
	for (i = 0; i < a->nstreams; i++) {
		buf_puts(b, i > 0 ? ",{\"id\":" : "{\"id\":");
		buf_json_string(b, a->streams[i].id, strlen(a->streams[i].id));
		buf_printf(b, ",\"watermark\":%lld,\"final\":%d}",
		    (long long)a->streams[i].watermark, a->streams[i].final);
	}
	buf_putc(b, ']');
}

int
streams_restore(struct aggregator *a, const struct json_span *arr)
{
	struct json_span el, id;
	const char *cursor = NULL;
	char name[CONTROL_STREAM_MAX];
	long long watermark, final;
	struct stream_mark *s;

	a->nstreams = 0;
	if (arr->type == JSON_NONE)
		return 0;	/* a state of an older version */
	if (arr->type != JSON_ARRAY)
		return -1;
	while (json_next_element(arr, &cursor, &el)) {
		id = json_member(&el, "id");
		if (id.type != JSON_STRING ||
		    json_string(&id, name, sizeof(name)) == -1 ||
		    json_member_int(&el, "watermark", &watermark) == -1 ||
		    json_member_int(&el, "final", &final) == -1 ||
		    (watermark != INT64_MIN && !time_in_range(watermark)))
			return -1;
		s = find_stream(a, name);
		s->watermark = watermark;
		s->final = final != 0;
	}
	return 0;
}
