/*
 * hs-score - score a detection run, or a model's predictions, against
 * ground-truth labels.
 *
 * Records carry a unit (a cycle), a label (the cooler's condition, say)
 * and, when hs-detect flagged them, an "anomaly" member. A unit is flagged
 * when any of its records is. For every level of the label other than the
 * healthy one, the units at that level are the positives and the healthy
 * units the negatives (other levels are left out), giving confusion
 * counts, precision, recall, F1 and the detection delay: how many units
 * into each run of that level the first flag came. A last row scores every
 * faulty level together.
 *
 * With -c the records carry a predicted level as well (hs-detect --model
 * writes LABEL_predicted): one row per true level with the counts of each
 * predicted level (the confusion matrix), recall and precision, and a
 * last row with the accuracy. Output is NDJSON; units and levels are found
 * by hash.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "control.h"
#include "json.h"
#include "jsonw.h"
#include "lineio.h"
#include "sensors.h"
#include "strtab.h"

struct unit {
	double id;
	size_t level;		/* the label's level, in s->levels */
	size_t predicted;	/* -c: the predicted level */
	int flagged;
};

struct scorer {
	const char *label, *unit_field, *healthy, *predicted_field;
	int classes, digits;
	struct unit *units;
	size_t n;
	struct strtab *unit_index;	/* the bytes of a unit's id -> unit */
	struct strtab *levels;		/* level text -> number */
	struct buf text, out;
};

static const char usage_text[] =
    "usage: hs-score -l label [-H healthy-level] [-u unit] [-d digits]\n"
    "                [file ...]\n"
    "       hs-score -c -l label [-p field] [-u unit] [-d digits] [file ...]\n"
    "  -l field   the label, e.g. cooler\n"
    "  -H level   the label's healthy level, e.g. 100 (default for the\n"
    "             rig's labels: cooler 100, valve 100, pump_leak 0,\n"
    "             accumulator 130, stable 0)\n"
    "  -u field   the unit a flag is counted per (default: cycle)\n"
    "  -c         score predicted levels: accuracy and confusion matrix\n"
    "  -p field   the predicted level (default: LABEL_predicted)\n"
    "  -d digits  decimals of the figures (default 3)\n";

static void __attribute__((noreturn))
usage(void)
{
	hs_usage(usage_text, 0);
}

static struct unit *
find_unit(struct scorer *s, double id)
{
	size_t i;
	int added;

	if (id == 0)
		id = 0;		/* -0 and 0 are one unit */
	i = strtab_add(s->unit_index, &id, sizeof(id), &added);
	if (added) {
		if ((i & (i - 1)) == 0)
			s->units = hs_xrealloc(s->units, 2 * (i + 1) *
			    sizeof(*s->units));
		memset(&s->units[i], 0, sizeof(*s->units));
		s->units[i].id = id;
		s->n = i + 1;
	}
	return &s->units[i];
}

/* The number of a level: a string decoded, anything else as written. */
static int
level_of(struct scorer *s, const struct json_span *v, size_t *level)
{
	long n;

	if (v->type == JSON_NONE || v->type == JSON_OBJECT ||
	    v->type == JSON_ARRAY)
		return -1;
	buf_reset(&s->text);
	if (v->type == JSON_STRING) {
		buf_reserve(&s->text, v->len);
		if ((n = json_string(v, s->text.p, v->len)) < 0)
			return -1;
		s->text.len = (size_t)n;
	} else
		buf_put(&s->text, v->p, v->len);
	*level = strtab_add(s->levels, s->text.p, s->text.len, NULL);
	return 0;
}

static void
score_input(struct line_reader *lr, void *arg)
{
	struct scorer *s = arg;
	const char *keys[4] = { s->unit_field, s->label, "anomaly",
	    s->predicted_field };
	struct json_keys scan_keys;
	struct json_error err;
	struct json_span v[4];
	size_t level, predicted = 0;
	struct unit *u;
	double id;
	char *line;
	size_t len;

	json_keys_init(&scan_keys, keys, 3 + s->classes);
	while ((line = lr_next(lr, &len)) != NULL) {
		if (control_is(line, len))
			continue;
		if (json_scan_keys(line, len, &scan_keys, v, &err) == -1) {
			hs_bad_json(lr_name(lr), lr_lineno(lr), line, len,
			    &err);
			continue;
		}
		if (json_number(&v[0], &id) == -1 || level_of(s, &v[1],
		    &level) == -1) {
			hs_bad_record(lr_name(lr), lr_lineno(lr), "no numeric "
			    "'%s' or no '%s'", s->unit_field, s->label);
			continue;
		}
		if (s->classes && level_of(s, &v[3], &predicted) == -1) {
			hs_bad_record(lr_name(lr), lr_lineno(lr),
			    "no predicted level '%s'", s->predicted_field);
			continue;
		}
		u = find_unit(s, id);
		u->level = level;
		u->predicted = predicted;
		if (v[2].type == JSON_ARRAY ? v[2].len > 2 :
		    v[2].type == JSON_OBJECT)
			u->flagged = 1;
	}
}

static int
by_id(const void *a, const void *b)
{
	double x = ((const struct unit *)a)->id;
	double y = ((const struct unit *)b)->id;

	return (x > y) - (x < y);
}

/* A figure rounded to -d decimals, as the README shows them. */
static void
put_figure(struct scorer *s, const char *name, double x)
{
	double scale = pow(10, s->digits);

	buf_puts(&s->out, ",\"");
	buf_puts(&s->out, name);
	buf_puts(&s->out, "\":");
	buf_json_number(&s->out, round(x * scale) / scale);
}

static void
put_label(struct scorer *s, const char *level)
{
	buf_reset(&s->out);
	buf_puts(&s->out, "{\"label\":");
	buf_json_string(&s->out, s->label, strlen(s->label));
	buf_puts(&s->out, ",\"level\":");
	buf_json_string(&s->out, level, strlen(level));
}

/* Positive: the unit is at the level (or, for -1, at any faulty one). */
static int
positive(const struct unit *u, long level, long healthy)
{
	if (level >= 0)
		return u->level == (size_t)level;
	return (long)u->level != healthy;
}

static void
score_level(struct scorer *s, long level, long healthy)
{
	unsigned long tp = 0, fp = 0, fn = 0, tn = 0, runs = 0, delay_sum = 0;
	unsigned long delay_max = 0, into = 0;
	int in_run = 0, seen = 0;
	double precision, recall;
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct unit *u = &s->units[i];

		if (positive(u, level, healthy)) {
			tp += u->flagged;
			fn += !u->flagged;
			if (!in_run) {
				in_run = 1;
				seen = 0;
				into = 0;
				runs++;
			}
			if (!seen && u->flagged) {
				seen = 1;
				delay_sum += into;
				delay_max = into > delay_max ? into : delay_max;
			}
			into++;
			continue;
		}
		if (in_run && !seen) {
			delay_sum += into;
			delay_max = into > delay_max ? into : delay_max;
		}
		in_run = 0;
		if ((long)u->level == healthy) {
			fp += u->flagged;
			tn += !u->flagged;
		}
	}
	if (in_run && !seen) {
		delay_sum += into;
		delay_max = into > delay_max ? into : delay_max;
	}
	precision = tp + fp ? (double)tp / (double)(tp + fp) : 0;
	recall = tp + fn ? (double)tp / (double)(tp + fn) : 0;
	put_label(s, level >= 0 ? strtab_key(s->levels, (size_t)level, NULL) :
	    "any fault");
	buf_printf(&s->out, ",\"positives\":%lu,\"negatives\":%lu,\"tp\":%lu,"
	    "\"fp\":%lu,\"fn\":%lu,\"tn\":%lu", tp + fn, fp + tn, tp, fp, fn,
	    tn);
	put_figure(s, "precision", precision);
	put_figure(s, "recall", recall);
	put_figure(s, "f1", precision + recall > 0 ?
	    2 * precision * recall / (precision + recall) : 0);
	buf_printf(&s->out, ",\"runs\":%lu", runs);
	put_figure(s, "delay_mean",
	    runs ? (double)delay_sum / (double)runs : 0);
	buf_printf(&s->out, ",\"delay_max\":%lu}\n", delay_max);
	buf_write(&s->out, stdout);
}

static void
score_detection(struct scorer *s)
{
	long healthy = strtab_find(s->levels, s->healthy, strlen(s->healthy));
	size_t i;

	if (s->n > 0)
		qsort(s->units, s->n, sizeof(*s->units), by_id);
	for (i = 0; i < strtab_count(s->levels); i++)
		if ((long)i != healthy)
			score_level(s, (long)i, healthy);
	score_level(s, -1, healthy);
}

static void
score_classes(struct scorer *s)
{
	size_t nl = strtab_count(s->levels), i, j, k, *order, *count;
	unsigned long correct = 0, row, as;

	order = hs_xmalloc((nl + 1) * sizeof(*order));
	count = hs_xmalloc((nl * nl + 1) * sizeof(*count));
	memset(count, 0, (nl * nl + 1) * sizeof(*count));
	strtab_order(s->levels, 0, order);
	for (k = 0; k < s->n; k++)
		count[s->units[k].level * nl + s->units[k].predicted]++;
	for (i = 0; i < nl; i++) {
		for (j = 0, row = 0, as = 0; j < nl; j++) {
			row += count[order[i] * nl + order[j]];
			as += count[order[j] * nl + order[i]];
		}
		correct += count[order[i] * nl + order[i]];
		if (row == 0)
			continue;	/* a level only predicted */
		put_label(s, strtab_key(s->levels, order[i], NULL));
		buf_printf(&s->out, ",\"count\":%lu,\"correct\":%zu", row,
		    count[order[i] * nl + order[i]]);
		put_figure(s, "recall",
		    (double)count[order[i] * nl + order[i]] / (double)row);
		put_figure(s, "precision", as ? (double)count[order[i] * nl +
		    order[i]] / (double)as : 0);
		for (j = 0; j < nl; j++) {
			buf_puts(&s->out, ",");
			buf_json_string(&s->out, "as_", 3);
			s->out.len--;
			buf_puts(&s->out,
			    strtab_key(s->levels, order[j], NULL));
			buf_printf(&s->out, "\":%zu",
			    count[order[i] * nl + order[j]]);
		}
		buf_puts(&s->out, "}\n");
		buf_write(&s->out, stdout);
	}
	put_label(s, "all");
	buf_printf(&s->out, ",\"count\":%zu,\"correct\":%lu", s->n, correct);
	put_figure(s, "accuracy", s->n ? (double)correct / (double)s->n : 0);
	buf_puts(&s->out, "}\n");
	buf_write(&s->out, stdout);
	free(order);
	free(count);
}

static void
parse_options(int argc, char *argv[], struct scorer *s)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	static struct buf predicted;
	int ch;

	while ((ch = getopt_long(argc, argv, "cd:l:H:p:u:h", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c': s->classes = 1; break;
		case 'd':
			s->digits = (int)hs_arg_long("-d", optarg, 0, 17,
			    usage_text);
			break;
		case 'l': s->label = optarg; break;
		case 'H': s->healthy = optarg; break;
		case 'p': s->predicted_field = optarg; break;
		case 'u': s->unit_field = optarg; break;
		case 'h': hs_usage(usage_text, 1);
		case 'V': hs_print_version();
		default: usage();
		}
	}
	if (s->label == NULL) {
		hs_warn("-l: which label to score against (e.g. -l cooler)");
		usage();
	}
	if (s->healthy == NULL && !s->classes &&
	    (s->healthy = profile_healthy(s->label)) == NULL) {
		hs_warn("-H: the healthy level of '%s' is not known; give it",
		    s->label);
		usage();
	}
	if (s->predicted_field == NULL) {
		buf_puts(&predicted, s->label);
		buf_puts(&predicted, "_predicted");
		s->predicted_field = predicted.p;
	}
}

int
main(int argc, char *argv[])
{
	struct scorer s = { .unit_field = "cycle", .digits = 3 };

	hs_init("hs-score");
	parse_options(argc, argv, &s);
	s.unit_index = strtab_new();
	s.levels = strtab_new();
	lr_each_input(argc - optind, argv + optind, score_input, &s);
	if (s.classes)
		score_classes(&s);
	else
		score_detection(&s);
	free(s.units);
	strtab_free(s.unit_index);
	strtab_free(s.levels);
	buf_free(&s.text);
	buf_free(&s.out);
	return hs_finish();
}
