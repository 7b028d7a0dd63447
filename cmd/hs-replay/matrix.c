/*
 * matrix.c - rows and cells of a UCI matrix file (see matrix.h).
 *
 * Cells are checked, not converted: a plain decimal such as 151.47 is
 * recognised in one pass over its bytes; only other spellings (exponents,
 * blanks, long or bad cells) go through the JSON scanner and json_number,
 * which decide as every later stage of a pipeline does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "lineio.h"
#include "matrix.h"

/* A row may average this many bytes a cell (the longest double in its
 * shortest form has 24 characters) before its line is too long. */
#define CELL_BYTES 32
/* A plain decimal up to this long is a finite double. */
#define PLAIN_MAX 24

int
matrix_open(struct matrix *m, const char *path, size_t columns)
{
	memset(m, 0, sizeof(*m));
	if ((m->lr = lr_open(path, columns * CELL_BYTES + 4096)) == NULL)
		return -1;
	m->name = path;
	m->columns = columns;
	m->cell = hs_xmalloc(columns * sizeof(*m->cell));
	return 0;
}

void
matrix_close(struct matrix *m)
{
	lr_close(m->lr);
	free(m->cell);
	m->lr = NULL;
	m->cell = NULL;
}

/* The line of the next row: 1, with *line NULL when the line reader has
 * reported and skipped it as too long; 0 at the end of the file. A line
 * read past skipped ones is held until its turn. */
static int
next_row(struct matrix *m, const char **line, size_t *len)
{
	unsigned long want = m->rows + 1;
	char *l;

	if (m->held == NULL) {
		if ((l = lr_next_raw(m->lr, &m->held_len)) != NULL)
			m->held = l;
		else if (lr_lineno(m->lr) < want)
			return 0;
	}
	m->rows = want;
	if (m->held == NULL || lr_lineno(m->lr) > want) {
		*line = NULL;
		return 1;
	}
	*line = m->held;
	*len = m->held_len;
	m->held = NULL;
	return 1;
}

int
matrix_skip(struct matrix *m)
{
	const char *line;
	size_t len;

	return next_row(m, &line, &len);
}

int
matrix_read(struct matrix *m)
{
	const char *line;
	size_t len, i;

	if (next_row(m, &line, &len) == 0)
		return 0;
	if (line != NULL)
		matrix_split(m->name, m->rows, line, len, m->cell, m->columns);
	else
		for (i = 0; i < m->columns; i++)
			m->cell[i].p = NULL;
	return 1;
}

static int
is_digit(char c)
{
	return (unsigned char)(c - '0') < 10;
}

/* The end of the plain decimal -?(0|[1-9][0-9]*)(.[0-9]+)? at p, or NULL
 * if p does not start with one. The row's end is found by the byte after
 * it, which is neither a digit nor a point. */
static const char *
plain_decimal_end(const char *p)
{
	const char *digits;

	p += *p == '-';
	if (*p == '0')
		p++;
	else if ((unsigned char)(*p - '1') < 9)
		while (is_digit(*++p))
			;
	else
		return NULL;
	if (*p == '.') {
		digits = ++p;
		while (is_digit(*p))
			p++;
		if (p == digits)
			return NULL;
	}
	return p;
}

/* Check the cell [p, end) of any spelling: NULL if good (*c set), else
 * why not. */
static const char *
check_cell(const char *p, const char *end, struct matrix_cell *c)
{
	struct json_span num;
	double d;

	while (p < end && *p == ' ')
		p++;
	while (end > p && end[-1] == ' ')
		end--;
	if (p == end)
		return "empty cell";
	if ((*p != '-' && (*p < '0' || *p > '9')) ||
	    json_skip_value(p, end) != end)
		return "not a JSON number";
	num.p = p;
	num.len = (size_t)(end - p);
	num.type = JSON_NUMBER;
	if (json_number(&num, &d) == -1)
		return "out of range of a double, or longer than 63 characters";
	c->p = p;
	c->len = num.len;
	return NULL;
}

/* The first bytes of a cell as printable text, for a message. */
static const char *
shown(const char *p, size_t n, char *out, size_t cap)
{
	size_t i, o = 0;

	for (i = 0; i < n && i < 20 && o + 8 < cap; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (ch >= 0x20 && ch < 0x7f && ch != '\\' && ch != '\'')
			out[o++] = (char)ch;
		else
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", ch);
	}
	if (i < n && o + 4 < cap) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

void
matrix_split(const char *name, unsigned long lineno, const char *line,
    size_t len, struct matrix_cell *cell, size_t columns)
{
	const char *p = line, *end = line + len, *next, *tab, *why;
	const char *bad_why = NULL, *bad_p = NULL;
	size_t n = 0, bad = 0, bad_col = 0, bad_len = 0, i;
	struct matrix_cell c;
	char text[96];

	if (lineno == 1 && len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	if (end > p && end[-1] == '\r')
		end--;
	/* an empty line has no cells; a tab at its end adds an empty one */
	for (; p < end || n > 0; p = next + 1) {
		next = plain_decimal_end(p);
		if (next != NULL && (*next == '\t' || next == end) &&
		    next - p <= PLAIN_MAX) {
			c.p = p;
			c.len = (size_t)(next - p);
		} else {
			tab = memchr(p, '\t', (size_t)(end - p));
			next = tab != NULL ? tab : end;
			if ((why = check_cell(p, next, &c)) != NULL) {
				if (bad++ == 0) {
					bad_why = why;
					bad_col = n + 1;
					bad_p = p;
					bad_len = (size_t)(next - p);
				}
				c.p = NULL;
			}
		}
		if (n < columns)
			cell[n] = c;
		n++;
		if (next == end)
			break;
	}
	for (i = n; i < columns; i++)
		cell[i].p = NULL;
	if (n < columns)
		hs_bad_record(name, lineno, "%zu of %zu cells; samples %zu-%zu "
		    "left out", n, columns, n, columns - 1);
	else if (n > columns)
		hs_bad_record(name, lineno, "%zu cells, %zu expected; "
		    "the extra cells are ignored", n, columns);
	if (bad > 0)
		hs_bad_record(name, lineno, "column %zu: %s: '%s'%s", bad_col,
		    bad_why, shown(bad_p, bad_len, text, sizeof(text)),
		    bad > 1 ? " (and more in this row)" : "");
}
