/*
 * hs-score - score a detection run against ground-truth labels.
 *
 * Records carry a unit (a cycle), a label (the cooler's condition, say)
 * and, when hs-detect flagged them, an "anomaly" member. A unit is flagged
 * when any of its records is. For every level of the label other than the
 * healthy one, the units at that level are the positives and the healthy
 * units the negatives (other levels are left out), giving confusion
 * counts, precision, recall, F1 and the detection delay: how many units
 * into each run of that level the first flag came. A last row scores every
 * faulty level together. Output is NDJSON, one row per level.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "control.h"
#include "json.h"
#include "jsonw.h"
#include "lineio.h"

struct unit {
	double id;
	char level[32];
	int flagged;
};

struct scorer {
	const char *label, *unit_field, *healthy;
	struct unit *units;
	size_t n, cap, last;
	char levels[16][32];
	size_t nlevels;
};

static const char usage_text[] =
    "usage: hs-score -l label -H healthy-level [-u unit] [file ...]\n"
    "  -l field   the label, e.g. cooler\n"
    "  -H level   the label's healthy level, e.g. 100\n"
    "  -u field   the unit a flag is counted per (default: cycle)\n";

static void __attribute__((noreturn))
usage(void)
{
	hs_usage(usage_text, 0);
}

static struct unit *
find_unit(struct scorer *s, double id)
{
	size_t i;

	if (s->last < s->n && s->units[s->last].id == id)
		return &s->units[s->last];
	for (i = s->n; i-- > 0;)
		if (s->units[i].id == id) {
			s->last = i;
			return &s->units[i];
		}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->units = hs_xrealloc(s->units, s->cap * sizeof(*s->units));
	}
	memset(&s->units[s->n], 0, sizeof(*s->units));
	s->units[s->n].id = id;
	s->last = s->n;
	return &s->units[s->n++];
}

static void
note_level(struct scorer *s, const char *level)
{
	size_t i;

	for (i = 0; i < s->nlevels; i++)
		if (strcmp(s->levels[i], level) == 0)
			return;
	if (s->nlevels < 16)
		snprintf(s->levels[s->nlevels++], 32, "%s", level);
}

static void
score_input(struct line_reader *lr, void *arg)
{
	struct scorer *s = arg;
	const char *keys[3] = { s->unit_field, s->label, "anomaly" };
	struct json_error err;
	struct json_span v[3];
	struct unit *u;
	char level[32];
	double id;
	char *line;
	size_t len;

	while ((line = lr_next(lr, &len)) != NULL) {
		if (control_is(line, len))
			continue;
		if (json_scan(line, len, keys, 3, v, &err) == -1) {
			hs_bad_json(lr_name(lr), lr_lineno(lr), line, len, &err);
			continue;
		}
		if (json_number(&v[0], &id) == -1 || v[1].type == JSON_NONE ||
		    v[1].len >= sizeof(level)) {
			hs_bad_record(lr_name(lr), lr_lineno(lr), "no numeric "
			    "'%s' or no '%s'", s->unit_field, s->label);
			continue;
		}
		if (v[1].type == JSON_STRING)
			json_string(&v[1], level, sizeof(level));
		else
			snprintf(level, sizeof(level), "%.*s", (int)v[1].len, v[1].p);
		u = find_unit(s, id);
		snprintf(u->level, sizeof(u->level), "%s", level);
		note_level(s, level);
		if (v[2].type == JSON_ARRAY ? v[2].len > 2 : v[2].type == JSON_OBJECT)
			u->flagged = 1;
	}
}

static int
by_id(const void *a, const void *b)
{
	double x = ((const struct unit *)a)->id, y = ((const struct unit *)b)->id;

	return (x > y) - (x < y);
}

/* Positive: the unit is at the level (or, for NULL, at any faulty one). */
static int
positive(const struct scorer *s, const struct unit *u, const char *level)
{
	return level ? strcmp(u->level, level) == 0 :
	    strcmp(u->level, s->healthy) != 0;
}

static void
score_level(struct scorer *s, const char *level)
{
	unsigned long tp = 0, fp = 0, fn = 0, tn = 0, runs = 0, delay_sum = 0;
	unsigned long delay_max = 0, into = 0;
	int in_run = 0, seen = 0;
	double precision, recall;
	struct buf b = { 0 };
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct unit *u = &s->units[i];
		int pos = positive(s, u, level);

		if (pos) {
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
				if (into > delay_max)
					delay_max = into;
			}
			into++;
		} else {
			if (in_run && !seen) {
				delay_sum += into;
				if (into > delay_max)
					delay_max = into;
			}
			in_run = 0;
			if (strcmp(u->level, s->healthy) == 0) {
				fp += u->flagged;
				tn += !u->flagged;
			}
		}
	}
	if (in_run && !seen) {
		delay_sum += into;
		if (into > delay_max)
			delay_max = into;
	}
	precision = tp + fp ? (double)tp / (double)(tp + fp) : 0;
	recall = tp + fn ? (double)tp / (double)(tp + fn) : 0;
	buf_puts(&b, "{\"label\":");
	buf_json_string(&b, s->label, strlen(s->label));
	buf_puts(&b, ",\"level\":");
	buf_json_string(&b, level ? level : "any fault",
	    strlen(level ? level : "any fault"));
	buf_printf(&b, ",\"positives\":%lu,\"negatives\":%lu,\"tp\":%lu,"
	    "\"fp\":%lu,\"fn\":%lu,\"tn\":%lu,\"precision\":", tp + fn, fp + tn,
	    tp, fp, fn, tn);
	buf_json_number(&b, precision);
	buf_puts(&b, ",\"recall\":");
	buf_json_number(&b, recall);
	buf_puts(&b, ",\"f1\":");
	buf_json_number(&b, precision + recall > 0 ?
	    2 * precision * recall / (precision + recall) : 0);
	buf_printf(&b, ",\"runs\":%lu,\"delay_mean\":", runs);
	buf_json_number(&b, runs ? (double)delay_sum / (double)runs : 0);
	buf_printf(&b, ",\"delay_max\":%lu}\n", delay_max);
	buf_write(&b, stdout);
	buf_free(&b);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct scorer s = { .unit_field = "cycle" };
	size_t i;
	int ch;

	hs_init("hs-score");
	while ((ch = getopt_long(argc, argv, "l:H:u:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l': s.label = optarg; break;
		case 'H': s.healthy = optarg; break;
		case 'u': s.unit_field = optarg; break;
		case 'h': hs_usage(usage_text, 1);
		case 'V': hs_print_version();
		default: usage();
		}
	}
	if (s.label == NULL || s.healthy == NULL)
		usage();
	lr_each_input(argc - optind, argv + optind, score_input, &s);
	qsort(s.units, s.n, sizeof(*s.units), by_id);
	for (i = 0; i < s.nlevels; i++)
		if (strcmp(s.levels[i], s.healthy) != 0)
			score_level(&s, s.levels[i]);
	score_level(&s, NULL);
	free(s.units);
	return hs_finish();
}
