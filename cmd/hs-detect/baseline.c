/*
 * baseline.c - learning a baseline from records of known-good operation,
 * and reading it back for scoring.
 *
 *   {"format":"hs-baseline","version":1,"group":"sensor","stats":[
 *    {"key":"CE","field":"avg_value","count":741,"mean":46.6,"stddev":1.1,
 *     "median":46.9,"mad":0.3,"p01":39.2,"p99":47.7}, ...]}
 *
 * The key is the group fields' values, decoded, joined by "|". Learning
 * keeps every value (a baseline is learned from a bounded, known-good
 * stretch); the median and the median absolute deviation (MAD) give the
 * robust score, which outliers in the learning data do not sway.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "detect.h"

struct series {
	char *key, *field;
	double *v;
	size_t n, cap;
};

struct entry {
	char *key, *field;
	struct base_stats s;
};

struct baseline {
	struct entry *e;
	size_t n;
};

static struct series *learned;
static size_t nlearned;

void
baseline_learn_add(const char *key, const char *field, double v)
{
	struct series *s = NULL;
	size_t i;

	for (i = nlearned; i-- > 0;)
		if (strcmp(learned[i].key, key) == 0 &&
		    strcmp(learned[i].field, field) == 0) {
			s = &learned[i];
			break;
		}
	if (s == NULL) {
		learned = hs_xrealloc(learned, (nlearned + 1) * sizeof(*learned));
		s = &learned[nlearned++];
		memset(s, 0, sizeof(*s));
		s->key = hs_xstrdup(key);
		s->field = hs_xstrdup(field);
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = hs_xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = v;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Linear interpolation between closest ranks, as numpy's default. */
static double
quantile(const double *sorted, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t i = (size_t)pos;

	if (i + 1 >= n)
		return sorted[n - 1];
	return sorted[i] + (pos - (double)i) * (sorted[i + 1] - sorted[i]);
}

static struct base_stats
stats_of(double *v, size_t n)
{
	struct base_stats s = { .count = (double)n };
	double sum = 0, ss = 0, *dev;
	size_t i;

	for (i = 0; i < n; i++)
		sum += v[i];
	s.mean = sum / (double)n;
	for (i = 0; i < n; i++)
		ss += (v[i] - s.mean) * (v[i] - s.mean);
	s.stddev = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
	qsort(v, n, sizeof(*v), cmp_double);
	s.median = quantile(v, n, 0.5);
	s.p01 = quantile(v, n, 0.01);
	s.p99 = quantile(v, n, 0.99);
	dev = hs_xmalloc(n * sizeof(*dev));
	for (i = 0; i < n; i++)
		dev[i] = fabs(v[i] - s.median);
	qsort(dev, n, sizeof(*dev), cmp_double);
	s.mad = quantile(dev, n, 0.5);
	free(dev);
	return s;
}

void
baseline_learn_write(const char *path, const char *group)
{
	json_t *doc, *arr = json_array();
	struct base_stats s;
	size_t i;

	for (i = 0; i < nlearned; i++) {
		s = stats_of(learned[i].v, learned[i].n);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:f, s:f, s:f, "
		    "s:f, s:f, s:f, s:f}", "key", learned[i].key, "field",
		    learned[i].field, "count", s.count, "mean", s.mean,
		    "stddev", s.stddev, "median", s.median, "mad", s.mad,
		    "p01", s.p01, "p99", s.p99));
		free(learned[i].key);
		free(learned[i].field);
		free(learned[i].v);
	}
	free(learned);
	doc = json_pack("{s:s, s:i, s:s, s:o}", "format", "hs-baseline",
	    "version", 1, "group", group, "stats", arr);
	if (json_dump_file(doc, path, JSON_INDENT(1)) == -1)
		hs_fatal("%s: cannot write the baseline", path);
	json_decref(doc);
}

struct baseline *
baseline_load(const char *path)
{
	struct baseline *b = hs_xmalloc(sizeof(*b));
	const char *format, *key, *field;
	json_error_t error;
	json_t *doc, *arr, *o;
	size_t i;

	if ((doc = json_load_file(path, 0, &error)) == NULL)
		hs_fatal("%s:%d: %s", path, error.line, error.text);
	format = json_string_value(json_object_get(doc, "format"));
	arr = json_object_get(doc, "stats");
	if (format == NULL || strcmp(format, "hs-baseline") != 0 ||
	    !json_is_array(arr))
		hs_fatal("%s: not an hs baseline (hs-detect --learn makes one)",
		    path);
	b->n = json_array_size(arr);
	b->e = hs_xmalloc((b->n + 1) * sizeof(*b->e));
	json_array_foreach(arr, i, o) {
		struct base_stats *s = &b->e[i].s;

		key = json_string_value(json_object_get(o, "key"));
		field = json_string_value(json_object_get(o, "field"));
		if (key == NULL || field == NULL || json_unpack(o,
		    "{s:F, s:F, s:F, s:F, s:F, s:F, s:F}", "count", &s->count,
		    "mean", &s->mean, "stddev", &s->stddev, "median", &s->median,
		    "mad", &s->mad, "p01", &s->p01, "p99", &s->p99) == -1)
			hs_fatal("%s: stats[%zu]: needs key, field, count, mean, "
			    "stddev, median, mad, p01, p99", path, i);
		b->e[i].key = hs_xstrdup(key);
		b->e[i].field = hs_xstrdup(field);
	}
	json_decref(doc);
	return b;
}

const struct base_stats *
baseline_find(const struct baseline *b, const char *key, const char *field)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (strcmp(b->e[i].key, key) == 0 &&
		    strcmp(b->e[i].field, field) == 0)
			return &b->e[i].s;
	return NULL;
}
