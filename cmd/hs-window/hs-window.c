/*
 * hs-window - assign events to event-time windows and track the watermark.
 *
 * Each event gains a "window" member with the start and end of the window
 * it falls in (one copy per window when windows hop). Windows start at the
 * epoch plus the offset plus any multiple of the slide, as Spark's
 * window(time, size, slide, startTime). With --session each event gets
 * instead the window [t, t + gap), marked as a session window, which
 * hs-agg merges with the overlapping ones of its key, as Spark's
 * session_window. An event all of whose windows end at or before the
 * watermark is late. The watermark is the greatest event time seen less
 * the allowed lateness; once the input carries source watermark records
 * (hs-kafkacat's, per partition), it is the source's less the lateness
 * instead, so that a source that delivers its partitions unevenly loses
 * nothing. With --trigger it moves only at processing-time boundaries, as
 * Spark's micro-batches. It never moves back. Each time it crosses a slide
 * boundary (a multiple of the gap, for sessions) a watermark record, which
 * names this stream, tells later stages; at the end of the input a final
 * one says the stream has ended (hs(7)).
 *
 * With --per-partition each source partition (the "_src" of hs-kafkacat
 * -C --source) has a watermark of its own, made by its own events: an
 * event is late only against its partition's, and each partition's
 * watermark record names it as its stream ("topic/partition"), for hs-agg,
 * which takes the slowest, or hs-agg --partial (hs-agg(1), "MORE THAN ONE
 * MACHINE"). A revoke record forgets the partitions it names.
 *
 * With --state, the watermarks and the late count are saved at every
 * checkpoint control record and restored when the stream resumes after one.
 *
 * The line is copied through untouched but for the appended member: no
 * parse tree, no allocation per event.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "control.h"
#include "json.h"
#include "jsonw.h"
#include "lineio.h"
#include "positions.h"
#include "state.h"
#include "strtab.h"
#include "timefmt.h"

enum late_policy { LATE_DROP, LATE_MARK, LATE_FILE };

/* Hopping windows put each event in size/slide windows: a bound, so that
 * a slip such as -w 1d -s 1ms is a usage error, not 86.4M copies. */
#define MAX_WINDOWS_PER_EVENT 10000

/* Output is written a pipe's worth at a time, or when input pauses. */
#define OUTPUT_HELD (1 << 16)

/* The event time of one stream. */
struct clock {
	hs_time max_time;	/* the newest event time */
	hs_time watermark;	/* what lateness is judged against */
	hs_time pending;	/* where it goes at the next trigger */
	int64_t announced_slot;	/* watermark / slide, last announced */
};

struct windower {
	const char *time_field;
	hs_time size, slide, lateness;
	hs_time offset;		/* window starts: offset + k * slide */
	hs_time gap;		/* session windows: the gap; 0: none */
	const char *gap_field;	/* a per-event gap, else gap */
	hs_time max_ahead;	/* events further past the watermark: bad */
	const char *max_ahead_arg;
	enum late_policy late;
	FILE *late_file;
	const char *late_path;
	struct clock clock;	/* of the events without a partition */
	int per_partition;
	struct strtab *names;	/* --per-partition: "topic/partition" */
	struct clock *clocks;	/* ... and the clock of each */
	size_t cap;
	hs_time trigger, next_trigger;	/* --trigger, 0: at once */
	int source;		/* clock follows the source's watermark */
	int wrote;		/* the stream has begun */
	struct input_end input;	/* what the input said of its end */
	char stream[CONTROL_STREAM_MAX];
	unsigned long late_count;
	struct state_file *state;
	const char *scan_keys[3];	/* the time field, the gap field,
					 * "_src" */
	size_t gap_slot, src_slot;	/* their places, 0 if not scanned */
	struct json_keys keys;	/* scan_keys, prepared */
	struct buf out;
	hs_time last_floor;	/* last_start's last answer */
	hs_time cached_start, cached_end;	/* the window in window_text */
	char window_text[128];
	int window_len;
};

static const char usage_text[] =
	    "usage: hs-window -w size [-s slide] [--offset d] | --session gap\n"
	    "                 [--gap-field field] [-l lateness] [-t field]\n"
	    "                 [--late drop|mark] [--late-file file] "
	    "[--late-exit]\n"
	    "                 [--max-ahead duration] [--trigger interval]\n"
	    "                 [--stream id] [--per-partition] [--tz zone]\n"
	    "                 [--state file] [-S] [file ...]\n"
	    "  -w size       window length: 10s, 1m, 5m, 1h, ...\n"
	    "  -s slide      hop between window starts "
	    "(default: size, tumbling)\n"
	    "  --offset d    windows start at the epoch + d "
	    "(-1h, 15m; |d| < slide)\n"
	    "  --session gap session windows: each event's [t, t + gap), "
	    "merged\n"
	    "                by hs-agg while events come within the gap\n"
	    "  --gap-field f a per-event gap (\"3s\" or seconds), "
	    "else --session's\n"
	    "  -l lateness   allowed lateness behind the newest event, or the\n"
	    "                source's watermark (default 0)\n"
	    "  -t field      event-time field (default: timestamp)\n"
	    "  --late drop   drop late events (default); mark: pass them on\n"
	    "                with \"late\":true and no window\n"
	    "  --late-file f append late events to file f\n"
	    "  --late-exit   exit 1 if any event was late (for cron jobs)\n"
	    "  --trigger i   move the watermark only every i, as Spark\n"
	    "  --stream id   name of this stream in its watermarks\n"
	    "  --per-partition  a watermark per source partition (\"_src\")\n"
	    "  --tz zone     zone of times without one (default: $TZ, local)\n"
	    "  --max-ahead d an event more than d past the watermark is a bad\n"
	    "                record (default: no bound)\n"
	    "  --state file  checkpoint the watermark into file (see hs(7))\n"
	    "  -S            strict: stop at the first bad record\n";

static void __attribute__((noreturn))
usage(void)
{
	hs_usage(usage_text, 0);
}

static hs_time
parse_duration_arg(const char *opt, const char *arg, int allow_zero)
{
	return hs_arg_duration(opt, arg, allow_zero, usage_text);
}

/* A duration that may be negative, as Spark's startTime. */
static hs_time
parse_offset_arg(const char *arg)
{
	return *arg == '-' ? -parse_duration_arg("--offset", arg + 1, 1) :
	    parse_duration_arg("--offset", arg, 1);
}

static void
put_windowed(struct windower *w, const char *line, size_t len, hs_time start,
    hs_time end)
{
	char from[32], to[32];

	if (start != w->cached_start || end != w->cached_end) {
		w->cached_start = start;
		w->cached_end = end;
		time_format_iso(start, from);
		time_format_iso(end, to);
		w->window_len = snprintf(w->window_text, sizeof(w->window_text),
		    "\"window\":{\"start\":\"%s\",\"end\":\"%s\"%s}", from, to,
		    w->gap > 0 ? ",\"session\":true" : "");
	}
	buf_put_line_with_members(&w->out, line, len, w->window_text,
	    (size_t)w->window_len);
}

static void
handle_late(struct windower *w, const char *line, size_t len)
{
	static const char mark[] = "\"late\":true";

	w->late_count++;
	if (w->late == LATE_MARK)
		buf_put_line_with_members(&w->out, line, len, mark,
		    sizeof(mark) - 1);
	else if (w->late == LATE_FILE) {
		fwrite(line, 1, len, w->late_file);
		fputc('\n', w->late_file);
	}
}

/* The start of the last window an event at t falls in: the greatest
 * offset + k * slide not after t. The last one is remembered: consecutive
 * events fall in it, and a division is costly. */
static hs_time
last_start(struct windower *w, hs_time t)
{
	if (t < w->last_floor || t >= w->last_floor + w->slide)
		w->last_floor = time_floor(t - w->offset, w->slide) + w->offset;
	return w->last_floor;
}

/* The start of the first window an event at t falls in. */
static hs_time
first_start(struct windower *w, hs_time t)
{
	hs_time start;

	for (start = last_start(w, t); start > t - w->size; start -= w->slide)
		;
	return start + w->slide;
}

/* Whether an event at t can be windowed: every window bound must be an
 * instant that later stages read back (the windows from first on, for
 * sliding ones), and with --max-ahead the event must not be too far past
 * the watermark. Else reported as bad. */
static int
plausible(struct windower *w, const struct clock *k,
    struct line_reader *lr, hs_time t, hs_time gap, hs_time first)
{
	char at[32], wm[32];

	if (gap > 0 ? t + gap > HS_TIME_MAX : (first < HS_TIME_MIN ||
	    last_start(w, t) + w->size > HS_TIME_MAX)) {
		hs_bad_record(lr_name(lr), lr_lineno(lr), "field '%s': its "
		    "window would not lie within the years 0001 to 9999",
		    w->time_field);
		return 0;
	}
	if (w->max_ahead > 0 && k->watermark != INT64_MIN &&
	    t - k->watermark > w->max_ahead) {
		time_format_iso(t, at);
		time_format_iso(k->watermark, wm);
		hs_bad_record(lr_name(lr), lr_lineno(lr), "field '%s': %s is "
		    "further than --max-ahead %s past the watermark %s",
		    w->time_field, at, w->max_ahead_arg, wm);
		return 0;
	}
	return 1;
}

/* The options that shape the state: a state file of other options is
 * refused. */
static char *
state_config(const struct windower *w)
{
	struct buf b = { 0 };

	buf_printf(&b, "w=%lld s=%lld l=%lld t=%s", (long long)w->size,
	    (long long)w->slide, (long long)w->lateness, w->time_field);
	if (w->per_partition)
		buf_puts(&b, " per_partition");
	if (w->offset != 0)
		buf_printf(&b, " o=%lld", (long long)w->offset);
	if (w->gap > 0)
		buf_printf(&b, " session=%lld gap_field=%s", (long long)w->gap,
		    w->gap_field != NULL ? w->gap_field : "");
	return b.p;
}

/* The stream's default name, from the options and its first record: the
 * same stream gets the same name on every run, another stream another. */
static void
name_stream(struct windower *w, const char *line, size_t len)
{
	struct buf seed = { 0 };
	char *config = state_config(w);

	buf_puts(&seed, config);
	buf_putc(&seed, '\n');
	buf_put(&seed, line, len);
	control_stream_id(w->stream, seed.p, seed.len);
	buf_free(&seed);
	free(config);
}

/* Write the watermark of clock k, named after its stream: this one's, or
 * its partition's. */
static void
put_watermark(struct windower *w, const struct clock *k, int final)
{
	const char *name = w->stream;
	size_t len;

	if (k != &w->clock)
		name = strtab_key(w->names, (size_t)(k - w->clocks), &len);
	else {
		if (w->stream[0] == '\0')
			name_stream(w, "", 0);
		len = strlen(w->stream);
	}
	control_put_watermark(&w->out, k->watermark, name, len, final);
}

/* Move the watermark of k to its pending one, announcing it each time it
 * crosses a slide boundary. */
static void
move_watermark(struct windower *w, struct clock *k)
{
	int64_t slot;

	if (k->pending <= k->watermark)
		return;
	k->watermark = k->pending;
	slot = time_floor(k->watermark - w->offset, w->slide) / w->slide;
	if (slot > k->announced_slot) {
		k->announced_slot = slot;
		put_watermark(w, k, 0);
	}
}

/* The watermark of k may move up to t less the lateness: at once, or at
 * the next trigger. */
static void
offer_watermark(struct windower *w, struct clock *k, hs_time t)
{
	hs_time wm = t - w->lateness;

	if (wm < HS_TIME_MIN)
		wm = HS_TIME_MIN;
	if (wm > k->pending)
		k->pending = wm;
	if (w->trigger == 0)
		move_watermark(w, k);
}

/* A new newest event time of clock k: unless the source makes its
 * watermark, the watermark follows. */
static void
advance(struct windower *w, struct clock *k, hs_time t)
{
	w->wrote = 1;
	if (t <= k->max_time)
		return;
	k->max_time = t;
	if (!w->source || k != &w->clock)
		offer_watermark(w, k, t);
}

/* An event at t in sliding windows, the first starting at first. */
static void
window_event(struct windower *w, struct clock *k, const char *line,
    size_t len, hs_time t, hs_time first)
{
	hs_time start, last = last_start(w, t);
	int emitted = 0;

	for (start = first; start <= last; start += w->slide) {
		if (start + w->size <= k->watermark)
			continue;
		put_windowed(w, line, len, start, start + w->size);
		emitted = 1;
	}
	if (!emitted)
		handle_late(w, line, len);
	advance(w, k, t);
}

/* A session window: the event's own [t, t + gap), late as any window. */
static void
session_event(struct windower *w, struct clock *k, const char *line,
    size_t len, hs_time t, hs_time gap)
{
	if (t + gap <= k->watermark)
		handle_late(w, line, len);
	else
		put_windowed(w, line, len, t, t + gap);
	advance(w, k, t);
}

static void
clock_reset(struct clock *k)
{
	k->max_time = k->watermark = k->pending = k->announced_slot =
	    INT64_MIN;
}

/* The clock of a source partition named so (added if new). */
static struct clock *
clock_named(struct windower *w, const char *name, size_t len)
{
	int added;
	size_t id = strtab_add(w->names, name, len, &added);

	if (added) {
		if (id >= w->cap) {
			w->cap = w->cap ? 2 * w->cap : 16;
			w->clocks = hs_xrealloc(w->clocks,
			    w->cap * sizeof(*w->clocks));
		}
		clock_reset(&w->clocks[id]);
	}
	return &w->clocks[id];
}

/* The clock of an event: its source partition's with --per-partition
 * (from "_src"), else the one of the whole input. */
static struct clock *
event_clock(struct windower *w, const struct json_span *src)
{
	struct json_span topic;
	long long partition;
	char name[CONTROL_STREAM_MAX];
	long n;

	if (!w->per_partition || src->type != JSON_OBJECT)
		return &w->clock;
	topic = json_member(src, "topic");
	if (json_member_int(src, "partition", &partition) == -1 ||
	    (n = source_name(name, sizeof(name), &topic, partition)) == -1)
		return &w->clock;
	return clock_named(w, name, (size_t)n);
}

/* A revoke record: its partitions are read elsewhere now; their clocks
 * start again if they come back. */
static void
forget_partition(const char *name, size_t len, void *arg)
{
	struct windower *w = arg;
	long id;

	if ((id = strtab_find(w->names, name, len)) >= 0)
		clock_reset(&w->clocks[id]);
}

/* Call fn with every clock: the whole input's, then the partitions'. */
static void
each_clock(struct windower *w, void (*fn)(struct windower *, struct clock *))
{
	size_t i;

	fn(w, &w->clock);
	for (i = 0; i < strtab_count(w->names); i++)
		fn(w, &w->clocks[i]);
}

static void
save_state(struct windower *w, const char *line, size_t len)
{
	struct buf st = { 0 };
	const char *name;
	struct clock *k;
	size_t i, n;

	/* the late events before the checkpoint are kept as surely as the
	 * state that no longer holds them */
	if (w->late_file != NULL && (fflush(w->late_file) == EOF ||
	    fsync(fileno(w->late_file)) == -1))
		hs_fatal("%s: %s", w->late_path, strerror(errno));
	buf_printf(&st, "{\"max_time\":%lld,\"watermark\":%lld,"
	    "\"pending\":%lld,\"announced_slot\":%lld,\"late_count\":%lu,"
	    "\"source\":%d,\"stream\":", (long long)w->clock.max_time,
	    (long long)w->clock.watermark, (long long)w->clock.pending,
	    (long long)w->clock.announced_slot, w->late_count, w->source);
	buf_json_string(&st, w->stream, strlen(w->stream));
	if (w->per_partition) {
		buf_puts(&st, ",\"partitions\":[");
		for (i = 0; i < strtab_count(w->names); i++) {
			name = strtab_key(w->names, i, &n);
			k = &w->clocks[i];
			buf_puts(&st, i > 0 ? ",[" : "[");
			buf_json_string(&st, name, n);
			buf_printf(&st, ",%lld,%lld,%lld,%lld]",
			    (long long)k->max_time, (long long)k->watermark,
			    (long long)k->announced_slot,
			    (long long)k->pending);
		}
		buf_putc(&st, ']');
	}
	buf_putc(&st, '}');
	state_save(w->state, line, len, st.p, st.len);
	buf_free(&st);
}

/* A time of the state: an instant, or none yet. */
static int
instant_or_none(long long t)
{
	return t == INT64_MIN || time_in_range(t);
}

/* The clocks of the partitions in a state, each [name, max_time,
 * watermark, announced_slot, pending]: 0, or -1 when malformed. */
static int
restore_clocks(struct windower *w, const struct json_span *obj)
{
	struct json_span arr = json_member(obj, "partitions"), el, v;
	const char *cursor = NULL, *c;
	long long x[4];
	struct clock *k;
	char name[CONTROL_STREAM_MAX];
	long n;
	int i;

	strtab_free(w->names);
	w->names = strtab_new();
	if (arr.type != JSON_ARRAY)
		return -1;
	while (json_next_element(&arr, &cursor, &el)) {
		c = NULL;
		if (!json_next_element(&el, &c, &v) || v.type != JSON_STRING ||
		    (n = json_string(&v, name, sizeof(name))) < 1)
			return -1;
		for (i = 0; i < 4; i++)
			if (!json_next_element(&el, &c, &v) ||
			    json_int(&v, &x[i]) == -1)
				return -1;
		if (!instant_or_none(x[0]) || !instant_or_none(x[1]) ||
		    !instant_or_none(x[3]) ||
		    strtab_find(w->names, name, (size_t)n) >= 0)
			return -1;
		k = clock_named(w, name, (size_t)n);
		k->max_time = x[0];
		k->watermark = x[1];
		k->announced_slot = x[2];
		k->pending = x[3];
	}
	return 0;
}

/* An integer member of a state, *v left as it is when absent (a state of
 * an older version): 0, or -1 when malformed. */
static int
optional_int(const struct json_span *obj, const char *key, long long *v)
{
	return json_member(obj, key).type == JSON_NONE ? 0 :
	    json_member_int(obj, key, v);
}

static void
restore_state(struct windower *w, const char *line, size_t len)
{
	long long id, max_time, watermark, pending, slot, late, source = 0;
	struct json_span obj, stream;
	char *text;

	text = state_resume(w->state, line, len, &id);
	if (json_object_span(text, &obj) == -1 ||
	    json_member_int(&obj, "max_time", &max_time) == -1 ||
	    json_member_int(&obj, "watermark", &watermark) == -1 ||
	    json_member_int(&obj, "announced_slot", &slot) == -1 ||
	    json_member_int(&obj, "late_count", &late) == -1 || late < 0)
		hs_fatal("cannot resume: checkpoint %lld is malformed", id);
	pending = watermark;
	stream = json_member(&obj, "stream");
	if (optional_int(&obj, "pending", &pending) == -1 ||
	    optional_int(&obj, "source", &source) == -1 ||
	    !instant_or_none(max_time) || !instant_or_none(watermark) ||
	    !instant_or_none(pending) ||
	    (stream.type != JSON_NONE && (stream.type != JSON_STRING ||
	    json_string(&stream, w->stream, sizeof(w->stream)) == -1)) ||
	    (w->per_partition && restore_clocks(w, &obj) == -1))
		hs_fatal("cannot resume: checkpoint %lld is malformed", id);
	free(text);
	w->clock.max_time = max_time;
	w->clock.watermark = watermark;
	w->clock.pending = pending;
	w->clock.announced_slot = slot;
	w->late_count = (unsigned long)late;
	w->source = source != 0;
}

/* A source watermark: the watermark follows it, less the lateness. With
 * --per-partition each partition's own events make its watermark, finer
 * than the source's minimum: it is read and dropped. */
static void
source_watermark(struct windower *w, const char *line, size_t len)
{
	hs_time t;

	if (control_source_watermark(line, len, &t) == -1) {
		buf_put(&w->out, line, len);	/* not ours: pass it on */
		buf_putc(&w->out, '\n');
		return;
	}
	if (w->per_partition)
		return;
	w->source = 1;
	if (t != INT64_MIN)
		offer_watermark(w, &w->clock, t);
}

static void
control_record(struct windower *w, const char *line, size_t len)
{
	enum control_kind kind = control_kind(line, len);

	control_note_end(&w->input, kind);
	switch (kind) {
	case CONTROL_SOURCE_WATERMARK:
		source_watermark(w, line, len);
		return;
	case CONTROL_REVOKE:
		if (w->per_partition)
			positions_revoked(line, len, forget_partition, w);
		break;
	case CONTROL_CHECKPOINT:
		if (w->state != NULL)
			save_state(w, line, len);
		break;
	case CONTROL_RESUME:
		if (w->state != NULL)
			restore_state(w, line, len);
		break;
	default:
		break;
	}
	buf_put(&w->out, line, len);
	buf_putc(&w->out, '\n');
}

/* The gap of an event's session: its gap field's duration, else the
 * --session gap; -1 (reported) when the field holds no positive one. */
static int
event_gap(const struct windower *w, struct line_reader *lr,
    const struct json_span *v, hs_time *gap)
{
	char text[64];
	long n;

	*gap = w->gap;
	if (v->type == JSON_NONE || v->type == JSON_NULL)
		return 0;
	n = -1;
	if (v->type == JSON_STRING)
		n = json_string(v, text, sizeof(text));
	else if (v->type == JSON_NUMBER && v->len < sizeof(text)) {
		memcpy(text, v->p, v->len);
		n = (long)v->len;
	}
	if (n >= 0)
		text[n] = '\0';
	if (n == -1 || duration_parse(text, gap, 0) == -1) {
		hs_bad_record(lr_name(lr), lr_lineno(lr), "field '%s': not a "
		    "gap above zero, such as \"3s\" or 3 (seconds): %.*s",
		    w->gap_field, (int)(v->len > 40 ? 40 : v->len), v->p);
		return -1;
	}
	return 0;
}

static void
window_line(struct windower *w, struct line_reader *lr, const char *line,
    size_t len)
{
	struct json_error err;
	struct json_span v[3], none = { .type = JSON_NONE };
	const struct json_span *gv = w->gap_slot ? &v[w->gap_slot] : &none,
	    *src = w->src_slot ? &v[w->src_slot] : &none;
	struct clock *k;
	hs_time t, gap = w->gap, first;

	if (w->stream[0] == '\0')
		name_stream(w, line, len);
	if (json_scan_keys(line, len, &w->keys, v, &err) == -1)
		hs_bad_json(lr_name(lr), lr_lineno(lr), line, len, &err);
	else if (v[0].type == JSON_NONE)
		hs_bad_record(lr_name(lr), lr_lineno(lr),
		    "no field '%s'", w->time_field);
	else if (time_from_json(&v[0], &t) == -1)
		hs_bad_record(lr_name(lr), lr_lineno(lr),
		    "field '%s': unparsable time, or not in the years "
		    "0001 to 9999: %.*s", w->time_field,
		    (int)(v[0].len > 40 ? 40 : v[0].len), v[0].p);
	else if (w->gap_field == NULL || event_gap(w, lr, gv, &gap) == 0) {
		first = gap > 0 ? t : first_start(w, t);
		k = event_clock(w, src);
		if (!plausible(w, k, lr, t, gap, first))
			return;
		if (gap > 0)
			session_event(w, k, line, len, t, gap);
		else
			window_event(w, k, line, len, t, first);
	}
}

/* With --trigger: move the watermark at each boundary, also while no
 * input arrives; returns when a line can be read. */
static void
wait_for_input(struct windower *w, struct line_reader *lr)
{
	hs_time now = time_monotonic();

	for (;;) {
		if (now >= w->next_trigger) {
			each_clock(w, move_watermark);
			while (w->next_trigger <= now)
				w->next_trigger += w->trigger;
		}
		if (lr_poll(lr, (int)((w->next_trigger - now + 999) / 1000)))
			return;
		now = time_monotonic();
	}
}

static void
window_input(struct line_reader *lr, void *arg)
{
	struct windower *w = arg;
	char *line;
	size_t len;

	for (;;) {
		if (w->trigger > 0)
			wait_for_input(w, lr);
		if ((line = lr_next(lr, &len)) == NULL)
			break;
		if (control_is(line, len))
			control_record(w, line, len);
		else
			window_line(w, lr, line, len);
		if (w->out.len >= OUTPUT_HELD)
			lr_write_held();
	}
}

/* The window options must describe windows: sliding ones of a size, a
 * slide and an offset, or sessions of a gap. */
static void
check_windows(struct windower *w, int offset_given)
{
	if (w->gap > 0) {
		if (w->size > 0 || w->slide > 0 || offset_given) {
			hs_warn("--session takes no -w, -s or --offset: a "
			    "session lasts while events come within the gap");
			usage();
		}
		w->slide = w->gap;	/* watermarks at gap multiples */
		return;
	}
	if (w->gap_field != NULL) {
		hs_warn("--gap-field needs --session, the gap of events "
		    "without the field");
		usage();
	}
	if (w->size == 0) {
		hs_warn("a window size (-w) or a session gap (--session) is "
		    "required");
		usage();
	}
	if (w->slide == 0)
		w->slide = w->size;
	if (w->slide > w->size) {
		hs_warn("the slide (-s) must not exceed the window size (-w)");
		usage();
	}
	if (w->size / w->slide > MAX_WINDOWS_PER_EVENT) {
		hs_warn("-w and -s put each event in %lld windows; at most %d: "
		    "make the slide longer", (long long)(w->size / w->slide),
		    MAX_WINDOWS_PER_EVENT);
		usage();
	}
	if (w->offset <= -w->slide || w->offset >= w->slide) {
		hs_warn("--offset: its absolute value must be less than the "
		    "slide, as Spark's startTime");
		usage();
	}
}

static void
parse_stream(struct windower *w, const char *arg)
{
	if (arg[0] == '\0' || strlen(arg) >= sizeof(w->stream)) {
		hs_warn("--stream: 1 to %zu bytes", sizeof(w->stream) - 1);
		usage();
	}
	strcpy(w->stream, arg);
}

/* The options into w; returns the index of the first operand. */
static int
parse_options(struct windower *w, int argc, char *argv[], int *late_exit,
    const char **state_path)
{
	static const struct option longopts[] = {
		{ "late", required_argument, NULL, 'L' },
		{ "late-file", required_argument, NULL, 'F' },
		{ "late-exit", no_argument, NULL, 'E' },
		{ "trigger", required_argument, NULL, 'T' },
		{ "stream", required_argument, NULL, 'I' },
		{ "state", required_argument, NULL, 'C' },
		{ "tz", required_argument, NULL, 'Z' },
		{ "max-ahead", required_argument, NULL, 'A' },
		{ "offset", required_argument, NULL, 'O' },
		{ "session", required_argument, NULL, 'G' },
		{ "gap-field", required_argument, NULL, 'P' },
		{ "per-partition", no_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int ch, offset_given = 0;

	while ((ch = getopt_long(argc, argv, "w:s:l:t:Sh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'w': w->size = parse_duration_arg("-w", optarg, 0); break;
		case 's': w->slide = parse_duration_arg("-s", optarg, 0); break;
		case 'l':
			w->lateness = parse_duration_arg("-l", optarg, 1);
			break;
		case 't': w->time_field = optarg; break;
		case 'S': hs_set_strict(1); break;
		case 'L':
			if (strcmp(optarg, "drop") == 0)
				w->late = LATE_DROP;
			else if (strcmp(optarg, "mark") == 0)
				w->late = LATE_MARK;
			else {
				hs_warn("--late: expected drop or mark, "
				    "not '%s'", optarg);
				usage();
			}
			break;
		case 'F': w->late = LATE_FILE; w->late_path = optarg; break;
		case 'E': *late_exit = 1; break;
		case 'T':
			w->trigger = parse_duration_arg("--trigger", optarg, 0);
			break;
		case 'I': parse_stream(w, optarg); break;
		case 'C': *state_path = optarg; break;
		case 'Z':
			if (time_set_zone(optarg) == -1)
				usage();
			break;
		case 'A':
			w->max_ahead = parse_duration_arg("--max-ahead",
			    optarg, 0);
			w->max_ahead_arg = optarg;
			break;
		case 'O':
			w->offset = parse_offset_arg(optarg);
			offset_given = 1;
			break;
		case 'G':
			w->gap = parse_duration_arg("--session", optarg, 0);
			break;
		case 'P': w->gap_field = optarg; break;
		case 'Q': w->per_partition = 1; break;
		case 'h': hs_usage(usage_text, 1);
		case 'V': hs_print_version();
		default: usage();
		}
	}
	check_windows(w, offset_given);
	return optind;
}

/* The final watermark of a clock that has had events: its stream ends. */
static void
end_clock(struct windower *w, struct clock *k)
{
	if (k->max_time == INT64_MIN && (k != &w->clock || w->per_partition))
		return;
	if (k->pending > k->watermark)
		k->watermark = k->pending;
	put_watermark(w, k, 1);
}

/* The input is over: unless it stopped, or broke off after checkpoints,
 * each stream has ended, and says so. */
static void
end_stream(struct windower *w)
{
	const char *how;

	if (w->wrote && !w->input.stopped && !lr_stopped() &&
	    (w->input.ended || !w->input.checkpointed))
		each_clock(w, end_clock);
	lr_write_held();
	lr_hold_output(NULL);
	if (w->late_file != NULL && fclose(w->late_file) == EOF)
		hs_fatal("%s: %m", w->late_path);
	if (w->late_count > 0) {
		how = w->late == LATE_DROP ? "dropped" :
		    w->late == LATE_MARK ? "passed on marked" : "written to";
		hs_warn("%lu late event%s %s%s%s", w->late_count,
		    w->late_count == 1 ? "" : "s", how,
		    w->late == LATE_FILE ? " " : "",
		    w->late == LATE_FILE ? w->late_path : "");
	}
}

int
main(int argc, char *argv[])
{
	struct windower w = { .time_field = "timestamp",
	    .clock = { INT64_MIN, INT64_MIN, INT64_MIN, INT64_MIN },
	    .cached_start = INT64_MIN, .last_floor = HS_TIME_MAX + 1 };
	const char *state_path = NULL;
	char *config;
	int first, late_exit = 0, rc;
	size_t n;

	hs_init("hs-window");
	lr_stop_on_signals();
	first = parse_options(&w, argc, argv, &late_exit, &state_path);
	w.names = strtab_new();
	if (state_path != NULL) {
		config = state_config(&w);
		w.state = state_open(state_path, "hs-window", config);
		free(config);
	}
	if (w.late == LATE_FILE &&
	    (w.late_file = fopen(w.late_path, "a")) == NULL)
		hs_fatal("%s: %m", w.late_path);
	w.scan_keys[n = 0] = w.time_field;
	if (w.gap_field != NULL)
		w.scan_keys[w.gap_slot = ++n] = w.gap_field;
	if (w.per_partition)
		w.scan_keys[w.src_slot = ++n] = "_src";
	json_keys_init(&w.keys, w.scan_keys, n + 1);
	w.next_trigger = time_monotonic() + w.trigger;
	lr_hold_output(&w.out);
	lr_each_input(argc - first, argv + first, window_input, &w);
	end_stream(&w);
	state_close(w.state);
	strtab_free(w.names);
	free(w.clocks);
	buf_free(&w.out);
	rc = hs_finish();
	return rc == HS_EXIT_OK && late_exit && w.late_count > 0 ?
	    HS_EXIT_BADINPUT : rc;
}
