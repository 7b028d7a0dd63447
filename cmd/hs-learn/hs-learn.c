/*
 * hs-learn - train an XGBoost model on labelled feature records (as
 * hs-pivot makes them from hs-replay -p), one label at a time, through
 * XGBoost's C API, and write it in XGBoost's JSON model format with the
 * feature names and what hs-detect --model needs (see model.h).
 *
 * A label's levels are classes (multi:softprob) unless --regression.
 * Training is deterministic: the same records, options and seed give the
 * same model. With --cv K, each record gains the prediction of the model
 * trained on the other folds (out-of-fold), for hs-score -c.
 */
#include <fnmatch.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xgboost/c_api.h>

#include "cli.h"
#include "control.h"
#include "featurevec.h"
#include "json.h"
#include "jsonw.h"
#include "lineio.h"
#include "model.h"
#include "sensors.h"
#include "strtab.h"

struct learner {
	const char *label, *unit, *healthy, *out;
	char *include, *exclude;	/* comma-separated globs */
	int regression, cv;
	long rounds, depth, seed, threads;
	double eta;
	struct features fs;
	struct strtab *levels;	/* 's' or 'n' and level text -> number */
	float *x, *y;		/* rows of features; labels */
	size_t nrows, cap;
	size_t *level;		/* per row: its level's number */
	struct buf lines;	/* --cv: the records, each ending '\n' */
	size_t *line_at;
	size_t *class_of;	/* level number -> class (sorted levels) */
	size_t *sorted;		/* class -> level number */
};

static const char usage_text[] =
    "usage: hs-learn -l label [-o model.json] [-H level] [-f globs]\n"
    "                [-x globs]\n"
    "                [-u unit] [--regression] [--rounds n] [--depth n]\n"
    "                [--eta x] [--seed n] [--threads n] [--cv k] [file ...]\n"
    "  -l label      the label to predict, e.g. valve\n"
    "  -o file       the model, XGBoost JSON (default: LABEL.json)\n"
    "  -H level      the healthy level (default for the rig's labels)\n"
    "  -f globs      features: numeric members matching (default: all but\n"
    "                the label, the unit and the rig's labels)\n"
    "  -x globs      members that are never features\n"
    "  -u field      the unit, never a feature (default: cycle)\n"
    "  --regression  predict the label's value, not its class\n"
    "  --rounds n    boosting rounds (default 100); --depth n (default 6)\n"
    "  --eta x       learning rate (default 0.3); --seed n (default 0)\n"
    "  --threads n   threads (default 1)\n"
    "  --cv k        k-fold cross-validation: each record with the\n"
    "                prediction of the model of the other folds\n";

static void __attribute__((noreturn))
usage(void)
{
	hs_usage(usage_text, 0);
}

static int
matches(const char *globs, const char *name)
{
	char *copy, *list, *g;
	int hit = 0;

	if (globs == NULL)
		return 0;
	copy = list = hs_xstrdup(globs);
	while (!hit && (g = strsep(&list, ",")) != NULL)
		hit = *g != '\0' && fnmatch(g, name, 0) == 0;
	free(copy);
	return hit;
}

/* The features are the first record's numeric members that -f takes and
 * that are neither the label, the unit, a label of the rig, nor -x. */
static void
choose_features(struct learner *ln, const char *line, size_t len)
{
	struct json_span obj = { line, len, JSON_OBJECT }, key, val;
	const char *cursor = NULL;
	struct buf name = { 0 };

	while (json_next_member(&obj, &cursor, &key, &val) == 1) {
		if (val.type != JSON_NUMBER && val.type != JSON_NULL)
			continue;
		buf_reset(&name);
		buf_put(&name, key.p, key.len);
		buf_putc(&name, '\0');
		if (strcmp(name.p, ln->label) == 0 ||
		    strcmp(name.p, ln->unit) == 0 ||
		    profile_healthy(name.p) != NULL ||
		    matches(ln->exclude, name.p) ||
		    (ln->include != NULL && !matches(ln->include, name.p)))
			continue;
		features_add(&ln->fs, key.p, key.len);
	}
	buf_free(&name);
	if (features_count(&ln->fs) == 0)
		hs_fatal("the first record has no feature (numeric members "
		    "other than the label and the unit, that -f takes)");
}

static int
read_label(struct learner *ln, const struct json_span *v, size_t *level)
{
	struct buf text = { 0 };
	long n;

	buf_putc(&text, v->type == JSON_STRING ? 's' : 'n');
	if (v->type == JSON_STRING) {
		buf_reserve(&text, v->len);
		n = json_string(v, text.p + 1, v->len);
		text.len += n > 0 ? (size_t)n : 0;
	} else if (v->type == JSON_NUMBER)
		buf_put(&text, v->p, v->len);
	else
		return -1;
	if (ln->regression && v->type != JSON_NUMBER)
		return -1;
	*level = strtab_add(ln->levels, text.p, text.len, NULL);
	buf_free(&text);
	return 0;
}

static void
add_row(struct learner *ln, const char *line, size_t len, size_t level,
    double value)
{
	size_t nf = features_count(&ln->fs);

	if (ln->nrows == ln->cap) {
		ln->cap = ln->cap ? ln->cap * 2 : 1024;
		ln->x = hs_xrealloc(ln->x, ln->cap * nf * sizeof(*ln->x));
		ln->y = hs_xrealloc(ln->y, ln->cap * sizeof(*ln->y));
		ln->level = hs_xrealloc(ln->level,
		    ln->cap * sizeof(*ln->level));
		ln->line_at = hs_xrealloc(ln->line_at, ln->cap *
		    sizeof(*ln->line_at));
	}
	memcpy(ln->x + ln->nrows * nf, ln->fs.x, nf * sizeof(*ln->x));
	ln->y[ln->nrows] = (float)value;
	ln->level[ln->nrows] = level;
	ln->line_at[ln->nrows] = ln->lines.len;
	if (ln->cv) {
		buf_put(&ln->lines, line, len);
		buf_putc(&ln->lines, '\n');
	}
	ln->nrows++;
}

static void
learn_input(struct line_reader *lr, void *arg)
{
	struct learner *ln = arg;
	const char *keys[1] = { ln->label }, *lacking;
	struct json_span v[1];
	struct json_error err;
	size_t level, missing;
	double value = 0;
	char *line;
	size_t len;

	while ((line = lr_next(lr, &len)) != NULL) {
		if (control_is(line, len))
			continue;
		if (json_scan(line, len, keys, 1, v, &err) == -1) {
			hs_bad_json(lr_name(lr), lr_lineno(lr), line, len,
			    &err);
			continue;
		}
		if (read_label(ln, &v[0], &level) == -1 || (ln->regression &&
		    json_number(&v[0], &value) == -1)) {
			hs_bad_record(lr_name(lr), lr_lineno(lr),
			    "no label '%s'%s", ln->label,
			    ln->regression ? " that is a number" : "");
			continue;
		}
		if (features_count(&ln->fs) == 0)
			choose_features(ln, line, len);
		missing = features_read(&ln->fs, line, len, &lacking);
		if (missing > 0) {
			hs_bad_record(lr_name(lr), lr_lineno(lr), "%zu of the "
			    "features missing or not a number (first: %s)",
			    missing, lacking);
			continue;
		}
		add_row(ln, line, len, level, value);
	}
}

/* Classes are the levels in order; each row's label is its class. */
static void
number_classes(struct learner *ln)
{
	size_t n = strtab_count(ln->levels), i;

	ln->sorted = hs_xmalloc((n + 1) * sizeof(*ln->sorted));
	ln->class_of = hs_xmalloc((n + 1) * sizeof(*ln->class_of));
	strtab_order(ln->levels, 1, ln->sorted);	/* past 's' or 'n' */
	for (i = 0; i < n; i++)
		ln->class_of[ln->sorted[i]] = i;
	if (ln->regression)
		return;
	if (n < 2)
		hs_fatal("the label '%s' has %zu level%s: "
		    "nothing to tell apart", ln->label, n, n == 1 ? "" : "s");
	for (i = 0; i < ln->nrows; i++)
		ln->y[i] = (float)ln->class_of[ln->level[i]];
}

/* A level as JSON: a number as written, else a string. */
static void
put_level(struct buf *b, const struct learner *ln, size_t level)
{
	size_t len;
	const char *t = strtab_key(ln->levels, level, &len);

	if (*t == 'n')
		buf_put(b, t + 1, len - 1);
	else
		buf_json_string(b, t + 1, len - 1);
}

static void
set_param(BoosterHandle b, const char *name, long v)
{
	char text[32];

	snprintf(text, sizeof(text), "%ld", v);
	model_check(XGBoosterSetParam(b, name, text), name);
}

static BoosterHandle
train(struct learner *ln, const unsigned char *use)
{
	size_t nf = features_count(&ln->fs), n = 0, i;
	float *x = hs_xmalloc((ln->nrows + 1) * nf * sizeof(*x));
	float *y = hs_xmalloc((ln->nrows + 1) * sizeof(*y));
	const char **names = hs_xmalloc(nf * sizeof(*names));
	DMatrixHandle d;
	BoosterHandle b;
	char eta[32];
	long r;

	for (i = 0; i < ln->nrows; i++)
		if (use == NULL || use[i]) {
			memcpy(x + n * nf, ln->x + i * nf, nf * sizeof(*x));
			y[n++] = ln->y[i];
		}
	for (i = 0; i < nf; i++)
		names[i] = features_name(&ln->fs, i);
	model_check(XGDMatrixCreateFromMat(x, n, nf, NAN, &d), "training data");
	model_check(XGDMatrixSetFloatInfo(d, "label", y, n), "labels");
	model_check(XGBoosterCreate(&d, 1, &b), "training");
	model_check(XGBoosterSetParam(b, "objective", ln->regression ?
	    "reg:squarederror" : "multi:softprob"), "objective");
	if (!ln->regression)
		set_param(b, "num_class", (long)strtab_count(ln->levels));
	set_param(b, "max_depth", ln->depth);
	set_param(b, "seed", ln->seed);
	set_param(b, "nthread", ln->threads);
	model_check(XGBoosterSetParam(b, "tree_method", "hist"), "tree_method");
	snprintf(eta, sizeof(eta), "%.17g", ln->eta);
	model_check(XGBoosterSetParam(b, "eta", eta), "eta");
	for (r = 0; r < ln->rounds; r++)
		model_check(XGBoosterUpdateOneIter(b, (int)r, d), "training");
	model_check(XGBoosterSetStrFeatureInfo(b, "feature_name", names, nf),
	    "feature names");
	XGDMatrixFree(d);
	free(x);
	free(y);
	free(names);
	return b;
}

static void
write_model(struct learner *ln, BoosterHandle b)
{
	struct buf classes = { 0 };
	const char *text;
	bst_ulong len;
	size_t i;
	FILE *f;

	model_check(XGBoosterSetAttr(b, MODEL_ATTR_TARGET, ln->label),
	    "attributes");
	for (i = 0; !ln->regression && i < strtab_count(ln->levels); i++) {
		buf_putc(&classes, i ? ',' : '[');
		put_level(&classes, ln, ln->sorted[i]);
	}
	if (!ln->regression) {
		buf_putc(&classes, ']');
		model_check(XGBoosterSetAttr(b, MODEL_ATTR_CLASSES, classes.p),
		    "attributes");
	}
	if (ln->healthy != NULL)
		model_check(XGBoosterSetAttr(b, MODEL_ATTR_HEALTHY,
		    ln->healthy), "attributes");
	model_check(XGBoosterSaveModelToBuffer(b, "{\"format\":\"json\"}", &len,
	    &text), "saving the model");
	if ((f = fopen(ln->out, "w")) == NULL ||
	    fwrite(text, 1, len, f) != len || fclose(f) == EOF)
		hs_fatal("%s: cannot write the model", ln->out);
	buf_free(&classes);
}

/* Out-of-fold predictions: fold i holds the rows at positions i, i + k,
 * ... of a permutation drawn from the seed (xorshift). */
static void
cross_validate(struct learner *ln)
{
	size_t n = ln->nrows, nf = features_count(&ln->fs), i, j, fold;
	size_t *perm = hs_xmalloc((n + 1) * sizeof(*perm));
	unsigned char *use = hs_xmalloc(n + 1);
	unsigned long long s = 0x9e3779b97f4a7c15ULL ^ (unsigned long long)
	    ln->seed;
	struct buf out = { 0 }, rows = { 0 };
	const bst_ulong *shape;
	const float *pred;
	bst_ulong dim;
	BoosterHandle b;
	char array[160];

	for (i = 0; i < n; i++)
		perm[i] = i;
	for (i = n; i > 1; i--) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		j = (size_t)(s % i);
		fold = perm[i - 1];
		perm[i - 1] = perm[j];
		perm[j] = fold;
	}
	for (fold = 0; fold < (size_t)ln->cv; fold++) {
		memset(use, 1, n);
		for (i = fold; i < n; i += (size_t)ln->cv)
			use[perm[i]] = 0;
		b = train(ln, use);
		for (i = 0; i < n; i++) {
			const char *line;
			size_t cls = 0, k, len;
			double p;

			if (use[i])
				continue;
			snprintf(array, sizeof(array),
			    "{\"data\":[%zu,true],\"shape\":[1,%zu],"
			    "\"typestr\":\"<f4\",\"version\":3}",
			    (size_t)(ln->x + i * nf), nf);
			model_check(XGBoosterPredictFromDense(b, array,
			    "{\"type\":0,\"training\":false,"
			    "\"iteration_begin\":0,\"iteration_end\":0,"
			    "\"strict_shape\":false,\"missing\":NaN,"
			    "\"cache_id\":0}", NULL, &shape, &dim, &pred),
			    "predicting");
			for (k = 1; !ln->regression && k < shape[dim - 1]; k++)
				if (pred[k] > pred[cls])
					cls = k;
			p = pred[cls];
			line = ln->lines.p + ln->line_at[i];
			len = (size_t)(strchr(line, '\n') - line);
			buf_reset(&out);
			buf_put_open_object(&out, line, len);
			/* the comma is the prediction's */
			if (out.p[out.len - 1] == ',')
				out.len--;
			buf_reset(&rows);
			if (ln->regression)
				buf_json_number(&rows, p);
			else
				put_level(&rows, ln, ln->sorted[cls]);
			model_put_prediction(&out, ln->label, rows.p, rows.len,
			    ln->regression ? NAN : p);
			buf_puts(&out, "}\n");
			buf_write(&out, stdout);
		}
		XGBoosterFree(b);
	}
	buf_free(&out);
	buf_free(&rows);
	free(perm);
	free(use);
}

static void
parse_options(int argc, char *argv[], struct learner *ln)
{
	static const struct option longopts[] = {
		{ "regression", no_argument, NULL, 'R' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "depth", required_argument, NULL, 'd' },
		{ "eta", required_argument, NULL, 'e' },
		{ "seed", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 't' },
		{ "cv", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "f:H:l:o:u:x:h", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'f': ln->include = hs_xstrdup(optarg); break;
		case 'H': ln->healthy = optarg; break;
		case 'l': ln->label = optarg; break;
		case 'o': ln->out = optarg; break;
		case 'u': ln->unit = optarg; break;
		case 'x': ln->exclude = hs_xstrdup(optarg); break;
		case 'R': ln->regression = 1; break;
		case 'r':
			ln->rounds = hs_arg_long("--rounds", optarg, 1,
			    LONG_MAX, usage_text);
			break;
		case 'd':
			ln->depth = hs_arg_long("--depth", optarg, 1,
			    LONG_MAX, usage_text);
			break;
		case 'e':
			ln->eta = hs_arg_double("--eta", optarg, 0, 1,
			    usage_text);
			if (ln->eta == 0) {
				hs_warn("--eta: expected a number in (0, 1]");
				usage();
			}
			break;
		case 's':
			ln->seed = hs_arg_long("--seed", optarg, 0, LONG_MAX,
			    usage_text);
			break;
		case 't':
			ln->threads = hs_arg_long("--threads", optarg, 1,
			    LONG_MAX, usage_text);
			break;
		case 'c':
			ln->cv = (int)hs_arg_long("--cv", optarg, 2, INT_MAX,
			    usage_text);
			break;
		case 'h': hs_usage(usage_text, 1);
		case 'V': hs_print_version();
		default: usage();
		}
	}
	if (ln->label == NULL) {
		hs_warn("-l: which label to learn (e.g. -l valve)");
		usage();
	}
	if (ln->healthy == NULL && !ln->regression)
		ln->healthy = profile_healthy(ln->label);
}

int
main(int argc, char *argv[])
{
	static struct learner ln = { .unit = "cycle", .rounds = 100,
	    .depth = 6, .eta = 0.3, .threads = 1 };
	static struct buf path;
	BoosterHandle b;

	hs_init("hs-learn");
	parse_options(argc, argv, &ln);
	if (ln.out == NULL && !ln.cv) {
		buf_puts(&path, ln.label);
		buf_puts(&path, ".json");
		ln.out = path.p;
	}
	features_init(&ln.fs);
	ln.levels = strtab_new();
	lr_each_input(argc - optind, argv + optind, learn_input, &ln);
	if (ln.nrows == 0)
		hs_fatal("no labelled feature record to learn from");
	number_classes(&ln);
	if (ln.cv)
		cross_validate(&ln);
	if (ln.out != NULL) {
		b = train(&ln, NULL);
		write_model(&ln, b);
		XGBoosterFree(b);
	}
	return hs_finish();
}
