/*
 * jsonw.h - writing JSON output: a growable byte buffer with helpers for
 * escaped strings and numbers in the shortest form that reads back to the
 * same double.
 */
#ifndef HS_JSONW_H
#define HS_JSONW_H

#include <stddef.h>
#include <stdio.h>

struct buf {
	char *p;
	size_t len, cap;
};

void buf_reset(struct buf *b);
void buf_free(struct buf *b);
void buf_reserve(struct buf *b, size_t extra);
void buf_put(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append v in decimal, as printf's "%llu" writes it. */
void buf_put_uint(struct buf *b, unsigned long long v);

/* Append s (n bytes, UTF-8) as a quoted, escaped JSON string. Bytes that
 * are not valid UTF-8, and NUL, become U+FFFD, so that what is written is
 * valid UTF-8 that every stage accepts (hs(7)), whatever s holds. */
void buf_json_string(struct buf *b, const char *s, size_t n);
/* Append a finite double in the shortest round-trip form ("null" if not
 * finite): the text of printf's "%.15g", or of "%.16g" or "%.17g" when
 * fewer digits do not read back; integral values print without exponent
 * or point up to 1e17. Without printf from 1e-4 to 1e15, and a short
 * decimal that reads back at 15 digits by one multiplication. */
void buf_json_number(struct buf *b, double d);
/* Format d the same way into out (at least 32 bytes); returns length. */
int fmt_double(char *out, double d);
/* Format d with at most digits (1 to 15) significant digits, as printf's
 * "%.*g" does, into out (at least 32 bytes), without printf in the common
 * case: numbers in messages for people. Returns the length. */
int fmt_sig(char *out, double d, int digits);

/* Append obj (the text of a valid JSON object) open for more members:
 * without its closing brace, and with a comma if it has members. The
 * caller appends members and the '}'. */
void buf_put_open_object(struct buf *b, const char *obj, size_t len);
/* Append obj (the text of a valid JSON object) with the n bytes of
 * members (such as "a":1,"b":2) as its last members, and a newline. */
void buf_put_line_with_members(struct buf *b, const char *obj, size_t len,
    const char *members, size_t n);

/* Write the buffer to f (fwrite, errors surface in hs_finish). */
void buf_write(const struct buf *b, FILE *f);

#endif
