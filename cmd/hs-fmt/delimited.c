/*
 * delimited.c - CSV (RFC 4180, quoted by libcsv where needed) and TSV (tabs,
 * line breaks and backslashes escaped, as Miller writes it).
 *
 * A column is never dropped: the header is the fields -f names, or else
 * every field of a look-ahead, the first --lookahead records (1000 by
 * default, at most LOOKAHEAD_BYTES of them), in the order they first
 * appear. A later record with a field outside the header is a fatal
 * error that says to name the columns with -f, as Miller stops at a
 * change of CSV schema. The look-ahead does not end with a batch: a
 * field such as hs-detect's anomaly may first come batches later.
 * Neither format can carry U+0000: a record holding it is a bad record.
 */
#include <csv.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"

static struct held ahead;
static int header_known, header_written;
static struct nameset columns;
static struct buf line, text;
static struct flat held_flat;

static void
put_csv_cell(const char *s, size_t n)
{
	size_t need;

	if (n == 0)
		return;
	if (memchr(s, ',', n) == NULL && memchr(s, '"', n) == NULL &&
	    memchr(s, '\n', n) == NULL && memchr(s, '\r', n) == NULL &&
	    s[0] != ' ' && s[n - 1] != ' ') {
		buf_put(&line, s, n);
		return;
	}
	need = csv_write(NULL, 0, s, n);
	buf_reserve(&line, need);
	line.len += csv_write(line.p + line.len, need, s, n);
}

static void
put_tsv_cell(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '\t': buf_puts(&line, "\\t"); break;
		case '\n': buf_puts(&line, "\\n"); break;
		case '\r': buf_puts(&line, "\\r"); break;
		case '\\': buf_puts(&line, "\\\\"); break;
		default: buf_putc(&line, s[i]);
		}
	}
}

static void
put_cell(size_t i, const char *s, size_t n)
{
	if (i > 0)
		buf_putc(&line, fmt_opts.tsv ? '\t' : ',');
	if (fmt_opts.tsv)
		put_tsv_cell(s, n);
	else
		put_csv_cell(s, n);
}

static void
write_header(void)
{
	size_t i;

	header_written = 1;
	if (!fmt_opts.header)
		return;
	buf_reset(&line);
	for (i = 0; i < columns.n; i++)
		put_cell(i, columns.names[i], columns.lens[i]);
	buf_putc(&line, '\n');
	buf_write(&line, stdout);
}

static void
write_row(const struct flat *fl, const char *input, unsigned long lineno)
{
	struct json_span v;
	size_t i;

	for (i = 0; !fmt_opts.chosen && i < fl->n; i++)
		if (nameset_find(&columns, flat_name(fl, i),
		    strlen(flat_name(fl, i))) == NAMESET_NONE)
			hs_fatal("%s:%lu: field '%s' is not in the %s header, "
			    "made from the first %lu records; name the columns "
			    "with -f", input, lineno,
			    flat_name(fl, i), fmt_opts.tsv ? "TSV" : "CSV",
			    fmt_opts.lookahead);
	if (columns.n == 0) {
		hs_bad_record(input, lineno, "no field to write");
		return;
	}
	if (!header_written)
		write_header();
	buf_reset(&line);
	for (i = 0; i < columns.n; i++) {
		v = flat_get(fl, columns.names[i]);
		buf_reset(&text);
		cell_text(&text, &v, "");
		if (text.len > 0 && memchr(text.p, '\0', text.len) != NULL) {
			hs_bad_record(input, lineno, "field '%s' holds U+0000, "
			    "which %s cannot carry", columns.names[i],
			    fmt_opts.tsv ? "TSV" : "CSV");
			return;
		}
		put_cell(i, text.p, text.len);
	}
	buf_putc(&line, '\n');
	buf_write(&line, stdout);
}

static void
end_lookahead(void)
{
	size_t i;

	header_known = 1;
	for (i = 0; i < ahead.n; i++) {
		held_flatten(&ahead, i, &held_flat);
		write_row(&held_flat, ahead.r[i].input, ahead.r[i].lineno);
	}
	held_clear(&ahead);
}

void
delimited_record(const char *rec, size_t len, const struct flat *fl,
    const char *input, unsigned long lineno)
{
	size_t i;

	if (fmt_opts.chosen && !header_known) {
		for (i = 0; i < fmt_opts.nfields; i++)
			nameset_add(&columns, fmt_opts.fields[i],
			    strlen(fmt_opts.fields[i]));
		header_known = 1;
	}
	if (header_known) {
		write_row(fl, input, lineno);
		return;
	}
	for (i = 0; i < fl->n; i++)
		nameset_add(&columns, flat_name(fl, i),
		    strlen(flat_name(fl, i)));
	held_add(&ahead, rec, len, input, lineno);
	if (ahead.n >= fmt_opts.lookahead || ahead.bytes >= LOOKAHEAD_BYTES)
		end_lookahead();
}

void
delimited_end(void)
{
	if (!header_known && ahead.n > 0)
		end_lookahead();
	nameset_free(&columns);
	flat_free(&held_flat);
	buf_free(&line);
	buf_free(&text);
}
