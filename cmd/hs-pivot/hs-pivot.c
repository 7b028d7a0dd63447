/*
 * hs-pivot - turn rows into feature records: the rows of one key (a
 * cycle) become one record whose members are named after each row's
 * column values (its sensor) and value members.
 *
 *   {"cycle":3,"sensor":"TS1","avg_value":35.6,"max_value":36.1}
 *   {"cycle":3,"sensor":"CE","avg_value":29.2,"max_value":31.0}
 *     -> {"cycle":3,"TS1_avg_value":35.6,"TS1_max_value":36.1,
 *         "CE_avg_value":29.2,"CE_max_value":31.0}
 *
 * With --span, rows of windows shorter than the span (10 s of a 60 s
 * cycle) make one record per span, each feature named by its window's
 * offset in the span (TS1_t10_avg_value: the window 10 s in). A record is
 * written when a watermark passes its span's end, rows without a window
 * at the end of input. Values are copied as written.
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
#include "strtab.h"
#include "timefmt.h"

#define MAX_FIELDS 32

struct record {
	struct buf head;	/* "cycle":3,... the -k members */
	struct buf members;	/* ,"TS1_avg_value":35.6,... */
	struct strtab *names;	/* the feature names, to refuse a second */
	hs_time start, end;
	int windowed;
};

struct pivot {
	const char *keys[2 * MAX_FIELDS + 1];	/* -k, -c, then "window" */
	size_t nkeys, ncolumns;
	struct json_keys scan_keys;	/* keys, prepared once */
	hs_time span;		/* 0: records per window */
	struct strtab *index;	/* key values and span -> record */
	struct record **open;	/* by number in index */
	size_t nopen;
	struct buf key, name, out;
};

static const char usage_text[] =
    "usage: hs-pivot [-S] [-k fields] [-c fields] [--span duration]\n"
    "                [file ...]\n"
    "  -k fields     what makes one record (default: cycle); copied into it\n"
    "  -c fields     whose values name the features (default: sensor)\n"
    "  --span d      windows within one span of d make one record; features\n"
    "                named by the window's offset, e.g. TS1_t10_avg_value\n"
    "  -S            strict: stop at the first bad record\n";

static void __attribute__((noreturn))
usage(void)
{
	hs_usage(usage_text, 0);
}

/* A comma-separated list, from a copy: argv stays as typed. */
static size_t
split(const char *arg, const char **out, const char *opt)
{
	char *list = hs_xstrdup(arg), *item;
	size_t n = 0;

	while ((item = strsep(&list, ",")) != NULL) {
		if (*item == '\0' || n == MAX_FIELDS) {
			hs_warn("%s: empty name or more than %d names", opt,
			    MAX_FIELDS);
			usage();
		}
		out[n++] = item;
	}
	return n;
}

/* A value as part of a name or key: a string decoded, else as written. */
static int
put_text(struct buf *b, const struct json_span *v)
{
	long n;

	if (v->type == JSON_STRING) {
		buf_reserve(b, v->len);
		if ((n = json_string(v, b->p + b->len, v->len + 1)) < 0)
			return -1;
		b->len += (size_t)n;
	} else if (v->type == JSON_NUMBER || v->type == JSON_TRUE ||
	    v->type == JSON_FALSE)
		buf_put(b, v->p, v->len);
	else
		return -1;
	return 0;
}

static struct record *
find_record(struct pivot *pv, const struct json_span *v, hs_time start,
    hs_time end, int windowed)
{
	struct record *r;
	size_t i, k;
	int added;

	buf_reset(&pv->key);
	for (i = 0; i < pv->nkeys; i++) {
		buf_put(&pv->key, v[i].p, v[i].len);
		buf_putc(&pv->key, '\037');
	}
	buf_put(&pv->key, &start, sizeof(start));
	k = strtab_add(pv->index, pv->key.p, pv->key.len, &added);
	if (!added)
		return pv->open[k];
	if ((k & (k - 1)) == 0)
		pv->open = hs_xrealloc(pv->open,
		    2 * (k + 1) * sizeof(*pv->open));
	r = pv->open[k] = hs_xmalloc(sizeof(*r));
	memset(r, 0, sizeof(*r));
	r->names = strtab_new();
	r->start = start;
	r->end = end;
	r->windowed = windowed;
	for (i = 0; i < pv->nkeys; i++) {
		if (v[i].type == JSON_NONE)
			continue;
		if (r->head.len > 0)
			buf_putc(&r->head, ',');
		buf_json_string(&r->head, pv->keys[i], strlen(pv->keys[i]));
		buf_putc(&r->head, ':');
		buf_put(&r->head, v[i].p, v[i].len);
	}
	pv->nopen = k + 1;
	return r;
}

static int
is_named(const struct pivot *pv, const struct json_span *key)
{
	size_t i;

	if (key->len == 6 && memcmp(key->p, "window", 6) == 0)
		return 1;
	for (i = 0; i < pv->nkeys + pv->ncolumns; i++)
		if (strlen(pv->keys[i]) == key->len &&
		    memcmp(pv->keys[i], key->p, key->len) == 0)
			return 1;
	return 0;
}

/* The prefix of every feature name of a row: its column values, joined
 * by '_', and the window's offset in the span. */
static int
name_prefix(struct pivot *pv, const struct json_span *v, hs_time offset)
{
	char t[32];
	size_t i;

	buf_reset(&pv->name);
	for (i = 0; i < pv->ncolumns; i++) {
		if (put_text(&pv->name, &v[pv->nkeys + i]) == -1)
			return -1;
		buf_putc(&pv->name, '_');
	}
	if (pv->span > 0) {
		fmt_double(t, (double)offset / 1e6);
		buf_putc(&pv->name, 't');
		buf_puts(&pv->name, t);
		buf_putc(&pv->name, '_');
	}
	return 0;
}

static void
pivot_row(struct pivot *pv, struct line_reader *lr, const char *line,
    size_t len, const struct json_span *v)
{
	struct json_span obj = { line, len, JSON_OBJECT }, key, val;
	const struct json_span *window = &v[pv->nkeys + pv->ncolumns];
	hs_time start = 0, end = 0, offset = 0;
	const char *cursor = NULL;
	size_t prefix;
	struct record *r;
	int added;

	if (window->type != JSON_NONE &&
	    window_bounds(window, &start, &end) == -1) {
		hs_bad_record(lr_name(lr), lr_lineno(lr), "a window without "
		    "start and end");
		return;
	}
	if (pv->span > 0 && window->type != JSON_NONE) {
		offset = start - time_floor(start, pv->span);
		if (offset + (end - start) > pv->span) {
			hs_bad_record(lr_name(lr), lr_lineno(lr), "a window "
			    "across the end of its span");
			return;
		}
		start -= offset;
		end = start + pv->span;
	}
	if (name_prefix(pv, v, offset) == -1) {
		hs_bad_record(lr_name(lr), lr_lineno(lr), "a column field "
		    "(-c) missing, or not a string, number or boolean");
		return;
	}
	prefix = pv->name.len;
	r = find_record(pv, v, start, end, window->type != JSON_NONE);
	while (json_next_member(&obj, &cursor, &key, &val) == 1) {
		if ((val.type != JSON_NUMBER && val.type != JSON_NULL) ||
		    is_named(pv, &key))
			continue;
		pv->name.len = prefix;
		key.p--;	/* the name with its quotes, to decode */
		key.len += 2;
		put_text(&pv->name, &key);
		strtab_add(r->names, pv->name.p, pv->name.len, &added);
		if (!added) {
			hs_bad_record(lr_name(lr), lr_lineno(lr), "a second "
			    "value of feature %.*s for one record",
			    (int)pv->name.len, pv->name.p);
			continue;
		}
		buf_putc(&r->members, ',');
		buf_json_string(&r->members, pv->name.p, pv->name.len);
		buf_putc(&r->members, ':');
		buf_put(&r->members, val.p, val.len);
	}
}

static void
write_record(struct pivot *pv, struct record *r)
{
	char t[32];

	buf_reset(&pv->out);
	buf_putc(&pv->out, '{');
	buf_put(&pv->out, r->head.p, r->head.len);
	if (r->windowed) {
		buf_puts(&pv->out, r->head.len ? ",\"window\":{\"start\":\"" :
		    "\"window\":{\"start\":\"");
		buf_put(&pv->out, t, (size_t)time_format_iso(r->start, t));
		buf_puts(&pv->out, "\",\"end\":\"");
		buf_put(&pv->out, t, (size_t)time_format_iso(r->end, t));
		buf_puts(&pv->out, "\"}");
	}
	if (r->head.len == 0 && !r->windowed && r->members.len > 0)
		buf_put(&pv->out, r->members.p + 1, r->members.len - 1);
	else
		buf_put(&pv->out, r->members.p, r->members.len);
	buf_puts(&pv->out, "}\n");
	buf_write(&pv->out, stdout);
}

static void
free_record(struct record *r)
{
	buf_free(&r->head);
	buf_free(&r->members);
	strtab_free(r->names);
	free(r);
}

/* Write the records a watermark completes (all at the end of input), in
 * the order they were opened; the rest are indexed anew. */
static void
flush(struct pivot *pv, int all, hs_time watermark)
{
	struct strtab *left = strtab_new();
	const char *key;
	size_t i, n = 0, len;

	for (i = 0; i < pv->nopen; i++) {
		struct record *r = pv->open[i];

		if (all || (r->windowed && r->end <= watermark)) {
			write_record(pv, r);
			free_record(r);
			continue;
		}
		key = strtab_key(pv->index, i, &len);
		pv->open[strtab_add(left, key, len, NULL)] = r;
		n++;
	}
	strtab_free(pv->index);
	pv->index = left;
	pv->nopen = n;
}

static void
pivot_input(struct line_reader *lr, void *arg)
{
	struct pivot *pv = arg;
	struct json_span v[2 * MAX_FIELDS + 1];
	struct json_error err;
	struct watermark wm;
	char *line;
	size_t len;

	while ((line = lr_next(lr, &len)) != NULL) {
		if (control_is(line, len)) {
			if (control_watermark(line, len, &wm) == 0 &&
			    wm.time != INT64_MIN)
				flush(pv, 0, wm.time);
			fwrite(line, 1, len, stdout);
			putchar('\n');
			continue;
		}
		if (json_scan_keys(line, len, &pv->scan_keys, v, &err) == -1) {
			hs_bad_json(lr_name(lr), lr_lineno(lr), line, len,
			    &err);
			continue;
		}
		pivot_row(pv, lr, line, len, v);
	}
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "span", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	static struct pivot pv;
	const char *keys = "cycle", *columns = "sensor";
	int ch;

	hs_init("hs-pivot");
	while ((ch = getopt_long(argc, argv, "c:k:Sh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': columns = optarg; break;
		case 'k': keys = optarg; break;
		case 's':
			pv.span = hs_arg_duration("--span", optarg, 0,
			    usage_text);
			break;
		case 'S': hs_set_strict(1); break;
		case 'h': hs_usage(usage_text, 1);
		case 'V': hs_print_version();
		default: usage();
		}
	}
	pv.nkeys = split(keys, pv.keys, "-k");
	pv.ncolumns = split(columns, pv.keys + pv.nkeys, "-c");
	pv.keys[pv.nkeys + pv.ncolumns] = "window";
	if (json_keys_init(&pv.scan_keys, pv.keys,
	    pv.nkeys + pv.ncolumns + 1) == -1) {
		hs_warn("-k, -c: more than %d names together",
		    JSON_SCAN_MAX_KEYS - 1);
		usage();
	}
	pv.index = strtab_new();
	lr_each_input(argc - optind, argv + optind, pivot_input, &pv);
	flush(&pv, 1, 0);
	strtab_free(pv.index);
	free(pv.open);
	return hs_finish();
}
