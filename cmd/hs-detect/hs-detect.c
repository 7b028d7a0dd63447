/*
 * hs-detect - flag anomalies in NDJSON records: threshold rules, physical
 * plausibility, scores against a learned baseline, slow drift (EWMA and
 * CUSUM), data quality (stuck sensors, dropouts, gaps in event time), and
 * the condition an XGBoost model predicts from a feature record.
 *
 * Each record gains "anomaly":[{detector, field, value, limit or score,
 * severity, message}, ...] when a detector fires (merged into the array a
 * record already has); with --alerts only firing and resolved records come
 * out, one per condition, as an alerting system would send them. State is
 * kept per key (the -g fields), found by hash.
 */
#include <fnmatch.h>
#include <getopt.h>
#include <limits.h>
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
#include "model.h"
#include "sensors.h"
#include "strtab.h"

#define SLOT_SENSOR 0
#define SLOT_TIME 1
#define SLOT_WINDOW 2
#define SLOT_COUNT 3
#define SLOT_ANOMALY 4
#define SLOT_FIRST 5

struct list {
	const char **item;
	size_t n;
};

struct detect {
	struct detector *dets;
	size_t ndets;
	struct list group, fields;	/* -g, -f */
	char *group_text;
	const char *scan[JSON_SCAN_MAX_KEYS];
	size_t nscan;
	struct json_keys scan_keys;	/* scan, prepared once */
	int *field_slot;	/* per detector: its field's scan slot */
	struct baseline *baseline;
	const char *learn_path;
	double zlimit, band;
	long warmup, for_n;
	int only_anomalous, alerts, alerted;
	unsigned long records;	/* judged so far */
	int *gslot, *fslot;	/* scan slots of the -g and -f fields */
	struct strtab *keys;	/* key text -> number */
	struct det_state **state;	/* per key number: one per detector */
	unsigned long *missing;	/* per detector */
	struct buf out, anomalies, predictions, key;
};

static const char usage_text[] =
    "usage: hs-detect [-aS] [-g fields] [-f fields] [-t rule] [-r rules]\n"
    "                 [-p] [-b baseline | --learn file] [--robust score]\n"
    "                 [--z score] [--ewma alpha,limit] [--cusum k,h]\n"
    "                 [--stuck n] [--dropout] [--gap duration]\n"
    "                 [--model file [--healthy level]] [--alerts]\n"
    "                 [--for n] [--clear-band x] [--tz zone] [file ...]\n"
    "  -t rule       threshold: 'FIELD OP VALUE[,SENSOR-GLOB[,SEVERITY]]'\n"
    "  -r file       rules, one JSON object a line\n"
    "  -p            physical plausibility of the -f fields (built-in ranges)\n"
    "  -f fields     value fields for -p, -b, drift, stuck (default: value)\n"
    "  -g fields     the key state is kept per (default: sensor)\n"
    "  --learn file  learn a baseline of the -f fields; -b file: score\n"
    "  --robust x    robust score limit (default 4; 0: none); --z x: z-score\n"
    "  --ewma a,L    EWMA drift; --cusum k,h: CUSUM drift\n"
    "  --stuck n     n equal values in a row; --dropout: count too low\n"
    "  --gap d       event-time gap longer than d\n"
    "  --model file  predict with an XGBoost model (hs-learn)\n"
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

/* A comma-separated list, from a copy: argv stays as typed (ps(1)). */
static void
split(const char *arg, struct list *l)
{
	char *list = hs_xstrdup(arg), *item;

	l->n = 0;
	while ((item = strsep(&list, ",")) != NULL)
		if (*item != '\0') {
			l->item = hs_xrealloc(l->item, (l->n + 1) *
			    sizeof(*l->item));
			l->item[l->n++] = item;
		}
}

static int
scan_slot(struct detect *dt, const char *name)
{
	size_t i;

	for (i = 0; i < dt->nscan; i++)
		if (strcmp(dt->scan[i], name) == 0)
			return (int)i;
	if (dt->nscan == JSON_SCAN_MAX_KEYS)
		hs_fatal("the detectors read more than %d distinct fields "
		    "(group, value and rule fields); split them over several "
		    "hs-detect stages", JSON_SCAN_MAX_KEYS - SLOT_FIRST);
	dt->scan[dt->nscan] = name;
	return (int)dt->nscan++;
}

static struct det_state *
key_state(struct detect *dt, const struct buf *key)
{
	size_t k, i;
	int added;

	k = strtab_add(dt->keys, key->p, key->len, &added);
	if (!added)
		return dt->state[k];
	if ((k & (k - 1)) == 0)		/* 0, 1, 2, 4, ...: grow */
		dt->state = hs_xrealloc(dt->state, 2 * (k + 1) *
		    sizeof(*dt->state));
	dt->state[k] = hs_xmalloc((dt->ndets + 1) * sizeof(**dt->state));
	memset(dt->state[k], 0, (dt->ndets + 1) * sizeof(**dt->state));
	for (i = 0; i < dt->ndets; i++)
		if (dt->baseline != NULL && dt->dets[i].field != NULL)
			dt->state[k][i].base = baseline_find(dt->baseline,
			    key->p, dt->dets[i].field);
	return dt->state[k];
}

/* The reference mean and spread of a field: the baseline's, else the
 * running estimate of the first --warmup records. 0 when known. */
static int
reference(struct detect *dt, struct det_state *st, double v, double *mean,
    double *sd)
{
	double delta;

	if (st->base != NULL) {
		*mean = st->base->mean;
		*sd = st->base->stddev > 0 ? st->base->stddev : 1e-12;
		return 0;
	}
	if (st->n < dt->warmup) {
		st->n++;
		delta = v - st->mean;
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

static int
evaluate_baseline(struct detect *dt, const struct detector *d,
    const struct det_state *st, double v, struct finding *f)
{
	const struct base_stats *b = st->base;
	double z, s;

	if (b == NULL)
		return -1;
	z = b->stddev > 0 ? (v - b->mean) / b->stddev : 0;
	s = b->mad > 0 ? (v - b->median) / (1.4826 * b->mad) : z;
	score_finding(f, fabs(s), d->limit, dt->band);
	if (dt->zlimit > 0) {
		f->fired |= fabs(z) > dt->zlimit;
		f->clear &= fabs(z) < dt->zlimit - dt->band;
	}
	f->score = s;
	f->ref = b->median;
	f->spread = b->mad;
	f->stat = z;
	return 0;
}

/* Evaluate a numeric detector on value v. 0, or -1 when it cannot judge
 * (no reference yet, unknown sensor). */
static int
evaluate_value(struct detect *dt, const struct detector *d,
    struct det_state *st, double v, struct finding *f)
{
	double mean, sd, lo, hi, z;

	f->value = v;
	f->score = NAN;
	switch (d->kind) {
	case DET_THRESHOLD:
		f->limit = d->limit;
		f->fired = op_holds(d->op, v, d->limit);
		if (d->op == OP_LT || d->op == OP_LE)
			f->clear = v >= d->limit + dt->band;
		else if (d->op == OP_GT || d->op == OP_GE)
			f->clear = v <= d->limit - dt->band;
		else
			f->clear = !f->fired;
		return 0;
	case DET_PLAUSIBILITY:
		lo = isnan(d->min) ? (f->si ? f->si->min : NAN) : d->min;
		hi = isnan(d->max) ? (f->si ? f->si->max : NAN) : d->max;
		if (isnan(lo) || isnan(hi))
			return -1;
		f->fired = v < lo || v > hi;
		f->clear = !f->fired;
		f->limit = v < lo ? lo : hi;
		f->ref = lo;
		f->spread = hi;
		return 0;
	case DET_BASELINE:
		return evaluate_baseline(dt, d, st, v, f);
	case DET_EWMA:
		if (reference(dt, st, v, &mean, &sd) == -1)
			return -1;
		st->ewma = st->started ?
		    d->alpha * v + (1 - d->alpha) * st->ewma : v;
		st->started = 1;
		score_finding(f, fabs(st->ewma - mean) /
		    (sd * sqrt(d->alpha / (2 - d->alpha))), d->limit, dt->band);
		f->stat = st->ewma;
		f->ref = mean;
		return 0;
	case DET_CUSUM:
		if (reference(dt, st, v, &mean, &sd) == -1)
			return -1;
		z = (v - mean) / sd;
		st->cusum_hi = fmax(0, st->cusum_hi + z - d->k);
		st->cusum_lo = fmax(0, st->cusum_lo - z - d->k);
		score_finding(f, fmax(st->cusum_hi, st->cusum_lo), d->limit,
		    dt->band);
		f->stat = st->cusum_hi >= st->cusum_lo ? 1 : -1;
		f->ref = mean;
		return 0;
	default:	/* DET_STUCK */
		f->stat = (double)st->repeats;
		st->repeats = st->started && v == st->last ?
		    st->repeats + 1 : 1;
		st->started = 1;
		st->last = v;
		f->limit = (double)d->count;
		f->score = (double)st->repeats;
		f->fired = st->repeats >= d->count;
		f->clear = !f->fired;
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
evaluate_dropout(const struct json_span *v, struct finding *f)
{
	hs_time t0, t1;
	double count;

	if (f->si == NULL || json_number(&v[SLOT_COUNT], &count) == -1 ||
	    window_bounds(&v[SLOT_WINDOW], &t0, &t1) == -1)
		return -1;
	f->score = NAN;
	f->value = count;
	f->limit = (double)f->si->rate_hz * (double)(t1 - t0) / 1e6;
	f->fired = count < f->limit;
	f->clear = !f->fired;
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
	return 0;
}

/* A model's prediction from a feature record: the record gains the
 * predicted class and its probability (or the predicted value); the
 * finding fires when the class is not the healthy one. The first record
 * lacking the model's features is fatal: the model does not fit the
 * stream. */
static int
evaluate_model(struct detect *dt, const struct detector *d, const char *line,
    size_t len, struct finding *f)
{
	struct model *m = d->model;
	const char *lacking;
	char value[32];
	size_t n, cls;
	double p;

	if ((n = features_read(&m->features, line, len, &lacking)) > 0) {
		if (dt->records == 0)
			hs_fatal("%s: the records lack %zu of the model's %zu "
			    "features (first: %s): it was trained on other "
			    "features", m->path, n,
			    features_count(&m->features), lacking);
		return -2;
	}
	model_predict(m, &cls, &p);
	if (m->nclass == 0) {
		fmt_double(value, p);
		model_put_prediction(&dt->predictions, m->target, value,
		    strlen(value), NAN);
		return -1;
	}
	model_put_prediction(&dt->predictions, m->target, m->classes[cls],
	    strlen(m->classes[cls]), p);
	if (m->healthy < 0)
		return -1;
	f->value = (double)cls;
	f->text = m->classes[cls];
	f->textlen = strlen(f->text);
	f->stat = (double)cls;
	f->score = p;
	f->fired = (long)cls != m->healthy;
	f->clear = !f->fired;
	return 0;
}

static void
put_finding(struct buf *b, const struct detector *d, const struct finding *f,
    int cleared, double band)
{
	const char *field = d->kind == DET_MODEL ? d->model->target : d->field;

	buf_puts(b, "{\"detector\":\"");
	buf_puts(b, detector_name(d->kind));
	buf_putc(b, '"');
	if (field != NULL) {
		buf_puts(b, ",\"field\":");
		buf_json_string(b, field, strlen(field));
	}
	buf_puts(b, ",\"value\":");
	if (f->text != NULL)
		buf_put(b, f->text, f->textlen);
	else
		buf_json_number(b, f->value);
	if (!isnan(f->score)) {
		buf_puts(b, d->kind == DET_MODEL ? ",\"probability\":" :
		    ",\"score\":");
		buf_json_number(b, f->score);
	}
	if (d->kind == DET_MODEL) {
		buf_puts(b, ",\"healthy\":");
		buf_puts(b, d->model->classes[d->model->healthy]);
	} else {
		buf_puts(b, ",\"limit\":");
		buf_json_number(b, f->limit);
	}
	buf_puts(b, ",\"severity\":");
	buf_json_string(b, d->severity, strlen(d->severity));
	buf_puts(b, ",\"message\":\"");
	put_message(b, d, f, cleared, band);
	buf_putc(b, '"');
	buf_putc(b, '}');
}

/* Alert mode: a condition fires after --for records in a row, and resolves
 * after --for records in a row clear of it (past the clear band). */
static void
track_alert(struct detect *dt, const struct detector *d, struct det_state *st,
    const struct finding *f, const struct json_span *v)
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
	buf_json_string(&dt->out, dt->key.p, dt->key.len);
	if (v[SLOT_TIME].type == JSON_STRING ||
	    v[SLOT_TIME].type == JSON_NUMBER) {
		buf_puts(&dt->out, ",\"time\":");
		buf_put(&dt->out, v[SLOT_TIME].p, v[SLOT_TIME].len);
	} else if (v[SLOT_WINDOW].type == JSON_OBJECT) {
		buf_puts(&dt->out, ",\"window\":");
		buf_put(&dt->out, v[SLOT_WINDOW].p, v[SLOT_WINDOW].len);
	}
	buf_puts(&dt->out, ",\"anomaly\":");
	put_finding(&dt->out, d, f, !st->firing, dt->band);
	buf_puts(&dt->out, "}\n");
	buf_write(&dt->out, stdout);
	dt->alerted = 1;
}

static void
make_key(struct detect *dt, const struct json_span *v)
{
	size_t i;
	long n;

	buf_reset(&dt->key);
	for (i = 0; i < dt->group.n; i++) {
		const struct json_span *g = &v[dt->gslot[i]];

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
	dt->key.len--;
}

/* The record with its findings: appended to its "anomaly" array when it
 * has one (a value other than an array becomes the array's first
 * element), else in a new "anomaly" member; predictions last. */
static void
put_record(struct detect *dt, const char *line, size_t len,
    const struct json_span *old)
{
	const char *close;
	char *end;

	buf_reset(&dt->out);
	if (dt->anomalies.len == 0)
		buf_put(&dt->out, line, len);
	else if (old->type == JSON_NONE) {
		buf_put_open_object(&dt->out, line, len);
		buf_puts(&dt->out, "\"anomaly\":[");
		buf_put(&dt->out, dt->anomalies.p, dt->anomalies.len);
		buf_puts(&dt->out, "]}");
	} else if (old->type == JSON_ARRAY) {
		close = old->p + old->len - 1;
		buf_put(&dt->out, line, (size_t)(close - line));
		if (json_skip_ws(old->p + 1, close) != close)
			buf_putc(&dt->out, ',');
		buf_put(&dt->out, dt->anomalies.p, dt->anomalies.len);
		buf_put(&dt->out, close, (size_t)(line + len - close));
	} else {
		buf_put(&dt->out, line, (size_t)(old->p - line));
		buf_putc(&dt->out, '[');
		buf_put(&dt->out, old->p, old->len);
		buf_putc(&dt->out, ',');
		buf_put(&dt->out, dt->anomalies.p, dt->anomalies.len);
		buf_putc(&dt->out, ']');
		buf_put(&dt->out, old->p + old->len,
		    (size_t)(line + len - old->p - old->len));
	}
	if (dt->predictions.len > 0) {	/* ,"a":1,... before the brace */
		end = dt->out.p + dt->out.len;
		while (*--end != '}')
			;
		dt->out.len = (size_t)(end - dt->out.p);
		while (end > dt->out.p && strchr(" \t\r\n", end[-1]))
			end--;
		buf_put(&dt->out, dt->predictions.p + (end[-1] == '{'),
		    dt->predictions.len - (end[-1] == '{'));
		buf_putc(&dt->out, '}');
	}
	buf_putc(&dt->out, '\n');
	buf_write(&dt->out, stdout);
}

static int
evaluate(struct detect *dt, const struct detector *d, struct det_state *st,
    const char *line, size_t len, const struct json_span *v,
    struct finding *f)
{
	double x;

	switch (d->kind) {
	case DET_DROPOUT:
		return evaluate_dropout(v, f);
	case DET_GAP:
		return evaluate_gap(d, st, v, f);
	case DET_MODEL:
		return evaluate_model(dt, d, line, len, f);
	default:
		if (json_number(&v[dt->field_slot[d - dt->dets]], &x) == -1)
			return -2;
		f->text = v[dt->field_slot[d - dt->dets]].p;
		f->textlen = v[dt->field_slot[d - dt->dets]].len;
		return evaluate_value(dt, d, st, x, f);
	}
}

static void
detect_record(struct detect *dt, const char *line, size_t len,
    const struct json_span *v)
{
	const struct sensor_info *si = NULL;
	struct det_state *st;
	struct finding f;
	char sensor[64] = "";
	size_t i;
	int judged;

	make_key(dt, v);
	st = key_state(dt, &dt->key);
	if (v[SLOT_SENSOR].type == JSON_STRING &&
	    json_string(&v[SLOT_SENSOR], sensor, sizeof(sensor)) > 0)
		si = sensor_find(sensor, strlen(sensor));
	buf_reset(&dt->anomalies);
	buf_reset(&dt->predictions);
	for (i = 0; i < dt->ndets; i++) {
		const struct detector *d = &dt->dets[i];

		if (d->sensor_glob != NULL &&
		    fnmatch(d->sensor_glob, sensor, 0) != 0)
			continue;
		memset(&f, 0, sizeof(f));
		f.si = si;
		if ((judged = evaluate(dt, d, &st[i], line, len, v, &f)) == -2)
			dt->missing[i]++;
		if (judged < 0)
			continue;
		if (dt->alerts)
			track_alert(dt, d, &st[i], &f, v);
		else if (f.fired) {
			if (dt->anomalies.len > 0)
				buf_putc(&dt->anomalies, ',');
			put_finding(&dt->anomalies, d, &f, 0, dt->band);
		}
	}
	dt->records++;
	if (dt->alerts || (dt->only_anomalous && dt->anomalies.len == 0))
		return;
	put_record(dt, line, len, &v[SLOT_ANOMALY]);
}

static void
learn_record(struct detect *dt, const struct json_span *v)
{
	size_t i;
	double x;

	make_key(dt, v);
	for (i = 0; i < dt->fields.n; i++)
		if (json_number(&v[dt->fslot[i]], &x) == 0)
			baseline_learn_add(dt->key.p, dt->key.len,
			    dt->fields.item[i], x);
}

/* Control records pass on, but an alert stream keeps only those that end
 * a batch of alerts (the sinks' batches) and the end of the stream. */
static void
pass_control(struct detect *dt, const char *line, size_t len)
{
	enum control_kind k = control_kind(line, len);

	if (dt->learn_path != NULL)
		return;
	if (dt->alerts && !dt->alerted && k != CONTROL_END && k != CONTROL_STOP)
		return;
	dt->alerted = 0;
	fwrite(line, 1, len, stdout);
	putchar('\n');
}

static void
detect_input(struct line_reader *lr, void *arg)
{
	struct detect *dt = arg;
	struct json_span v[JSON_SCAN_MAX_KEYS];
	struct json_error err;
	char *line;
	size_t len;

	while ((line = lr_next(lr, &len)) != NULL) {
		if (control_is(line, len)) {
			pass_control(dt, line, len);
			continue;
		}
		if (json_scan_keys(line, len, &dt->scan_keys, v, &err) == -1) {
			hs_bad_json(lr_name(lr), lr_lineno(lr), line, len,
			    &err);
			continue;
		}
		if (dt->learn_path != NULL)
			learn_record(dt, v);
		else
			detect_record(dt, line, len, v);
	}
}

/* The part of a two-number option: a finite number from min to max,
 * above min if open is set. */
static double
pair_part(const char *opt, const char *name, const char *arg, double min,
    double max, int open)
{
	char label[32];
	double v;

	snprintf(label, sizeof(label), "%s %s", opt, name);
	v = hs_arg_double(label, arg, min, max, usage_text);
	if (open && v == min) {
		hs_warn("%s: expected a number above %g, not '%s'", label, min,
		    arg);
		usage();
	}
	return v;
}

/* A two-number option: the names of its parts and the range of the
 * first, from 0 (or above 0) to max; the second is above 0. */
struct pair_option {
	const char *opt, *first, *second;
	double first_max;
	int first_open;
};

static const struct pair_option ewma_option = { "--ewma", "alpha", "limit",
	1, 1 };
static const struct pair_option cusum_option = { "--cusum", "k", "h",
	INFINITY, 0 };

static void
parse_pair(const struct pair_option *po, char *arg, double *a, double *b)
{
	char *comma = strchr(arg, ',');

	if (comma == NULL) {
		hs_warn("%s: expected two numbers a,b, not '%s'", po->opt, arg);
		usage();
	}
	*comma = '\0';
	*a = pair_part(po->opt, po->first, arg, 0, po->first_max,
	    po->first_open);
	*b = pair_part(po->opt, po->second, comma + 1, 0, INFINITY, 1);
	*comma = ',';
}

/* Every field a detector reads gets a slot in the scan. */
static void
plan_scan(struct detect *dt, const char *time_field)
{
	size_t i;

	dt->scan[SLOT_SENSOR] = "sensor";
	dt->scan[SLOT_TIME] = time_field;
	dt->scan[SLOT_WINDOW] = "window";
	dt->scan[SLOT_COUNT] = "count";
	dt->scan[SLOT_ANOMALY] = "anomaly";
	dt->nscan = SLOT_FIRST;
	dt->gslot = hs_xmalloc(dt->group.n * sizeof(int));
	for (i = 0; i < dt->group.n; i++)
		dt->gslot[i] = scan_slot(dt, dt->group.item[i]);
	dt->fslot = hs_xmalloc(dt->fields.n * sizeof(int));
	for (i = 0; i < dt->fields.n; i++)
		dt->fslot[i] = scan_slot(dt, dt->fields.item[i]);
	dt->field_slot = hs_xmalloc((dt->ndets + 1) * sizeof(int));
	for (i = 0; i < dt->ndets; i++)
		dt->field_slot[i] = dt->dets[i].field ?
		    scan_slot(dt, dt->dets[i].field) : 0;
	dt->missing = hs_xmalloc((dt->ndets + 1) * sizeof(*dt->missing));
	memset(dt->missing, 0, (dt->ndets + 1) * sizeof(*dt->missing));
	json_keys_init(&dt->scan_keys, dt->scan, dt->nscan);
}

static void
report_missing(const struct detect *dt)
{
	size_t i;

	for (i = 0; i < dt->ndets; i++)
		if (dt->missing[i] > 0)
			hs_warn("%lu record%s without %s%s%s passed "
			    "unflagged (%s)", dt->missing[i],
			    dt->missing[i] == 1 ? "" : "s",
			    dt->dets[i].kind == DET_MODEL ? "the features of " :
			    "a number in '", dt->dets[i].kind == DET_MODEL ?
			    dt->dets[i].model->path : dt->dets[i].field,
			    dt->dets[i].kind == DET_MODEL ? "" : "'",
			    detector_name(dt->dets[i].kind));
}

/* Drift and stuck detectors were added before -f was known: they apply
 * to every -f field. */
static void
spread_over_fields(struct detect *dt)
{
	size_t i, k, n = dt->ndets;

	for (i = 0; i < n; i++) {
		if (dt->dets[i].field != NULL || dt->dets[i].kind == DET_GAP ||
		    dt->dets[i].kind == DET_DROPOUT ||
		    dt->dets[i].kind == DET_MODEL)
			continue;
		dt->dets[i].field = hs_xstrdup(dt->fields.item[0]);
		for (k = 1; k < dt->fields.n; k++) {
			struct detector copy = dt->dets[i];

			copy.field = hs_xstrdup(dt->fields.item[k]);
			dt->dets = hs_xrealloc(dt->dets,
			    (dt->ndets + 1) * sizeof(*dt->dets));
			dt->dets[dt->ndets++] = copy;
		}
	}
}

struct options {
	const char *baseline, *time_field, *healthy;
	struct list models;
	double robust;
	int plausibility;
};

static void
parse_options(int argc, char *argv[], struct detect *dt, struct options *o)
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
		{ "model", required_argument, NULL, 'M' },
		{ "healthy", required_argument, NULL, 'H' },
		{ "time", required_argument, NULL, 'T' },
		{ "alerts", no_argument, NULL, 'A' },
		{ "for", required_argument, NULL, 'N' },
		{ "clear-band", required_argument, NULL, 'B' },
		{ "tz", required_argument, NULL, 'z' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct detector *d, rule;
	const char *why;
	double a, b;
	int ch;

	while ((ch = getopt_long(argc, argv, "ab:f:g:pr:St:h", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a': dt->only_anomalous = 1; break;
		case 'b': o->baseline = optarg; break;
		case 'f': split(optarg, &dt->fields); break;
		case 'g': split(optarg, &dt->group); break;
		case 'p': o->plausibility = 1; break;
		case 'r': load_rules(optarg, &dt->dets, &dt->ndets); break;
		case 'S': hs_set_strict(1); break;
		case 't':
			if (parse_rule(optarg, &rule, &why) == -1) {
				hs_warn("-t '%s': %s", optarg, why);
				usage();
			}
			dt->dets = hs_xrealloc(dt->dets,
			    (dt->ndets + 1) * sizeof(*dt->dets));
			dt->dets[dt->ndets++] = rule;
			break;
		case 'L': dt->learn_path = optarg; break;
		case 'R':
			o->robust = hs_arg_double("--robust", optarg, 0,
			    INFINITY, usage_text);
			break;
		case 'Z':
			dt->zlimit = hs_arg_double("--z", optarg, 0,
			    INFINITY, usage_text);
			break;
		case 'E':
			parse_pair(&ewma_option, optarg, &a, &b);
			d = add_detector(dt, DET_EWMA, NULL);
			d->alpha = a;
			d->limit = b;
			break;
		case 'C':
			parse_pair(&cusum_option, optarg, &a, &b);
			d = add_detector(dt, DET_CUSUM, NULL);
			d->k = a;
			d->limit = b;
			break;
		case 'W':
			dt->warmup = hs_arg_long("--warmup", optarg, 2,
			    LONG_MAX, usage_text);
			break;
		case 'z':
			if (time_set_zone(optarg) == -1)
				usage();
			break;
		case 'K':
			d = add_detector(dt, DET_STUCK, NULL);
			d->count = hs_arg_long("--stuck", optarg, 2,
			    LONG_MAX, usage_text);
			break;
		case 'D': add_detector(dt, DET_DROPOUT, NULL); break;
		case 'G':
			d = add_detector(dt, DET_GAP, NULL);
			d->gap = hs_arg_duration("--gap", optarg, 0,
			    usage_text);
			break;
		case 'M':
			o->models.item = hs_xrealloc(o->models.item,
			    (o->models.n + 1) * sizeof(*o->models.item));
			o->models.item[o->models.n++] = optarg;
			break;
		case 'H': o->healthy = optarg; break;
		case 'T': o->time_field = optarg; break;
		case 'A': dt->alerts = 1; break;
		case 'N':
			dt->for_n = hs_arg_long("--for", optarg, 1, LONG_MAX,
			    usage_text);
			break;
		case 'B':
			dt->band = hs_arg_double("--clear-band", optarg, 0,
			    INFINITY, usage_text);
			break;
		case 'h': hs_usage(usage_text, 1);
		case 'V': hs_print_version();
		default: usage();
		}
	}
}

static void
configure(struct detect *dt, struct options *o)
{
	size_t i;

	if (dt->group.n == 0)
		split("sensor", &dt->group);
	if (dt->fields.n == 0)
		split("value", &dt->fields);
	dt->group_text = hs_xstrdup(dt->group.item[0]);
	for (i = 1; i < dt->group.n; i++) {
		dt->group_text = hs_xrealloc(dt->group_text,
		    strlen(dt->group_text) + strlen(dt->group.item[i]) + 2);
		strcat(strcat(dt->group_text, ","), dt->group.item[i]);
	}
	spread_over_fields(dt);
	for (i = 0; o->plausibility && i < dt->fields.n; i++)
		add_detector(dt, DET_PLAUSIBILITY, dt->fields.item[i]);
	if (o->baseline != NULL) {
		dt->baseline = baseline_load(o->baseline, dt->group_text);
		for (i = 0; (o->robust > 0 || dt->zlimit > 0) &&
		    i < dt->fields.n; i++)
			add_detector(dt, DET_BASELINE,
			    dt->fields.item[i])->limit =
			    o->robust > 0 ? o->robust : INFINITY;
	}
	for (i = 0; i < o->models.n; i++)
		add_detector(dt, DET_MODEL, NULL)->model =
		    model_load(o->models.item[i], o->healthy);
	free(o->models.item);
	o->models.item = NULL;
	o->models.n = 0;
	if (dt->ndets == 0 && dt->learn_path == NULL) {
		hs_warn("no detector: give -t, -r, -p, -b, --ewma, --cusum, "
		    "--stuck, --dropout, --gap or --model (or --learn)");
		usage();
	}
	plan_scan(dt, o->time_field);
	dt->keys = strtab_new();
}

int
main(int argc, char *argv[])
{
	static struct detect dt;
	struct options o = { .time_field = "timestamp", .robust = 4 };

	hs_init("hs-detect");
	dt.warmup = 20;
	dt.for_n = 1;
	parse_options(argc, argv, &dt, &o);
	configure(&dt, &o);
	lr_each_input(argc - optind, argv + optind, detect_input, &dt);
	if (dt.learn_path != NULL)
		baseline_learn_write(dt.learn_path, dt.group_text);
	report_missing(&dt);
	return hs_finish();
}
