/*
 * json_shape_test.c - json_scan_keys, which checks a record against the
 * shape of the last one, gives json_scan's result for every record:
 * the same spans, or the same error at the same column. Each record
 * below is learnt, then thousands of variants of it (a byte changed,
 * deleted or inserted anywhere, the line cut short) and the other
 * records are scanned both ways. Prints TAP; run by
 * tests/t0740-json-shape.t.
 */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "tap.h"

#define NKEYS 7

static const char *const names[NKEYS] = {
	"sensor", "value", "timestamp", "window", "_hs", "value", "",
};

static const char *const records[] = {
	"{\"sensor\":\"CE\",\"cycle\":0,\"sample_idx\":12,\"value\":47.202,"
	    "\"timestamp\":\"2025-11-08T14:30:00.000Z\",\"sampling_rate_hz\":1}",
	"{\"sensor\":\"PS1\",\"value\":-151.5e-3,\"timestamp\":\"2025-11-08"
	    "T14:30:00Z\",\"window\":{\"start\":\"2025-11-08T14:30:00.000Z\","
	    "\"end\":\"2025-11-08T14:31:00.000Z\"}}",
	"  { \"sensor\" : \"a\\\"b\" ,\t\"value\" :0 , \"\":[1,{\"x\":null}] }  ",
	"{}",
	" { } ",
	"{\"a\":1}",
	"{\"value\":1,\"value\":2,\"_hs\":true,\"_hs\":false}",
	"{\"s\\u00e9nsor\":\"\\ud83d\\ude00\xc3\xa9\",\"sensor\":\"\xe2\x82\xac\","
	    "\"value\":123456789012345678901234567890}",
	"{\"value\":0.5,\"timestamp\":\"t\",\"a_key_long_enough_to_be_kept_no\":1,"
	    "\"sensor\":\"x\"}",
	"{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,"
	    "\"i\":9,\"j\":10,\"k\":11,\"l\":12,\"m\":13,\"n\":14,\"o\":15,"
	    "\"p\":16,\"q\":17,\"r\":18,\"s\":19,\"t\":20,\"u\":21,\"v\":22,"
	    "\"w\":23,\"x\":24,\"y\":25,\"z\":26,\"A\":27,\"B\":28,\"C\":29,"
	    "\"D\":30,\"E\":31,\"F\":32,\"value\":33}",
	"{\"value\":[1,2,[3]],\"sensor\":{\"value\":\"in\"},\"x\":-0,"
	    "\"y\":1.25E+2,\"z\":9.5,\"timestamp\":null}",
	"{\"sensor\":\"y\",\"a_key_of_twenty_eight_chars_\":2}",
};

#define NRECORDS (sizeof(records) / sizeof(records[0]))

static const char changes[] = " \"\\,:{}[]0159.eE+-xnt\x01\xff";

/* Scan line with k (which knows the shape of its last record) and with
 * json_scan: 1 if the results are the same. */
static int
same_scan(struct json_keys *k, const char *line, size_t len)
{
	struct json_span a[NKEYS], b[NKEYS];
	struct json_error ea, eb;
	int ra, rb, i;

	ra = json_scan_keys(line, len, k, a, &ea);
	rb = json_scan(line, len, names, NKEYS, b, &eb);
	if (ra != rb)
		goto differ;
	if (ra == -1) {
		if (strcmp(ea.why, eb.why) != 0 || ea.column != eb.column)
			goto differ;
		return 1;
	}
	for (i = 0; i < NKEYS; i++)
		if (a[i].type != b[i].type || (a[i].type != JSON_NONE &&
		    (a[i].p != b[i].p || a[i].len != b[i].len)))
			goto differ;
	return 1;
differ:
	printf("# differs: '%.*s'\n", (int)len, line);
	return 0;
}

/* Keys that know the shape of base only. */
static void
learn(struct json_keys *k, const char *base)
{
	struct json_span out[NKEYS];
	struct json_error err;

	json_keys_init(k, names, NKEYS);
	json_scan_keys(base, strlen(base), k, out, &err);
}

/* Learn the shape of base, then scan variant line[0..len), twice: the
 * second time with the shape learnt from the first. */
static int
after(struct json_keys *k, const char *base, const char *line, size_t len)
{
	learn(k, base);
	return same_scan(k, line, len) && same_scan(k, line, len);
}

/* Every variant of base one edit away, each after base is learnt. */
static int
variants(struct json_keys *k, const char *base)
{
	char line[1024];
	size_t n = strlen(base), i, c;
	int all = 1;

	for (i = 0; i <= n; i++) {
		all &= after(k, base, base, i);		/* cut short */
		for (c = 0; c < sizeof(changes) - 1; c++) {
			memcpy(line, base, i);		/* inserted */
			line[i] = changes[c];
			memcpy(line + i + 1, base + i, n - i);
			all &= after(k, base, line, n + 1);
			if (i == n)
				continue;
			memcpy(line, base, n);		/* changed */
			line[i] = changes[c];
			all &= after(k, base, line, n);
		}
		if (i < n) {
			memcpy(line, base, i);		/* deleted */
			memcpy(line + i, base + i + 1, n - i - 1);
			all &= after(k, base, line, n - 1);
		}
	}
	return all;
}

int
main(void)
{
	const char *another = "{\"sensor\":\"CP\",\"cycle\":10,"
	    "\"sample_idx\":1,\"value\":-1,\"timestamp\":"
	    "\"2025-11-08T14:30:01.000Z\",\"sampling_rate_hz\":1}";
	struct json_span out[NKEYS];
	struct json_error err;
	struct json_keys k;
	size_t i, j;
	int all = 1;

	for (i = 0; i < NRECORDS; i++)
		all &= variants(&k, records[i]);
	ok(all, "every record one edit away from a learnt one scans as "
	    "json_scan scans it");
	all = 1;
	for (i = 0; i < NRECORDS; i++)
		for (j = 0; j < NRECORDS; j++)
			all &= after(&k, records[i], records[j],
			    strlen(records[j]));
	ok(all, "records of another shape scan as json_scan scans them");
	all = 1;
	for (i = 0; i < NRECORDS; i++) {
		learn(&k, records[i]);
		all &= same_scan(&k, records[i], strlen(records[i]));
	}
	ok(all, "a record of the learnt shape scans as json_scan scans it");
	learn(&k, records[0]);
	ok(k.memory.known && k.memory.members == 6,
	    "an event's shape is kept");
	k.memory.wanted[0] = 0;	/* forget what "sensor" is */
	for (j = 1; j <= k.memory.members; j++)
		k.memory.before[j] &= ~(uint64_t)1;
	json_scan_keys(another, strlen(another), &k, out, &err);
	ok(out[0].type == JSON_NONE && out[1].type == JSON_NUMBER &&
	    out[1].len == 2, "a record of that shape is read by the shape");
	learn(&k, records[9]);
	ok(!k.memory.known, "a record of 33 members is not kept");
	learn(&k, records[8]);
	ok(!k.memory.known, "a text of 35 bytes between values is not kept");
	learn(&k, records[11]);
	ok(k.memory.known, "a text of 32 bytes is kept");
	learn(&k, "{\"a\":1,}");
	ok(!k.memory.known, "an invalid record is not kept");
	learn(&k, records[0]);
	for (i = 0, all = 1; i < 200; i++) {
		json_scan_keys(records[i % 2], strlen(records[i % 2]), &k,
		    out, &err);
		all &= same_scan(&k, records[i % 2], strlen(records[i % 2]));
	}
	ok(all && k.memory.misses < 200,
	    "records of two shapes in turn scan as json_scan scans them");
	return tap_done();
}
