/*
 * refill.c - keeps librdkafka's prefetch queue short without stalling the
 * consumer (-C).
 *
 * librdkafka fetches ahead of the application until its queue holds
 * queued.min.messages messages or queued.max.messages.kbytes of payload.
 * A queue that full costs ~400 bytes a small message (the message, its op
 * and its share of the fetch buffer): 16 MB of payload made a 22-67 MB
 * process. A shorter queue keeps the memory down, but librdkafka 2.0 looks
 * at a full queue again only when the broker's thread wakes for another
 * reason, up to a second later (2.1 has fetch.queue.backoff.ms for it), so
 * a consumer faster than that stalled for most of its run.
 *
 * So once the consumer has taken half a queue's worth since the last time
 * and the queue is down to half, a thread of ours asks every partition's
 * leader for its end offset (ListOffsets, a few bytes): the request wakes
 * each broker's thread, which sees the queue short and fetches again.
 * The consumer never waits for the answer.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kafkacat.h"
#include "refill.h"
#include "worker.h"

struct refill {
	rd_kafka_t *rk;
	rd_kafka_queue_t *queue;
	size_t half_messages, half_bytes;	/* of the queue's limits */
	size_t taken, taken_bytes;	/* since the last wake */
	struct worker *waker;
};

/* Ask the leaders of the partitions assigned for their end offsets: the
 * answers do not matter, the requests wake the brokers' threads. */
static void
wake_fetchers(void *arg)
{
	rd_kafka_t *rk = arg;
	rd_kafka_topic_partition_list_t *parts;
	int i;

	if (rd_kafka_assignment(rk, &parts) != RD_KAFKA_RESP_ERR_NO_ERROR)
		return;
	for (i = 0; i < parts->cnt; i++)
		parts->elems[i].offset = RD_KAFKA_OFFSET_END;
	if (parts->cnt > 0)
		(void)rd_kafka_offsets_for_times(rk, parts, 500);
	rd_kafka_topic_partition_list_destroy(parts);
}

struct refill *
refill_start(rd_kafka_t *rk, rd_kafka_queue_t *queue)
{
	const rd_kafka_conf_t *conf = rd_kafka_conf(rk);
	struct refill *r = hs_xmalloc(sizeof(*r));

	memset(r, 0, sizeof(*r));
	r->rk = rk;
	r->queue = queue;
	r->half_messages =
	    (size_t)(conf_number(conf, "queued.min.messages") + 1) / 2;
	r->half_bytes =
	    (size_t)conf_number(conf, "queued.max.messages.kbytes") * 512;
	r->waker = worker_start(wake_fetchers, rk);
	return r;
}

void
refill_taken(struct refill *r, size_t n, size_t bytes)
{
	r->taken += n;
	r->taken_bytes += bytes;
	if (r->taken < r->half_messages && r->taken_bytes < r->half_bytes)
		return;
	if (rd_kafka_queue_length(r->queue) >= r->half_messages)
		return;
	r->taken = r->taken_bytes = 0;
	worker_ask(r->waker);
}

void
refill_stop(struct refill *r)
{
	worker_stop(r->waker);
	free(r);
}
