/*
 * rules.c - threshold rules, from the command line ("avg_value<20,CE,
 * critical") or from a rules file of one JSON object per line, so that
 * every error names its line:
 *
 *   {"detector":"threshold","field":"avg_value","op":"<","value":20,
 *    "sensor":"CE","severity":"critical"}
 *   {"detector":"plausibility","field":"value","sensor":"TS*","min":0,"max":90}
 *
 * Blank lines and lines starting with # are skipped.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "detect.h"
#include "lineio.h"

static const char *const kind_names[] = { "threshold", "plausibility",
    "baseline", "ewma", "cusum", "stuck", "dropout", "gap", "model" };
static const char *const op_names[] = { "<", "<=", ">", ">=", "==", "!=" };

const char *
detector_name(enum detector_kind k)
{
	return kind_names[k];
}

const char *
op_text(enum op op)
{
	return op_names[op];
}

int
op_holds(enum op op, double v, double limit)
{
	switch (op) {
	case OP_LT: return v < limit;
	case OP_LE: return v <= limit;
	case OP_GT: return v > limit;
	case OP_GE: return v >= limit;
	case OP_EQ: return v == limit;
	default: return v != limit;
	}
}

static int
parse_op(const char *s, enum op *op)
{
	size_t i;

	for (i = 0; i < sizeof(op_names) / sizeof(op_names[0]); i++)
		if (strcmp(s, op_names[i]) == 0) {
			*op = (enum op)i;
			return 0;
		}
	return -1;
}

/* "FIELD OP VALUE[,GLOB[,SEVERITY]]", spaces allowed around OP. */
int
parse_rule(const char *text, struct detector *d, const char **why)
{
	char opbuf[3], *end, *rest;
	const char *p = text + strspn(text, " "), *field = p;
	size_t n = strcspn(p, "<>=! "), fieldlen = n;
	double v;

	memset(d, 0, sizeof(*d));
	d->kind = DET_THRESHOLD;
	if (n == 0) {
		*why = "expected FIELD OP VALUE";
		return -1;
	}
	p += n;
	p += strspn(p, " ");
	n = strspn(p, "<>=!");
	if (n == 0 || n > 2) {
		*why = "expected an operator: < <= > >= == !=";
		return -1;
	}
	memcpy(opbuf, p, n);
	opbuf[n] = '\0';
	if (parse_op(opbuf, &d->op) == -1) {
		*why = "unknown operator (< <= > >= == !=)";
		return -1;
	}
	v = strtod(p + n, &end);
	if (end == p + n || !isfinite(v)) {
		*why = "expected a number after the operator";
		return -1;
	}
	d->limit = v;
	d->field = hs_xmalloc(fieldlen + 1);
	memcpy(d->field, field, fieldlen);
	d->field[fieldlen] = '\0';
	d->severity = hs_xstrdup("warning");
	end += strspn(end, " ");
	if (*end == ',') {
		rest = hs_xstrdup(end + 1);
		end = strchr(rest, ',');
		if (end != NULL && end[1] != '\0') {
			free(d->severity);
			d->severity = hs_xstrdup(end + 1);
		}
		if (end != NULL)
			*end = '\0';
		if (*rest != '\0')
			d->sensor_glob = hs_xstrdup(rest);
		free(rest);
	} else if (*end != '\0') {
		*why = "unexpected text after the value";
		return -1;
	}
	return 0;
}

static const char *
rule_from_json(json_t *o, struct detector *d)
{
	const char *kind = json_string_value(json_object_get(o, "detector"));
	const char *field = json_string_value(json_object_get(o, "field"));
	const char *op = json_string_value(json_object_get(o, "op"));
	const char *sensor = json_string_value(json_object_get(o, "sensor"));
	const char *sev = json_string_value(json_object_get(o, "severity"));
	json_t *v;

	memset(d, 0, sizeof(*d));
	if (kind == NULL)
		return "no \"detector\" (threshold or plausibility)";
	if (field == NULL)
		return "no \"field\"";
	if (strcmp(kind, "threshold") == 0) {
		d->kind = DET_THRESHOLD;
		if (op == NULL || parse_op(op, &d->op) == -1)
			return "unknown operator (< <= > >= == !=)";
		v = json_object_get(o, "value");
		if (!json_is_number(v))
			return "\"value\" must be a number";
		d->limit = json_number_value(v);
	} else if (strcmp(kind, "plausibility") == 0) {
		d->kind = DET_PLAUSIBILITY;
		if (!json_is_number(json_object_get(o, "min")) ||
		    !json_is_number(json_object_get(o, "max")))
			return "\"min\" and \"max\" must be numbers";
		d->min = json_number_value(json_object_get(o, "min"));
		d->max = json_number_value(json_object_get(o, "max"));
	} else
		return "unknown detector (threshold or plausibility)";
	d->field = hs_xstrdup(field);
	d->sensor_glob = sensor && *sensor ? hs_xstrdup(sensor) : NULL;
	d->severity = hs_xstrdup(sev && *sev ? sev :
	    d->kind == DET_PLAUSIBILITY ? "error" : "warning");
	return NULL;
}

void
load_rules(const char *path, struct detector **dets, size_t *n)
{
	struct line_reader *lr;
	json_error_t error;
	size_t first = *n;
	const char *why;
	char *line;
	json_t *o;

	if ((lr = lr_open(path, 0)) == NULL)
		hs_fatal("%s: %s", path, strerror(errno));
	while ((line = lr_next_setting(lr)) != NULL) {
		if ((o = json_loads(line, 0, &error)) == NULL)
			hs_fatal("%s:%lu: %s", path, lr_lineno(lr), error.text);
		*dets = hs_xrealloc(*dets, (*n + 1) * sizeof(**dets));
		if (!json_is_object(o))
			why = "a rule is a JSON object";
		else
			why = rule_from_json(o, &(*dets)[*n]);
		json_decref(o);
		if (why != NULL)
			hs_fatal("%s:%lu: %s", path, lr_lineno(lr), why);
		(*n)++;
	}
	if (*n == first)
		hs_fatal("%s: no rule in the file (one JSON object a line)",
		    path);
	lr_close(lr);
}
