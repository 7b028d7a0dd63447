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

int
fmt_sig(char *out, double d, int digits)
{
	static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	    1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
	    1e18, 1e19 };
	char digit[16], *p = out;
	double m, err;
	long long n;
	int e, i, len;

	if (d == 0)
		return (int)(stpcpy(out, signbit(d) ? "-0" : "0") - out);
	if (!isfinite(d) || digits < 1 || digits > 15 ||
	    (e = (int)floor(log10(fabs(d)))) < -4 || e >= digits)
		return snprintf(out, 32, "%.*g", digits, d);
	/* the digits, rounded half to even as printf does, by the exact
	 * value: a tie in the rounded product is settled by its error */
	m = fabs(d) * pow10[digits - 1 - e];
	err = fma(fabs(d), pow10[digits - 1 - e], -m);
	if (m - floor(m) == 0.5 && err != 0)
		n = (long long)(err > 0 ? ceil(m) : floor(m));
	else
		n = (long long)nearbyint(m);
	if (n >= (long long)pow10[digits]) {	/* rounded up to 10^digits */
		n /= 10;
		if (++e >= digits)
			return snprintf(out, 32, "%.*g", digits, d);
	}
	for (i = digits; i-- > 0; n /= 10)
		digit[i] = (char)('0' + n % 10);
	for (len = digits; len > e + 1 && len > 1 && digit[len - 1] == '0';)
		len--;
	if (d < 0)
		*p++ = '-';
	if (e < 0) {
		*p++ = '0';
		*p++ = '.';
		for (i = -1; i > e; i--)
			*p++ = '0';
	}
	for (i = 0; i < len; i++) {
		if (i == e + 1 && e >= 0)
			*p++ = '.';
		*p++ = digit[i];
	}
	*p = '\0';
	return (int)(p - out);
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
