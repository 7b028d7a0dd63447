/*
 * state.h - crash-safe checkpoint files for the stateful stages.
 *
 * A stage given --state FILE saves its state whenever a checkpoint control
 * record passes through it (see control.h), and restores the state of
 * checkpoint N when the stream announces it resumes after N. The last
 * STATE_KEEP checkpoints are kept, so every stage of a pipeline can roll
 * back to the checkpoint the most downstream stage saved last.
 *
 * Each checkpoint's state is written once, to a file of its own beside
 * FILE (FILE.1, FILE.2, ..., numbered by a serial that never repeats), so
 * a checkpoint costs one serialization of the live state, however many
 * are kept. FILE itself is a small index, replaced atomically (temporary
 * file, fsync, rename, fsync of the directory) after the state's file is
 * on disk:
 *
 *   {"format":"hs-state","version":2,"tool":"hs-agg","config":"...",
 *    "next":S,"checkpoints":[{"id":N,"positions":[...],"serial":S,
 *    "size":BYTES,"checksum":"<FNV-1a 64 of the state file>"},...],
 *    "dropped":[serials],"checksum":"<FNV-1a 64 of the rest>"}
 *
 * An index that does not parse, fails its checksum, or belongs to another
 * tool or configuration is refused whole, as is a state file whose size or
 * checksum is not the one the index gives.
 */
#ifndef HS_STATE_H
#define HS_STATE_H

#include <stddef.h>

#define STATE_KEEP 8

struct state_file;
struct state_writer;

/* Open path for tool with config (a canonical text of the options that
 * shape the state). A missing file is an empty ring; a path that cannot be
 * written (a directory, a read-only place) is found here, not at the first
 * checkpoint. Any problem is fatal, with a message naming the file. tool
 * and config NULL open an existing file read-only and accept any stage's
 * (for reading positions only). */
struct state_file *state_open(const char *path, const char *tool,
    const char *config);
void state_close(struct state_file *sf);

/*
 * States travel as compact JSON text, so stages read them with the
 * zero-copy scanner of json.h and write them with jsonw.h.
 */

/* The state saved at checkpoint id, as JSON text to free(), or NULL if
 * the file holds no such checkpoint. A state file that fails its checks
 * is fatal. */
char *state_find(struct state_file *sf, long long id);

/* The state to restore for a resume control record: the text of the
 * checkpoint it names, to free(). A malformed record, or a checkpoint the
 * file does not hold, is fatal. *id gets the checkpoint's id. */
char *state_resume(struct state_file *sf, const char *line, size_t len,
    long long *id);

/* Checkpoint id, or the newest when id is -1: its id, and its positions
 * as JSON text to free() through *positions; -1 when the file holds no
 * such checkpoint. */
long long state_positions(struct state_file *sf, long long id,
    char **positions);

/* Save a state as the checkpoint announced by the control record line:
 * state_begin flushes standard output (no output the state reflects can be
 * lost with the process) and starts the checkpoint's file; state_write
 * appends to it, in as many pieces as the stage likes, so a large state
 * need not be held in memory whole; state_commit makes it durable and
 * rewrites the index atomically. Checkpoints with the same or a later id
 * are dropped: they belong to a run that failed. Fatal on error. */
struct state_writer *state_begin(struct state_file *sf, const char *line,
    size_t len);
void state_write(struct state_writer *w, const char *p, size_t n);
void state_commit(struct state_writer *w);

/* The three in one, for a state held as one text. */
void state_save(struct state_file *sf, const char *line, size_t len,
    const char *state, size_t state_len);

#endif
