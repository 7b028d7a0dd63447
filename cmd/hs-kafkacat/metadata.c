/*
 * metadata.c - cluster metadata as NDJSON (-L): one record per broker and
 * one per partition, with its leader, replicas and watermark offsets, so
 * that hs-fmt shows it as a table.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "jsonw.h"
#include "kafkacat.h"

static void
put_ids(struct buf *b, const char *name, const int32_t *ids, int n)
{
	int i;

	buf_printf(b, ",\"%s\":[", name);
	for (i = 0; i < n; i++)
		buf_printf(b, "%s%d", i ? "," : "", (int)ids[i]);
	buf_putc(b, ']');
}

int
metadata(struct options *o)
{
	const struct rd_kafka_metadata *md;
	rd_kafka_topic_t *only = NULL;
	rd_kafka_resp_err_t err;
	struct buf b = { 0 };
	int64_t low, high;
	rd_kafka_t *rk;
	int t, i;

	rk = client_new(o, RD_KAFKA_PRODUCER);
	if (o->ntopics > 0)
		only = rd_kafka_topic_new(rk, o->topics[0], NULL);
	err = rd_kafka_metadata(rk, only == NULL, only, &md, o->timeout_ms);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		hs_fatal("metadata: %s", rd_kafka_err2str(err));
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
		for (i = 0; i < tp->partition_cnt; i++) {
			const struct rd_kafka_metadata_partition *pp =
			    &tp->partitions[i];

			low = high = -1;
			rd_kafka_query_watermark_offsets(rk, tp->topic, pp->id,
			    &low, &high, o->timeout_ms);
			buf_reset(&b);
			buf_puts(&b, "{\"topic\":");
			buf_json_string(&b, tp->topic, strlen(tp->topic));
			buf_printf(&b, ",\"partition\":%d,\"leader\":%d",
			    (int)pp->id, (int)pp->leader);
			put_ids(&b, "replicas", pp->replicas, pp->replica_cnt);
			put_ids(&b, "isrs", pp->isrs, pp->isr_cnt);
			buf_printf(&b, ",\"low\":%lld,\"high\":%lld}\n",
			    (long long)low, (long long)high);
			buf_write(&b, stdout);
		}
	}
	rd_kafka_metadata_destroy(md);
	if (only != NULL)
		rd_kafka_topic_destroy(only);
	rd_kafka_destroy(rk);
	buf_free(&b);
	return hs_finish();
}
