/*
 * sketch_test.c - unit test of the DDSketch of cmd/hs-agg/sketch.c: every
 * quantile is within alpha of the exact nearest-rank value; sketches of
 * the parts of a data set, merged in any order, are the sketch of the
 * whole; the JSON form reads back to the same sketch; a range too wide
 * for the buckets folds its smallest magnitudes and keeps the rest exact.
 * Run by tests/t3700-sketch.t.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cmd/hs-agg/sketch.h"
#include "tap.h"

#define N 20000

static double
uniform(void)
{
	return (double)(tap_random() >> 11) / 9007199254740992.0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static uint64_t
count_at(const struct sketch_store *st, int64_t i)
{
	return i < st->offset || i >= st->offset + (int64_t)st->len ? 0 :
	    st->counts[i - st->offset];
}

/* Equal counts in every bucket, wherever each store starts. */
static int
same_store(const struct sketch_store *a, const struct sketch_store *b)
{
	int64_t lo = a->offset < b->offset ? a->offset : b->offset, i,
	    hi = a->offset + (int64_t)a->len;

	if (b->offset + (int64_t)b->len > hi)
		hi = b->offset + (int64_t)b->len;
	for (i = lo; i < hi; i++)
		if (count_at(a, i) != count_at(b, i))
			return 0;
	return 1;
}

static int
same_sketch(const struct sketch *a, const struct sketch *b)
{
	return a->n == b->n && a->zero == b->zero && a->alpha == b->alpha &&
	    same_store(&a->pos, &b->pos) && same_store(&a->neg, &b->neg);
}

/* Every percentile 0..100 of the sketch of v[0..n) is within alpha of
 * the exact one; returns the worst relative error seen. */
static double
worst_error(const struct sketch *s, double *v, size_t n)
{
	double worst = 0, want, got, err;
	size_t i;
	int p;

	qsort(v, n, sizeof(*v), cmp_double);
	for (p = 0; p <= 100; p++) {
		i = (size_t)(p / 100.0 * (double)n);
		if (i >= n)
			i = n - 1;
		want = v[i];
		got = sketch_quantile(s, p);
		err = want == 0 ? fabs(got) : fabs(got - want) / fabs(want);
		if (err > worst)
			worst = err;
	}
	return worst;
}

static void
check_bound(const char *what, double alpha, double *v, size_t n)
{
	struct sketch s;
	char name[200];
	double worst;
	size_t i;

	sketch_init(&s, alpha);
	for (i = 0; i < n; i++)
		sketch_add(&s, v[i]);
	worst = worst_error(&s, v, n);
	snprintf(name, sizeof(name), "%s: every percentile within alpha %g "
	    "(worst %.3g)", what, alpha, worst);
	ok(worst <= alpha * (1 + 1e-9), name);
	sketch_free(&s);
}

/* Split v into k parts of random sizes, sketch each, merge them in a
 * random order: the sketch of the whole. */
static void
check_merge(const char *what, const double *v, size_t n, int k)
{
	struct sketch whole, parts[16], merged;
	int order[16], i, j, t, bad = 0;
	char name[200];
	size_t x;

	sketch_init(&whole, 0.01);
	for (x = 0; x < n; x++)
		sketch_add(&whole, v[x]);
	for (i = 0; i < k; i++) {
		sketch_init(&parts[i], 0.01);
		order[i] = i;
	}
	for (x = 0; x < n; x++)
		sketch_add(&parts[tap_random() % (uint64_t)k], v[x]);
	for (i = k - 1; i > 0; i--) {
		j = (int)(tap_random() % (uint64_t)(i + 1));
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	sketch_init(&merged, 0.01);
	for (i = 0; i < k; i++)
		bad |= sketch_merge(&merged, &parts[order[i]]) != 0;
	snprintf(name, sizeof(name), "%s: %d parts merged in any order are "
	    "the sketch of the whole", what, k);
	ok(!bad && same_sketch(&merged, &whole), name);
	for (i = 0; i < k; i++)
		sketch_free(&parts[i]);
	sketch_free(&merged);
	sketch_free(&whole);
}

static void
check_json(const char *what, const double *v, size_t n)
{
	struct sketch s, back;
	struct json_span obj;
	struct buf b = { 0 };
	char name[200];
	size_t i;

	sketch_init(&s, 0.01);
	for (i = 0; i < n; i++)
		sketch_add(&s, v[i]);
	sketch_put(&s, &b);
	buf_putc(&b, '\0');
	sketch_init(&back, 0.01);
	snprintf(name, sizeof(name), "%s: the JSON form reads back the same",
	    what);
	ok(json_object_span(b.p, &obj) == 0 && sketch_parse(&back, &obj) == 0 &&
	    same_sketch(&s, &back), name);
	sketch_free(&s);
	sketch_free(&back);
	buf_free(&b);
}

static int
parses(const char *text)
{
	struct sketch s;
	struct json_span obj;
	int rc;

	sketch_init(&s, 0.01);
	rc = json_object_span(text, &obj) == 0 && sketch_parse(&s, &obj) == 0;
	sketch_free(&s);
	return rc;
}

int
main(void)
{
	static double v[N], w[N];
	struct sketch a, b;
	size_t i;

	for (i = 0; i < N; i++)
		v[i] = 100 + 80 * uniform();	/* a pressure, bar */
	memcpy(w, v, sizeof(v));
	check_bound("uniform 100..180", 0.01, w, N);
	memcpy(w, v, sizeof(v));
	check_bound("uniform 100..180, alpha 0.001", 0.001, w, N);
	check_merge("uniform 100..180", v, N, 3);
	check_json("uniform 100..180", v, N);

	for (i = 0; i < N; i++)
		v[i] = exp(40 * uniform() - 20) * (tap_random() % 3 == 0 ?
		    -1 : 1) * (tap_random() % 10 == 0 ? 0 : 1);
	memcpy(w, v, sizeof(v));
	check_bound("signed, zeros, 17 orders of magnitude", 0.01, w, N);
	check_merge("signed, zeros, 17 orders of magnitude", v, N, 16);
	check_json("signed, zeros, 17 orders of magnitude", v, N);

	for (i = 0; i < 60; i++)
		v[i] = 35.5 + (double)(i % 7) / 100;	/* a 1 Hz window */
	memcpy(w, v, 60 * sizeof(double));
	check_bound("60 close values", 0.01, w, 60);
	v[0] = -3;
	memcpy(w, v, sizeof(double));
	check_bound("one value", 0.01, w, 1);

	/* 1e-200 and 1e200 are ~46,000 buckets apart at alpha 0.01: the
	 * smallest magnitudes fold, the high percentiles keep the bound */
	sketch_init(&a, 0.01);
	for (i = 0; i < 1000; i++)
		sketch_add(&a, i < 10 ? 1e-200 : 1e200 * (1 + uniform()));
	ok(a.pos.len <= SKETCH_MAX_BUCKETS && a.n == 1000 &&
	    fabs(sketch_quantile(&a, 50) / 1e200 - 1.5) < 0.51,
	    "a range too wide folds the smallest buckets, the rest keep "
	    "their bound");
	sketch_init(&b, 0.02);
	sketch_add(&b, 1);
	ok(sketch_merge(&a, &b) == -1 && a.n == 1000,
	    "sketches of different accuracies do not merge");
	sketch_free(&a);
	sketch_free(&b);

	ok(parses("{\"alpha\":0.01,\"zero\":2,\"positive\":[5,1,0,3],"
	    "\"negative\":[]}"), "a sketch's JSON is read");
	ok(!parses("{\"alpha\":0.02,\"zero\":0,\"positive\":[],"
	    "\"negative\":[]}"), "another accuracy is refused");
	ok(!parses("{\"alpha\":0.01,\"zero\":-1,\"positive\":[],"
	    "\"negative\":[]}"), "a negative count is refused");
	ok(!parses("{\"alpha\":0.01,\"zero\":0,\"positive\":[1,2.5],"
	    "\"negative\":[]}"), "a fractional count is refused");
	ok(!parses("{\"alpha\":0.01,\"zero\":0,\"positive\":[999999999999,1],"
	    "\"negative\":[]}"), "a bucket no value can reach is refused");
	ok(!parses("{\"alpha\":0.01,\"zero\":0,\"negative\":[]}"),
	    "a missing store is refused");
	return tap_done();
}
