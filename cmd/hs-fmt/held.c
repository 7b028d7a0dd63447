/*
 * held.c - records kept aside as copies of their lines, with where they
 * came from: the look-ahead of CSV headers and of SQL column types.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"

void
held_add(struct held *h, const char *line, size_t len, const char *input,
    unsigned long lineno)
{
	struct held_record *r;

	h->r = hs_xrealloc(h->r, (h->n + 1) * sizeof(*h->r));
	r = &h->r[h->n++];
	r->line = hs_xmalloc(len + 1);
	memcpy(r->line, line, len);
	r->line[len] = '\0';
	r->len = len;
	r->input = hs_xstrdup(input);
	r->lineno = lineno;
	h->bytes += len;
}

int
held_flatten(const struct held *h, size_t i, struct flat *fl)
{
	struct json_span rec = { h->r[i].line, h->r[i].len, JSON_OBJECT };

	return flatten(fl, &rec, 0);
}

void
held_clear(struct held *h)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		free(h->r[i].line);
		free(h->r[i].input);
	}
	free(h->r);
	memset(h, 0, sizeof(*h));
}
