/*
 * chart.c - pictures of one field over time, a series per key: a line of
 * Unicode sparkline per series for the terminal, or a self-contained SVG
 * line chart per series for a browser. Anomalies (records hs-detect
 * flagged) are marked: a '^' under the sparkline, a red dot in the SVG.
 *
 * Memory stays bounded however long the input: a series keeps at most
 * MAX_POINTS points, and when it is full, neighbours merge in pairs
 * (means of their values; a merged point is anomalous if either was);
 * there are at most CHART_MAX_SERIES series, a record of one more is a bad
 * record. Sums are long doubles, so that any finite values, up to
 * +-1.7e308, have finite means and scale onto the chart; a series whose
 * values are all equal is drawn level, midway.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "fmt.h"

#define MAX_POINTS 2048

struct point {
	hs_time t;
	long double sum;
	unsigned long n;
	int anomaly;
};

struct series {
	char *label;		/* the keys, for people */
	struct point *p;
	size_t n, cap;		/* points; the last may be filling */
	unsigned long step;	/* records per full point */
	unsigned long records, anomalies;
	double min, max;
	int timed;		/* every record had a time */
};

static struct nameset ids;	/* series_identity of each series */
static struct series *series;
static size_t nseries;
static char *field;		/* the charted field */
static struct buf id, label, out;

/* -y, else value, else avg_value, else the first numeric value. */
static int
choose_field(const struct flat *fl)
{
	static const char *const preferred[] = { "value", "avg_value" };
	size_t i;

	if (fmt_opts.value != NULL) {
		field = hs_xstrdup(fmt_opts.value);
		return 0;
	}
	for (i = 0; i < 2; i++)
		if (flat_get(fl, preferred[i]).type == JSON_NUMBER) {
			field = hs_xstrdup(preferred[i]);
			return 0;
		}
	for (i = 0; i < fl->n; i++)
		if (series_is_value(fl, i) &&
		    fl->f[i].value.type == JSON_NUMBER) {
			field = hs_xstrdup(flat_name(fl, i));
			return 0;
		}
	return -1;
}

/* The series of the record, or NULL if it would be one too many. */
static struct series *
series_of(const struct flat *fl)
{
	struct series *s;
	size_t i;

	buf_reset(&id);
	series_identity(&id, fl);
	if ((i = nameset_find(&ids, id.p ? id.p : "", id.len)) != NAMESET_NONE)
		return &series[i];
	if (nseries == CHART_MAX_SERIES)
		return NULL;
	nameset_add(&ids, id.p ? id.p : "", id.len);
	series = hs_xrealloc(series, (nseries + 1) * sizeof(*series));
	s = &series[nseries++];
	memset(s, 0, sizeof(*s));
	buf_reset(&label);
	series_label(&label, fl);
	s->label = hs_xmalloc(label.len + 1);
	memcpy(s->label, label.p ? label.p : "", label.len);
	s->label[label.len] = '\0';
	s->step = 1;
	s->timed = 1;
	return s;
}

static void
halve(struct series *s)
{
	size_t i;

	for (i = 0; i < s->n / 2; i++) {
		s->p[i].t = s->p[2 * i].t;
		s->p[i].sum = s->p[2 * i].sum + s->p[2 * i + 1].sum;
		s->p[i].n = s->p[2 * i].n + s->p[2 * i + 1].n;
		s->p[i].anomaly = s->p[2 * i].anomaly | s->p[2 * i + 1].anomaly;
	}
	s->n /= 2;
	s->step *= 2;
}

void
chart_record(const struct flat *fl, const char *input, unsigned long lineno)
{
	struct json_span v;
	struct series *s;
	struct point *p;
	hs_time t = 0;
	double d;

	if (field == NULL && choose_field(fl) == -1)
		return;
	v = flat_get(fl, field);
	if (v.type == JSON_NONE)
		return;
	if (json_number(&v, &d) == -1) {
		hs_bad_record(input, lineno, "%s is not a number", field);
		return;
	}
	if ((s = series_of(fl)) == NULL) {
		hs_bad_record(input, lineno, "more than %d series to chart",
		    CHART_MAX_SERIES);
		return;
	}
	if (series_time(fl, &t) == -1)
		s->timed = 0;
	if (s->n > 0 && s->p[s->n - 1].n < s->step)
		p = &s->p[s->n - 1];
	else {
		if (s->n == MAX_POINTS)
			halve(s);
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 16;
			s->p = hs_xrealloc(s->p, s->cap * sizeof(*s->p));
		}
		p = &s->p[s->n++];
		memset(p, 0, sizeof(*p));
		p->t = t;
	}
	p->sum += d;
	p->n++;
	if (series_is_anomaly(fl)) {
		p->anomaly = 1;
		s->anomalies++;
	}
	if (s->records++ == 0 || d < s->min)
		s->min = d;
	if (s->records == 1 || d > s->max)
		s->max = d;
}

/* Numbers for people: six significant digits. */
static void
put_figure(double d)
{
	buf_printf(&out, "%.6g", d);
}

static long double
mean_of(const struct point *p)
{
	return p->sum / (long double)p->n;
}

/* Where v lies from lo (0) to hi (1); midway when they are equal. */
static long double
share(long double v, long double lo, long double hi)
{
	long double x = hi > lo ? (v - lo) / (hi - lo) : 0.5L;

	return x < 0 ? 0 : x > 1 ? 1 : x;
}

static unsigned
chart_width(void)
{
	struct winsize ws;
	const char *columns = getenv("COLUMNS");

	if (fmt_opts.width > 0)
		return fmt_opts.width;
	if (columns != NULL && atoi(columns) > 40)
		return (unsigned)atoi(columns) - 40;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 40)
		return ws.ws_col - 40u;
	return 60;
}

/* Column c of w shows the mean of its share of the series's points. */
static void
resample(const struct series *s, size_t w, long double *mean, int *anomaly)
{
	size_t c, i, from, to;
	long double sum;
	unsigned long n;

	for (c = 0; c < w; c++) {
		from = c * s->n / w;
		to = (c + 1) * s->n / w;
		sum = 0;
		n = 0;
		anomaly[c] = 0;
		for (i = from; i < to; i++) {
			sum += s->p[i].sum;
			n += s->p[i].n;
			anomaly[c] |= s->p[i].anomaly;
		}
		mean[c] = sum / (long double)n;
	}
}

static void
spark_line(const struct series *s, size_t labelw, unsigned width)
{
	static const char *const bars[] = { "\u2581", "\u2582", "\u2583",
	    "\u2584", "\u2585", "\u2586", "\u2587", "\u2588" };
	size_t c, w = s->n < width ? s->n : width;
	long double *mean = hs_xmalloc(w * sizeof(*mean)), lo, hi;
	int *anomaly = hs_xmalloc(w * sizeof(*anomaly)), level;

	resample(s, w, mean, anomaly);
	lo = hi = mean[0];
	for (c = 1; c < w; c++) {
		lo = mean[c] < lo ? mean[c] : lo;
		hi = mean[c] > hi ? mean[c] : hi;
	}
	buf_reset(&out);
	buf_puts(&out, s->label);
	buf_printf(&out, "%*s", (int)(labelw - text_width(s->label) + 1), "");
	for (c = 0; c < w; c++) {
		level = hi > lo ? (int)(share(mean[c], lo, hi) * 7.999L) : 0;
		buf_puts(&out, bars[level]);
	}
	buf_printf(&out, "%*s min ", (int)(width - w), "");
	put_figure(s->min);
	buf_puts(&out, " max ");
	put_figure(s->max);
	buf_printf(&out, " n %lu", s->records);
	if (s->anomalies > 0) {
		buf_printf(&out, " anomalies %lu\n%-*s ", s->anomalies,
		    (int)labelw, "");
		for (c = 0; c < w; c++)
			buf_putc(&out, anomaly[c] ? '^' : ' ');
		while (out.len > 0 && out.p[out.len - 1] == ' ')
			out.len--;
	}
	buf_putc(&out, '\n');
	buf_write(&out, stdout);
	free(mean);
	free(anomaly);
}

static void
free_series(void)
{
	size_t i;

	for (i = 0; i < nseries; i++) {
		free(series[i].label);
		free(series[i].p);
	}
	free(series);
	free(field);
	nameset_free(&ids);
	buf_free(&id);
	buf_free(&label);
	buf_free(&out);
}

void
chart_spark(void)
{
	size_t i, labelw = 1;
	unsigned width = chart_width();

	for (i = 0; i < nseries; i++)
		if (text_width(series[i].label) > labelw)
			labelw = text_width(series[i].label);
	if (nseries > 0)
		printf("%s\n", field);
	for (i = 0; i < nseries; i++)
		spark_line(&series[i], labelw, width);
	free_series();
}

/* The SVG: one panel per series, a shared time axis. */
#define SVG_W 960
#define PANEL_H 170
#define PLOT_X 80
#define PLOT_W (SVG_W - PLOT_X - 20)
#define PLOT_Y 28
#define PLOT_H 110

/* Text for XML 1.0, which forbids control characters but tab, line feed
 * and carriage return (all shown as spaces here), and U+FFFE and U+FFFF
 * (shown as U+FFFD). */
static void
put_xml_text(const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': buf_puts(&out, "&amp;"); break;
		case '<': buf_puts(&out, "&lt;"); break;
		case '>': buf_puts(&out, "&gt;"); break;
		case '"': buf_puts(&out, "&quot;"); break;
		default:
			if ((unsigned char)*s < 0x20)
				buf_putc(&out, ' ');
			else if (strncmp(s, "\xef\xbf\xbe", 3) == 0 ||
			    strncmp(s, "\xef\xbf\xbf", 3) == 0) {
				buf_puts(&out, "\xef\xbf\xbd");
				s += 2;
			} else
				buf_putc(&out, *s);
		}
	}
}

static void
put_time_label(hs_time t)
{
	char iso[32];

	time_format_iso(t, iso);
	iso[19] = '\0';
	iso[10] = ' ';
	buf_puts(&out, iso);
}

struct frame {
	int timed;
	hs_time t0, t1;
};

static double
x_of(const struct frame *fr, const struct series *s, size_t i)
{
	double span;

	if (fr->timed) {
		span = fr->t1 > fr->t0 ? (double)(fr->t1 - fr->t0) : 1;
		return PLOT_X + PLOT_W * (double)(s->p[i].t - fr->t0) / span;
	}
	if (s->n < 2)
		return PLOT_X + PLOT_W * 0.5;
	return PLOT_X + PLOT_W * ((double)i / (double)(s->n - 1));
}

static double
y_of(const struct series *s, size_t i)
{
	return PLOT_Y + PLOT_H * (double)(1 - share(mean_of(&s->p[i]),
	    s->min, s->max));
}

static void
svg_panel(const struct frame *fr, const struct series *s, int y0)
{
	size_t i;
	buf_printf(&out, "<g transform=\"translate(0,%d)\">\n", y0);
	buf_puts(&out, "<text x=\"8\" y=\"18\" class=\"title\">");
	put_xml_text(s->label);
	buf_puts(&out, " \xe2\x80\x94 ");
	put_xml_text(field);
	buf_printf(&out, " (%lu records, %lu anomalous)</text>\n",
	    s->records, s->anomalies);
	buf_printf(&out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
	    "class=\"frame\"/>\n", PLOT_X, PLOT_Y, PLOT_W, PLOT_H);
	buf_printf(&out, "<text x=\"%d\" y=\"%d\" class=\"axis\" "
	    "text-anchor=\"end\">", PLOT_X - 6, PLOT_Y + 10);
	put_figure(s->max);
	buf_printf(&out, "</text>\n<text x=\"%d\" y=\"%d\" class=\"axis\" "
	    "text-anchor=\"end\">", PLOT_X - 6, PLOT_Y + PLOT_H);
	put_figure(s->min);
	buf_puts(&out, "</text>\n<polyline class=\"line\" points=\"");
	for (i = 0; i < s->n; i++)
		buf_printf(&out, "%s%.1f,%.1f", i ? " " : "", x_of(fr, s, i),
		    y_of(s, i));
	buf_puts(&out, "\"/>\n");
	for (i = 0; i < s->n; i++) {
		if (!s->p[i].anomaly)
			continue;
		buf_printf(&out, "<circle class=\"anomaly\" cx=\"%.1f\" "
		    "cy=\"%.1f\" r=\"3.5\"/>\n", x_of(fr, s, i), y_of(s, i));
	}
	if (fr->timed) {
		buf_printf(&out, "<text x=\"%d\" y=\"%d\" class=\"axis\">",
		    PLOT_X, PLOT_Y + PLOT_H + 16);
		put_time_label(fr->t0);
		buf_printf(&out, "</text>\n<text x=\"%d\" y=\"%d\" "
		    "class=\"axis\" text-anchor=\"end\">", PLOT_X + PLOT_W,
		    PLOT_Y + PLOT_H + 16);
		put_time_label(fr->t1);
		buf_puts(&out, "</text>\n");
	}
	buf_puts(&out, "</g>\n");
}

void
chart_svg(void)
{
	struct frame fr = { 1, 0, 0 };
	size_t i;
	int first = 1;

	for (i = 0; i < nseries; i++) {
		fr.timed &= series[i].timed;
		if (series[i].n == 0)
			continue;
		if (first || series[i].p[0].t < fr.t0)
			fr.t0 = series[i].p[0].t;
		if (first || series[i].p[series[i].n - 1].t > fr.t1)
			fr.t1 = series[i].p[series[i].n - 1].t;
		first = 0;
	}
	buf_reset(&out);
	buf_printf(&out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%zu\" viewBox=\"0 0 %d %zu\">\n", SVG_W,
	    nseries * PANEL_H + 10, SVG_W, nseries * PANEL_H + 10);
	buf_puts(&out, "<style>\n"
	    "text { font-family: sans-serif; fill: #222; }\n"
	    ".title { font-size: 14px; font-weight: bold; }\n"
	    ".axis { font-size: 11px; fill: #555; }\n"
	    ".frame { fill: #fafafa; stroke: #bbb; }\n"
	    ".line { fill: none; stroke: #1f77b4; stroke-width: 1.2; }\n"
	    ".anomaly { fill: #d62728; stroke: none; }\n"
	    "</style>\n"
	    "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
	for (i = 0; i < nseries; i++)
		svg_panel(&fr, &series[i], (int)(i * PANEL_H) + 5);
	buf_puts(&out, "</svg>\n");
	buf_write(&out, stdout);
	free_series();
}
