/*
 * matrix.h - reading one UCI matrix file: a line per load cycle, a
 * tab-separated number per sample.
 *
 * Rows come one call at a time, in order; the cells of the row just read
 * point into the reader's buffer until the next call. A cell is good when
 * it is a JSON number (RFC 8259) that reads as a finite double, blanks
 * around it aside; any other cell, a row of the wrong width or a line too
 * long to be a row (skipped, its cells all missing) is reported through
 * hs_bad_record as FILE:LINE with the column. A UTF-8 byte-order mark
 * before the first row and a CR before each newline are ignored.
 *
 * A fuzzing harness calls matrix_split on any NUL-terminated buffer, or
 * reads a file with matrix_open and matrix_read.
 */
#ifndef HS_MATRIX_H
#define HS_MATRIX_H

#include <stddef.h>

struct line_reader;

/* A good cell: the number as written, without the blanks around it. */
struct matrix_cell {
	const char *p;		/* NULL: the cell is missing or bad */
	size_t len;
};

struct matrix {
	const char *name;	/* for diagnostics */
	size_t columns;		/* the cells a row has */
	unsigned long rows;	/* rows read or skipped so far */
	struct matrix_cell *cell;	/* the row read last: columns cells */
	struct line_reader *lr;
	const char *held;	/* a line read ahead, past an over-long one */
	size_t held_len;
};

/* Open path for rows of columns cells: 0, or -1 with errno set. */
int matrix_open(struct matrix *m, const char *path, size_t columns);
void matrix_close(struct matrix *m);

/* Read the next row into m->cell, reporting what is wrong with it: 1, or
 * 0 at the end of the file. */
int matrix_read(struct matrix *m);
/* Pass over the next row without looking at its cells: 1, or 0 at the
 * end of the file. */
int matrix_skip(struct matrix *m);

/* Split line (len bytes, newline excluded) into cell[0..columns) and
 * report its faults as name:lineno. line[len] must be readable and be
 * neither a digit nor a point: lr_next_raw leaves a NUL there. Nothing
 * else outside the line is read. */
void matrix_split(const char *name, unsigned long lineno, const char *line,
    size_t len, struct matrix_cell *cell, size_t columns);

#endif
