/*
 * strtab.c - distinct byte strings numbered in order (see strtab.h).
 *
 * The keys live end to end in one text buffer; an open-addressing table
 * of key numbers, kept at most half full, finds them by a 64-bit hash
 * whose low bits pick the first slot, probed linearly.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "strtab.h"

struct strtab {
	char *text;		/* every key, each followed by a NUL */
	size_t textlen, textcap;
	size_t *start;		/* per key number: its offset in text */
	size_t *len;
	uint64_t *hash;
	size_t n, cap;
	long *slot;		/* key number, or -1 for an empty slot */
	size_t nslots;		/* a power of two */
};

/* FNV-1a over 8-byte words, with a final avalanche so that the low bits
 * depend on every byte. */
static uint64_t
strtab_hash(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ n, w;

	for (; n >= 8; n -= 8, p += 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 31;
	}
	for (; n > 0; n--, p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

struct strtab *
strtab_new(void)
{
	struct strtab *t = hs_xmalloc(sizeof(*t));

	memset(t, 0, sizeof(*t));
	return t;
}

void
strtab_free(struct strtab *t)
{
	if (t == NULL)
		return;
	free(t->text);
	free(t->start);
	free(t->len);
	free(t->hash);
	free(t->slot);
	free(t);
}

static long
probe(const struct strtab *t, const void *key, size_t len, uint64_t h,
    size_t *at)
{
	size_t mask = t->nslots - 1, i;
	long k;

	for (i = h & mask;; i = (i + 1) & mask) {
		k = t->slot[i];
		if (k == -1 || (t->hash[k] == h && t->len[k] == len &&
		    memcmp(t->text + t->start[k], key, len) == 0)) {
			*at = i;
			return k;
		}
	}
}

static void
grow_slots(struct strtab *t)
{
	size_t i, at;

	free(t->slot);
	t->nslots = t->nslots ? t->nslots * 2 : 64;
	t->slot = hs_xmalloc(t->nslots * sizeof(*t->slot));
	for (i = 0; i < t->nslots; i++)
		t->slot[i] = -1;
	for (i = 0; i < t->n; i++) {
		probe(t, t->text + t->start[i], t->len[i], t->hash[i], &at);
		t->slot[at] = (long)i;
	}
}

long
strtab_find(const struct strtab *t, const void *key, size_t len)
{
	size_t at;

	if (t->n == 0)
		return -1;
	return probe(t, key, len, strtab_hash(key, len), &at);
}

size_t
strtab_add(struct strtab *t, const void *key, size_t len, int *added)
{
	uint64_t h = strtab_hash(key, len);
	size_t at;
	long k;

	if (2 * (t->n + 1) > t->nslots)
		grow_slots(t);
	if ((k = probe(t, key, len, h, &at)) != -1) {
		if (added != NULL)
			*added = 0;
		return (size_t)k;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->start = hs_xrealloc(t->start, t->cap * sizeof(*t->start));
		t->len = hs_xrealloc(t->len, t->cap * sizeof(*t->len));
		t->hash = hs_xrealloc(t->hash, t->cap * sizeof(*t->hash));
	}
	while (t->textlen + len + 1 > t->textcap) {
		t->textcap = t->textcap ? t->textcap * 2 : 1024;
		t->text = hs_xrealloc(t->text, t->textcap);
	}
	memcpy(t->text + t->textlen, key, len);
	t->text[t->textlen + len] = '\0';
	t->start[t->n] = t->textlen;
	t->len[t->n] = len;
	t->hash[t->n] = h;
	t->textlen += len + 1;
	t->slot[at] = (long)t->n;
	if (added != NULL)
		*added = 1;
	return t->n++;
}

const char *
strtab_key(const struct strtab *t, size_t i, size_t *len)
{
	if (len != NULL)
		*len = t->len[i];
	return t->text + t->start[i];
}

size_t
strtab_count(const struct strtab *t)
{
	return t->n;
}

static const struct strtab *ordering;
static size_t ordering_skip;

static int
by_key(const void *a, const void *b)
{
	const char *x = ordering->text + ordering->start[*(const size_t *)a] +
	    ordering_skip;
	const char *y = ordering->text + ordering->start[*(const size_t *)b] +
	    ordering_skip;
	char *ex, *ey;
	double dx = strtod(x, &ex), dy = strtod(y, &ey);

	if (*x != '\0' && *ex == '\0' && *y != '\0' && *ey == '\0' && dx != dy)
		return (dx > dy) - (dx < dy);
	return strcmp(x, y);
}

void
strtab_order(const struct strtab *t, size_t skip, size_t *order)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		order[i] = i;
	ordering = t;
	ordering_skip = skip;
	qsort(order, t->n, sizeof(*order), by_key);
}
