/*
 * json_test.c - unit tests of the scanner's text rule (json.h): invalid
 * UTF-8, lone surrogate escapes and \u0000 make a record bad, wherever
 * they are, with the column where they are; valid text passes; numbers
 * end where the grammar ends them. Prints TAP; run by
 * tests/t0200-json-text.t.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "jsonw.h"
#include "tap.h"


/* s scans as a valid record. */
static int
valid(const char *s)
{
	struct json_error err;

	return json_scan(s, strlen(s), NULL, 0, NULL, &err) == 0;
}

/* s is refused for why at column col. */
static int
refused(const char *s, const char *why, size_t col)
{
	struct json_error err;

	if (json_scan(s, strlen(s), NULL, 0, NULL, &err) == 0) {
		printf("# accepted: %s\n", s);
		return 0;
	}
	if (strcmp(err.why, why) != 0 || err.column != col) {
		printf("# %s: '%s' at %zu, want '%s' at %zu\n", s, err.why,
		    err.column, why, col);
		return 0;
	}
	return 1;
}

static void
test_invalid_utf8(void)
{
	static const char *const bad[] = {
		"\xff", "\xfe", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80",
		"\xe0\x9f\xbf", "\xf0\x80\x80\x80", "\xf0\x8f\xbf\xbf",
		"\xed\xa0\x80", "\xed\xbf\xbf", "\xf4\x90\x80\x80",
		"\xf5\x80\x80\x80", "\xf8\x88\x80\x80\x80", "\x80", "\xbf",
		"\xc3", "\xe2\x82", "\xf0\x9f\x98", "\xc3\x28", "\xe2\x28\xa1",
	};
	char line[128];
	size_t i;
	int all = 1;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* in a value, after 9 ASCII bytes (past one SWAR word) */
		snprintf(line, sizeof(line), "{\"k\":\"abcdefghi%s\"}", bad[i]);
		all &= refused(line, "invalid UTF-8", 16);
		/* in a key, at the start */
		snprintf(line, sizeof(line), "{\"%s\":1}", bad[i]);
		all &= refused(line, "invalid UTF-8", 3);
		/* nested in an array in an object */
		snprintf(line, sizeof(line), "{\"a\":{\"b\":[1,\"%s\"]}}", bad[i]);
		all &= refused(line, "invalid UTF-8", 15);
	}
	ok(all, "overlong, surrogate, too large, truncated and stray bytes "
	    "are refused in values, keys and nested strings");
	ok(refused("{\"a\":\"x\"}\xff", "trailing data after the JSON object",
	    10) && refused("{\"a\":\xff}", "invalid JSON (expected a value)", 6),
	    "a byte that is not ASCII outside a string is invalid JSON");
}

static void
test_valid_utf8(void)
{
	ok(valid("{\"s\":\"\xc2\xb0" "C\"}") &&
	    valid("{\"\xe2\x82\xac\":\"\xe2\x82\xac\xe2\x82\xac\"}") &&
	    valid("{\"s\":\"\xf0\x9f\x98\x80 long text after it\"}") &&
	    valid("{\"s\":\"\xef\xbf\xbf\xf4\x8f\xbf\xbf\xed\x9f\xbf\xee\x80\x80\"}"),
	    "two-, three- and four-byte characters up to U+10FFFF pass");
	ok(valid("{\"s\":\"\\ud83d\\ude00\"}") && valid("{\"s\":\"\\u00e9\\uffff\"}") &&
	    valid("{\"s\":\"\\u0001\"}"),
	    "escapes, surrogate pairs and \\u0001 pass");
}

static void
test_escapes(void)
{
	ok(refused("{\"s\":\"\\ud800\"}", "lone surrogate escape", 7) &&
	    refused("{\"s\":\"ab\\udbff x\"}", "lone surrogate escape", 9) &&
	    refused("{\"s\":\"\\udc00\"}", "lone surrogate escape", 7) &&
	    refused("{\"s\":\"\\ud800\\u0041\"}", "lone surrogate escape", 7) &&
	    refused("{\"s\":\"\\ud800\\ud800\"}", "lone surrogate escape", 7) &&
	    refused("{\"\\ude00\":1}", "lone surrogate escape", 3),
	    "lone and mis-paired surrogate escapes are refused, keys too");
	ok(refused("{\"s\":\"a\\u0000b\"}", "\\u0000 in a string", 8) &&
	    refused("{\"\\u0000\":1}", "\\u0000 in a string", 3) &&
	    refused("{\"a\":[{\"b\":\"\\u0000\"}]}", "\\u0000 in a string", 13),
	    "\\u0000 is refused anywhere");
}

static void
test_raw_nul(void)
{
	static const char line[] = "{\"s\":\"a\0b\"}";
	struct json_error err;

	ok(json_scan(line, sizeof(line) - 1, NULL, 0, NULL, &err) == -1 &&
	    strcmp(err.why, "NUL byte in a string") == 0 && err.column == 8,
	    "a raw NUL byte in a string is refused");
}

static void
test_columns(void)
{
	ok(refused("{\"a\":1,}", "invalid JSON (expected a string key)", 8) &&
	    refused("{\"a\" 1}", "invalid JSON (expected ':')", 6) &&
	    refused("{\"a\":1", "invalid JSON (unexpected end of line)", 7) &&
	    refused("{\"a\":\"xyz", "invalid JSON (unterminated string)", 6) &&
	    refused("1,2,3", "not a JSON object", 1),
	    "syntax errors give the column where they are");
}

/* A string of n bytes with one special byte at offset at, placed so that
 * the line ends right after it or much later: the search sixteen or
 * eight bytes at a time and its last, shorter piece find each at its
 * column, and plain strings of every length pass. */
static void
test_every_offset(void)
{
	static const char *const specials[] = { "\"", "\\", "\x01", "\xff" };
	static const char *const why[] = {
	    "invalid JSON (expected ':')", "invalid JSON (invalid escape)",
	    "invalid JSON (control character in a string)", "invalid UTF-8" };
	static const char *const tails[] = { "", ",\"pad\":\"0123456789abcdefghijklmnopqrstuvwxyz\"" };
	char line[256], text[64];
	size_t n, at, i, t, col;
	int all = 1;

	for (t = 0; t < 2; t++)
		for (n = 0; n <= 40; n++) {
			memset(text, 'a', n);
			text[n] = '\0';
			snprintf(line, sizeof(line), "{\"%s\":\"%s\"%s}", text,
			    text, tails[t]);
			all &= valid(line);
			for (at = 0; at < n; at++)
				for (i = 0; i < 4; i++) {
					memset(text, 'a', n);
					text[n] = '\0';
					memcpy(text + at, specials[i], 1);
					snprintf(line, sizeof(line),
					    "{\"k\":\"%s\"%s}", text, tails[t]);
					col = 7 + at;
					if (i == 0 || (i == 1 && at + 1 == n))
						all &= !valid(line);	/* ends early */
					else
						all &= refused(line, why[i], col);
				}
		}
	ok(all, "special bytes at every offset of strings up to 40 bytes, "
	    "at the end of the line or not, are found at their column");
}

static uint64_t
next_random(uint64_t *r)
{
	*r ^= *r << 13;
	*r ^= *r >> 7;
	*r ^= *r << 17;
	return *r;
}

/* Decimals of 1 to 20 digits, the point anywhere or none, some with an
 * exponent or a sign, read as the same double as strtod reads them. */
static void
test_numbers(void)
{
	uint64_t r = 0x9e3779b97f4a7c15;
	struct json_span v = { NULL, 0, JSON_NUMBER };
	char text[48], *p, *exact;
	double d, want;
	int i, k, n, point, all = 1;

	for (i = 0; i < 2000000 && all; i++) {
		p = text;
		if (next_random(&r) % 2)
			*p++ = '-';
		n = 1 + (int)(next_random(&r) % 20);
		point = (int)(next_random(&r) % (uint64_t)n);
		for (k = 0; k < n; k++) {
			if (k == point && k > 0)
				*p++ = '.';
			*p++ = (char)('0' + next_random(&r) % 10);
		}
		if (n > 1 && point != 1 && p[-n - (point > 0)] == '0')
			p[-n - (point > 0)] = '1';	/* no leading zero */
		if (next_random(&r) % 8 == 0)
			p += sprintf(p, "e%d", (int)(next_random(&r) % 41) - 20);
		*p = '\0';
		v.len = (size_t)(p - text);
		/* a copy of its own size: ASan sees a byte read beyond it */
		v.p = exact = memcpy(malloc(v.len), text, v.len);
		want = strtod(text, NULL);
		if (json_number(&v, &d) == -1 || memcmp(&d, &want, 8) != 0) {
			printf("# %s: %.17g, want %.17g\n", text, d, want);
			all = 0;
		}
		free(exact);
	}
	ok(all, "numbers read as strtod reads them, fast path or not");
}

/* The length of the JSON number at the start of s, the longest the
 * grammar matches, or -1 if s does not start with one. */
static int
grammar_number(const char *s)
{
	const char *p = s;

	p += *p == '-';
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return -1;
	if (*p == '.') {
		if (*++p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p += p[1] == '+' || p[1] == '-';
		if (*++p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return (int)(p - s);
}

/* Strings of digits, points, signs and exponents as a member's value,
 * with more of the line after it or not: the scan ends each number where
 * the grammar does, refusing it at its first byte or what follows at
 * the byte after it. */
static void
test_number_ends(void)
{
	static const char alphabet[] = "0123456789000111.-+eE";
	static const char *const tails[] = { "}", ",\"pad\":\"0123456789abcdef\"}" };
	struct json_span v;
	struct json_error err;
	char text[32], line[96];
	const char *key = "value";
	int i, k, n, t, want, all = 1;

	for (i = 0; i < 300000; i++) {
		n = 1 + (int)(tap_random() % 24);
		for (k = 0; k < n; k++)
			text[k] = alphabet[tap_random() % (sizeof(alphabet) - 1)];
		text[n] = '\0';
		want = grammar_number(text);
		for (t = 0; t < 2; t++) {
			snprintf(line, sizeof(line), "{\"value\":%s%s", text,
			    tails[t]);
			if (json_scan(line, strlen(line), &key, 1, &v,
			    &err) == 0) {
				if (want != n || v.len != (size_t)n) {
					printf("# accepted: %s\n", line);
					all = 0;
				}
			} else if (want == n || err.column !=
			    (size_t)(want == -1 ? 10 : 10 + want)) {
				printf("# %s: %s at %zu\n", line, err.why,
				    err.column);
				all = 0;
			}
		}
	}
	ok(all, "numbers end where the grammar ends them");
}

static void
test_writer(void)
{
	struct buf b = { 0 };

	buf_json_string(&b, "a\xff" "b\0c\xc3\xa9\xed\xa0\x80", 10);
	ok(strcmp(b.p, "\"a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xc3\xa9"
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"") == 0 && valid("{\"x\":\"\xef\xbf\xbd\"}"),
	    "the writer replaces invalid UTF-8 and NUL with U+FFFD");
	buf_free(&b);
}

int
main(void)
{
	test_invalid_utf8();
	test_valid_utf8();
	test_escapes();
	test_raw_nul();
	test_columns();
	test_every_offset();
	test_numbers();
	test_number_ends();
	test_writer();
	return tap_done();
}
