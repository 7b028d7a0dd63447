/*
 * hs-fmt - NDJSON records as tables, CSV, TSV or JSON, for people and for
 * other programs.
 *
 * Nested objects flatten to dotted names (window.start); -f chooses and
 * orders the fields. Control records are never shown, but the end of a
 * trigger's batch prints the table so far, as Spark's console sink prints
 * each micro-batch.
 */
#include <csv.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "control.h"
#include "fmt.h"
#include "lineio.h"

enum format { FMT_TABLE, FMT_CSV, FMT_TSV, FMT_JSON, FMT_PRETTY };

struct formatter {
	enum format format;
	char **fields;		/* -f, or the columns of the first record */
	size_t nfields;
	int chosen;		/* fields came from -f */
	int header;
	int warned_new;
	struct flat flat;
	struct buf out, cell;
};

static const char usage_text[] =
	    "usage: hs-fmt [-HS] [-f fields] [-o table|csv|tsv|json|pretty] [file ...]\n"
	    "  -o format  table (default), csv, tsv, json (NDJSON), pretty\n"
	    "  -f list    fields to show, in order; nested ones as a.b\n"
	    "  -H         no header line (csv, tsv)\n"
	    "  -S         strict: stop at the first bad record\n";

static void __attribute__((noreturn))
usage(void)
{
	hs_usage(usage_text, 0);
}

static enum format
parse_format(const char *s)
{
	static const char *const names[] = { "table", "csv", "tsv", "json",
	    "pretty" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return (enum format)i;
	hs_warn("-o: unknown format '%s'", s);
	usage();
}

/* A CSV cell, quoted by libcsv (RFC 4180) only when it has to be. */
static void
put_csv_cell(const char *text, size_t len)
{
	if (strpbrk(text, ",\"\r\n") != NULL || (len > 0 &&
	    (text[0] == ' ' || text[len - 1] == ' ')))
		csv_fwrite(stdout, text, len);
	else
		fwrite(text, 1, len, stdout);
}

static void
put_tsv_cell(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		switch (text[i]) {
		case '\t': fputs("\\t", stdout); break;
		case '\n': fputs("\\n", stdout); break;
		case '\r': fputs("\\r", stdout); break;
		case '\\': fputs("\\\\", stdout); break;
		default: putchar(text[i]);
		}
	}
}

static void
put_delimited_row(struct formatter *fm, char **texts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			putchar(fm->format == FMT_CSV ? ',' : '\t');
		if (fm->format == FMT_CSV)
			put_csv_cell(texts[i], strlen(texts[i]));
		else
			put_tsv_cell(texts[i], strlen(texts[i]));
	}
	putchar('\n');
}

/* Take the columns of the first record when -f did not name them. */
static void
learn_fields(struct formatter *fm)
{
	size_t i;

	fm->nfields = fm->flat.n;
	fm->fields = hs_xmalloc((fm->nfields + 1) * sizeof(*fm->fields));
	for (i = 0; i < fm->nfields; i++)
		fm->fields[i] = hs_xstrdup(flat_name(&fm->flat, i));
}

static int
has_field(const struct formatter *fm, const char *name)
{
	size_t i;

	for (i = 0; i < fm->nfields; i++)
		if (strcmp(fm->fields[i], name) == 0)
			return 1;
	return 0;
}

static void
put_delimited(struct formatter *fm, const struct line_reader *lr)
{
	struct json_span v;
	size_t i, *ends;
	char **texts;

	if (fm->fields == NULL)
		learn_fields(fm);
	if (fm->header) {
		put_delimited_row(fm, fm->fields, fm->nfields);
		fm->header = 0;
	}
	for (i = 0; !fm->chosen && !fm->warned_new && i < fm->flat.n; i++)
		if (!has_field(fm, flat_name(&fm->flat, i))) {
			hs_warn("%s:%lu: field '%s' is not in the header; not "
			    "shown", lr_name(lr), lr_lineno(lr),
			    flat_name(&fm->flat, i));
			fm->warned_new = 1;
		}
	buf_reset(&fm->cell);
	ends = hs_xmalloc((fm->nfields + 1) * sizeof(*ends));
	for (i = 0; i < fm->nfields; i++) {
		v = flat_get(&fm->flat, fm->fields[i]);
		cell_text(&fm->cell, &v, "");
		buf_putc(&fm->cell, '\0');
		ends[i] = fm->cell.len;
	}
	texts = hs_xmalloc((fm->nfields + 1) * sizeof(*texts));
	for (i = 0; i < fm->nfields; i++)
		texts[i] = fm->cell.p + (i ? ends[i - 1] : 0);
	put_delimited_row(fm, texts, fm->nfields);
	free(texts);
	free(ends);
}

/* JSON output: the record as it came, or an object of the chosen fields. */
static void
put_json(struct formatter *fm, const struct json_span *rec)
{
	struct json_span v;
	size_t i;
	int n = 0;

	buf_reset(&fm->out);
	if (!fm->chosen) {
		if (fm->format == FMT_JSON)
			buf_put(&fm->out, rec->p, rec->len);
		else
			put_pretty(&fm->out, rec, 0);
	} else {
		buf_putc(&fm->out, '{');
		for (i = 0; i < fm->nfields; i++) {
			v = flat_get(&fm->flat, fm->fields[i]);
			if (v.type == JSON_NONE)
				continue;
			if (n++ > 0)
				buf_putc(&fm->out, ',');
			if (fm->format == FMT_PRETTY)
				buf_puts(&fm->out, "\n  ");
			buf_json_string(&fm->out, fm->fields[i],
			    strlen(fm->fields[i]));
			buf_puts(&fm->out, fm->format == FMT_PRETTY ? ": " : ":");
			if (fm->format == FMT_PRETTY)
				put_pretty(&fm->out, &v, 1);
			else
				buf_put(&fm->out, v.p, v.len);
		}
		if (fm->format == FMT_PRETTY && n > 0)
			buf_putc(&fm->out, '\n');
		buf_putc(&fm->out, '}');
	}
	buf_putc(&fm->out, '\n');
	buf_write(&fm->out, stdout);
}

static void
control_record(struct formatter *fm, const char *line, size_t len)
{
	long long batch;
	char title[64];

	if (fm->format != FMT_TABLE ||
	    control_kind(line, len) != CONTROL_TRIGGER)
		return;
	if (control_int(line, len, "batch", &batch) == 0) {
		snprintf(title, sizeof(title), "Batch: %lld", batch);
		table_flush(title);
	} else
		table_flush(NULL);
}

static void
format_input(struct formatter *fm, struct line_reader *lr)
{
	struct json_span rec;
	const char *why;
	char *line;
	size_t len;

	while ((line = lr_next(lr, &len)) != NULL) {
		if (control_is(line, len)) {
			control_record(fm, line, len);
			continue;
		}
		if (json_scan(line, len, NULL, 0, NULL, &why) == -1) {
			hs_bad_record(lr_name(lr), lr_lineno(lr), "%s", why);
			continue;
		}
		rec.p = json_skip_ws(line, line + len);
		rec.len = (size_t)(line + len - rec.p);
		while (rec.len > 0 && (rec.p[rec.len - 1] == ' ' ||
		    rec.p[rec.len - 1] == '\t' || rec.p[rec.len - 1] == '\r'))
			rec.len--;
		rec.type = JSON_OBJECT;
		if (fm->format == FMT_JSON && !fm->chosen) {
			put_json(fm, &rec);
			continue;
		}
		flatten(&fm->flat, &rec, fm->format == FMT_TABLE);
		if (fm->format == FMT_TABLE)
			table_add(&fm->flat);
		else if (fm->format == FMT_CSV || fm->format == FMT_TSV)
			put_delimited(fm, lr);
		else
			put_json(fm, &rec);
	}
}

static void
parse_fields(struct formatter *fm, char *list)
{
	char *name;

	while ((name = strsep(&list, ",")) != NULL) {
		if (*name == '\0') {
			hs_warn("-f: empty field name");
			usage();
		}
		fm->fields = hs_xrealloc(fm->fields,
		    (fm->nfields + 1) * sizeof(*fm->fields));
		fm->fields[fm->nfields++] = hs_xstrdup(name);
	}
	fm->chosen = 1;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct formatter fm = { .format = FMT_TABLE, .header = 1 };
	struct line_reader *lr;
	size_t i;
	int ch, k;

	hs_init("hs-fmt");
	while ((ch = getopt_long(argc, argv, "f:Ho:Sh", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f': parse_fields(&fm, optarg); break;
		case 'H': fm.header = 0; break;
		case 'o': fm.format = parse_format(optarg); break;
		case 'S': hs_set_strict(1); break;
		case 'h': hs_usage(usage_text, 1);
		case 'V': hs_print_version();
		default: usage();
		}
	}
	if (fm.format == FMT_TABLE)
		table_set_columns(fm.fields, fm.nfields, fm.chosen);
	for (k = optind; k == optind || k < argc; k++) {
		if ((lr = lr_open(k < argc ? argv[k] : NULL, 0)) == NULL)
			hs_fatal("%s: %m", argv[k]);
		format_input(&fm, lr);
		lr_close(lr);
	}
	if (fm.format == FMT_TABLE) {
		table_flush(NULL);
		table_free();
	}
	flat_free(&fm.flat);
	buf_free(&fm.out);
	buf_free(&fm.cell);
	for (i = 0; i < fm.nfields; i++)
		free(fm.fields[i]);
	free(fm.fields);
	return hs_finish();
}
