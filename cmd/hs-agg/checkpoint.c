/*
 * checkpoint.c - saving and restoring the open groups of hs-agg at
 * checkpoint control records (see state.h and hs(7)).
 *
 * The state is one JSON object:
 *   {"watermark":W,"batch":B,"late":L,"streams":[{"id":I,"watermark":W,
 *    "final":0|1},...],"groups":[{"key":K,"windowed":0|1,"start":S,
 *    "end":E,"count":C,"dirty":0|1,"fields":[[n,sum,mean,m2,min,max,first,
 *    last,cxy,[values...],first_time,last_time],...],"span":[min,max]},
 *    ...]}
 * (a field may lack cxy, the slope's co-moment, as an older hs-agg wrote)
 * (a field may lack its two times: first and last then follow input order;
 * a group may lack its span: it has no event times). A session's key
 * starts with SESSION_KEY; a key may come several times, for sessions
 * that neither overlap nor touch.
 * Numbers print in their shortest exact form, so a restored group is
 * bit-for-bit the group that was saved. A restored state is checked as
 * input is: a key must be a window and one JSON value per group field, as
 * hs-agg makes them, a field may not hold more values than the group
 * records (fewer when some were null), and no key may come twice (but
 * for sessions, above), so that a crafted file with a correct checksum is
 * refused rather than trusted.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "control.h"
#include "hs-agg.h"
#include "json.h"
#include "state.h"
#include "timefmt.h"

/* The state goes to its file in pieces of about this size, so a
 * checkpoint holds no second copy of the open groups in memory. */
#define WRITE_AT (1 << 16)

static void
put_field(struct buf *b, const struct field_state *f)
{
	const double d[] = { f->sum, f->mean, f->m2, f->min, f->max, f->first,
	    f->last, f->cxy };
	size_t i;

	buf_printf(b, "[%lu", f->n);
	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		buf_putc(b, ',');
		buf_json_number(b, d[i]);
	}
	buf_puts(b, ",[");
	for (i = 0; i < f->nvalues; i++) {
		if (i > 0)
			buf_putc(b, ',');
		buf_json_number(b, f->values[i]);
	}
	buf_printf(b, "],%lld,%lld]", (long long)f->first_time,
	    (long long)f->last_time);
}

static void
put_group(struct buf *b, const struct aggregator *a, const struct group *g)
{
	size_t i;

	buf_puts(b, "{\"key\":");
	buf_json_string(b, g->key, g->keylen);
	buf_printf(b, ",\"windowed\":%d,\"start\":%lld,\"end\":%lld,"
	    "\"count\":%lu,\"dirty\":%d,\"fields\":[", g->windowed,
	    (long long)g->start, (long long)g->end, g->count, g->dirty);
	for (i = 0; i < a->spec.nfields; i++) {
		if (i > 0)
			buf_putc(b, ',');
		put_field(b, &g->f[i]);
	}
	buf_printf(b, "],\"span\":[%lld,%lld]", (long long)g->span.min,
	    (long long)g->span.max);
	partial_put_group(a, g, b);
	buf_putc(b, '}');
}

void
checkpoint_save(struct aggregator *a, const char *line, size_t len)
{
	struct state_writer *w = state_begin(a->state, line, len);
	struct buf b = { 0 };
	struct group *g;
	size_t i, n = 0;

	buf_printf(&b, "{\"watermark\":%lld,\"batch\":%lu,\"late\":%lu,"
	    "\"streams\":", (long long)a->watermark, a->batch, a->late);
	streams_put(a, &b);
	buf_puts(&b, ",\"groups\":[");
	for (i = 0; i < a->nbuckets; i++)
		for (g = a->table[i]; g != NULL; g = g->next) {
			if (n++ > 0)
				buf_putc(&b, ',');
			put_group(&b, a, g);
			if (b.len >= WRITE_AT) {
				state_write(w, b.p, b.len);
				buf_reset(&b);
			}
		}
	buf_putc(&b, ']');
	partial_save(a, &b);
	buf_putc(&b, '}');
	state_write(w, b.p, b.len);
	state_commit(w);
	buf_free(&b);
}

/* An event time of a field: an instant, or none. */
static int
valid_time(long long t)
{
	return t == AGG_NO_TIME || time_in_range(t);
}

static int
restore_field(const struct json_span *arr, struct field_state *f,
    int keep_values)
{
	double *d[] = { &f->sum, &f->mean, &f->m2, &f->min, &f->max,
	    &f->first, &f->last };
	struct json_span v, values;
	const char *cursor = NULL, *vc = NULL;
	long long n, first_time = AGG_NO_TIME, last_time = AGG_NO_TIME;
	size_t i;
	double x;

	if (arr->type != JSON_ARRAY || !json_next_element(arr, &cursor, &v) ||
	    json_int(&v, &n) == -1 || n < 0)
		return -1;
	f->n = (unsigned long)n;
	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		if (!json_next_element(arr, &cursor, &v) ||
		    json_number(&v, d[i]) == -1)
			return -1;
	if (!json_next_element(arr, &cursor, &values))
		return -1;
	/* the slope's co-moment came later: a state without it has none */
	if (values.type == JSON_NUMBER &&
	    (json_number(&values, &f->cxy) == -1 ||
	    !json_next_element(arr, &cursor, &values)))
		return -1;
	if (values.type != JSON_ARRAY)
		return -1;
	while (json_next_element(&values, &vc, &v)) {
		if (json_number(&v, &x) == -1 || !keep_values)
			return -1;
		field_add_value(f, x);
	}
	if (json_next_element(arr, &cursor, &v) && (json_int(&v, &first_time)
	    == -1 || !json_next_element(arr, &cursor, &v) ||
	    json_int(&v, &last_time) == -1 || !valid_time(first_time) ||
	    !valid_time(last_time) || json_next_element(arr, &cursor, &v)))
		return -1;
	f->first_time = first_time;
	f->last_time = last_time;
	return keep_values && f->nvalues != f->n ? -1 : 0;
}

/* Whether a key is a window (empty; a window object with bounds start
 * and end when windowed; or SESSION_KEY, setting *session, for a session
 * window [start, end)) and then, after each KEY_SEP, one JSON value per
 * group field. */
static int
valid_key(const struct aggregator *a, const char *key, size_t len,
    int windowed, hs_time start, hs_time end, int *session)
{
	const char *p = key, *stop = key + len, *sep;
	struct json_span window;
	hs_time s, e;
	size_t i;

	sep = memchr(p, KEY_SEP, len);
	window.p = p;
	window.len = (size_t)((sep ? sep : stop) - p);
	window.type = window.len > 0 && *p == '{' ? JSON_OBJECT : JSON_NONE;
	*session = window.len == strlen(SESSION_KEY) &&
	    memcmp(p, SESSION_KEY, window.len) == 0;
	if (window.len > 0 && json_skip_value(p, p + window.len) !=
	    p + window.len)
		return 0;
	if (*session ? !windowed : windowed != (window_bounds(&window, &s,
	    &e) == 0) || (windowed && (s != start || e != end)))
		return 0;
	for (i = 0; i < a->ngroup + (a->role == ROLE_PARTIAL); i++) {
		if (sep == NULL)
			return 0;
		p = sep + 1;
		sep = memchr(p, KEY_SEP, (size_t)(stop - p));
		if (json_skip_value(p, sep ? sep : stop) != (sep ? sep : stop))
			return 0;
	}
	return sep == NULL;
}

/* The event-time span of a group, if the state has one: 0, or -1. */
static int
restore_span(const struct json_span *obj, struct time_span *span)
{
	struct json_span arr = json_member(obj, "span"), v;
	const char *cursor = NULL;
	long long min, max;

	if (arr.type == JSON_NONE)
		return 0;	/* an older hs-agg's state */
	if (arr.type != JSON_ARRAY || !json_next_element(&arr, &cursor, &v) ||
	    json_int(&v, &min) == -1 || !json_next_element(&arr, &cursor, &v) ||
	    json_int(&v, &max) == -1 || json_next_element(&arr, &cursor, &v) ||
	    (min == AGG_NO_TIME) != (max == AGG_NO_TIME) ||
	    (min != AGG_NO_TIME && (!time_in_range(min) ||
	    !time_in_range(max) || min > max)))
		return -1;
	span->min = min;
	span->max = max;
	return 0;
}

static int
restore_group(struct aggregator *a, const struct json_span *obj)
{
	struct json_span key = json_member(obj, "key"), fields, f;
	long long windowed, start, end, count, dirty;
	const char *cursor = NULL;
	struct group *g;
	int session;
	char *text;
	long n;
	size_t i;

	if (key.type != JSON_STRING ||
	    json_member_int(obj, "windowed", &windowed) == -1 ||
	    json_member_int(obj, "start", &start) == -1 ||
	    json_member_int(obj, "end", &end) == -1 ||
	    json_member_int(obj, "count", &count) == -1 || count < 1 ||
	    json_member_int(obj, "dirty", &dirty) == -1 ||
	    (windowed != 0 && windowed != 1) || (dirty != 0 && dirty != 1) ||
	    (windowed && (!time_in_range(start) || !time_in_range(end) ||
	    start >= end)))
		return -1;
	text = hs_xmalloc(key.len);
	if ((n = json_string(&key, text, key.len)) == -1 ||
	    !valid_key(a, text, (size_t)n, (int)windowed, start, end,
	    &session) || (session ? session_lookup(a, text, (size_t)n, start,
	    end) : group_lookup(a, text, (size_t)n)) != NULL) {
		free(text);
		return -1;
	}
	g = group_insert(a, text, (size_t)n);
	free(text);
	g->windowed = windowed != 0;
	g->session = session;
	g->start = start;
	g->end = end;
	g->count = (unsigned long)count;
	g->dirty = dirty != 0;
	fields = json_member(obj, "fields");
	if (fields.type != JSON_ARRAY || restore_span(obj, &g->span) == -1)
		return -1;
	for (i = 0; i < a->spec.nfields; i++)
		if (!json_next_element(&fields, &cursor, &f) ||
		    restore_field(&f, &g->f[i], a->spec.keep_values) == -1 ||
		    g->f[i].n > g->count || g->f[i].min > g->f[i].max)
			return -1;
	return partial_restore_group(a, g, obj);
}

static void
drop_all_groups(struct aggregator *a)
{
	struct group *g, *next;
	size_t i;

	for (i = 0; i < a->nbuckets; i++) {
		for (g = a->table[i]; g != NULL; g = next) {
			next = g->next;
			group_free(a, g);
		}
		a->table[i] = NULL;
	}
	a->ngroups = 0;
}

void
checkpoint_restore(struct aggregator *a, const char *line, size_t len)
{
	struct json_span obj, groups, g;
	const char *cursor = NULL;
	long long id, watermark, batch, late = 0;
	char *text;

	text = state_resume(a->state, line, len, &id);
	drop_all_groups(a);
	if (json_object_span(text, &obj) == -1 ||
	    json_member_int(&obj, "watermark", &watermark) == -1 ||
	    (watermark != INT64_MIN && !time_in_range(watermark)) ||
	    json_member_int(&obj, "batch", &batch) == -1 || batch < 0)
		hs_fatal("cannot resume: checkpoint %lld is malformed", id);
	groups = json_member(&obj, "groups");
	g = json_member(&obj, "streams");
	if (groups.type != JSON_ARRAY || partial_restore(a, &obj) == -1 ||
	    streams_restore(a, &g) == -1 ||
	    (json_member(&obj, "late").type != JSON_NONE &&
	    (json_member_int(&obj, "late", &late) == -1 || late < 0)))
		hs_fatal("cannot resume: checkpoint %lld is malformed", id);
	while (json_next_element(&groups, &cursor, &g))
		if (g.type != JSON_OBJECT || restore_group(a, &g) == -1)
			hs_fatal("cannot resume: a group of checkpoint %lld "
			    "is malformed", id);
	a->watermark = watermark;
	a->batch = (unsigned long)batch;
	a->late = (unsigned long)late;
	free(text);
}
