/*
 * model.c - XGBoost models in hs (see model.h): the feature vector of a
 * record, and a model file read, checked and applied through XGBoost's
 * C API.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xgboost/c_api.h>

#include "cli.h"
#include "lineio.h"
#include "model.h"

void
model_check(int rc, const char *doing)
{
	const char *why, *p;

	if (rc == 0)
		return;
	/* "[18:10:41] ../src/learner.cc:1234: reason", maybe with a stack:
	 * keep the first line of the reason */
	why = XGBGetLastError();
	if (*why == '[' && (p = strstr(why, "] ")) != NULL) {
		why = p + 2;
		if ((p = strstr(why, ": ")) != NULL)
			why = p + 2;
	}
	hs_fatal("%s: %.*s", doing, (int)strcspn(why, "\n"), why);
}

/* A level as compact JSON text, for comparing levels as written. */
static char *
level_text(json_t *v)
{
	char *t;

	if (v == NULL || (t = json_dumps(v, JSON_ENCODE_ANY)) == NULL)
		hs_fatal("a level that is not JSON");
	return t;
}

static const char *
attribute(json_t *learner, const char *name)
{
	return json_string_value(json_object_get(json_object_get(learner,
	    "attributes"), name));
}

/* The objective decides what a prediction is: probabilities of classes,
 * or a value. */
static void
read_objective(struct model *m, json_t *learner)
{
	const char *obj = json_string_value(json_object_get(json_object_get(
	    learner, "objective"), "name"));
	const char *nc = json_string_value(json_object_get(json_object_get(
	    learner, "learner_model_param"), "num_class"));

	if (obj == NULL)
		hs_fatal("%s: not an XGBoost model: no objective", m->path);
	if (strcmp(obj, "multi:softprob") == 0 ||
	    strcmp(obj, "multi:softmax") == 0) {
		m->nclass = nc ? strtoul(nc, NULL, 10) : 0;
		if (m->nclass < 2)
			hs_fatal("%s: %s with %s classes", m->path, obj,
			    nc ? nc : "no");
	} else if (strcmp(obj, "binary:logistic") == 0)
		m->nclass = 2;
	else if (strncmp(obj, "reg:", 4) == 0)
		m->nclass = 0;
	else
		hs_fatal("%s: objective %s: hs applies multi:softprob, "
		    "multi:softmax, binary:logistic and reg: models", m->path,
		    obj);
}

static void
read_classes(struct model *m, json_t *learner, const char *healthy)
{
	const char *text = attribute(learner, MODEL_ATTR_CLASSES);
	json_t *levels = NULL, *h;
	char buf[32], *want = NULL;
	size_t i;

	m->classes = hs_xmalloc((m->nclass + 1) * sizeof(*m->classes));
	if (text != NULL && ((levels = json_loads(text, 0, NULL)) == NULL ||
	    !json_is_array(levels) || json_array_size(levels) != m->nclass))
		hs_fatal("%s: attribute %s is not a JSON array of %zu levels",
		    m->path, MODEL_ATTR_CLASSES, m->nclass);
	for (i = 0; i < m->nclass; i++) {
		if (levels != NULL)
			m->classes[i] = level_text(json_array_get(levels, i));
		else {
			snprintf(buf, sizeof(buf), "%zu", i);
			m->classes[i] = hs_xstrdup(buf);
		}
	}
	json_decref(levels);
	m->healthy = -1;
	if (healthy == NULL)
		healthy = attribute(learner, MODEL_ATTR_HEALTHY);
	if (healthy == NULL || m->nclass == 0)
		return;
	if ((h = json_loads(healthy, JSON_DECODE_ANY, NULL)) == NULL)
		h = json_string(healthy);
	want = level_text(h);
	json_decref(h);
	for (i = 0; i < m->nclass; i++)
		if (strcmp(m->classes[i], want) == 0)
			m->healthy = (long)i;
	if (m->healthy == -1)
		hs_fatal("%s: the healthy level %s is none of the model's "
		    "classes", m->path, want);
	free(want);
}

/* The document of the model being loaded: held here while its checks
 * may end the run, so that a refused model leaves no unreachable memory
 * behind (LeakSanitizer), and released once it is loaded. */
static json_t *doc;

/* The checks that give a clear message before XGBoost sees the file. */
static json_t *
read_learner(struct model *m, const char *text, size_t len)
{
	json_error_t error;
	json_t *version, *learner, *names;
	long major, minor;

	if ((doc = json_loadb(text, len, 0, &error)) == NULL)
		hs_fatal("%s: not an XGBoost JSON model: line %d: %s", m->path,
		    error.line, error.text);
	version = json_object_get(doc, "version");
	learner = json_object_get(doc, "learner");
	if (!json_is_object(learner) || !json_is_array(version) ||
	    !json_is_integer(json_array_get(version, 0)) ||
	    !json_is_integer(json_array_get(version, 1)))
		hs_fatal("%s: not an XGBoost JSON model (no learner and "
		    "version)", m->path);
	major = (long)json_integer_value(json_array_get(version, 0));
	minor = (long)json_integer_value(json_array_get(version, 1));
	if (major != 1 || minor > 7)
		hs_fatal("%s: written by XGBoost %ld.%ld; this build reads "
		    "models of XGBoost 1.0 to 1.7", m->path, major, minor);
	names = json_object_get(learner, "feature_names");
	if (json_array_size(names) == 0)
		hs_fatal("%s: the model has no feature names (train it on "
		    "named features: hs-learn does, python3-xgboost with "
		    "DMatrix(feature_names=...))", m->path);
	return learner;
}

struct model *
model_load(const char *path, const char *healthy)
{
	struct model *m = hs_xmalloc(sizeof(*m));
	json_t *learner, *names, *name;
	const char *target;
	BoosterHandle b;
	char doing[512];
	size_t len, i;
	char *text;

	memset(m, 0, sizeof(*m));
	m->path = path;
	text = read_whole_file(path, &len);
	learner = read_learner(m, text, len);
	read_objective(m, learner);
	read_classes(m, learner, healthy);
	target = attribute(learner, MODEL_ATTR_TARGET);
	m->target = hs_xstrdup(target ? target : "class");
	features_init(&m->features);
	names = json_object_get(learner, "feature_names");
	json_array_foreach(names, i, name) {
		if (!json_is_string(name))
			hs_fatal("%s: feature name %zu is not a string", path,
			    i);
		if (features_add(&m->features, json_string_value(name),
		    json_string_length(name)) != i)
			hs_fatal("%s: feature %s named twice", path,
			    json_string_value(name));
	}
	json_decref(doc);
	doc = NULL;
	snprintf(doing, sizeof(doing), "%s: XGBoost cannot load it", path);
	model_check(XGBoosterCreate(NULL, 0, &b), doing);
	model_check(XGBoosterLoadModelFromBuffer(b, text, len), doing);
	model_check(XGBoosterSetParam(b, "nthread", "1"), doing);
	free(text);
	m->booster = b;
	m->array = hs_xmalloc(128);
	snprintf(m->array, 128, "{\"data\":[%ju,true],\"shape\":[1,%zu],"
	    "\"typestr\":\"<f4\",\"version\":3}", (uintmax_t)(uintptr_t)
	    m->features.x, features_count(&m->features));
	return m;
}

/* ,"PREFIXSUFFIX": */
static void
put_member_name(struct buf *b, const char *prefix, const char *suffix)
{
	buf_putc(b, ',');
	buf_json_string(b, prefix, strlen(prefix));
	b->len--;		/* reopen the string */
	buf_puts(b, suffix);
	buf_puts(b, "\":");
}

void
model_put_prediction(struct buf *b, const char *target, const char *level,
    size_t len, double p)
{
	put_member_name(b, target, "_predicted");
	buf_put(b, level, len);
	if (isnan(p))
		return;
	put_member_name(b, target, "_probability");
	buf_json_number(b, p);
}

void
model_predict(struct model *m, size_t *cls, double *p)
{
	static const char config[] = "{\"type\":0,\"training\":false,"
	    "\"iteration_begin\":0,\"iteration_end\":0,\"strict_shape\":false,"
	    "\"missing\":NaN,\"cache_id\":0}";
	const bst_ulong *shape;
	const float *out;
	bst_ulong dim, n, i;

	model_check(XGBoosterPredictFromDense(m->booster, m->array, config,
	    NULL, &shape, &dim, &out), m->path);
	for (n = 1, i = 0; i < dim; i++)
		n *= shape[i];
	*cls = 0;
	*p = out[0];
	if (m->nclass == 2 && n == 1) {		/* binary:logistic */
		*cls = out[0] > 0.5f;
		*p = *cls ? out[0] : 1 - out[0];
	} else if (m->nclass > 0 && n == m->nclass) {
		for (i = 1; i < n; i++)
			if (out[i] > out[*cls])
				*cls = i;
		*p = out[*cls];
	} else if (m->nclass > 0 && n == 1) {	/* multi:softmax: class */
		*cls = (size_t)out[0];
		*p = NAN;
	}
}
