/*
 * harness.h - what the fuzzing harnesses of tests/fuzz share: reading the
 * input, a main that runs one input per file in a plain build (the
 * regression corpus that `make check` replays) and many inputs per process
 * under AFL++ (persistent mode), and the check that a tool's output is
 * valid UTF-8 and, for NDJSON, valid JSON, whatever the input. A harness
 * that finds a fault calls abort(), which AFL++ records as a crash.
 */
#ifndef HS_FUZZ_HARNESS_H
#define HS_FUZZ_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* The whole of a file, NUL-terminated (the NUL not counted in *len). */
static inline char *
read_input(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p = NULL;
	size_t cap = 0, n;

	if (f == NULL) {
		perror(path);
		exit(2);
	}
	*len = 0;
	do {
		if (*len + 4096 + 1 > cap)
			p = realloc(p, cap = cap * 2 + 8192);
		if (p == NULL)
			abort();
		n = fread(p + *len, 1, cap - *len - 1, f);
		*len += n;
	} while (n > 0);
	fclose(f);
	p[*len] = '\0';
	return p;
}

/* Whether p[0..n) is valid UTF-8, by a check of its own (not the
 * scanner's, which it checks). */
static inline int
utf8_ok(const unsigned char *p, size_t n)
{
	size_t i = 0, k, need;
	unsigned cp, min;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0) {
			need = 1; cp = p[i] & 0x1f; min = 0x80;
		} else if ((p[i] & 0xf0) == 0xe0) {
			need = 2; cp = p[i] & 0x0f; min = 0x800;
		} else if ((p[i] & 0xf8) == 0xf0) {
			need = 3; cp = p[i] & 0x07; min = 0x10000;
		} else
			return 0;
		if (n - i <= need)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
			return 0;
		i += need + 1;
	}
	return 1;
}

static const char *output_path;
static int output_is_ndjson;

/* At exit, however the tool ends: its output must be valid UTF-8, and each
 * line one valid JSON object when it writes NDJSON. */
static inline void
check_output(void)
{
	struct json_error err;
	char *text, *line, *nl;
	size_t len;

	fflush(stdout);
	text = read_input(output_path, &len);
	if (!utf8_ok((const unsigned char *)text, len)) {
		fprintf(stderr, "fuzz: output is not valid UTF-8\n");
		abort();
	}
	for (line = text; output_is_ndjson && line < text + len; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(text + len - line))) == NULL)
			nl = text + len;
		if (json_scan(line, (size_t)(nl - line), NULL, 0, NULL, &err)) {
			fprintf(stderr, "fuzz: output line is not JSON (%s): "
			    "%.*s\n", err.why, (int)(nl - line), line);
			abort();
		}
	}
	free(text);
}

/* Send standard output to path and check it when the process ends. */
static inline void
capture_output(const char *path, int ndjson)
{
	output_path = path;
	output_is_ndjson = ndjson;
	if (freopen(path, "w", stdout) == NULL) {
		perror(path);
		exit(2);
	}
	atexit(check_output);
}

#endif
