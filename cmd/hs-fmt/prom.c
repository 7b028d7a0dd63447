/*
 * prom.c - the Prometheus text exposition format (version 0.0.4).
 *
 * An exposition is a snapshot: the newest value of every series, a series
 * being a metric and its labels. The metric of a numeric field is the
 * prefix (-n), '_' and the field's name sanitized (avg_value gives
 * hydraulic_avg_value), and a name ending in _count, _sum, _bucket or
 * _total, suffixes Prometheus keeps for other types, gains _value (count
 * gives hydraulic_count_value); the labels are the key fields, their names
 * sanitized and their values escaped (\\, \" and \n). Every metric is a
 * gauge: a window's count is not a counter. Booleans are 1 and 0; numbers
 * are written as Go's ParseFloat reads them back, +Inf and -Inf beyond the
 * range of a double. A label value holding U+0000 makes a bad record.
 *
 * The snapshot keeps at most PROM_MAX_SERIES series: a record that would
 * add one more is a bad record, so that a flood of label values cannot
 * grow the exposition (or Prometheus) without limit.
 *
 * To stdout the snapshot is written once, at the end of the input; with
 * --textfile it rewrites a file atomically (a temporary file renamed over
 * it, see textfile.c) at the end of every batch, for node_exporter's
 * textfile collector.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"

#define NO_TIME LLONG_MIN

struct series {
	size_t family;
	size_t labels;		/* offset of {a="x",b="y"} or "" in key */
	char value[40];
	long long ms;		/* timestamp, or NO_TIME */
};

static struct nameset fields;	/* the field each family shows */
static struct nameset families;	/* their metric names, numbered alike */
static struct nameset keys;	/* family number, NUL, labels */
static struct series *series;
static size_t series_cap;
static int dirty;
static struct buf labels, label_names, name, key, text, out;

/* The family of a field; two fields whose names sanitize alike get
 * distinct metrics, the later with a number. */
static size_t
family_of(const char *field)
{
	static const char *const reserved[] = { "_count", "_sum", "_bucket",
	    "_total" };
	size_t i, len, k = 1;

	if ((i = nameset_find(&fields, field, strlen(field))) != NAMESET_NONE)
		return i;
	buf_reset(&name);
	sanitize_name(&name, fmt_opts.name);
	buf_putc(&name, '_');
	sanitize_name(&name, field);
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (name.len >= strlen(reserved[i]) &&
		    strcmp(name.p + name.len - strlen(reserved[i]),
		    reserved[i]) == 0)
			buf_puts(&name, "_value");
	len = name.len;
	while (nameset_find(&families, name.p, name.len) != NAMESET_NONE) {
		name.len = len;
		buf_printf(&name, "_%zu", ++k);
	}
	nameset_add(&families, name.p, name.len);
	return nameset_add(&fields, field, strlen(field));
}

/* The series of a family and the labels, or NULL if it would be one too
 * many. */
static struct series *
series_of(size_t family)
{
	struct series *s;
	size_t i, n = keys.n;

	buf_reset(&key);
	buf_printf(&key, "%zu", family);
	buf_putc(&key, '\0');
	buf_put(&key, labels.p, labels.len);
	if ((i = nameset_find(&keys, key.p, key.len)) != NAMESET_NONE)
		return &series[i];
	if (n == PROM_MAX_SERIES)
		return NULL;
	nameset_add(&keys, key.p, key.len);
	if (keys.n > series_cap) {
		series_cap = keys.nslots / 2;
		series = hs_xrealloc(series, series_cap * sizeof(*series));
	}
	s = &series[n];
	s->family = family;
	s->labels = strlen(key.p) + 1;
	return s;
}

/* A label value, escaped: 0, or -1 if it holds U+0000. */
static int
put_label_value(struct buf *b, const struct json_span *v)
{
	size_t i;

	buf_reset(&text);
	cell_text(&text, v, "");
	for (i = 0; i < text.len; i++) {
		switch (text.p[i]) {
		case '\0': return -1;
		case '\\': buf_puts(b, "\\\\"); break;
		case '"': buf_puts(b, "\\\""); break;
		case '\n': buf_puts(b, "\\n"); break;
		default: buf_putc(b, text.p[i]);
		}
	}
	return 0;
}

/* Whether the label name is among the first n of the record, whose names
 * are NUL-separated in label_names. */
static int
label_taken(const char *label, size_t n)
{
	const char *p = label_names.p;

	for (; n > 0; n--, p += strlen(p) + 1)
		if (strcmp(p, label) == 0)
			return 1;
	return 0;
}

/* A label's name: sanitized; one beginning with "__", which Prometheus
 * reserves, gains the prefix "hs"; a name taken by an earlier label of
 * the record gains a number. */
static void
put_label_name(const char *field, size_t n)
{
	size_t at = label_names.len, len, k = 1;

	if (strncmp(field, "__", 2) == 0)
		buf_puts(&label_names, "hs");
	sanitize_name(&label_names, field);
	len = label_names.len;
	while (label_taken(label_names.p + at, n)) {
		label_names.len = len;
		buf_printf(&label_names, "_%zu", ++k);
	}
	buf_puts(&labels, label_names.p + at);
	buf_putc(&label_names, '\0');
}

static int
put_labels(const struct flat *fl, const char *input, unsigned long lineno)
{
	size_t i, n = 0;

	buf_reset(&labels);
	buf_reset(&label_names);
	for (i = 0; i < fl->n; i++) {
		if (!series_is_key(fl, i) || fl->f[i].value.type == JSON_NULL)
			continue;
		buf_putc(&labels, n ? ',' : '{');
		put_label_name(flat_name(fl, i), n++);
		buf_puts(&labels, "=\"");
		if (put_label_value(&labels, &fl->f[i].value) == -1) {
			hs_bad_record(input, lineno, "label '%s' holds U+0000, "
			    "which Prometheus cannot carry", flat_name(fl, i));
			return -1;
		}
		buf_putc(&labels, '"');
	}
	if (n > 0)
		buf_putc(&labels, '}');
	return 0;
}

/* A sample value: a number as a float Prometheus reads (+Inf and -Inf
 * beyond a double), a boolean as 1 or 0. */
static void
put_value(char out_value[40], const struct json_span *v)
{
	double d;

	if (v->type != JSON_NUMBER)
		strcpy(out_value, v->type == JSON_TRUE ? "1" : "0");
	else if (number_value(v, &d) == -1)
		strcpy(out_value, d < 0 ? "-Inf" : "+Inf");
	else
		fmt_double(out_value, d);
}

void
prom_record(const struct flat *fl, const char *input, unsigned long lineno)
{
	const struct json_span *v;
	struct series *s;
	long long ms = NO_TIME;
	hs_time t;
	size_t i;

	if (fmt_opts.timestamps && series_time(fl, &t) == 0)
		ms = t / 1000;
	if (put_labels(fl, input, lineno) == -1)
		return;
	for (i = 0; i < fl->n; i++) {
		v = &fl->f[i].value;
		if (!series_is_value(fl, i) || v->type == JSON_STRING)
			continue;
		if ((s = series_of(family_of(flat_name(fl, i)))) == NULL) {
			hs_bad_record(input, lineno, "more than %d series; "
			    "the record's new ones are not written",
			    PROM_MAX_SERIES);
			continue;
		}
		put_value(s->value, v);
		s->ms = ms;
		dirty = 1;
	}
}

static void
put_help_text(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			buf_puts(&out, "\\\\");
		else if (*s == '\n')
			buf_puts(&out, "\\n");
		else
			buf_putc(&out, *s);
	}
}

/* The exposition, the series of each family together: a counting sort
 * of the series by family keeps it linear. */
static void
exposition(void)
{
	size_t f, i, *first, *order;

	first = hs_xmalloc((families.n + 1) * sizeof(*first));
	order = hs_xmalloc((keys.n ? keys.n : 1) * sizeof(*order));
	memset(first, 0, (families.n + 1) * sizeof(*first));
	for (i = 0; i < keys.n; i++)
		first[series[i].family + 1]++;
	for (f = 0; f < families.n; f++)
		first[f + 1] += first[f];
	for (i = 0; i < keys.n; i++)
		order[first[series[i].family]++] = i;
	buf_reset(&out);
	for (f = 0, i = 0; f < families.n; f++) {
		buf_printf(&out, "# HELP %s The field ", families.names[f]);
		put_help_text(fields.names[f]);
		buf_puts(&out, " of the hs records.\n");
		buf_printf(&out, "# TYPE %s gauge\n", families.names[f]);
		for (; i < first[f]; i++) {
			struct series *s = &series[order[i]];

			buf_puts(&out, families.names[f]);
			buf_puts(&out, keys.names[order[i]] + s->labels);
			buf_printf(&out, " %s", s->value);
			if (s->ms != NO_TIME)
				buf_printf(&out, " %lld", s->ms);
			buf_putc(&out, '\n');
		}
	}
	free(first);
	free(order);
}

void
prom_end_batch(void)
{
	if (dirty && fmt_opts.textfile != NULL) {
		exposition();
		textfile_replace(fmt_opts.textfile, &out);
	}
	dirty = 0;
}

void
prom_end(void)
{
	if (fmt_opts.textfile != NULL)
		prom_end_batch();
	else {
		exposition();
		buf_write(&out, stdout);
	}
	nameset_free(&fields);
	nameset_free(&families);
	nameset_free(&keys);
	free(series);
	buf_free(&labels);
	buf_free(&label_names);
	buf_free(&name);
	buf_free(&key);
	buf_free(&text);
	buf_free(&out);
}
