/*
 * influx.c - InfluxDB line protocol, a line per record:
 *
 *	measurement,tag=value,... field=value,... timestamp
 *
 * The measurement is -n; the tags are the key fields (a tag with an empty
 * value is left out, as InfluxDB requires); the fields are the other
 * values, numbers as floats (JSON has one number type, and InfluxDB
 * refuses a field that changes type), strings quoted, booleans as true
 * and false; the timestamp is the record's time in nanoseconds.
 *
 * Escaping: a backslash before commas and spaces in the measurement, and
 * before commas, equals signs and spaces in tag keys, tag values and field
 * keys; before double quotes and backslashes in string fields. InfluxDB
 * 1.x keeps other backslashes in names and tags as they are, and has no
 * way to write there a line break, or a backslash that ends the text or
 * comes before a comma, equals sign or space: such a character becomes a
 * space, reported once. Nor can it carry U+0000, or a number beyond the
 * range of a double: such a record is a bad record.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"

static struct buf line, text;
static int warned;

/* Append a name or tag value, a backslash before each of the specials:
 * 0, or -1 if it holds U+0000. */
static int
put_escaped(const char *s, size_t n, const char *specials)
{
	size_t i;
	char c;

	for (i = 0; i < n; i++) {
		if ((c = s[i]) == '\0')
			return -1;
		if (c == '\n' || c == '\r' || (c == '\\' &&
		    (i + 1 == n || strchr(specials, s[i + 1]) != NULL))) {
			if (!warned++)
				hs_warn("a line break or a backslash before "
				    "a separator cannot be written in an "
				    "InfluxDB name or tag; written as a space "
				    "(reported once)");
			c = ' ';
		}
		if (strchr(specials, c) != NULL)
			buf_putc(&line, '\\');
		buf_putc(&line, c);
	}
	return 0;
}

static void
put_name(const char *name)
{
	put_escaped(name, strlen(name), ",= ");
}

static int
put_tag_value(const struct json_span *v)
{
	buf_reset(&text);
	cell_text(&text, v, "");
	return put_escaped(text.p, text.len, ",= ");
}

/* A field value: 0, or the reason it cannot be written. */
static const char *
put_field_value(const struct json_span *v)
{
	char num[32];
	double d;
	size_t i;

	switch (v->type) {
	case JSON_NUMBER:
		if (number_value(v, &d) == -1)
			return "a number beyond the range of a double";
		fmt_double(num, d);
		buf_puts(&line, num);
		break;
	case JSON_TRUE:
		buf_puts(&line, "true");
		break;
	case JSON_FALSE:
		buf_puts(&line, "false");
		break;
	default:
		buf_reset(&text);
		cell_text(&text, v, "");
		buf_putc(&line, '"');
		for (i = 0; i < text.len; i++) {
			if (text.p[i] == '\0')
				return "U+0000";
			if (text.p[i] == '"' || text.p[i] == '\\')
				buf_putc(&line, '\\');
			buf_putc(&line, text.p[i]);
		}
		buf_putc(&line, '"');
	}
	return NULL;
}

void
influx_record(const struct flat *fl, const char *input, unsigned long lineno)
{
	const char *why;
	hs_time t;
	size_t i;
	int n = 0;

	buf_reset(&line);
	put_escaped(fmt_opts.name, strlen(fmt_opts.name), ", ");
	for (i = 0; i < fl->n; i++) {
		if (!series_is_key(fl, i) || fl->f[i].value.type == JSON_NULL ||
		    (fl->f[i].value.type == JSON_STRING &&
		    fl->f[i].value.len == 2))
			continue;
		buf_putc(&line, ',');
		put_name(flat_name(fl, i));
		buf_putc(&line, '=');
		if (put_tag_value(&fl->f[i].value) == -1) {
			hs_bad_record(input, lineno, "tag '%s' holds U+0000, "
			    "which InfluxDB cannot carry", flat_name(fl, i));
			return;
		}
	}
	for (i = 0; i < fl->n; i++) {
		if (!series_is_value(fl, i))
			continue;
		buf_putc(&line, n++ ? ',' : ' ');
		put_name(flat_name(fl, i));
		buf_putc(&line, '=');
		if ((why = put_field_value(&fl->f[i].value)) != NULL) {
			hs_bad_record(input, lineno, "field '%s' holds %s, "
			    "which InfluxDB cannot store", flat_name(fl, i),
			    why);
			return;
		}
	}
	if (n == 0) {
		hs_bad_record(input, lineno, "no field to write to InfluxDB");
		return;
	}
	if (series_time(fl, &t) == 0) {
		if (t > INT64_MAX / 1000 || t < INT64_MIN / 1000) {
			hs_bad_record(input, lineno, "time out of the range of "
			    "InfluxDB's nanoseconds (1677 to 2262)");
			return;
		}
		buf_printf(&line, " %lld", (long long)t * 1000);
	}
	buf_putc(&line, '\n');
	buf_write(&line, stdout);
}
