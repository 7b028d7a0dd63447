/*
 * json.c - fuzzing the NDJSON scanner (common/json.c): whatever the line,
 * no crash; a line it accepts is valid UTF-8 and every string in it
 * decodes to valid UTF-8 without NUL; numbers it accepts are finite; the
 * writer turns any bytes into a string the scanner accepts.
 */
#include "harness.h"
#include "jsonw.h"

static void walk(const struct json_span *v, int depth);

static void
check_string(const struct json_span *v)
{
	char buf[4096];
	long n;

	if (v->len + 1 > sizeof(buf))
		return;
	if ((n = json_string(v, buf, sizeof(buf))) < 0)
		abort();	/* the decoded text is never longer */
	if (memchr(buf, '\0', (size_t)n) != NULL ||
	    !utf8_ok((const unsigned char *)buf, (size_t)n))
		abort();
}

static void
walk(const struct json_span *v, int depth)
{
	struct json_span key, val;
	const char *cursor = NULL;
	double d;

	if (depth > 80)
		abort();	/* the scanner allows 64 */
	switch (v->type) {
	case JSON_STRING:
		check_string(v);
		break;
	case JSON_NUMBER:
		if (json_number(v, &d) == 0 && (d != d || d - d != 0))
			abort();
		break;
	case JSON_OBJECT:
		while (json_next_member(v, &cursor, &key, &val)) {
			walk(&val, depth + 1);
			key.p--;
			key.len += 2;
			check_string(&key);
		}
		break;
	case JSON_ARRAY:
		while (json_next_element(v, &cursor, &val))
			walk(&val, depth + 1);
		break;
	default:
		break;
	}
}

static void
fuzz_one(const char *data, size_t len)
{
	static const char *const keys[] = { "sensor", "value", "timestamp",
	    "window", "_hs" };
	struct json_span v[5], obj;
	struct json_error err;
	struct buf b = { 0 };
	size_t i;

	if (json_scan(data, len, keys, 5, v, &err) == 0) {
		if (!utf8_ok((const unsigned char *)data, len) ||
		    memchr(data, '\0', len) != NULL)
			abort();
		for (i = 0; i < 5; i++)
			walk(&v[i], 1);
		obj.p = json_skip_ws(data, data + len);
		obj.len = (size_t)(data + len - obj.p);
		while (obj.len > 0 && strchr(" \t\r\n", obj.p[obj.len - 1]))
			obj.len--;
		obj.type = JSON_OBJECT;
		walk(&obj, 0);
	} else if (err.column < 1 || err.column > len + 1 || err.why == NULL)
		abort();
	buf_puts(&b, "{\"k\":");
	buf_json_string(&b, data, len);
	buf_putc(&b, '}');
	if (json_scan(b.p, b.len, NULL, 0, NULL, &err) == -1 ||
	    !utf8_ok((const unsigned char *)b.p, b.len))
		abort();
	buf_free(&b);
}

#include "unit_main.h"
