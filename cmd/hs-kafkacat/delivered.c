/*
 * delivered.c - acknowledged messages and safe commit positions (see
 * delivered.h).
 *
 * Delivery reports come in order within a partition, not across them, so
 * each message is numbered and marked when acknowledged; the lowest
 * number not yet acknowledged rises over the marks. A commit record
 * waits, with the number of the last message produced before it, until
 * that lowest number has passed it.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "delivered.h"
#include "positions.h"

struct pending_commit {
	uint64_t last;		/* the last message before the record */
	char *array;		/* a commit record's positions, or NULL */
	size_t len;
	long long checkpoint;	/* a checkpoint record's id */
};

static void
start(struct delivered *d)
{
	if (d->next == 0) {
		d->next = d->low = d->base = 1;
		d->checkpoint = -1;
	}
}

uint64_t
delivered_next(struct delivered *d)
{
	size_t need;

	start(d);
	need = (size_t)(d->next - d->base) + 1;
	if (need > d->cap) {
		if (d->low - d->base >= d->cap / 2 && d->cap > 0) {
			/* drop the marks below low */
			memmove(d->acked, d->acked + (d->low - d->base),
			    (size_t)(d->next - d->low));
			d->base = d->low;
			need = (size_t)(d->next - d->base) + 1;
		}
		if (need > d->cap) {
			d->cap = need < 2 * d->cap ? 2 * d->cap :
			    need < 4096 ? 4096 : need;
			d->acked = hs_xrealloc(d->acked, d->cap);
		}
	}
	d->acked[d->next - d->base] = 0;
	return d->next++;
}

static void
promote(struct delivered *d)
{
	size_t i = 0, j;

	while (i < d->nq && d->q[i].last < d->low)
		i++;
	if (i == 0)
		return;
	for (j = 0; j < i; j++) {
		if (d->q[j].array != NULL) {
			buf_reset(&d->ready);
			buf_put(&d->ready, d->q[j].array, d->q[j].len);
		} else
			d->checkpoint = d->q[j].checkpoint;
		free(d->q[j].array);
	}
	d->unsaved = 1;
	memmove(d->q, d->q + i, (d->nq - i) * sizeof(*d->q));
	d->nq -= i;
}

void
delivered_report(struct delivered *d, uint64_t n, int ok)
{
	if (!ok)
		d->failed = 1;
	if (n < d->low || n >= d->next)
		return;
	d->acked[n - d->base] = 1;
	while (d->low < d->next && d->acked[d->low - d->base])
		d->low++;
	promote(d);
}

/* A record that waits for the messages produced before it. */
static struct pending_commit *
pend(struct delivered *d)
{
	struct pending_commit *c;

	start(d);
	if (d->nq == d->qcap) {
		d->qcap = d->qcap ? 2 * d->qcap : 16;
		d->q = hs_xrealloc(d->q, d->qcap * sizeof(*d->q));
	}
	c = &d->q[d->nq++];
	c->last = d->next - 1;
	c->array = NULL;
	c->len = 0;
	c->checkpoint = -1;
	return c;
}

void
delivered_commit(struct delivered *d, const char *array, size_t len)
{
	struct pending_commit *c = pend(d);

	c->array = hs_xmalloc(len + 1);
	memcpy(c->array, array, len);
	c->array[len] = '\0';
	c->len = len;
	promote(d);
}

void
delivered_checkpoint(struct delivered *d, long long id)
{
	pend(d)->checkpoint = id;
	promote(d);
}

int
delivered_waiting(const struct delivered *d)
{
	return d->nq > 0 || (d->unsaved && d->ready.len > 0);
}

void
delivered_save(struct delivered *d, int force)
{
	hs_time now = time_monotonic();

	if (d->failed || !d->unsaved || d->ready.len == 0 ||
	    (!force && now < d->next_save))
		return;
	positions_save(d->path, d->ready.p, d->ready.len, d->checkpoint);
	d->unsaved = 0;
	d->next_save = now + 100000;
}

void
delivered_free(struct delivered *d)
{
	size_t i;

	for (i = 0; i < d->nq; i++)
		free(d->q[i].array);
	free(d->q);
	free(d->acked);
	buf_free(&d->ready);
}
