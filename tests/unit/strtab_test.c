/*
 * strtab_test.c - unit tests of common/strtab: numbering in order, keys
 * with any bytes, keys sorted as levels, and two million keys found
 * again. Run by tests/t7100-strtab.t.
 */
#include <stdio.h>
#include <string.h>

#include "strtab.h"
#include "tap.h"

static void
test_order(void)
{
	struct strtab *t = strtab_new();
	int added = -1;
	size_t len;

	ok(strtab_find(t, "a", 1) == -1, "an empty table finds nothing");
	ok(strtab_add(t, "CE", 2, &added) == 0 && added == 1, "first key is 0");
	ok(strtab_add(t, "TS1", 3, &added) == 1 && added == 1, "second is 1");
	ok(strtab_add(t, "CE", 2, &added) == 0 && added == 0,
	    "a key added again keeps its number");
	ok(strtab_find(t, "TS1", 3) == 1 && strtab_find(t, "TS", 2) == -1,
	    "find by the whole key, not a prefix");
	ok(strtab_add(t, "a\0b", 3, NULL) == 2 && strtab_find(t, "a\0c", 3) == -1 &&
	    strtab_find(t, "a", 1) == -1, "keys may hold NUL bytes");
	ok(strcmp(strtab_key(t, 1, &len), "TS1") == 0 && len == 3,
	    "key text by number");
	ok(strtab_add(t, "", 0, &added) == 3 && added == 1 &&
	    strtab_find(t, "", 0) == 3, "the empty key");
	ok(strtab_count(t) == 4, "count");
	strtab_free(t);
}

static void
test_many(void)
{
	struct strtab *t = strtab_new();
	char key[32];
	size_t i, bad = 0;
	int n;

	for (i = 0; i < 2000000; i++) {
		n = snprintf(key, sizeof(key), "cycle%zu|PS1", i);
		if (strtab_add(t, key, (size_t)n, NULL) != i)
			bad++;
	}
	for (i = 0; i < 2000000; i += 7) {
		n = snprintf(key, sizeof(key), "cycle%zu|PS1", i);
		if (strtab_find(t, key, (size_t)n) != (long)i)
			bad++;
	}
	ok(bad == 0 && strtab_count(t) == 2000000,
	    "two million keys numbered in order and found again");
	strtab_free(t);
}

static void
test_levels(void)
{
	struct strtab *t = strtab_new();
	const char *keys[] = { "n100", "n3", "n20", "n-1", "shigh", "slow" };
	size_t i, order[6];
	char got[64] = "";

	for (i = 0; i < 6; i++)
		strtab_add(t, keys[i], strlen(keys[i]), NULL);
	strtab_order(t, 1, order);
	for (i = 0; i < 6; i++) {
		strcat(got, strtab_key(t, order[i], NULL) + 1);
		strcat(got, " ");
	}
	ok(strcmp(got, "-1 3 20 100 high low ") == 0,
	    "levels sorted past their tag: numbers by value, words as text");
	strtab_free(t);
}

int
main(void)
{
	test_order();
	test_levels();
	test_many();
	return tap_done();
}
