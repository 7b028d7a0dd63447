/*
 * flatten.c - records as flat lists of dotted names and values, and values
 * as text for people.
 *
 * Names are decoded (a key written "\u00e9" is the name "é"); a name that
 * two members would share (a duplicate key, or "a.b" beside {"a":{"b":..}})
 * keeps the place of the first and the value of the last, as readers of
 * JSON that keep the last duplicate do.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"
#include "timefmt.h"

/* The slot of the name (NUL-terminated in names at off, len bytes): the
 * slot holding its field + 1, or the empty slot where it belongs. */
static size_t
slot_of(const struct flat *fl, size_t off, size_t len)
{
	size_t j = nameset_hash(fl->names.p + off, len) & (fl->nslots - 1);
	const char *other;

	for (; fl->slots[j] != 0; j = (j + 1) & (fl->nslots - 1)) {
		other = fl->names.p + fl->f[fl->slots[j] - 1].name;
		if (strlen(other) == len &&
		    memcmp(other, fl->names.p + off, len) == 0)
			break;
	}
	return j;
}

static void
rehash(struct flat *fl)
{
	size_t i, j, len;

	fl->nslots = fl->nslots ? fl->nslots * 2 : 64;
	free(fl->slots);
	fl->slots = hs_xmalloc(fl->nslots * sizeof(*fl->slots));
	memset(fl->slots, 0, fl->nslots * sizeof(*fl->slots));
	for (i = 0; i < fl->n; i++) {
		len = strlen(fl->names.p + fl->f[i].name);
		j = slot_of(fl, fl->f[i].name, len);
		fl->slots[j] = i + 1;
	}
}

/* Append the decoded key to b: 0, or -1 if it holds U+0000. */
static int
put_key(struct buf *b, const struct json_span *key)
{
	struct json_span quoted = { key->p - 1, key->len + 2, JSON_STRING };
	long n;

	buf_reserve(b, key->len);
	n = json_string(&quoted, b->p + b->len, key->len + 1);
	if (n < 0 || memchr(b->p + b->len, '\0', (size_t)n) != NULL)
		return -1;
	b->len += (size_t)n;
	b->p[b->len] = '\0';
	return 0;
}

/* Add path (the prefix, with its dot) + key with its value. */
static int
add_field(struct flat *fl, const struct json_span *key,
    const struct json_span *value)
{
	size_t at = fl->names.len, j;

	buf_put(&fl->names, fl->path.p, fl->path.len);
	if (put_key(&fl->names, key) == -1)
		return -1;
	buf_putc(&fl->names, '\0');
	if (2 * (fl->n + 1) > fl->nslots)
		rehash(fl);
	j = slot_of(fl, at, fl->names.len - at - 1);
	if (fl->slots[j] != 0) {		/* a duplicate: last value */
		fl->f[fl->slots[j] - 1].value = *value;
		fl->names.len = at;
		return 0;
	}
	if (fl->n == fl->cap) {
		fl->cap = fl->cap ? fl->cap * 2 : 32;
		fl->f = hs_xrealloc(fl->f, fl->cap * sizeof(*fl->f));
	}
	fl->f[fl->n].name = at;
	fl->f[fl->n].value = *value;
	fl->slots[j] = ++fl->n;
	return 0;
}

static int
is_window(const struct json_span *key, const struct json_span *v)
{
	return key->len == 6 && memcmp(key->p, "window", 6) == 0 &&
	    v->type == JSON_OBJECT &&
	    json_member(v, "start").type == JSON_STRING &&
	    json_member(v, "end").type == JSON_STRING;
}

static int
flatten_into(struct flat *fl, const struct json_span *obj, int keep_window)
{
	struct json_span key, value;
	const char *cursor = NULL;
	size_t at;

	while (json_next_member(obj, &cursor, &key, &value)) {
		if (value.type != JSON_OBJECT || value.len == 2 ||
		    (keep_window && fl->path.len == 0 &&
		    is_window(&key, &value))) {
			if (add_field(fl, &key, &value) == -1)
				return -1;
			continue;
		}
		at = fl->path.len;
		if (put_key(&fl->path, &key) == -1)
			return -1;
		buf_putc(&fl->path, '.');
		if (flatten_into(fl, &value, keep_window) == -1)
			return -1;
		fl->path.len = at;
	}
	return 0;
}

int
flatten(struct flat *fl, const struct json_span *obj, int keep_window)
{
	buf_reset(&fl->names);
	buf_reset(&fl->path);
	buf_reserve(&fl->names, 0);
	if (fl->nslots > 0)
		memset(fl->slots, 0, fl->nslots * sizeof(*fl->slots));
	fl->n = 0;
	return flatten_into(fl, obj, keep_window);
}

void
flat_free(struct flat *fl)
{
	buf_free(&fl->names);
	buf_free(&fl->path);
	free(fl->f);
	free(fl->slots);
	memset(fl, 0, sizeof(*fl));
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
	const char *other;
	size_t j, len = strlen(name);

	if (fl->nslots == 0)
		return none;
	j = nameset_hash(name, len) & (fl->nslots - 1);
	for (; fl->slots[j] != 0; j = (j + 1) & (fl->nslots - 1)) {
		other = flat_name(fl, fl->slots[j] - 1);
		if (strcmp(other, name) == 0)
			return fl->f[fl->slots[j] - 1].value;
	}
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
	if ((p = strchr(iso, '.')) != NULL &&
	    strspn(p + 1, "0") == strlen(p + 1))
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
	case JSON_NUMBER:
		put_number(out, v);
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

void
cell_line(struct buf *out, const struct json_span *v, const char *null_text)
{
	static struct buf text;
	unsigned char ch;
	size_t i;

	buf_reset(&text);
	cell_text(&text, v, null_text);
	buf_reserve(out, text.len);
	for (i = 0; i < text.len; i++) {
		ch = (unsigned char)text.p[i];
		if (ch == '\n')
			buf_puts(out, "\\n");
		else if (ch == '\t')
			buf_puts(out, "\\t");
		else if (ch == '\r')
			buf_puts(out, "\\r");
		else if (ch < 0x20 || ch == 0x7f)
			buf_printf(out, "\\u%04x", ch);
		else
			buf_putc(out, (char)ch);
	}
}

/* Whether a character takes two columns of a terminal: the wide and
 * fullwidth forms of East Asian scripts, the ranges Spark's show() counts
 * twice (Hangul Jamo, CJK and Hangul syllables, compatibility ideographs,
 * vertical and small forms, fullwidth ASCII and signs), and the CJK
 * ideographs beyond the first plane. */
static int
wide(unsigned long cp)
{
	return (cp >= 0x1100 && cp <= 0x115f) ||
	    (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
	    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe10 && cp <= 0xfe19) ||
	    (cp >= 0xfe30 && cp <= 0xfe6f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd);
}

size_t
text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	size_t w = 0, n;

	while (*p != '\0') {
		if (*p < 0x80) {
			w++;
			p++;
			continue;
		}
		n = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;
		cp = *p++ & (0x7f >> n);
		for (; --n > 0 && (*p & 0xc0) == 0x80; p++)
			cp = cp << 6 | (*p & 0x3f);
		w += wide(cp) ? 2 : 1;
	}
	return w;
}
