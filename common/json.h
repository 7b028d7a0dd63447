/*
 * json.h - a zero-copy JSON scanner for one NDJSON record.
 *
 * No tree is built: the scanner validates a line and reports where the
 * values of the wanted top-level members lie in the line itself, as spans.
 * That keeps the per-event path free of allocation. Full RFC 8259 syntax is
 * checked (NaN and Infinity are not JSON and are refused). Keys are compared
 * byte for byte as written between their quotes.
 *
 * One rule for text, the whole toolkit's (hs(7)): a record is refused if
 * any string in it, key or value, at any depth, holds invalid UTF-8
 * (overlong forms, encoded surrogates, code points above U+10FFFF,
 * truncated sequences), a lone or mis-paired surrogate escape such as
 * \ud800, or \u0000. So every accepted record is valid UTF-8 and no
 * decoded string contains a NUL.
 */
#ifndef HS_JSON_H
#define HS_JSON_H

#include <stddef.h>
#include <stdint.h>

enum json_type {
	JSON_NONE = 0,		/* member absent */
	JSON_OBJECT, JSON_ARRAY, JSON_STRING, JSON_NUMBER,
	JSON_TRUE, JSON_FALSE, JSON_NULL
};

struct json_span {
	const char *p;		/* the value's first byte (a string's quote) */
	size_t len;		/* bytes of the value as written */
	enum json_type type;
};

/* Why a scan failed: a short static reason, and the column (bytes from
 * the start of the line, from 1) where it was found. */
struct json_error {
	const char *why;
	size_t column;
};

/* Skip one value starting at p (after whitespace); returns the end or NULL
 * when it is not valid JSON. */
const char *json_skip_value(const char *p, const char *end);
const char *json_skip_ws(const char *p, const char *end);

#define JSON_SCAN_MAX_KEYS 64

/* Validate that line[0..len) is one JSON object (surrounding whitespace
 * allowed) and fill out[i] for each keys[i] (at most JSON_SCAN_MAX_KEYS)
 * found at the top level (type JSON_NONE if absent; the last duplicate
 * wins). Returns 0, or -1 with *err set. */
int json_scan(const char *line, size_t len, const char *const *keys,
    size_t nkeys, struct json_span *out, struct json_error *err);

#define JSON_SHAPE_MEMBERS 32
#define JSON_SHAPE_TEXT 32	/* the longest text kept between values */

/*
 * The shape of the last record scanned with prepared keys (private to
 * json.c): the text around its top-level values, that is the bytes from
 * the end of one value to the start of the next ('{"sensor":',
 * ',"cycle":', ... and the closing '}'), and which keys each member is.
 * The records of one stream mostly share it.
 */
struct json_shape {
	int known;
	unsigned misses;	/* records in a row not of this shape */
	unsigned short members;
	unsigned char len[JSON_SHAPE_MEMBERS + 1];	/* of each text */
	/* the bytes of a 16-byte compare that are not of text i, or more
	 * than 0xffff for a longer text */
	uint32_t beyond[JSON_SHAPE_MEMBERS + 1];
	uint64_t wanted[JSON_SHAPE_MEMBERS];	/* the keys of member i */
	uint64_t before[JSON_SHAPE_MEMBERS + 1];	/* of members < i */
	/* text i at text[i] + 32, with room on either side */
	char text[JSON_SHAPE_MEMBERS + 1][JSON_SHAPE_TEXT + 48];
};

/* The keys of json_scan prepared once, for a scan per record: their
 * lengths, which keys have each length, and the last record's shape. */
struct json_keys {
	const char *const *names;	/* not copied: they must outlive it */
	size_t n;
	size_t len[JSON_SCAN_MAX_KEYS];
	signed char first[32];	/* by length (31: 31 and longer), -1: none */
	signed char next[JSON_SCAN_MAX_KEYS];	/* of the same first[] */
	struct json_shape *shape;	/* &memory, or NULL: not kept */
	struct json_shape memory;
};

/* Prepare names[0..n) in k, which must not be moved afterwards: 0, or -1
 * if there are more than JSON_SCAN_MAX_KEYS. */
int json_keys_init(struct json_keys *k, const char *const *names, size_t n);
/* json_scan of the prepared keys. A record of the last one's shape is
 * checked against it: its values are scanned, the text between them is
 * compared, and the keys of each value are known. The result, spans and
 * errors, is json_scan's whatever the record; only the work differs. */
int json_scan_keys(const char *line, size_t len, const struct json_keys *k,
    struct json_span *out, struct json_error *err);

/* The length of the valid UTF-8 sequence at p (1 to 4 bytes; an ASCII
 * byte is 1), or 0 if the bytes at p are not one. */
size_t json_utf8_len(const char *p, const char *end);

/* Validate text (NUL-terminated) as one JSON object and make it a span:
 * 0, or -1. */
int json_object_span(const char *text, struct json_span *obj);

/* Iterate the members of an object span: start with *cursor = NULL.
 * Returns 1 with key (without quotes, raw) and value, 0 at the end. The
 * span must already be valid JSON (from json_scan). */
int json_next_member(const struct json_span *obj, const char **cursor,
    struct json_span *key, struct json_span *val);
/* Same for the elements of an array span. */
int json_next_element(const struct json_span *arr, const char **cursor,
    struct json_span *val);

/* Look up a member of an object span by key; JSON_NONE if absent. */
struct json_span json_member(const struct json_span *obj, const char *key);

/* A number span to double: 0, or -1 if it is not a finite number. */
int json_number(const struct json_span *v, double *d);

/* An integer number span to long long: 0, or -1 if it is not an integer
 * that fits. */
int json_int(const struct json_span *v, long long *i);

/* An integer member of an object span: 0, or -1. */
int json_member_int(const struct json_span *obj, const char *key,
    long long *i);

/* Decode a string span (with its quotes, from a scanned record) into buf,
 * NUL-terminated, of at most cap bytes including the NUL; returns the
 * decoded length or -1 if it does not fit. \u escapes become UTF-8. */
long json_string(const struct json_span *v, char *buf, size_t cap);

#endif
