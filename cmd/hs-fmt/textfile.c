/*
 * textfile.c - replacing a file atomically, for node_exporter's textfile
 * collector: the new text goes into a hidden temporary file beside the
 * target (the collector reads only *.prom), which is then renamed over it,
 * so a reader sees the old file or the new one, never half of one.
 *
 * Only a regular file is replaced: a directory, device node, fifo or
 * socket at the path is refused. A symbolic link is followed, and the file
 * it names is replaced in its own directory (the link stays a link).
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "fmt.h"

/* The file to replace: path, or the file a symbolic link at path names
 * (which need not exist yet). Fatal if it is there and not a regular
 * file. Returns a new string. */
static char *
resolve(const char *path)
{
	char *real, link[PATH_MAX], *dir, *joined;
	struct stat st;
	ssize_t n;

	if (lstat(path, &st) == -1) {
		if (errno != ENOENT)
			hs_fatal("%s: %s", path, strerror(errno));
		real = hs_xstrdup(path);
	} else if (!S_ISLNK(st.st_mode))
		real = hs_xstrdup(path);
	else if ((real = realpath(path, NULL)) == NULL) {
		/* a link to a file yet to be made */
		if ((n = readlink(path, link, sizeof(link) - 1)) == -1)
			hs_fatal("%s: %s", path, strerror(errno));
		link[n] = '\0';
		if (link[0] == '/')
			real = hs_xstrdup(link);
		else {
			dir = hs_xstrdup(path);
			joined = hs_xmalloc(strlen(path) + strlen(link) + 2);
			sprintf(joined, "%s/%s", dirname(dir), link);
			free(dir);
			real = joined;
		}
		if (lstat(real, &st) == 0)
			hs_fatal("%s: a link to %s, which cannot be resolved",
			    path, real);
	}
	if (stat(real, &st) == 0 && !S_ISREG(st.st_mode))
		hs_fatal("%s: not a regular file; --textfile replaces only "
		    "regular files", path);
	return real;
}

void
textfile_check(const char *path)
{
	char *real = resolve(path), *copy = hs_xstrdup(real);
	const char *dir = dirname(copy);
	struct stat st;

	if (stat(dir, &st) == -1 || !S_ISDIR(st.st_mode))
		hs_fatal("%s: no directory %s", path, dir);
	free(copy);
	free(real);
}

void
textfile_replace(const char *path, const struct buf *b)
{
	char *real = resolve(path), *dir = hs_xstrdup(real);
	char *base = hs_xstrdup(real), *tmp;
	struct stat st;
	mode_t mode;
	FILE *f;
	int fd;

	if (stat(real, &st) == 0)
		mode = st.st_mode & 07777;
	else {
		mode = umask(0);
		umask(mode);
		mode = 0666 & ~mode;
	}
	tmp = hs_xmalloc(strlen(real) + 16);
	sprintf(tmp, "%s/.%s.XXXXXX", dirname(dir), basename(base));
	if ((fd = mkstemp(tmp)) == -1)
		hs_fatal("%s: %s", tmp, strerror(errno));
	if (fchmod(fd, mode) == -1 || (f = fdopen(fd, "w")) == NULL) {
		unlink(tmp);
		hs_fatal("%s: %s", tmp, strerror(errno));
	}
	buf_write(b, f);
	if ((ferror(f) | (fclose(f) == EOF)) || rename(tmp, real) == -1) {
		unlink(tmp);
		hs_fatal("%s: %s", path, strerror(errno));
	}
	free(tmp);
	free(base);
	free(dir);
	free(real);
}
