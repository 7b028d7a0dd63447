/*
 * common_test.c - unit tests of common/ (time, durations, the JSON scanner
 * and writer), printing TAP. Run by tests/t0000-common.t.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "jsonw.h"
#include "tap.h"
#include "timefmt.h"


static int
iso_is(const char *in, const char *want)
{
	char out[32];
	hs_time t;

	if (time_parse_iso(in, strlen(in), &t) == -1)
		return 0;
	time_format_iso(t, out);
	if (strcmp(out, want) != 0)
		printf("# %s -> %s, want %s\n", in, out, want);
	return strcmp(out, want) == 0;
}

static int
iso_bad(const char *in)
{
	hs_time t;

	return time_parse_iso(in, strlen(in), &t) == -1;
}

static void
test_time(void)
{
	hs_time t, d;
	char out[32];

	ok(iso_is("2025-11-08T14:30:00Z", "2025-11-08T14:30:00.000Z"),
	    "ISO-8601 with Z");
	ok(iso_is("2025-11-08T14:30:00.123456", "2025-11-08T14:30:00.123456Z"),
	    "no zone is UTC, microseconds kept");
	ok(iso_is("2025-11-08T16:30:00.5+02:00", "2025-11-08T14:30:00.500Z"),
	    "offset +02:00");
	ok(iso_is("2025-11-08T09:30:00-0500", "2025-11-08T14:30:00.000Z"),
	    "offset -0500");
	ok(iso_is("2024-02-29 23:59:59Z", "2024-02-29T23:59:59.000Z"),
	    "leap day, space for T");
	ok(iso_is("1969-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z"),
	    "before the epoch");
	ok(iso_bad("2025-02-29T00:00:00Z") && iso_bad("2025-13-01T00:00:00Z") &&
	    iso_bad("2025-11-08T24:00:00Z") && iso_bad("2025-11-08") &&
	    iso_bad("2025-11-08T14:30:00Zjunk") && iso_bad("2025-11-08T14:30:00."),
	    "invalid timestamps are refused");
	ok(time_from_epoch(1762612200, &t) == 0 && time_format_iso(t, out) &&
	    strcmp(out, "2025-11-08T14:30:00.000Z") == 0, "epoch seconds");
	ok(time_from_epoch(1762612200250.0, &t) == 0 && time_format_iso(t, out) &&
	    strcmp(out, "2025-11-08T14:30:00.250Z") == 0, "epoch milliseconds");
	ok(duration_parse("1m", &d, 0) == 0 && d == 60000000 &&
	    duration_parse("1h30m", &d, 0) == 0 && d == 5400000000LL &&
	    duration_parse("250ms", &d, 0) == 0 && d == 250000 &&
	    duration_parse("10", &d, 0) == 0 && d == 10000000,
	    "durations");
	ok(duration_parse("0", &d, 0) == -1 && duration_parse("0", &d, 1) == 0 &&
	    duration_parse("1x", &d, 0) == -1 && duration_parse("", &d, 0) == -1 &&
	    duration_parse("-1s", &d, 0) == -1, "bad durations are refused");
	ok(time_floor(-1, 60) == -60 && time_floor(59, 60) == 0 &&
	    time_floor(60, 60) == 60, "floor for window alignment");
}

static int
valid(const char *s)
{
	struct json_error err;
	struct json_span v;

	return json_scan(s, strlen(s), NULL, 0, &v, &err) == 0;
}

static void
test_json(void)
{
	static const char *const keys[] = { "a", "b", "c", "missing" };
	const char *line = "{\"a\":1.5,\"b\":{\"x\":[1,2,{\"y\":null}]},"
	    "\"c\":\"s\\u00e9\\n\",\"a\":-2e3}";
	struct json_span v[4], m;
	struct json_error err;
	char s[16];
	double d;

	ok(json_scan(line, strlen(line), keys, 4, v, &err) == 0,
	    "a nested object scans");
	ok(v[0].type == JSON_NUMBER && json_number(&v[0], &d) == 0 &&
	    d == -2000, "the last duplicate key wins");
	ok(v[1].type == JSON_OBJECT && v[1].len == 22, "object span");
	m = json_member(&v[1], "x");
	ok(m.type == JSON_ARRAY && m.len == 16, "member lookup");
	ok(json_string(&v[2], s, sizeof(s)) == 4 && strcmp(s, "s\xc3\xa9\n") == 0,
	    "string decoding with \\u escape");
	ok(v[3].type == JSON_NONE, "an absent key is JSON_NONE");
	ok(valid("{}") && valid(" {\"a\":[]} ") && valid("{\"a\":true,\"b\":false}"),
	    "valid objects");
	ok(valid("{\"long\":\"0123456789abcdef\\\"0123456789\"}") &&
	    !valid("{\"long\":\"0123456789abcdef\n0123456789\"}") &&
	    !valid("{\"long\":\"0123456789abcdef01234\"56789\"}"),
	    "long strings: escapes, control characters, quotes");
	ok(!valid("[1]") && !valid("{\"a\":NaN}") && !valid("{\"a\":Infinity}") &&
	    !valid("{\"a\":01}") && !valid("{\"a\":1.}") && !valid("{\"a\":1}x") &&
	    !valid("{\"a\" 1}") && !valid("{\"a\":\"\\x\"}") && !valid("{\"a\":1,}") &&
	    !valid("{'a':1}") && !valid("") && !valid("{\"a\":\"\t\"}"),
	    "invalid JSON is refused");
}

static int
roundtrips(double d)
{
	char out[32];

	fmt_double(out, d);
	return strtod(out, NULL) == d;
}

/* json_number must give exactly what strtod gives, fast path or not. */
static int
number_matches_strtod(const char *text)
{
	struct json_span v = { text, strlen(text), JSON_NUMBER };
	double d;

	return json_number(&v, &d) == 0 && d == strtod(text, NULL);
}

static void
test_numbers(void)
{
	static const char *const samples[] = { "35.57", "-0.001", "151.23",
	    "0", "-0", "123456789012345", "1234567890123456789", "0.1",
	    "2.2250738585072014e-308", "1e22", "1.7976931348623157e308",
	    "0.000000000000000000000123", "9007199254740993", "2.675" };
	struct json_span big = { "1e999", 5, JSON_NUMBER };
	size_t i;
	int all = 1;
	double d;

	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
		if (!number_matches_strtod(samples[i])) {
			printf("# %s differs from strtod\n", samples[i]);
			all = 0;
		}
	ok(all, "numbers parse exactly as strtod parses them");
	ok(json_number(&big, &d) == -1, "an infinite number is refused");
}

static void
test_jsonw(void)
{
	struct buf b = { 0 };
	char out[32];

	fmt_double(out, 0.1 + 0.2);
	ok(strcmp(out, "0.30000000000000004") == 0, "shortest form 0.1+0.2");
	fmt_double(out, 151.23);
	ok(strcmp(out, "151.23") == 0, "shortest form 151.23");
	fmt_double(out, 6000);
	ok(strcmp(out, "6000") == 0, "integral values without point");
	ok(roundtrips(1e-300) && roundtrips(M_PI) && roundtrips(-1.0 / 3) &&
	    roundtrips(1e300), "numbers read back to the same double");
	buf_json_string(&b, "a\"b\\c\n\x01\xc3\xa9", 9);
	ok(strcmp(b.p, "\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\"") == 0,
	    "string escaping");
	buf_free(&b);
}

int
main(void)
{
	test_time();
	test_json();
	test_numbers();
	test_jsonw();
	return tap_done();
}
