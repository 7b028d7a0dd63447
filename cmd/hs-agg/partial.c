/*
 * partial.c - partial aggregates of hs-agg on several machines
 * (--partial), and their merge (--merge); hs-agg(1), "MORE THAN ONE
 * MACHINE".
 *
 * --partial: a record's group is also keyed by its source partition (the
 * "_src" of hs-kafkacat -C --source), so that a group holds the events of
 * one partition in one window and key: any instance that reads that
 * partition makes the same group. It is written as a partial row when the
 * partition's watermark (hs-window --per-partition names each partition's
 * stream "topic/partition") passes the window's end. Then a progress row
 * tells the merge how far the partition has come, and a commit record
 * gives for each partition the first offset of its oldest open window:
 * from there, a reader makes again every partial not yet written.
 *
 * --merge: a partial row merges into its (window, key) group once per
 * source partition; a partial seen again is dropped. The merge reads the
 * partitions of the partials topic ("lanes", named by the "_src" of
 * hs-kafkacat -C --source); progress rows reach every lane, after the
 * partials written before them, so the watermark of a lane is the minimum
 * over the source partitions it has heard of (at least --streams of them)
 * that have not ended.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "control.h"
#include "hs-agg.h"
#include "json.h"
#include "jsonw.h"
#include "positions.h"
#include "strtab.h"
#include "timefmt.h"

/* A source partition, by its number in the names table. */
struct source {
	char *topic;
	int32_t partition;
	hs_time watermark;	/* --partial: of its stream */
	int64_t next;		/* --partial: last record's offset + 1 */
	int held;		/* --partial: its records are read here */
	int final;		/* --partial: its stream has ended */
};

/* What a lane of the merge knows of each source partition. */
enum heard { UNHEARD, HEARD, ENDED };

struct lane {
	hs_time *watermark;	/* per source */
	hs_time *joined;	/* the lane's watermark when it was heard */
	uint8_t *heard;		/* enum heard, per source */
	size_t n, nheard;
	hs_time min;		/* the lane's watermark */
};

struct partials {
	struct strtab *names;	/* sources, "topic/partition" */
	struct source *src;
	size_t cap;
	struct strtab *lane_names;	/* lanes, "topic/partition", or "" */
	struct lane *lanes;
	size_t lanes_cap;
	struct buf last_topic, last_partition;	/* of the last record */
	uint32_t last_source;
	/* --merge: window, groups, rest */
	const char *scan[4 + MAX_KEYS];
	struct json_keys keys;		/* scan, prepared once */
	unsigned long duplicates, late;
	struct buf b;
};

/* The members of the partial state of a field the aggregates need. */
enum {
	NEED_SUM = 1, NEED_MOMENTS = 2, NEED_MIN = 4, NEED_MAX = 8,
	NEED_FIRST = 16, NEED_LAST = 32, NEED_CXY = 64, NEED_SKETCH = 128,
	NEED_SPAN = 256	/* of the group's event times */
};

static unsigned
needs(const struct agg_spec *spec)
{
	unsigned need = 0;
	size_t k;

	for (k = 0; k < spec->nkind; k++)
		switch (spec->kind[k]) {
		case AGG_COUNT: case AGG_NONNULL: break;
		case AGG_SUM: need |= NEED_SUM; break;
		case AGG_AVG: need |= NEED_SUM | NEED_MOMENTS; break;
		case AGG_VAR: case AGG_STDDEV: need |= NEED_MOMENTS; break;
		case AGG_MIN: need |= NEED_MIN; break;
		case AGG_MAX: need |= NEED_MAX; break;
		case AGG_FIRST: need |= NEED_FIRST; break;
		case AGG_LAST: need |= NEED_LAST; break;
		case AGG_SLOPE: need |= NEED_MOMENTS | NEED_CXY; break;
		case AGG_DURATION: need |= NEED_SPAN; break;
		default: need |= NEED_SKETCH; break;
		}
	return need;
}

static struct partials *
partials_new(const struct aggregator *a)
{
	struct partials *pt = hs_xmalloc(sizeof(*pt));
	size_t i, n = 0;

	memset(pt, 0, sizeof(*pt));
	pt->names = strtab_new();
	pt->lane_names = strtab_new();
	pt->scan[n++] = "window";
	for (i = 0; i < a->ngroup; i++)
		pt->scan[n++] = a->group_fields[i];
	pt->scan[n++] = "_partial";
	pt->scan[n++] = "_progress";
	pt->scan[n++] = "_src";
	json_keys_init(&pt->keys, pt->scan, n);
	return pt;
}

static void
partials_free(struct partials *pt)
{
	size_t i;

	for (i = 0; i < strtab_count(pt->names); i++)
		free(pt->src[i].topic);
	for (i = 0; i < strtab_count(pt->lane_names); i++) {
		free(pt->lanes[i].watermark);
		free(pt->lanes[i].joined);
		free(pt->lanes[i].heard);
	}
	free(pt->src);
	free(pt->lanes);
	strtab_free(pt->names);
	strtab_free(pt->lane_names);
	buf_free(&pt->last_topic);
	buf_free(&pt->last_partition);
	buf_free(&pt->b);
	free(pt);
}

void
partial_init(struct aggregator *a, double alpha)
{
	a->pt = partials_new(a);
	if (a->spec.keep_values) {	/* percentiles from sketches */
		a->spec.keep_values = 0;
		a->spec.sketch_alpha = alpha;
	}
	if (a->role == ROLE_PARTIAL)
		a->scan_keys[a->nscan++] = "_src";
}

void
partial_free(struct aggregator *a)
{
	if (a->pt != NULL)
		partials_free(a->pt);
	a->pt = NULL;
}

/* The number of a source partition named "topic/partition" (added if
 * new), or -1 when the name is not of that form. */
static long
source_id(struct partials *pt, const char *name, size_t len)
{
	const char *slash = memrchr(name, '/', len), *d;
	struct source *s;
	size_t id;
	int added;
	long p = 0;

	if (slash == NULL || slash == name || slash + 1 == name + len ||
	    name + len - slash > 11)
		return -1;
	for (d = slash + 1; d < name + len; d++) {
		if (*d < '0' || *d > '9')
			return -1;
		p = p * 10 + (*d - '0');
	}
	if (p > INT32_MAX)
		return -1;
	id = strtab_add(pt->names, name, len, &added);
	if (!added)
		return (long)id;
	if (id >= pt->cap) {
		pt->cap = pt->cap ? 2 * pt->cap : 16;
		pt->src = hs_xrealloc(pt->src, pt->cap * sizeof(*pt->src));
	}
	s = &pt->src[id];
	memset(s, 0, sizeof(*s));
	s->topic = hs_xmalloc((size_t)(slash - name) + 1);
	memcpy(s->topic, name, (size_t)(slash - name));
	s->topic[slash - name] = '\0';
	s->partition = (int32_t)p;
	s->watermark = INT64_MIN;
	s->next = -1;
	return (long)id;
}

static const char *
name_of(const struct partials *pt, uint32_t id, size_t *len)
{
	return strtab_key(pt->names, id, len);
}

int
partial_source(struct aggregator *a, struct line_reader *lr,
    const struct json_span *src, uint32_t *id, int64_t *offset)
{
	struct partials *pt = a->pt;
	struct json_span topic, partition, off;
	long long p, o = -1;
	char name[300];
	long n;

	topic = json_member(src, "topic");
	partition = json_member(src, "partition");
	off = json_member(src, "offset");
	if (src->type != JSON_OBJECT || topic.type != JSON_STRING ||
	    json_int(&partition, &p) == -1 || p < 0 || p > INT32_MAX ||
	    (off.type != JSON_NONE && (json_int(&off, &o) == -1 || o < 0))) {
		hs_bad_record(lr_name(lr), lr_lineno(lr),
		    "no source partition: --partial needs \"_src\" with a "
		    "topic and a partition (hs-kafkacat -C --source)");
		return -1;
	}
	*offset = o;
	if (pt->last_topic.len == topic.len &&
	    pt->last_partition.len == partition.len &&
	    memcmp(pt->last_topic.p, topic.p, topic.len) == 0 &&
	    memcmp(pt->last_partition.p, partition.p, partition.len) == 0) {
		*id = pt->last_source;
		return 0;
	}
	if ((n = source_name(name, sizeof(name), &topic, p)) == -1) {
		hs_bad_record(lr_name(lr), lr_lineno(lr), "not a Kafka topic "
		    "name in \"_src\"");
		return -1;
	}
	*id = (uint32_t)source_id(pt, name, (size_t)n);
	buf_reset(&pt->last_topic);
	buf_put(&pt->last_topic, topic.p, topic.len);
	buf_reset(&pt->last_partition);
	buf_put(&pt->last_partition, partition.p, partition.len);
	pt->last_source = *id;
	return 0;
}

void
partial_key(struct aggregator *a, uint32_t id)
{
	size_t len;
	const char *name = name_of(a->pt, id, &len);

	buf_putc(&a->key, KEY_SEP);
	buf_json_string(&a->key, name, len);
}

void
partial_record(struct aggregator *a, struct group *g, uint32_t id,
    int64_t offset)
{
	struct source *s = &a->pt->src[id];

	if (g->count == 0 || (offset >= 0 && (g->first_offset < 0 ||
	    offset < g->first_offset))) {
		g->source = id;
		g->first_offset = offset;
	}
	if (offset >= 0 && offset + 1 > s->next)
		s->next = offset + 1;
	s->held = 1;
}

hs_time
group_watermark(const struct aggregator *a, const struct group *g)
{
	const struct partials *pt = a->pt;
	hs_time wm, min = INT64_MAX;
	size_t i;

	switch (a->role) {
	case ROLE_PARTIAL:
		wm = pt->src[g->source].watermark;
		return wm > a->watermark ? wm : a->watermark;
	case ROLE_MERGE:
		if (g->source != UINT32_MAX)
			return pt->lanes[g->source].min;
		for (i = 0; i < strtab_count(pt->lane_names); i++)
			if (pt->lanes[i].min < min)
				min = pt->lanes[i].min;
		return min;
	default:
		return a->watermark;
	}
}

static void
put_time(struct buf *b, const char *name, hs_time t)
{
	char iso[40];

	buf_printf(b, ",\"%s\":", name);
	if (t == AGG_NO_TIME) {
		buf_puts(b, "null");
		return;
	}
	time_format_iso(t, iso);
	buf_printf(b, "\"%s\"", iso);
}

static void
put_number(struct buf *b, const char *name, double v)
{
	buf_printf(b, ",\"%s\":", name);
	buf_json_number(b, v);
}

/* The state of one field, as the aggregates need it. */
static void
put_state(const struct field_state *f, unsigned need, struct buf *b)
{
	buf_printf(b, "{\"n\":%lu", f->n);
	if (f->n > 0 && (need & NEED_SUM))
		put_number(b, "sum", f->sum);
	if (f->n > 0 && (need & NEED_MOMENTS)) {
		put_number(b, "mean", f->mean);
		put_number(b, "m2", f->m2);
	}
	if (f->n > 0 && (need & NEED_MIN))
		put_number(b, "min", f->min);
	if (f->n > 0 && (need & NEED_MAX))
		put_number(b, "max", f->max);
	if (f->n > 0 && (need & NEED_FIRST)) {
		put_number(b, "first", f->first);
		put_time(b, "first_time", f->first_time);
	}
	if (f->n > 0 && (need & NEED_LAST)) {
		put_number(b, "last", f->last);
		put_time(b, "last_time", f->last_time);
	}
	if (f->n > 0 && (need & NEED_CXY))
		put_number(b, "cxy", f->cxy);
	if (f->n > 0 && (need & NEED_SKETCH) && f->sketch != NULL) {
		buf_puts(b, ",\"sketch\":");
		sketch_put(f->sketch, b);
	}
	buf_putc(b, '}');
}

void
partial_put_row(struct aggregator *a, struct group *g)
{
	const char *sep = memrchr(g->key, KEY_SEP, g->keylen), *name;
	unsigned need = needs(&a->spec);
	size_t i, len;

	if (a->out.len > 1)
		buf_putc(&a->out, ',');
	/* the message key: one window and key go to one partition */
	buf_printf(&a->out, "\"_key\":\"%016llx\",\"_partial\":{\"source\":",
	    (unsigned long long)hash_bytes(g->key, (size_t)(sep - g->key)));
	name = name_of(a->pt, g->source, &len);
	buf_json_string(&a->out, name, len);
	buf_printf(&a->out, ",\"count\":%lu", g->count);
	if (need & NEED_SPAN) {
		put_time(&a->out, "span_min", g->span.min);
		put_time(&a->out, "span_max", g->span.max);
	}
	buf_puts(&a->out, ",\"fields\":{");
	for (i = 0; i < a->spec.nfields; i++) {
		if (i > 0)
			buf_putc(&a->out, ',');
		buf_json_string(&a->out, a->spec.fields[i],
		    strlen(a->spec.fields[i]));
		buf_putc(&a->out, ':');
		put_state(&g->f[i], need, &a->out);
	}
	buf_puts(&a->out, "}}}\n");
	buf_write(&a->out, stdout);
}

static void
put_progress(struct aggregator *a, uint32_t id)
{
	const struct source *s = &a->pt->src[id];
	hs_time wm = s->watermark > a->watermark ? s->watermark : a->watermark;
	struct buf *b = &a->pt->b;
	const char *name;
	char iso[40];
	size_t len;

	buf_reset(b);
	buf_puts(b, "{\"_progress\":{\"source\":");
	name = name_of(a->pt, id, &len);
	buf_json_string(b, name, len);
	if (wm != INT64_MIN && wm != INT64_MAX) {
		time_format_iso(wm, iso);
		buf_printf(b, ",\"watermark\":\"%s\"", iso);
	}
	buf_puts(b, s->final ? ",\"final\":true}}\n" : "}}\n");
	buf_write(b, stdout);
}

/* The commit record: for each source read here, the first offset of its
 * oldest open group, else the offset after its last record. */
static void
put_commit(struct aggregator *a)
{
	struct partials *pt = a->pt;
	size_t i, n = strtab_count(pt->names);
	struct positions ps = { 0 };
	int64_t *first = hs_xmalloc((n + 1) * sizeof(*first));
	struct group *g;

	for (i = 0; i < n; i++)
		first[i] = pt->src[i].next;
	for (i = 0; i < a->nbuckets; i++)
		for (g = a->table[i]; g != NULL; g = g->next)
			if (g->first_offset >= 0 &&
			    g->first_offset < first[g->source])
				first[g->source] = g->first_offset;
	for (i = 0; i < n; i++)
		if (pt->src[i].held && first[i] >= 0)
			positions_add(&ps, pt->src[i].topic,
			    pt->src[i].partition, first[i]);
	free(first);
	buf_reset(&pt->b);
	control_put_commit(&pt->b, &ps);
	buf_write(&pt->b, stdout);
	positions_clear(&ps);
	free(ps.p);
}

static int
is_of(const struct aggregator *a, const struct group *g, void *arg)
{
	(void)a;
	return g->source == *(uint32_t *)arg;
}

/* A watermark record: of one source partition when its stream is named
 * so, else of the whole input. */
static void
partial_watermark(struct aggregator *a, const char *line, size_t len)
{
	struct partials *pt = a->pt;
	struct watermark wm;
	long id = -1;
	size_t i;

	if (control_watermark(line, len, &wm) == -1)
		return;
	if (wm.stream[0] != '\0')
		id = source_id(pt, wm.stream, strlen(wm.stream));
	if (id >= 0) {
		if (wm.time > pt->src[id].watermark)
			pt->src[id].watermark = wm.time;
		if (wm.final) {
			pt->src[id].final = 1;
			pt->src[id].watermark = INT64_MAX;
		}
	} else if (wm.time > a->watermark)
		a->watermark = wm.time;
	emit_rows(a, 0);
	for (i = 0; i < strtab_count(pt->names); i++)
		if (pt->src[i].held && (id < 0 || (long)i == id))
			put_progress(a, (uint32_t)i);
	put_commit(a);
}

/* A revoke record: the partitions are read elsewhere now; their groups
 * are dropped unwritten, as their new reader makes them again. With
 * --merge the partitions are lanes, and what the lane knew of its sources
 * stays: windows written before are not written again if it comes back. */
static void
revoke_partition(const char *name, size_t len, void *arg)
{
	struct aggregator *a = arg;
	struct source *s;
	uint32_t id;
	long found;

	if ((found = strtab_find(a->role == ROLE_MERGE ? a->pt->lane_names :
	    a->pt->names, name, len)) < 0)
		return;
	id = (uint32_t)found;
	drop_groups(a, is_of, &id);
	if (a->role == ROLE_MERGE)
		return;
	s = &a->pt->src[id];
	s->held = s->final = 0;
	s->next = -1;
	s->watermark = INT64_MIN;
}

static void
partial_revoke(struct aggregator *a, const char *line, size_t len)
{
	positions_revoked(line, len, revoke_partition, a);
	if (a->role == ROLE_PARTIAL)
		put_commit(a);
}

int
partial_control(struct aggregator *a, enum control_kind kind,
    const char *line, size_t len)
{
	if (kind == CONTROL_REVOKE)
		partial_revoke(a, line, len);
	else if (a->role == ROLE_MERGE)	/* each lane has its watermark */
		return kind == CONTROL_WATERMARK;
	else if (kind == CONTROL_WATERMARK)
		partial_watermark(a, line, len);
	else
		return 0;
	return 1;
}

void
partial_end(struct aggregator *a)
{
	struct partials *pt = a->pt;
	size_t i;

	if (a->role != ROLE_PARTIAL)
		return;	/* also without partial_init */
	for (i = 0; i < strtab_count(pt->names); i++)
		if (pt->src[i].held) {
			pt->src[i].final = 1;
			put_progress(a, (uint32_t)i);
		}
	put_commit(a);
}

/* --merge */

static struct lane *
lane_of(struct partials *pt, const struct json_span *src, uint32_t *id)
{
	struct json_span topic = json_member(src, "topic");
	long long partition = 0;
	struct lane *l;
	char name[300];
	size_t i;
	long n = 0;
	int added;

	if (src->type == JSON_OBJECT && topic.type == JSON_STRING &&
	    json_member_int(src, "partition", &partition) == 0 &&
	    (n = json_string(&topic, name, sizeof(name) - 24)) > 0)
		n += snprintf(name + n, 24, "/%lld", partition);
	*id = (uint32_t)strtab_add(pt->lane_names, name,
	    (size_t)(n > 0 ? n : 0), &added);
	if (added) {
		if (*id >= pt->lanes_cap) {
			pt->lanes_cap = pt->lanes_cap ? 2 * pt->lanes_cap : 16;
			pt->lanes = hs_xrealloc(pt->lanes,
			    pt->lanes_cap * sizeof(*pt->lanes));
		}
		memset(&pt->lanes[*id], 0, sizeof(pt->lanes[*id]));
		pt->lanes[*id].min = INT64_MIN;
	}
	l = &pt->lanes[*id];
	if (l->n < strtab_count(pt->names)) {
		n = (long)strtab_count(pt->names);
		l->watermark = hs_xrealloc(l->watermark, (size_t)n *
		    sizeof(*l->watermark));
		l->joined = hs_xrealloc(l->joined, (size_t)n *
		    sizeof(*l->joined));
		l->heard = hs_xrealloc(l->heard, (size_t)n);
		for (i = l->n; i < (size_t)n; i++) {
			l->watermark[i] = l->joined[i] = INT64_MIN;
			l->heard[i] = UNHEARD;
		}
		l->n = (size_t)n;
	}
	return l;
}

/* The lane's watermark: the minimum over the sources heard of that have
 * not ended; minus infinity until --streams of them are heard of. */
static hs_time
lane_minimum(const struct aggregator *a, const struct lane *l)
{
	hs_time min = INT64_MAX;
	size_t i;

	if (l->nheard < a->want_streams || l->nheard == 0)
		return INT64_MIN;
	for (i = 0; i < l->n; i++)
		if (l->heard[i] == HEARD && l->watermark[i] < min)
			min = l->watermark[i];
	return min;
}

static void
hear(struct lane *l, uint32_t id)
{
	if (l->heard[id] != UNHEARD)
		return;
	l->heard[id] = HEARD;
	l->joined[id] = l->min;
	l->nheard++;
}

/* A source name in a partial or progress row: its number, or -1. */
static long
row_source(struct partials *pt, const struct json_span *obj)
{
	struct json_span v = json_member(obj, "source");
	char name[300];
	long n;

	if (v.type != JSON_STRING ||
	    (n = json_string(&v, name, sizeof(name))) < 1)
		return -1;
	return source_id(pt, name, (size_t)n);
}

static void
progress_row(struct aggregator *a, struct line_reader *lr,
    const struct json_span *obj, const struct json_span *src)
{
	struct partials *pt = a->pt;
	struct json_span wm = json_member(obj, "watermark"),
	    final = json_member(obj, "final");
	struct lane *l;
	long id = row_source(pt, obj);
	uint32_t lane;
	hs_time t = INT64_MIN, min;

	if (obj->type != JSON_OBJECT || id < 0 || (wm.type != JSON_NONE &&
	    (wm.type != JSON_STRING ||
	    time_parse_iso(wm.p + 1, wm.len - 2, &t) == -1))) {
		hs_bad_record(lr_name(lr), lr_lineno(lr), "malformed progress "
		    "row (a source \"topic/partition\", a watermark)");
		return;
	}
	l = lane_of(pt, src, &lane);
	hear(l, (uint32_t)id);
	if (t > l->watermark[id])
		l->watermark[id] = t;
	if (final.type == JSON_TRUE && l->heard[id] == HEARD)
		l->heard[id] = ENDED;
	if ((min = lane_minimum(a, l)) > l->min) {
		l->min = min;
		watermark_advanced(a);
	}
}

static int
member_number(const struct json_span *obj, const char *key, double *d)
{
	struct json_span v = json_member(obj, key);

	return json_number(&v, d);
}

static int
member_time(const struct json_span *obj, const char *key, hs_time *t)
{
	struct json_span v = json_member(obj, key);

	*t = AGG_NO_TIME;
	if (v.type == JSON_NULL)
		return 0;
	return v.type == JSON_STRING &&
	    time_parse_iso(v.p + 1, v.len - 2, t) == 0 ? 0 : -1;
}

/* The state of one field from a partial row into f (initialised for the
 * spec): 0, or -1 when a member the aggregates need is missing or wrong. */
static int
parse_state(const struct agg_spec *spec, const struct json_span *obj,
    struct field_state *f)
{
	unsigned need = needs(spec);
	struct json_span sk;
	long long n;

	if (obj->type != JSON_OBJECT || json_member_int(obj, "n", &n) == -1 ||
	    n < 0)
		return -1;
	f->n = (unsigned long)n;
	if (n == 0)
		return 0;
	if (((need & NEED_SUM) && member_number(obj, "sum", &f->sum) == -1) ||
	    ((need & NEED_MOMENTS) &&
	    (member_number(obj, "mean", &f->mean) == -1 ||
	    member_number(obj, "m2", &f->m2) == -1 || f->m2 < 0)) ||
	    ((need & NEED_MIN) && member_number(obj, "min", &f->min) == -1) ||
	    ((need & NEED_MAX) && member_number(obj, "max", &f->max) == -1) ||
	    ((need & NEED_FIRST) &&
	    (member_number(obj, "first", &f->first) == -1 ||
	    member_time(obj, "first_time", &f->first_time) == -1)) ||
	    ((need & NEED_LAST) &&
	    (member_number(obj, "last", &f->last) == -1 ||
	    member_time(obj, "last_time", &f->last_time) == -1)) ||
	    ((need & NEED_CXY) && member_number(obj, "cxy", &f->cxy) == -1) ||
	    ((need & (NEED_MIN | NEED_MAX)) == (NEED_MIN | NEED_MAX) &&
	    f->min > f->max))
		return -1;
	if (need & NEED_SKETCH) {
		sk = json_member(obj, "sketch");
		if (sketch_parse(f->sketch, &sk) == -1 || f->sketch->n != f->n)
			return -1;
	}
	return 0;
}

/* The field states of a partial row into f[]: 0, or -1 (reported). */
static int
parse_fields(struct aggregator *a, struct line_reader *lr,
    const struct json_span *partial, struct field_state *f)
{
	struct json_span fields = json_member(partial, "fields"), obj;
	size_t i;

	for (i = 0; i < a->spec.nfields; i++) {
		obj = json_member(&fields, a->spec.fields[i]);
		if (fields.type != JSON_OBJECT ||
		    parse_state(&a->spec, &obj, &f[i]) == -1) {
			hs_bad_record(lr_name(lr), lr_lineno(lr), "the partial "
			    "state of '%s' is missing or lacks what the "
			    "aggregates need (not written with the same -a "
			    "and --accuracy?)", a->spec.fields[i]);
			return -1;
		}
	}
	return 0;
}

static void
add_merged(struct group *g, uint32_t id)
{
	if ((g->nmerged & (g->nmerged - 1)) == 0)	/* 0, 1, 2, 4, ... */
		g->merged = hs_xrealloc(g->merged,
		    (g->nmerged ? 2 * g->nmerged : 1) * sizeof(*g->merged));
	g->merged[g->nmerged++] = id;
}

static int
was_merged(const struct group *g, uint32_t id)
{
	size_t i;

	for (i = 0; i < g->nmerged; i++)
		if (g->merged[i] == id)
			return 1;
	return 0;
}

/* The key of a partial row into a->key: its window and group values. */
static void
row_key(struct aggregator *a, const struct json_span *v)
{
	size_t i;

	buf_reset(&a->key);
	if (v[0].type != JSON_NONE)
		buf_put(&a->key, v[0].p, v[0].len);
	for (i = 0; i < a->ngroup; i++) {
		buf_putc(&a->key, KEY_SEP);
		if (v[1 + i].type == JSON_NONE)
			buf_puts(&a->key, "null");
		else
			buf_put(&a->key, v[1 + i].p, v[1 + i].len);
	}
}

static void
partial_row(struct aggregator *a, struct line_reader *lr,
    const struct json_span *v, const struct json_span *partial,
    const struct json_span *src)
{
	struct partials *pt = a->pt;
	struct field_state f[MAX_KEYS];
	struct time_span span = { AGG_NO_TIME, AGG_NO_TIME };
	long id = row_source(pt, partial);
	long long count;
	hs_time start = 0, end = 0;
	struct lane *l;
	struct group *g;
	uint32_t lane;
	size_t i;
	int windowed;

	if (partial->type != JSON_OBJECT || id < 0 ||
	    json_member_int(partial, "count", &count) == -1 || count < 0 ||
	    ((needs(&a->spec) & NEED_SPAN) &&
	    (member_time(partial, "span_min", &span.min) == -1 ||
	    member_time(partial, "span_max", &span.max) == -1))) {
		hs_bad_record(lr_name(lr), lr_lineno(lr), "malformed partial "
		    "row (a source \"topic/partition\", a count, fields)");
		return;
	}
	l = lane_of(pt, src, &lane);
	hear(l, (uint32_t)id);
	row_key(a, v);
	g = group_lookup(a, a->key.p, a->key.len);
	windowed = window_bounds(&v[0], &start, &end) == 0;
	if (g == NULL && windowed && end <= l->min &&
	    a->mode != MODE_COMPLETE) {
		/* the window was written: this partial was merged there,
		 * unless its source was heard of only after */
		if (end <= l->joined[id])
			pt->late++;
		else
			pt->duplicates++;
		return;
	}
	if (g != NULL && was_merged(g, (uint32_t)id)) {
		pt->duplicates++;
		return;
	}
	memset(f, 0, sizeof(f));
	for (i = 0; i < a->spec.nfields; i++)
		field_init(&f[i], &a->spec);
	if (parse_fields(a, lr, partial, f) == 0) {
		if (g == NULL) {
			g = group_insert(a, a->key.p, a->key.len);
			g->windowed = windowed;
			g->start = start;
			g->end = end;
			g->source = lane;
		} else if (g->source != lane) {
			/* final when every lane is */
			g->source = UINT32_MAX;
		}
		for (i = 0; i < a->spec.nfields; i++)
			field_merge(&g->f[i], &f[i], 0);
		g->count += (unsigned long)count;
		span_merge(&g->span, &span);
		g->dirty = 1;
		add_merged(g, (uint32_t)id);
	}
	for (i = 0; i < a->spec.nfields; i++)
		field_free(&f[i]);
}

void
merge_record(struct aggregator *a, struct line_reader *lr, char *line,
    size_t len)
{
	struct partials *pt = a->pt;
	struct json_span v[4 + MAX_KEYS];
	struct json_error err;
	size_t k = 1 + a->ngroup;

	if (json_scan_keys(line, len, &pt->keys, v, &err) == -1) {
		hs_bad_json(lr_name(lr), lr_lineno(lr), line, len, &err);
		return;
	}
	if (v[k + 1].type != JSON_NONE)
		progress_row(a, lr, &v[k + 1], &v[k + 2]);
	else if (v[k].type != JSON_NONE)
		partial_row(a, lr, v, &v[k], &v[k + 2]);
	else
		hs_bad_record(lr_name(lr), lr_lineno(lr), "neither a partial "
		    "nor a progress row (hs-agg --partial writes them)");
}

void
merge_report(const struct aggregator *a)
{
	const struct partials *pt = a->pt;

	if (a->role != ROLE_MERGE)
		return;	/* also without partial_init */
	if (pt->duplicates > 0)
		hs_warn("%lu partial%s seen again, dropped (written again "
		    "after a failure or a rebalance)", pt->duplicates,
		    pt->duplicates == 1 ? "" : "s");
	if (pt->late > 0)
		hs_warn("%lu late partial%s dropped: %s window was written "
		    "before %s source partition was heard of (--streams)",
		    pt->late, pt->late == 1 ? "" : "s",
		    pt->late == 1 ? "its" : "their",
		    pt->late == 1 ? "its" : "their");
}

/* Checkpoints */

void
partial_save(const struct aggregator *a, struct buf *b)
{
	const struct partials *pt = a->pt;
	const struct source *s;
	const struct lane *l;
	const char *name;
	size_t i, j, len;

	if (pt == NULL)
		return;
	buf_puts(b, ",\"partials\":{\"sources\":[");
	for (i = 0; i < strtab_count(pt->names); i++) {
		s = &pt->src[i];
		name = name_of(pt, (uint32_t)i, &len);
		buf_puts(b, i > 0 ? ",{\"name\":" : "{\"name\":");
		buf_json_string(b, name, len);
		buf_printf(b, ",\"watermark\":%lld,\"next\":%lld,\"held\":%d,"
		    "\"final\":%d}", (long long)s->watermark,
		    (long long)s->next, s->held, s->final);
	}
	buf_puts(b, "],\"lanes\":[");
	for (i = 0; i < strtab_count(pt->lane_names); i++) {
		l = &pt->lanes[i];
		name = strtab_key(pt->lane_names, i, &len);
		buf_puts(b, i > 0 ? ",{\"name\":" : "{\"name\":");
		buf_json_string(b, name, len);
		buf_printf(b, ",\"min\":%lld,\"sources\":[", (long long)l->min);
		for (j = 0; j < l->n; j++)
			buf_printf(b, "%s[%lld,%lld,%d]", j > 0 ? "," : "",
			    (long long)l->watermark[j], (long long)l->joined[j],
			    l->heard[j]);
		buf_puts(b, "]}");
	}
	buf_printf(b, "],\"duplicates\":%lu,\"late\":%lu}", pt->duplicates,
	    pt->late);
}

void
partial_put_group(const struct aggregator *a, const struct group *g,
    struct buf *b)
{
	size_t i;

	if (a->pt == NULL)
		return;
	buf_printf(b, ",\"source\":%lld,\"first_offset\":%lld,\"merged\":[",
	    g->source == UINT32_MAX ? -1LL : (long long)g->source,
	    (long long)g->first_offset);
	for (i = 0; i < g->nmerged; i++)
		buf_printf(b, "%s%lu", i > 0 ? "," : "",
		    (unsigned long)g->merged[i]);
	buf_puts(b, "],\"sketches\":[");
	for (i = 0; i < a->spec.nfields; i++) {
		if (i > 0)
			buf_putc(b, ',');
		if (g->f[i].sketch != NULL)
			sketch_put(g->f[i].sketch, b);
		else
			buf_puts(b, "null");
	}
	buf_putc(b, ']');
}

static int
restore_source(struct partials *pt, const struct json_span *el)
{
	struct json_span name = json_member(el, "name");
	long long wm, next, held, final;
	char text[300];
	long n, id;

	if (name.type != JSON_STRING ||
	    (n = json_string(&name, text, sizeof(text))) < 1 ||
	    (id = source_id(pt, text, (size_t)n)) < 0 ||
	    (size_t)id + 1 != strtab_count(pt->names) ||
	    json_member_int(el, "watermark", &wm) == -1 ||
	    json_member_int(el, "next", &next) == -1 || next < -1 ||
	    json_member_int(el, "held", &held) == -1 ||
	    json_member_int(el, "final", &final) == -1)
		return -1;
	pt->src[id].watermark = wm;
	pt->src[id].next = next;
	pt->src[id].held = held != 0;
	pt->src[id].final = final != 0;
	return 0;
}

static int
restore_lane(struct partials *pt, const struct json_span *el)
{
	struct json_span name = json_member(el, "name"),
	    sources = json_member(el, "sources"), s, v;
	const char *cursor = NULL, *c;
	long long min, x[3];
	char text[300];
	size_t id, j = 0, k;
	long n;
	int added;

	if (name.type != JSON_STRING || sources.type != JSON_ARRAY ||
	    (n = json_string(&name, text, sizeof(text))) < 0 ||
	    json_member_int(el, "min", &min) == -1)
		return -1;
	id = strtab_add(pt->lane_names, text, (size_t)n, &added);
	if (!added || id != strtab_count(pt->lane_names) - 1)
		return -1;
	if (id >= pt->lanes_cap) {
		pt->lanes_cap = pt->lanes_cap ? 2 * pt->lanes_cap : 16;
		pt->lanes = hs_xrealloc(pt->lanes,
		    pt->lanes_cap * sizeof(*pt->lanes));
	}
	memset(&pt->lanes[id], 0, sizeof(pt->lanes[id]));
	pt->lanes[id].min = min;
	pt->lanes[id].n = strtab_count(pt->names);
	k = pt->lanes[id].n ? pt->lanes[id].n : 1;
	pt->lanes[id].watermark = hs_xmalloc(k * sizeof(hs_time));
	pt->lanes[id].joined = hs_xmalloc(k * sizeof(hs_time));
	pt->lanes[id].heard = hs_xmalloc(k);
	for (; json_next_element(&sources, &cursor, &s); j++) {
		c = NULL;
		for (k = 0; k < 3; k++)
			if (!json_next_element(&s, &c, &v) ||
			    json_int(&v, &x[k]) == -1)
				return -1;
		if (j >= pt->lanes[id].n || x[2] < UNHEARD || x[2] > ENDED)
			return -1;
		pt->lanes[id].watermark[j] = x[0];
		pt->lanes[id].joined[j] = x[1];
		pt->lanes[id].heard[j] = (uint8_t)x[2];
		pt->lanes[id].nheard += x[2] != UNHEARD;
	}
	return j == pt->lanes[id].n ? 0 : -1;
}

int
partial_restore(struct aggregator *a, const struct json_span *state)
{
	struct partials *pt = a->pt;
	struct json_span obj = json_member(state, "partials"), arr, el;
	const char *cursor = NULL;
	long long dup, late;

	if (pt == NULL)
		return obj.type == JSON_NONE ? 0 : -1;
	partials_free(pt);
	a->pt = pt = partials_new(a);
	arr = json_member(&obj, "sources");
	if (obj.type != JSON_OBJECT || arr.type != JSON_ARRAY)
		return -1;
	while (json_next_element(&arr, &cursor, &el))
		if (restore_source(pt, &el) == -1)
			return -1;
	arr = json_member(&obj, "lanes");
	cursor = NULL;
	if (arr.type != JSON_ARRAY)
		return -1;
	while (json_next_element(&arr, &cursor, &el))
		if (restore_lane(pt, &el) == -1)
			return -1;
	if (json_member_int(&obj, "duplicates", &dup) == -1 || dup < 0 ||
	    json_member_int(&obj, "late", &late) == -1 || late < 0)
		return -1;
	pt->duplicates = (unsigned long)dup;
	pt->late = (unsigned long)late;
	return 0;
}

int
partial_restore_group(struct aggregator *a, struct group *g,
    const struct json_span *obj)
{
	const struct partials *pt = a->pt;
	struct json_span merged = json_member(obj, "merged"),
	    sketches = json_member(obj, "sketches"), v;
	const char *cursor = NULL;
	long long source, first, id;
	size_t i, limit;

	if (pt == NULL)
		return 0;
	limit = a->role == ROLE_PARTIAL ? strtab_count(pt->names) :
	    strtab_count(pt->lane_names);
	if (json_member_int(obj, "source", &source) == -1 ||
	    json_member_int(obj, "first_offset", &first) == -1 || first < -1 ||
	    merged.type != JSON_ARRAY || sketches.type != JSON_ARRAY ||
	    (source == -1 ? a->role != ROLE_MERGE :
	    source < 0 || (size_t)source >= limit))
		return -1;
	g->source = source == -1 ? UINT32_MAX : (uint32_t)source;
	g->first_offset = first;
	while (json_next_element(&merged, &cursor, &v))
		if (json_int(&v, &id) == -1 || id < 0 ||
		    (size_t)id >= strtab_count(pt->names) ||
		    was_merged(g, (uint32_t)id))
			return -1;
		else
			add_merged(g, (uint32_t)id);
	cursor = NULL;
	for (i = 0; i < a->spec.nfields; i++)
		if (!json_next_element(&sketches, &cursor, &v) ||
		    (g->f[i].sketch != NULL ?
		    sketch_parse(g->f[i].sketch, &v) == -1 ||
		    g->f[i].sketch->n != g->f[i].n : v.type != JSON_NULL))
			return -1;
	return 0;
}
