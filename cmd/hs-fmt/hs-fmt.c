/*
 * hs-fmt - NDJSON records as tables, CSV, TSV or JSON for people, and as
 * what other systems ingest: Prometheus, InfluxDB, SQL; or as pictures.
 *
 * Nested objects flatten to dotted names (window.start); -f chooses and
 * orders the fields. Control records are never shown, but they end
 * batches: a trigger prints the table so far, as Spark's console sink
 * prints each micro-batch, and a trigger or a watermark after rows
 * commits an SQL transaction or rewrites a Prometheus textfile.
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

enum format {
	FMT_TABLE, FMT_CSV, FMT_TSV, FMT_JSON, FMT_PRETTY,
	FMT_PROM, FMT_INFLUX, FMT_SQL, FMT_SPARK, FMT_SVG
};

struct formatter {
	enum format format;
	int header;
	int warned_new;
	int rows_in_batch;
	struct flat flat;
	struct buf out, cell;
};

struct fmt_options fmt_opts = {
	.name = "hydraulic",
	.table = "hydraulic_aggregations",
};

static const char usage_text[] =
	    "usage: hs-fmt [-HS] [-f fields] [-k keys] [-n name] [-o format] [-T table]\n"
	    "              [-W width] [-y field] [--dialect sqlite|postgres]\n"
	    "              [--textfile file] [--timestamps] [--tz zone] [file ...]\n"
	    "  -o format  table (default), csv, tsv, json (NDJSON), pretty,\n"
	    "             prom, influx, sql, spark, svg\n"
	    "  -f list    fields to show, in order; nested ones as a.b\n"
	    "  -k list    key fields: labels, tags, SQL upsert key, one chart each\n"
	    "  -n name    metric prefix (prom) or measurement (influx); hydraulic\n"
	    "  -T table   SQL table; hydraulic_aggregations\n"
	    "  -y field   the field to chart (spark, svg)\n"
	    "  -W width   sparkline width in characters\n"
	    "  -H         no header line (csv, tsv)\n"
	    "  -S         strict: stop at the first bad record\n"
	    "  --dialect sqlite|postgres   SQL dialect (default sqlite)\n"
	    "  --textfile file  prom: rewrite file atomically after each batch\n"
	    "  --timestamps     prom: samples carry the record's time\n"
	    "  --tz zone        zone of times without one (default: $TZ, local)\n";

static void __attribute__((noreturn))
usage(void)
{
	hs_usage(usage_text, 0);
}

static enum format
parse_format(const char *s)
{
	static const char *const names[] = { "table", "csv", "tsv", "json",
	    "pretty", "prom", "influx", "sql", "spark", "svg" };
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

	fmt_opts.nfields = fm->flat.n;
	fmt_opts.fields = hs_xmalloc((fmt_opts.nfields + 1) *
	    sizeof(*fmt_opts.fields));
	for (i = 0; i < fmt_opts.nfields; i++)
		fmt_opts.fields[i] = hs_xstrdup(flat_name(&fm->flat, i));
}

static int
has_field(const char *name)
{
	size_t i;

	for (i = 0; i < fmt_opts.nfields; i++)
		if (strcmp(fmt_opts.fields[i], name) == 0)
			return 1;
	return 0;
}

static void
put_delimited(struct formatter *fm, const struct line_reader *lr)
{
	struct json_span v;
	size_t i, *ends;
	char **texts;

	if (fmt_opts.fields == NULL)
		learn_fields(fm);
	if (fm->header) {
		put_delimited_row(fm, fmt_opts.fields, fmt_opts.nfields);
		fm->header = 0;
	}
	for (i = 0; !fmt_opts.chosen && !fm->warned_new && i < fm->flat.n; i++)
		if (!has_field(flat_name(&fm->flat, i))) {
			hs_warn("%s:%lu: field '%s' is not in the header; not "
			    "shown", lr_name(lr), lr_lineno(lr),
			    flat_name(&fm->flat, i));
			fm->warned_new = 1;
		}
	buf_reset(&fm->cell);
	ends = hs_xmalloc((fmt_opts.nfields + 1) * sizeof(*ends));
	for (i = 0; i < fmt_opts.nfields; i++) {
		v = flat_get(&fm->flat, fmt_opts.fields[i]);
		cell_text(&fm->cell, &v, "");
		buf_putc(&fm->cell, '\0');
		ends[i] = fm->cell.len;
	}
	texts = hs_xmalloc((fmt_opts.nfields + 1) * sizeof(*texts));
	for (i = 0; i < fmt_opts.nfields; i++)
		texts[i] = fm->cell.p + (i ? ends[i - 1] : 0);
	put_delimited_row(fm, texts, fmt_opts.nfields);
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
	if (!fmt_opts.chosen) {
		if (fm->format == FMT_JSON)
			buf_put(&fm->out, rec->p, rec->len);
		else
			put_pretty(&fm->out, rec, 0);
	} else {
		buf_putc(&fm->out, '{');
		for (i = 0; i < fmt_opts.nfields; i++) {
			v = flat_get(&fm->flat, fmt_opts.fields[i]);
			if (v.type == JSON_NONE)
				continue;
			if (n++ > 0)
				buf_putc(&fm->out, ',');
			if (fm->format == FMT_PRETTY)
				buf_puts(&fm->out, "\n  ");
			buf_json_string(&fm->out, fmt_opts.fields[i],
			    strlen(fmt_opts.fields[i]));
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

/* The end of a batch: a trigger, or a watermark that follows rows. */
static void
end_batch(struct formatter *fm, const char *title, int final)
{
	switch (fm->format) {
	case FMT_TABLE:
		table_flush(title);
		break;
	case FMT_SQL:
		sql_batch(final);
		break;
	case FMT_PROM:
		prom_batch(final);
		break;
	default:
		break;
	}
	fm->rows_in_batch = 0;
}

static void
control_record(struct formatter *fm, const char *line, size_t len)
{
	long long batch;
	char title[64];

	switch (control_kind(line, len)) {
	case CONTROL_TRIGGER:
		if (control_int(line, len, "batch", &batch) == 0) {
			snprintf(title, sizeof(title), "Batch: %lld", batch);
			end_batch(fm, title, 0);
		} else
			end_batch(fm, NULL, 0);
		break;
	case CONTROL_WATERMARK:
		if (fm->rows_in_batch && fm->format != FMT_TABLE)
			end_batch(fm, NULL, 0);
		break;
	default:
		break;
	}
}

static void
format_record(struct formatter *fm, const struct line_reader *lr,
    const struct json_span *rec)
{
	fm->rows_in_batch = 1;
	if (fm->format == FMT_JSON && !fmt_opts.chosen) {
		put_json(fm, rec);
		return;
	}
	flatten(&fm->flat, rec, fm->format == FMT_TABLE);
	switch (fm->format) {
	case FMT_TABLE:
		table_add(&fm->flat);
		break;
	case FMT_CSV:
	case FMT_TSV:
		put_delimited(fm, lr);
		break;
	case FMT_JSON:
	case FMT_PRETTY:
		put_json(fm, rec);
		break;
	case FMT_PROM:
		prom_record(&fm->flat);
		break;
	case FMT_INFLUX:
		influx_record(&fm->flat, lr_name(lr), lr_lineno(lr));
		break;
	case FMT_SQL:
		sql_record(rec->p, rec->len, &fm->flat, lr_name(lr),
		    lr_lineno(lr));
		break;
	case FMT_SPARK:
	case FMT_SVG:
		chart_record(&fm->flat, lr_name(lr), lr_lineno(lr));
		break;
	}
}

static void
format_input(struct formatter *fm, struct line_reader *lr)
{
	struct json_span rec;
	struct json_error err;
	char *line;
	size_t len;

	while ((line = lr_next(lr, &len)) != NULL) {
		if (control_is(line, len)) {
			control_record(fm, line, len);
			continue;
		}
		if (json_scan(line, len, NULL, 0, NULL, &err) == -1) {
			hs_bad_json(lr_name(lr), lr_lineno(lr), line, len, &err);
			continue;
		}
		rec.p = json_skip_ws(line, line + len);
		rec.len = (size_t)(line + len - rec.p);
		while (rec.len > 0 && (rec.p[rec.len - 1] == ' ' ||
		    rec.p[rec.len - 1] == '\t' || rec.p[rec.len - 1] == '\r'))
			rec.len--;
		rec.type = JSON_OBJECT;
		format_record(fm, lr, &rec);
	}
}

/* A comma-separated list of names into a fresh array. */
static size_t
parse_list(const char *option, char *list, char ***names)
{
	char *name;
	size_t n = 0;

	while ((name = strsep(&list, ",")) != NULL) {
		if (*name == '\0') {
			hs_warn("%s: empty field name", option);
			usage();
		}
		*names = hs_xrealloc(*names, (n + 1) * sizeof(**names));
		(*names)[n++] = hs_xstrdup(name);
	}
	return n;
}

static void
free_list(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void
finish(struct formatter *fm)
{
	switch (fm->format) {
	case FMT_SPARK:
		chart_spark();
		break;
	case FMT_SVG:
		chart_svg();
		break;
	default:
		end_batch(fm, NULL, 1);
	}
	if (fm->format == FMT_TABLE)
		table_free();
}

static void
set_dialect(const char *name)
{
	if (strcmp(name, "sqlite") == 0)
		fmt_opts.postgres = 0;
	else if (strcmp(name, "postgres") == 0 ||
	    strcmp(name, "postgresql") == 0)
		fmt_opts.postgres = 1;
	else {
		hs_warn("--dialect: unknown dialect '%s'", name);
		usage();
	}
}

static unsigned
parse_width(const char *s)
{
	char *end;
	unsigned long w = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || w < 1 || w > 10000) {
		hs_warn("-W: '%s' is not a width from 1 to 10000", s);
		usage();
	}
	return (unsigned)w;
}

int
main(int argc, char *argv[])
{
	enum { OPT_DIALECT = 256, OPT_TEXTFILE, OPT_TIMESTAMPS, OPT_TZ };
	static const struct option longopts[] = {
		{ "dialect", required_argument, NULL, OPT_DIALECT },
		{ "textfile", required_argument, NULL, OPT_TEXTFILE },
		{ "timestamps", no_argument, NULL, OPT_TIMESTAMPS },
		{ "tz", required_argument, NULL, OPT_TZ },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct formatter fm = { .format = FMT_TABLE, .header = 1 };
	struct line_reader *lr;
	int ch, k;

	hs_init("hs-fmt");
	while ((ch = getopt_long(argc, argv, "f:Hk:n:o:ST:W:y:h", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'f':
			fmt_opts.nfields = parse_list("-f", optarg,
			    &fmt_opts.fields);
			fmt_opts.chosen = 1;
			break;
		case 'H': fm.header = 0; break;
		case 'k':
			fmt_opts.nkeys = parse_list("-k", optarg, &fmt_opts.keys);
			break;
		case 'n': fmt_opts.name = optarg; break;
		case 'o': fm.format = parse_format(optarg); break;
		case 'S': hs_set_strict(1); break;
		case 'T': fmt_opts.table = optarg; break;
		case 'W': fmt_opts.width = parse_width(optarg); break;
		case 'y': fmt_opts.value = optarg; break;
		case OPT_DIALECT: set_dialect(optarg); break;
		case OPT_TEXTFILE: fmt_opts.textfile = optarg; break;
		case OPT_TIMESTAMPS: fmt_opts.timestamps = 1; break;
		case OPT_TZ:
			if (time_set_zone(optarg) == -1)
				usage();
			break;
		case 'h': hs_usage(usage_text, 1);
		case 'V': hs_print_version();
		default: usage();
		}
	}
	if (fm.format == FMT_TABLE)
		table_set_columns(fmt_opts.fields, fmt_opts.nfields,
		    fmt_opts.chosen);
	for (k = optind; k == optind || k < argc; k++) {
		if ((lr = lr_open(k < argc ? argv[k] : NULL, 0)) == NULL)
			hs_fatal("%s: %m", argv[k]);
		format_input(&fm, lr);
		lr_close(lr);
	}
	finish(&fm);
	flat_free(&fm.flat);
	buf_free(&fm.out);
	buf_free(&fm.cell);
	free_list(fmt_opts.fields, fmt_opts.nfields);
	free_list(fmt_opts.keys, fmt_opts.nkeys);
	return hs_finish();
}
