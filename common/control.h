/*
 * control.h - in-band control records.
 *
 * Stages tell later stages how far event time has progressed with a
 * control record, a JSON object whose first member is "_hs":
 *
 *   {"_hs":"watermark","watermark":"2025-11-08T14:31:00.000Z",
 *    "stream":"9f2c41d07a3be815"}
 *
 * meaning no event earlier than that instant will follow in that stream,
 * so windows that end at or before it are complete; other kinds below.
 * Stages that do not understand a control record pass it on unchanged;
 * formatters do not show it. See hs(7).
 */
#ifndef HS_CONTROL_H
#define HS_CONTROL_H

#include <stddef.h>
#include "timefmt.h"
#include "jsonw.h"

struct positions;	/* positions.h */

/*
 * The kinds of control record:
 *   watermark   {"_hs":"watermark","watermark":"<ISO-8601>","stream":ID}
 *               no event older will follow in stream ID; with "final":true
 *               the stream has ended and holds no other stream back
 *   source_watermark  {"_hs":"source_watermark","watermark":"<ISO-8601>"}
 *               the newest event time every partition of a source that can
 *               still deliver has delivered (null: not known yet); a stage
 *               that windows derives its watermark from it
 *   trigger     {"_hs":"trigger","batch":N}           end of a micro-batch
 *   checkpoint  {"_hs":"checkpoint","id":N,"positions":[{"topic":T,
 *               "partition":P,"offset":O,"event_time":ISO},...]}  a
 *               consistent cut: every record before it is reflected by the
 *               positions (next offsets; newest event time written)
 *   resume      {"_hs":"resume","id":N}   the stream restarts after
 *                                         checkpoint N
 *   end         {"_hs":"end"}             the source ended cleanly
 *   stop        {"_hs":"stop"}            the source stopped on request; the
 *               stream will resume after its last checkpoint
 *   commit      {"_hs":"commit","positions":[...]}  once every record before
 *               it is durable, the source may commit these offsets
 *   revoke      {"_hs":"revoke","partitions":[{"topic":T,"partition":P}]}
 *               the source no longer reads these partitions: state kept
 *               for them is dropped, another reader makes it again
 */
enum control_kind {
	CONTROL_NONE = 0,	/* not a control record: data */
	CONTROL_WATERMARK, CONTROL_SOURCE_WATERMARK, CONTROL_TRIGGER,
	CONTROL_CHECKPOINT, CONTROL_RESUME, CONTROL_END, CONTROL_STOP,
	CONTROL_COMMIT, CONTROL_REVOKE, CONTROL_OTHER
};

/* Bytes of a stream name, with its NUL: an id, or "topic/partition". */
#define CONTROL_STREAM_MAX 272

/* A watermark record. */
struct watermark {
	hs_time time;		/* INT64_MIN: null, none yet */
	char stream[CONTROL_STREAM_MAX];	/* "" when it names none */
	int final;		/* the stream ends here */
};

/* What the control records of an input have said of how it ends. */
struct input_end {
	int checkpointed;	/* it has carried checkpoints, or a resume */
	int ended;		/* its source ended cleanly */
	int stopped;		/* its source stopped on request */
};

/* Note a control record of the kind in e. */
void control_note_end(struct input_end *e, enum control_kind kind);

/* The kind of a line, from its first member only: cheap, no full parse. */
enum control_kind control_kind(const char *line, size_t len);

/* True when the line is a control record: it starts with {"_hs": and is
 * a valid JSON object. A line that starts so but is not valid is no
 * control record: the data path refuses it as a bad record. */
int control_is(const char *line, size_t len);

/* An integer member of a control record, such as the "id" of a checkpoint
 * or the "batch" of a trigger: 0, or -1 if absent or malformed. */
int control_int(const char *line, size_t len, const char *key,
    long long *v);

/* Parse a watermark control record: 0 with *wm set, or -1 if the line is
 * another kind of control record or malformed. */
int control_watermark(const char *line, size_t len, struct watermark *wm);

/* Append a watermark control record line (with newline) to b: of the
 * time t (INT64_MIN: null), of the stream named by stream (len bytes; NULL:
 * none), final when the stream ends there:
 *   {"_hs":"watermark","watermark":"<ISO-8601>","stream":"t/3"} */
void control_put_watermark(struct buf *b, hs_time t, const char *stream,
    size_t len, int final);

/* The same for a source watermark: *t is INT64_MIN for null. */
int control_source_watermark(const char *line, size_t len, hs_time *t);
void control_put_source_watermark(struct buf *b, hs_time t);

/* A stream id from seed bytes (a stage's options and its first record):
 * 16 hex digits, the same for the same stream, unlikely to be another's. */
void control_stream_id(char out[CONTROL_STREAM_MAX], const char *seed,
    size_t len);

/* Append the control record that ends the rows of one trigger (a micro-
 * batch, numbered from 0) of a stage in update or complete mode:
 *   {"_hs":"trigger","batch":3}
 * Formatters may show each batch on its own, as Spark's console sink. */
void control_put_trigger(struct buf *b, unsigned long batch);

void control_put_end(struct buf *b);
void control_put_stop(struct buf *b);
void control_put_resume(struct buf *b, long long id);

/* The records of a pipeline run by a consumer group (hs(7)): the offsets
 * safe to commit, and the partitions a rebalance took away:
 *   {"_hs":"commit","positions":[{"topic":"t","partition":0,"offset":7}]}
 *   {"_hs":"revoke","partitions":[{"topic":"t","partition":3}]} */
void control_put_commit(struct buf *b, const struct positions *ps);
void control_put_revoke(struct buf *b, const struct positions *ps);

#endif
