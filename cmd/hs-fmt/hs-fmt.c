/*
 * hs-fmt - NDJSON records as tables, CSV, TSV or JSON for people, and as
 * what other systems ingest: Prometheus, InfluxDB, SQL; or as pictures.
 *
 * Nested objects flatten to dotted names (window.start); -f chooses and
 * orders the fields. Control records are never shown, but they end
 * batches: a trigger, or a watermark after rows, prints the batch's table
 * as Spark's console sink prints each micro-batch, may commit an SQL
 * transaction, and rewrites a Prometheus textfile. SIGINT and SIGTERM end
 * the input: what is held is written.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "control.h"
#include "fmt.h"
#include "lineio.h"

#define WAKE_MS 200	/* how soon a signal is noticed while input waits */
#define DRAIN_BYTES (1 << 20)	/* input read after a signal, at most */

enum format {
	FMT_TABLE, FMT_CSV, FMT_TSV, FMT_JSON, FMT_PRETTY,
	FMT_PROM, FMT_INFLUX, FMT_SQL, FMT_SPARK, FMT_SVG
};

struct formatter {
	enum format format;
	int rows_in_batch;
	struct flat flat;
	struct buf out;
};

struct fmt_options fmt_opts = {
	.name = "hydraulic",
	.table = "hydraulic_aggregations",
	.header = 1,
	.lookahead = 1000,
	.commit_rows = 10000,
	.commit_time = HS_USEC_PER_SEC,
};

static volatile sig_atomic_t stop_signal;

static const char usage_text[] =
    "usage: hs-fmt [-HS] [-f fields] [-k keys] [-n name] [-o format]\n"
    "              [-T table] [-W width] [-y field] [--commit-rows n]\n"
    "              [--commit-time t] [--dialect sqlite|postgres]\n"
    "              [--lookahead n] [--ofmt format] [--textfile file]\n"
    "              [--timestamps] [--tz zone] [file ...]\n"
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
    "  --commit-rows n  sql: commit every n rows (10000)\n"
    "  --commit-time t  sql: commit after t, e.g. 1s (default), 500ms\n"
    "  --dialect sqlite|postgres   SQL dialect (default sqlite)\n"
    "  --lookahead n    csv, tsv: the header holds the fields of n records\n"
    "  --ofmt format    fractions as %.4f, %.3g or 4 (table, csv, tsv, sql)\n"
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
			buf_puts(&fm->out,
			    fm->format == FMT_PRETTY ? ": " : ":");
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
end_batch(struct formatter *fm)
{
	switch (fm->format) {
	case FMT_TABLE:
		table_end_batch();
		break;
	case FMT_SQL:
		sql_commit_if_due();
		break;
	case FMT_PROM:
		prom_end_batch();
		break;
	default:
		break;
	}
	fm->rows_in_batch = 0;
}

static void
control_record(struct formatter *fm, const char *line, size_t len)
{
	switch (control_kind(line, len)) {
	case CONTROL_TRIGGER:
		end_batch(fm);
		break;
	case CONTROL_WATERMARK:
		if (fm->rows_in_batch)
			end_batch(fm);
		break;
	case CONTROL_CHECKPOINT:
		fflush(stdout);		/* the rows before it are out */
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
	if (flatten(&fm->flat, rec, fm->format == FMT_TABLE) == -1) {
		hs_bad_record(lr_name(lr), lr_lineno(lr), "a key holds U+0000");
		return;
	}
	switch (fm->format) {
	case FMT_TABLE:
		table_add(&fm->flat);
		break;
	case FMT_CSV:
	case FMT_TSV:
		delimited_record(rec->p, rec->len, &fm->flat, lr_name(lr),
		    lr_lineno(lr));
		break;
	case FMT_JSON:
	case FMT_PRETTY:
		put_json(fm, rec);
		break;
	case FMT_PROM:
		prom_record(&fm->flat, lr_name(lr), lr_lineno(lr));
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

/* Wait for input: 1 when a line can be read, 0 once a signal asks to
 * stop. While the input pauses, a due SQL transaction is committed. */
static int
wait_input(struct formatter *fm, struct line_reader *lr)
{
	hs_time due;
	int ms;

	while (!stop_signal) {
		if (lr_poll(lr, 0))
			return 1;
		ms = WAKE_MS;
		if (fm->format == FMT_SQL) {
			sql_commit_if_due();
			if ((due = sql_due()) != -1 &&
			    (due - time_monotonic()) / 1000 + 1 < ms)
				ms = (int)((due - time_monotonic()) / 1000 + 1);
		}
		if (lr_poll(lr, ms < 0 ? 0 : ms))
			return 1;
	}
	return 0;
}

static void
format_line(struct formatter *fm, const struct line_reader *lr,
    const char *line, size_t len)
{
	struct json_span rec;
	struct json_error err;

	if (control_is(line, len)) {
		control_record(fm, line, len);
		return;
	}
	if (json_scan(line, len, NULL, 0, NULL, &err) == -1) {
		hs_bad_json(lr_name(lr), lr_lineno(lr), line, len, &err);
		return;
	}
	rec.p = json_skip_ws(line, line + len);
	rec.len = (size_t)(line + len - rec.p);
	while (rec.len > 0 && (rec.p[rec.len - 1] == ' ' ||
	    rec.p[rec.len - 1] == '\t' || rec.p[rec.len - 1] == '\r'))
		rec.len--;
	rec.type = JSON_OBJECT;
	format_record(fm, lr, &rec);
}

/* Read and format the input; after a signal, only what it already holds
 * (at most DRAIN_BYTES), which the stage before wrote in time. */
static void
format_input(struct formatter *fm, struct line_reader *lr)
{
	size_t len, drained = 0;
	char *line;

	while (wait_input(fm, lr) && (line = lr_next(lr, &len)) != NULL)
		format_line(fm, lr, line, len);
	while (stop_signal && drained < DRAIN_BYTES && lr_poll(lr, 0) &&
	    (line = lr_next(lr, &len)) != NULL) {
		format_line(fm, lr, line, len);
		drained += len + 1;
	}
}

/* The end of the input, or a signal: write what is held. */
static void
finish(struct formatter *fm)
{
	switch (fm->format) {
	case FMT_TABLE:
		table_end();
		break;
	case FMT_CSV:
	case FMT_TSV:
		delimited_end();
		break;
	case FMT_SQL:
		sql_end();
		break;
	case FMT_PROM:
		prom_end();
		break;
	case FMT_SPARK:
		chart_spark();
		break;
	case FMT_SVG:
		chart_svg();
		break;
	default:
		break;
	}
}

/* The first signal ends the input; a second, while what is held is
 * still being written, ends the process as it would have. */
static void
on_signal(int sig)
{
	if (stop_signal) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	stop_signal = sig;
}

static void
catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
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

enum long_option {
	OPT_COMMIT_ROWS = 256, OPT_COMMIT_TIME, OPT_DIALECT, OPT_LOOKAHEAD,
	OPT_OFMT, OPT_TEXTFILE, OPT_TIMESTAMPS, OPT_TZ
};

static void
parse_long_option(int ch, const char *arg)
{
	switch (ch) {
	case OPT_COMMIT_ROWS:
		fmt_opts.commit_rows = hs_arg_long("--commit-rows", arg, 1,
		    1000000000, usage_text);
		break;
	case OPT_COMMIT_TIME:
		fmt_opts.commit_time = hs_arg_duration("--commit-time", arg, 0,
		    usage_text);
		break;
	case OPT_DIALECT: set_dialect(arg); break;
	case OPT_LOOKAHEAD:
		fmt_opts.lookahead = hs_arg_long("--lookahead", arg, 1,
		    1000000, usage_text);
		break;
	case OPT_OFMT:
		if (ofmt_set(arg) == -1) {
			hs_warn("--ofmt: '%s' is not %%.Nf, %%.Ne, %%.Ng or a "
			    "count of decimals N, N up to 17", arg);
			usage();
		}
		break;
	case OPT_TEXTFILE: fmt_opts.textfile = arg; break;
	case OPT_TIMESTAMPS: fmt_opts.timestamps = 1; break;
	case OPT_TZ:
		if (time_set_zone(arg) == -1)
			usage();
		break;
	default: usage();
	}
}

static enum format
parse_options(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "commit-rows", required_argument, NULL, OPT_COMMIT_ROWS },
		{ "commit-time", required_argument, NULL, OPT_COMMIT_TIME },
		{ "dialect", required_argument, NULL, OPT_DIALECT },
		{ "lookahead", required_argument, NULL, OPT_LOOKAHEAD },
		{ "ofmt", required_argument, NULL, OPT_OFMT },
		{ "textfile", required_argument, NULL, OPT_TEXTFILE },
		{ "timestamps", no_argument, NULL, OPT_TIMESTAMPS },
		{ "tz", required_argument, NULL, OPT_TZ },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	enum format format = FMT_TABLE;
	int ch;

	while ((ch = getopt_long(argc, argv, "f:Hk:n:o:ST:W:y:hV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'f':
			fmt_opts.nfields = parse_list("-f", optarg,
			    &fmt_opts.fields);
			fmt_opts.chosen = 1;
			break;
		case 'H': fmt_opts.header = 0; break;
		case 'k':
			fmt_opts.nkeys = parse_list("-k", optarg,
			    &fmt_opts.keys);
			break;
		case 'n': fmt_opts.name = optarg; break;
		case 'o': format = parse_format(optarg); break;
		case 'S': hs_set_strict(1); break;
		case 'T': fmt_opts.table = optarg; break;
		case 'W':
			fmt_opts.width = (unsigned)hs_arg_long("-W", optarg, 1,
			    10000, usage_text);
			break;
		case 'y': fmt_opts.value = optarg; break;
		case 'h': hs_usage(usage_text, 1);
		case 'V': hs_print_version();
		default: parse_long_option(ch, optarg);
		}
	}
	fmt_opts.tsv = format == FMT_TSV;
	return format;
}

int
main(int argc, char *argv[])
{
	struct formatter fm = { 0 };
	struct line_reader *lr;
	int k;

	hs_init("hs-fmt");
	fm.format = parse_options(argc, argv);
	if (fm.format == FMT_TABLE)
		table_set_columns(fmt_opts.fields, fmt_opts.nfields,
		    fmt_opts.chosen);
	if (fm.format == FMT_PROM && fmt_opts.textfile != NULL)
		textfile_check(fmt_opts.textfile);
	catch_signals();
	for (k = optind; !stop_signal && (k == optind || k < argc); k++) {
		if ((lr = lr_open(k < argc ? argv[k] : NULL, 0)) == NULL)
			hs_fatal("%s: %m", argv[k]);
		format_input(&fm, lr);
		lr_close(lr);
	}
	finish(&fm);
	flat_free(&fm.flat);
	buf_free(&fm.out);
	free_list(fmt_opts.fields, fmt_opts.nfields);
	free_list(fmt_opts.keys, fmt_opts.nkeys);
	return hs_finish();
}
