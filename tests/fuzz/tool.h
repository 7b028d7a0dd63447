/*
 * tool.h - for the harnesses that run a whole tool: its main, compiled
 * under the name hs_tool_main (the Makefile builds the tool's sources with
 * -Dmain=hs_tool_main), a scratch directory removed at exit, and the
 * tool's output checked at exit (harness.h).
 */
#ifndef HS_FUZZ_TOOL_H
#define HS_FUZZ_TOOL_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"

int hs_tool_main(int argc, char *argv[]);

static char scratch[64];

static inline int
remove_entry(const char *path, const struct stat *st, int type,
    struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

/* Remove the scratch directory and what the tool left in it, without a
 * process: AFL++ runs this thousands of times a second. */
static inline void
remove_scratch(void)
{
	nftw(scratch, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* A fresh scratch directory; its path. */
static inline const char *
make_scratch(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(scratch, sizeof(scratch), "%s/hs-fuzz.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(scratch) == NULL) {
		perror("mkdtemp");
		exit(2);
	}
	atexit(remove_scratch);
	return scratch;
}

/* Write n bytes to dir/name; the path, to free(). */
static inline char *
write_file(const char *dir, const char *name, const char *p, size_t n)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *path = malloc(len);
	FILE *f;

	if (path == NULL)
		abort();
	snprintf(path, len, "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL || fwrite(p, 1, n, f) != n ||
	    fclose(f) != 0) {
		perror(path);
		exit(2);
	}
	return path;
}

#endif
