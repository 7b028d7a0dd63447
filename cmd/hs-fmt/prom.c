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
 * gauge: a window's count is not a counter. Booleans are 1 and 0.
 *
 * To stdout the snapshot is written once, at the end of the input; with
 * --textfile it rewrites a file atomically (a temporary file renamed over
 * it) at the end of every batch, for node_exporter's textfile collector.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fmt.h"

#define NO_TIME LLONG_MIN

struct family {
	char *name, *field;
};

struct series {
	size_t family;
	char *labels;		/* {a="x",b="y"} or empty */
	char value[40];
	long long ms;		/* timestamp, or NO_TIME */
};

static struct family *families;
static size_t nfamilies;
static struct series *series;
static size_t nseries;
static size_t *slots;		/* hash of (family, labels) to series + 1 */
static size_t nslots;
static int dirty;
static struct buf labels, name, text, out;

static size_t
family_of(const char *field)
{
	static const char *const reserved[] = { "_count", "_sum", "_bucket",
	    "_total" };
	size_t i;

	buf_reset(&name);
	sanitize_name(&name, fmt_opts.name);
	buf_putc(&name, '_');
	sanitize_name(&name, field);
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (name.len >= strlen(reserved[i]) && strcmp(name.p + name.len -
		    strlen(reserved[i]), reserved[i]) == 0)
			buf_puts(&name, "_value");
	for (i = 0; i < nfamilies; i++)
		if (strcmp(families[i].name, name.p) == 0)
			return i;
	families = hs_xrealloc(families, (nfamilies + 1) * sizeof(*families));
	families[nfamilies].name = hs_xstrdup(name.p);
	families[nfamilies].field = hs_xstrdup(field);
	return nfamilies++;
}

static size_t
hash(size_t family, const char *s)
{
	size_t h = 14695981039346656037ULL ^ family;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void
grow_slots(void)
{
	size_t i, j;

	free(slots);
	nslots = nslots ? nslots * 2 : 256;
	slots = hs_xmalloc(nslots * sizeof(*slots));
	memset(slots, 0, nslots * sizeof(*slots));
	for (i = 0; i < nseries; i++) {
		j = hash(series[i].family, series[i].labels) & (nslots - 1);
		while (slots[j] != 0)
			j = (j + 1) & (nslots - 1);
		slots[j] = i + 1;
	}
}

static struct series *
series_of(size_t family, const char *label_text)
{
	struct series *s;
	size_t j;

	if (2 * (nseries + 1) > nslots)
		grow_slots();
	j = hash(family, label_text) & (nslots - 1);
	for (; slots[j] != 0; j = (j + 1) & (nslots - 1)) {
		s = &series[slots[j] - 1];
		if (s->family == family && strcmp(s->labels, label_text) == 0)
			return s;
	}
	series = hs_xrealloc(series, (nseries + 1) * sizeof(*series));
	s = &series[nseries];
	s->family = family;
	s->labels = hs_xstrdup(label_text);
	slots[j] = ++nseries;
	return s;
}

static void
put_label_value(struct buf *b, const struct json_span *v)
{
	size_t i;

	buf_reset(&text);
	cell_text(&text, v, "");
	for (i = 0; i < text.len; i++) {
		switch (text.p[i]) {
		case '\\': buf_puts(b, "\\\\"); break;
		case '"': buf_puts(b, "\\\""); break;
		case '\n': buf_puts(b, "\\n"); break;
		default: buf_putc(b, text.p[i]);
		}
	}
}

/* Label names may not begin with "__", which Prometheus reserves. */
static void
put_labels(const struct flat *fl)
{
	size_t i;
	int n = 0;

	buf_reset(&labels);
	buf_reserve(&labels, 0);
	labels.p[0] = '\0';
	for (i = 0; i < fl->n; i++) {
		if (!series_is_key(fl, i) || fl->f[i].value.type == JSON_NULL)
			continue;
		buf_putc(&labels, n++ ? ',' : '{');
		if (strncmp(flat_name(fl, i), "__", 2) == 0)
			buf_puts(&labels, "hs");
		sanitize_name(&labels, flat_name(fl, i));
		buf_puts(&labels, "=\"");
		put_label_value(&labels, &fl->f[i].value);
		buf_putc(&labels, '"');
	}
	if (n > 0)
		buf_putc(&labels, '}');
}

/* A sample value: a number as written, a boolean as 1 or 0. */
static void
put_value(char out_value[40], const struct json_span *v)
{
	double d;

	if (v->type != JSON_NUMBER)
		strcpy(out_value, v->type == JSON_TRUE ? "1" : "0");
	else if (v->len < 40) {
		memcpy(out_value, v->p, v->len);
		out_value[v->len] = '\0';
	} else if (json_number(v, &d) == 0)
		fmt_double(out_value, d);
	else
		strcpy(out_value, v->p[0] == '-' ? "-Inf" : "+Inf");
}

void
prom_record(const struct flat *fl)
{
	const struct json_span *v;
	struct series *s;
	long long ms = NO_TIME;
	hs_time t;
	size_t i;

	if (fmt_opts.timestamps && series_time(fl, &t) == 0)
		ms = t / 1000;
	put_labels(fl);
	for (i = 0; i < fl->n; i++) {
		v = &fl->f[i].value;
		if (!series_is_value(fl, i) || v->type == JSON_STRING)
			continue;
		s = series_of(family_of(flat_name(fl, i)), labels.p);
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

static void
exposition(void)
{
	size_t f, i;

	buf_reset(&out);
	for (f = 0; f < nfamilies; f++) {
		buf_printf(&out, "# HELP %s The field ", families[f].name);
		put_help_text(families[f].field);
		buf_puts(&out, " of the hs records.\n");
		buf_printf(&out, "# TYPE %s gauge\n", families[f].name);
		for (i = 0; i < nseries; i++) {
			if (series[i].family != f)
				continue;
			buf_printf(&out, "%s%s %s", families[f].name,
			    series[i].labels, series[i].value);
			if (series[i].ms != NO_TIME)
				buf_printf(&out, " %lld", series[i].ms);
			buf_putc(&out, '\n');
		}
	}
}

static void
rewrite_textfile(void)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", fmt_opts.textfile,
	    (long)getpid());
	if ((f = fopen(tmp, "w")) == NULL)
		hs_fatal("%s: %m", tmp);
	buf_write(&out, f);
	if (ferror(f) | (fclose(f) == EOF))
		hs_fatal("%s: %m", tmp);
	if (rename(tmp, fmt_opts.textfile) == -1)
		hs_fatal("%s: %m", fmt_opts.textfile);
}

void
prom_batch(int final)
{
	size_t i;

	if (dirty && fmt_opts.textfile != NULL) {
		exposition();
		rewrite_textfile();
	} else if (final && fmt_opts.textfile == NULL) {
		exposition();
		buf_write(&out, stdout);
	}
	dirty = 0;
	if (!final)
		return;
	for (i = 0; i < nfamilies; i++) {
		free(families[i].name);
		free(families[i].field);
	}
	for (i = 0; i < nseries; i++)
		free(series[i].labels);
	free(families);
	free(series);
	free(slots);
	buf_free(&labels);
	buf_free(&name);
	buf_free(&text);
	buf_free(&out);
}
