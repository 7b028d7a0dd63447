/*
 * fmt.h - the pieces of hs-fmt: flattening a record into named cells, and
 * the output formats that write them.
 */
#ifndef HS_FMT_H
#define HS_FMT_H

#include <stddef.h>

#include "json.h"
#include "jsonw.h"

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

#endif
