/*
 * message.c - the message of a finding, for people: what fired, or, in a
 * resolved alert, what is true now that it cleared. Numbers are written
 * with six significant digits (scores with three) by fmt_sig, without
 * printf.
 */
#include <math.h>
#include <string.h>

#include "detect.h"
#include "model.h"

static void
num(struct buf *b, double d, int digits)
{
	buf_reserve(b, 32);
	b->len += (size_t)fmt_sig(b->p + b->len, d, digits);
}

static void
field_value(struct buf *b, const struct detector *d, const struct finding *f)
{
	buf_puts(b, d->field);
	buf_putc(b, ' ');
	num(b, f->value, 6);
}

static void
threshold(struct buf *b, const struct detector *d, const struct finding *f,
    int cleared, double band)
{
	field_value(b, d, f);
	buf_puts(b, cleared ? " no longer " : " ");
	buf_puts(b, op_text(d->op));
	buf_putc(b, ' ');
	num(b, f->limit, 6);
	if (cleared && band > 0) {
		buf_puts(b, " (clear band ");
		num(b, band, 6);
		buf_putc(b, ')');
	}
}

static void
plausibility(struct buf *b, const struct detector *d, const struct finding *f,
    int cleared)
{
	field_value(b, d, f);
	buf_puts(b, cleared ? " within" : " outside");
	buf_puts(b, " the plausible range ");
	num(b, f->ref, 6);
	buf_puts(b, " to ");
	num(b, f->spread, 6);
	if (f->si != NULL) {
		buf_putc(b, ' ');
		buf_puts(b, f->si->unit);
	}
}

static void
baseline(struct buf *b, const struct detector *d, const struct finding *f,
    int cleared)
{
	field_value(b, d, f);
	buf_puts(b, ": robust score ");
	num(b, f->score, 3);
	buf_puts(b, cleared ? " within " : " against median ");
	if (cleared) {
		num(b, f->limit, 3);
		buf_puts(b, " of median ");
	}
	num(b, f->ref, 6);
	buf_puts(b, " (MAD ");
	num(b, f->spread, 3);
	buf_puts(b, "), z ");
	num(b, f->stat, 3);
}

static void
drift(struct buf *b, const struct detector *d, const struct finding *f,
    int cleared)
{
	buf_puts(b, d->field);
	if (d->kind == DET_EWMA) {
		buf_puts(b, " EWMA ");
		num(b, f->stat, 6);
		buf_puts(b, cleared ? " back within " : " drifted ");
		num(b, cleared ? f->limit : f->score, 3);
		buf_puts(b, " sigma ");
		buf_puts(b, cleared ? "of " : "from ");
	} else {
		buf_puts(b, " CUSUM ");
		num(b, f->score, 3);
		buf_puts(b, cleared ? " back under " : f->stat > 0 ? " upward" :
		    " downward");
		if (cleared)
			num(b, f->limit, 3);
		buf_puts(b, " (reference ");
	}
	num(b, f->ref, 6);
	if (d->kind == DET_CUSUM)
		buf_putc(b, ')');
}

static void
model(struct buf *b, const struct detector *d, const struct finding *f)
{
	const struct model *m = d->model;
	size_t c = (size_t)f->stat;

	buf_puts(b, m->target);
	buf_puts(b, " predicted ");
	buf_puts(b, m->classes[c]);
	if (!isnan(f->score)) {
		buf_puts(b, " (p ");
		num(b, f->score, 3);
		buf_putc(b, ')');
	}
	if (m->healthy >= 0) {
		buf_puts(b, (long)c == m->healthy ? ", the healthy level" :
		    ", healthy is ");
		if ((long)c != m->healthy)
			buf_puts(b, m->classes[m->healthy]);
	}
}

void
put_message(struct buf *b, const struct detector *d, const struct finding *f,
    int cleared, double band)
{
	switch (d->kind) {
	case DET_THRESHOLD:
		threshold(b, d, f, cleared, band);
		break;
	case DET_PLAUSIBILITY:
		plausibility(b, d, f, cleared);
		break;
	case DET_BASELINE:
		baseline(b, d, f, cleared);
		break;
	case DET_EWMA:
	case DET_CUSUM:
		drift(b, d, f, cleared);
		break;
	case DET_STUCK:
		field_value(b, d, f);
		buf_puts(b, cleared ? ": changing again, after " :
		    ": stuck for ");
		num(b, cleared ? f->stat : f->score, 6);
		buf_puts(b, " records");
		if (cleared)
			buf_puts(b, " of one value");
		break;
	case DET_DROPOUT:
		num(b, f->value, 6);
		buf_puts(b, cleared ? " samples, as " : " samples where ");
		buf_puts(b, f->si->name);
		buf_puts(b, " at ");
		num(b, f->si->rate_hz, 6);
		buf_puts(b, " Hz gives ");
		num(b, f->limit, 6);
		break;
	case DET_GAP:
		num(b, f->value, 6);
		buf_puts(b, cleared ? " s since the last record (at most " :
		    " s without a record (more than ");
		num(b, f->limit, 6);
		buf_puts(b, " s)");
		break;
	case DET_MODEL:
		model(b, d, f);
		break;
	}
}
