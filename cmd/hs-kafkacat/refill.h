/*
 * refill.h - keeps librdkafka's prefetch queue short without stalling the
 * consumer (-C): see refill.c.
 */
#ifndef HS_REFILL_H
#define HS_REFILL_H

#include <stddef.h>

#include <librdkafka/rdkafka.h>

struct refill;

/* Start watching the consumer queue of rk. */
struct refill *refill_start(rd_kafka_t *rk, rd_kafka_queue_t *queue);
/* n messages of bytes payload were taken from the queue since the last
 * call: wake the fetchers if the queue is short again. */
void refill_taken(struct refill *r, size_t n, size_t bytes);
void refill_stop(struct refill *r);

#endif
