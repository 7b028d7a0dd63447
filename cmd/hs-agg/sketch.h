/*
 * sketch.h - DDSketch, a mergeable quantile sketch with a relative error
 * bound, for the percentiles of partial aggregates (hs-agg --partial and
 * --merge).
 *
 * Values are counted in buckets whose bounds grow geometrically by
 * gamma = (1 + alpha) / (1 - alpha); a quantile is the middle of the
 * bucket that holds the value of its rank, so it is within alpha of that
 * value, relatively: |q' - q| <= alpha |q|. Merging adds the counts of
 * equal buckets, so the merge of sketches is the sketch of all their
 * values, whatever the split and the order. (Masson, Rim, Lee, "DDSketch:
 * a fast and fully-mergeable quantile sketch with relative-error
 * guarantees", VLDB 2019.)
 */
#ifndef HS_SKETCH_H
#define HS_SKETCH_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "jsonw.h"

/* Buckets kept per sign: with alpha 0.01 they span a ratio of about
 * 10^35 between the smallest and the greatest magnitude; beyond it the
 * smallest buckets are folded into the next (and only the quantiles that
 * fall there lose the bound). */
#define SKETCH_MAX_BUCKETS 4096
#define SKETCH_DEFAULT_ALPHA 0.01

struct sketch_store {
	int32_t offset;		/* bucket index of counts[0] */
	uint32_t len, cap;
	uint64_t *counts;
};

struct sketch {
	double alpha, log_gamma;
	uint64_t n, zero;	/* all values; those counted as zero */
	struct sketch_store pos, neg;	/* by the index of |value| */
};

/* 0 < alpha < 1. */
void sketch_init(struct sketch *s, double alpha);
void sketch_free(struct sketch *s);
void sketch_add(struct sketch *s, double v);
/* Add src's counts into dst: -1 when their accuracies differ. */
int sketch_merge(struct sketch *dst, const struct sketch *src);
/* The value at rank floor(p/100 * n) (clamped to n - 1) of the sorted
 * values, within alpha relatively; the sketch must not be empty. */
double sketch_quantile(const struct sketch *s, double p);

/* As JSON: {"alpha":A,"zero":Z,"positive":[OFFSET,C...],
 * "negative":[OFFSET,C...]}, a store's counts from its lowest bucket. */
void sketch_put(const struct sketch *s, struct buf *b);
/* Read what sketch_put wrote into an initialised, empty sketch: 0, or -1
 * when it is malformed (s then holds what was read, to be freed). */
int sketch_parse(struct sketch *s, const struct json_span *obj);

#endif
