/*
 * jsonw.c - the output buffer and JSON writing helpers (see jsonw.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "jsonw.h"

#define REPLACEMENT_CHARACTER "\xef\xbf\xbd"	/* U+FFFD in UTF-8 */

void
buf_reset(struct buf *b)
{
	b->len = 0;
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

void
buf_reserve(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	b->cap = b->cap ? b->cap : 256;
	while (b->cap < need)
		b->cap *= 2;
	b->p = hs_xrealloc(b->p, b->cap);
}

void
buf_put(struct buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	buf_reserve(b, n);
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void
buf_putc(struct buf *b, char c)
{
	buf_reserve(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	/* most texts fit the small buffer: one formatting, not two */
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		hs_fatal("internal error: bad format");
	buf_reserve(b, (size_t)n);
	if ((size_t)n < sizeof(small)) {
		memcpy(b->p + b->len, small, (size_t)n + 1);
		b->len += (size_t)n;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buf_json_string(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	buf_reserve(b, n + 2);
	b->p[b->len++] = '"';
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		size_t seq;

		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			buf_putc(b, (char)c);
			continue;
		}
		if (c >= 0x80 && (seq = json_utf8_len(s + i, s + n)) > 0) {
			buf_put(b, s + i, seq);
			i += seq - 1;
			continue;
		}
		if (c >= 0x80 || c == 0) {
			buf_puts(b, REPLACEMENT_CHARACTER);
			continue;
		}
		buf_putc(b, '\\');
		switch (c) {
		case '"': buf_putc(b, '"'); break;
		case '\\': buf_putc(b, '\\'); break;
		case '\n': buf_putc(b, 'n'); break;
		case '\r': buf_putc(b, 'r'); break;
		case '\t': buf_putc(b, 't'); break;
		case '\b': buf_putc(b, 'b'); break;
		case '\f': buf_putc(b, 'f'); break;
		default:
			buf_puts(b, "u00");
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
	}
	buf_putc(b, '"');
}

int
fmt_double(char *out, double d)
{
	int prec, n;

	if (!isfinite(d))
		return snprintf(out, 32, "null");
	if (d == 0)
		return snprintf(out, 32, "0");
	if (d == nearbyint(d) && fabs(d) < 1e17)
		return snprintf(out, 32, "%.0f", d);
	for (prec = 15;; prec++) {
		n = snprintf(out, 32, "%.*g", prec, d);
		if (prec == 17 || strtod(out, NULL) == d)
			return n;
	}
}

void
buf_json_number(struct buf *b, double d)
{
	buf_reserve(b, 32);
	b->len += (size_t)fmt_double(b->p + b->len, d);
}

void
buf_put_open_object(struct buf *b, const char *obj, size_t len)
{
	const char *close = obj + len - 1, *before;

	while (*close != '}')
		close--;
	for (before = close - 1; *before == ' ' || *before == '\t' ||
	    *before == '\r' || *before == '\n'; before--)
		;
	buf_put(b, obj, (size_t)(close - obj));
	if (*before != '{')
		buf_putc(b, ',');
}

void
buf_write(const struct buf *b, FILE *f)
{
	fwrite_unlocked(b->p, 1, b->len, f);
}
