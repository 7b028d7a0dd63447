/*
 * state.c - the checkpoint ring of a stage, kept in a JSON file and
 * replaced atomically (see state.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "control.h"
#include "state.h"

#define STATE_FORMAT "hs-state"
#define STATE_VERSION 1

struct state_file {
	char *path;
	char *tool, *config;
	json_t *checkpoints;	/* array, oldest first */
};

static void
checksum_of(json_t *checkpoints, char out[17])
{
	char *text = json_dumps(checkpoints, JSON_COMPACT | JSON_SORT_KEYS);
	uint64_t h = 1469598103934665603ULL;
	const char *p;

	if (text == NULL)
		hs_fatal("out of memory");
	for (p = text; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	free(text);
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static int
valid_checkpoint(json_t *c)
{
	return json_is_object(c) && json_is_integer(json_object_get(c, "id")) &&
	    json_is_array(json_object_get(c, "positions")) &&
	    json_is_object(json_object_get(c, "state"));
}

/* Check a loaded document whole; a reason, or NULL when it is good. */
static const char *
refuse(struct state_file *sf, json_t *doc)
{
	json_t *cps = json_object_get(doc, "checkpoints"), *c;
	const char *format = json_string_value(json_object_get(doc, "format"));
	const char *tool = json_string_value(json_object_get(doc, "tool"));
	const char *config = json_string_value(json_object_get(doc, "config"));
	const char *sum = json_string_value(json_object_get(doc, "checksum"));
	char want[17];
	size_t i;

	if (format == NULL || strcmp(format, STATE_FORMAT) != 0)
		return "not an hs state file";
	if (json_integer_value(json_object_get(doc, "version")) != STATE_VERSION)
		return "unsupported state file version";
	if (sf->tool != NULL && (tool == NULL || strcmp(tool, sf->tool) != 0))
		return "state file of another tool";
	if (sf->config != NULL &&
	    (config == NULL || strcmp(config, sf->config) != 0))
		return "state file of another configuration (options differ)";
	if (!json_is_array(cps) || sum == NULL)
		return "incomplete state file";
	json_array_foreach(cps, i, c)
		if (!valid_checkpoint(c))
			return "malformed checkpoint";
	checksum_of(cps, want);
	if (strcmp(sum, want) != 0)
		return "checksum mismatch: the file is corrupt";
	return NULL;
}

struct state_file *
state_open(const char *path, const char *tool, const char *config)
{
	struct state_file *sf = hs_xmalloc(sizeof(*sf));
	json_error_t error;
	const char *why;
	json_t *doc;

	sf->path = hs_xstrdup(path);
	sf->tool = tool ? hs_xstrdup(tool) : NULL;
	sf->config = config ? hs_xstrdup(config) : NULL;
	if ((doc = json_load_file(path, 0, &error)) == NULL) {
		if (access(path, F_OK) == -1 && errno == ENOENT) {
			sf->checkpoints = json_array();
			return sf;
		}
		hs_fatal("%s: refused: not a valid state file (line %d: %s)",
		    path, error.line, error.text);
	}
	if ((why = refuse(sf, doc)) != NULL)
		hs_fatal("%s: refused: %s", path, why);
	sf->checkpoints = json_incref(json_object_get(doc, "checkpoints"));
	json_decref(doc);
	return sf;
}

void
state_close(struct state_file *sf)
{
	if (sf == NULL)
		return;
	json_decref(sf->checkpoints);
	free(sf->path);
	free(sf->tool);
	free(sf->config);
	free(sf);
}

static char *
dump(json_t *v)
{
	char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

	if (text == NULL)
		hs_fatal("out of memory");
	return text;
}

char *
state_find(struct state_file *sf, long long id)
{
	json_t *c;
	size_t i;

	json_array_foreach(sf->checkpoints, i, c)
		if (json_integer_value(json_object_get(c, "id")) == id)
			return dump(json_object_get(c, "state"));
	return NULL;
}

char *
state_resume(struct state_file *sf, const char *line, size_t len,
    long long *id)
{
	char *text;

	if (control_int(line, len, "id", id) == -1)
		hs_fatal("malformed resume record: %.80s", line);
	if ((text = state_find(sf, *id)) == NULL)
		hs_fatal("cannot resume: %s has no checkpoint %lld", sf->path,
		    *id);
	return text;
}

long long
state_latest(struct state_file *sf, char **positions)
{
	size_t n = json_array_size(sf->checkpoints);
	json_t *c;

	if (n == 0)
		return -1;
	c = json_array_get(sf->checkpoints, n - 1);
	*positions = dump(json_object_get(c, "positions"));
	return json_integer_value(json_object_get(c, "id"));
}

static void
write_atomically(const char *path, const char *text)
{
	size_t n = strlen(path) + 8, len = strlen(text);
	char *tmp = hs_xmalloc(n), *dir;
	int fd;

	snprintf(tmp, n, "%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1)
		hs_fatal("%s: %s", tmp, strerror(errno));
	if (write(fd, text, len) != (ssize_t)len || fsync(fd) == -1 ||
	    close(fd) == -1)
		hs_fatal("%s: %s", tmp, strerror(errno));
	if (rename(tmp, path) == -1)
		hs_fatal("%s: rename: %s", path, strerror(errno));
	snprintf(tmp, n, "%s", path);
	dir = dirname(tmp);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) != -1) {
		fsync(fd);
		close(fd);
	}
	free(tmp);
}

void
state_save(struct state_file *sf, const char *line, size_t len,
    const char *state_text, size_t state_len)
{
	json_t *barrier, *cp, *doc, *state;
	json_error_t error;
	json_int_t id;
	char sum[17], *text;
	size_t i;

	/* what was written before the checkpoint leaves the process before
	 * the state that reflects it is saved */
	if (fflush(stdout) == EOF)
		hs_fatal("write error on standard output: %s", strerror(errno));
	state = json_loadb(state_text, state_len, 0, &error);
	if (!json_is_object(state))
		hs_fatal("internal error: bad state (%s)", error.text);
	barrier = json_loadb(line, len, 0, &error);
	if (barrier == NULL ||
	    !json_is_integer(json_object_get(barrier, "id")) ||
	    !json_is_array(json_object_get(barrier, "positions")))
		hs_fatal("malformed checkpoint record: %.80s", line);
	id = json_integer_value(json_object_get(barrier, "id"));
	cp = json_pack("{s:O, s:O, s:o}", "id", json_object_get(barrier, "id"),
	    "positions", json_object_get(barrier, "positions"), "state", state);
	json_decref(barrier);
	/* a stream that restarted numbers its checkpoints anew: what the
	 * file holds from that id on belongs to the run that failed */
	for (i = json_array_size(sf->checkpoints); i-- > 0;)
		if (json_integer_value(json_object_get(json_array_get(
		    sf->checkpoints, i), "id")) >= id)
			json_array_remove(sf->checkpoints, i);
	json_array_append_new(sf->checkpoints, cp);
	while (json_array_size(sf->checkpoints) > STATE_KEEP)
		json_array_remove(sf->checkpoints, 0);
	checksum_of(sf->checkpoints, sum);
	doc = json_pack("{s:s, s:i, s:s?, s:s?, s:O, s:s}", "format",
	    STATE_FORMAT, "version", STATE_VERSION, "tool", sf->tool,
	    "config", sf->config, "checkpoints", sf->checkpoints,
	    "checksum", sum);
	if (doc == NULL || (text = json_dumps(doc, JSON_COMPACT)) == NULL)
		hs_fatal("out of memory");
	write_atomically(sf->path, text);
	free(text);
	json_decref(doc);
}
