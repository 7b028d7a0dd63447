/*
 * positions.c - positions in Kafka partitions and the commit file (see
 * positions.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "positions.h"

/* Kafka's longest topic name is 249 bytes. */
#define TOPIC_MAX 256

void
positions_add(struct positions *ps, const char *topic, int32_t partition,
    int64_t offset)
{
	if (ps->n == ps->cap) {
		ps->cap = ps->cap ? 2 * ps->cap : 16;
		ps->p = hs_xrealloc(ps->p, ps->cap * sizeof(*ps->p));
	}
	ps->p[ps->n].topic = hs_xstrdup(topic);
	ps->p[ps->n].partition = partition;
	ps->p[ps->n].offset = offset;
	ps->p[ps->n].event_time = INT64_MIN;
	ps->n++;
}

int
positions_parse(const struct json_span *arr, struct positions *ps)
{
	struct json_span el, topic, when;
	const char *cursor = NULL;
	long long partition, offset;
	char name[TOPIC_MAX];

	if (arr->type != JSON_ARRAY)
		return -1;
	while (json_next_element(arr, &cursor, &el)) {
		topic = json_member(&el, "topic");
		if (el.type != JSON_OBJECT || topic.type != JSON_STRING ||
		    json_string(&topic, name, sizeof(name)) < 1 ||
		    json_member_int(&el, "partition", &partition) == -1 ||
		    partition < 0 || partition > INT32_MAX)
			return -1;
		if (json_member(&el, "offset").type == JSON_NONE)
			offset = -1;
		else if (json_member_int(&el, "offset", &offset) == -1 ||
		    offset < 0)
			return -1;
		positions_add(ps, name, (int32_t)partition, offset);
		when = json_member(&el, "event_time");
		if (when.type != JSON_NONE &&
		    time_from_json(&when, &ps->p[ps->n - 1].event_time) == -1)
			return -1;
	}
	return 0;
}

void
positions_clear(struct positions *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		free(ps->p[i].topic);
	ps->n = 0;
}

struct position *
positions_find(const struct positions *ps, const char *topic,
    int32_t partition)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (ps->p[i].partition == partition &&
		    strcmp(ps->p[i].topic, topic) == 0)
			return &ps->p[i];
	return NULL;
}

void
positions_put(struct buf *b, const struct positions *ps)
{
	char iso[32];
	size_t i;

	buf_putc(b, '[');
	for (i = 0; i < ps->n; i++) {
		buf_puts(b, i > 0 ? ",{\"topic\":" : "{\"topic\":");
		buf_json_string(b, ps->p[i].topic, strlen(ps->p[i].topic));
		buf_printf(b, ",\"partition\":%ld", (long)ps->p[i].partition);
		if (ps->p[i].offset >= 0)
			buf_printf(b, ",\"offset\":%lld",
			    (long long)ps->p[i].offset);
		if (ps->p[i].event_time != INT64_MIN) {
			buf_puts(b, ",\"event_time\":\"");
			buf_puts(b, (time_format_iso(ps->p[i].event_time, iso),
			    iso));
			buf_putc(b, '"');
		}
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
}

/* "topic/partition" in name[cap]: its length, or -1 if it does not fit. */
static long
source_format(char *name, size_t cap, const char *topic, long long partition)
{
	int n = snprintf(name, cap, "%s/%lld", topic, partition);

	return n < 0 || (size_t)n >= cap ? -1 : n;
}

long
source_name(char *name, size_t cap, const struct json_span *topic,
    long long partition)
{
	char decoded[TOPIC_MAX];
	long n;

	if (topic->type != JSON_STRING ||
	    (n = json_string(topic, decoded, sizeof(decoded))) < 1 ||
	    memchr(decoded, '/', (size_t)n) != NULL)
		return -1;
	return source_format(name, cap, decoded, partition);
}

/* The object of a positions file, its text in *text (to buf_free()): 0,
 * or -1 when the file is missing or holds no JSON object. */
static int
load_object(const char *path, struct buf *text, struct json_span *obj)
{
	char chunk[4096];
	FILE *f;
	size_t n;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(text, chunk, n);
	fclose(f);
	buf_putc(text, '\0');
	return json_object_span(text->p, obj);
}

int
positions_load(const char *path, struct positions *ps)
{
	struct json_span obj, arr;
	struct buf text = { 0 };
	int rc = -1;

	positions_clear(ps);
	if (load_object(path, &text, &obj) == 0) {
		arr = json_member(&obj, "positions");
		if ((rc = positions_parse(&arr, ps)) == -1)
			positions_clear(ps);
	}
	buf_free(&text);
	return rc;
}

long long
positions_checkpoint(const char *path)
{
	struct json_span obj;
	struct buf text = { 0 };
	long long id;

	if (load_object(path, &text, &obj) == -1 ||
	    json_member_int(&obj, "checkpoint", &id) == -1)
		id = -1;
	buf_free(&text);
	return id;
}

void
positions_save(const char *path, const char *array, size_t len,
    long long checkpoint)
{
	char tmp[4096];
	FILE *f;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		hs_fatal("%s: name too long", path);
	if ((f = fopen(tmp, "w")) == NULL)
		hs_fatal("%s: %s", tmp, strerror(errno));
	fputs("{\"positions\":", f);
	fwrite(array, 1, len, f);
	if (checkpoint >= 0)
		fprintf(f, ",\"checkpoint\":%lld", checkpoint);
	fputs("}\n", f);
	if (fclose(f) == EOF || rename(tmp, path) == -1)
		hs_fatal("%s: %s", path, strerror(errno));
}

void
positions_revoked(const char *line, size_t len,
    void (*each)(const char *name, size_t len, void *arg), void *arg)
{
	static const char *const keys[] = { "partitions" };
	struct positions ps = { 0 };
	struct json_span arr;
	struct json_error err;
	char name[TOPIC_MAX + 24];
	size_t i;
	long n;

	if (json_scan(line, len, keys, 1, &arr, &err) == 0 &&
	    positions_parse(&arr, &ps) == 0)
		for (i = 0; i < ps.n; i++)
			if ((n = source_format(name, sizeof(name),
			    ps.p[i].topic, ps.p[i].partition)) >= 0)
				each(name, (size_t)n, arg);
	positions_clear(&ps);
	free(ps.p);
}
