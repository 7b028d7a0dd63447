/*
 * json.c - a validating, zero-copy JSON scanner (see json.h).
 *
 * The scanner walks the bytes of one record once. For the top-level object
 * it compares each key with the wanted ones of the same length and records
 * where the value lies; nested values are only validated and skipped.
 * Strings, most of a record's bytes, are searched many bytes at a time,
 * and so are plain numbers. With prepared keys, a record of the same
 * shape as the last one (the same keys in the same order, written the
 * same way) is scanned by its values only. Nothing is allocated.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "json.h"

#define MAX_DEPTH 64
#define END_OF_LINE "invalid JSON (unexpected end of line)"
#define UNTERMINATED "invalid JSON (unterminated string)"

/* Whitespace between tokens; most records have none, so the first test
 * is whether p is at a token already. */
static inline const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && (unsigned char)*p <= ' ' &&
	    (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

const char *
json_skip_ws(const char *p, const char *end)
{
	return skip_ws(p, end);
}

/* Where a scan is going and, when it fails, where and why. */
struct scan {
	const char *begin;	/* the first byte of the text */
	const char *end;
	const char *at;		/* the byte that made it fail */
	const char *why;
};

/* Fail at p for a reason; returns NULL for the callers to pass up. */
static const char *
fail(struct scan *s, const char *p, const char *why)
{
	s->at = p;
	s->why = why;
	return NULL;
}

static int
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	return (c | 0x20) - 'a' + 10;
}

static unsigned
read_u4(const char *p)
{
	return (unsigned)(hexval(p[0]) << 12 | hexval(p[1]) << 8 |
	    hexval(p[2]) << 4 | hexval(p[3]));
}

size_t
json_utf8_len(const char *p, const char *end)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t n, i, avail = (size_t)(end - p);
	unsigned char lo = 0x80, hi = 0xbf;

	if (avail == 0)
		return 0;
	if (u[0] < 0x80)
		return 1;
	if (u[0] >= 0xc2 && u[0] <= 0xdf)
		n = 2;
	else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		n = 3;
		if (u[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (u[0] == 0xed)
			hi = 0x9f;	/* a surrogate */
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		n = 4;
		if (u[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (u[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else
		return 0;
	if (avail < n || u[1] < lo || u[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (u[i] < 0x80 || u[i] > 0xbf)
			return 0;
	return n;
}

/*
 * Strings are skipped by finding the next byte that needs a look: a quote,
 * a backslash, a control character or a byte that is not ASCII. With SSE2
 * (the x86-64 baseline) sixteen bytes are looked at in a few instructions;
 * elsewhere, or built with -DHS_JSON_PORTABLE, eight bytes in a word.
 */

/* Whether c stands in a string as it is: not a quote, a backslash, a
 * control character or a byte of a multibyte character. */
static inline int
plain_byte(char c)
{
	return (unsigned char)c >= ' ' && (unsigned char)c < 0x80 &&
	    c != '"' && c != '\\';
}

#if defined(__SSE2__) && !defined(HS_JSON_PORTABLE)
#include <emmintrin.h>

/* The bytes of p[0..16) that need a look, one bit each. A signed compare
 * with ' ' finds control characters and bytes >= 0x80 in one step. */
static inline unsigned
special16(const char *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i m = _mm_or_si128(_mm_or_si128(
	    _mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
	    _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
	    _mm_cmpgt_epi8(_mm_set1_epi8(' '), x));

	return (unsigned)_mm_movemask_epi8(m);
}

/* The decimal digits of p[0..16), one bit each. */
static inline unsigned
digits16(const char *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);

	return (unsigned)_mm_movemask_epi8(_mm_and_si128(
	    _mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
	    _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1))));
}

/* The bytes of p[0..16) equal to those of t[0..16), one bit each. */
static inline unsigned
equal16(const char *p, const char *t)
{
	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
	    _mm_loadu_si128((const __m128i *)(const void *)p),
	    _mm_loadu_si128((const __m128i *)(const void *)t)));
}

/* The first byte in [p, end) that needs a look, or end. begin is where
 * the text starts: the last sixteen bytes are read from end - 16 when
 * the text is that long, so no byte outside it is ever read. */
static inline const char *
find_special(const char *p, const char *end, const char *begin)
{
	unsigned mask;

	for (; end - p >= 16; p += 16)
		if ((mask = special16(p)) != 0)
			return p + __builtin_ctz(mask);
	if (p < end && end - begin >= 16) {
		mask = special16(end - 16) >> (16 - (end - p));
		return mask != 0 ? p + __builtin_ctz(mask) : end;
	}
	while (p < end && plain_byte(*p))
		p++;
	return p;
}
#else
#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* The bytes of w that are a quote, a backslash, a control character or
 * not ASCII, as their high bits (SWAR, no branches). The lowest flagged
 * byte is exact; bytes above it may be flagged falsely. */
static inline uint64_t
special_bytes(uint64_t w)
{
	uint64_t quote = w ^ (ONES * '"'), bslash = w ^ (ONES * '\\');

	return (((quote - ONES) & ~quote) | ((bslash - ONES) & ~bslash) |
	    (w - ONES * 0x20) | w) & HIGHS;
}

/* The first byte in [p, end) that needs a look, or end; eight bytes a
 * word, then one by one. */
static inline const char *
find_special(const char *p, const char *end, const char *begin)
{
	uint64_t w;

	(void)begin;
	for (; end - p >= 8; p += 8) {
		memcpy(&w, p, 8);
		if (special_bytes(w) != 0)
			break;
	}
	while (p < end && plain_byte(*p))
		p++;
	return p;
}
#endif

/* A \u escape at p (at the 'u'): past it, or NULL. A high surrogate must
 * be followed by the escape of a low one; U+0000 is refused, so no decoded
 * string holds a NUL. */
static const char *
skip_unicode_escape(const char *p, struct scan *s)
{
	const char *end = s->end;
	unsigned cp;

	if (end - p < 5 || !is_hex(p[1]) || !is_hex(p[2]) || !is_hex(p[3]) ||
	    !is_hex(p[4]))
		return fail(s, p - 1, "invalid JSON (invalid \\u escape)");
	cp = read_u4(p + 1);
	if (cp == 0)
		return fail(s, p - 1, "\\u0000 in a string");
	if (cp >= 0xdc00 && cp < 0xe000)
		return fail(s, p - 1, "lone surrogate escape");
	if (cp < 0xd800 || cp >= 0xdc00)
		return p + 5;
	if (end - p < 11 || p[5] != '\\' || p[6] != 'u' || !is_hex(p[7]) ||
	    !is_hex(p[8]) || !is_hex(p[9]) || !is_hex(p[10]) ||
	    (cp = read_u4(p + 7)) < 0xdc00 || cp >= 0xe000)
		return fail(s, p - 1, "lone surrogate escape");
	return p + 11;
}

/* The rest of a string from p, its first byte that needs a look (not its
 * closing quote): an escape, a control character or a multibyte
 * character to validate. open is its opening quote. */
static const char *
skip_string_rest(const char *open, const char *p, struct scan *s)
{
	const char *end = s->end;
	unsigned char c;
	size_t n;

	for (;; p = find_special(p, end, s->begin)) {
		if (p >= end)
			return fail(s, open, UNTERMINATED);
		c = (unsigned char)*p;
		if (c == '"')
			return p + 1;
		if (c < 0x20)
			return fail(s, p, c == 0 ? "NUL byte in a string" :
			    "invalid JSON (control character in a string)");
		if (c >= 0x80) {
			if ((n = json_utf8_len(p, end)) == 0)
				return fail(s, p, "invalid UTF-8");
			p += n;
			continue;
		}
		if (++p >= end)
			return fail(s, open, UNTERMINATED);
		switch (*p) {
		case '"': case '\\': case '/': case 'b': case 'f':
		case 'n': case 'r': case 't':
			p++;
			break;
		case 'u':
			if ((p = skip_unicode_escape(p, s)) == NULL)
				return NULL;
			break;
		default:
			return fail(s, p - 1, "invalid JSON (invalid escape)");
		}
	}
}

/* p is at the opening quote; returns just past the closing quote. Plain
 * text, the common case, is one search for the closing quote. */
static inline const char *
skip_string(const char *p, struct scan *s)
{
	const char *q = find_special(p + 1, s->end, s->begin);

	if (q < s->end && *q == '"')
		return q + 1;
	return skip_string_rest(p, q, s);
}

static inline const char *
skip_digits(const char *p, const char *end)
{
	while (p < end && (unsigned char)(*p - '0') <= 9)
		p++;
	return p;
}

#if defined(__SSE2__) && !defined(HS_JSON_PORTABLE)
/* The end of the number at p (p < end) when it is a plain one, digits
 * with or without a fraction and no exponent, that ends within sixteen
 * bytes after its sign; NULL when the full rules must decide. */
static inline const char *
skip_plain_number(const char *p, const char *end)
{
	unsigned other;
	int i, f;

	p += *p == '-';
	if (end - p < 16)
		return NULL;
	other = ~digits16(p);	/* bits 16 and up: set */
	i = __builtin_ctz(other);
	if (i == 0 || i == 16 || (*p == '0' && i > 1))
		return NULL;
	if (p[i] == '.') {
		if ((f = __builtin_ctz(other >> (i + 1))) == 0 ||
		    (i += 1 + f) == 16)
			return NULL;
	}
	return (p[i] | 0x20) == 'e' ? NULL : p + i;
}
#endif

static inline const char *
skip_number(const char *p, struct scan *s)
{
	const char *end = s->end, *start = p, *q;

	if (p < end && *p == '-')
		p++;
	if (p >= end)
		return fail(s, start, END_OF_LINE);
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		p = skip_digits(p + 1, end);
	else
		return fail(s, start, "invalid JSON (expected a value)");
	if (p < end && *p == '.') {
		q = skip_digits(p + 1, end);
		if (q == p + 1)
			return fail(s, start, "invalid JSON (invalid number)");
		p = q;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		q = skip_digits(p, end);
		if (q == p)
			return fail(s, start, "invalid JSON (invalid number)");
		p = q;
	}
	return p;
}

static const char *
skip_word(const char *p, struct scan *s, const char *word, size_t n)
{
	if ((size_t)(s->end - p) < n || memcmp(p, word, n) != 0)
		return fail(s, p, "invalid JSON (expected a value)");
	return p + n;
}

static const char *skip_container(const char *, struct scan *, int);

/* One value at p (whitespace skipped already): past it, or NULL. */
static const char *
skip_value_at(const char *p, struct scan *s, int depth)
{
	if (p >= s->end)
		return fail(s, p, END_OF_LINE);
	switch (*p) {
	case '"':
		return skip_string(p, s);
	case '{':
	case '[':
		return skip_container(p, s, depth);
	case 't':
		return skip_word(p, s, "true", 4);
	case 'f':
		return skip_word(p, s, "false", 5);
	case 'n':
		return skip_word(p, s, "null", 4);
	default:
		return skip_number(p, s);
	}
}

/* A number at p (p < s->end), a plain one inline. */
static inline __attribute__((always_inline)) const char *
skip_any_number(const char *p, struct scan *s)
{
#if defined(__SSE2__) && !defined(HS_JSON_PORTABLE)
	const char *q;

	if ((q = skip_plain_number(p, s->end)) != NULL)
		return q;
#endif
	return skip_number(p, s);
}

/* The same, with the common values, strings and numbers, inline. */
static inline __attribute__((always_inline)) const char *
skip_value_inline(const char *p, struct scan *s, int depth)
{
	if (p < s->end) {
		if (*p == '"')
			return skip_string(p, s);
		if ((unsigned char)(*p - '0') <= 9 || *p == '-')
			return skip_any_number(p, s);
	}
	return skip_value_at(p, s, depth);
}

/* After a value or a member in a container: the position past the
 * closing bracket (*closed set), or of the next value, or NULL. */
static inline const char *
next_in_container(const char *p, struct scan *s, char close, int *closed)
{
	p = skip_ws(p, s->end);
	if (p >= s->end)
		return fail(s, p, END_OF_LINE);
	*closed = *p == close;
	if (*closed)
		return p + 1;
	if (*p != ',')
		return fail(s, p, close == '}' ?
		    "invalid JSON (expected ',' or '}')" :
		    "invalid JSON (expected ',' or ']')");
	return skip_ws(p + 1, s->end);
}

/* A member's key and colon at p; returns the start of its value, and
 * the end of the key (past its closing quote) through *key_end. */
static inline const char *
skip_key(const char *p, struct scan *s, const char **key_end)
{
	if (p >= s->end || *p != '"')
		return fail(s, p, p >= s->end ? END_OF_LINE :
		    "invalid JSON (expected a string key)");
	if ((p = *key_end = skip_string(p, s)) == NULL)
		return NULL;
	if (p < s->end && *p == ':')
		return skip_ws(p + 1, s->end);
	p = skip_ws(p, s->end);
	if (p >= s->end || *p != ':')
		return fail(s, p, "invalid JSON (expected ':')");
	return skip_ws(p + 1, s->end);
}

static const char *
skip_container(const char *p, struct scan *s, int depth)
{
	char close = *p == '{' ? '}' : ']';
	int object = *p == '{', closed;
	const char *key_end;

	if (depth > MAX_DEPTH)
		return fail(s, p, "nested deeper than 64 levels");
	p = skip_ws(p + 1, s->end);
	if (p < s->end && *p == close)
		return p + 1;
	for (;;) {
		if (object && (p = skip_key(p, s, &key_end)) == NULL)
			return NULL;
		if ((p = skip_value_inline(p, s, depth + 1)) == NULL ||
		    (p = next_in_container(p, s, close, &closed)) == NULL)
			return NULL;
		if (closed)
			return p;
	}
}

const char *
json_skip_value(const char *p, const char *end)
{
	struct scan s = { p, end, NULL, NULL };

	return skip_value_at(skip_ws(p, end), &s, 0);
}

static enum json_type
type_of(char c)
{
	switch (c) {
	case '{': return JSON_OBJECT;
	case '[': return JSON_ARRAY;
	case '"': return JSON_STRING;
	case 't': return JSON_TRUE;
	case 'f': return JSON_FALSE;
	case 'n': return JSON_NULL;
	default: return JSON_NUMBER;
	}
}

static int
scan_error(struct json_error *err, const char *line, const char *at,
    const char *why)
{
	err->why = why;
	err->column = (size_t)(at - line) + 1;
	return -1;
}

/* The slot of a key length in json_keys.first; long keys share the last. */
#define LENGTH_SLOT(n) ((n) < 31 ? (n) : 31)

/* The keys of k, without a shape. */
static void
prepare_keys(struct json_keys *k, const char *const *names, size_t n)
{
	size_t i, slot;

	k->names = names;
	k->n = n;
	memset(k->first, -1, sizeof(k->first));
	for (i = n; i-- > 0;) {	/* chains in the order of names */
		k->len[i] = strlen(names[i]);
		slot = LENGTH_SLOT(k->len[i]);
		k->next[i] = k->first[slot];
		k->first[slot] = (signed char)i;
	}
	k->shape = NULL;
}

int
json_keys_init(struct json_keys *k, const char *const *names, size_t n)
{
	if (n > JSON_SCAN_MAX_KEYS)
		return -1;
	prepare_keys(k, names, n);
	memset(&k->memory, 0, sizeof(k->memory));
	k->shape = &k->memory;
	return 0;
}

int
json_scan(const char *line, size_t len, const char *const *keys,
    size_t nkeys, struct json_span *out, struct json_error *err)
{
	struct json_keys k;

	if (nkeys > JSON_SCAN_MAX_KEYS)
		return scan_error(err, line, line, "too many keys");
	prepare_keys(&k, keys, nkeys);	/* one record: no shape to keep */
	return json_scan_keys(line, len, &k, out, err);
}

/*
 * The record shape. Scanning a record, json_scan_keys keeps the text
 * between its top-level values: from the end of a value (or the start
 * of the line) to the start of the next (or the end of the line). The
 * scanner reads that text the same way whatever surrounds it: a comma,
 * a key, a colon and whitespace in an object, all validated. So when
 * the next record holds the same text at the same places, only its
 * values need scanning, and each value's keys are known already. Where
 * a value ends is found by scanning it, as the full scan does, with the
 * same errors. The text ends right before a value's first byte: a value
 * that starts with whitespace is a difference. From the first
 * difference, a byte, a member more or less, the full scan goes on,
 * from the end of the last value that matched, and the record becomes
 * the shape (not every time when records of one shape are rare).
 */

/* Keep the text from..to of a line that starts at begin and ends at end,
 * the text before value i (or after the last, i being the number of
 * members): 0, or -1 if it is too long to keep. Thirty-two bytes are
 * copied at once where the line has them: the bytes around a text are
 * never compared. */
static inline int
keep_text(struct json_shape *sh, size_t i, const char *from, const char *to,
    const char *begin, const char *end)
{
	size_t n = (size_t)(to - from);
	char *t = sh->text[i] + 32;

	if (n > JSON_SHAPE_TEXT)
		return -1;
	sh->beyond[i] = n <= 16 ? (0xffffu << n) & 0xffff : 0x10000;
	if (end - from >= 32)
		memcpy(t, from, 32);
	else if (to - begin >= 32)
		memcpy(t + n - 32, to - 32, 32);
	else
		memcpy(t, from, n);
	sh->len[i] = (unsigned char)n;
	return 0;
}

/* Whether the text t of n bytes is at p; t has at least 16 bytes of
 * room on either side, read but not counted. */
static inline int
text_at(const char *p, const char *begin, const char *end, const char *t,
    size_t n)
{
#if defined(__SSE2__) && !defined(HS_JSON_PORTABLE)
	if (end - p >= 16) {
		if (n <= 16)
			return ((equal16(p, t) | 0xffffu << n) & 0xffff) ==
			    0xffff;
		return (size_t)(end - p) >= n && (equal16(p, t) &
		    equal16(p + n - 16, t + n - 16)) == 0xffff;
	}
	if ((size_t)(end - p) < n)
		return 0;
	if (n >= 4 && p + n - begin >= 16)	/* shorter: in a word */
		return equal16(p + n - 16, t + n - 16) >> (16 - n) ==
		    (1u << n) - 1;
#else
	(void)begin;
	if ((size_t)(end - p) < n)
		return 0;
#endif
	return bytes_same(p, t, n);
}

/* Scan a record from its start as one of the known shape: 0 if it is
 * one, out filled; -1 if a value is not valid, s->at and s->why set; 1
 * if it differs from the text before member *members on (or after the
 * last value, *members being then the number of members), that text
 * being at *at; out is filled for the members before it. */
static int
scan_shape(const struct json_shape *sh, struct scan *s,
    struct json_span *out, const char **at, size_t *members)
{
	const char *p = s->begin, *v, *q;
	uint64_t keys;
	size_t i, n;
	int k;

	for (i = 0; i < sh->members; i++) {
		n = sh->len[i];
		v = p + n;
#if defined(__SSE2__) && !defined(HS_JSON_PORTABLE)
		if (s->end - p >= 32 && sh->beyond[i] <= 0xffff) {
			/* the common text: short, and far from the end */
			if ((equal16(p, sh->text[i] + 32) | sh->beyond[i]) !=
			    0xffff)
				goto other;
		} else
#endif
		if (!text_at(p, s->begin, s->end, sh->text[i] + 32, n) ||
		    v >= s->end)
			goto other;
		if (*v == '"')
			q = skip_string(v, s);
		else if ((unsigned char)(*v - '0') <= 9 || *v == '-')
			q = skip_any_number(v, s);
		else if ((unsigned char)*v <= ' ')
			goto other;	/* the full scan skips the blank */
		else
			q = skip_value_at(v, s, 1);
		if (q == NULL)
			return -1;
		for (keys = sh->wanted[i]; keys != 0; keys &= keys - 1) {
			k = __builtin_ctzll(keys);
			out[k].p = v;
			out[k].len = (size_t)(q - v);
			out[k].type = type_of(*v);
		}
		p = q;
	}
	n = sh->len[i];
	if (p + n == s->end && text_at(p, s->begin, s->end, sh->text[i] + 32,
	    n))
		return 0;
other:
	*at = p;
	*members = i;
	return 1;
}

/* The bits of n keys. */
static inline uint64_t
all_keys(size_t n)
{
	return n < 64 ? ((uint64_t)1 << n) - 1 : ~(uint64_t)0;
}

/* Whether a record after misses records in a row not of the kept shape
 * (this one included) should become the shape: at once, then less and
 * less often, down to one in 64, so that records of ever new shapes do
 * not pay for keeping each. */
static int
worth_keeping(unsigned misses)
{
	return misses < 64 ? (misses & (misses - 1)) == 0 : misses % 64 == 0;
}

int
json_scan_keys(const char *line, size_t len, const struct json_keys *keys,
    struct json_span *out, struct json_error *err)
{
	struct scan s = { line, line + len, NULL, NULL };
	struct json_shape *sh = keys->shape;
	const char *p = line, *k, *v, *key_end, *after;
	size_t klen, members = 0;
	uint64_t wanted;
	int i, keep = 0;

	if (sh != NULL && sh->known) {
		/* out[] is filled for the keys of the members that match,
		 * and made none for the others */
		i = scan_shape(sh, &s, out, &p, &members);
		for (wanted = ~sh->before[i == 0 ? sh->members : members] &
		    all_keys(keys->n);
		    wanted != 0; wanted &= wanted - 1)
			out[__builtin_ctzll(wanted)].type = JSON_NONE;
		if (i == 0) {
			sh->misses = 0;
			return 0;
		}
		if (i == -1)
			goto bad;
	} else
		for (i = 0; i < (int)keys->n; i++)
			out[i].type = JSON_NONE;
	if (sh != NULL && (keep = worth_keeping(++sh->misses)) != 0)
		sh->known = 0;
	after = p;	/* the full scan goes on where the shape ended */
	if (members == 0) {
		p = skip_ws(line, s.end);
		if (p >= s.end || *p != '{')
			return scan_error(err, line, p, p >= s.end ?
			    "empty line" : "not a JSON object");
		p = skip_ws(p + 1, s.end);
		if (p < s.end && *p == '}') {
			p++;
			goto tail;
		}
	}
	for (;; members++, after = p) {
		if (members > 0) {	/* after a value: ',' or the end */
			if (p < s.end && *p == ',')
				p = skip_ws(p + 1, s.end);
			else {
				p = skip_ws(p, s.end);
				if (p < s.end && *p == '}')
					break;
				if (p >= s.end || *p != ',') {
					fail(&s, p, p < s.end ? "invalid JSON "
					    "(expected ',' or '}')" :
					    END_OF_LINE);
					goto bad;
				}
				p = skip_ws(p + 1, s.end);
			}
		}
		if (p >= s.end || *p != '"') {
			fail(&s, p, "invalid JSON (expected a string key)");
			goto bad;
		}
		k = p + 1;
		if ((v = skip_key(p, &s, &key_end)) == NULL ||
		    (p = skip_value_inline(v, &s, 1)) == NULL)
			goto bad;
		klen = (size_t)(key_end - 1 - k);
		wanted = 0;
		for (i = keys->first[LENGTH_SLOT(klen)]; i >= 0;
		    i = keys->next[i])
			if (keys->len[i] == klen &&
			    bytes_same(keys->names[i], k, klen)) {
				out[i].p = v;
				out[i].len = (size_t)(p - v);
				out[i].type = type_of(*v);
				wanted |= (uint64_t)1 << i;
			}
		if (keep && (members == JSON_SHAPE_MEMBERS ||
		    keep_text(sh, members, after, v, line, s.end) == -1))
			keep = 0;
		if (keep) {
			sh->wanted[members] = wanted;
			sh->before[members + 1] = sh->before[members] | wanted;
		}
	}
	p++;
tail:
	if ((k = skip_ws(p, s.end)) != s.end)
		return scan_error(err, line, k,
		    "trailing data after the JSON object");
	if (keep && keep_text(sh, members, after, s.end, line, s.end) == 0) {
		sh->members = (unsigned short)members;
		sh->known = 1;
	}
	return 0;
bad:
	return scan_error(err, line, s.at, s.why);
}

int
json_object_span(const char *text, struct json_span *obj)
{
	struct json_error err;

	obj->p = json_skip_ws(text, text + strlen(text));
	obj->len = strlen(obj->p);
	obj->type = JSON_OBJECT;
	return json_scan(obj->p, obj->len, NULL, 0, NULL, &err);
}

int
json_next_member(const struct json_span *obj, const char **cursor,
    struct json_span *key, struct json_span *val)
{
	const char *end = obj->p + obj->len, *p;
	struct scan s = { obj->p, end, NULL, NULL };

	p = *cursor == NULL ? obj->p + 1 : *cursor;
	p = json_skip_ws(p, end);
	if (p < end && *p == ',')
		p = json_skip_ws(p + 1, end);
	if (p >= end || *p != '"')
		return 0;
	key->p = p + 1;
	p = skip_string(p, &s);
	key->len = (size_t)(p - 1 - key->p);
	key->type = JSON_STRING;
	p = json_skip_ws(p, end);
	val->p = json_skip_ws(p + 1, end);
	p = json_skip_value(val->p, end);
	val->len = (size_t)(p - val->p);
	val->type = type_of(*val->p);
	*cursor = p;
	return 1;
}

int
json_next_element(const struct json_span *arr, const char **cursor,
    struct json_span *val)
{
	const char *end = arr->p + arr->len, *p;

	p = *cursor == NULL ? arr->p + 1 : *cursor;
	p = json_skip_ws(p, end);
	if (p < end && *p == ',')
		p = json_skip_ws(p + 1, end);
	if (p >= end || *p == ']')
		return 0;
	val->p = p;
	p = json_skip_value(p, end);
	val->len = (size_t)(p - val->p);
	val->type = type_of(*val->p);
	*cursor = p;
	return 1;
}

struct json_span
json_member(const struct json_span *obj, const char *key)
{
	struct json_span k, v, none = { NULL, 0, JSON_NONE };
	const char *cursor = NULL;
	size_t n;

	if (obj->type != JSON_OBJECT)
		return none;
	n = strlen(key);
	while (json_next_member(obj, &cursor, &k, &v))
		if (k.len == n && memcmp(k.p, key, n) == 0)
			return v;
	return none;
}

/*
 * Clinger's fast path: a decimal without exponent whose digits, read as an
 * integer m, are at most 2^53, is m divided by a power of ten up to 10^22,
 * both exact doubles, and one IEEE division rounds it correctly: the
 * double strtod would give. The span is a valid JSON number already; at
 * most 19 characters keep m from overflowing, and 18 fraction digits at
 * most need no larger power.
 */
static int
fast_decimal(const char *p, const char *end, double *d)
{
	static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	    1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
	    1e18, 1e19, 1e20, 1e21, 1e22 };
	const char *point = end;
	uint64_t mant = 0;
	int neg = p < end && *p == '-';

	p += neg;
	if (end - p > 19)	/* at most 19 digits: no overflow */
		return -1;
	for (; p < end; p++) {
		if ((unsigned char)(*p - '0') <= 9)
			mant = mant * 10 + (uint64_t)(*p - '0');
		else if (*p == '.')
			point = p;
		else
			return -1;	/* an exponent */
	}
	if (mant > UINT64_C(1) << 53)
		return -1;
	*d = (double)mant / pow10[point != end ? end - point - 1 : 0];
	if (neg)
		*d = -*d;
	return 0;
}

/* json_number by strtod, for what fast_decimal does not read. */
static int __attribute__((noinline))
strtod_number(const struct json_span *v, double *d)
{
	char tmp[64], *e;

	if (v->len >= sizeof(tmp))
		return -1;
	memcpy(tmp, v->p, v->len);
	tmp[v->len] = '\0';
	*d = strtod(tmp, &e);
	if (*e != '\0' || !isfinite(*d))
		return -1;
	return 0;
}

int
json_number(const struct json_span *v, double *d)
{
	if (v->type != JSON_NUMBER)
		return -1;
	if (fast_decimal(v->p, v->p + v->len, d) == 0)
		return 0;
	return strtod_number(v, d);
}

int
json_int(const struct json_span *v, long long *i)
{
	char *end;

	if (v->type != JSON_NUMBER)
		return -1;
	errno = 0;
	*i = strtoll(v->p, &end, 10);
	return end == v->p + v->len && errno == 0 ? 0 : -1;
}

int
json_member_int(const struct json_span *obj, const char *key, long long *i)
{
	struct json_span m = json_member(obj, key);

	return json_int(&m, i);
}

static size_t
put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

long
json_string(const struct json_span *v, char *buf, size_t cap)
{
	const char *p = v->p + 1, *end = v->p + v->len - 1;
	char utf8[4];
	size_t o = 0, n;
	unsigned cp, lo;

	if (v->type != JSON_STRING)
		return -1;
	while (p < end) {
		if (*p != '\\') {
			utf8[0] = *p++;
			n = 1;
		} else {
			p++;
			n = 1;
			switch (*p++) {
			case 'b': utf8[0] = '\b'; break;
			case 'f': utf8[0] = '\f'; break;
			case 'n': utf8[0] = '\n'; break;
			case 'r': utf8[0] = '\r'; break;
			case 't': utf8[0] = '\t'; break;
			case 'u':
				cp = read_u4(p);
				p += 4;
				if (cp >= 0xd800 && cp < 0xdc00 &&
				    end - p >= 6 && p[0] == '\\' &&
				    p[1] == 'u' &&
				    (lo = read_u4(p + 2)) >= 0xdc00 &&
				    lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) +
					    (lo - 0xdc00);
					p += 6;
				}
				n = put_utf8(utf8, cp);
				break;
			default:
				utf8[0] = p[-1];
				break;
			}
		}
		if (o + n >= cap)
			return -1;
		memcpy(buf + o, utf8, n);
		o += n;
	}
	if (o >= cap)
		return -1;
	buf[o] = '\0';
	return (long)o;
}
