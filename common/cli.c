/*
 * cli.c - diagnostics, bad-record accounting, exit codes and the stdout
 * conventions every hs binary shares (see cli.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char *progname = "hs";
static int strict;
static unsigned long bad_records;
static char stdout_buffer[1 << 16];

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

void
hs_bad_record(const char *input, unsigned long line, const char *fmt, ...)
{
	va_list ap;

	bad_records++;
	fprintf(stderr, "%s: %s:%lu: ", progname, input, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (strict) {
		fprintf(stderr, "%s: stopping at the first bad record (-S)\n",
		    progname);
		fflush(stdout);
		exit(HS_EXIT_FATAL);
	}
}

unsigned long
hs_bad_count(void)
{
	return bad_records;
}

int
hs_finish(void)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		if (errno == EPIPE) {
			signal(SIGPIPE, SIG_DFL);
			raise(SIGPIPE);
		}
		hs_fatal("write error on standard output: %s", strerror(errno));
	}
	if (bad_records > 0) {
		fprintf(stderr, "%s: %lu bad record%s skipped\n", progname,
		    bad_records, bad_records == 1 ? "" : "s");
		return HS_EXIT_BADINPUT;
	}
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

void
hs_print_version(void)
{
	printf("%s %s\n", progname, HS_VERSION);
	exit(hs_finish());
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
