/*
 * cli.c - diagnostics, bad-record accounting, exit codes and the stdout
 * conventions every hs binary shares (see cli.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"
#include "timefmt.h"

/* Bad records of one reason after the first few are counted, not shown. */
#define SHOWN_PER_REASON 5
#define MAX_REASONS 32

struct reason {
	char key[80];		/* the message's format or static reason */
	char sample[160];	/* the first message, for the summary */
	unsigned long count;
};

static const char *progname = "hs";
static int strict;
static unsigned long bad_records;
static struct reason reasons[MAX_REASONS];
static size_t nreasons;
static char stdout_buffer[1 << 16];
static int status_wanted = -1;		/* -1: not known yet */
static volatile sig_atomic_t status_shown;

void
hs_init(const char *name)
{
	progname = name;
	signal(SIGPIPE, SIG_DFL);
	setvbuf(stdout, stdout_buffer, _IOFBF, sizeof(stdout_buffer));
	/* A larger pipe lets neighbouring stages run without waking each
	 * other for every 64 KB; failure (not a pipe, a limit) is harmless. */
	fcntl(STDOUT_FILENO, F_SETPIPE_SZ, 1 << 20);
}

const char *
hs_progname(void)
{
	return progname;
}

static void
vwarn_line(const char *fmt, va_list ap)
{
	hs_status_clear();
	fflush(stdout);
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
hs_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_line(fmt, ap);
	va_end(ap);
}

void
hs_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_line(fmt, ap);
	va_end(ap);
	exit(HS_EXIT_FATAL);
}

void
hs_set_strict(int on)
{
	strict = on;
}

/* The reason of key; the last slot takes every reason beyond the table. */
static struct reason *
reason_of(const char *key)
{
	size_t i;

	for (i = 0; i < nreasons; i++)
		if (strncmp(reasons[i].key, key,
		    sizeof(reasons[i].key) - 1) == 0)
			return &reasons[i];
	if (nreasons == MAX_REASONS)
		return &reasons[MAX_REASONS - 1];
	snprintf(reasons[nreasons].key, sizeof(reasons[nreasons].key), "%s",
	    key);
	return &reasons[nreasons++];
}

/* Count a bad record under the reason key; show the first few of each
 * reason, then say that more are counted. */
static void
report(const char *key, const char *input, unsigned long line,
    const char *msg)
{
	struct reason *r = reason_of(key);

	bad_records++;
	hs_status_clear();
	if (r->count++ == 0)
		snprintf(r->sample, sizeof(r->sample), "%s", msg);
	if (r->count <= SHOWN_PER_REASON || strict)
		fprintf(stderr, "%s: %s:%lu: %s\n", progname, input, line, msg);
	else if (r->count == SHOWN_PER_REASON + 1)
		fprintf(stderr, "%s: %s:%lu: more records like '%s' follow: "
		    "counted, not shown\n", progname, input, line, r->sample);
	if (strict) {
		fprintf(stderr, "%s: stopping at the first bad record (-S)\n",
		    progname);
		fflush(stdout);
		exit(HS_EXIT_FATAL);
	}
}

void
hs_bad_record(const char *input, unsigned long line, const char *fmt, ...)
{
	char msg[sizeof(reasons[0].sample)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* one format is one reason, unless the format is only the reason */
	report(fmt[0] == '%' && fmt[1] == 's' && fmt[2] == '\0' ? msg : fmt,
	    input, line, msg);
}

/* What a line that is not a JSON object looks like, if we can tell. */
static const char *
hint_for(const char *text, size_t len)
{
	if (memchr(text, '{', len) != NULL)
		return "";
	if (memchr(text, '\t', len) != NULL)
		return " (looks like TSV; hs tools read NDJSON, one JSON "
		    "object a line)";
	if (memchr(text, ',', len) != NULL)
		return " (looks like CSV; hs tools read NDJSON, one JSON "
		    "object a line)";
	return "";
}

void
hs_bad_json(const char *input, unsigned long line, const char *text,
    size_t len, const struct json_error *err)
{
	char msg[sizeof(reasons[0].sample)];

	if (strcmp(err->why, "not a JSON object") == 0)
		snprintf(msg, sizeof(msg), "%s%s", err->why,
		    hint_for(text, len));
	else
		snprintf(msg, sizeof(msg), "%s at column %zu", err->why,
		    err->column);
	report(err->why, input, line, msg);
}

int
hs_finish(void)
{
	size_t i;

	if (fflush(stdout) == EOF || ferror(stdout)) {
		if (errno == EPIPE) {
			signal(SIGPIPE, SIG_DFL);
			raise(SIGPIPE);
		}
		hs_fatal("write error on standard output: %s", strerror(errno));
	}
	if (bad_records == 0)
		return HS_EXIT_OK;
	for (i = 0; i < nreasons; i++)
		if (reasons[i].count > SHOWN_PER_REASON)
			fprintf(stderr, "%s: %lu records like '%s' (%lu not "
			    "shown)\n", progname, reasons[i].count,
			    reasons[i].sample,
			    reasons[i].count - SHOWN_PER_REASON);
	fprintf(stderr, "%s: %lu bad record%s skipped\n", progname,
	    bad_records, bad_records == 1 ? "" : "s");
	return HS_EXIT_BADINPUT;
	return HS_EXIT_OK;
}

void
hs_usage(const char *text, int help)
{
	fputs(text, help ? stdout : stderr);
	if (help)
		exit(hs_finish());
	exit(HS_EXIT_USAGE);
}

long
hs_arg_long(const char *opt, const char *arg, long min, long max,
    const char *usage_text)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if ((*arg != '-' && (*arg < '0' || *arg > '9')) || *end != '\0' ||
	    errno == ERANGE || v < min || v > max) {
		if (max == LONG_MAX)
			hs_warn("%s: expected a whole number of at least %ld, "
			    "not '%s'", opt, min, arg);
		else
			hs_warn("%s: expected a whole number from %ld to %ld, "
			    "not '%s'", opt, min, max, arg);
		hs_usage(usage_text, 0);
	}
	return v;
}

int64_t
hs_arg_duration(const char *opt, const char *arg, int allow_zero,
    const char *usage_text)
{
	hs_time d;

	if (duration_parse(arg, &d, allow_zero) == -1) {
		hs_warn("%s: invalid duration '%s': %s", opt, arg,
		    DURATION_FORMS);
		hs_usage(usage_text, 0);
	}
	return d;
}

double
hs_arg_double(const char *opt, const char *arg, double min, double max,
    const char *usage_text)
{
	char *end;
	double v = strtod(arg, &end);

	if (end == arg || *end != '\0' || !isfinite(v) || v < min ||
	    v > max) {
		if (isinf(max))
			hs_warn("%s: expected a number of at least %g, "
			    "not '%s'", opt, min, arg);
		else
			hs_warn("%s: expected a number from %g to %g, not '%s'",
			    opt, min, max, arg);
		hs_usage(usage_text, 0);
	}
	return v;
}

void
hs_print_version(void)
{
	printf("%s %s\n", progname, HS_VERSION);
	exit(hs_finish());
}

/* Erase the status line, then die of the signal as if not caught. */
static void
status_erase_and_die(int sig)
{
	ssize_t n;

	if (status_shown) {
		n = write(STDERR_FILENO, "\r\033[K", 4);
		(void)n;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

void
hs_status(const char *fmt, ...)
{
	static const int deadly[] = { SIGPIPE, SIGINT, SIGTERM, SIGHUP };
	va_list ap;
	size_t i;

	if (status_wanted == -1) {
		status_wanted = isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO);
		if (status_wanted) {
			for (i = 0; i < sizeof(deadly) / sizeof(deadly[0]); i++)
				if (signal(deadly[i], status_erase_and_die) ==
				    SIG_IGN)
					signal(deadly[i], SIG_IGN);
			atexit(hs_status_clear);
		}
	}
	if (!status_wanted)
		return;
	fprintf(stderr, "\r\033[K%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\r', stderr);
	status_shown = 1;
}

void
hs_status_clear(void)
{
	if (status_shown) {
		fputs("\r\033[K", stderr);
		status_shown = 0;
	}
}

void *
hs_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		hs_fatal("out of memory");
	return p;
}

void *
hs_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		hs_fatal("out of memory");
	return p;
}

char *
hs_xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		hs_fatal("out of memory");
	return p;
}
