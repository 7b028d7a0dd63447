/*
 * table.c - the aligned text table, like Spark's console sink:
 *
 *   +------------------------------------------+------+-----+
 *   |window                                    |sensor|count|
 *   +------------------------------------------+------+-----+
 *   |[2025-11-08 14:30:00, 2025-11-08 14:31:00]|CE    |   60|
 *   +------------------------------------------+------+-----+
 *
 * Rows wait in memory until the table is flushed: at the end of input, at
 * the end of a trigger's batch, or every TABLE_MAX_ROWS rows, so memory
 * stays bounded. Columns of numbers are right-aligned, others left-aligned;
 * widths count UTF-8 characters, and control characters show escaped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"

struct column {
	char *name;
	size_t width;
	int numeric;	/* every cell so far is a number (or empty) */
};

static struct column *cols;
static size_t ncols;
static int fixed_columns;
static char ***rows;	/* rows[r][c]: text of a cell, or NULL */
static size_t nrows;

static size_t
text_width(const char *s)
{
	size_t w = 0;

	for (; *s != '\0'; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void
add_column(const char *name)
{
	size_t r;

	cols = hs_xrealloc(cols, (ncols + 1) * sizeof(*cols));
	cols[ncols].name = hs_xstrdup(name);
	cols[ncols].numeric = 1;
	ncols++;
	for (r = 0; r < nrows; r++) {
		rows[r] = hs_xrealloc(rows[r], ncols * sizeof(**rows));
		rows[r][ncols - 1] = NULL;
	}
}

static size_t
column_of(const char *name)
{
	size_t c;

	for (c = 0; c < ncols; c++)
		if (strcmp(cols[c].name, name) == 0)
			return c;
	return ncols;
}

void
table_set_columns(char **names, size_t n, int fixed)
{
	size_t i;

	for (i = 0; i < n; i++)
		add_column(names[i]);
	fixed_columns = fixed;
}

/* The cell as one line: control characters escaped as in JSON. */
static char *
one_line(const struct json_span *v)
{
	struct buf text = { 0 }, out = { 0 };
	size_t i;

	cell_text(&text, v, "null");
	buf_reserve(&out, text.len);
	out.p[0] = '\0';			/* an empty cell */
	for (i = 0; i < text.len; i++) {
		unsigned char ch = (unsigned char)text.p[i];

		if (ch == '\n')
			buf_puts(&out, "\\n");
		else if (ch == '\t')
			buf_puts(&out, "\\t");
		else if (ch == '\r')
			buf_puts(&out, "\\r");
		else if (ch < 0x20)
			buf_printf(&out, "\\u%04x", ch);
		else
			buf_putc(&out, (char)ch);
	}
	buf_free(&text);
	return out.p;
}

void
table_add(const struct flat *fl)
{
	struct json_span v;
	char **row;
	size_t i, c;

	if (!fixed_columns)
		for (i = 0; i < fl->n; i++)
			if (column_of(flat_name(fl, i)) == ncols)
				add_column(flat_name(fl, i));
	row = hs_xmalloc((ncols ? ncols : 1) * sizeof(*row));
	for (c = 0; c < ncols; c++) {
		v = flat_get(fl, cols[c].name);
		row[c] = v.type == JSON_NONE ? NULL : one_line(&v);
		if (v.type != JSON_NONE && v.type != JSON_NUMBER)
			cols[c].numeric = 0;
	}
	rows = hs_xrealloc(rows, (nrows + 1) * sizeof(*rows));
	rows[nrows++] = row;
	if (nrows == TABLE_MAX_ROWS)
		table_flush(NULL);
}

static void
put_border(void)
{
	size_t c, i;

	for (c = 0; c < ncols; c++) {
		putchar('+');
		for (i = 0; i < cols[c].width; i++)
			putchar('-');
	}
	puts("+");
}

static void
put_cell(const char *text, size_t width, int right)
{
	size_t pad = width - text_width(text);

	putchar('|');
	if (right)
		printf("%*s", (int)pad, "");
	fputs(text, stdout);
	if (!right)
		printf("%*s", (int)pad, "");
}

void
table_flush(const char *title)
{
	size_t r, c, w;

	if (nrows == 0 || ncols == 0)
		return;
	if (title != NULL)
		printf("-------------------------------------------\n%s\n"
		    "-------------------------------------------\n", title);
	for (c = 0; c < ncols; c++) {
		cols[c].width = text_width(cols[c].name);
		for (r = 0; r < nrows; r++)
			if (rows[r][c] != NULL &&
			    (w = text_width(rows[r][c])) > cols[c].width)
				cols[c].width = w;
	}
	put_border();
	for (c = 0; c < ncols; c++)
		put_cell(cols[c].name, cols[c].width, 0);
	puts("|");
	put_border();
	for (r = 0; r < nrows; r++) {
		for (c = 0; c < ncols; c++) {
			put_cell(rows[r][c] ? rows[r][c] : "", cols[c].width,
			    cols[c].numeric);
			free(rows[r][c]);
		}
		puts("|");
		free(rows[r]);
	}
	put_border();
	nrows = 0;
	for (c = 0; c < ncols; c++)
		cols[c].numeric = 1;
}

void
table_free(void)
{
	size_t c;

	for (c = 0; c < ncols; c++)
		free(cols[c].name);
	free(cols);
	free(rows);
	cols = NULL;
	rows = NULL;
	ncols = 0;
}
