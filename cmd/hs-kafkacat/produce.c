/*
 * produce.c - NDJSON to Kafka (-P).
 *
 * Each JSON object line becomes one message. The topic and the key may be
 * templates over the record's fields ("hydraulic-{sensor}"), so one stream
 * fans out to per-sensor topics. The producer is idempotent with acks=all
 * unless configured otherwise, waits for every delivery report, and writes
 * each line whose delivery failed to the --failed file: nothing is lost
 * without a trace. Control records are not produced. A record with the
 * --broadcast member goes to every partition of its topic, and with
 * --commit-to the positions of a commit record are written to a file once
 * every message before it is acknowledged (delivered.c).
 *
 * Each topic gets a handle from rd_kafka_topic_new when first met, which
 * asks the brokers for its metadata at once: a message produced by topic
 * name to a topic the client has not met waits for librdkafka's scan of
 * unknown topics, once a second (1 s before the first message to a fresh
 * topic). The handles are kept in a hash table by name, so a templated
 * topic costs one lookup per message.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "control.h"
#include "delivered.h"
#include "json.h"
#include "jsonw.h"
#include "kafkacat.h"
#include "lineio.h"

struct topic {
	char *name;		/* NULL: a free slot */
	uint64_t hash;
	rd_kafka_topic_t *rkt;
	int32_t npartitions;	/* 0 until a broadcast asks */
};

struct producer {
	struct options *o;
	rd_kafka_t *rk;
	FILE *failed;
	unsigned long sent, delivered, lost;
	struct buf topic, key;
	rd_kafka_topic_t *fixed;	/* the topic names no {field} */
	int32_t fixed_npartitions;
	struct topic *topics;		/* open addressing, a power of 2 */
	size_t ntopics, cap;
	struct delivered acks;	/* --commit-to */
};

static uint64_t
hash_name(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */

	while (n-- > 0)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static rd_kafka_topic_t *
topic_new(struct producer *p, const char *name)
{
	rd_kafka_topic_t *rkt;

	if ((rkt = rd_kafka_topic_new(p->rk, name, NULL)) == NULL)
		hs_fatal("%s: %s", name,
		    rd_kafka_err2str(rd_kafka_last_error()));
	return rkt;
}

static void
topics_grow(struct producer *p)
{
	struct topic *old = p->topics;
	size_t oldcap = p->cap, i, j;

	p->cap = oldcap ? oldcap * 2 : 64;
	p->topics = hs_xmalloc(p->cap * sizeof(*p->topics));
	memset(p->topics, 0, p->cap * sizeof(*p->topics));
	for (i = 0; i < oldcap; i++) {
		if (old[i].name == NULL)
			continue;
		for (j = old[i].hash & (p->cap - 1); p->topics[j].name != NULL;
		    j = (j + 1) & (p->cap - 1))
			;
		p->topics[j] = old[i];
	}
	free(old);
}

/* The handle of the topic in p->topic, made when first met, and where
 * its number of partitions is kept. */
static rd_kafka_topic_t *
topic_handle(struct producer *p, int32_t **npartitions)
{
	uint64_t h = hash_name(p->topic.p, p->topic.len);
	struct topic *t;
	size_t j;

	if (2 * (p->ntopics + 1) > p->cap)
		topics_grow(p);
	for (j = h & (p->cap - 1); (t = &p->topics[j])->name != NULL;
	    j = (j + 1) & (p->cap - 1))
		if (t->hash == h && strcmp(t->name, p->topic.p) == 0)
			break;
	if (t->name == NULL) {
		t->name = hs_xstrdup(p->topic.p);
		t->hash = h;
		t->rkt = topic_new(p, t->name);
		p->ntopics++;
	}
	*npartitions = &t->npartitions;
	return t->rkt;
}

static void
topics_free(struct producer *p)
{
	size_t i;

	for (i = 0; i < p->cap; i++)
		if (p->topics[i].name != NULL) {
			rd_kafka_topic_destroy(p->topics[i].rkt);
			free(p->topics[i].name);
		}
	free(p->topics);
	if (p->fixed != NULL)
		rd_kafka_topic_destroy(p->fixed);
}

/* A message that was not delivered, as the line it came from, to --failed
 * FILE (with its key first under -K, so the file can be produced again). */
static void
put_failed(struct producer *p, const void *key, size_t keylen,
    const void *payload, size_t len)
{
	if (p->failed == NULL)
		return;
	if (p->o->key_delim_len > 0 && key != NULL) {
		fwrite(key, 1, keylen, p->failed);
		fwrite(p->o->key_delim, 1, p->o->key_delim_len, p->failed);
	}
	fwrite(payload, 1, len, p->failed);
	fputc('\n', p->failed);
}

static void
delivery_report(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	struct producer *p = opaque;

	(void)rk;
	if (p->o->commit_to != NULL)
		delivered_report(&p->acks, (uint64_t)(uintptr_t)m->_private,
		    m->err == RD_KAFKA_RESP_ERR_NO_ERROR);
	if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		p->delivered++;
		return;
	}
	if (p->lost++ < 10)
		hs_warn("%s: delivery failed: %s", rd_kafka_topic_name(m->rkt),
		    rd_kafka_err2str(m->err));
	put_failed(p, m->key, m->key_len, m->payload, m->len);
}

/* Expand "{field}" in template t from the record; -1 with the missing
 * field's name in *missing. */
static int
expand(struct buf *out, const char *t, const char *line, size_t len,
    const char **missing)
{
	static char name[256];
	const char *keys[1] = { name }, *close;
	struct json_error err;
	struct json_span v;
	long n;

	buf_reset(out);
	for (; *t != '\0'; t++) {
		if (*t != '{' || (close = strchr(t, '}')) == NULL ||
		    (size_t)(close - t - 1) >= sizeof(name)) {
			buf_putc(out, *t);
			continue;
		}
		memcpy(name, t + 1, (size_t)(close - t - 1));
		name[close - t - 1] = '\0';
		if (json_scan(line, len, keys, 1, &v, &err) == -1 ||
		    v.type == JSON_NONE || v.type == JSON_OBJECT ||
		    v.type == JSON_ARRAY) {
			*missing = name;
			return -1;
		}
		if (v.type == JSON_STRING) {
			buf_reserve(out, v.len);
			n = json_string(&v, out->p + out->len, v.len);
			out->len += (size_t)n;
		} else
			buf_put(out, v.p, v.len);
		t = close;
	}
	buf_putc(out, '\0');
	out->len--;
	return 0;
}

/* The number of partitions of a topic, asked of the brokers once. */
static int32_t
partition_count(struct producer *p, rd_kafka_topic_t *rkt, int32_t *cached)
{
	const struct rd_kafka_metadata *md;
	rd_kafka_resp_err_t err;

	if (*cached > 0)
		return *cached;
	err = rd_kafka_metadata(p->rk, 0, rkt, &md, p->o->timeout_ms);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR || md->topic_cnt != 1 ||
	    md->topics[0].partition_cnt < 1)
		hs_fatal("%s: cannot broadcast: %s", rd_kafka_topic_name(rkt),
		    err != RD_KAFKA_RESP_ERR_NO_ERROR ? rd_kafka_err2str(err) :
		    "no partitions known");
	*cached = md->topics[0].partition_cnt;
	rd_kafka_metadata_destroy(md);
	return *cached;
}

/* Produce one message; 0, or -1 (reported) when it cannot be queued. */
static int
send_message(struct producer *p, struct line_reader *lr, rd_kafka_topic_t *rkt,
    int32_t partition, const char *key, size_t keylen, const char *line,
    size_t len)
{
	rd_kafka_resp_err_t err;
	uint64_t n = p->o->commit_to ? delivered_next(&p->acks) : 0;

	for (;;) {
		err = rd_kafka_producev(p->rk,
		    RD_KAFKA_V_RKT(rkt),
		    RD_KAFKA_V_PARTITION(partition),
		    RD_KAFKA_V_VALUE((void *)line, len),
		    RD_KAFKA_V_KEY(key, keylen),
		    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
		    RD_KAFKA_V_OPAQUE((void *)(uintptr_t)n),
		    RD_KAFKA_V_END);
		if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
			break;
		rd_kafka_poll(p->rk, 50);
	}
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		hs_bad_record(lr_name(lr), lr_lineno(lr), "cannot produce to "
		    "%s: %s", rd_kafka_topic_name(rkt), rd_kafka_err2str(err));
		put_failed(p, key, keylen, line, len);
		if (p->o->commit_to)
			delivered_report(&p->acks, n, 0);
		return -1;
	}
	if (++p->sent % 256 == 0)	/* serve delivery reports */
		rd_kafka_poll(p->rk, 0);
	return 0;
}

/* A control record: with --commit-to, a commit record's positions and a
 * checkpoint's id are saved once what came before them is acknowledged. */
static void
control_record(struct producer *p, const char *line, size_t len)
{
	static const char *const keys[] = { "positions" };
	struct json_span positions;
	struct json_error err;
	long long id;

	if (p->o->commit_to == NULL)
		return;
	switch (control_kind(line, len)) {
	case CONTROL_CHECKPOINT:
		if (control_int(line, len, "id", &id) == 0)
			delivered_checkpoint(&p->acks, id);
		break;
	case CONTROL_COMMIT:
		if (json_scan(line, len, keys, 1, &positions, &err) == 0 &&
		    positions.type == JSON_ARRAY)
			delivered_commit(&p->acks, positions.p, positions.len);
		break;
	default:
		break;
	}
}

static void
produce_line(struct producer *p, struct line_reader *lr, char *line,
    size_t len)
{
	const char *missing, *key = NULL, *sep;
	const char *wanted[1] = { p->o->broadcast };
	struct json_span member;
	struct json_error bad;
	size_t keylen = 0;
	rd_kafka_topic_t *rkt = p->fixed;
	int32_t *npartitions = &p->fixed_npartitions, i, n;
	int all;

	if (p->o->key_delim_len > 0 && (sep = memmem(line, len,
	    p->o->key_delim, p->o->key_delim_len)) != NULL) {
		key = line;	/* kcat's -K: key<delim>payload */
		keylen = (size_t)(sep - line);
		len -= keylen + p->o->key_delim_len;
		line = (char *)sep + p->o->key_delim_len;
	}
	if (control_is(line, len)) {
		control_record(p, line, len);
		return;
	}
	/* one scan validates the line and finds the --broadcast member */
	if (json_scan(line, len, wanted, p->o->broadcast != NULL, &member,
	    &bad) == -1) {
		hs_bad_json(lr_name(lr), lr_lineno(lr), line, len, &bad);
		return;
	}
	all = p->o->broadcast != NULL && member.type != JSON_NONE;
	if ((rkt == NULL &&
	    expand(&p->topic, p->o->topics[0], line, len, &missing) == -1) ||
	    (!all && key == NULL && p->o->key != NULL &&
	    expand(&p->key, p->o->key, line, len, &missing) == -1)) {
		hs_bad_record(lr_name(lr), lr_lineno(lr),
		    "no string or number field '%s' for the topic or key",
		    missing);
		return;
	}
	if (rkt == NULL)
		rkt = topic_handle(p, &npartitions);
	if (all) {
		n = partition_count(p, rkt, npartitions);
		for (i = 0; i < n; i++)
			if (send_message(p, lr, rkt, i, NULL, 0, line,
			    len) == -1)
				return;
		return;
	}
	if (key == NULL && p->o->key != NULL) {
		key = p->key.p;
		keylen = p->key.len;
	}
	send_message(p, lr, rkt, p->o->partition, key, keylen, line, len);
}

static void
produce_input(struct line_reader *lr, void *arg)
{
	struct producer *p = arg;
	char *line;
	size_t len;

	for (;;) {
		/* while input pauses, acknowledgements still make positions
		 * safe */
		while (p->o->commit_to != NULL && !stop_requested &&
		    delivered_waiting(&p->acks) && !lr_poll(lr, 50)) {
			rd_kafka_poll(p->rk, 0);
			delivered_save(&p->acks, 0);
		}
		if (stop_requested || (line = lr_next(lr, &len)) == NULL)
			break;
		produce_line(p, lr, line, len);
		if (p->o->commit_to != NULL)
			delivered_save(&p->acks, 0);
	}
}

int
produce(struct options *o)
{
	struct producer p = { .o = o, .acks = { .path = o->commit_to } };

	if (o->ntopics != 1) {
		hs_warn("-P takes one topic (-t), which may be a template");
		return HS_EXIT_USAGE;
	}
	rd_kafka_conf_set_dr_msg_cb(o->conf, delivery_report);
	rd_kafka_conf_set_opaque(o->conf, &p);
	if (o->failed_path != NULL &&
	    (p.failed = fopen(o->failed_path, "a")) == NULL)
		hs_fatal("%s: %s", o->failed_path, strerror(errno));
	p.rk = client_new(o, RD_KAFKA_PRODUCER);
	if (strchr(o->topics[0], '{') == NULL)
		p.fixed = topic_new(&p, o->topics[0]);
	lr_each_input(o->ninputs, o->inputs, produce_input, &p);
	while (rd_kafka_flush(p.rk, 100) == RD_KAFKA_RESP_ERR__TIMED_OUT)
		;
	if (o->commit_to != NULL) {
		delivered_save(&p.acks, 1);
		delivered_free(&p.acks);
	}
	topics_free(&p);
	rd_kafka_destroy(p.rk);
	buf_free(&p.topic);
	buf_free(&p.key);
	if (p.failed != NULL && fclose(p.failed) == EOF)
		hs_fatal("%s: %s", o->failed_path, strerror(errno));
	if (!o->quiet && p.lost > 0)
		hs_warn("%lu of %lu messages not delivered%s%s", p.lost, p.sent,
		    o->failed_path ? "; written to " : "",
		    o->failed_path ? o->failed_path : "");
	if (p.lost > 0) {
		hs_finish();
		return HS_EXIT_FATAL;
	}
	return hs_finish();
}
