/*
 * sql.c - records as SQL for SQLite or PostgreSQL: CREATE TABLE IF NOT
 * EXISTS with column types inferred from the first records, then INSERTs
 * batched in transactions, one transaction per batch of the stream. With
 * key fields (-k), an upsert (ON CONFLICT ... DO UPDATE), so that loading
 * the same rows twice leaves one row per key.
 *
 * Column names are the flattened field names made identifiers by
 * sanitize_name (window.start becomes window_start), always quoted. A
 * number column that meets a fraction becomes REAL (in PostgreSQL by an
 * ALTER TABLE): JSON has one number type. A value of another type than
 * its column is reported, once a column, and written as NULL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"

#define INFER_ROWS 100		/* records looked at before CREATE TABLE */
#define ROWS_PER_INSERT 500	/* without keys; an upsert is a row each */

enum sql_type { T_UNKNOWN, T_INTEGER, T_REAL, T_TEXT, T_BOOLEAN };

struct column {
	char *field;		/* flattened name */
	char *ident;		/* quoted SQL identifier */
	enum sql_type type;
	int is_key;
	unsigned long mismatches;
};

struct held_record {
	char *line, *input;
	size_t len;
	unsigned long lineno;
};

static struct column *cols;
static size_t ncols;
static struct held_record *held;
static size_t nheld;
static int created, in_transaction, warned_extra;
static unsigned long rows_in_insert;
static struct buf out, text;	/* a statement; a value's text */
static struct flat held_flat;

static const char *const type_names[2][5] = {
	{ "TEXT", "INTEGER", "REAL", "TEXT", "BOOLEAN" },
	{ "TEXT", "BIGINT", "DOUBLE PRECISION", "TEXT", "BOOLEAN" },
};

static void
put_ident(struct buf *b, const char *name)
{
	buf_putc(b, '"');
	sanitize_name(b, name);
	buf_putc(b, '"');
}

static enum sql_type
type_of(const struct json_span *v)
{
	switch (v->type) {
	case JSON_NUMBER:
		return memchr(v->p, '.', v->len) || memchr(v->p, 'e', v->len) ||
		    memchr(v->p, 'E', v->len) ? T_REAL : T_INTEGER;
	case JSON_STRING:
	case JSON_OBJECT:
	case JSON_ARRAY:
		return T_TEXT;
	case JSON_TRUE:
	case JSON_FALSE:
		return T_BOOLEAN;
	default:
		return T_UNKNOWN;
	}
}

static struct column *
find_column(const char *field)
{
	size_t i;

	for (i = 0; i < ncols; i++)
		if (strcmp(cols[i].field, field) == 0)
			return &cols[i];
	return NULL;
}

static int
ident_taken(const char *ident)
{
	size_t i;

	for (i = 0; i < ncols; i++)
		if (strcmp(cols[i].ident, ident) == 0)
			return 1;
	return 0;
}

/* A new column; a name that sanitizes to one taken gets a number. */
static struct column *
add_column(const char *field)
{
	struct buf id = { 0 };
	struct column *c;
	size_t i;

	put_ident(&id, field);
	while (ident_taken(id.p)) {
		id.len--;
		buf_printf(&id, "_%zu\"", ncols + 1);
	}
	cols = hs_xrealloc(cols, (ncols + 1) * sizeof(*cols));
	c = &cols[ncols++];
	c->field = hs_xstrdup(field);
	c->ident = id.p;
	c->type = T_UNKNOWN;
	c->mismatches = 0;
	c->is_key = 0;
	for (i = 0; i < fmt_opts.nkeys; i++)
		if (strcmp(fmt_opts.keys[i], field) == 0)
			c->is_key = 1;
	return c;
}

/* Widen the columns' types with a record seen before the table exists. */
static void
infer(const struct flat *fl, const char *input, unsigned long lineno)
{
	struct column *c;
	enum sql_type t;
	size_t i;

	if (ncols == 0)		/* the order -f gave */
		for (i = 0; i < fmt_opts.nfields; i++)
			add_column(fmt_opts.fields[i]);
	for (i = 0; i < fl->n; i++) {
		if (!field_chosen(flat_name(fl, i)) && !series_is_key(fl, i))
			continue;
		if ((c = find_column(flat_name(fl, i))) == NULL)
			c = add_column(flat_name(fl, i));
		t = type_of(&fl->f[i].value);
		if (t == T_UNKNOWN || t == c->type ||
		    (c->type == T_REAL && t == T_INTEGER))
			continue;
		if (c->type == T_UNKNOWN || (c->type == T_INTEGER && t == T_REAL))
			c->type = t;
		else if (c->type != T_TEXT) {
			hs_warn("%s:%lu: field '%s' mixes types; column %s is "
			    "TEXT", input, lineno, c->field, c->ident);
			c->type = T_TEXT;
		}
	}
}

static void
put_key_list(void)
{
	size_t i;
	int n = 0;

	for (i = 0; i < ncols; i++)
		if (cols[i].is_key)
			buf_printf(&out, "%s%s", n++ ? ", " : "", cols[i].ident);
}

static void
create_table(void)
{
	size_t i, nkeys = 0;

	for (i = 0; i < ncols; i++)
		nkeys += (size_t)cols[i].is_key;
	if (nkeys < fmt_opts.nkeys)
		hs_fatal("-k: a key field is not in the first records");
	buf_reset(&out);
	buf_puts(&out, "CREATE TABLE IF NOT EXISTS ");
	put_ident(&out, fmt_opts.table);
	buf_puts(&out, " (");
	for (i = 0; i < ncols; i++) {
		if (cols[i].type == T_UNKNOWN)
			cols[i].type = T_TEXT;
		buf_printf(&out, "%s%s %s", i ? ", " : "", cols[i].ident,
		    type_names[fmt_opts.postgres][cols[i].type]);
	}
	if (nkeys > 0) {
		buf_puts(&out, ", PRIMARY KEY (");
		put_key_list();
		buf_putc(&out, ')');
	}
	buf_puts(&out, ");\n");
	buf_write(&out, stdout);
	created = 1;
}

static void
end_insert(void)
{
	size_t i;
	int n = 0;

	if (rows_in_insert == 0)
		return;
	buf_reset(&out);
	if (fmt_opts.nkeys > 0) {
		buf_puts(&out, "\nON CONFLICT (");
		put_key_list();
		buf_puts(&out, ") DO ");
		for (i = 0; i < ncols; i++)
			if (!cols[i].is_key)
				buf_printf(&out, "%s%s = excluded.%s",
				    n++ ? ", " : "UPDATE SET ", cols[i].ident,
				    cols[i].ident);
		if (n == 0)
			buf_puts(&out, "NOTHING");
	}
	buf_puts(&out, ";\n");
	buf_write(&out, stdout);
	rows_in_insert = 0;
}

static void
put_text(const struct json_span *v)
{
	size_t i;

	buf_reset(&text);
	if (v->type == JSON_STRING)
		cell_text(&text, v, "");
	else
		buf_put(&text, v->p, v->len);
	buf_putc(&out, '\'');
	for (i = 0; i < text.len; i++) {
		if (text.p[i] == '\'')
			buf_putc(&out, '\'');
		buf_putc(&out, text.p[i]);
	}
	buf_putc(&out, '\'');
}

static void
put_value(struct column *c, const struct json_span *v, const char *input,
    unsigned long lineno)
{
	enum sql_type t = type_of(v);

	if (t == T_UNKNOWN) {
		buf_puts(&out, "NULL");
		return;
	}
	if (t != c->type && c->type != T_TEXT &&
	    !(c->type == T_REAL && t == T_INTEGER)) {
		if (c->mismatches++ == 0)
			hs_warn("%s:%lu: field '%s' does not fit column %s %s; "
			    "written as NULL (reported once a column)", input,
			    lineno, c->field, c->ident,
			    type_names[fmt_opts.postgres][c->type]);
		buf_puts(&out, "NULL");
		return;
	}
	switch (c->type) {
	case T_INTEGER:
	case T_REAL:
		buf_put(&out, v->p, v->len);
		break;
	case T_BOOLEAN:
		buf_puts(&out, v->type == JSON_TRUE ? "TRUE" : "FALSE");
		break;
	default:
		put_text(v);
	}
}

/* An integer column meeting a fraction becomes REAL before the row. */
static void
widen(const struct flat *fl)
{
	struct json_span v;
	size_t i;

	for (i = 0; i < ncols; i++) {
		v = flat_get(fl, cols[i].field);
		if (cols[i].type != T_INTEGER || type_of(&v) != T_REAL)
			continue;
		cols[i].type = T_REAL;
		if (!fmt_opts.postgres)
			continue;
		end_insert();
		buf_reset(&out);
		buf_puts(&out, "ALTER TABLE ");
		put_ident(&out, fmt_opts.table);
		buf_printf(&out, " ALTER COLUMN %s TYPE DOUBLE PRECISION;\n",
		    cols[i].ident);
		buf_write(&out, stdout);
	}
}

static void
warn_extra_fields(const struct flat *fl, const char *input,
    unsigned long lineno)
{
	size_t i;

	for (i = 0; i < fl->n && !warned_extra; i++)
		if (find_column(flat_name(fl, i)) == NULL &&
		    field_chosen(flat_name(fl, i))) {
			hs_warn("%s:%lu: field '%s' is not a column of the "
			    "table; not written (reported once)", input, lineno,
			    flat_name(fl, i));
			warned_extra = 1;
		}
}

static void
insert(const struct flat *fl, const char *input, unsigned long lineno)
{
	struct json_span v;
	size_t i;

	warn_extra_fields(fl, input, lineno);
	widen(fl);
	buf_reset(&out);
	if (!in_transaction) {
		buf_puts(&out, "BEGIN;\n");
		in_transaction = 1;
	}
	if (rows_in_insert == 0) {
		buf_puts(&out, "INSERT INTO ");
		put_ident(&out, fmt_opts.table);
		buf_puts(&out, " (");
		for (i = 0; i < ncols; i++)
			buf_printf(&out, "%s%s", i ? ", " : "", cols[i].ident);
		buf_puts(&out, ") VALUES\n(");
	} else
		buf_puts(&out, ",\n(");
	for (i = 0; i < ncols; i++) {
		if (i > 0)
			buf_puts(&out, ", ");
		v = flat_get(fl, cols[i].field);
		put_value(&cols[i], &v, input, lineno);
	}
	buf_putc(&out, ')');
	buf_write(&out, stdout);
	if (++rows_in_insert == (fmt_opts.nkeys > 0 ? 1 : ROWS_PER_INSERT))
		end_insert();
}

static void
release_held(void)
{
	struct json_span rec;
	size_t i;

	if (!created)
		create_table();
	for (i = 0; i < nheld; i++) {
		rec.p = held[i].line;
		rec.len = held[i].len;
		rec.type = JSON_OBJECT;
		flatten(&held_flat, &rec, 0);
		insert(&held_flat, held[i].input, held[i].lineno);
		free(held[i].line);
		free(held[i].input);
	}
	nheld = 0;
}

void
sql_record(const char *line, size_t len, const struct flat *fl,
    const char *input, unsigned long lineno)
{
	struct held_record *h;

	if (created) {
		insert(fl, input, lineno);
		return;
	}
	infer(fl, input, lineno);
	held = hs_xrealloc(held, (nheld + 1) * sizeof(*held));
	h = &held[nheld++];
	h->line = hs_xmalloc(len + 1);
	memcpy(h->line, line, len);
	h->line[len] = '\0';
	h->len = len;
	h->input = hs_xstrdup(input);
	h->lineno = lineno;
	if (nheld == INFER_ROWS)
		release_held();
}

void
sql_batch(int final)
{
	size_t i;

	if (nheld > 0)
		release_held();
	end_insert();
	if (in_transaction) {
		fputs("COMMIT;\n", stdout);
		in_transaction = 0;
	}
	fflush(stdout);
	if (!final)
		return;
	for (i = 0; i < ncols; i++) {
		free(cols[i].field);
		free(cols[i].ident);
	}
	free(cols);
	free(held);
	flat_free(&held_flat);
	buf_free(&out);
	buf_free(&text);
}
