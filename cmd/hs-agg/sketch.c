/*
 * sketch.c - DDSketch, a quantile sketch that merges exactly (sketch.h).
 *
 * A positive value v goes to bucket i = ceil(log(v) / log(gamma)), which
 * holds (gamma^(i-1), gamma^i]; a negative one to the bucket of -v in a
 * second store; magnitudes below DBL_MIN count as zero. Each store is a
 * dense array of counts from its lowest bucket up, so adding a value is
 * one logarithm and one increment.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sketch.h"

void
sketch_init(struct sketch *s, double alpha)
{
	memset(s, 0, sizeof(*s));
	s->alpha = alpha;
	s->log_gamma = log((1 + alpha) / (1 - alpha));
}

void
sketch_free(struct sketch *s)
{
	free(s->pos.counts);
	free(s->neg.counts);
	s->pos.counts = s->neg.counts = NULL;
	s->pos.len = s->pos.cap = s->neg.len = s->neg.cap = 0;
}

static void
reserve(struct sketch_store *st, uint32_t len)
{
	if (len <= st->cap)
		return;
	st->cap = len < 2 * st->cap ? 2 * st->cap : len < 16 ? 16 : len;
	st->counts = hs_xrealloc(st->counts, st->cap * sizeof(*st->counts));
}

/* Fold the buckets below lo into bucket lo, which becomes the lowest. */
static void
fold_below(struct sketch_store *st, int32_t lo)
{
	uint32_t k = (uint32_t)((int64_t)lo - st->offset), j;
	uint64_t folded = 0;

	if (k >= st->len) {
		for (j = 0; j < st->len; j++)
			folded += st->counts[j];
		st->counts[0] = folded;
		st->len = 1;
	} else {
		for (j = 0; j < k; j++)
			folded += st->counts[j];
		memmove(st->counts, st->counts + k,
		    (st->len - k) * sizeof(*st->counts));
		st->counts[0] += folded;
		st->len -= k;
	}
	st->offset = lo;
}

static void
store_add(struct sketch_store *st, int32_t i, uint64_t c)
{
	int32_t top = st->offset + (int32_t)st->len - 1;
	uint32_t n;

	if (st->len == 0) {
		reserve(st, 1);
		st->offset = i;
		st->counts[0] = 0;
		st->len = 1;
	} else if (i < st->offset) {
		if ((int64_t)top - i + 1 > SKETCH_MAX_BUCKETS)
			i = top - SKETCH_MAX_BUCKETS + 1;
		if (i < st->offset) {
			n = (uint32_t)(st->offset - i);
			reserve(st, st->len + n);
			memmove(st->counts + n, st->counts,
			    st->len * sizeof(*st->counts));
			memset(st->counts, 0, n * sizeof(*st->counts));
			st->offset = i;
			st->len += n;
		}
	} else if (i > top) {
		if ((int64_t)i - st->offset + 1 > SKETCH_MAX_BUCKETS)
			fold_below(st, i - SKETCH_MAX_BUCKETS + 1);
		n = (uint32_t)(i - (st->offset + (int32_t)st->len) + 1);
		reserve(st, st->len + n);
		memset(st->counts + st->len, 0, n * sizeof(*st->counts));
		st->len += n;
	}
	st->counts[i - st->offset] += c;
}

void
sketch_add(struct sketch *s, double v)
{
	double m = fabs(v);

	s->n++;
	if (m < DBL_MIN)
		s->zero++;
	else
		store_add(v > 0 ? &s->pos : &s->neg,
		    (int32_t)ceil(log(m) / s->log_gamma), 1);
}

static void
store_merge(struct sketch_store *dst, const struct sketch_store *src)
{
	uint32_t j;

	for (j = 0; j < src->len; j++)
		if (src->counts[j] > 0)
			store_add(dst, src->offset + (int32_t)j,
			    src->counts[j]);
}

int
sketch_merge(struct sketch *dst, const struct sketch *src)
{
	if (dst->alpha != src->alpha)
		return -1;
	store_merge(&dst->pos, &src->pos);
	store_merge(&dst->neg, &src->neg);
	dst->zero += src->zero;
	dst->n += src->n;
	return 0;
}

/* The middle of bucket i: within alpha of every value it holds. */
static double
bucket_value(const struct sketch *s, int32_t i)
{
	double gamma = exp(s->log_gamma);

	return 2 * exp((double)i * s->log_gamma) / (1 + gamma);
}

static uint64_t
store_total(const struct sketch_store *st)
{
	uint64_t t = 0;
	uint32_t j;

	for (j = 0; j < st->len; j++)
		t += st->counts[j];
	return t;
}

double
sketch_quantile(const struct sketch *s, double p)
{
	uint64_t rank = (uint64_t)(p / 100 * (double)s->n), seen = 0, neg;
	uint32_t j;

	if (rank >= s->n)
		rank = s->n - 1;
	neg = store_total(&s->neg);
	if (rank < neg) {	/* the most negative first */
		for (j = s->neg.len; j-- > 0;)
			if ((seen += s->neg.counts[j]) > rank)
				return -bucket_value(s,
				    s->neg.offset + (int32_t)j);
	}
	rank -= neg;
	if (rank < s->zero)
		return 0;
	rank -= s->zero;
	for (j = 0; j < s->pos.len; j++)
		if ((seen += s->pos.counts[j]) > rank)
			break;
	if (j == s->pos.len)
		j = s->pos.len - 1;
	return bucket_value(s, s->pos.offset + (int32_t)j);
}

static void
put_store(const struct sketch_store *st, struct buf *b)
{
	uint32_t j;

	buf_putc(b, '[');
	if (st->len > 0)
		buf_printf(b, "%ld", (long)st->offset);
	for (j = 0; j < st->len; j++)
		buf_printf(b, ",%llu", (unsigned long long)st->counts[j]);
	buf_putc(b, ']');
}

void
sketch_put(const struct sketch *s, struct buf *b)
{
	buf_puts(b, "{\"alpha\":");
	buf_json_number(b, s->alpha);
	buf_printf(b, ",\"zero\":%llu,\"positive\":",
	    (unsigned long long)s->zero);
	put_store(&s->pos, b);
	buf_puts(b, ",\"negative\":");
	put_store(&s->neg, b);
	buf_putc(b, '}');
}

/* The bucket indexes any finite value can have, with any alpha allowed. */
#define INDEX_LIMIT 100000000LL

static int
parse_store(struct sketch *s, struct sketch_store *st,
    const struct json_span *arr)
{
	const char *cursor = NULL;
	struct json_span v;
	long long offset, c;
	int32_t i;

	if (arr->type != JSON_ARRAY)
		return -1;
	if (!json_next_element(arr, &cursor, &v))
		return 0;
	if (json_int(&v, &offset) == -1 || offset < -INDEX_LIMIT ||
	    offset > INDEX_LIMIT)
		return -1;
	for (i = (int32_t)offset; json_next_element(arr, &cursor, &v); i++) {
		if (json_int(&v, &c) == -1 || c < 0 ||
		    (int64_t)i - offset >= SKETCH_MAX_BUCKETS ||
		    (uint64_t)c > UINT64_MAX - s->n)
			return -1;
		if (c > 0)
			store_add(st, i, (uint64_t)c);
		s->n += (uint64_t)c;
	}
	return 0;
}

int
sketch_parse(struct sketch *s, const struct json_span *obj)
{
	struct json_span alpha = json_member(obj, "alpha"),
	    pos = json_member(obj, "positive"),
	    neg = json_member(obj, "negative");
	long long zero;
	double a;

	if (obj->type != JSON_OBJECT || json_number(&alpha, &a) == -1 ||
	    a != s->alpha || json_member_int(obj, "zero", &zero) == -1 ||
	    zero < 0)
		return -1;
	s->zero = (uint64_t)zero;
	s->n = s->zero;
	return parse_store(s, &s->pos, &pos) == -1 ||
	    parse_store(s, &s->neg, &neg) == -1 ? -1 : 0;
}
