/*
 * consumer.h - the state of a consumer (-C): its partitions and what it
 * has written, shared by the consuming loop (consume.c) and the source
 * watermarks (watermark.c).
 */
#ifndef HS_CONSUMER_H
#define HS_CONSUMER_H

#include "json.h"
#include "jsonw.h"
#include "kafkacat.h"
#include "positions.h"

struct partition {
	char *topic;
	int32_t partition;
	int64_t written;	/* next offset after the last line written */
	int64_t stored;		/* next offset stored for commit */
	int64_t resume;		/* start offset from --resume, or -1 */
	int64_t first;		/* --commit-from: first offset read since
				 * assigned, or -1 */
	int assigned, at_end;
	hs_time newest;		/* newest event time written, or
				 * INT64_MIN */
	hs_time heard;		/* monotonic time of the last message,
				 * or of the assignment */
};

struct consumer {
	struct options *o;
	rd_kafka_t *rk;
	struct partition *parts;
	size_t nparts;
	size_t last;		/* cache for the partition of a message */
	long long messages, checkpoint_id;
	unsigned long unflushed;
	hs_time next_checkpoint, next_store;
	hs_time batch_time;	/* monotonic time the batch was taken */
	hs_time watermark;	/* the last source watermark written */
	int announced;		/* the stream was told it has them */
	int uncommitted;	/* offsets stored since the last commit */
	unsigned long long untimed;	/* messages without an event time */
	struct positions safe;	/* --commit-from */
	struct buf out;
};

/*
 * Source watermarks (watermark.c): per partition the newest event time
 * written; the source watermark is its minimum over the partitions that
 * can still deliver (hs(7), "How the watermark is made").
 */

/* A message of p whose event-time member is t (JSON_NONE if absent) is
 * about to be written: the first one announces the source watermarks. */
void watermark_message(struct consumer *c, struct partition *p,
    const struct json_span *t);
/* p was assigned to this consumer. */
void watermark_assigned(struct partition *p);
/* Write a source watermark record if the minimum has advanced: after each
 * batch and while idle. */
void watermark_put(struct consumer *c, hs_time now);
/* The source is done (-e, -c): nothing more comes from any partition, so
 * the newest event time written is the watermark. */
void watermark_end(struct consumer *c);
/* Report the messages without an event time, if any. */
void watermark_finish(const struct consumer *c);

#endif
