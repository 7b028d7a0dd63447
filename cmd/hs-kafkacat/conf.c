/*
 * conf.c - librdkafka configuration for hs-kafkacat, as kcat builds it:
 * a properties file (-F, or $HS_KAFKA_CONFIG, or ~/.config/hs/kafka.conf),
 * then -X properties, then -b; brokers otherwise from $HS_BROKERS, so a
 * cron job needs no flags.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "cli.h"
#include "kafkacat.h"
#include "lineio.h"

/* -C fetches at most this much from a broker at a time */
#define FETCH_MAX_BYTES 1048576
/* client_new looks for the brokers' first answer this often */
#define CONTROLLER_SLICE_MS 100

void
conf_set(struct options *o, const char *name, const char *value)
{
	char errstr[512];

	if (rd_kafka_conf_set(o->conf, name, value, errstr, sizeof(errstr)) !=
	    RD_KAFKA_CONF_OK) {
		hs_warn("%s", errstr);
		exit(HS_EXIT_USAGE);
	}
}

static void
conf_set_number(struct options *o, const char *name, long long value)
{
	char text[32];

	snprintf(text, sizeof(text), "%lld", value);
	conf_set(o, name, text);
}

/* A properties file that cannot be read, or holds a line that is not a
 * valid property, is fatal: a job must not run on half its settings. */
static void
conf_file(struct options *o, const char *path)
{
	struct line_reader *lr;
	char *line, *eq, errstr[512];

	if ((lr = lr_open(path, 0)) == NULL)
		hs_fatal("%s: %s", path, strerror(errno));
	while ((line = lr_next_setting(lr)) != NULL) {
		if ((eq = strchr(line, '=')) == NULL)
			hs_fatal("%s:%lu: expected property=value", path,
			    lr_lineno(lr));
		*eq = '\0';
		if (rd_kafka_conf_set(o->conf, line, eq + 1, errstr,
		    sizeof(errstr)) != RD_KAFKA_CONF_OK)
			hs_fatal("%s:%lu: %s", path, lr_lineno(lr), errstr);
	}
	lr_close(lr);
}

/* librdkafka's own messages, in our diagnostic format. Transient errors
 * (a broker down, a refused connection) are retried by the client: they are
 * shown, once each in a while, but only a fatal error ends the run.
 * Debugging messages come only when -d or -X debug= asked for them. */
static void
log_line(const rd_kafka_t *rk, int level, const char *fac, const char *msg)
{
	(void)rk;
	if (level <= LOG_ERR || level == LOG_DEBUG)
		hs_warn("%s: %s", fac, msg);
}

/* Since when every broker has been unreachable, 0 while one is up; and
 * when brokers_check last asked. */
static hs_time down_since, last_probe;

static void
on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	char why[512];

	(void)opaque;
	if (err == RD_KAFKA_RESP_ERR__FATAL) {
		rd_kafka_fatal_error(rk, why, sizeof(why));
		hs_fatal("fatal: %s", why);
	}
	if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
		hs_warn("%s", reason);
		if (down_since == 0)
			down_since = time_monotonic();
	}
}

void
brokers_check(rd_kafka_t *rk, const struct options *o)
{
	const struct rd_kafka_metadata *md;
	hs_time now;

	if (down_since == 0 || o->down_timeout == 0)
		return;
	now = time_monotonic();
	if (now - last_probe < 1000000)
		return;
	last_probe = now;
	if (rd_kafka_metadata(rk, 0, NULL, &md, 500) ==
	    RD_KAFKA_RESP_ERR_NO_ERROR) {
		rd_kafka_metadata_destroy(md);
		down_since = 0;
		return;
	}
	if (now - down_since >= o->down_timeout)
		hs_fatal("every broker (%s) unreachable for %lld s "
		    "(--down-timeout): giving up", o->brokers != NULL ?
		    o->brokers : "from the configuration",
		    (long long)((now - down_since) / 1000000));
}

void
conf_build(struct options *o)
{
	const char *path = o->conf_path, *home = getenv("HOME");
	char buf[4096], *eq;
	long long message_max;
	int i;

	o->conf = rd_kafka_conf_new();
	rd_kafka_conf_set_log_cb(o->conf, log_line);
	rd_kafka_conf_set_error_cb(o->conf, on_error);
	conf_set(o, "client.id", "hs-kafkacat");
	if (o->mode == 'P') {
		conf_set(o, "enable.idempotence", "true");
		conf_set(o, "acks", "all");
		/* a short queue: memory stays bounded (~12 MB, not 25-50 MB
		 * with librdkafka's 100,000 messages) at the same speed */
		conf_set(o, "queue.buffering.max.messages", "5000");
		conf_set(o, "batch.num.messages", "1000");
		/* but a short queue spread over many partitions sends small
		 * batches unless they may wait: with 20 ms the queue was full
		 * for 1.1 s of 1.7 s into 64 partitions, with 100 ms for
		 * 0.13 s of 0.85 s, and the mock brokers used a third of
		 * the CPU (tests/bench/kafka.sh); the end of input sends at
		 * once (rd_kafka_flush) */
		conf_set(o, "linger.ms", "100");
	}
	/* what librdkafka fetches ahead of a slower pipeline: 6000
	 * messages or 2 MB, where a 16 MB queue made a 22-67 MB process
	 * (kcat, 64 MB: 45-77 MB); 64 KB a partition and 1 MB a broker at
	 * a time keep each answer small (4 KB messages: 17-19 MB, 31-36
	 * with answers of up to 50 MB). refill.c keeps so short a queue
	 * from stalling (tests/bench/kafka.sh) */
	if (o->mode == 'C') {
		conf_set(o, "queued.min.messages", "6000");
		conf_set(o, "queued.max.messages.kbytes", "2048");
		conf_set(o, "max.partition.fetch.bytes", "65536");
		conf_set_number(o, "fetch.max.bytes", FETCH_MAX_BYTES);
	}
	if (o->mode == 'C' && o->exit_at_end)	/* see the end promptly */
		conf_set(o, "fetch.wait.max.ms", "100");
	if (path == NULL)
		path = getenv("HS_KAFKA_CONFIG");
	if (path == NULL && home != NULL) {
		snprintf(buf, sizeof(buf), "%s/.config/hs/kafka.conf", home);
		if (access(buf, F_OK) == 0)	/* there: it must be read */
			path = buf;
	}
	if (path != NULL)
		conf_file(o, path);
	if (o->debug != NULL)
		conf_set(o, "debug", o->debug);
	for (i = 0; i < o->nprops; i++) {
		if (strcmp(o->props[i], "dump") == 0) {
			o->dump = 1;
			continue;
		}
		snprintf(buf, sizeof(buf), "%s", o->props[i]);
		if ((eq = strchr(buf, '=')) == NULL) {
			hs_warn("-X: expected property=value, not '%s'", buf);
			exit(HS_EXIT_USAGE);
		}
		*eq = '\0';
		conf_set(o, buf, eq + 1);
	}
	/* librdkafka refuses fetches smaller than message.max.bytes: one
	 * raised for -P in a shared file raises -C's 1 MB with it */
	message_max = conf_number(o->conf, "message.max.bytes");
	if (o->mode == 'C' && message_max > FETCH_MAX_BYTES &&
	    conf_number(o->conf, "fetch.max.bytes") == FETCH_MAX_BYTES)
		conf_set_number(o, "fetch.max.bytes", message_max);
}

long long
conf_number(const rd_kafka_conf_t *conf, const char *name)
{
	char value[64];
	size_t size = sizeof(value);

	if (rd_kafka_conf_get(conf, name, value, &size) != RD_KAFKA_CONF_OK)
		return 0;
	return strtoll(value, NULL, 10);
}

/* kcat's -X dump: the configuration a run would start with (global,
 * then topic), one property=value a line; the pointers librdkafka lists
 * beside the properties (callbacks, opaques, the topic configuration)
 * left out. */
static void
put_properties(const char **kv, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		if (strstr(kv[i], "_cb") == NULL &&
		    strcmp(kv[i], "opaque") != 0 &&
		    strcmp(kv[i], "default_topic_conf") != 0)
			printf("%s=%s\n", kv[i], kv[i + 1]);
	rd_kafka_conf_dump_free(kv, n);
}

void
conf_dump(struct options *o)
{
	rd_kafka_topic_conf_t *topic;
	const char **kv;
	size_t n;

	kv = rd_kafka_conf_dump(o->conf, &n);
	put_properties(kv, n);
	if ((topic = rd_kafka_conf_get_default_topic_conf(o->conf)) != NULL) {
		kv = rd_kafka_topic_conf_dump(topic, &n);
		put_properties(kv, n);
	}
	rd_kafka_conf_destroy(o->conf);
	o->conf = NULL;
}

/* Whether the brokers answer a metadata request for topic (NULL: for
 * every topic) within timeout_ms. */
static rd_kafka_resp_err_t
metadata_answer(rd_kafka_t *rk, const char *topic, int timeout_ms)
{
	const struct rd_kafka_metadata *md;
	rd_kafka_topic_t *rkt = NULL;
	rd_kafka_resp_err_t err;

	if (topic != NULL)
		rkt = rd_kafka_topic_new(rk, topic, NULL);
	err = rd_kafka_metadata(rk, 0, rkt, &md, timeout_ms);
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
		rd_kafka_metadata_destroy(md);
	if (rkt != NULL)
		rd_kafka_topic_destroy(rkt);
	return err;
}

/*
 * Whether a producer's brokers answer within timeout_ms. On connecting,
 * librdkafka asks for the brokers' metadata alone, whose answer names the
 * controller. When it names none (brokers before 0.10, api.version.request
 * =false, an election) rd_kafka_controllerid returns -1 as soon as it
 * looks, and the metadata of every topic is asked for instead. It looks
 * when called and when a broker changes state, so it is called in slices.
 */
static rd_kafka_resp_err_t
brokers_answer(rd_kafka_t *rk, int timeout_ms)
{
	hs_time deadline = time_deadline(timeout_ms), asked;
	int left;

	while ((left = time_ms_left(deadline)) > 0) {
		if (left > CONTROLLER_SLICE_MS)
			left = CONTROLLER_SLICE_MS;
		asked = time_monotonic();
		if (rd_kafka_controllerid(rk, left) != -1)
			return RD_KAFKA_RESP_ERR_NO_ERROR;
		if (time_monotonic() - asked < (hs_time)left * 1000 / 2) {
			left = time_ms_left(deadline);
			return metadata_answer(rk, NULL, left > 0 ? left : 1);
		}
	}
	return RD_KAFKA_RESP_ERR__TIMED_OUT;
}

/*
 * A client whose brokers answered within -m, found without asking for the
 * metadata of every topic where it can be (megabytes on a large cluster).
 * A consumer asks for that of its first topic (a regular expression needs
 * them all anyway): the request also opens its first connection, which
 * its group would otherwise open only at its next second.
 */
rd_kafka_t *
client_new(struct options *o, rd_kafka_type_t type)
{
	const char *brokers = o->brokers;
	char errstr[512];
	size_t n = sizeof(errstr);
	rd_kafka_resp_err_t err;
	rd_kafka_t *rk;

	if (brokers == NULL)
		brokers = o->brokers = getenv("HS_BROKERS");
	if (brokers != NULL)
		conf_set(o, "bootstrap.servers", brokers);
	else if (rd_kafka_conf_get(o->conf, "bootstrap.servers", errstr, &n) !=
	    RD_KAFKA_CONF_OK || errstr[0] == '\0')
		hs_fatal("no brokers: give -b, set HS_BROKERS, or "
		    "bootstrap.servers in a -F file");
	if ((rk = rd_kafka_new(type, o->conf, errstr, sizeof(errstr))) == NULL)
		hs_fatal("%s", errstr);
	o->conf = NULL;		/* owned by rk now */
	if (type == RD_KAFKA_PRODUCER)
		err = brokers_answer(rk, o->timeout_ms);
	else
		err = metadata_answer(rk, o->ntopics > 0 &&
		    o->topics[0][0] != '^' ? o->topics[0] : NULL,
		    o->timeout_ms);
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		hs_fatal("cannot reach the brokers %s within %d ms: %s",
		    brokers ? brokers : "(from the configuration)",
		    o->timeout_ms, rd_kafka_err2str(err));
	return rk;
}
