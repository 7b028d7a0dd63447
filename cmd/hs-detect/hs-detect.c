/*
 * hs-detect - flag anomalies in NDJSON records: threshold rules, physical
 * plausibility, scores against a learned baseline, slow drift (EWMA and
 * CUSUM), and data quality (stuck sensors, dropouts, gaps in event time).
 *
 * Each record gains "anomaly":[{detector, field, value, limit or score,
 * severity, message}, ...] when a detector fires; with --alerts only
 * firing and resolved records come out, one per condition, as an alerting
 * system would send them. State is kept per key (the -g fields).
 */
#include <fnmatch.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "control.h"
#include "detect.h"
#include "json.h"
#include "jsonw.h"
#include "lineio.h"
#include "sensors.h"

#define MAX_GROUP 8
#define SLOT_SENSOR 0
#define SLOT_TIME 1
#define SLOT_WINDOW 2
#define SLOT_COUNT 3
#define SLOT_FIRST 4

struct key_state {
	char *key;
	struct det_state *st;	/* one per detector */
};

struct detect {
	struct detector *dets;
	size_t ndets;
	const char *group[MAX_GROUP];
	size_t ngroup;
	const char *fields[16];	/* -f */
	size_t nfields;
	const char *scan[SLOT_FIRST + MAX_GROUP + 64];
	size_t nscan;
	int *field_slot;	/* per detector: its field's scan slot */
	struct baseline *baseline;
	const char *learn_path;
	double zlimit, band;
	long warmup, for_n;
	int only_anomalous, alerts;
	struct key_state *keys;
	size_t nkeys, last_key;
	unsigned long *missing;	/* per detector */
	struct buf out, anomalies, key;
};

static const char usage_text[] =
    "usage: hs-detect [-aS] [-g fields] [-f fields] [-t rule] [-r rules]\n"
    "                 [-p] [-b baseline | --learn file] [--robust score]\n"
    "                 [--z score] [--ewma alpha,limit] [--cusum k,h]\n"
    "                 [--stuck n] [--dropout] [--gap duration] [--alerts]\n"
    "                 [--for n] [--clear-band x] [--tz zone] [file ...]\n"
    "  -t rule       threshold: 'FIELD OP VALUE[,SENSOR-GLOB[,SEVERITY]]'\n"
    "  -r file       rules, one JSON object a line\n"
    "  -p            physical plausibility of the -f fields (built-in ranges)\n"
    "  -f fields     value fields for -p, -b, drift, stuck (default: value)\n"
    "  -g fields     the key state is kept per (default: sensor)\n"
    "  --learn file  learn a baseline of the -f fields; -b file: score\n"
    "  --robust x    robust score limit (default 3.5); --z x: z-score limit\n"
    "  --ewma a,L    EWMA drift; --cusum k,h: CUSUM drift\n"
    "  --stuck n     n equal values in a row; --dropout: count too low\n"
    "  --gap d       event-time gap longer than d\n"
    "  -a            only records with an anomaly\n"
    "  --alerts      firing/resolved records; --for n records to change\n"
    "  --clear-band x  how far past a limit a value must be to clear\n"
    "  --tz zone     zone of times without one (default: $TZ, local)\n";

static void __attribute__((noreturn))
usage(void)
{
	hs_usage(usage_text, 0);
}

static struct detector *
add_detector(struct detect *dt, enum detector_kind kind, const char *field)
{
	struct detector *d;

	dt->dets = hs_xrealloc(dt->dets, (dt->ndets + 1) * sizeof(*dt->dets));
	d = &dt->dets[dt->ndets++];
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->field = field ? hs_xstrdup(field) : NULL;
	d->severity = hs_xstrdup(kind == DET_PLAUSIBILITY ? "error" :
	    "warning");
	d->min = d->max = NAN;
	return d;
}

/* One detector per -f field. */
static struct detector *
add_per_field(struct detect *dt, enum detector_kind kind)
{
	struct detector *d = NULL;
	size_t i;

	for (i = 0; i < dt->nfields; i++)
		d = add_detector(dt, kind, dt->fields[i]);
	return d;
}

static size_t
split(char *list, const char **out, size_t max)
{
	size_t n = 0;
	char *item;

	while ((item = strsep(&list, ",")) != NULL)
		if (*item != '\0' && n < max)
			out[n++] = item;
	return n;
}

static int
scan_slot(struct detect *dt, const char *name)
{
	size_t i;

	for (i = 0; i < dt->nscan; i++)
		if (strcmp(dt->scan[i], name) == 0)
			return (int)i;
	dt->scan[dt->nscan] = name;
	return (int)dt->nscan++;
}

static struct key_state *
key_state(struct detect *dt, const char *key)
{
	struct key_state *ks;
	size_t i;

	if (dt->last_key < dt->nkeys &&
	    strcmp(dt->keys[dt->last_key].key, key) == 0)
		return &dt->keys[dt->last_key];
	for (i = 0; i < dt->nkeys; i++)
		if (strcmp(dt->keys[i].key, key) == 0) {
			dt->last_key = i;
			return &dt->keys[i];
		}
	dt->keys = hs_xrealloc(dt->keys, (dt->nkeys + 1) * sizeof(*dt->keys));
	ks = &dt->keys[dt->nkeys];
	ks->key = hs_xstrdup(key);
	ks->st = hs_xmalloc((dt->ndets + 1) * sizeof(*ks->st));
	memset(ks->st, 0, (dt->ndets + 1) * sizeof(*ks->st));
	dt->last_key = dt->nkeys++;
	return ks;
}

/* The reference mean and spread of a field: the baseline's, else the
 * running estimate of the first --warmup records. 0 when known. */
static int
reference(struct detect *dt, const char *key, const struct detector *d,
    struct det_state *st, double v, double *mean, double *sd)
{
	const struct base_stats *b;

	if (dt->baseline != NULL &&
	    (b = baseline_find(dt->baseline, key, d->field)) != NULL) {
		*mean = b->mean;
		*sd = b->stddev > 0 ? b->stddev : 1e-12;
		return 0;
	}
	if (st->n < dt->warmup) {
		double delta = v - st->mean;

		st->n++;
		st->mean += delta / (double)st->n;
		st->m2 += delta * (v - st->mean);
		return -1;
	}
	*mean = st->mean;
	*sd = st->n > 1 && st->m2 > 0 ? sqrt(st->m2 / (double)(st->n - 1)) :
	    1e-12;
	return 0;
}

static void
score_finding(struct finding *f, double score, double limit, double band)
{
	f->score = score;
	f->limit = limit;
	f->fired = score > limit;
	f->clear = score < limit - band;
}

/* Evaluate a numeric detector on value v. 0, or -1 when it cannot judge
 * (no reference yet, unknown sensor). */
static int
evaluate_value(struct detect *dt, const struct detector *d,
    struct det_state *st, const char *key, const struct sensor_info *si,
    double v, struct finding *f)
{
	const struct base_stats *b;
	double mean, sd, lo, hi, s, z;

	f->value = v;
	f->score = NAN;
	switch (d->kind) {
	case DET_THRESHOLD:
		f->limit = d->limit;
		f->fired = op_holds(d->op, v, d->limit);
		f->clear = d->op == OP_LT || d->op == OP_LE ? v >= d->limit + dt->band :
		    d->op == OP_GT || d->op == OP_GE ? v <= d->limit - dt->band :
		    !f->fired;
		snprintf(f->message, sizeof(f->message), "%s %.6g %s %.6g",
		    d->field, v, op_text(d->op), d->limit);
		return 0;
	case DET_PLAUSIBILITY:
		lo = isnan(d->min) ? (si ? si->min : NAN) : d->min;
		hi = isnan(d->max) ? (si ? si->max : NAN) : d->max;
		if (isnan(lo) || isnan(hi))
			return -1;
		f->fired = v < lo || v > hi;
		f->clear = !f->fired;
		f->limit = v < lo ? lo : hi;
		snprintf(f->message, sizeof(f->message),
		    "%s %.6g outside the plausible range %g to %g%s%s", d->field,
		    v, lo, hi, si ? " " : "", si ? si->unit : "");
		return 0;
	case DET_BASELINE:
		if (dt->baseline == NULL ||
		    (b = baseline_find(dt->baseline, key, d->field)) == NULL)
			return -1;
		z = b->stddev > 0 ? (v - b->mean) / b->stddev : 0;
		s = b->mad > 0 ? (v - b->median) / (1.4826 * b->mad) : z;
		score_finding(f, fabs(s), d->limit, dt->band);
		if (dt->zlimit > 0) {
			f->fired |= fabs(z) > dt->zlimit;
			f->clear &= fabs(z) < dt->zlimit - dt->band;
		}
		snprintf(f->message, sizeof(f->message), "%s %.6g: robust score "
		    "%.3g against median %.6g (MAD %.3g), z %.3g", d->field, v, s,
		    b->median, b->mad, z);
		return 0;
	case DET_EWMA:
		if (reference(dt, key, d, st, v, &mean, &sd) == -1)
			return -1;
		st->ewma = st->started ? d->alpha * v + (1 - d->alpha) * st->ewma : v;
		st->started = 1;
		s = fabs(st->ewma - mean) / (sd * sqrt(d->alpha / (2 - d->alpha)));
		score_finding(f, s, d->limit, dt->band);
		snprintf(f->message, sizeof(f->message), "%s EWMA %.6g drifted "
		    "%.3g sigma from %.6g", d->field, st->ewma, s, mean);
		return 0;
	case DET_CUSUM:
		if (reference(dt, key, d, st, v, &mean, &sd) == -1)
			return -1;
		z = (v - mean) / sd;
		st->cusum_hi = fmax(0, st->cusum_hi + z - d->k);
		st->cusum_lo = fmax(0, st->cusum_lo - z - d->k);
		s = fmax(st->cusum_hi, st->cusum_lo);
		score_finding(f, s, d->limit, dt->band);
		snprintf(f->message, sizeof(f->message), "%s CUSUM %.3g %s "
		    "(reference %.6g)", d->field, s,
		    st->cusum_hi >= st->cusum_lo ? "upward" : "downward", mean);
		return 0;
	default:	/* DET_STUCK */
		st->repeats = st->started && v == st->last ? st->repeats + 1 : 1;
		st->started = 1;
		st->last = v;
		f->limit = (double)d->count;
		f->score = (double)st->repeats;
		f->fired = st->repeats >= d->count;
		f->clear = !f->fired;
		snprintf(f->message, sizeof(f->message), "%s stuck at %.6g for "
		    "%ld records", d->field, v, st->repeats);
		return 0;
	}
}

/* Event time of a record: the time field, else the window's start. */
static int
record_time(const struct json_span *v, hs_time *t)
{
	struct json_span start;

	if (v[SLOT_TIME].type == JSON_STRING ||
	    v[SLOT_TIME].type == JSON_NUMBER)
		return time_from_json(&v[SLOT_TIME], t);
	start = json_member(&v[SLOT_WINDOW], "start");
	if (start.type == JSON_STRING)
		return time_from_json(&start, t);
	return -1;
}

/* Dropouts: an aggregate row counts fewer samples than its window and the
 * sensor's rate promise. */
static int
evaluate_dropout(const struct json_span *v, const struct sensor_info *si,
    struct finding *f)
{
	hs_time t0, t1;
	double count;

	if (si == NULL || json_number(&v[SLOT_COUNT], &count) == -1 ||
	    window_bounds(&v[SLOT_WINDOW], &t0, &t1) == -1)
		return -1;
	f->score = NAN;
	f->value = count;
	f->limit = (double)si->rate_hz * (double)(t1 - t0) / 1e6;
	f->fired = count < f->limit;
	f->clear = !f->fired;
	snprintf(f->message, sizeof(f->message), "%.0f samples where %s at %d "
	    "Hz gives %.0f", count, si->name, si->rate_hz, f->limit);
	return 0;
}

static int
evaluate_gap(const struct detector *d, struct det_state *st,
    const struct json_span *v, struct finding *f)
{
	hs_time t;
	int known = st->started;

	if (record_time(v, &t) == -1)
		return -1;
	f->score = NAN;
	f->value = known ? (double)(t - st->last_time) / 1e6 : 0;
	f->limit = (double)d->gap / 1e6;
	st->last_time = t;
	st->started = 1;
	if (!known)
		return -1;
	f->fired = f->value > f->limit;
	f->clear = !f->fired;
	snprintf(f->message, sizeof(f->message), "%.6g s without a record "
	    "(more than %.6g s)", f->value, f->limit);
	return 0;
}

static void
put_finding(struct buf *b, const struct detector *d, const struct finding *f)
{
	buf_puts(b, "{\"detector\":\"");
	buf_puts(b, detector_name(d->kind));
	buf_puts(b, "\"");
	if (d->field != NULL) {
		buf_puts(b, ",\"field\":");
		buf_json_string(b, d->field, strlen(d->field));
	}
	buf_puts(b, ",\"value\":");
	buf_json_number(b, f->value);
	if (!isnan(f->score)) {
		buf_puts(b, ",\"score\":");
		buf_json_number(b, f->score);
	}
	buf_puts(b, ",\"limit\":");
	buf_json_number(b, f->limit);
	buf_puts(b, ",\"severity\":");
	buf_json_string(b, d->severity, strlen(d->severity));
	buf_puts(b, ",\"message\":");
	buf_json_string(b, f->message, strlen(f->message));
	buf_putc(b, '}');
}

/* Alert mode: a condition fires after --for records in a row, and resolves
 * after --for records in a row clear of it (past the clear band). */
static void
track_alert(struct detect *dt, const struct detector *d, struct det_state *st,
    const struct finding *f, const char *key, const struct json_span *v)
{
	int changing = st->firing ? f->clear : f->fired;

	st->pending = changing ? st->pending + 1 : 0;
	if (st->pending < dt->for_n)
		return;
	st->pending = 0;
	st->firing = !st->firing;
	buf_reset(&dt->out);
	buf_printf(&dt->out, "{\"alert\":\"%s\",\"key\":",
	    st->firing ? "firing" : "resolved");
	buf_json_string(&dt->out, key, strlen(key));
	if (v[SLOT_TIME].type == JSON_STRING || v[SLOT_TIME].type == JSON_NUMBER) {
		buf_puts(&dt->out, ",\"time\":");
		buf_put(&dt->out, v[SLOT_TIME].p, v[SLOT_TIME].len);
	} else if (v[SLOT_WINDOW].type == JSON_OBJECT) {
		buf_puts(&dt->out, ",\"window\":");
		buf_put(&dt->out, v[SLOT_WINDOW].p, v[SLOT_WINDOW].len);
	}
	buf_puts(&dt->out, ",\"anomaly\":");
	put_finding(&dt->out, d, f);
	buf_puts(&dt->out, "}\n");
	buf_write(&dt->out, stdout);
}

static void
make_key(struct detect *dt, const struct json_span *v)
{
	size_t i;
	long n;

	buf_reset(&dt->key);
	for (i = 0; i < dt->ngroup; i++) {
		const struct json_span *g = &v[SLOT_FIRST + i];

		if (i > 0)
			buf_putc(&dt->key, '|');
		if (g->type == JSON_STRING) {
			buf_reserve(&dt->key, g->len);
			n = json_string(g, dt->key.p + dt->key.len, g->len);
			dt->key.len += (size_t)(n > 0 ? n : 0);
		} else if (g->type != JSON_NONE)
			buf_put(&dt->key, g->p, g->len);
	}
	buf_putc(&dt->key, '\0');
}

static void
detect_record(struct detect *dt, const char *line, size_t len,
    const struct json_span *v)
{
	const struct sensor_info *si = NULL;
	struct key_state *ks;
	struct finding f;
	char sensor[64] = "";
	size_t i, found = 0;
	double x;
	int judged;

	make_key(dt, v);
	ks = key_state(dt, dt->key.p);
	if (v[SLOT_SENSOR].type == JSON_STRING &&
	    json_string(&v[SLOT_SENSOR], sensor, sizeof(sensor)) > 0)
		si = sensor_find(sensor, strlen(sensor));
	buf_reset(&dt->anomalies);
	for (i = 0; i < dt->ndets; i++) {
		const struct detector *d = &dt->dets[i];

		if (d->sensor_glob != NULL && fnmatch(d->sensor_glob, sensor, 0))
			continue;
		memset(&f, 0, sizeof(f));
		if (d->kind == DET_DROPOUT)
			judged = evaluate_dropout(v, si, &f);
		else if (d->kind == DET_GAP)
			judged = evaluate_gap(d, &ks->st[i], v, &f);
		else if (json_number(&v[dt->field_slot[i]], &x) == -1) {
			dt->missing[i]++;
			continue;
		} else
			judged = evaluate_value(dt, d, &ks->st[i], dt->key.p, si,
			    x, &f);
		if (judged == -1)
			continue;
		if (dt->alerts)
			track_alert(dt, d, &ks->st[i], &f, dt->key.p, v);
		else if (f.fired) {
			buf_putc(&dt->anomalies, found++ ? ',' : '[');
			put_finding(&dt->anomalies, d, &f);
		}
	}
	if (dt->alerts || (dt->only_anomalous && found == 0))
		return;
	buf_reset(&dt->out);
	if (found == 0)
		buf_put(&dt->out, line, len);
	else {
		buf_put_open_object(&dt->out, line, len);
		buf_puts(&dt->out, "\"anomaly\":");
		buf_put(&dt->out, dt->anomalies.p, dt->anomalies.len);
		buf_puts(&dt->out, "]}");
	}
	buf_putc(&dt->out, '\n');
	buf_write(&dt->out, stdout);
}

static void
learn_record(struct detect *dt, const struct json_span *v)
{
	size_t i;
	double x;

	make_key(dt, v);
	for (i = 0; i < dt->nfields; i++)
		if (json_number(&v[SLOT_FIRST + dt->ngroup + i], &x) == 0)
			baseline_learn_add(dt->key.p, dt->fields[i], x);
}

static void
detect_input(struct line_reader *lr, void *arg)
{
	struct detect *dt = arg;
	struct json_span v[sizeof(dt->scan) / sizeof(dt->scan[0])];
	struct json_error err;
	char *line;
	size_t len;

	while ((line = lr_next(lr, &len)) != NULL) {
		if (control_is(line, len)) {
			if (!dt->learn_path) {
				fwrite(line, 1, len, stdout);
				putchar('\n');
			}
			continue;
		}
		if (json_scan(line, len, dt->scan, dt->nscan, v, &err) == -1) {
			hs_bad_json(lr_name(lr), lr_lineno(lr), line, len, &err);
			continue;
		}
		if (dt->learn_path != NULL)
			learn_record(dt, v);
		else
			detect_record(dt, line, len, v);
	}
}

static void
parse_pair(const char *opt, const char *arg, double *a, double *b)
{
	char *end;

	*a = strtod(arg, &end);
	if (end == arg || *end != ',' || (*b = strtod(end + 1, &end), *end)) {
		hs_warn("%s: expected two numbers a,b, not '%s'", opt, arg);
		usage();
	}
}

/* Every field a detector reads gets a slot in the scan. */
static void
plan_scan(struct detect *dt)
{
	size_t i;

	dt->scan[SLOT_SENSOR] = "sensor";
	dt->scan[SLOT_WINDOW] = "window";
	dt->scan[SLOT_COUNT] = "count";
	dt->nscan = SLOT_FIRST;
	for (i = 0; i < dt->ngroup; i++)
		dt->scan[dt->nscan++] = dt->group[i];
	for (i = 0; i < dt->nfields; i++)
		dt->scan[dt->nscan++] = dt->fields[i];
	dt->field_slot = hs_xmalloc((dt->ndets + 1) * sizeof(int));
	for (i = 0; i < dt->ndets; i++)
		dt->field_slot[i] = dt->dets[i].field ?
		    scan_slot(dt, dt->dets[i].field) : 0;
	dt->missing = hs_xmalloc((dt->ndets + 1) * sizeof(*dt->missing));
	memset(dt->missing, 0, (dt->ndets + 1) * sizeof(*dt->missing));
}

static void
report_missing(const struct detect *dt)
{
	size_t i;

	for (i = 0; i < dt->ndets; i++)
		if (dt->missing[i] > 0)
			hs_warn("%lu record%s without a number in '%s' passed "
			    "unflagged (%s)", dt->missing[i],
			    dt->missing[i] == 1 ? "" : "s", dt->dets[i].field,
			    detector_name(dt->dets[i].kind));
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "learn", required_argument, NULL, 'L' },
		{ "robust", required_argument, NULL, 'R' },
		{ "z", required_argument, NULL, 'Z' },
		{ "ewma", required_argument, NULL, 'E' },
		{ "cusum", required_argument, NULL, 'C' },
		{ "warmup", required_argument, NULL, 'W' },
		{ "stuck", required_argument, NULL, 'K' },
		{ "dropout", no_argument, NULL, 'D' },
		{ "gap", required_argument, NULL, 'G' },
		{ "time", required_argument, NULL, 'T' },
		{ "alerts", no_argument, NULL, 'A' },
		{ "for", required_argument, NULL, 'N' },
		{ "clear-band", required_argument, NULL, 'B' },
		{ "tz", required_argument, NULL, 'z' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	static struct detect dt;
	struct detector *d, rule;
	const char *baseline_path = NULL, *why, *time_field = "timestamp";
	double robust = 3.5, a, b;
	char group_text[256] = "sensor", *end;
	int ch, plausibility = 0, dropout = 0;
	size_t i;

	hs_init("hs-detect");
	dt.warmup = 20;
	dt.for_n = 1;
	while ((ch = getopt_long(argc, argv, "ab:f:g:pr:St:h", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a': dt.only_anomalous = 1; break;
		case 'b': baseline_path = optarg; break;
		case 'f': dt.nfields = split(optarg, dt.fields, 16); break;
		case 'g':
			snprintf(group_text, sizeof(group_text), "%s", optarg);
			dt.ngroup = split(optarg, dt.group, MAX_GROUP);
			break;
		case 'p': plausibility = 1; break;
		case 'r': load_rules(optarg, &dt.dets, &dt.ndets); break;
		case 'S': hs_set_strict(1); break;
		case 't':
			if (parse_rule(optarg, &rule, &why) == -1) {
				hs_warn("-t '%s': %s", optarg, why);
				usage();
			}
			dt.dets = hs_xrealloc(dt.dets,
			    (dt.ndets + 1) * sizeof(*dt.dets));
			dt.dets[dt.ndets++] = rule;
			break;
		case 'L': dt.learn_path = optarg; break;
		case 'R': robust = strtod(optarg, NULL); break;
		case 'Z': dt.zlimit = strtod(optarg, NULL); break;
		case 'E':
			parse_pair("--ewma", optarg, &a, &b);
			if (!(a > 0 && a <= 1) || b <= 0)
				usage();
			d = add_detector(&dt, DET_EWMA, NULL);
			d->alpha = a;
			d->limit = b;
			break;
		case 'C':
			parse_pair("--cusum", optarg, &a, &b);
			d = add_detector(&dt, DET_CUSUM, NULL);
			d->k = a;
			d->limit = b;
			break;
		case 'W': dt.warmup = strtol(optarg, NULL, 10); break;
		case 'z':
			if (time_set_zone(optarg) == -1)
				usage();
			break;
		case 'K':
			d = add_detector(&dt, DET_STUCK, NULL);
			d->count = strtol(optarg, &end, 10);
			if (*end != '\0' || d->count < 2)
				usage();
			break;
		case 'D': dropout = 1; break;
		case 'G':
			d = add_detector(&dt, DET_GAP, NULL);
			if (duration_parse(optarg, &d->gap, 0) == -1) {
				hs_warn("--gap: invalid duration '%s': %s",
				    optarg, DURATION_FORMS);
				usage();
			}
			break;
		case 'T': time_field = optarg; break;
		case 'A': dt.alerts = 1; break;
		case 'N': dt.for_n = strtol(optarg, NULL, 10); break;
		case 'B': dt.band = strtod(optarg, NULL); break;
		case 'h': hs_usage(usage_text, 1);
		case 'V': hs_print_version();
		default: usage();
		}
	}
	if (dt.ngroup == 0) {
		dt.group[0] = "sensor";
		dt.ngroup = 1;
	}
	if (dt.nfields == 0) {
		dt.fields[0] = "value";
		dt.nfields = 1;
	}
	if (dt.for_n < 1)
		usage();
	/* drift and stuck detectors were added before -f was known: they
	 * apply to every -f field */
	for (i = 0; i < dt.ndets; i++)
		if (dt.dets[i].field == NULL && dt.dets[i].kind != DET_GAP) {
			dt.dets[i].field = hs_xstrdup(dt.fields[0]);
			for (size_t k = 1; k < dt.nfields; k++) {
				struct detector copy = dt.dets[i];

				copy.field = hs_xstrdup(dt.fields[k]);
				dt.dets = hs_xrealloc(dt.dets,
				    (dt.ndets + 1) * sizeof(*dt.dets));
				dt.dets[dt.ndets++] = copy;
			}
		}
	if (plausibility)
		add_per_field(&dt, DET_PLAUSIBILITY);
	if (dropout)
		add_detector(&dt, DET_DROPOUT, NULL);
	if (baseline_path != NULL) {
		dt.baseline = baseline_load(baseline_path);
		for (i = 0; i < dt.nfields; i++)
			add_detector(&dt, DET_BASELINE, dt.fields[i])->limit = robust;
	}
	if (dt.ndets == 0 && dt.learn_path == NULL) {
		hs_warn("no detector: give -t, -r, -p, -b, --ewma, --cusum, "
		    "--stuck, --dropout or --gap (or --learn)");
		usage();
	}
	dt.scan[SLOT_TIME] = time_field;
	plan_scan(&dt);
	lr_each_input(argc - optind, argv + optind, detect_input, &dt);
	if (dt.learn_path != NULL)
		baseline_learn_write(dt.learn_path, group_text);
	report_missing(&dt);
	return hs_finish();
}
