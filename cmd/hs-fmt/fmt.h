/*
 * fmt.h - the pieces of hs-fmt: flattening a record into named cells, and
 * the output formats that write them.
 */
#ifndef HS_FMT_H
#define HS_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "jsonw.h"
#include "timefmt.h"

/* What the options say, for every format (set by hs-fmt.c). */
struct fmt_options {
	char **fields;		/* -f */
	size_t nfields;
	int chosen;		/* fields came from -f */
	char **keys;		/* -k: labels, tags, upsert key, series */
	size_t nkeys;
	const char *name;	/* -n: metric prefix or measurement */
	const char *table;	/* -T: SQL table */
	int postgres;		/* --dialect postgres */
	int tsv;		/* -o tsv rather than csv */
	int header;		/* csv, tsv: a header line (not -H) */
	unsigned long lookahead;	/* csv, tsv: records that make it */
	const char *textfile;	/* --textfile: the .prom file to rewrite */
	int timestamps;		/* --timestamps: on Prometheus samples */
	const char *value;	/* -y: the charted field */
	unsigned width;		/* -W: chart width */
	unsigned long commit_rows;	/* --commit-rows */
	hs_time commit_time;		/* --commit-time, microseconds */
};
extern struct fmt_options fmt_opts;

/* A set of byte strings, numbered from 0 in the order they were added,
 * found by hash (nameset.c). */
struct nameset {
	char **names;		/* each also NUL-terminated */
	size_t *lens;
	size_t n;
	size_t *slots, nslots;
};
#define NAMESET_NONE SIZE_MAX
/* The FNV-1a hash of a name, for the sets' slots. */
size_t nameset_hash(const char *s, size_t n);
/* The number of the name, or NAMESET_NONE. */
size_t nameset_find(const struct nameset *s, const char *name, size_t len);
/* The number of the name, added if new. */
size_t nameset_add(struct nameset *s, const char *name, size_t len);
void nameset_free(struct nameset *s);

/* One flattened field of a record: a dotted name and its value as
 * written. */
struct field {
	size_t name;		/* offset of its NUL-ended name in names */
	struct json_span value;
};

struct flat {
	struct buf names, path;
	struct field *f;
	size_t n, cap;
	size_t *slots, nslots;	/* hash of names to field + 1 */
};

/* Flatten the object span into fl (reset first). Nested objects become
 * dotted names, except a "window" object with "start" and "end", which
 * stays whole when keep_window is set. Names are decoded and unique (the
 * last of duplicates wins). 0, or -1 if a key holds U+0000. */
int flatten(struct flat *fl, const struct json_span *obj, int keep_window);
void flat_free(struct flat *fl);
const char *flat_name(const struct flat *fl, size_t i);
/* The value of a name, or a span of type JSON_NONE. */
struct json_span flat_get(const struct flat *fl, const char *name);

/* A value as text for a person: strings decoded, numbers as written (or
 * as --ofmt says), null as null_text, a window object as "[start, end]"
 * with times shown as "YYYY-MM-DD HH:MM:SS", other containers as JSON.
 * The text may hold any byte, U+0000 included: mind its length. */
void cell_text(struct buf *out, const struct json_span *v,
    const char *null_text);
/* The same on one line of a terminal: control characters escaped as in
 * JSON (\n, \t, \u0000). */
void cell_line(struct buf *out, const struct json_span *v,
    const char *null_text);
/* Columns of UTF-8 text at a terminal, for aligning it: a character
 * each, two for the wide ones of East Asian scripts, as Spark's show(). */
size_t text_width(const char *s);

/* Numbers (number.c). */
/* --ofmt: "%.4f", "%.6e", "%.3g" (an l before the letter is allowed, as
 * in Miller), or a bare count of decimals as %.Nf. 0, or -1. */
int ofmt_set(const char *spec);
int ofmt_chosen(void);
int number_is_integer(const struct json_span *v);
/* A number span of any length to double: 0, or -1 when it overflows
 * (*d is then +-HUGE_VAL). */
int number_value(const struct json_span *v, double *d);
/* A number for people: as written, or a fraction as --ofmt says. */
void put_number(struct buf *out, const struct json_span *v);

/* Records kept aside as copies of their lines (held.c). */
struct held_record {
	char *line, *input;
	size_t len;
	unsigned long lineno;
};
struct held {
	struct held_record *r;
	size_t n, bytes;
};
void held_add(struct held *h, const char *line, size_t len,
    const char *input, unsigned long lineno);
/* Flatten held record i into fl (windows as start and end): 0 or -1. */
int held_flatten(const struct held *h, size_t i, struct flat *fl);
void held_clear(struct held *h);

/* The table (table.c): rows are held and printed aligned, like Spark's
 * console sink, at the end of each batch, headed "Batch: N" once the
 * stream has batches; a table is also printed when TABLE_MAX_ROWS rows,
 * TABLE_MAX_BYTES of text or TABLE_MAX_CELLS cells are held. */
#define TABLE_MAX_ROWS 1000
#define TABLE_MAX_BYTES (16u << 20)
#define TABLE_MAX_CELLS 1000000
void table_set_columns(char **names, size_t n, int fixed);
void table_add(const struct flat *fl);
void table_end_batch(void);
void table_end(void);

/* CSV and TSV (delimited.c): the header is -f, or the fields of a
 * look-ahead of the first --lookahead records (at most LOOKAHEAD_BYTES);
 * a later field outside it is fatal. */
#define LOOKAHEAD_BYTES (16u << 20)
void delimited_record(const char *line, size_t len, const struct flat *fl,
    const char *input, unsigned long lineno);
void delimited_end(void);

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
/* The key fields: their values as written, one after another, which
 * tells series apart; and as "value value ..." for people, on one line. */
void series_identity(struct buf *out, const struct flat *fl);
void series_label(struct buf *out, const struct flat *fl);
/* Whether hs-detect flagged the record (it has an anomaly object). */
int series_is_anomaly(const struct flat *fl);
/* A name made of [A-Za-z0-9_] only: other bytes become '_', a leading
 * digit gets a '_' before it, and an empty name is "_". */
void sanitize_name(struct buf *out, const char *name);

/* The export formats. Each takes the flattened records (window as
 * window.start and window.end), is told when a batch ends (a trigger or
 * a watermark after rows) and when the input ends. */
#define SQL_INFER_ROWS 100
#define SQL_INFER_BYTES (16u << 20)
#define SQL_MAX_COLUMNS 1600	/* PostgreSQL's limit */
void sql_record(const char *line, size_t len, const struct flat *fl,
    const char *input, unsigned long lineno);
/* The monotonic time at which the open transaction is due to commit, or
 * -1 without one; commit it if it is due. */
hs_time sql_due(void);
void sql_commit_if_due(void);
void sql_end(void);

#define PROM_MAX_SERIES 100000
void prom_record(const struct flat *fl, const char *input,
    unsigned long lineno);
void prom_end_batch(void);
void prom_end(void);
/* --textfile: refuse what is not a regular file (fatal); replace the file
 * (through a symbolic link, the file it names) by a new one holding b. */
void textfile_check(const char *path);
void textfile_replace(const char *path, const struct buf *b);

void influx_record(const struct flat *fl, const char *input,
    unsigned long lineno);

#define CHART_MAX_SERIES 1000
void chart_record(const struct flat *fl, const char *input,
    unsigned long lineno);
void chart_spark(void);
void chart_svg(void);

#endif
