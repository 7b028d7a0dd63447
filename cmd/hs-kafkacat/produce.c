/*
 * produce.c - NDJSON to Kafka (-P).
 *
 * Each JSON object line becomes one message. The topic and the key may be
 * templates over the record's fields ("hydraulic-{sensor}"), so one stream
 * fans out to per-sensor topics. The producer is idempotent with acks=all
 * unless configured otherwise, waits for every delivery report, and writes
 * each line whose delivery failed to the --failed file: nothing is lost
 * without a trace. Control records are not produced.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "control.h"
#include "json.h"
#include "jsonw.h"
#include "kafkacat.h"
#include "lineio.h"

struct producer {
	struct options *o;
	rd_kafka_t *rk;
	FILE *failed;
	unsigned long sent, delivered, lost;
	struct buf topic, key;
	int topic_fixed;	/* the topic names no {field}: expanded once */
};

static void
delivery_report(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	struct producer *p = opaque;

	(void)rk;
	if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		p->delivered++;
		return;
	}
	if (p->lost++ < 10)
		hs_warn("%s: delivery failed: %s", rd_kafka_topic_name(m->rkt),
		    rd_kafka_err2str(m->err));
	if (p->failed != NULL) {
		fwrite(m->payload, 1, m->len, p->failed);
		fputc('\n', p->failed);
	}
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

static void
produce_line(struct producer *p, struct line_reader *lr, char *line,
    size_t len)
{
	const char *missing;
	struct json_error bad;
	rd_kafka_resp_err_t err;

	if (control_is(line, len))
		return;
	if (json_scan(line, len, NULL, 0, NULL, &bad) == -1) {
		hs_bad_json(lr_name(lr), lr_lineno(lr), line, len, &bad);
		return;
	}
	if ((!p->topic_fixed &&
	    expand(&p->topic, p->o->topics[0], line, len, &missing) == -1) ||
	    (p->o->key != NULL &&
	    expand(&p->key, p->o->key, line, len, &missing) == -1)) {
		hs_bad_record(lr_name(lr), lr_lineno(lr),
		    "no string or number field '%s' for the topic or key",
		    missing);
		return;
	}
	for (;;) {
		err = rd_kafka_producev(p->rk,
		    RD_KAFKA_V_TOPIC(p->topic.p),
		    RD_KAFKA_V_PARTITION(p->o->partition),
		    RD_KAFKA_V_VALUE(line, len),
		    RD_KAFKA_V_KEY(p->o->key ? p->key.p : NULL,
			p->o->key ? p->key.len : 0),
		    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
		    RD_KAFKA_V_END);
		if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
			break;
		rd_kafka_poll(p->rk, 50);
	}
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		hs_bad_record(lr_name(lr), lr_lineno(lr), "cannot produce to "
		    "%s: %s", p->topic.p, rd_kafka_err2str(err));
		if (p->failed != NULL) {
			fwrite(line, 1, len, p->failed);
			fputc('\n', p->failed);
		}
		return;
	}
	p->sent++;
	rd_kafka_poll(p->rk, 0);
}

static void
produce_input(struct line_reader *lr, void *arg)
{
	struct producer *p = arg;
	char *line;
	size_t len;

	while (!stop_requested && (line = lr_next(lr, &len)) != NULL)
		produce_line(p, lr, line, len);
}

int
produce(struct options *o)
{
	struct producer p = { .o = o };

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
	if (strchr(o->topics[0], '{') == NULL) {
		buf_puts(&p.topic, o->topics[0]);
		p.topic_fixed = 1;
	}
	lr_each_input(o->ninputs, o->inputs, produce_input, &p);
	while (rd_kafka_outq_len(p.rk) > 0)
		rd_kafka_poll(p.rk, 100);
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
