/*
 * consume.c - Kafka to NDJSON (-C).
 *
 * Each message whose payload is a JSON object is written as one line. An
 * offset is stored for commit only once the line that carries it has been
 * flushed to stdout, so a crash re-delivers, never loses (at-least-once).
 * With --checkpoint the stream carries checkpoint control records listing
 * the next offset of every partition written so far; --resume FILE starts
 * from the positions of the newest checkpoint in a downstream stage's state
 * file and announces it with a resume record (hs(7)). Source watermarks
 * (watermark.c) travel in the stream too, and the newest event time of
 * each partition in the checkpoints.
 *
 * With --commit-from FILE (hs-agg(1), "MORE THAN ONE MACHINE") the offsets
 * committed are those the last stage wrote to FILE once its output was
 * durable, not those written here. A partition kept across a rebalance
 * continues after its last line written, as the stages still hold its
 * state; for one no longer assigned whose state they hold, a revoke record
 * tells them to drop it, as its new reader makes it again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "consumer.h"
#include "control.h"
#include "positions.h"
#include "refill.h"
#include "state.h"

#define BATCH 1024	/* messages taken from the queue at once */

static struct partition *
find_partition(struct consumer *c, const char *topic, int32_t partition)
{
	struct partition *p;
	size_t i;

	if (c->last < c->nparts && c->parts[c->last].partition == partition &&
	    strcmp(c->parts[c->last].topic, topic) == 0)
		return &c->parts[c->last];
	for (i = 0; i < c->nparts; i++)
		if (c->parts[i].partition == partition &&
		    strcmp(c->parts[i].topic, topic) == 0) {
			c->last = i;
			return &c->parts[i];
		}
	c->parts = hs_xrealloc(c->parts, (c->nparts + 1) * sizeof(*c->parts));
	p = &c->parts[c->nparts];
	memset(p, 0, sizeof(*p));
	p->topic = hs_xstrdup(topic);
	p->partition = partition;
	p->written = p->stored = p->resume = p->first = -1;
	p->newest = INT64_MIN;
	c->last = c->nparts++;
	return p;
}

/* The offset to store for p: the next after its last line written, or
 * with --commit-from the safe one the last stage wrote, if it lies within
 * what was read since p was assigned; -1 for none. */
static int64_t
to_store(struct consumer *c, struct partition *p)
{
	struct position *safe;

	if (c->o->commit_from == NULL)
		return p->written;
	safe = positions_find(&c->safe, p->topic, p->partition);
	if (safe == NULL || p->first < 0 || safe->offset < p->first ||
	    safe->offset > p->written)
		return -1;
	return safe->offset;
}

/* Flush what was written, then store the offsets it carried. */
static void
flush_and_store(struct consumer *c)
{
	rd_kafka_topic_partition_list_t *list;
	rd_kafka_resp_err_t err;
	int64_t next;
	size_t i;

	if (fflush(stdout) == EOF)
		return;		/* hs_finish reports it */
	c->unflushed = 0;
	if (c->o->commit_from != NULL)
		positions_load(c->o->commit_from, &c->safe);
	list = rd_kafka_topic_partition_list_new((int)c->nparts);
	for (i = 0; i < c->nparts; i++)
		if (c->parts[i].assigned &&
		    (next = to_store(c, &c->parts[i])) > c->parts[i].stored) {
			rd_kafka_topic_partition_list_add(list,
			    c->parts[i].topic, c->parts[i].partition)->offset =
			    next;
			c->parts[i].stored = next;
		}
	if (list->cnt > 0 && c->o->group != NULL) {
		if ((err = rd_kafka_offsets_store(c->rk, list)) !=
		    RD_KAFKA_RESP_ERR_NO_ERROR)
			hs_warn("storing offsets: %s", rd_kafka_err2str(err));
		c->uncommitted = 1;
	}
	rd_kafka_topic_partition_list_destroy(list);
}

static void
put_checkpoint(struct consumer *c)
{
	struct positions ps = { 0 };
	struct partition *p;
	size_t i;

	for (i = 0; i < c->nparts; i++) {
		p = &c->parts[i];
		if (p->written < 0 && p->resume < 0)
			continue;
		positions_add(&ps, p->topic, p->partition,
		    p->written >= 0 ? p->written : p->resume);
		ps.p[ps.n - 1].event_time = p->newest;
	}
	buf_reset(&c->out);
	buf_printf(&c->out, "{\"_hs\":\"checkpoint\",\"id\":%lld,"
	    "\"positions\":", ++c->checkpoint_id);
	positions_put(&c->out, &ps);
	buf_puts(&c->out, "}\n");
	buf_write(&c->out, stdout);
	positions_clear(&ps);
	free(ps.p);
	flush_and_store(c);
}

static void
put_message(struct consumer *c, const rd_kafka_message_t *m)
{
	const char *topic = rd_kafka_topic_name(m->rkt);
	struct partition *p = find_partition(c, topic, m->partition);
	const char *payload = m->payload ? m->payload : "";
	const char *keys[1] = { c->o->time_field };
	rd_kafka_timestamp_type_t tstype;
	struct json_error err;
	struct json_span t;
	char where[300];
	int64_t ts;
	int bad;

	if (c->o->group != NULL && !p->assigned)
		return;		/* fetched before a revoke */
	if (p->first < 0)
		p->first = m->offset;
	p->written = m->offset + 1;
	buf_reset(&c->out);
	bad = json_scan(payload, m->len, keys, keys[0] != NULL, &t,
	    &err) == -1 || control_is(payload, m->len);
	if (!bad && keys[0] != NULL)
		watermark_message(c, p, &t);
	if (bad) {
		snprintf(where, sizeof(where), "%s/%d", topic,
		    (int)m->partition);
		if (control_is(payload, m->len))
			hs_bad_record(where, (unsigned long)m->offset,
			    "payload is a control record, which only hs stages "
			    "write%s", c->o->wrap ? "; wrapped" : "; skipped");
		else
			hs_bad_record(where, (unsigned long)m->offset,
			    "payload is not a JSON object (%s at column %zu)%s",
			    err.why, err.column,
			    c->o->wrap ? "; wrapped" : "; skipped");
		if (!c->o->wrap)
			return;
		buf_puts(&c->out, "{\"_raw\":");
		buf_json_string(&c->out, payload, m->len);
		buf_putc(&c->out, ',');
	} else if (c->o->source || c->o->wrap)
		buf_put_open_object(&c->out, payload, m->len);
	else
		buf_put(&c->out, payload, m->len);
	if (c->o->source || c->o->wrap) {
		buf_puts(&c->out, "\"_src\":{\"topic\":");
		buf_json_string(&c->out, topic, strlen(topic));
		buf_printf(&c->out, ",\"partition\":%d,\"offset\":%lld",
		    (int)m->partition, (long long)m->offset);
		if (m->key != NULL) {
			buf_puts(&c->out, ",\"key\":");
			buf_json_string(&c->out, m->key, m->key_len);
		}
		if ((ts = rd_kafka_message_timestamp(m, &tstype)) != -1)
			buf_printf(&c->out, ",\"ts\":%lld", (long long)ts);
		buf_puts(&c->out, "}}");
	}
	buf_putc(&c->out, '\n');
	buf_write(&c->out, stdout);
	c->unflushed++;
}

static int
all_at_end(const struct consumer *c)
{
	size_t i;
	int assigned = 0;

	for (i = 0; i < c->nparts; i++) {
		if (!c->parts[i].assigned)
			continue;
		assigned++;
		if (!c->parts[i].at_end)
			return 0;
	}
	return assigned > 0;
}

/* Start offsets for an assignment: after the last line written of a
 * partition kept, else the resume position. A group member resuming
 * without --commit-from starts a partition the checkpoint does not name at
 * its beginning, not at an offset committed after the checkpoint: the
 * partition had delivered nothing before it. (With --commit-from, what is
 * committed was durable downstream.) */
static void
apply_resume(struct consumer *c, rd_kafka_topic_partition_list_t *list)
{
	struct partition *p;
	int i;

	for (i = 0; i < list->cnt; i++) {
		p = find_partition(c, list->elems[i].topic,
		    list->elems[i].partition);
		p->assigned = 1;
		watermark_assigned(p);
		if (p->written >= 0)
			list->elems[i].offset = p->written;
		else if (p->resume >= 0)
			list->elems[i].offset = p->resume;
		else if (c->o->resume_path != NULL && c->o->group != NULL &&
		    c->o->commit_from == NULL)
			list->elems[i].offset = RD_KAFKA_OFFSET_BEGINNING;
	}
}

/* --commit-from: the partitions whose state the stages hold but which
 * are no longer assigned, in a revoke record; they are read elsewhere. */
static void
put_revoke(struct consumer *c)
{
	struct positions gone = { 0 };
	struct partition *p;
	size_t i;

	for (i = 0; i < c->nparts; i++) {
		p = &c->parts[i];
		if (p->assigned || (p->written < 0 && p->resume < 0))
			continue;
		positions_add(&gone, p->topic, p->partition, -1);
		p->written = p->resume = p->stored = p->first = -1;
	}
	if (gone.n > 0) {
		buf_reset(&c->out);
		control_put_revoke(&c->out, &gone);
		buf_write(&c->out, stdout);
	}
	positions_clear(&gone);
	free(gone.p);
}

/* "group g: assigned 2 partitions: t/0 t/3", as kcat tells it. */
static void
report_assignment(struct consumer *c, rd_kafka_resp_err_t err,
    const rd_kafka_topic_partition_list_t *list)
{
	struct buf b = { 0 };
	int i;

	buf_printf(&b, "group %s: %s %d partition%s", c->o->group,
	    err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS ?
	    "assigned" : "revoked", list->cnt, list->cnt == 1 ? "" : "s");
	for (i = 0; i < list->cnt && i < 32; i++)
		buf_printf(&b, "%s%s/%d", i ? " " : ": ", list->elems[i].topic,
		    (int)list->elems[i].partition);
	hs_warn("%s", b.p);
	buf_free(&b);
}

static void
rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err,
    rd_kafka_topic_partition_list_t *list, void *opaque)
{
	struct consumer *c = opaque;
	size_t i;

	if (!c->o->quiet)
		report_assignment(c, err, list);
	if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
		apply_resume(c, list);
		if (c->o->commit_from != NULL)
			put_revoke(c);
		rd_kafka_assign(rk, list);
		return;
	}
	flush_and_store(c);
	rd_kafka_commit(rk, NULL, 0);
	for (i = 0; i < c->nparts; i++)
		c->parts[i].assigned = 0;
	rd_kafka_assign(rk, NULL);
}

#define TAIL_MAX INT64_C(1000000000000000000)	/* -N: no overflow */

int
offset_parse(const char *spec, int64_t *offset, int64_t *ms)
{
	const char *p = strncmp(spec, "s@", 2) == 0 ? spec + 2 : spec;
	long long v;
	char *end;

	*ms = -1;
	if (strcmp(spec, "beginning") == 0)
		*offset = RD_KAFKA_OFFSET_BEGINNING;
	else if (strcmp(spec, "end") == 0)
		*offset = RD_KAFKA_OFFSET_END;
	else if (strcmp(spec, "stored") == 0)
		*offset = RD_KAFKA_OFFSET_STORED;
	else {
		if ((*p < '0' || *p > '9') && (*p != '-' || p != spec))
			return -1;
		errno = 0;
		v = strtoll(p, &end, 10);
		if (end == p || *end != '\0' || errno == ERANGE ||
		    v < -TAIL_MAX)
			return -1;
		if (p != spec)
			*ms = v;
		*offset = v < 0 ? RD_KAFKA_OFFSET_TAIL(-v) : v;
	}
	return 0;
}

/* The -o offset (read with the options) of a partition of an explicit
 * assignment. */
static int64_t
start_offset(struct consumer *c, const char *topic, int32_t partition)
{
	rd_kafka_topic_partition_list_t *list;
	int64_t v;

	if (c->o->start_ms < 0)
		return c->o->start;
	list = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(list, topic, partition)->offset =
	    c->o->start_ms;
	if (rd_kafka_offsets_for_times(c->rk, list, c->o->timeout_ms) !=
	    RD_KAFKA_RESP_ERR_NO_ERROR)
		hs_fatal("%s/%d: no offset for time %lld", topic,
		    (int)partition, (long long)c->o->start_ms);
	v = list->elems[0].offset;
	rd_kafka_topic_partition_list_destroy(list);
	return v;
}

/* Without a group: assign the partitions of the topics (or the one -p). */
static void
assign_topics(struct consumer *c)
{
	const struct rd_kafka_metadata *md;
	rd_kafka_topic_partition_list_t *list;
	rd_kafka_topic_t *rkt;
	rd_kafka_resp_err_t err;
	int t, i;

	list = rd_kafka_topic_partition_list_new(16);
	for (t = 0; t < c->o->ntopics; t++) {
		rkt = rd_kafka_topic_new(c->rk, c->o->topics[t], NULL);
		err = rd_kafka_metadata(c->rk, 0, rkt, &md, c->o->timeout_ms);
		rd_kafka_topic_destroy(rkt);
		if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
			hs_fatal("%s: %s", c->o->topics[t],
			    rd_kafka_err2str(err));
		if (md->topic_cnt == 1 &&
		    md->topics[0].err != RD_KAFKA_RESP_ERR_NO_ERROR)
			hs_fatal("%s: %s", c->o->topics[t],
			    rd_kafka_err2str(md->topics[0].err));
		if (md->topic_cnt != 1 || md->topics[0].partition_cnt == 0)
			hs_fatal("%s: unknown topic", c->o->topics[t]);
		for (i = 0; i < md->topics[0].partition_cnt; i++) {
			int32_t id = md->topics[0].partitions[i].id;

			if (c->o->partition != RD_KAFKA_PARTITION_UA &&
			    id != c->o->partition)
				continue;
			rd_kafka_topic_partition_list_add(list, c->o->topics[t],
			    id)->offset = start_offset(c, c->o->topics[t], id);
		}
		rd_kafka_metadata_destroy(md);
	}
	apply_resume(c, list);
	if ((err = rd_kafka_assign(c->rk, list)) != RD_KAFKA_RESP_ERR_NO_ERROR)
		hs_fatal("assign: %s", rd_kafka_err2str(err));
	rd_kafka_topic_partition_list_destroy(list);
}

/* Read the positions of the checkpoint to resume from in a state file:
 * with --commit-from, the newest whose output the end of the pipeline
 * has seen acknowledged (a newer one may follow output that was lost with
 * the process); else the newest. */
static void
load_resume(struct consumer *c, const char *path)
{
	struct state_file *sf = state_open(path, NULL, NULL);
	struct positions ps = { 0 };
	struct partition *p;
	struct json_span arr;
	long long safe = -1;
	char *text;
	size_t i;

	if (c->o->commit_from != NULL)
		safe = positions_checkpoint(c->o->commit_from);
	if ((c->checkpoint_id = state_positions(sf, safe, &text)) < 0 &&
	    safe >= 0)
		hs_fatal("%s: checkpoint %lld, the last one acknowledged "
		    "downstream (%s), is no longer kept", path, safe,
		    c->o->commit_from);
	if (c->checkpoint_id < 0)
		hs_fatal("%s: no checkpoint to resume from", path);
	arr.p = text;
	arr.len = strlen(text);
	arr.type = JSON_ARRAY;
	if (positions_parse(&arr, &ps) == -1)
		hs_fatal("%s: malformed positions", path);
	for (i = 0; i < ps.n; i++) {
		if (ps.p[i].offset < 0)
			hs_fatal("%s: malformed positions", path);
		p = find_partition(c, ps.p[i].topic, ps.p[i].partition);
		p->resume = ps.p[i].offset;
		p->newest = ps.p[i].event_time;
	}
	positions_clear(&ps);
	free(ps.p);
	free(text);
	state_close(sf);
	buf_reset(&c->out);
	control_put_resume(&c->out, c->checkpoint_id);
	buf_write(&c->out, stdout);
}

static void
handle_event(struct consumer *c, rd_kafka_message_t *m)
{
	struct partition *p;

	if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
		p = find_partition(c, rd_kafka_topic_name(m->rkt),
		    m->partition);
		p->at_end = 1;
		return;
	}
	if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		put_message(c, m);
		c->messages++;
		return;
	}
	if (m->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
	    m->err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC ||
	    m->err == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION)
		hs_fatal("%s: %s",
		    m->rkt ? rd_kafka_topic_name(m->rkt) : "topic",
		    rd_kafka_message_errstr(m));
	hs_warn("%s", rd_kafka_message_errstr(m));
}

/* Consume until -e or -c says it is done, or a signal stops it. Output is
 * flushed and its offsets stored every 100 ms, and when nothing comes; in
 * a group, what was stored is then committed, so that a member joining
 * later (whose rebalance refuses commits) takes over where this one is.
 * Returns 1 when done, 0 when stopped. */
static int
consume_loop(struct consumer *c)
{
	rd_kafka_queue_t *queue = rd_kafka_queue_get_consumer(c->rk);
	rd_kafka_message_t *batch[BATCH];
	const struct options *o = c->o;
	hs_time now;
	struct refill *refill = refill_start(c->rk, queue);
	ssize_t n, k;
	size_t bytes;
	int done = 0;

	c->next_checkpoint = time_monotonic() + o->checkpoint;
	while (!done && !stop_requested) {
		/* a batch at a time: the per-message cost of polling the
		 * queue is most of a consumer's time. It serves the
		 * callbacks (rebalances, errors) too; rd_kafka_poll must
		 * not: on the consumer's queue it would take an end of
		 * partition or a message away, or abort in librdkafka.
		 * What is queued is taken at once, as a batch would wait
		 * to be whole; when nothing is, the lines so far go out and
		 * the first message to come is taken as it comes. */
		n = rd_kafka_consume_batch_queue(queue, 0, batch, BATCH);
		if (n == 0) {
			fflush(stdout);
			n = rd_kafka_consume_batch_queue(queue, 100, batch, 1);
		}
		c->batch_time = time_monotonic();
		for (k = 0, bytes = 0; k < n; k++) {
			bytes += batch[k]->len;
			if (!done)
				handle_event(c, batch[k]);
			rd_kafka_message_destroy(batch[k]);
			done = (o->count > 0 && c->messages >= o->count) ||
			    (o->exit_at_end && all_at_end(c));
		}
		if (n > 0)
			refill_taken(refill, (size_t)n, bytes);
		now = time_monotonic();
		watermark_put(c, now);
		if (o->checkpoint > 0 && now >= c->next_checkpoint) {
			put_checkpoint(c);
			c->next_checkpoint = now + o->checkpoint;
		} else if (n <= 0 || c->unflushed >= 10000 ||
		    now >= c->next_store) {
			flush_and_store(c);
			c->next_store = now + 100000;
		}
		if (n <= 0 && c->uncommitted) {
			rd_kafka_commit(c->rk, NULL, 1);
			c->uncommitted = 0;
		}
		if (n <= 0)	/* all written: it may exit */
			brokers_check(c->rk, o);
	}
	refill_stop(refill);
	rd_kafka_queue_destroy(queue);
	return done;
}

int
consume(struct options *o)
{
	struct consumer c = { .o = o, .watermark = INT64_MIN };
	rd_kafka_topic_partition_list_t *topics;
	int i, done;

	if (o->ntopics == 0) {
		hs_warn("-C needs a topic (-t), or topics after -G group");
		return HS_EXIT_USAGE;
	}
	conf_set(o, "enable.partition.eof", "true");
	conf_set(o, "enable.auto.offset.store", "false");
	if (o->group != NULL) {
		conf_set(o, "group.id", o->group);
		if (o->start_ms < 0 && o->start == RD_KAFKA_OFFSET_END)
			conf_set(o, "auto.offset.reset", "latest");
		else if (o->start_ms < 0 &&
		    (o->start == RD_KAFKA_OFFSET_STORED ||
		    o->start == RD_KAFKA_OFFSET_BEGINNING))
			conf_set(o, "auto.offset.reset", "earliest");
		else
			hs_fatal("-o with -G: stored (the default: committed "
			    "offsets, else the beginning), beginning or end");
		rd_kafka_conf_set_rebalance_cb(o->conf, rebalance);
		rd_kafka_conf_set_opaque(o->conf, &c);
	} else {
		/* librdkafka wants a group even to assign; nothing is
		 * committed to it */
		conf_set(o, "group.id", "hs-kafkacat");
		conf_set(o, "enable.auto.commit", "false");
	}
	c.rk = client_new(o, RD_KAFKA_CONSUMER);
	rd_kafka_poll_set_consumer(c.rk);
	if (o->resume_path != NULL)
		load_resume(&c, o->resume_path);
	if (o->group != NULL) {
		topics = rd_kafka_topic_partition_list_new(o->ntopics);
		for (i = 0; i < o->ntopics; i++)
			rd_kafka_topic_partition_list_add(topics, o->topics[i],
			    RD_KAFKA_PARTITION_UA);
		if (rd_kafka_subscribe(c.rk, topics) !=
		    RD_KAFKA_RESP_ERR_NO_ERROR)
			hs_fatal("cannot subscribe");
		rd_kafka_topic_partition_list_destroy(topics);
	} else
		assign_topics(&c);
	/* a first checkpoint before any message, so that a stream cut off
	 * before the next one is known downstream as broken, not ended */
	if (o->checkpoint > 0 && o->resume_path == NULL)
		put_checkpoint(&c);
	done = consume_loop(&c);
	if (done)
		watermark_end(&c);
	if (o->checkpoint > 0 || o->resume_path != NULL)
		put_checkpoint(&c);
	if (o->checkpoint > 0 || o->resume_path != NULL || c.announced) {
		buf_reset(&c.out);
		if (!done)
			control_put_stop(&c.out);
		else
			control_put_end(&c.out);
		buf_write(&c.out, stdout);
	}
	flush_and_store(&c);
	watermark_finish(&c);
	if (o->group != NULL) {
		rd_kafka_commit(c.rk, NULL, 0);
		rd_kafka_consumer_close(c.rk);
		rd_kafka_destroy(c.rk);
	} else	/* no group joined, nothing to commit: no need to wait */
		rd_kafka_destroy_flags(c.rk,
		    RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
	for (i = 0; i < (int)c.nparts; i++)
		free(c.parts[i].topic);
	free(c.parts);
	positions_clear(&c.safe);
	free(c.safe.p);
	buf_free(&c.out);
	return hs_finish();
}
