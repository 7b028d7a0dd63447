/*
 * lineio.c - a buffered, zero-copy line reader with line numbers and a
 * bound on line length (see lineio.h).
 *
 * The buffer holds at least max_line bytes plus one read; lines are handed
 * out in place. A line longer than max_line is reported and skipped up to
 * its newline without being kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "jsonw.h"
#include "lineio.h"

#define READ_CHUNK (1 << 16)

static volatile sig_atomic_t stop_signal;	/* see lr_stop_on_signals */
static struct buf *held;	/* see lr_hold_output */

struct line_reader {
	int fd;
	char *name;
	char *buf;
	size_t cap;		/* bytes allocated */
	size_t start, end;	/* unread data is buf[start..end) */
	size_t max_line;
	unsigned long lineno;
	int eof;
};

struct line_reader *
lr_open(const char *path, size_t max_line)
{
	struct line_reader *lr;
	int fd;

	if (path == NULL || strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
		path = "<stdin>";
	} else if ((fd = open(path, O_RDONLY)) == -1)
		return NULL;
	lr = hs_xmalloc(sizeof(*lr));
	memset(lr, 0, sizeof(*lr));
	lr->fd = fd;
	lr->name = hs_xstrdup(path);
	lr->max_line = max_line ? max_line : HS_MAX_LINE_DEFAULT;
	lr->cap = lr->max_line + READ_CHUNK + 1;
	lr->buf = hs_xmalloc(lr->cap);
	return lr;
}

void
lr_close(struct line_reader *lr)
{
	if (lr == NULL)
		return;
	if (lr->fd != STDIN_FILENO)
		close(lr->fd);
	free(lr->name);
	free(lr->buf);
	free(lr);
}

/* A write to standard output failed (errno): a closed pipe ends the
 * process by SIGPIPE, as at exit after stdio's writes; another error is
 * fatal, with hs_finish's message. */
static void __attribute__((noreturn))
stdout_failed(void)
{
	if (errno == EPIPE) {
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
	}
	hs_fatal("write error on standard output: %s", strerror(errno));
}

void
lr_write_held(void)
{
	const char *p;
	size_t n;
	ssize_t w;

	if (held == NULL || held->len == 0)
		return;
	p = held->p;
	n = held->len;
	buf_reset(held);	/* written once, even if it fails */
	if (fflush(stdout) == EOF)	/* what stdio holds goes first */
		stdout_failed();
	for (; n > 0; p += w, n -= (size_t)w)
		if ((w = write(STDOUT_FILENO, p, n)) == -1) {
			if (errno != EINTR)
				stdout_failed();
			w = 0;
		}
}

/* Write what the stage holds, and what stdio does, before waiting. */
static void
flush_output(void)
{
	lr_write_held();
	fflush(stdout);
}

void
lr_hold_output(struct buf *out)
{
	if (held == NULL)
		atexit(flush_output);
	held = out;
}

/* Read more input after the unread data; 0 at end of input. */
static size_t
fill(struct line_reader *lr)
{
	ssize_t n;

	if (lr->eof)
		return 0;
	if (lr->start > 0) {
		memmove(lr->buf, lr->buf + lr->start, lr->end - lr->start);
		lr->end -= lr->start;
		lr->start = 0;
	}
	flush_output();
	do
		n = stop_signal ? 0 :
		    read(lr->fd, lr->buf + lr->end, lr->cap - 1 - lr->end);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		hs_fatal("%s: read error: %s", lr->name, strerror(errno));
	if (n == 0)
		lr->eof = 1;
	lr->end += (size_t)n;
	return (size_t)n;
}

/* Discard input up to and including the next newline. */
static void
skip_rest_of_line(struct line_reader *lr)
{
	char *nl;

	for (;;) {
		nl = memchr(lr->buf + lr->start, '\n', lr->end - lr->start);
		if (nl != NULL) {
			lr->start = (size_t)(nl - lr->buf) + 1;
			return;
		}
		lr->start = lr->end;
		if (fill(lr) == 0)
			return;
	}
}

/* The next line as it is in the input, without its newline. */
static char *
next_raw_line(struct line_reader *lr, size_t *len)
{
	size_t scanned = 0;
	char *line, *nl;

	for (;;) {
		nl = memchr(lr->buf + lr->start + scanned, '\n',
		    lr->end - lr->start - scanned);
		if (nl != NULL || (lr->eof && lr->end > lr->start))
			break;
		scanned = lr->end - lr->start;
		if (scanned > lr->max_line) {
			lr->lineno++;
			hs_bad_record(lr->name, lr->lineno,
			    "line longer than %zu bytes", lr->max_line);
			skip_rest_of_line(lr);
			scanned = 0;
			continue;
		}
		if (fill(lr) == 0 && lr->end == lr->start)
			return NULL;
	}
	if (nl == NULL && stop_signal)
		return NULL;	/* a line cut short by a stop is no line */
	line = lr->buf + lr->start;
	if (nl == NULL)
		nl = lr->buf + lr->end;	/* last line without newline */
	*len = (size_t)(nl - line);
	lr->lineno++;
	lr->start = (size_t)(nl - lr->buf) + (nl < lr->buf + lr->end);
	if (*len > lr->max_line) {
		hs_bad_record(lr->name, lr->lineno,
		    "line longer than %zu bytes", lr->max_line);
		return next_raw_line(lr, len);
	}
	*nl = '\0';
	return line;
}

char *
lr_next_raw(struct line_reader *lr, size_t *len)
{
	return next_raw_line(lr, len);
}

static int
is_blank(const char *p, size_t n)
{
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' ||
	    p[n - 1] == '\r'))
		n--;
	return n == 0;
}

char *
lr_next(struct line_reader *lr, size_t *len)
{
	static const char bom[] = "\xef\xbb\xbf";
	char *line = lr->buf + lr->start, *nl;

	/* Most lines: whole in the buffer, not the first (no mark to look
	 * for), neither blank at their start nor ending in a CR. */
	if (lr->lineno > 0 && (nl = memchr(line, '\n', lr->end -
	    lr->start)) != NULL && nl > line && nl[-1] != '\r' &&
	    (unsigned char)line[0] > ' ' &&
	    (*len = (size_t)(nl - line)) <= lr->max_line) {
		lr->lineno++;
		lr->start += *len + 1;
		*nl = '\0';
		return line;
	}
	while ((line = next_raw_line(lr, len)) != NULL) {
		if (lr->lineno == 1 && *len >= 3 && memcmp(line, bom, 3) == 0) {
			line += 3;
			*len -= 3;
		}
		if (*len > 0 && line[*len - 1] == '\r')
			line[--*len] = '\0';
		if (*len > 0 && line[0] != ' ' && line[0] != '\t')
			return line;
		if (!is_blank(line, *len))
			return line;
	}
	return NULL;
}

char *
lr_next_setting(struct line_reader *lr)
{
	char *line;
	size_t len;

	while ((line = lr_next(lr, &len)) != NULL) {
		line += strspn(line, " \t");
		if (*line != '\0' && *line != '#')
			return line;
	}
	return NULL;
}

int
lr_poll(struct line_reader *lr, int timeout_ms)
{
	struct pollfd pfd = { .fd = lr->fd, .events = POLLIN };
	int n;

	if (lr->eof || lr->end > lr->start)
		return 1;
	flush_output();
	do
		n = stop_signal ? 1 : poll(&pfd, 1, timeout_ms);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		hs_fatal("%s: poll: %s", lr->name, strerror(errno));
	return n > 0;
}

static void
on_stop_signal(int sig)
{
	stop_signal = sig;
}

void
lr_stop_on_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;	/* no SA_RESTART: reads return */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int
lr_stopped(void)
{
	return stop_signal != 0;
}

void
lr_each_input(int n, char *const names[],
    void (*fn)(struct line_reader *, void *), void *arg)
{
	struct line_reader *lr;
	int i;

	for (i = 0; i == 0 || i < n; i++) {
		if ((lr = lr_open(n > 0 ? names[i] : NULL, 0)) == NULL)
			hs_fatal("%s: %s", names[i], strerror(errno));
		fn(lr, arg);
		lr_close(lr);
	}
}

const char *
lr_name(const struct line_reader *lr)
{
	return lr->name;
}

unsigned long
lr_lineno(const struct line_reader *lr)
{
	return lr->lineno;
}

char *
read_whole_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	size_t cap = 1 << 16, n;
	char *text;

	if (f == NULL)
		hs_fatal("%s: %s", path, strerror(errno));
	text = hs_xmalloc(cap + 1);
	*len = 0;
	while ((n = fread(text + *len, 1, cap - *len, f)) > 0)
		if ((*len += n) == cap)
			text = hs_xrealloc(text, (cap *= 2) + 1);
	if (ferror(f))
		hs_fatal("%s: %s", path, strerror(errno));
	fclose(f);
	text[*len] = '\0';
	return text;
}
