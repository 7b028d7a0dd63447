/*
 * state.c - the checkpoints of a stage: one file per checkpoint and a
 * small index, replaced atomically (see state.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "control.h"
#include "state.h"

#define STATE_FORMAT "hs-state"
#define STATE_VERSION 2
#define FNV_OFFSET UINT64_C(1469598103934665603)
#define FNV_PRIME UINT64_C(1099511628211)

struct state_file {
	char *path;
	char *tool, *config;
	json_t *checkpoints;	/* array, oldest first */
	json_t *dropped;	/* serials whose files may still exist */
	json_int_t next;	/* serial of the next checkpoint's file */
};

struct state_writer {
	struct state_file *sf;
	json_t *id, *positions;
	json_int_t serial;
	char *data_path;
	int fd;
	uint64_t hash;
	size_t size;
};

static uint64_t
fnv1a(uint64_t h, const char *p, size_t n)
{
	while (n-- > 0)
		h = (h ^ (unsigned char)*p++) * FNV_PRIME;
	return h;
}

static void
hex64(uint64_t h, char out[17])
{
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* The checksum of an index: of its compact text without "checksum". */
static void
index_checksum(json_t *doc, char out[17])
{
	json_t *copy = json_copy(doc);
	char *text;

	if (copy == NULL)
		hs_fatal("out of memory");
	json_object_del(copy, "checksum");
	if ((text = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		hs_fatal("out of memory");
	hex64(fnv1a(FNV_OFFSET, text, strlen(text)), out);
	free(text);
	json_decref(copy);
}

/* The file of the state with this serial: path.serial, to free(). */
static char *
data_path(const struct state_file *sf, json_int_t serial)
{
	size_t n = strlen(sf->path) + 24;
	char *p = hs_xmalloc(n);

	snprintf(p, n, "%s.%lld", sf->path, (long long)serial);
	return p;
}

static int
valid_checkpoint(json_t *c, json_int_t next)
{
	json_int_t serial = json_integer_value(json_object_get(c, "serial"));
	const char *sum = json_string_value(json_object_get(c, "checksum"));

	return json_is_object(c) && json_is_integer(json_object_get(c, "id")) &&
	    json_is_array(json_object_get(c, "positions")) &&
	    json_is_integer(json_object_get(c, "serial")) &&
	    serial > 0 && serial < next &&
	    json_is_integer(json_object_get(c, "size")) &&
	    json_integer_value(json_object_get(c, "size")) >= 0 &&
	    sum != NULL && strlen(sum) == 16;
}

/* Each checkpoint's file is there, of the size the index gives: fatal
 * if not. */
static void
check_files(struct state_file *sf)
{
	struct stat st;
	json_t *c;
	size_t i;
	char *p;

	json_array_foreach(sf->checkpoints, i, c) {
		p = data_path(sf, json_integer_value(json_object_get(c,
		    "serial")));
		if (stat(p, &st) == -1)
			hs_fatal("%s: refused: the file of checkpoint %lld: "
			    "%s: %s", sf->path, json_integer_value(
			    json_object_get(c, "id")), p, strerror(errno));
		if (st.st_size != json_integer_value(json_object_get(c,
		    "size")))
			hs_fatal("%s: refused: checksum mismatch: the file of "
			    "checkpoint %lld (%s) is corrupt: its size differs",
			    sf->path, json_integer_value(json_object_get(c,
			    "id")), p);
		free(p);
	}
}

/* Check a loaded index whole; a reason, or NULL when it is good. */
static const char *
refuse(struct state_file *sf, json_t *doc)
{
	json_t *cps = json_object_get(doc, "checkpoints"), *c;
	json_t *dropped = json_object_get(doc, "dropped");
	const char *format = json_string_value(json_object_get(doc, "format"));
	const char *tool = json_string_value(json_object_get(doc, "tool"));
	const char *config = json_string_value(json_object_get(doc, "config"));
	const char *sum = json_string_value(json_object_get(doc, "checksum"));
	json_int_t next = json_integer_value(json_object_get(doc, "next"));
	char want[17];
	size_t i;

	if (format == NULL || strcmp(format, STATE_FORMAT) != 0)
		return "not an hs state file";
	if (json_integer_value(json_object_get(doc, "version")) !=
	    STATE_VERSION)
		return "unsupported state file version";
	if (sf->tool != NULL && (tool == NULL || strcmp(tool, sf->tool) != 0))
		return "state file of another tool";
	if (sf->config != NULL &&
	    (config == NULL || strcmp(config, sf->config) != 0))
		return "state file of another configuration (options differ)";
	if (!json_is_array(cps) || !json_is_array(dropped) || sum == NULL ||
	    !json_is_integer(json_object_get(doc, "next")))
		return "incomplete state file";
	index_checksum(doc, want);
	if (strcmp(sum, want) != 0)
		return "checksum mismatch: the file is corrupt";
	json_array_foreach(cps, i, c)
		if (!valid_checkpoint(c, next))
			return "malformed checkpoint";
	json_array_foreach(dropped, i, c)
		if (!json_is_integer(c))
			return "malformed checkpoint";
	return NULL;
}

/* A state file is written where path is: find out now whether it can be,
 * rather than at the first checkpoint. */
static void
check_writable(const char *path)
{
	size_t n = strlen(path) + 8;
	struct stat st;
	int fd, error;
	char *tmp;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		hs_fatal("%s: not a regular file: cannot keep state there",
		    path);
	tmp = hs_xmalloc(n);
	snprintf(tmp, n, "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	error = errno;
	if (fd != -1) {
		close(fd);
		unlink(tmp);
	}
	free(tmp);
	if (fd == -1)
		hs_fatal("%s: cannot write state beside it: %s", path,
		    strerror(error));
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
	if (tool != NULL)
		check_writable(path);
	if ((doc = json_load_file(path, 0, &error)) == NULL) {
		if (access(path, F_OK) == -1 && errno == ENOENT) {
			sf->checkpoints = json_array();
			sf->dropped = json_array();
			sf->next = 1;
			return sf;
		}
		hs_fatal("%s: refused: not a valid state file (line %d: %s)",
		    path, error.line, error.text);
	}
	if ((why = refuse(sf, doc)) != NULL)
		hs_fatal("%s: refused: %s", path, why);
	sf->checkpoints = json_incref(json_object_get(doc, "checkpoints"));
	sf->dropped = json_incref(json_object_get(doc, "dropped"));
	sf->next = json_integer_value(json_object_get(doc, "next"));
	json_decref(doc);
	check_files(sf);
	return sf;
}

void
state_close(struct state_file *sf)
{
	if (sf == NULL)
		return;
	json_decref(sf->checkpoints);
	json_decref(sf->dropped);
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

/* The whole of a checkpoint's file, checked against the index. */
static char *
read_state(struct state_file *sf, json_t *c, long long id)
{
	json_int_t size = json_integer_value(json_object_get(c, "size"));
	const char *sum = json_string_value(json_object_get(c, "checksum"));
	char *p = data_path(sf, json_integer_value(json_object_get(c,
	    "serial")));
	char *text = hs_xmalloc((size_t)size + 1), got[17];
	size_t n = 0;
	ssize_t r;
	int fd;

	if ((fd = open(p, O_RDONLY)) == -1)
		hs_fatal("%s: refused: checkpoint %lld: %s: %s", sf->path, id,
		    p, strerror(errno));
	while (n < (size_t)size &&
	    ((r = read(fd, text + n, (size_t)size - n)) > 0 ||
	    (r == -1 && errno == EINTR)))
		n += r > 0 ? (size_t)r : 0;
	close(fd);
	hex64(fnv1a(FNV_OFFSET, text, n), got);
	if (n != (size_t)size || strcmp(got, sum) != 0)
		hs_fatal("%s: refused: checksum mismatch: the file of "
		    "checkpoint %lld (%s) is corrupt", sf->path, id, p);
	text[n] = '\0';
	free(p);
	return text;
}

/* The index entry of checkpoint id, or of the newest when id is -1;
 * NULL when the file holds no such checkpoint. */
static json_t *
checkpoint_of(const struct state_file *sf, long long id)
{
	size_t n = json_array_size(sf->checkpoints);
	json_t *c;

	while (n-- > 0) {
		c = json_array_get(sf->checkpoints, n);
		if (id < 0 || json_integer_value(json_object_get(c, "id")) ==
		    id)
			return c;
	}
	return NULL;
}

char *
state_find(struct state_file *sf, long long id)
{
	json_t *c = id >= 0 ? checkpoint_of(sf, id) : NULL;

	return c != NULL ? read_state(sf, c, id) : NULL;
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
state_positions(struct state_file *sf, long long id, char **positions)
{
	json_t *c = checkpoint_of(sf, id);

	if (c == NULL)
		return -1;
	*positions = dump(json_object_get(c, "positions"));
	return json_integer_value(json_object_get(c, "id"));
}

/* Make the directory entries of files in path's directory durable. */
static void
sync_directory(const char *path)
{
	char *copy = hs_xstrdup(path);
	int fd;

	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY)) != -1) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

static void
write_all(int fd, const char *p, size_t n, const char *path)
{
	ssize_t r;

	while (n > 0) {
		if ((r = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			hs_fatal("%s: %s", path, strerror(errno));
		}
		p += r;
		n -= (size_t)r;
	}
}

static void
write_atomically(const char *path, const char *text)
{
	size_t n = strlen(path) + 8;
	char *tmp = hs_xmalloc(n);
	int fd;

	snprintf(tmp, n, "%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1)
		hs_fatal("%s: %s", tmp, strerror(errno));
	write_all(fd, text, strlen(text), tmp);
	if (fsync(fd) == -1 || close(fd) == -1)
		hs_fatal("%s: %s", tmp, strerror(errno));
	if (rename(tmp, path) == -1)
		hs_fatal("%s: rename: %s", path, strerror(errno));
	sync_directory(path);
	free(tmp);
}

struct state_writer *
state_begin(struct state_file *sf, const char *line, size_t len)
{
	struct state_writer *w = hs_xmalloc(sizeof(*w));
	json_error_t error;
	json_t *barrier;

	if (fflush(stdout) == EOF)
		hs_fatal("write error on standard output: %s", strerror(errno));
	barrier = json_loadb(line, len, 0, &error);
	if (barrier == NULL ||
	    !json_is_integer(json_object_get(barrier, "id")) ||
	    !json_is_array(json_object_get(barrier, "positions")))
		hs_fatal("malformed checkpoint record: %.80s", line);
	w->sf = sf;
	w->id = json_incref(json_object_get(barrier, "id"));
	w->positions = json_incref(json_object_get(barrier, "positions"));
	json_decref(barrier);
	w->serial = sf->next;
	w->data_path = data_path(sf, w->serial);
	if ((w->fd = open(w->data_path, O_WRONLY | O_CREAT | O_TRUNC,
	    0644)) == -1)
		hs_fatal("%s: %s", w->data_path, strerror(errno));
	w->hash = FNV_OFFSET;
	w->size = 0;
	return w;
}

void
state_write(struct state_writer *w, const char *p, size_t n)
{
	write_all(w->fd, p, n, w->data_path);
	w->hash = fnv1a(w->hash, p, n);
	w->size += n;
}

static void
drop_checkpoint(struct state_file *sf, size_t i)
{
	json_t *c = json_array_get(sf->checkpoints, i);

	json_array_append(sf->dropped, json_object_get(c, "serial"));
	json_array_remove(sf->checkpoints, i);
}

/* Make room for checkpoint id: a stream that restarted numbers its
 * checkpoints anew, so those from id on belong to the run that failed;
 * then the oldest beyond STATE_KEEP - 1 go. */
static void
drop_replaced(struct state_file *sf, json_int_t id)
{
	size_t i;

	for (i = json_array_size(sf->checkpoints); i-- > 0;)
		if (json_integer_value(json_object_get(json_array_get(
		    sf->checkpoints, i), "id")) >= id)
			drop_checkpoint(sf, i);
	while (json_array_size(sf->checkpoints) >= STATE_KEEP)
		drop_checkpoint(sf, 0);
}

void
state_commit(struct state_writer *w)
{
	struct state_file *sf = w->sf;
	json_t *doc, *gone, *s;
	char sum[17], *text, *p;
	size_t i;

	if (fsync(w->fd) == -1 || close(w->fd) == -1)
		hs_fatal("%s: %s", w->data_path, strerror(errno));
	sync_directory(w->data_path);
	/* files dropped by the last commit were removed after it; those of
	 * a commit that failed before removing them are removed now */
	gone = sf->dropped;
	sf->dropped = json_array();
	drop_replaced(sf, json_integer_value(w->id));
	hex64(w->hash, sum);
	json_array_append_new(sf->checkpoints, json_pack("{s:O, s:O, s:I, "
	    "s:I, s:s}", "id", w->id, "positions", w->positions, "serial",
	    w->serial, "size", (json_int_t)w->size, "checksum", sum));
	sf->next = w->serial + 1;
	doc = json_pack("{s:s, s:i, s:s?, s:s?, s:I, s:O, s:O}", "format",
	    STATE_FORMAT, "version", STATE_VERSION, "tool", sf->tool,
	    "config", sf->config, "next", sf->next, "checkpoints",
	    sf->checkpoints, "dropped", sf->dropped);
	if (doc == NULL)
		hs_fatal("out of memory");
	index_checksum(doc, sum);
	/* json_pack, not jansson's json_string: json.h has a json_string */
	json_object_set_new(doc, "checksum", json_pack("s", sum));
	text = dump(doc);
	write_atomically(sf->path, text);
	json_array_extend(gone, sf->dropped);
	json_array_foreach(gone, i, s) {
		p = data_path(sf, json_integer_value(s));
		unlink(p);
		free(p);
	}
	free(text);
	json_decref(doc);
	json_decref(gone);
	json_decref(w->id);
	json_decref(w->positions);
	free(w->data_path);
	free(w);
}

void
state_save(struct state_file *sf, const char *line, size_t len,
    const char *state, size_t state_len)
{
	struct state_writer *w = state_begin(sf, line, len);

	state_write(w, state, state_len);
	state_commit(w);
}
