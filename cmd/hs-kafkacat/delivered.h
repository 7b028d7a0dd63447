/*
 * delivered.h - which produced messages Kafka has acknowledged, and the
 * commit records (hs(7)) whose positions become safe once every message
 * produced before them is: hs-kafkacat -P --commit-to FILE.
 */
#ifndef HS_DELIVERED_H
#define HS_DELIVERED_H

#include <stddef.h>
#include <stdint.h>

#include "jsonw.h"
#include "timefmt.h"

struct pending_commit;

struct delivered {
	const char *path;	/* --commit-to */
	uint64_t next;		/* number of the next message, from 1 */
	uint64_t low;		/* every message below it is acked */
	uint8_t *acked;		/* acked[n - base] for n >= low */
	uint64_t base;
	size_t cap;
	struct pending_commit *q;	/* commit records, oldest first */
	size_t nq, qcap;
	struct buf ready;	/* the newest safe positions */
	long long checkpoint;	/* the newest safe checkpoint, or -1 */
	int unsaved;		/* ready or checkpoint not saved yet */
	int failed;		/* a message was lost: nothing is safe */
	hs_time next_save;	/* monotonic */
};

/* The number to give the message about to be produced. */
uint64_t delivered_next(struct delivered *d);
/* Its delivery report: acknowledged (ok) or lost. */
void delivered_report(struct delivered *d, uint64_t n, int ok);
/* A commit record: its positions (a JSON array's text) are safe once
 * every message numbered so far is acknowledged. */
void delivered_commit(struct delivered *d, const char *array, size_t len);
/* A checkpoint record (hs(7)): its id is safe, the state a replacement
 * resumes from, once every message numbered so far is acknowledged. */
void delivered_checkpoint(struct delivered *d, long long id);
/* Whether commit records wait for acknowledgements. */
int delivered_waiting(const struct delivered *d);
/* Save the newest safe positions to the file, at most every 100 ms
 * unless force. */
void delivered_save(struct delivered *d, int force);
void delivered_free(struct delivered *d);

#endif
