/*
 * agg.c - aggregate functions (see agg.h).
 *
 * Null values follow SQL: `count` counts records, whatever their values;
 * every other aggregate skips a null or missing value, and is null when a
 * group has no value at all (`nonnull` counts the values it has).
 * Variance is kept with Welford's update, so the sample variance stays
 * accurate for long windows of nearly equal values, and two states merge
 * by Chan's parallel form of it (sessions that join, partial aggregates
 * of several instances). first and last go by event time. Percentiles
 * are the nearest rank of the sorted values, index floor(p/100 * n)
 * clamped to the last, as Miller's stats1 computes them without
 * interpolation; or, for partial aggregates, the same rank of a DDSketch
 * of the values (sketch.h), within its relative accuracy. The slope is
 * the least-squares line of the values against their position in the
 * group (0, 1, 2, ...: per sample, so per second at 1 Hz), from the
 * running co-moment, as Welford's update keeps the variance; merged
 * states take the second's positions after the first's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "cli.h"

static const struct {
	const char *name;
	enum agg_kind kind;
	double percentile;
} agg_table[] = {
	{ "count", AGG_COUNT, 0 }, { "nonnull", AGG_NONNULL, 0 },
	{ "duration", AGG_DURATION, 0 },
	{ "sum", AGG_SUM, 0 },
	{ "avg", AGG_AVG, 0 }, { "mean", AGG_AVG, 0 },
	{ "min", AGG_MIN, 0 }, { "max", AGG_MAX, 0 },
	{ "var", AGG_VAR, 0 }, { "stddev", AGG_STDDEV, 0 },
	{ "first", AGG_FIRST, 0 }, { "last", AGG_LAST, 0 },
	{ "p50", AGG_P50, 50 }, { "median", AGG_P50, 50 },
	{ "p90", AGG_P90, 90 }, { "p95", AGG_P95, 95 }, { "p99", AGG_P99, 99 },
	{ "slope", AGG_SLOPE, 0 },
};
#define NAGG (sizeof(agg_table) / sizeof(agg_table[0]))

static const char *
kind_name(enum agg_kind k)
{
	size_t i;

	for (i = 0; i < NAGG; i++)
		if (agg_table[i].kind == k)
			return agg_table[i].name;
	return "?";
}

static double
kind_percentile(enum agg_kind k)
{
	size_t i;

	for (i = 0; i < NAGG; i++)
		if (agg_table[i].kind == k)
			return agg_table[i].percentile;
	return 0;
}

int
agg_of_records(enum agg_kind k)
{
	return k == AGG_COUNT || k == AGG_DURATION;
}

int
agg_parse_list(struct agg_spec *spec, const char *arg)
{
	char *copy = hs_xstrdup(arg), *list = copy, *name;
	size_t i;
	int rc = 0;

	while (rc == 0 && (name = strsep(&list, ",")) != NULL) {
		for (i = 0; i < NAGG; i++)
			if (strcmp(name, agg_table[i].name) == 0)
				break;
		if (i == NAGG) {
			hs_warn("-a: unknown aggregate '%s' (count, duration, "
			    "nonnull, sum, avg, min, max, var, stddev, first, "
			    "last, p50, p90, p95, p99, slope)", name);
			rc = -1;
		} else if (spec->nkind ==
		    sizeof(spec->kind) / sizeof(spec->kind[0])) {
			hs_warn("-a: too many aggregates");
			rc = -1;
		} else {
			spec->kind[spec->nkind++] = agg_table[i].kind;
			if (agg_table[i].percentile > 0)
				spec->keep_values = 1;
			if (agg_table[i].kind == AGG_FIRST ||
			    agg_table[i].kind == AGG_LAST ||
			    agg_table[i].kind == AGG_DURATION)
				spec->need_time = 1;
		}
	}
	free(copy);
	return rc;
}

static void
add_name(struct agg_spec *spec, const char *name)
{
	spec->names = hs_xrealloc(spec->names,
	    (spec->nnames + 1) * sizeof(*spec->names));
	spec->names[spec->nnames++] = hs_xstrdup(name);
}

int
agg_make_names(struct agg_spec *spec, const char *arg)
{
	char name[256], *copy, *renames, *pair, *eq;
	size_t k, f;
	int rc = 0;

	for (k = 0; k < spec->nkind; k++) {
		if (agg_of_records(spec->kind[k])) {
			add_name(spec, kind_name(spec->kind[k]));
			continue;
		}
		for (f = 0; f < spec->nfields; f++) {
			snprintf(name, sizeof(name), "%s_%s",
			    kind_name(spec->kind[k]), spec->fields[f]);
			add_name(spec, name);
		}
	}
	copy = renames = arg != NULL ? hs_xstrdup(arg) : NULL;
	while (rc == 0 && renames != NULL &&
	    (pair = strsep(&renames, ",")) != NULL) {
		if ((eq = strchr(pair, '=')) == NULL || eq[1] == '\0') {
			hs_warn("-r: expected old=new, not '%s'", pair);
			rc = -1;
			break;
		}
		*eq = '\0';
		for (k = 0; k < spec->nnames; k++)
			if (strcmp(spec->names[k], pair) == 0)
				break;
		if (k == spec->nnames) {
			hs_warn("-r: '%s' is not an output column", pair);
			rc = -1;
			break;
		}
		free(spec->names[k]);
		spec->names[k] = hs_xstrdup(eq + 1);
	}
	free(copy);
	spec->head_end = hs_xmalloc((spec->nnames + 1) *
	    sizeof(*spec->head_end));
	for (k = 0; k < spec->nnames; k++) {
		buf_putc(&spec->heads, ',');
		buf_json_string(&spec->heads, spec->names[k],
		    strlen(spec->names[k]));
		buf_putc(&spec->heads, ':');
		spec->head_end[k] = spec->heads.len;
	}
	return rc;
}

void
agg_free_names(struct agg_spec *spec)
{
	size_t i;

	for (i = 0; i < spec->nnames; i++)
		free(spec->names[i]);
	free(spec->names);
	free(spec->head_end);
	buf_free(&spec->heads);
}

/* Whether a value of time t comes before one of time u: only when both
 * have a time, else the input order stands. */
static int
earlier(hs_time t, hs_time u)
{
	return t != AGG_NO_TIME && u != AGG_NO_TIME && t < u;
}

void
field_init(struct field_state *f, const struct agg_spec *spec)
{
	if (spec->sketch_alpha > 0 && f->sketch == NULL) {
		f->sketch = hs_xmalloc(sizeof(*f->sketch));
		sketch_init(f->sketch, spec->sketch_alpha);
	}
}

void
field_add(struct field_state *f, double v, hs_time t, int keep_values)
{
	double delta, x = (double)f->n;	/* the value's position */

	if (f->n == 0) {
		f->min = f->max = f->first = f->last = v;
		f->first_time = f->last_time = t;
	} else {
		if (v < f->min)
			f->min = v;
		if (v > f->max)
			f->max = v;
		if (earlier(t, f->first_time)) {
			f->first = v;
			f->first_time = t;
		}
		if (!earlier(t, f->last_time)) {
			f->last = v;
			f->last_time = t;
		}
	}
	f->n++;
	f->sum += v;
	delta = v - f->mean;
	f->mean += delta / (double)f->n;
	f->m2 += delta * (v - f->mean);
	f->cxy += (x - (x - 1) / 2) * (v - f->mean);
	if (keep_values)
		field_add_value(f, v);
	if (f->sketch != NULL)
		sketch_add(f->sketch, v);
}

void
field_merge(struct field_state *dst, const struct field_state *src,
    int keep_values)
{
	double n, delta;

	if (src->n == 0)
		return;
	if (dst->n == 0) {
		dst->min = src->min;
		dst->max = src->max;
		dst->first = src->first;
		dst->first_time = src->first_time;
		dst->last = src->last;
		dst->last_time = src->last_time;
	} else {
		if (src->min < dst->min)
			dst->min = src->min;
		if (src->max > dst->max)
			dst->max = src->max;
		if (earlier(src->first_time, dst->first_time)) {
			dst->first = src->first;
			dst->first_time = src->first_time;
		}
		if (!earlier(src->last_time, dst->last_time)) {
			dst->last = src->last;
			dst->last_time = src->last_time;
		}
	}
	n = (double)dst->n + (double)src->n;
	delta = src->mean - dst->mean;
	dst->m2 += src->m2 + delta * delta * (double)dst->n / n *
	    (double)src->n;
	/* the positions of src follow dst's: their means are n/2 apart */
	dst->cxy += src->cxy + (double)dst->n * (double)src->n * delta / 2;
	dst->mean += delta * (double)src->n / n;
	dst->n += src->n;
	dst->sum += src->sum;
	if (dst->sketch != NULL && src->sketch != NULL)
		sketch_merge(dst->sketch, src->sketch);
	if (!keep_values || src->nvalues == 0)
		return;
	if (dst->nvalues + src->nvalues > dst->cap) {
		dst->cap = dst->nvalues + src->nvalues;
		dst->values = hs_xrealloc(dst->values,
		    dst->cap * sizeof(*dst->values));
	}
	memcpy(dst->values + dst->nvalues, src->values,
	    src->nvalues * sizeof(*src->values));
	dst->nvalues += src->nvalues;
}

void
field_add_value(struct field_state *f, double v)
{
	if (f->nvalues == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->values = hs_xrealloc(f->values, f->cap * sizeof(*f->values));
	}
	f->values[f->nvalues++] = v;
}

void
span_add(struct time_span *s, hs_time t)
{
	if (t == AGG_NO_TIME)
		return;
	if (s->min == AGG_NO_TIME || t < s->min)
		s->min = t;
	if (t > s->max)
		s->max = t;
}

void
span_merge(struct time_span *dst, const struct time_span *src)
{
	span_add(dst, src->min);
	span_add(dst, src->max);
}

void
field_free(struct field_state *f)
{
	free(f->values);
	f->values = NULL;
	f->nvalues = f->cap = 0;
	if (f->sketch != NULL) {
		sketch_free(f->sketch);
		free(f->sketch);
		f->sketch = NULL;
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
percentile(struct field_state *f, double p, int *sorted)
{
	size_t i;

	if (!*sorted) {
		qsort(f->values, f->nvalues, sizeof(double), cmp_double);
		*sorted = 1;
	}
	i = (size_t)(p / 100 * (double)f->nvalues);
	if (i >= f->nvalues)
		i = f->nvalues - 1;
	return f->values[i];
}

static void
put_value(struct buf *out, enum agg_kind kind, struct field_state *f,
    int *sorted)
{
	if (kind == AGG_NONNULL) {
		buf_put_uint(out, f->n);
		return;
	}
	if (f->n == 0) {	/* no value but nulls */
		buf_puts(out, "null");
		return;
	}
	switch (kind) {
	case AGG_SUM: buf_json_number(out, f->sum); return;
	case AGG_AVG: buf_json_number(out, f->sum / (double)f->n); return;
	case AGG_MIN: buf_json_number(out, f->min); return;
	case AGG_MAX: buf_json_number(out, f->max); return;
	case AGG_FIRST: buf_json_number(out, f->first); return;
	case AGG_LAST: buf_json_number(out, f->last); return;
	case AGG_SLOPE:
		if (f->n < 2)
			buf_puts(out, "null");
		else
			buf_json_number(out, f->cxy / ((double)f->n *
			    ((double)f->n * (double)f->n - 1) / 12));
		return;
	case AGG_VAR:
	case AGG_STDDEV:
		if (f->n < 2)
			buf_puts(out, "null");
		else if (kind == AGG_VAR)
			buf_json_number(out, f->m2 / (double)(f->n - 1));
		else
			buf_json_number(out, sqrt(f->m2 / (double)(f->n - 1)));
		return;
	default:
		buf_json_number(out, f->sketch != NULL ?
		    sketch_quantile(f->sketch, kind_percentile(kind)) :
		    percentile(f, kind_percentile(kind), sorted));
	}
}

/* Append ,"name": for output column col. */
static void
put_name(const struct agg_spec *spec, size_t col, struct buf *out)
{
	size_t from = col > 0 ? spec->head_end[col - 1] : 0;

	buf_put(out, spec->heads.p + from, spec->head_end[col] - from);
}

void
agg_put_results(const struct agg_spec *spec, unsigned long count,
    const struct time_span *span, struct field_state *f, struct buf *out)
{
	int sorted[16] = { 0 };
	size_t k, i, col = 0;

	for (k = 0; k < spec->nkind; k++) {
		if (spec->kind[k] == AGG_COUNT) {
			put_name(spec, col++, out);
			buf_put_uint(out, count);
			continue;
		}
		if (spec->kind[k] == AGG_DURATION) {
			put_name(spec, col++, out);
			if (span->min == AGG_NO_TIME)
				buf_puts(out, "null");
			else
				buf_json_number(out, (double)(span->max -
				    span->min) / 1e6);
			continue;
		}
		for (i = 0; i < spec->nfields; i++, col++) {
			put_name(spec, col, out);
			put_value(out, spec->kind[k], &f[i], &sorted[i]);
		}
	}
}
