/*
 * hs-agg - group-by aggregation per event-time window and key.
 *
 * Records are grouped by the values of the -g fields, as written, and by
 * the "window" member hs-window added, if any. A session window (hs-window
 * --session) joins the open sessions of its key that it overlaps or
 * touches into one, their states merged, as Spark's session_window: a
 * key's sessions share its hash chain. Output modes follow Spark:
 * append writes a windowed group once, when a watermark control record
 * passes its window's end; update writes the groups changed since the last
 * trigger; complete writes every group at each trigger. A trigger is a
 * processing-time interval (--trigger), or else each watermark. Whatever is
 * open when input ends is written then; when it stops, append mode keeps
 * it. Several watermark streams merged into one input are tracked apart
 * (streams.c), the slowest governs; a record whose window is already final
 * here is late, so that no window is written twice. Rows come out in window
 * order, then key order; control records are passed on after the rows they
 * completed.
 *
 * Per event: one scan of the line (up to its window when it is the last
 * record's, window_memo.c); for a record of the remembered window, one
 * look into the groups its window's records joined, by a hash of the
 * group values alone; else one hash lookup on the raw bytes of the key
 * (the window's part of the hash remembered too); a decimal read per value
 * field. Nothing is allocated but new groups.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "hs-agg.h"
#include "cli.h"
#include "control.h"
#include "json.h"
#include "jsonw.h"
#include "lineio.h"
#include "state.h"
#include "timefmt.h"

static const char usage_text[] =
	    "usage: hs-agg -a aggregates [-g fields] [-f fields] "
	    "[-r old=new,...]\n"
	    "              [-t field] [--mode append|update|complete]\n"
	    "              [--trigger interval] [--partial | --merge] "
	    "[--streams n]\n"
	    "              [--accuracy a] [--state file] [-S] [file ...]\n"
	    "  -a list   count,duration,nonnull,sum,avg,min,max,var,stddev,\n"
	    "            first,last,p50,p90,p95,p99,slope (output: count,\n"
	    "            duration, AGG_FIELD)\n"
	    "  -g list   group-by fields (a record's window is always a key)\n"
	    "  -f list   numeric value fields to aggregate\n"
	    "  -t field  event time, for first, last, duration (timestamp)\n"
	    "  -r list   rename output columns, e.g. count=message_count\n"
	    "  --mode m  append: each window once, when complete (default);\n"
	    "            update: changed rows; complete: all rows, per "
	    "trigger\n"
	    "  --trigger interval  processing-time trigger, e.g. 10s\n"
	    "  --partial  partial rows per source partition, for --merge\n"
	    "  --merge    merge the partial rows of several instances\n"
	    "  --streams n  wait to hear of n watermark streams "
	    "(with --merge:\n"
	    "               of n source partitions)\n"
	    "  --accuracy a  relative accuracy of percentiles from sketches\n"
	    "  --state file  checkpoint the open groups into file (hs(7))\n"
	    "  -S        strict: stop at the first bad record\n";

static void __attribute__((noreturn))
usage(void)
{
	hs_usage(usage_text, 0);
}

/* Split a copy of a comma-separated list of names into out[] (argv stays
 * as typed, for ps); returns the copy, which out[] points into. */
static char *
split_list(const char *arg, const char **out, size_t *n, size_t max,
    const char *opt)
{
	char *copy = hs_xstrdup(arg), *list = copy, *item;

	*n = 0;
	while ((item = strsep(&list, ",")) != NULL) {
		if (*item == '\0' || *n == max) {
			hs_warn("%s: empty name or more than %zu names", opt,
			    max);
			usage();
		}
		out[(*n)++] = item;
	}
	return copy;
}

/* A multiply-rotate hash over 8 bytes at a time, from h on: keys are
 * ~100 bytes of window and group values, hashed once per record. */
static uint64_t
hash_from(uint64_t h, const char *p, size_t n)
{
	const uint64_t k = 0x9e3779b97f4a7c15ULL;
	uint64_t w;

	h ^= n * k;
	for (; n >= 8; n -= 8, p += 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * k;
		h ^= h >> 29;
	}
	w = 0;
	if (n > 0)
		memcpy(&w, p, n);
	h = (h ^ w) * k;
	return h ^ (h >> 32);
}

uint64_t
hash_bytes(const char *p, size_t n)
{
	return hash_from(0, p, n);
}

/* The hash of a key: of its window, then of the group values from there
 * on, so that a record of a remembered window hashes only its values. */
static uint64_t
key_hash(const char *key, size_t keylen)
{
	const char *sep = memchr(key, KEY_SEP, keylen);
	size_t n = sep != NULL ? (size_t)(sep - key) : keylen;

	return hash_from(hash_bytes(key, n), key + n, keylen - n);
}

static void
grow_table(struct aggregator *a)
{
	size_t i, nb = a->nbuckets ? a->nbuckets * 4 : 64;
	struct group **t = hs_xmalloc(nb * sizeof(*t)), *g, *next;

	memset(t, 0, nb * sizeof(*t));
	for (i = 0; i < a->nbuckets; i++)
		for (g = a->table[i]; g != NULL; g = next) {
			next = g->next;
			g->next = t[g->hash & (nb - 1)];
			t[g->hash & (nb - 1)] = g;
		}
	free(a->table);
	a->table = t;
	a->nbuckets = nb;
}

struct group *
group_insert(struct aggregator *a, const char *key, size_t keylen)
{
	size_t j, fsize = a->spec.nfields * sizeof(struct field_state);
	struct group *g;

	g = hs_xmalloc(sizeof(*g) + fsize);
	memset(g, 0, sizeof(*g) + fsize);
	g->span.min = g->span.max = AGG_NO_TIME;
	g->first_offset = -1;
	for (j = 0; j < a->spec.nfields; j++)
		field_init(&g->f[j], &a->spec);
	g->key = hs_xmalloc(keylen + 1);
	memcpy(g->key, key, keylen);
	g->key[keylen] = '\0';
	g->keylen = keylen;
	g->hash = key_hash(key, keylen);
	if (a->ngroups + 1 > a->nbuckets)
		grow_table(a);
	g->next = a->table[g->hash & (a->nbuckets - 1)];
	a->table[g->hash & (a->nbuckets - 1)] = g;
	a->ngroups++;
	return g;
}

void
group_free(struct aggregator *a, struct group *g)
{
	size_t j;

	for (j = 0; j < a->spec.nfields; j++)
		field_free(&g->f[j]);
	free(g->merged);
	free(g->key);
	free(g);
	a->memo_gen++;
}

static int
same_key(const struct group *g, uint64_t h, const char *key, size_t keylen)
{
	return g->hash == h && g->keylen == keylen &&
	    memcmp(g->key, key, keylen) == 0;
}

/* The hash chain where a key's groups are. */
static struct group **
chain(const struct aggregator *a, uint64_t h)
{
	return a->nbuckets > 0 ? &a->table[h & (a->nbuckets - 1)] : NULL;
}

/* The group of a key whose hash is h, or NULL. */
static struct group *
lookup_hashed(const struct aggregator *a, uint64_t h, const char *key,
    size_t keylen)
{
	struct group **link = chain(a, h), *g;

	for (g = link != NULL ? *link : NULL; g != NULL; g = g->next)
		if (same_key(g, h, key, keylen))
			return g;
	return NULL;
}

struct group *
group_lookup(const struct aggregator *a, const char *key, size_t keylen)
{
	return lookup_hashed(a, key_hash(key, keylen), key, keylen);
}

/* Whether an open session and a session window [start, end) overlap or
 * touch, and so are one session (Spark merges a session that starts at
 * another's end). */
static int
sessions_meet(const struct group *g, hs_time start, hs_time end)
{
	return g->session && g->start <= end && start <= g->end;
}

struct group *
session_lookup(const struct aggregator *a, const char *key, size_t keylen,
    hs_time start, hs_time end)
{
	uint64_t h = key_hash(key, keylen);
	struct group **link = chain(a, h), *g;

	for (g = link != NULL ? *link : NULL; g != NULL; g = g->next)
		if (same_key(g, h, key, keylen) && sessions_meet(g, start, end))
			return g;
	return NULL;
}

/* Whether a record that would open a group of a window ending at end is
 * late here: its window is already final (a stream behind the others, or
 * records after the window was written), and but for complete mode it was
 * written and dropped; append mode never writes a window twice. */
static int
late_here(struct aggregator *a, hs_time end)
{
	if (a->role != ROLE_AGG || end > a->watermark ||
	    a->mode == MODE_COMPLETE)
		return 0;
	a->late++;
	return 1;
}

/* The bounds of a record's window, which is the remembered one if memo:
 * 0, or -1 if it has none (what was read stays in start and end, which
 * the caller zeroed). The remembered window's are read once. */
static int
record_window_bounds(struct aggregator *a, const struct json_span *window,
    int memo, hs_time *start, hs_time *end)
{
	if (!memo)
		return window_bounds(window, start, end);
	if (a->memo_bounds == 0) {
		a->memo_start = *start;
		a->memo_end = *end;
		a->memo_bounds = window_bounds(window, &a->memo_start,
		    &a->memo_end) == 0 ? 1 : -1;
	}
	*start = a->memo_start;
	*end = a->memo_end;
	return a->memo_bounds == 1 ? 0 : -1;
}

/* The group of the key in a->key, whose first wlen bytes, its window,
 * hash to whash; a new one takes its window's bounds. NULL when the
 * record is late here. */
static struct group *
find_group(struct aggregator *a, const struct json_span *window, int memo,
    size_t wlen, uint64_t whash)
{
	struct group *g = lookup_hashed(a, hash_from(whash, a->key.p + wlen,
	    a->key.len - wlen), a->key.p, a->key.len);
	hs_time start = 0, end = 0;
	int windowed;

	if (g != NULL)
		return g;
	windowed = record_window_bounds(a, window, memo, &start, &end) == 0;
	if (windowed && late_here(a, end))
		return NULL;
	g = group_insert(a, a->key.p, a->key.len);
	g->windowed = windowed;
	g->start = start;
	g->end = end;
	return g;
}

/* Fold group src into dst: dst spans both, its states hold both. */
static void
group_merge(const struct aggregator *a, struct group *dst,
    const struct group *src)
{
	size_t i;

	if (src->start < dst->start)
		dst->start = src->start;
	if (src->end > dst->end)
		dst->end = src->end;
	dst->count += src->count;
	span_merge(&dst->span, &src->span);
	for (i = 0; i < a->spec.nfields; i++)
		field_merge(&dst->f[i], &src->f[i], a->spec.keep_values);
}

/* The session of the key in a->key that a record's session window
 * [start, end) joins: the open sessions of the key it overlaps or touches
 * become one, or it starts one; NULL when it joins none and is late here. */
static struct group *
find_session(struct aggregator *a, hs_time start, hs_time end)
{
	uint64_t h = key_hash(a->key.p, a->key.len);
	struct group **link = chain(a, h), *g, *joined = NULL;

	while (link != NULL && (g = *link) != NULL) {
		if (!same_key(g, h, a->key.p, a->key.len) ||
		    !sessions_meet(g, start, end)) {
			link = &g->next;
		} else if (joined == NULL) {
			joined = g;
			link = &g->next;
		} else {	/* the record bridges two sessions */
			*link = g->next;
			group_merge(a, joined, g);
			group_free(a, g);
			a->ngroups--;
		}
	}
	if (joined == NULL && late_here(a, end))
		return NULL;
	if (joined == NULL) {
		joined = group_insert(a, a->key.p, a->key.len);
		joined->windowed = joined->session = 1;
		joined->start = start;
		joined->end = end;
	}
	if (start < joined->start)
		joined->start = start;
	if (end > joined->end)
		joined->end = end;
	return joined;
}

/* Scanned members of a record, in a->scan_keys' order: the window, the
 * group fields, the value fields, the time field when an aggregate needs
 * it, and the source partition last with --partial. */
enum { SLOT_WINDOW, SLOT_GROUPS };

/* Whether a window's text holds "session: a look before the scan, as
 * most windows are no sessions. */
static int
mentions_session(const struct json_span *window)
{
	const char *p = window->p, *end = window->p + window->len;

	while ((p = memchr(p, 's', (size_t)(end - p))) != NULL) {
		if (p > window->p && p[-1] == '"' && (size_t)(end - p) >= 8 &&
		    memcmp(p, "session\"", 8) == 0)
			return 1;
		p++;
	}
	return 0;
}

/* A record's session window, if its window is one: 1 with its bounds,
 * 0 if it is none, -1 (reported) if it is a broken one. */
static int
session_window(struct line_reader *lr, const struct json_span *window,
    hs_time *start, hs_time *end)
{
	if (window->type != JSON_OBJECT || !mentions_session(window) ||
	    json_member(window, "session").type != JSON_TRUE)
		return 0;
	if (window_bounds(window, start, end) == 0 && *start < *end)
		return 1;
	hs_bad_record(lr_name(lr), lr_lineno(lr), "a session window without "
	    "a start before its end");
	return -1;
}

/* The event time of a record: its -t field, if it has one. */
static int
record_time(const struct aggregator *a, struct line_reader *lr,
    const struct json_span *v, hs_time *t)
{
	*t = AGG_NO_TIME;
	if (v->type == JSON_NONE || v->type == JSON_NULL ||
	    time_from_json(v, t) == 0)
		return 0;
	hs_bad_record(lr_name(lr), lr_lineno(lr), "field '%s': unparsable "
	    "time, or not in the years 0001 to 9999: %.*s", a->time_field,
	    (int)(v->len > 40 ? 40 : v->len), v->p);
	return -1;
}

/* The text of a group value in a key: null for a missing field. */
static void
key_value(const struct json_span *v, const char **p, size_t *n)
{
	if (v->type == JSON_NONE) {
		*p = "null";
		*n = 4;
	} else {
		*p = v->p;
		*n = v->len;
	}
}

/*
 * h and the n bytes at p, hashed: 8 bytes at a time, the last 1 to 8 as
 * one word. Each step is a bijection of h and the word, and the last word
 * holds every byte it covers, so that for n <= 8 bytes the hash and n
 * tell the bytes.
 */
static uint64_t
value_hash(uint64_t h, const char *p, size_t n)
{
	const uint64_t k = 0x9e3779b97f4a7c15ULL;
	uint64_t w;
	uint32_t u, x;

	h = (h ^ n) * k;
	for (; n > 8; n -= 8, p += 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * k;
	}
	if (n >= 4) {
		memcpy(&u, p, 4);
		memcpy(&x, p + n - 4, 4);
		w = (uint64_t)u << 32 | x;
	} else if (n > 0)
		w = (uint64_t)(unsigned char)p[0] << 16 |
		    (uint64_t)(unsigned char)p[n / 2] << 8 |
		    (unsigned char)p[n - 1];
	else
		w = 0;
	return (h ^ w) * k;
}

/* The signature of the group values v[0..n) in memo_groups: the hash of
 * their bytes, and the length they add to a key. */
static uint64_t
values_sig(const struct json_span *v, size_t n, size_t *len)
{
	const char *p;
	uint64_t h = 0;
	size_t i, vlen;

	*len = 0;
	for (i = 0; i < n; i++) {
		key_value(&v[i], &p, &vlen);
		h = value_hash(h, p, vlen);
		*len += vlen + 1;
	}
	return h;
}

/* Whether the key of g, a group of a window of wlen bytes, ends with the
 * group values v[0..n). */
static int
key_ends_with(const struct group *g, size_t wlen, const struct json_span *v,
    size_t n)
{
	const char *k = g->key + wlen, *end = g->key + g->keylen, *p;
	size_t i, len;

	for (i = 0; i < n; i++) {
		key_value(&v[i], &p, &len);
		if ((size_t)(end - k) < len + 1 || *k != KEY_SEP ||
		    memcmp(k + 1, p, len) != 0)
			return 0;
		k += len + 1;
	}
	return k == end;
}

/* The group that a record of the remembered window with the group values
 * v[0..a->ngroup) joins, if memo_groups holds it; else NULL, and *slot
 * is ready to hold it, once found, with the generation of the moment. */
static struct group *
remembered_group(struct aggregator *a, const struct json_span *v,
    size_t wlen, struct memo_group **slot)
{
	struct memo_group *s;
	size_t len;
	uint64_t sig = values_sig(v, a->ngroup, &len);

	s = *slot = &a->memo_groups[sig >> (64 - MEMO_GROUP_BITS)];
	/* one value of up to 8 bytes is told by its signature */
	if (s->gen == a->memo_gen && s->sig == sig && s->len == len &&
	    ((a->ngroup == 1 && len <= 9) || key_ends_with(s->g, wlen, v,
	    a->ngroup)))
		return s->g;
	s->gen = 0;
	s->sig = sig;
	s->len = len;
	return NULL;
}

/* A record scanned whole: its window is remembered if hs-window wrote it,
 * with the hash of the window's part of its key. What memo_groups and
 * memo_bounds hold no longer counts. */
static void
remember_window(struct aggregator *a, const char *line, size_t len,
    const struct json_span *window, int session, hs_time start, hs_time end)
{
	uint64_t whash = 0;

	if (window->type == JSON_OBJECT)
		whash = session ? hash_bytes(SESSION_KEY, strlen(SESSION_KEY)) :
		    hash_bytes(window->p, window->len);
	window_memo_keep(&a->memo, line, len, window, whash, session, start,
	    end);
	a->memo_gen++;
	a->memo_bounds = 0;
}

/* The group of a record, found by its key in a->key: its window's text
 * (the remembered one if memo, or that of a session), then its group
 * values. NULL when the record is late here. */
static struct group *
keyed_group(struct aggregator *a, const struct json_span *v, int memo,
    int session, hs_time start, hs_time end, uint32_t source)
{
	size_t i, wlen;
	uint64_t whash;
	const char *p;
	size_t n;

	buf_reset(&a->key);
	if (session)
		buf_puts(&a->key, SESSION_KEY);
	else if (v[SLOT_WINDOW].type != JSON_NONE)
		buf_put(&a->key, v[SLOT_WINDOW].p, v[SLOT_WINDOW].len);
	wlen = a->key.len;
	whash = memo ? a->memo.hash : hash_bytes(a->key.p, wlen);
	for (i = 0; i < a->ngroup; i++) {
		key_value(&v[SLOT_GROUPS + i], &p, &n);
		buf_putc(&a->key, KEY_SEP);
		buf_put(&a->key, p, n);
	}
	if (a->role == ROLE_PARTIAL)
		partial_key(a, source);
	return session ? find_session(a, start, end) :
	    find_group(a, &v[SLOT_WINDOW], memo, wlen, whash);
}

/*
 * One record: find its group and fold its values in. A missing group
 * field is the null group; a null or missing value is skipped by the
 * aggregates of its field, as SQL does, but the record is counted. The
 * event time of a session record is its window's start.
 *
 * A record of the remembered window looks its group up in memo_groups
 * first, by its group values alone; what the key's lookup finds is
 * remembered there while the memo and the table stay as they are.
 */
static void
aggregate_record(struct aggregator *a, struct line_reader *lr, char *line,
    size_t len)
{
	struct json_span v[SLOT_GROUPS + 2 * MAX_KEYS + 2], *value;
	double values[MAX_KEYS];
	int present[MAX_KEYS], session, memo, remembered;
	struct json_error err;
	struct group *g = NULL;
	hs_time t = AGG_NO_TIME, start = AGG_NO_TIME, end = AGG_NO_TIME;
	struct memo_group *slot = NULL;
	size_t i, nf = a->spec.nfields;
	uint32_t source = 0;
	int64_t offset = -1;

	if ((memo = window_memo_scan(&a->memo, line, len, &a->keys, v,
	    &err)) == -1) {
		hs_bad_json(lr_name(lr), lr_lineno(lr), line, len, &err);
		return;
	}
	if (a->role == ROLE_PARTIAL && partial_source(a, lr, &v[a->nscan - 1],
	    &source, &offset) == -1)
		return;
	for (i = 0; i < nf; i++) {
		value = &v[SLOT_GROUPS + a->ngroup + i];
		present[i] = value->type != JSON_NONE &&
		    value->type != JSON_NULL;
		if (present[i] && json_number(value, &values[i]) == -1) {
			hs_bad_record(lr_name(lr), lr_lineno(lr),
			    "not a finite number in field '%s'",
			    a->spec.fields[i]);
			return;
		}
	}
	if (memo) {
		session = a->memo.session;
		start = a->memo.start;
		end = a->memo.end;
	} else if ((session = session_window(lr, &v[SLOT_WINDOW], &start,
	    &end)) == -1)
		return;
	if (session && a->role == ROLE_PARTIAL) {
		hs_bad_record(lr_name(lr), lr_lineno(lr), "a session window: "
		    "sessions of several machines do not merge (--partial)");
		return;
	}
	if (session)
		t = start;
	else if (a->spec.need_time && record_time(a, lr,
	    &v[SLOT_GROUPS + a->ngroup + nf], &t) == -1)
		return;
	if (!memo)
		remember_window(a, line, len, &v[SLOT_WINDOW], session, start,
		    end);
	remembered = memo && !session && a->role == ROLE_AGG;
	if (remembered)
		g = remembered_group(a, &v[SLOT_GROUPS], v[SLOT_WINDOW].len,
		    &slot);
	if (g == NULL) {
		if ((g = keyed_group(a, v, memo, session, start, end,
		    source)) == NULL)
			return;
		if (remembered) {
			slot->g = g;
			slot->gen = a->memo_gen;
		}
	}
	if (a->role == ROLE_PARTIAL)
		partial_record(a, g, source, offset);
	g->count++;
	g->dirty = 1;
	span_add(&g->span, t);
	for (i = 0; i < nf; i++)
		if (present[i])
			field_add(&g->f[i], values[i], t, a->spec.keep_values);
}

/* The order of one key value: null first, then numbers by value, then
 * the other values by their bytes. */
static int
value_order(const char *x, size_t xn, const char *y, size_t yn)
{
	int rx = xn == 4 && memcmp(x, "null", 4) == 0 ? 0 :
	    (*x == '-' || (*x >= '0' && *x <= '9')) ? 1 : 2;
	int ry = yn == 4 && memcmp(y, "null", 4) == 0 ? 0 :
	    (*y == '-' || (*y >= '0' && *y <= '9')) ? 1 : 2;
	double dx, dy;
	int c;

	if (rx != ry)
		return rx - ry;
	if (rx == 1) {
		dx = strtod(x, NULL);
		dy = strtod(y, NULL);
		if (dx != dy)
			return dx < dy ? -1 : 1;
	}
	c = memcmp(x, y, xn < yn ? xn : yn);
	return c != 0 ? c : (xn > yn) - (xn < yn);
}

static int
group_order(const void *x, const void *y)
{
	const struct group *a = *(struct group *const *)x;
	const struct group *b = *(struct group *const *)y;
	const char *p = a->key, *q = b->key, *pe, *qe;
	int c;

	if (a->windowed != b->windowed)
		return a->windowed - b->windowed;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	for (;;) {	/* the window, then each group value */
		pe = strchr(p, KEY_SEP);
		qe = strchr(q, KEY_SEP);
		if (pe == NULL)
			pe = p + strlen(p);
		if (qe == NULL)
			qe = q + strlen(q);
		if ((c = value_order(p, (size_t)(pe - p), q,
		    (size_t)(qe - q))) != 0)
			return c;
		if (*pe == '\0' || *qe == '\0')
			return (*pe != '\0') - (*qe != '\0');
		p = pe + 1;
		q = qe + 1;
	}
}

/* A session's window in a row: its bounds so far, as Spark's
 * session_window. */
static void
put_session_window(struct buf *out, const struct group *g)
{
	char start[32], end[32];

	time_format_iso(g->start, start);
	time_format_iso(g->end, end);
	buf_printf(out, "\"window\":{\"start\":\"%s\",\"end\":\"%s\"}",
	    start, end);
}


/* A group's row: its window and group values, then its aggregates, or
 * its partial state. */
static void
put_row(struct aggregator *a, struct group *g)
{
	const char *p = g->key, *end = g->key + g->keylen, *sep;
	size_t i;

	buf_reset(&a->out);
	buf_putc(&a->out, '{');
	sep = memchr(p, KEY_SEP, (size_t)(end - p));
	if (sep == NULL)
		sep = end;
	if (g->session)
		put_session_window(&a->out, g);
	else if (sep > p) {
		buf_puts(&a->out, "\"window\":");
		buf_put(&a->out, p, (size_t)(sep - p));
	}
	for (i = 0; i < a->ngroup; i++) {
		p = sep + 1;
		sep = memchr(p, KEY_SEP, (size_t)(end - p));
		if (sep == NULL)
			sep = end;
		if (a->out.len > 1)
			buf_putc(&a->out, ',');
		buf_json_string(&a->out, a->group_fields[i],
		    strlen(a->group_fields[i]));
		buf_putc(&a->out, ':');
		buf_put(&a->out, p, (size_t)(sep - p));
	}
	if (a->role == ROLE_PARTIAL) {
		partial_put_row(a, g);
		return;
	}
	agg_put_results(&a->spec, g->count, &g->span, g->f, &a->out);
	if (a->out.p[1] == ',')
		memmove(a->out.p + 1, a->out.p + 2, --a->out.len - 1);
	buf_put(&a->out, "}\n", 2);
	buf_write(&a->out, stdout);
}

/* Whether a group's row is written now, and whether its state is then
 * dropped: at a watermark (append), at a trigger, or at the end (final). */
static int
emits(const struct aggregator *a, const struct group *g, int final)
{
	switch (a->mode) {
	case MODE_APPEND:
		return final ||
		    (g->windowed && g->end <= group_watermark(a, g));
	case MODE_UPDATE:
		return g->dirty;
	default:
		return 1;
	}
}

static int
drops(const struct aggregator *a, const struct group *g, int final)
{
	if (final)
		return 1;
	if (a->mode == MODE_COMPLETE)
		return 0;
	return g->windowed && g->end <= group_watermark(a, g);
}

static int
drops_now(const struct aggregator *a, const struct group *g, void *final)
{
	return drops(a, g, *(int *)final);
}

void
drop_groups(struct aggregator *a, int (*which)(const struct aggregator *,
    const struct group *, void *), void *arg)
{
	struct group **link, *g;
	size_t i;

	for (i = 0; i < a->nbuckets; i++)
		for (link = &a->table[i]; (g = *link) != NULL;) {
			if (!which(a, g, arg)) {
				link = &g->next;
				continue;
			}
			*link = g->next;
			group_free(a, g);
			a->ngroups--;
		}
}

/* Write the rows due now in window and key order, then drop the groups
 * that are complete. */
void
emit_rows(struct aggregator *a, int final)
{
	struct group **due, *g;
	size_t i, n = 0;

	if (a->ngroups == 0)
		return;
	due = hs_xmalloc(a->ngroups * sizeof(*due));
	for (i = 0; i < a->nbuckets; i++)
		for (g = a->table[i]; g != NULL; g = g->next)
			if (emits(a, g, final))
				due[n++] = g;
	qsort(due, n, sizeof(*due), group_order);
	for (i = 0; i < n; i++) {
		put_row(a, due[i]);
		due[i]->dirty = 0;
	}
	free(due);
	drop_groups(a, drops_now, &final);
}

/* A trigger in update or complete mode: the rows, then a control record
 * that closes the batch. */
static void
fire_trigger(struct aggregator *a, int final)
{
	emit_rows(a, final);
	buf_reset(&a->out);
	control_put_trigger(&a->out, a->batch++);
	buf_write(&a->out, stdout);
}

/* With a processing-time trigger: fire when it is due, also while no input
 * arrives; returns when a line can be read. */
static void
wait_for_input(struct aggregator *a, struct line_reader *lr)
{
	hs_time now = time_monotonic();

	for (;;) {
		if (now >= a->next_trigger) {
			fire_trigger(a, 0);
			while (a->next_trigger <= now)
				a->next_trigger += a->trigger;
		}
		if (lr_poll(lr, (int)((a->next_trigger - now + 999) / 1000)))
			return;
		now = time_monotonic();
	}
}

void
watermark_advanced(struct aggregator *a)
{
	if (a->mode == MODE_APPEND)
		emit_rows(a, 0);
	else if (a->trigger == 0)
		fire_trigger(a, 0);
}

static void
control_record(struct aggregator *a, const char *line, size_t len)
{
	enum control_kind kind = control_kind(line, len);
	struct watermark wm;

	control_note_end(&a->input, kind);
	if (a->role != ROLE_AGG && partial_control(a, kind, line, len))
		return;
	switch (kind) {
	case CONTROL_WATERMARK:
		if (control_watermark(line, len, &wm) == 0 &&
		    streams_watermark(a, &wm))
			watermark_advanced(a);
		break;
	case CONTROL_CHECKPOINT:
		if (a->state != NULL)
			checkpoint_save(a, line, len);
		break;
	case CONTROL_RESUME:
		if (a->state != NULL)
			checkpoint_restore(a, line, len);
		break;
	default:
		break;
	}
}

static void
aggregate_input(struct line_reader *lr, void *arg)
{
	struct aggregator *a = arg;
	char *line;
	size_t len;

	json_keys_init(&a->keys, a->scan_keys, a->nscan);
	for (;;) {
		if (a->trigger > 0)
			wait_for_input(a, lr);
		if ((line = lr_next(lr, &len)) == NULL)
			break;
		if (!control_is(line, len)) {
			if (a->role == ROLE_MERGE)
				merge_record(a, lr, line, len);
			else
				aggregate_record(a, lr, line, len);
			continue;
		}
		control_record(a, line, len);
		fwrite(line, 1, len, stdout);
		putchar('\n');
	}
}

/* The options that shape the state, as a state file must match them. */
static void
open_state(struct aggregator *a, const char *path)
{
	struct buf config = { 0 };
	size_t i;

	buf_printf(&config, "mode=%d ", (int)a->mode);
	if (a->role != ROLE_AGG)
		buf_printf(&config, "role=%d alpha=%.17g ", (int)a->role,
		    a->spec.sketch_alpha);
	buf_puts(&config, "g=");
	for (i = 0; i < a->ngroup; i++)
		buf_printf(&config, "%s%s", i ? "," : "", a->group_fields[i]);
	buf_puts(&config, " a=");
	for (i = 0; i < a->spec.nkind; i++)
		buf_printf(&config, "%s%d", i ? "," : "", (int)a->spec.kind[i]);
	buf_puts(&config, " f=");
	for (i = 0; i < a->spec.nfields; i++)
		buf_printf(&config, "%s%s", i ? "," : "", a->spec.fields[i]);
	a->state = state_open(path, "hs-agg", config.p);
	buf_free(&config);
}

static enum output_mode
parse_mode(const char *arg)
{
	if (strcmp(arg, "append") == 0)
		return MODE_APPEND;
	if (strcmp(arg, "update") == 0)
		return MODE_UPDATE;
	if (strcmp(arg, "complete") == 0)
		return MODE_COMPLETE;
	hs_warn("--mode: expected append, update or complete, not '%s'", arg);
	usage();
}

/* The options into a; returns the index of the first operand. */
static int
parse_options(struct aggregator *a, int argc, char *argv[],
    const char **state_path, double *alpha)
{
	static const struct option longopts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "trigger", required_argument, NULL, 'T' },
		{ "state", required_argument, NULL, 'C' },
		{ "partial", no_argument, NULL, 'P' },
		{ "merge", no_argument, NULL, 'M' },
		{ "streams", required_argument, NULL, 'N' },
		{ "accuracy", required_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *renames = NULL;
	size_t i;
	int ch;

	while ((ch = getopt_long(argc, argv, "a:g:f:r:t:Sh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a':
			if (agg_parse_list(&a->spec, optarg) == -1)
				usage();
			break;
		case 'g':
			free(a->group_list);
			a->group_list = split_list(optarg, a->group_fields,
			    &a->ngroup, MAX_KEYS, "-g");
			break;
		case 'f':
			free(a->field_list);
			a->field_list = split_list(optarg, a->spec.fields,
			    &a->spec.nfields, MAX_KEYS, "-f");
			break;
		case 'r': renames = optarg; break;
		case 't': a->time_field = optarg; break;
		case 'm': a->mode = parse_mode(optarg); break;
		case 'C': *state_path = optarg; break;
		case 'P': a->role = ROLE_PARTIAL; break;
		case 'M': a->role = ROLE_MERGE; break;
		case 'N':
			a->want_streams = (size_t)hs_arg_long("--streams",
			    optarg, 1, 1000000, usage_text);
			break;
		case 'A':
			*alpha = hs_arg_double("--accuracy", optarg, 0.0001,
			    0.5, usage_text);
			break;
		case 'T':
			a->trigger = hs_arg_duration("--trigger", optarg, 0,
			    usage_text);
			break;
		case 'S': hs_set_strict(1); break;
		case 'h': hs_usage(usage_text, 1);
		case 'V': hs_print_version();
		default: usage();
		}
	}
	if (a->spec.nkind == 0) {
		hs_warn("aggregates (-a) are required");
		usage();
	}
	for (i = 0; i < a->spec.nkind; i++)
		if (!agg_of_records(a->spec.kind[i]) && a->spec.nfields == 0) {
			hs_warn("-a: aggregates other than count and duration "
			    "need value fields (-f)");
			usage();
		}
	if (agg_make_names(&a->spec, renames) == -1)
		usage();
	if (a->role == ROLE_PARTIAL && (a->mode != MODE_APPEND || a->trigger)) {
		hs_warn("--partial writes each partial once, when final: not "
		    "with --mode or --trigger (give them to --merge)");
		usage();
	}
	return optind;
}

/*
 * The input is over. When it ended, every open group is final and
 * written. When it stopped (a signal, or a stop record upstream) it will
 * resume: append mode writes nothing that is not final, the open windows
 * wait in the state file (or are said to be lost without one); update and
 * complete modes write a last trigger. When it broke off after checkpoints
 * without an end record, upstream failed: nothing is written.
 */
static void
finish(struct aggregator *a, const char *state_path)
{
	if (a->input.stopped || lr_stopped()) {
		if (a->mode != MODE_APPEND)
			fire_trigger(a, 0);
		else if (a->state == NULL && a->ngroups > 0)
			hs_warn("stopped, not ended: %zu open group%s not "
			    "written (--state keeps them for a resume)",
			    a->ngroups, a->ngroups == 1 ? "" : "s");
	} else {
		if (a->state != NULL && a->input.checkpointed &&
		    !a->input.ended)
			hs_fatal("input ended without an end record: upstream "
			    "failed; open windows not written, state kept in "
			    "%s", state_path);
		if (a->mode == MODE_APPEND)
			emit_rows(a, 1);
		else
			fire_trigger(a, 1);
		partial_end(a);
		merge_report(a);
	}
	if (a->late > 0)
		hs_warn("%lu late record%s dropped: %s window was already "
		    "final here", a->late, a->late == 1 ? "" : "s",
		    a->late == 1 ? "its" : "their");
}

static void
free_aggregator(struct aggregator *a)
{
	struct group *g, *next;
	size_t i;

	for (i = 0; i < a->nbuckets; i++)
		for (g = a->table[i]; g != NULL; g = next) {
			next = g->next;
			group_free(a, g);
		}
	partial_free(a);
	free(a->table);
	buf_free(&a->key);
	buf_free(&a->out);
	agg_free_names(&a->spec);
	free(a->group_list);
	free(a->field_list);
	free(a->streams);
}

int
main(int argc, char *argv[])
{
	struct aggregator a;
	const char *state_path = NULL;
	double alpha = SKETCH_DEFAULT_ALPHA;
	size_t i;
	int first;

	hs_init("hs-agg");
	lr_stop_on_signals();
	memset(&a, 0, sizeof(a));
	a.watermark = INT64_MIN;
	a.memo_gen = 1;	/* no slot of memo_groups counts yet */
	a.time_field = "timestamp";
	first = parse_options(&a, argc, argv, &state_path, &alpha);
	buf_reserve(&a.key, 256);	/* never NULL, even for an empty key */
	a.scan_keys[a.nscan++] = "window";
	for (i = 0; i < a.ngroup; i++)
		a.scan_keys[a.nscan++] = a.group_fields[i];
	for (i = 0; i < a.spec.nfields; i++)
		a.scan_keys[a.nscan++] = a.spec.fields[i];
	if (a.spec.need_time)
		a.scan_keys[a.nscan++] = a.time_field;
	if (a.role != ROLE_AGG)
		partial_init(&a, alpha);
	if (a.mode == MODE_APPEND)
		a.trigger = 0;	/* rows are written when they are final */
	if (state_path != NULL)
		open_state(&a, state_path);
	a.next_trigger = time_monotonic() + a.trigger;
	lr_each_input(argc - first, argv + first, aggregate_input, &a);
	finish(&a, state_path);
	state_close(a.state);
	free_aggregator(&a);
	return hs_finish();
}
