/*
 * pretty.c - indented JSON, two spaces a level, values as written.
 */
#include "fmt.h"

static void
indent(struct buf *out, int depth)
{
	buf_putc(out, '\n');
	while (depth-- > 0)
		buf_puts(out, "  ");
}

void
put_pretty(struct buf *out, const struct json_span *v, int depth)
{
	struct json_span key, value;
	const char *cursor = NULL;
	int n = 0;

	if ((v->type != JSON_OBJECT && v->type != JSON_ARRAY) || v->len == 2) {
		buf_put(out, v->p, v->len);
		return;
	}
	buf_putc(out, v->type == JSON_OBJECT ? '{' : '[');
	if (v->type == JSON_OBJECT) {
		while (json_next_member(v, &cursor, &key, &value)) {
			if (n++ > 0)
				buf_putc(out, ',');
			indent(out, depth + 1);
			buf_put(out, key.p - 1, key.len + 2);
			buf_puts(out, ": ");
			put_pretty(out, &value, depth + 1);
		}
	} else {
		while (json_next_element(v, &cursor, &value)) {
			if (n++ > 0)
				buf_putc(out, ',');
			indent(out, depth + 1);
			put_pretty(out, &value, depth + 1);
		}
	}
	indent(out, depth);
	buf_putc(out, v->type == JSON_OBJECT ? '}' : ']');
}
