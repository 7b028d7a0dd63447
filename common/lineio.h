/*
 * lineio.h - reading newline-delimited input, one line at a time, zero-copy.
 *
 * A line reader hands out pointers into its own buffer (valid until the next
 * call), tracks the input name and line number for diagnostics, and skips
 * over-long lines with a diagnostic instead of growing without bound.
 * Before a read that may block it flushes stdout, so a pipeline shows its
 * output as soon as its input pauses, yet batches writes while input flows.
 */
#ifndef HS_LINEIO_H
#define HS_LINEIO_H

#include <stddef.h>

#define HS_MAX_LINE_DEFAULT (1 << 20)	/* 1 MiB */

struct line_reader;
struct buf;	/* jsonw.h */

/* Open "-" or NULL for stdin; returns NULL (errno set) if the file
 * cannot be opened. */
struct line_reader *lr_open(const char *path, size_t max_line);
void lr_close(struct line_reader *lr);

/* Next line without its newline, NUL-terminated in place; *len gets its
 * length. NULL at end of input. As jq and Miller do, blank lines (only
 * spaces, tabs, a CR) are skipped, a CR before the newline is removed, and
 * so is a UTF-8 byte order mark at the start of the input. Line numbers
 * count every line. Over-long lines are reported through hs_bad_record and
 * skipped. Read errors are fatal. */
char *lr_next(struct line_reader *lr, size_t *len);
/* Next line exactly as it is in the input, but for its newline: for
 * formats where every line counts (a UCI matrix file has a row per line),
 * which lr_next would skip when blank. Over-long lines are reported and
 * skipped as by lr_next. */
char *lr_next_raw(struct line_reader *lr, size_t *len);

/* Next line of a settings file (a rules file, a properties file): as
 * lr_next, and lines whose first non-blank is '#' are skipped too, leading
 * blanks removed. NULL at end of input. */
char *lr_next_setting(struct line_reader *lr);

/* Wait up to timeout_ms (-1: for ever) for input: 1 when a line can be
 * read without waiting (or input has ended), 0 on time-out. Flushes
 * stdout before it waits. */
int lr_poll(struct line_reader *lr, int timeout_ms);

/* A stage that writes its output into out, line after line, instead of
 * into stdout (one copy less per line): out is written to stdout and
 * emptied wherever stdout is flushed (before a read that may block, before
 * lr_poll waits), and at exit. The stage writes it itself when it grows
 * past what it wants to hold, and gives NULL before out goes away. */
void lr_hold_output(struct buf *out);
/* Write the held output to stdout now, after what stdio holds, and empty
 * it. It goes by write(2), not through stdio's buffer (a copy less); a
 * closed pipe ends the process by SIGPIPE, another error is fatal. */
void lr_write_held(void);

/* Make SIGINT and SIGTERM end the input: every reader then reads what it
 * holds and sees the end, and lr_stopped() tells that the input stopped
 * rather than ended (hs(7), "Stop and end"). */
void lr_stop_on_signals(void);
int lr_stopped(void);

/* Call fn with a reader for each of the n named inputs in turn, or for
 * standard input when n is 0 ("-" also names it). An input that cannot be
 * opened is fatal. */
void lr_each_input(int n, char *const names[],
    void (*fn)(struct line_reader *, void *), void *arg);

/* The whole of a file (a model, a baseline), NUL-terminated, its length
 * in *len; a file that cannot be read is fatal. Free it with free(3). */
char *read_whole_file(const char *path, size_t *len);

/* "<stdin>" or the path */
const char *lr_name(const struct line_reader *lr);
unsigned long lr_lineno(const struct line_reader *lr);	/* of last line */

#endif
