/*
 * sql.c - records as SQL for SQLite or PostgreSQL: CREATE TABLE IF NOT
 * EXISTS with column types inferred from the first records, then INSERTs
 * in transactions. A transaction is committed when it holds
 * --commit-rows rows, when it is --commit-time old and a batch ends or
 * the input pauses, and at the end of the input: a cron replay makes a
 * few transactions, a live stream one every --commit-time. With key
 * fields (-k), an upsert (ON CONFLICT ... DO UPDATE), so that loading the
 * same rows twice leaves one row per key; an INSERT of several rows ends
 * before a key it already holds, which PostgreSQL cannot update twice in
 * one statement.
 *
 * Column names are the flattened field names made identifiers by
 * sanitize_name (window.start becomes window_start), always quoted. A
 * number column that meets a fraction becomes REAL (in PostgreSQL by an
 * ALTER TABLE): JSON has one number type. A value of another type than
 * its column is reported, once a column, and written as NULL. A record
 * without any column is a bad record, and so is a string holding U+0000,
 * which neither SQLite's SQL text nor PostgreSQL's TEXT can carry; other
 * control characters are written as char(N) or chr(N). A
 * number beyond the range of a double is Infinity (or -Infinity) in a
 * REAL column; an integer beyond 64 bits makes its column REAL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"

#define ROWS_PER_INSERT 500

enum sql_type { T_UNKNOWN, T_INTEGER, T_REAL, T_TEXT, T_BOOLEAN };

struct column {
	char *field;		/* flattened name */
	char *ident;		/* quoted SQL identifier */
	enum sql_type type;
	int is_key;
	unsigned long mismatches;
};

static struct column *cols;
static size_t ncols;
static struct nameset fields, idents;	/* of the columns */
static struct nameset statement_keys;	/* of the rows of the INSERT */
static struct held held;
static int created, warned_extra;
static unsigned long rows_in_insert, rows_in_transaction;
static hs_time transaction_start;
static struct buf out, row, text, key;	/* statement, row, value, key */
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
	long long i;

	switch (v->type) {
	case JSON_NUMBER:
		return number_is_integer(v) && json_int(v, &i) == 0 ?
		    T_INTEGER : T_REAL;
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
	size_t i = nameset_find(&fields, field, strlen(field));

	return i == NAMESET_NONE ? NULL : &cols[i];
}

/* A new column; a name that sanitizes to one taken gets a number. */
static struct column *
add_column(const char *field)
{
	struct buf id = { 0 };
	struct column *c;
	size_t i;

	if (ncols == SQL_MAX_COLUMNS)
		hs_fatal("more than %d columns, PostgreSQL's limit: choose "
		    "them with -f", SQL_MAX_COLUMNS);
	put_ident(&id, field);
	while (nameset_find(&idents, id.p, id.len) != NAMESET_NONE) {
		id.len--;
		buf_printf(&id, "_%zu\"", ncols + 1);
	}
	nameset_add(&idents, id.p, id.len);
	nameset_add(&fields, field, strlen(field));
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
		if (c->type == T_UNKNOWN ||
		    (c->type == T_INTEGER && t == T_REAL))
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
			buf_printf(&out, "%s%s", n++ ? ", " : "",
			    cols[i].ident);
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
	nameset_free(&statement_keys);
}

/* A string literal; -1 if the text holds U+0000. Control characters but
 * tab and line feed are written as char(N) (chr(N) in PostgreSQL), as a
 * raw carriage return does not survive sqlite3's reading of lines. */
static int
put_text(struct buf *b, const struct json_span *v)
{
	unsigned char ch;
	size_t i;

	buf_reset(&text);
	if (v->type == JSON_STRING)
		cell_text(&text, v, "");
	else
		buf_put(&text, v->p, v->len);
	if (text.len > 0 && memchr(text.p, '\0', text.len) != NULL)
		return -1;
	buf_putc(b, '\'');
	for (i = 0; i < text.len; i++) {
		ch = (unsigned char)text.p[i];
		if ((ch < 0x20 && ch != '\t' && ch != '\n') || ch == 0x7f) {
			buf_printf(b, "' || %s(%u) || '",
			    fmt_opts.postgres ? "chr" : "char", ch);
			continue;
		}
		if (ch == '\'')
			buf_putc(b, '\'');
		buf_putc(b, (char)ch);
	}
	buf_putc(b, '\'');
	return 0;
}

static void
put_real(struct buf *b, const struct json_span *v)
{
	char num[32];
	double d;

	if (number_value(v, &d) == -1) {
		if (fmt_opts.postgres)
			buf_puts(b, d < 0 ? "'-Infinity'" : "'Infinity'");
		else
			buf_puts(b, d < 0 ? "-9e999" : "9e999");
	} else if (number_is_integer(v))
		buf_put(b, v->p, v->len);
	else if (ofmt_chosen())
		put_number(b, v);
	else {
		fmt_double(num, d);
		buf_puts(b, num);
	}
}

/* The value of column c into b: 0, or -1 if it cannot be written. */
static int
put_value(struct buf *b, struct column *c, const struct json_span *v,
    const char *input, unsigned long lineno)
{
	enum sql_type t = type_of(v);

	if (t == T_UNKNOWN) {
		buf_puts(b, "NULL");
		return 0;
	}
	if (t != c->type && c->type != T_TEXT &&
	    !(c->type == T_REAL && t == T_INTEGER)) {
		if (c->mismatches++ == 0)
			hs_warn("%s:%lu: field '%s' does not fit column %s %s; "
			    "written as NULL (reported once a column)", input,
			    lineno, c->field, c->ident,
			    type_names[fmt_opts.postgres][c->type]);
		buf_puts(b, "NULL");
		return 0;
	}
	switch (c->type) {
	case T_INTEGER:
		buf_put(b, v->p, v->len);
		return 0;
	case T_REAL:
		put_real(b, v);
		return 0;
	case T_BOOLEAN:
		buf_puts(b, v->type == JSON_TRUE ? "TRUE" : "FALSE");
		return 0;
	default:
		return put_text(b, v);
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

/* Whether the record has a column of the table; reports once a field
 * that is not one. */
static int
has_column(const struct flat *fl, const char *input, unsigned long lineno)
{
	size_t i;
	int found = 0;

	for (i = 0; i < fl->n; i++) {
		if (find_column(flat_name(fl, i)) != NULL)
			found = 1;
		else if (field_chosen(flat_name(fl, i)) && !warned_extra) {
			hs_warn("%s:%lu: field '%s' is not a column of the "
			    "table; not written (reported once)", input, lineno,
			    flat_name(fl, i));
			warned_extra = 1;
		}
	}
	return found;
}

static void
commit(void)
{
	end_insert();
	if (rows_in_transaction > 0)
		fputs("COMMIT;\n", stdout);
	rows_in_transaction = 0;
}

static void
insert(const struct flat *fl, const char *input, unsigned long lineno)
{
	struct json_span v;
	size_t i;

	if (!has_column(fl, input, lineno)) {
		hs_bad_record(input, lineno, "no column of table %s",
		    fmt_opts.table);
		return;
	}
	widen(fl);
	buf_reset(&row);
	for (i = 0; i < ncols; i++) {
		if (i > 0)
			buf_puts(&row, ", ");
		v = flat_get(fl, cols[i].field);
		if (put_value(&row, &cols[i], &v, input, lineno) == -1) {
			hs_bad_record(input, lineno, "field '%s' holds U+0000, "
			    "which SQL text cannot carry", cols[i].field);
			return;
		}
	}
	if (fmt_opts.nkeys > 0) {
		buf_reset(&key);
		for (i = 0; i < ncols; i++)
			if (cols[i].is_key) {
				v = flat_get(fl, cols[i].field);
				buf_put(&key, v.p, v.len);
				buf_putc(&key, ',');
			}
		if (nameset_find(&statement_keys, key.p, key.len) !=
		    NAMESET_NONE)
			end_insert();
		nameset_add(&statement_keys, key.p, key.len);
	}
	buf_reset(&out);
	if (rows_in_transaction++ == 0) {
		buf_puts(&out, "BEGIN;\n");
		transaction_start = time_monotonic();
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
	buf_put(&out, row.p, row.len);
	buf_putc(&out, ')');
	buf_write(&out, stdout);
	if (++rows_in_insert == ROWS_PER_INSERT)
		end_insert();
	if (rows_in_transaction >= fmt_opts.commit_rows)
		commit();
}

static void
release_held(void)
{
	size_t i;

	if (!created)
		create_table();
	for (i = 0; i < held.n; i++) {
		held_flatten(&held, i, &held_flat);
		insert(&held_flat, held.r[i].input, held.r[i].lineno);
	}
	held_clear(&held);
}

/* Whether the record has a field to write: a chosen one or a key. */
static int
has_field(const struct flat *fl)
{
	size_t i;

	for (i = 0; i < fl->n; i++)
		if (field_chosen(flat_name(fl, i)) || series_is_key(fl, i))
			return 1;
	return 0;
}

void
sql_record(const char *line, size_t len, const struct flat *fl,
    const char *input, unsigned long lineno)
{
	if (created) {
		insert(fl, input, lineno);
		return;
	}
	if (!has_field(fl)) {
		hs_bad_record(input, lineno, "no field to write as a column");
		return;
	}
	infer(fl, input, lineno);
	if (held.n == 0)
		transaction_start = time_monotonic();
	held_add(&held, line, len, input, lineno);
	if (held.n == SQL_INFER_ROWS || held.bytes >= SQL_INFER_BYTES)
		release_held();
}

hs_time
sql_due(void)
{
	if (held.n == 0 && rows_in_transaction == 0)
		return -1;
	return transaction_start + fmt_opts.commit_time;
}

void
sql_commit_if_due(void)
{
	hs_time due = sql_due();

	if (due == -1 || time_monotonic() < due)
		return;
	if (held.n > 0)
		release_held();
	commit();
	fflush(stdout);
}

void
sql_end(void)
{
	size_t i;

	if (held.n > 0)
		release_held();
	commit();
	for (i = 0; i < ncols; i++) {
		free(cols[i].field);
		free(cols[i].ident);
	}
	free(cols);
	nameset_free(&fields);
	nameset_free(&idents);
	flat_free(&held_flat);
	buf_free(&out);
	buf_free(&row);
	buf_free(&text);
	buf_free(&key);
}
