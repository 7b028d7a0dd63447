/*
 * agg.h - the aggregate functions of hs-agg: which ones were asked for,
 * the running state of one field in one group, merging two such states,
 * and writing the results.
 */
#ifndef HS_AGG_H
#define HS_AGG_H

#include <stddef.h>
#include <stdint.h>

#include "jsonw.h"
#include "sketch.h"
#include "timefmt.h"

/* The event time of a value that has none: first and last then follow
 * the input order. */
#define AGG_NO_TIME INT64_MIN

enum agg_kind {
	AGG_COUNT, AGG_SUM, AGG_AVG, AGG_MIN, AGG_MAX, AGG_VAR, AGG_STDDEV,
	AGG_FIRST, AGG_LAST, AGG_P50, AGG_P90, AGG_P95, AGG_P99,
	AGG_NONNULL, AGG_SLOPE, AGG_DURATION	/* new ones last: state
						 * files name kinds by number */
};

struct agg_spec {
	enum agg_kind kind[16];
	size_t nkind;
	const char *fields[16];	/* value fields */
	size_t nfields;
	int keep_values;	/* a percentile needs every value */
	int need_time;		/* for first, last and duration */
	double sketch_alpha;	/* > 0: percentiles from a sketch instead */
	char **names;		/* output name per (kind, field) column */
	size_t nnames;
	struct buf heads;	/* ,"name": per column, one after another */
	size_t *head_end;	/* where each column's ends in heads */
};

/* Running state of one value field in one group. */
struct field_state {
	unsigned long n;	/* values (not null) */
	double sum, mean, m2, min, max, first, last;
	/* the event times of first and last, or AGG_NO_TIME */
	hs_time first_time, last_time;
	double cxy;		/* co-moment of values and their positions */
	double *values;		/* every value, for the percentiles */
	size_t nvalues, cap;
	struct sketch *sketch;	/* or a sketch of them (partials) */
};

/* The span of the event times of a group's records, for `duration`:
 * both AGG_NO_TIME while no record had a time. */
struct time_span {
	hs_time min, max;
};

/* Parse "count,avg,p90" into spec; -1 with a message on an unknown name.
 * The list is not modified. */
int agg_parse_list(struct agg_spec *spec, const char *list);
/* Whether an aggregate is of the records (count, duration), not of the
 * values of a field. */
int agg_of_records(enum agg_kind k);
/* Build the output column names; apply "old=new,..." renames (-1 if an
 * old name is not an output column). The renames are not modified. Each
 * column's ,"name": is written once, here. */
int agg_make_names(struct agg_spec *spec, const char *renames);

/* Free the names of spec's output columns. */
void agg_free_names(struct agg_spec *spec);

/* Make f ready for the aggregates of spec: a sketch of the values when
 * percentiles come from one. f is zeroed before. */
void field_init(struct field_state *f, const struct agg_spec *spec);

/* Fold value v of event time t (or AGG_NO_TIME) into f. first is the
 * value of the smallest event time and last of the greatest; between
 * values of equal times, or when either has none, the input order
 * decides. */
void field_add(struct field_state *f, double v, hs_time t, int keep_values);
/* Keep one more value for the percentiles (field_add does it too). */
void field_add_value(struct field_state *f, double v);
/*
 * Merge src into dst, as if dst's values had been followed by src's: the
 * count, sum, minimum and maximum exactly; mean and the sum of squared
 * deviations by the parallel formula of Chan, Golub and LeVeque; the kept
 * values appended, so percentiles are exact, or the sketches merged; first
 * and last by event time, dst counting as the earlier input. src is left
 * as it was.
 */
void field_merge(struct field_state *dst, const struct field_state *src,
    int keep_values);
void field_free(struct field_state *f);

/* Widen a span by an event time t (AGG_NO_TIME: no change), or by
 * another span. */
void span_add(struct time_span *s, hs_time t);
void span_merge(struct time_span *dst, const struct time_span *src);

/* Append ,"name":value for every output column of a group of count
 * records whose event times span span and whose per-field states are
 * f[0..nfields). */
void agg_put_results(const struct agg_spec *spec, unsigned long count,
    const struct time_span *span, struct field_state *f, struct buf *out);

#endif
