/*
 * fmt.h - the pieces of hs-fmt: flattening a record into named cells, and
 * the output formats that write them.
 */
#ifndef HS_FMT_H
#define HS_FMT_H

#include <stddef.h>

#include "json.h"
#include "jsonw.h"
#include "timefmt.h"

/* What the options say, for every format (set by hs-fmt.c). */
struct fmt_options {
	char **fields;		/* -f, or the columns of the first record */
	size_t nfields;
	int chosen;		/* fields came from -f */
	char **keys;		/* -k: labels, tags, upsert key, chart series */
	size_t nkeys;
	const char *name;	/* -n: metric prefix or measurement */
	const char *table;	/* -T: SQL table */
	int postgres;		/* --dialect postgres */
	const char *textfile;	/* --textfile: the .prom file to rewrite */
	int timestamps;		/* --timestamps: Prometheus sample times */
	const char *value;	/* -y: the charted field */
	unsigned width;		/* -W: chart width */
};
extern struct fmt_options fmt_opts;

/* One flattened field of a record: a dotted name and its value as
 * written. */
struct field {
	size_t name;		/* offset of the NUL-terminated name in names */
	struct json_span value;
};

struct flat {
	struct buf names;
	struct field *f;
	size_t n, cap;
};

/* Flatten the object span into fl (reset first). Nested objects become
 * dotted names, except a "window" object with "start" and "end", which
 * stays whole when keep_window is set. */
void flatten(struct flat *fl, const struct json_span *obj, int keep_window);
void flat_free(struct flat *fl);
const char *flat_name(const struct flat *fl, size_t i);
/* The value of a name, or a span of type JSON_NONE. */
struct json_span flat_get(const struct flat *fl, const char *name);

/* A value as text for a person: strings decoded, numbers and words as
 * written, null as null_text, a window object as "[start, end]" with
 * times shown as "YYYY-MM-DD HH:MM:SS", other containers as JSON. */
void cell_text(struct buf *out, const struct json_span *v,
    const char *null_text);

/* The table (table.c): rows are buffered and printed aligned, like Spark's
 * console sink, at table_flush or every TABLE_MAX_ROWS rows. */
#define TABLE_MAX_ROWS 1000
void table_set_columns(char **names, size_t n, int fixed);
void table_add(const struct flat *fl);
void table_flush(const char *title);
void table_free(void);

/* Indented JSON of a value (pretty.c). */
void put_pretty(struct buf *out, const struct json_span *v, int depth);

/* A record as a point of a time series (series.c), for the formats that
 * feed monitoring systems and charts. Its keys are the -k fields, or
 * without -k its top-level string fields but timestamp; its time is the
 * window's start, or else its timestamp field; its values are the other
 * fields, of those -f chose. */
int series_is_key(const struct flat *fl, size_t i);
int series_is_value(const struct flat *fl, size_t i);
/* Whether -f chose the field (every field without -f). */
int field_chosen(const char *name);
int series_time(const struct flat *fl, hs_time *t);
/* The key fields as "name=value, ..." for people. */
void series_label(struct buf *out, const struct flat *fl);
/* Whether hs-detect flagged the record (it has an anomaly object). */
int series_is_anomaly(const struct flat *fl);
/* A name made of [A-Za-z0-9_] only: other bytes become '_', and a
 * leading digit gets a '_' before it. */
void sanitize_name(struct buf *out, const char *name);

/* The export formats. Each takes the flattened records (window as
 * window.start and window.end), is told when a batch ends (a trigger or
 * a watermark after rows) and when the input ends (final). */
void sql_record(const char *line, size_t len, const struct flat *fl,
    const char *input, unsigned long lineno);
void sql_batch(int final);
void prom_record(const struct flat *fl);
void prom_batch(int final);
void influx_record(const struct flat *fl, const char *input,
    unsigned long lineno);
void chart_record(const struct flat *fl, const char *input,
    unsigned long lineno);
void chart_spark(void);
void chart_svg(void);

#endif
