/*
 * lineio_test.c - lr_next hands out the lines a plain reading of the
 * input gives: a byte order mark dropped from the first, a CR before a
 * newline dropped, blank lines skipped, over-long lines skipped, the last
 * line without a newline kept. Random inputs of several reads' worth,
 * read from a file and from a pipe written a few bytes at a time, so that
 * lines lie across the ends of the reader's buffer and of each read.
 * Prints TAP; run by tests/t0771-lineio-lines.t.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "lineio.h"
#include "tap.h"

#define INPUT_MAX (600 * 1000)
#define MAX_LINE 300

static char input[INPUT_MAX];

/* A random input of about n bytes: lines of 0 to 400 bytes, some with a
 * CR, some blank or starting blank, some over MAX_LINE. */
static size_t
make_input(size_t n, int bom, int last_newline)
{
	static const char fill[] = "{\"a\":1, \t\r\"x\"}";
	size_t o = 0, len, i;
	uint64_t r;

	if (bom) {
		memcpy(input, "\xef\xbb\xbf", 3);
		o = 3;
	}
	while (o + 420 < n) {
		r = tap_random();
		len = r % 8 == 0 ? r / 8 % 400 : r / 8 % 130;
		for (i = 0; i < len; i++)
			input[o + i] = fill[tap_random() % (sizeof(fill) - 1)];
		o += len;
		input[o++] = '\n';
	}
	memcpy(input + o, "{\"end\":1}\n", 10);
	o += last_newline ? 10 : 9;
	return o;
}

/* The lines lr_next should give, each checked against got in turn: 1 if
 * all are the same and no more come. */
static int
same_lines(struct line_reader *lr, size_t n)
{
	const char *p = input, *end = input + n, *nl, *line;
	size_t len, glen, lineno = 0;
	char *got;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		line = p;
		len = (size_t)(nl - p);
		lineno++;
		if (len > MAX_LINE)
			continue;
		if (lineno == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf",
		    3) == 0) {
			line += 3;
			len -= 3;
		}
		if (len > 0 && line[len - 1] == '\r')
			len--;
		if (len == 0 || ((line[0] == ' ' || line[0] == '\t') &&
		    strspn(line, " \t\r") >= len))
			continue;	/* blank (from a blank: a CR first is not) */
		if ((got = lr_next(lr, &glen)) == NULL || glen != len ||
		    memcmp(got, line, len) != 0 || got[len] != '\0' ||
		    lr_lineno(lr) != lineno) {
			printf("# line %zu differs\n", lineno);
			return 0;
		}
	}
	return lr_next(lr, &glen) == NULL;
}

static int
read_file(size_t n)
{
	char path[] = "/tmp/lineio_test.XXXXXX";
	struct line_reader *lr;
	int fd = mkstemp(path), same;

	if (fd == -1 || write(fd, input, n) != (ssize_t)n)
		return 0;
	close(fd);
	lr = lr_open(path, MAX_LINE);
	same = same_lines(lr, n);
	lr_close(lr);
	unlink(path);
	return same;
}

/* Through a pipe, chunk bytes at a time (a few bytes: a line is
 * mostly read in pieces; a page: lines cut at the end of a read). */
static int
read_pipe(size_t n, size_t chunk)
{
	struct line_reader *lr;
	int fd[2], same, status;
	size_t o, k;
	pid_t pid;

	if (pipe(fd) == -1 || (pid = fork()) == -1)
		return 0;
	if (pid == 0) {
		close(fd[0]);
		for (o = 0; o < n; o += k) {
			k = n - o < chunk ? n - o : chunk;
			if (write(fd[1], input + o, k) != (ssize_t)k)
				_exit(1);
		}
		_exit(0);
	}
	close(fd[1]);
	dup2(fd[0], STDIN_FILENO);
	close(fd[0]);
	lr = lr_open(NULL, MAX_LINE);
	same = same_lines(lr, n);
	lr_close(lr);
	freopen("/dev/null", "r", stdin);	/* the writer stops if not read */
	return waitpid(pid, &status, 0) == pid && status == 0 && same;
}

int
main(void)
{
	size_t n;

	hs_init("lineio_test");
	n = make_input(sizeof(input), 0, 1);
	ok(read_file(n), "a file of several reads: the same lines");
	n = make_input(sizeof(input), 1, 0);
	ok(read_file(n), "a mark, and a last line without a newline");
	n = make_input(200 * 1000, 0, 1);
	ok(read_pipe(n, 7), "a pipe written seven bytes at a time");
	n = make_input(sizeof(input), 1, 0);
	ok(read_pipe(n, 4093), "a pipe written a page less three at a time");
	return tap_done();
}
