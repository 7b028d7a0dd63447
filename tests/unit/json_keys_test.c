/*
 * json_keys_test.c - json_scan_keys finds each prepared key as json_scan
 * does: keys of one length, a key wanted twice, long keys that share a
 * slot, the last duplicate member. Prints TAP; run by
 * tests/t0720-json-keys.t.
 */
#include <string.h>

#include "json.h"
#include "tap.h"

static int
is(const struct json_span *v, const char *text)
{
	return v->type != JSON_NONE && v->len == strlen(text) &&
	    memcmp(v->p, text, v->len) == 0;
}

int
main(void)
{
	static const char *const names[] = {
		"ab", "cd", "ab", "a_key_of_thirty_two_characters__",
		"a_key_of_thirty_three_characters_", "", "zz",
	};
	const char *line = "{\"cd\":1,\"ab\":\"x\",\"\":null,"
	    "\"a_key_of_thirty_three_characters_\":[1],"
	    "\"a_key_of_thirty_two_characters__\":{\"ab\":2},\"cd\":3}";
	struct json_span out[7], again[7];
	struct json_error err;
	struct json_keys keys;
	size_t i;
	int same = 1;

	ok(json_keys_init(&keys, names, 7) == 0, "keys prepared");
	ok(json_scan_keys(line, strlen(line), &keys, out, &err) == 0,
	    "a valid line scans");
	ok(is(&out[0], "\"x\"") && is(&out[2], "\"x\""),
	    "a key wanted twice is found for both");
	ok(is(&out[1], "3"), "the last duplicate member wins");
	ok(is(&out[3], "{\"ab\":2}") && is(&out[4], "[1]"),
	    "long keys of one slot are told apart");
	ok(is(&out[5], "null") && out[6].type == JSON_NONE,
	    "the empty key is found, an absent one is none");
	json_scan(line, strlen(line), names, 7, again, &err);
	for (i = 0; i < 7; i++)
		same &= out[i].type == again[i].type &&
		    (out[i].type == JSON_NONE || (out[i].p == again[i].p &&
		    out[i].len == again[i].len));
	ok(same, "json_scan gives the same spans");
	ok(json_scan_keys("{\"ab\":1,}", 9, &keys, out, &err) == -1 &&
	    err.column == 9, "an invalid line fails where json_scan does");
	return tap_done();
}
