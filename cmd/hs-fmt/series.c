/*
 * series.c - records as points of time series, the way Prometheus,
 * InfluxDB and the charts see them: key fields name a series, the time
 * places the point, the other scalar fields are its values.
 */
#include <string.h>

#include "fmt.h"

static int
in_list(char **list, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return 1;
	return 0;
}

static int
is_time_field(const char *name)
{
	return strcmp(name, "timestamp") == 0 ||
	    strncmp(name, "window.", 7) == 0;
}

int
series_is_key(const struct flat *fl, size_t i)
{
	const char *name = flat_name(fl, i);

	if (fmt_opts.nkeys > 0)
		return in_list(fmt_opts.keys, fmt_opts.nkeys, name);
	return fl->f[i].value.type == JSON_STRING &&
	    strchr(name, '.') == NULL && !is_time_field(name);
}

int
series_is_value(const struct flat *fl, size_t i)
{
	const char *name = flat_name(fl, i);

	switch (fl->f[i].value.type) {
	case JSON_NUMBER:
	case JSON_STRING:
	case JSON_TRUE:
	case JSON_FALSE:
		break;
	default:
		return 0;
	}
	return !series_is_key(fl, i) && !is_time_field(name) &&
	    field_chosen(name);
}

int
field_chosen(const char *name)
{
	return !fmt_opts.chosen ||
	    in_list(fmt_opts.fields, fmt_opts.nfields, name);
}

int
series_time(const struct flat *fl, hs_time *t)
{
	struct json_span v = flat_get(fl, "window.start");

	if (v.type != JSON_NONE)
		return time_from_json(&v, t);
	v = flat_get(fl, "timestamp");
	return time_from_json(&v, t);
}

void
series_identity(struct buf *out, const struct flat *fl)
{
	size_t i;

	for (i = 0; i < fl->n; i++)
		if (series_is_key(fl, i)) {
			buf_put(out, fl->f[i].value.p, fl->f[i].value.len);
			buf_putc(out, ',');
		}
}

void
series_label(struct buf *out, const struct flat *fl)
{
	size_t i;
	int n = 0;

	for (i = 0; i < fl->n; i++) {
		if (!series_is_key(fl, i))
			continue;
		if (n++ > 0)
			buf_puts(out, " ");
		cell_line(out, &fl->f[i].value, "null");
	}
}

int
series_is_anomaly(const struct flat *fl)
{
	struct json_span v = flat_get(fl, "anomaly");
	size_t i;

	if (v.type == JSON_ARRAY)
		return v.len > 2;
	for (i = 0; i < fl->n; i++)
		if (strncmp(flat_name(fl, i), "anomaly.", 8) == 0)
			return 1;
	return 0;
}

void
sanitize_name(struct buf *out, const char *name)
{
	const char *p;

	if (*name == '\0')
		buf_putc(out, '_');
	if (*name >= '0' && *name <= '9')
		buf_putc(out, '_');
	for (p = name; *p != '\0'; p++)
		buf_putc(out, (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ?
		    *p : '_');
}
