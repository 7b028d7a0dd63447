/*
 * state.h - crash-safe checkpoint files for the stateful stages.
 *
 * A stage given --state FILE saves its state whenever a checkpoint control
 * record passes through it (see control.h), and restores the state of
 * checkpoint N when the stream announces it resumes after N. The file keeps
 * the last STATE_KEEP checkpoints, so every stage of a pipeline can roll
 * back to the checkpoint the most downstream stage saved last:
 *
 *   {"format":"hs-state","version":1,"tool":"hs-agg","config":"...",
 *    "checkpoints":[{"id":N,"positions":[...],"state":{...}},...],
 *    "checksum":"<FNV-1a 64 of the compact checkpoints array>"}
 *
 * Files are replaced atomically (temporary file, fsync, rename, fsync of
 * the directory). A file that does not parse, fails its checksum, or
 * belongs to another tool or configuration is refused whole.
 */
#ifndef HS_STATE_H
#define HS_STATE_H

#include <stddef.h>

#define STATE_KEEP 8

struct state_file;

/* Open path for tool with config (a canonical text of the options that
 * shape the state). A missing file is an empty ring. Any problem with an
 * existing file is fatal, with a message naming it. tool and config NULL
 * accept any stage's file (for reading positions only). */
struct state_file *state_open(const char *path, const char *tool,
    const char *config);
void state_close(struct state_file *sf);

/*
 * States travel as compact JSON text, so stages read them with the
 * zero-copy scanner of json.h and write them with jsonw.h.
 */

/* The state saved at checkpoint id, as JSON text to free(), or NULL. */
char *state_find(struct state_file *sf, long long id);

/* The state to restore for a resume control record: the text of the
 * checkpoint it names, to free(). A malformed record, or a checkpoint the
 * file does not hold, is fatal. *id gets the checkpoint's id. */
char *state_resume(struct state_file *sf, const char *line, size_t len,
    long long *id);

/* The newest checkpoint: its id, and its positions as JSON text to free()
 * through *positions; -1 when the file holds none. */
long long state_latest(struct state_file *sf, char **positions);

/* Save state (a JSON object as text) as the checkpoint announced by the
 * control record line, then rewrite the file atomically. Standard output
 * is flushed first, so no output the state reflects can be lost with the
 * process. Checkpoints of the file with the same or a later id are
 * dropped: they belong to a run that failed. Fatal on error. */
void state_save(struct state_file *sf, const char *line, size_t len,
    const char *state, size_t state_len);

#endif
