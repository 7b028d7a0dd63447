/*
 * cli.h - command-line and error conventions shared by every hs binary.
 *
 * Every tool prints diagnostics as "progname: message" on stderr (err(3)
 * style), counts bad input records instead of dying on them (unless the
 * user asked for -S, strict), and exits with one of the codes below, which
 * each man page documents.
 */
#ifndef HS_CLI_H
#define HS_CLI_H

#include <stdint.h>
#include <stdio.h>

#define HS_VERSION "0.1.0"

enum hs_exit {
	HS_EXIT_OK = 0,		/* all input was good */
	HS_EXIT_BADINPUT = 1,	/* finished, bad records were skipped */
	HS_EXIT_USAGE = 2,	/* bad command line */
	HS_EXIT_FATAL = 3	/* I/O error, strict-mode stop, no memory */
};

/* Set the program name, make SIGPIPE end the process quietly, give stdout
 * a large buffer. Call first in main(). */
void hs_init(const char *progname);
const char *hs_progname(void);

/* Diagnostics. hs_fatal exits with HS_EXIT_FATAL. */
void hs_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hs_fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* A bad input record: one line "prog: INPUT:LINE: message" on stderr,
 * counted. In strict mode (hs_set_strict) it is fatal. Of each reason (a
 * format, or the message when the format is "%s") the first five are
 * shown, then one line says more are counted, and hs_finish gives the
 * count per reason, so a wrong input cannot flood the terminal. */
void hs_set_strict(int strict);
void hs_bad_record(const char *input, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A record the JSON scanner refused (text[0..len) is the line): its
 * reason and column, or a hint of what the line looks like (CSV, TSV). */
struct json_error;
void hs_bad_json(const char *input, unsigned long line, const char *text,
    size_t len, const struct json_error *err);

/* Flush stdout; a closed pipe ends the process quietly, other write errors
 * are fatal. Then report the count of bad records if any and return the
 * exit code main() should return. */
int hs_finish(void);

/* Print a tool's usage text: for -h/--help on stdout with exit 0, else
 * on stderr with exit HS_EXIT_USAGE. */
void hs_usage(const char *text, int help) __attribute__((noreturn));

/* The argument arg of option opt as a whole number (hs_arg_long) or a
 * finite number (hs_arg_double) from min to max (LONG_MAX or INFINITY:
 * no bound). Anything else is a usage error: "prog: OPT: expected ...,
 * not 'ARG'", then usage_text, exit HS_EXIT_USAGE. */
long hs_arg_long(const char *opt, const char *arg, long min, long max,
    const char *usage_text);
double hs_arg_double(const char *opt, const char *arg, double min,
    double max, const char *usage_text);
/* The same for a duration (10s, 250ms, 1m30s: duration_parse in
 * timefmt.h), in microseconds; zero only when allow_zero. */
int64_t hs_arg_duration(const char *opt, const char *arg, int allow_zero,
    const char *usage_text);

/* Print "prog version" and exit 0 (for --version). */
void hs_print_version(void) __attribute__((noreturn));

/* A status line (progress) on standard error, shown only when that is a
 * terminal and standard output is not. It is drawn with the cursor left
 * at its start, so that other output to the terminal overwrites it;
 * diagnostics, exit and the signals that end a process (a closed pipe,
 * SIGINT, SIGTERM, SIGHUP) erase it. */
void hs_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hs_status_clear(void);

/* Checked allocation: out of memory is fatal. */
void *hs_xmalloc(size_t n);
void *hs_xrealloc(void *p, size_t n);
char *hs_xstrdup(const char *s);

#endif
