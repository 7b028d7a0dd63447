/*
 * detect.h - the detectors of hs-detect, their per-key state, the
 * baseline file they may score against, and the messages they write.
 */
#ifndef HS_DETECT_H
#define HS_DETECT_H

#include <stddef.h>

#include "jsonw.h"
#include "sensors.h"
#include "timefmt.h"

enum detector_kind {
	DET_THRESHOLD, DET_PLAUSIBILITY, DET_BASELINE, DET_EWMA, DET_CUSUM,
	DET_STUCK, DET_DROPOUT, DET_GAP, DET_MODEL
};

enum op { OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE };

struct model;

struct detector {
	enum detector_kind kind;
	char *field;		/* the numeric field examined, or NULL */
	char *sensor_glob;	/* only sensors matching it, or NULL: all */
	char *severity;
	enum op op;		/* threshold */
	double limit;		/* threshold value, score or drift limit */
	double alpha, k;	/* ewma smoothing, cusum allowance */
	double min, max;	/* plausibility range; NaN: built-in */
	long count;		/* stuck: repeats */
	hs_time gap;
	struct model *model;
};

/* What a detector concluded about one record, and what its message
 * needs. */
struct finding {
	int fired;		/* the condition holds */
	int clear;		/* well clear (outside the clear band) */
	double value;		/* the value examined */
	const char *text;	/* the value as the record wrote it, or NULL */
	size_t textlen;
	double score;		/* its score, or NaN for a plain limit */
	double limit;		/* what the value (or score) was held to */
	double ref, spread;	/* reference (mean, median, range), spread */
	double stat;		/* ewma, cusum direction, z, class */
	const struct sensor_info *si;
};

/* Per-key state of one detector. */
struct det_state {
	int started;
	long n;
	double mean, m2;	/* warm-up estimate of the reference */
	double ewma, cusum_hi, cusum_lo;
	double last;
	long repeats;
	hs_time last_time;
	long pending;		/* alerts: records in a row in new state */
	int firing;
	const struct base_stats *base;	/* the baseline's, if any */
};

/* A baseline: per key and field, the statistics of known-good operation. */
struct base_stats {
	double count, mean, stddev, median, mad, p01, p99;
};

struct baseline;

/* rules.c */
const char *detector_name(enum detector_kind k);
int parse_rule(const char *text, struct detector *d, const char **why);
void load_rules(const char *path, struct detector **dets, size_t *n);
int op_holds(enum op op, double v, double limit);
const char *op_text(enum op op);

/* baseline.c */
struct baseline *baseline_load(const char *path, const char *group);
const struct base_stats *baseline_find(const struct baseline *b,
    const char *key, const char *field);
void baseline_learn_add(const char *key, size_t keylen, const char *field,
    double v);
void baseline_learn_write(const char *path, const char *group);

/* message.c: the message of a finding, fired or (resolved) cleared */
void put_message(struct buf *b, const struct detector *d,
    const struct finding *f, int cleared, double band);

#endif
