/*
 * jsonw.c - the output buffer and JSON writing helpers (see jsonw.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
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

/* Digits of v (at least one) at o; returns the end. */
static char *
put_uint(char *o, uint64_t v)
{
	char digit[20];
	int n = 0;

	do {
		digit[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		*o++ = digit[--n];
	return o;
}

/* q / 10^s (s >= 0) at o in fixed notation, without the fraction's
 * trailing zeros (and its point, if they were all); returns the end. */
static char *
put_fixed(char *o, uint64_t q, int s)
{
	char digit[24];
	int n;

	for (; q % 10 == 0 && s > 0; q /= 10)
		s--;
	n = (int)(put_uint(digit, q) - digit);
	if (n <= s) {
		*o++ = '0';
		*o++ = '.';
		memset(o, '0', (size_t)(s - n));
		o += s - n;
		memcpy(o, digit, (size_t)n);
		return o + n;
	}
	memcpy(o, digit, (size_t)(n - s));
	o += n - s;
	if (s > 0) {
		*o++ = '.';
		memcpy(o, digit + n - s, (size_t)s);
		o += s;
	}
	return o;
}

void
buf_put_uint(struct buf *b, unsigned long long v)
{
	buf_reserve(b, 20);
	b->len = (size_t)(put_uint(b->p + b->len, v) - b->p);
	b->p[b->len] = '\0';
}

#ifdef __SIZEOF_INT128__
/*
 * printf's "%.15g", "%.16g" or "%.17g" of a double that is not an integer,
 * 1e-4 <= |d| < 1e15, without printf, in exact integer arithmetic: |d| is
 * f / 2^sh, so |d| * 10^s is f * 10^s / 2^sh, which 128 bits hold for
 * every s used here (at most 20).
 */
typedef unsigned __int128 u128;

static u128
pow10_128(int s)
{
	static const uint64_t p[] = { 1, 10, 100, 1000, 10000, 100000,
	    1000000, 10000000, 100000000, 1000000000, 10000000000ULL,
	    100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	    100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	    100000000000000000ULL, 1000000000000000000ULL,
	    10000000000000000000ULL };

	return s < 20 ? p[s] : (u128)p[19] * p[s - 19];
}

/* f * 10^s / 2^sh rounded to an integer, half to even, as printf rounds;
 * *below is set to the integer part alone. */
static uint64_t
scaled_round(uint64_t f, int sh, int s, uint64_t *below)
{
	u128 n = (u128)f * pow10_128(s), half = (u128)1 << (sh - 1), rest;
	uint64_t q = (uint64_t)(n >> sh);

	*below = q;
	rest = n & (((u128)1 << sh) - 1);
	if (rest > half || (rest == half && (q & 1)))
		q++;
	return q;
}

/* Whether q / 10^s reads back (strtod, rounding to nearest, ties to
 * even) as f / 2^sh: whether it lies between the midpoints to the
 * neighbouring doubles, all scaled by 10^s * 2^(sh + 2). The neighbour
 * below is half as far when f is the lowest of its binade. */
static int
reads_back(uint64_t q, int s, uint64_t f, int sh)
{
	u128 v = (u128)q << (sh + 2), p = pow10_128(s);
	u128 hi = (u128)(4 * f + 2) * p;
	u128 lo = (u128)(4 * f - (f == UINT64_C(1) << 52 ? 1 : 2)) * p;

	if (v > lo && v < hi)
		return 1;
	return (v == lo || v == hi) && (f & 1) == 0;
}

/* d at precision 15, 16 or 17, the first that reads back, in %g's fixed
 * notation; 0 when d is outside the range or %g would use an exponent. */
static int
fmt_fraction(char *out, double d)
{
	static const double decade[] = { 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2,
	    1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
	    1e15 };
	uint64_t bits, f, q = 0, below;
	int sh, x, prec, s = 0;
	char *o = out;
	double a = fabs(d);

	if (!(a >= 1e-4 && a < 1e15) || a == floor(a))
		return 0;
	memcpy(&bits, &a, sizeof(bits));
	f = (bits & ((UINT64_C(1) << 52) - 1)) | UINT64_C(1) << 52;
	/* |d| = f / 2^sh, 1 <= sh <= 66 */
	sh = 1075 - (int)(bits >> 52);
	/* the decimal exponent x: 10^x <= |d| < 10^(x+1), estimated in
	 * doubles (10^-3 is not one) and made exact by 17 digits */
	for (x = -4; a >= decade[x + 4]; x++)
		;
	for (;;) {
		scaled_round(f, sh, 16 - x, &below);
		if (below >= (uint64_t)pow10_128(17))
			x++;
		else if (below < (uint64_t)pow10_128(16))
			x--;
		else
			break;
	}
	for (prec = 15; prec <= 17; prec++) {
		s = prec - 1 - x;
		q = scaled_round(f, sh, s, &below);
		if (prec == 17 || reads_back(q, s, f, sh))
			break;
	}
	if (q == (uint64_t)pow10_128(prec)) {	/* rounded up: 10^(x+1) */
		q /= 10;
		s--;
		if (++x >= prec)
			return 0;	/* %g would use an exponent */
	}
	/* q has prec digits, s of them after the point */
	if (d < 0)
		*o++ = '-';
	o = put_fixed(o, q, s);
	*o = '\0';
	return (int)(o - out);
}
#endif

/*
 * d, not an integer, 1e-4 <= |d| < 1e15, at 15 digits when a short decimal
 * D reads back as it: 0 if not, or not found so. D is |d| * 10^s rounded
 * to an integer r below 10^15 (s = 14 - the decimal exponent of d, so
 * that the product has 15 digits and errs by less than 1/4), divided by
 * 10^s: if r / 10^s, two exact doubles divided, rounds to |d|, then |d|
 * is the double nearest to D; it lies within 2^-53 |d| of D, closer than
 * half a step of 15 digits, so %.15g of d prints D, which reads back.
 * fmt_fraction would print the same, at precision 15.
 */
static int
fmt_short(char *out, double d)
{
	static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	    1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
	    1e18 };
	double a = fabs(d), scaled = a * 1e4, r;
	char *o = out;
	int x, s;

	if (!(a >= 1e-4 && a < 1e15))
		return 0;
	for (x = -4; x < 14 && scaled >= pow10[x + 5]; x++)
		;
	s = 14 - x;
	r = nearbyint(a * pow10[s]);
	if (r >= 1e15 || r / pow10[s] != a)
		return 0;
	if (d < 0)
		*o++ = '-';
	o = put_fixed(o, (uint64_t)r, s);
	*o = '\0';
	return (int)(o - out);
}

int
fmt_double(char *out, double d)
{
	int prec, n;

	if (!isfinite(d))
		return (int)(stpcpy(out, "null") - out);
	if (d == 0)
		return (int)(stpcpy(out, "0") - out);
	if (d == nearbyint(d) && fabs(d) < 1e17) {
		n = 0;
		if (d < 0)
			out[n++] = '-';
		n = (int)(put_uint(out + n, (uint64_t)fabs(d)) - out);
		out[n] = '\0';
		return n;
	}
	if ((n = fmt_short(out, d)) > 0)
		return n;
#ifdef __SIZEOF_INT128__
	if ((n = fmt_fraction(out, d)) > 0)
		return n;
#endif
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
	if (n >= (long long)pow10[digits]) {	/* rounded up: 10^digits */
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

/* The length of obj (a valid JSON object) before its closing brace, and
 * whether it has members, which a member appended follows after a comma. */
static size_t
open_length(const char *obj, size_t len, int *has_members)
{
	const char *close = obj + len - 1, *before;

	while (*close != '}')
		close--;
	for (before = close - 1; *before == ' ' || *before == '\t' ||
	    *before == '\r' || *before == '\n'; before--)
		;
	*has_members = *before != '{';
	return (size_t)(close - obj);
}

void
buf_put_open_object(struct buf *b, const char *obj, size_t len)
{
	int comma;

	buf_put(b, obj, open_length(obj, len, &comma));
	if (comma)
		buf_putc(b, ',');
}

void
buf_put_line_with_members(struct buf *b, const char *obj, size_t len,
    const char *members, size_t n)
{
	size_t open;
	char *o;
	int comma;

	open = open_length(obj, len, &comma);
	buf_reserve(b, open + n + 3);
	o = b->p + b->len;
	memcpy(o, obj, open);
	o += open;
	if (comma)
		*o++ = ',';
	memcpy(o, members, n);
	o += n;
	*o++ = '}';
	*o++ = '\n';
	*o = '\0';
	b->len = (size_t)(o - b->p);
}

void
buf_write(const struct buf *b, FILE *f)
{
	fwrite_unlocked(b->p, 1, b->len, f);
}
