/*
 * control.h - in-band control records.
 *
 * Stages tell later stages how far event time has progressed with a
 * control record, a JSON object whose first member is "_hs":
 *
 *   {"_hs":"watermark","watermark":"2025-11-08T14:31:00.000Z"}
 *
 * meaning no event earlier than that instant will follow, so windows that
 * end at or before it are complete, and {"_hs":"trigger",...} (below). Stages that do not understand a control
 * record pass it on unchanged; formatters do not show it. See hs(7).
 */
#ifndef HS_CONTROL_H
#define HS_CONTROL_H

#include <stddef.h>
#include "timefmt.h"
#include "jsonw.h"

struct positions;	/* positions.h */

/*
 * The kinds of control record:
 *   watermark   {"_hs":"watermark","watermark":"<ISO-8601>"}
 *   trigger     {"_hs":"trigger","batch":N}           end of a micro-batch
 *   checkpoint  {"_hs":"checkpoint","id":N,"positions":[{"topic":T,
 *               "partition":P,"offset":O},...]}        a consistent cut: every
 *               record before it is reflected by the positions (next offsets)
 *   resume      {"_hs":"resume","id":N}   the stream restarts after checkpoint N
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
	CONTROL_WATERMARK, CONTROL_TRIGGER, CONTROL_CHECKPOINT,
	CONTROL_RESUME, CONTROL_END, CONTROL_STOP, CONTROL_COMMIT,
	CONTROL_REVOKE, CONTROL_OTHER
};

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
int control_watermark(const char *line, size_t len, hs_time *wm);

/* Append a watermark control record line (with newline) to b. */
void control_put_watermark(struct buf *b, hs_time wm);
/* The same, of one of several streams, named by stream (len bytes):
 *   {"_hs":"watermark","watermark":"<ISO-8601>","stream":"t/3"}
 * as hs-window --per-partition writes them, one per source partition. */
void control_put_stream_watermark(struct buf *b, hs_time wm,
    const char *stream, size_t len);

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
