/*
 * nameset.c - a set of byte strings numbered in the order they were added,
 * found by hashing: the columns of a table or CSV header, SQL columns,
 * metric families, chart series. Lookups cost the same however many names
 * there are, so a flood of distinct names costs memory, never time.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"

size_t
nameset_hash(const char *s, size_t n)
{
	size_t h = 14695981039346656037ULL, i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

/* The slot of the name: holding its index + 1, or empty. */
static size_t
slot_of(const struct nameset *s, const char *name, size_t len)
{
	size_t j = nameset_hash(name, len) & (s->nslots - 1), i;

	for (; s->slots[j] != 0; j = (j + 1) & (s->nslots - 1)) {
		i = s->slots[j] - 1;
		if (s->lens[i] == len && memcmp(s->names[i], name, len) == 0)
			break;
	}
	return j;
}

static void
grow(struct nameset *s)
{
	size_t i;

	free(s->slots);
	s->nslots = s->nslots ? s->nslots * 2 : 64;
	s->slots = hs_xmalloc(s->nslots * sizeof(*s->slots));
	memset(s->slots, 0, s->nslots * sizeof(*s->slots));
	for (i = 0; i < s->n; i++)
		s->slots[slot_of(s, s->names[i], s->lens[i])] = i + 1;
}

size_t
nameset_find(const struct nameset *s, const char *name, size_t len)
{
	size_t j;

	if (s->n == 0)
		return NAMESET_NONE;
	j = slot_of(s, name, len);
	return s->slots[j] ? s->slots[j] - 1 : NAMESET_NONE;
}

size_t
nameset_add(struct nameset *s, const char *name, size_t len)
{
	size_t i = nameset_find(s, name, len);

	if (i != NAMESET_NONE)
		return i;
	if (2 * (s->n + 1) > s->nslots) {
		grow(s);
		s->names = hs_xrealloc(s->names, s->nslots / 2 *
		    sizeof(*s->names));
		s->lens = hs_xrealloc(s->lens, s->nslots / 2 *
		    sizeof(*s->lens));
	}
	s->names[s->n] = hs_xmalloc(len + 1);
	memcpy(s->names[s->n], name, len);
	s->names[s->n][len] = '\0';
	s->lens[s->n] = len;
	s->slots[slot_of(s, name, len)] = s->n + 1;
	return s->n++;
}

void
nameset_free(struct nameset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->names[i]);
	free(s->names);
	free(s->lens);
	free(s->slots);
	memset(s, 0, sizeof(*s));
}
