/*
 * kafkacat.h - the modes of hs-kafkacat and the options they share.
 */
#ifndef HS_KAFKACAT_H
#define HS_KAFKACAT_H

#include <librdkafka/rdkafka.h>
#include <signal.h>
#include <stdint.h>

#include "timefmt.h"

#define MAX_TOPICS 64

struct options {
	char mode;			/* 'C', 'P', 'L' */
	const char *brokers;
	const char *topics[MAX_TOPICS];	/* or templates with -P */
	int ntopics;
	const char *group;		/* -G */
	int32_t partition;		/* -p, or RD_KAFKA_PARTITION_UA */
	int64_t start;			/* -o: a librdkafka offset */
	int64_t start_ms;		/* -o s@MS, else -1 */
	const char *key;		/* -k template */
	char key_delim[16];		/* -K: "key<delim>payload" (-P) */
	size_t key_delim_len;
	int kcat_z;			/* -Z: no empty message is sent */
	int exit_at_end;		/* -e */
	long long count;		/* -c, 0: no limit */
	int quiet;			/* -q */
	int source;			/* --source: add "_src" */
	int wrap;			/* --wrap: keep bad payloads */
	const char *failed_path;	/* --failed FILE */
	const char *resume_path;	/* --resume FILE */
	const char *broadcast;		/* --broadcast FIELD (-P) */
	const char *commit_to;		/* --commit-to FILE (-P) */
	const char *commit_from;	/* --commit-from FILE (-C) */
	hs_time checkpoint;		/* --checkpoint interval, 0: none */
	const char *time_field;		/* --time; NULL: no watermarks */
	hs_time idle;			/* --idle */
	int timeout_ms;			/* -m: broker wait */
	hs_time down_timeout;		/* --down-timeout, 0: forever */
	const char *conf_path;		/* -F */
	const char *debug;		/* -d: librdkafka's debug contexts */
	const char *props[128];		/* -X name=value, in order */
	int nprops;
	int dump;			/* -X dump: print the configuration */
	rd_kafka_conf_t *conf;
	char **inputs;			/* -P files */
	int ninputs;
};

extern volatile sig_atomic_t stop_requested;

/* conf.c: the librdkafka configuration from the defaults, the properties
 * file, -X and -b, in that order; a client of the given type, checked to
 * reach a broker. */
void conf_build(struct options *o);
void conf_set(struct options *o, const char *name, const char *value);
/* A numeric property's value, 0 if unknown. */
long long conf_number(const rd_kafka_conf_t *conf, const char *name);
rd_kafka_t *client_new(struct options *o, rd_kafka_type_t type);

/* conf.c: print the configuration as property=value lines (-X dump),
 * and free it. */
void conf_dump(struct options *o);

/* conf.c: while every broker is unreachable (librdkafka's all-brokers-down
 * error), ask for metadata at most once a second; when they have been
 * unreachable for o->down_timeout, exit with a fatal error naming them. */
void brokers_check(rd_kafka_t *rk, const struct options *o);

int produce(struct options *o);
int consume(struct options *o);

/* consume.c: an -o offset, beginning, end, stored, N, -N (N from the end)
 * or s@MS (the first message at or after MS milliseconds since the
 * epoch): 0 with *offset the librdkafka offset and *ms -1, or for s@MS
 * *ms set; -1 when it is none of them. */
int offset_parse(const char *spec, int64_t *offset, int64_t *ms);
int metadata(struct options *o);
int mock(int brokers);

#endif
