/*
 * metadata.c - cluster metadata as NDJSON (-L): one record per broker and
 * one per partition, with its leader, replicas and watermark offsets, so
 * that hs-fmt shows it as a table. The watermark offsets are asked for
 * 500 partitions at a time, two ListOffsets requests to each leader
 * (earliest and latest), not two round trips a partition.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jsonw.h"
#include "kafkacat.h"

#define WATERMARK_CHUNK 500	/* partitions a request */

static void
put_ids(struct buf *b, const char *name, const int32_t *ids, int n)
{
	int i;

	buf_printf(b, ",\"%s\":[", name);
	for (i = 0; i < n; i++)
		buf_printf(b, "%s%d", i ? "," : "", (int)ids[i]);
	buf_putc(b, ']');
}

/* The earliest or latest offsets (end: RD_KAFKA_OFFSET_BEGINNING or
 * RD_KAFKA_OFFSET_END, the special timestamps of a ListOffsets request) of
 * the partitions of list into out[]: -1, and a warning, where the brokers
 * did not say by the deadline. */
static void
query_end(rd_kafka_t *rk, rd_kafka_topic_partition_list_t *list, int64_t end,
    int64_t *out, hs_time deadline)
{
	rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__TIMED_OUT, why;
	int i, unknown = 0, left = time_ms_left(deadline);

	for (i = 0; i < list->cnt; i++)
		list->elems[i].offset = end;
	if (left > 0)
		err = rd_kafka_offsets_for_times(rk, list, left);
	for (i = 0, why = err; i < list->cnt; i++) {
		out[i] = err == RD_KAFKA_RESP_ERR_NO_ERROR &&
		    list->elems[i].err == RD_KAFKA_RESP_ERR_NO_ERROR ?
		    list->elems[i].offset : -1;
		if (out[i] < 0) {
			out[i] = -1;
			unknown++;
			if (why == RD_KAFKA_RESP_ERR_NO_ERROR)
				why = list->elems[i].err;
		}
	}
	if (unknown > 0)
		hs_warn("the %s offsets of %d of %d partitions unknown: %s",
		    end == RD_KAFKA_OFFSET_BEGINNING ? "low" : "high", unknown,
		    list->cnt, rd_kafka_err2str(why));
}

/* Every partition of the topics md knows without an error, in its order. */
static rd_kafka_topic_partition_list_t *
partitions_of(const struct rd_kafka_metadata *md)
{
	rd_kafka_topic_partition_list_t *list;
	int t, i;

	list = rd_kafka_topic_partition_list_new(md->topic_cnt);
	for (t = 0; t < md->topic_cnt; t++)
		if (md->topics[t].err == RD_KAFKA_RESP_ERR_NO_ERROR)
			for (i = 0; i < md->topics[t].partition_cnt; i++)
				rd_kafka_topic_partition_list_add(list,
				    md->topics[t].topic,
				    md->topics[t].partitions[i].id);
	return list;
}

/* The low and high watermark offsets of the partitions of all into low[]
 * and high[], within -m. They are asked for in chunks: librdkafka finds
 * the partition of each answer by a linear search of the request's list,
 * and 16,000 partitions at once took 1.7 s of CPU. */
static void
watermarks(rd_kafka_t *rk, const rd_kafka_topic_partition_list_t *all,
    int64_t *low, int64_t *high, int timeout_ms)
{
	rd_kafka_topic_partition_list_t *chunk;
	hs_time deadline = time_deadline(timeout_ms);
	int from, i;

	for (from = 0; from < all->cnt; from += WATERMARK_CHUNK) {
		chunk = rd_kafka_topic_partition_list_new(WATERMARK_CHUNK);
		for (i = from; i < all->cnt && i < from + WATERMARK_CHUNK; i++)
			rd_kafka_topic_partition_list_add(chunk,
			    all->elems[i].topic, all->elems[i].partition);
		query_end(rk, chunk, RD_KAFKA_OFFSET_BEGINNING, low + from,
		    deadline);
		query_end(rk, chunk, RD_KAFKA_OFFSET_END, high + from,
		    deadline);
		rd_kafka_topic_partition_list_destroy(chunk);
	}
}

int
metadata(struct options *o)
{
	const struct rd_kafka_metadata *md;
	rd_kafka_topic_partition_list_t *all;
	int64_t *low, *high;
	rd_kafka_topic_t *only = NULL;
	rd_kafka_resp_err_t err;
	struct buf b = { 0 };
	rd_kafka_t *rk;
	int t, i, k = 0;

	rk = client_new(o, RD_KAFKA_PRODUCER);
	if (o->ntopics > 0)
		only = rd_kafka_topic_new(rk, o->topics[0], NULL);
	err = rd_kafka_metadata(rk, only == NULL, only, &md, o->timeout_ms);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		hs_fatal("metadata: %s", rd_kafka_err2str(err));
	all = partitions_of(md);
	low = hs_xmalloc(((size_t)all->cnt + 1) * sizeof(*low));
	high = hs_xmalloc(((size_t)all->cnt + 1) * sizeof(*high));
	watermarks(rk, all, low, high, o->timeout_ms);
	for (i = 0; i < md->broker_cnt; i++) {
		buf_reset(&b);
		buf_printf(&b, "{\"broker\":%d,\"host\":",
		    (int)md->brokers[i].id);
		buf_json_string(&b, md->brokers[i].host,
		    strlen(md->brokers[i].host));
		buf_printf(&b, ",\"port\":%d}\n", md->brokers[i].port);
		buf_write(&b, stdout);
	}
	for (t = 0; t < md->topic_cnt; t++) {
		const struct rd_kafka_metadata_topic *tp = &md->topics[t];

		if (tp->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
			hs_warn("%s: %s", tp->topic, rd_kafka_err2str(tp->err));
			continue;
		}
		for (i = 0; i < tp->partition_cnt; i++, k++) {
			const struct rd_kafka_metadata_partition *pp =
			    &tp->partitions[i];

			buf_reset(&b);
			buf_puts(&b, "{\"topic\":");
			buf_json_string(&b, tp->topic, strlen(tp->topic));
			buf_printf(&b, ",\"partition\":%d,\"leader\":%d",
			    (int)pp->id, (int)pp->leader);
			put_ids(&b, "replicas", pp->replicas, pp->replica_cnt);
			put_ids(&b, "isrs", pp->isrs, pp->isr_cnt);
			buf_printf(&b, ",\"low\":%lld,\"high\":%lld}\n",
			    (long long)low[k], (long long)high[k]);
			buf_write(&b, stdout);
		}
	}
	rd_kafka_topic_partition_list_destroy(all);
	free(low);
	free(high);
	rd_kafka_metadata_destroy(md);
	if (only != NULL)
		rd_kafka_topic_destroy(only);
	rd_kafka_destroy(rk);
	buf_free(&b);
	return hs_finish();
}
