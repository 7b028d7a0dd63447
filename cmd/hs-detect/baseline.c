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
 * robust score, which outliers in the learning data do not sway. Series
 * and entries are found by hash of key and field.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lineio.h"
#include "detect.h"
#include "json.h"
#include "jsonw.h"
#include "strtab.h"

struct series {
	double *v;
	size_t n, cap;
};

struct baseline {
	struct strtab *index;	/* key NUL field -> entry */
	struct base_stats *s;
};

static struct strtab *learned_index;
static struct series *learned;
static struct buf pair;

/* "key\0field", the index's key of a pair. */
static const struct buf *
pair_key(const char *key, size_t keylen, const char *field)
{
	buf_reset(&pair);
	buf_put(&pair, key, keylen);
	buf_putc(&pair, '\0');
	buf_puts(&pair, field);
	return &pair;
}

void
baseline_learn_add(const char *key, size_t keylen, const char *field, double v)
{
	const struct buf *k = pair_key(key, keylen, field);
	struct series *s;
	size_t i;
	int added;

	if (learned_index == NULL)
		learned_index = strtab_new();
	i = strtab_add(learned_index, k->p, k->len, &added);
	if (added) {
		if ((i & (i - 1)) == 0)
			learned = hs_xrealloc(learned, 2 * (i + 1) *
			    sizeof(*learned));
		memset(&learned[i], 0, sizeof(*learned));
	}
	s = &learned[i];
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 4;
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

/* The mean as the running update, which stays finite for values near
 * the largest double where a sum would overflow. */
static struct base_stats
stats_of(double *v, size_t n)
{
	struct base_stats s = { .count = (double)n };
	double ss = 0, *dev;
	size_t i;

	for (i = 0; i < n; i++)
		s.mean += (v[i] - s.mean) / (double)(i + 1);
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

/* One entry of the stats array, a line of its own; 0, or -1 with a
 * warning saying why the pair is left out. */
static int
put_entry(struct buf *out, int first, const char *key, size_t keylen,
    const char *field, const struct base_stats *s)
{
	const double x[] = { s->count, s->mean, s->stddev, s->median, s->mad,
	    s->p01, s->p99 };
	static const char *const name[] = { "count", "mean", "stddev",
	    "median", "mad", "p01", "p99" };
	size_t i;

	for (i = 0; i < sizeof(x) / sizeof(x[0]); i++)
		if (!isfinite(x[i])) {
			hs_warn("baseline: key '%.*s', field '%s': the values "
			    "are too large for finite statistics; left out",
			    (int)keylen, key, field);
			return -1;
		}
	buf_puts(out, first ? "{\"key\":" : ",\n{\"key\":");
	buf_json_string(out, key, keylen);
	buf_puts(out, ",\"field\":");
	buf_json_string(out, field, strlen(field));
	for (i = 0; i < sizeof(x) / sizeof(x[0]); i++) {
		buf_puts(out, ",\"");
		buf_puts(out, name[i]);
		buf_puts(out, "\":");
		buf_json_number(out, x[i]);
	}
	buf_putc(out, '}');
	return 0;
}

/* Written as text, an entry a line: jansson would hold a tree of every
 * entry first. */
void
baseline_learn_write(const char *path, const char *group)
{
	size_t i, n = learned_index ? strtab_count(learned_index) : 0, len;
	struct buf out = { 0 }, head = { 0 };
	struct base_stats s;
	const char *key;
	int first = 1;
	FILE *f;

	if ((f = fopen(path, "w")) == NULL)
		hs_fatal("%s: %s", path, strerror(errno));
	buf_puts(&head, "{\"format\":\"hs-baseline\",\"version\":1,"
	    "\"group\":");
	buf_json_string(&head, group, strlen(group));
	buf_puts(&head, ",\"stats\":[\n");
	fwrite(head.p, 1, head.len, f);
	for (i = 0; i < n; i++) {
		key = strtab_key(learned_index, i, &len);
		s = stats_of(learned[i].v, learned[i].n);
		if (put_entry(&out, first, key, strlen(key),
		    key + strlen(key) + 1, &s) == 0)
			first = 0;
		free(learned[i].v);
		if (out.len > 65536 || i + 1 == n) {
			fwrite(out.p, 1, out.len, f);
			buf_reset(&out);
		}
	}
	fputs("\n]}\n", f);
	if (fflush(f) == EOF || ferror(f) || fclose(f) == EOF)
		hs_fatal("%s: cannot write the baseline: %s", path,
		    strerror(errno));
	free(learned);
	strtab_free(learned_index);
	buf_free(&out);
	buf_free(&head);
}

static int
string_is(const struct json_span *v, const char *want)
{
	return v->type == JSON_STRING && v->len == strlen(want) + 2 &&
	    memcmp(v->p + 1, want, v->len - 2) == 0;
}

/* One entry: its stats, and its key and field decoded into k. */
static int
read_entry(const struct json_span *o, struct base_stats *s, struct buf *k)
{
	static const char *const name[] = { "key", "field", "count", "mean",
	    "stddev", "median", "mad", "p01", "p99" };
	double *x[] = { &s->count, &s->mean, &s->stddev, &s->median, &s->mad,
	    &s->p01, &s->p99 };
	struct json_span v[9];
	size_t i;
	long n;

	if (o->type != JSON_OBJECT)
		return -1;
	for (i = 0; i < 9; i++)
		v[i] = json_member(o, name[i]);
	for (i = 2; i < 9; i++)
		if (json_number(&v[i], x[i - 2]) == -1)
			return -1;
	if (v[0].type != JSON_STRING || v[1].type != JSON_STRING)
		return -1;
	buf_reset(k);
	buf_reserve(k, v[0].len + v[1].len);
	if ((n = json_string(&v[0], k->p, v[0].len)) < 0)
		return -1;
	k->len = (size_t)n + 1;		/* key NUL field */
	if ((n = json_string(&v[1], k->p + k->len, v[1].len)) < 0)
		return -1;
	k->len += (size_t)n;
	return 0;
}

/* Read with the zero-copy scanner: a baseline of millions of keys loads in
 * a second, where a tree of it would take many. */
struct baseline *
baseline_load(const char *path, const char *group)
{
	static const char *const keys[] = { "format", "version", "group",
	    "stats" };
	struct baseline *b = hs_xmalloc(sizeof(*b));
	struct json_span v[4], o;
	struct json_error err;
	struct buf k = { 0 };
	const char *cursor = NULL;
	long long version;
	size_t len, i = 0, n = 0;
	char *text;
	int added;

	text = read_whole_file(path, &len);
	if (json_scan(text, len, keys, 4, v, &err) == -1)
		hs_fatal("%s: column %zu: %s", path, err.column, err.why);
	if (!string_is(&v[0], "hs-baseline") || v[3].type != JSON_ARRAY)
		hs_fatal("%s: not an hs baseline (hs-detect --learn makes one)",
		    path);
	if (v[1].type != JSON_NONE && (json_int(&v[1], &version) == -1 ||
	    version != 1))
		hs_fatal("%s: not a version 1 hs baseline, which this "
		    "hs-detect reads", path);
	if (v[2].type != JSON_NONE && !string_is(&v[2], group))
		hs_fatal("%s: learned per %.*s, but the records are keyed by "
		    "'%s' (-g)", path, (int)v[2].len, v[2].p, group);
	while (json_next_element(&v[3], &cursor, &o) == 1)
		n++;
	b->index = strtab_new();
	b->s = hs_xmalloc((n + 1) * sizeof(*b->s));
	for (cursor = NULL; json_next_element(&v[3], &cursor, &o) == 1; i++) {
		struct base_stats s;

		if (read_entry(&o, &s, &k) == -1)
			hs_fatal("%s: stats[%zu]: needs key, field, count, "
			    "mean, stddev, median, mad, p01, p99", path, i);
		b->s[strtab_add(b->index, k.p, k.len, &added)] = s;
		if (!added)
			hs_fatal("%s: stats[%zu]: key '%s' and field '%s' "
			    "twice", path, i, k.p, k.p + strlen(k.p) + 1);
	}
	buf_free(&k);
	free(text);
	return b;
}

const struct base_stats *
baseline_find(const struct baseline *b, const char *key, const char *field)
{
	const struct buf *k = pair_key(key, strlen(key), field);
	long i = strtab_find(b->index, k->p, k->len);

	return i == -1 ? NULL : &b->s[i];
}
