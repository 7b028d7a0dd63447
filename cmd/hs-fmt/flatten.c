/*
 * flatten.c - records as flat lists of dotted names and values, and values
 * as text for people.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"
#include "timefmt.h"

static void
add_field(struct flat *fl, const char *prefix, size_t plen,
    const struct json_span *key, const struct json_span *value)
{
	if (fl->n == fl->cap) {
		fl->cap = fl->cap ? fl->cap * 2 : 32;
		fl->f = hs_xrealloc(fl->f, fl->cap * sizeof(*fl->f));
	}
	fl->f[fl->n].name = fl->names.len;
	fl->f[fl->n].value = *value;
	fl->n++;
	buf_put(&fl->names, prefix, plen);
	if (plen > 0)
		buf_putc(&fl->names, '.');
	buf_put(&fl->names, key->p, key->len);
	buf_putc(&fl->names, '\0');
}

static int
is_window(const struct json_span *key, const struct json_span *v)
{
	return key->len == 6 && memcmp(key->p, "window", 6) == 0 &&
	    v->type == JSON_OBJECT &&
	    json_member(v, "start").type == JSON_STRING &&
	    json_member(v, "end").type == JSON_STRING;
}

static void
flatten_into(struct flat *fl, const struct json_span *obj, const char *prefix,
    size_t plen, int keep_window)
{
	struct json_span key, value;
	const char *cursor = NULL;
	char *name;
	size_t at;

	while (json_next_member(obj, &cursor, &key, &value)) {
		if (value.type != JSON_OBJECT || value.len == 2 ||
		    (keep_window && plen == 0 && is_window(&key, &value))) {
			add_field(fl, prefix, plen, &key, &value);
			continue;
		}
		at = fl->names.len;
		buf_put(&fl->names, prefix, plen);
		if (plen > 0)
			buf_putc(&fl->names, '.');
		buf_put(&fl->names, key.p, key.len);
		name = hs_xstrdup(fl->names.p + at);
		fl->names.len = at;
		flatten_into(fl, &value, name, strlen(name), keep_window);
		free(name);
	}
}

void
flatten(struct flat *fl, const struct json_span *obj, int keep_window)
{
	buf_reset(&fl->names);
	fl->n = 0;
	flatten_into(fl, obj, "", 0, keep_window);
}

void
flat_free(struct flat *fl)
{
	buf_free(&fl->names);
	free(fl->f);
	fl->f = NULL;
	fl->n = fl->cap = 0;
}

const char *
flat_name(const struct flat *fl, size_t i)
{
	return fl->names.p + fl->f[i].name;
}

struct json_span
flat_get(const struct flat *fl, const char *name)
{
	struct json_span none = { NULL, 0, JSON_NONE };
	size_t i;

	for (i = fl->n; i-- > 0;)
		if (strcmp(flat_name(fl, i), name) == 0)
			return fl->f[i].value;
	return none;
}

static void
put_string(struct buf *out, const struct json_span *v)
{
	buf_reserve(out, v->len);
	out->len += (size_t)json_string(v, out->p + out->len, v->len);
}

/* "2025-11-08T14:30:00.000Z" as "2025-11-08 14:30:00". */
static void
put_time(struct buf *out, const struct json_span *v)
{
	char iso[32], *p;
	hs_time t;
	int n;

	if (time_parse_iso(v->p + 1, v->len - 2, &t) == -1) {
		put_string(out, v);
		return;
	}
	n = time_format_iso(t, iso);
	iso[10] = ' ';
	iso[--n] = '\0';			/* the Z */
	if ((p = strchr(iso, '.')) != NULL && strspn(p + 1, "0") == strlen(p + 1))
		*p = '\0';
	buf_puts(out, iso);
}

void
cell_text(struct buf *out, const struct json_span *v, const char *null_text)
{
	struct json_span start, end;

	switch (v->type) {
	case JSON_NONE:
		return;
	case JSON_STRING:
		put_string(out, v);
		return;
	case JSON_NULL:
		buf_puts(out, null_text);
		return;
	case JSON_OBJECT:
		start = json_member(v, "start");
		end = json_member(v, "end");
		if (start.type == JSON_STRING && end.type == JSON_STRING) {
			buf_putc(out, '[');
			put_time(out, &start);
			buf_puts(out, ", ");
			put_time(out, &end);
			buf_putc(out, ']');
			return;
		}
		buf_put(out, v->p, v->len);
		return;
	default:
		buf_put(out, v->p, v->len);
	}
}
