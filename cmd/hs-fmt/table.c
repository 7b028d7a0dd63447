/*
 * table.c - the aligned text table, like Spark's console sink:
 *
 *   -------------------------------------------
 *   Batch: 0
 *   -------------------------------------------
 *   +------------------------------------------+------+-----+
 *   |window                                    |sensor|count|
 *   +------------------------------------------+------+-----+
 *   |[2025-11-08 14:30:00, 2025-11-08 14:31:00]|CE    |   60|
 *   +------------------------------------------+------+-----+
 *
 * Rows wait in memory until their batch ends (a trigger, or a watermark
 * after rows) or the input ends; a batch is headed "Batch: N", N counting
 * the batches printed, once the stream has shown it has batches. A batch
 * that outgrows the bounds of fmt.h is printed in parts, the heading over
 * the first, so memory stays bounded. Columns of numbers are
 * right-aligned, others left-aligned; widths count UTF-8 characters, two
 * for an East Asian wide one (as Spark's show()), and control characters
 * show escaped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"

#define KEPT_COLUMNS 64	/* columns remembered beyond one table */

struct column {
	size_t width;
	int numeric;	/* every cell so far is a number (or empty) */
	int used;	/* a row of the table has a cell */
};

static struct nameset names;
static struct column *cols;
static int fixed_columns;
struct row {
	char **cells;	/* text of the cell of each column, or NULL */
	size_t n;	/* the columns when the row came; later ones empty */
};

static struct row *rows;
static size_t nrows, held_bytes, held_cells;
static unsigned long next_batch;
static int batched, part_printed;
static struct buf cell;

static void
add_column(const char *name)
{
	size_t n = names.n;

	if (nameset_add(&names, name, strlen(name)) < n)
		return;
	cols = hs_xrealloc(cols, names.nslots / 2 * sizeof(*cols));
	memset(&cols[n], 0, sizeof(*cols));
	cols[n].numeric = 1;
}

void
table_set_columns(char **fields, size_t n, int fixed)
{
	size_t i;

	for (i = 0; i < n; i++)
		add_column(fields[i]);
	fixed_columns = fixed;
}

static void
put_border(void)
{
	size_t c, i;

	for (c = 0; c < names.n; c++) {
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

/* Forget the columns no row of the table used, when there are many. */
static void
forget_unused_columns(void)
{
	struct nameset kept = { 0 };
	size_t c;

	if (fixed_columns || names.n <= KEPT_COLUMNS)
		return;
	for (c = 0; c < names.n; c++)
		if (cols[c].used) {
			cols[kept.n] = cols[c];
			nameset_add(&kept, names.names[c], names.lens[c]);
		}
	nameset_free(&names);
	names = kept;
}

static void
print_rows(void)
{
	char *cell_text_of;
	size_t r, c, w;

	if (!part_printed && batched)
		printf("-------------------------------------------\n"
		    "Batch: %lu\n"
		    "-------------------------------------------\n",
		    next_batch++);
	part_printed = 1;
	for (c = 0; c < names.n; c++)
		cols[c].width = text_width(names.names[c]);
	for (r = 0; r < nrows; r++)
		for (c = 0; c < rows[r].n; c++)
			if (rows[r].cells[c] != NULL &&
			    (w = text_width(rows[r].cells[c])) > cols[c].width)
				cols[c].width = w;
	put_border();
	for (c = 0; c < names.n; c++)
		put_cell(names.names[c], cols[c].width, 0);
	puts("|");
	put_border();
	for (r = 0; r < nrows; r++) {
		for (c = 0; c < names.n; c++) {
			cell_text_of = c < rows[r].n ? rows[r].cells[c] : NULL;
			put_cell(cell_text_of ? cell_text_of : "",
			    cols[c].width, cols[c].numeric);
			free(cell_text_of);
		}
		puts("|");
		free(rows[r].cells);
	}
	put_border();
	nrows = held_bytes = held_cells = 0;
	forget_unused_columns();
	for (c = 0; c < names.n; c++) {
		cols[c].numeric = 1;
		cols[c].used = 0;
	}
}

void
table_add(const struct flat *fl)
{
	struct json_span v;
	struct row *row;
	size_t i, c;

	if (!fixed_columns)
		for (i = 0; i < fl->n; i++)
			add_column(flat_name(fl, i));
	if (names.n == 0)
		return;
	if (nrows % 64 == 0)
		rows = hs_xrealloc(rows, (nrows + 64) * sizeof(*rows));
	row = &rows[nrows++];
	row->n = names.n;
	row->cells = hs_xmalloc(names.n * sizeof(*row->cells));
	held_cells += names.n;
	for (c = 0; c < names.n; c++) {
		v = flat_get(fl, names.names[c]);
		if (v.type == JSON_NONE) {
			row->cells[c] = NULL;
			continue;
		}
		buf_reset(&cell);
		cell_line(&cell, &v, "null");
		row->cells[c] = hs_xmalloc(cell.len + 1);
		memcpy(row->cells[c], cell.p ? cell.p : "", cell.len);
		row->cells[c][cell.len] = '\0';
		held_bytes += cell.len + 1;
		cols[c].used = 1;
		if (v.type != JSON_NUMBER)
			cols[c].numeric = 0;
	}
	if (nrows == TABLE_MAX_ROWS || held_bytes >= TABLE_MAX_BYTES ||
	    held_cells >= TABLE_MAX_CELLS)
		print_rows();
}

void
table_end_batch(void)
{
	batched = 1;
	if (nrows > 0 && names.n > 0)
		print_rows();
	part_printed = 0;
}

void
table_end(void)
{
	if (nrows > 0 && names.n > 0)
		print_rows();
	nameset_free(&names);
	free(cols);
	free(rows);
	buf_free(&cell);
	cols = NULL;
	rows = NULL;
}
