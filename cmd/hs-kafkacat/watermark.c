/*
 * watermark.c - source watermarks of the consumer (see consumer.h).
 *
 * A merged stream of many partitions cannot take its watermark from its
 * events: Kafka orders messages only within a partition, and a consumer
 * may deliver a whole topic before the next. So, as Flink does, the
 * consumer keeps per partition the newest event time it has written and
 * writes the minimum over the partitions that can still deliver:
 *
 *   {"_hs":"source_watermark","watermark":"2025-11-08T14:31:05.000Z"}
 *
 * A partition no longer holds the minimum back when it has reached its
 * end with -e, when it reached its end without ever having delivered an
 * event time (keyed topics leave most partitions empty), or when nothing
 * came from it for --idle (Flink's withIdleness); a message makes it hold
 * again. An assigned partition not yet heard from holds the minimum at
 * minus infinity. The first message with an event time is preceded by
 * {"_hs":"source_watermark","watermark":null}, so that hs-window takes its
 * watermark from the source before the first one is known. When the source
 * is done (-e, -c), the newest event time written is its last watermark,
 * however the ends of the partitions and their last messages fell in the
 * batches.
 */
#include <stdint.h>

#include "cli.h"
#include "consumer.h"
#include "control.h"

void
watermark_message(struct consumer *c, struct partition *p,
    const struct json_span *t)
{
	hs_time when;

	p->heard = c->batch_time;
	p->at_end = 0;
	if (t->type == JSON_NONE || time_from_json(t, &when) == -1) {
		c->untimed++;
		return;
	}
	if (when > p->newest)
		p->newest = when;
	if (!c->announced) {
		c->announced = 1;
		control_put_source_watermark(&c->out, INT64_MIN);
	}
}

void
watermark_assigned(struct partition *p)
{
	p->heard = time_monotonic();
	p->at_end = 0;
}

/* Whether p can still deliver, so holds the minimum back. */
static int
holds_back(const struct consumer *c, const struct partition *p, hs_time now)
{
	if (!p->assigned)
		return 0;
	if (p->at_end && (c->o->exit_at_end || p->newest == INT64_MIN))
		return 0;
	return now - p->heard < c->o->idle;
}

void
watermark_put(struct consumer *c, hs_time now)
{
	hs_time min = INT64_MAX;
	size_t i;

	if (!c->announced)
		return;
	for (i = 0; i < c->nparts; i++)
		if (holds_back(c, &c->parts[i], now) &&
		    c->parts[i].newest < min)
			min = c->parts[i].newest;
	if (min == INT64_MAX || min <= c->watermark)
		return;		/* nothing holds it, or no advance */
	c->watermark = min;
	buf_reset(&c->out);
	control_put_source_watermark(&c->out, min);
	buf_write(&c->out, stdout);
}

void
watermark_end(struct consumer *c)
{
	hs_time max = INT64_MIN;
	size_t i;

	if (!c->announced)
		return;
	for (i = 0; i < c->nparts; i++)
		if (c->parts[i].newest > max)
			max = c->parts[i].newest;
	if (max <= c->watermark)
		return;
	c->watermark = max;
	buf_reset(&c->out);
	control_put_source_watermark(&c->out, max);
	buf_write(&c->out, stdout);
}

void
watermark_finish(const struct consumer *c)
{
	if (c->announced && c->untimed > 0 && !c->o->quiet)
		hs_warn("%llu message%s without an event time in '%s' passed "
		    "on; the source watermark does not count them",
		    c->untimed, c->untimed == 1 ? "" : "s", c->o->time_field);
}
