/*
 * hs-replay - replay UCI hydraulic matrix files as sample events.
 *
 * Each file holds one sensor: one row per 60-second load cycle, one
 * tab-separated column per sample. The sensor's name and sampling rate
 * follow from the file name. Rows of all files are read in lockstep, one
 * cycle at a time, and their samples are merged in event-time order into
 * events in the original Kafka producer's schema. Cells are checked and
 * copied as written; memory holds one row per file.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "jsonw.h"
#include "lineio.h"
#include "matrix.h"
#include "sensors.h"
#include "timefmt.h"

#define CYCLE_SECONDS 60
#define CYCLE_USEC (CYCLE_SECONDS * HS_USEC_PER_SEC)
#define TICKS_PER_CYCLE 6000	/* 10 ms ticks: the 100 Hz sample grid */
#define TICK_USEC 10000
#define CYCLE_END LONG_MAX	/* the last cycle of "-c 5-": the files' */
#define FLUSH_AT (1 << 18)	/* output gathered before one write */
#define LABELS 5		/* columns of profile.txt */
#define PAD 64			/* block of copy_padded */

#define SENSOR_FILES "a sensor's name and rate come from its file's " \
	"name: PS1.txt to PS6.txt, EPS1.txt, FS1.txt, FS2.txt, TS1.txt to " \
	"TS4.txt, CE.txt, CP.txt, SE.txt, VS1.txt"

struct sensor {
	const char *name;
	int rate;		/* samples per second */
	int step;		/* ticks from one sample to the next */
	char *path;
	struct matrix m;
	int ended;		/* 1: its file has ended; 2: that was said */
	long cycle;		/* being written */
	unsigned idx;		/* the sample to write next */
	struct buf head;	/* an event's line up to its value */
	size_t digits, ndigits;	/* where idx is written in head */
	struct buf tail;	/* an event's line after its time */
};

struct range {
	long first, last;
};

/* The time of the tick being written, as ,"timestamp":"ISO: formatted in
 * full once a second, in its millisecond digits at the other ticks. */
struct tick_time {
	hs_time second;		/* the second text holds */
	char text[48 + PAD];
	size_t len;
	char *millis;		/* the three digits after the point */
};

struct replay {
	struct sensor s[SENSOR_COUNT];
	size_t nsensors;
	const char *only;	/* -s list, or NULL */
	const char *cycles;	/* -c as given, or NULL */
	struct range *range;	/* sorted, disjoint */
	size_t nranges;
	hs_time start;
	double speed;
	int quiet;
	const char *profile_path;
	int (*label)[LABELS];	/* the profile: a row per cycle */
	size_t nlabels;
	struct buf labels;	/* ,"cooler":3,... of the current cycle */
	struct tick_time clock;
	struct buf out;
};

static const char usage_text[] =
	    "usage: hs-replay [-qS] [-c cycles] [-p profile.txt] [-s sensors]\n"
	    "                 [-t start] [--speed factor] dir | file ...\n"
	    "  -c list       cycles to replay, from 0: 5, 0-99, 2200-,\n"
	    "                0-9,20-29\n"
	    "  -p file       attach the labels of profile.txt to each event\n"
	    "  -s list       only these sensors (e.g. PS1,TS1)\n"
	    "  -t time       event time of cycle 0: 2025-11-08T14:30:00Z (the\n"
	    "                default), 2025-11-08, @1762612200 or now\n"
	    "  --speed x     pace events at x times real time (1: 728\n"
	    "                events/s for the full rig; default: as fast as\n"
	    "                possible)\n"
	    "  -q            no progress display\n"
	    "  -S            strict: stop at the first bad cell\n";

static void __attribute__((noreturn))
usage(void)
{
	hs_usage(usage_text, 0);
}

static int
sensor_rate(const char *name)
{
	const struct sensor_info *si = sensor_find(name, strlen(name));

	return si ? si->rate_hz : 0;
}

static int
wanted(const struct replay *r, const char *name)
{
	const char *p = r->only;
	size_t n = strlen(name);

	if (p == NULL)
		return 1;
	while (p != NULL) {
		if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
		p = strchr(p, ',');
		p = p ? p + 1 : NULL;
	}
	return 0;
}

/* Add the file at path if it is a sensor file we want: 1 if added. */
static int
add_file(struct replay *r, const char *path, int from_dir)
{
	const char *base = strrchr(path, '/');
	char name[16];
	size_t n, i;
	struct sensor *s;
	int rate;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n < 5 || n - 4 >= sizeof(name) || strcmp(base + n - 4, ".txt") != 0)
		goto unknown;
	memcpy(name, base, n - 4);
	name[n - 4] = '\0';
	if ((rate = sensor_rate(name)) == 0)
		goto unknown;
	if (!wanted(r, name))
		return 0;
	for (i = 0; i < r->nsensors; i++)
		if (strcmp(r->s[i].name, name) == 0) {
			hs_warn("%s: sensor %s given twice (also %s)", path,
			    name, r->s[i].path);
			usage();
		}
	s = &r->s[r->nsensors++];
	memset(s, 0, sizeof(*s));
	s->name = hs_xstrdup(name);
	s->rate = rate;
	s->step = TICKS_PER_CYCLE / (CYCLE_SECONDS * rate);
	s->path = hs_xstrdup(path);
	if (matrix_open(&s->m, s->path, (size_t)(CYCLE_SECONDS * rate)) == -1)
		hs_fatal("%s: %s", path, strerror(errno));
	return 1;
unknown:
	if (from_dir)
		return 0;
	hs_warn("%s: not a sensor file: %s", path, SENSOR_FILES);
	usage();
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
add_directory(struct replay *r, const char *dir)
{
	struct dirent *de;
	char **names = NULL, path[PATH_MAX];
	size_t n = 0, i, added = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		hs_fatal("%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		names = hs_xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = hs_xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    names[i]) < sizeof(path))
			added += (size_t)add_file(r, path, 1);
		free(names[i]);
	}
	free(names);
	if (added > 0)
		return;
	if (r->only != NULL)
		hs_warn("%s: no file of the sensors %s (-s) in this directory",
		    dir, r->only);
	else
		hs_warn("%s: no sensor files in this directory: %s", dir,
		    SENSOR_FILES);
	usage();
}

static void
add_argument(struct replay *r, const char *arg)
{
	DIR *d;

	if (strcmp(arg, "-") == 0) {
		hs_warn("-: standard input cannot be replayed: %s; give the "
		    "files or their directory", SENSOR_FILES);
		usage();
	}
	if ((d = opendir(arg)) != NULL) {
		closedir(d);
		add_directory(r, arg);
	} else if (errno == ENOTDIR)
		add_file(r, arg, 0);
	else
		hs_fatal("%s: %s", arg, strerror(errno));
}

/* A cycle number at p: the end of its digits, or NULL if there are none.
 * Numbers too large for any file stop short of CYCLE_END. */
static const char *
cycle_number(const char *p, long *v)
{
	const char *start = p;

	*v = 0;
	for (; *p >= '0' && *p <= '9'; p++)
		*v = *v > (CYCLE_END - 1 - 9) / 10 ? CYCLE_END - 1 :
		    *v * 10 + (*p - '0');
	return p == start ? NULL : p;
}

static int
by_first(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return (x->first > y->first) - (x->first < y->first);
}

/* -c as cut(1) takes a list: N, N-M, N-, -M, separated by commas. */
static void
parse_cycles(struct replay *r, const char *arg)
{
	const char *p = arg;
	struct range rg;
	size_t i, n = 0;

	r->cycles = arg;
	r->nranges = 0;
	for (;;) {
		rg.first = 0;
		if (*p != '-' && (p = cycle_number(p, &rg.first)) == NULL)
			goto bad;
		rg.last = rg.first;
		if (*p == '-') {
			if (p[1] == ',' || p[1] == '\0') {
				if (p == arg || p[-1] == ',')
					goto bad;	/* "-" alone */
				rg.last = CYCLE_END;
				p++;
			} else if ((p = cycle_number(p + 1, &rg.last)) == NULL)
				goto bad;
		}
		if (*p != ',' && *p != '\0')
			goto bad;
		if (rg.first > rg.last) {
			hs_warn("-c %s: the range %ld-%ld is reversed", arg,
			    rg.first, rg.last);
			usage();
		}
		r->range = hs_xrealloc(r->range,
		    (r->nranges + 1) * sizeof(*r->range));
		r->range[r->nranges++] = rg;
		if (*p++ == '\0')
			break;
	}
	qsort(r->range, r->nranges, sizeof(*r->range), by_first);
	for (i = 1; i < r->nranges; i++)	/* merge overlaps */
		if (r->range[i].first <= r->range[n].last ||
		    r->range[i].first - 1 == r->range[n].last) {
			if (r->range[i].last > r->range[n].last)
				r->range[n].last = r->range[i].last;
		} else
			r->range[++n] = r->range[i];
	r->nranges = n + 1;
	return;
bad:
	hs_warn("-c: expected cycles from 0 as 5, 0-99, 2200- or "
	    "0-9,20-29, not '%s'", arg);
	usage();
}

/* The labels of each cycle: profile.txt's rows of five tab-separated
 * integers. A file that does not read as one is fatal. */
static void
load_profile(struct replay *r)
{
	struct line_reader *lr = lr_open(r->profile_path, 4096);
	const char *why = "expected 5 tab-separated integers (cooler, "
	    "valve, pump leakage, accumulator, stable flag)";
	char *line, *p, *end;
	size_t len, cap = 0;
	long v;
	int k;

	if (lr == NULL)
		hs_fatal("%s: %s", r->profile_path, strerror(errno));
	while ((line = lr_next(lr, &len)) != NULL) {
		if (lr_lineno(lr) != r->nlabels + 1)
			hs_fatal("%s:%zu: not a profile row: %s", lr_name(lr),
			    r->nlabels + 1, why);
		if (r->nlabels == cap) {
			cap = cap ? cap * 2 : 4096;
			r->label = hs_xrealloc(r->label, cap *
			    sizeof(*r->label));
		}
		for (p = line, k = 0; k < LABELS; k++, p = end + 1) {
			if (*p < '0' || *p > '9' ||
			    (v = strtol(p, &end, 10), end - p > 9) ||
			    *end != (k < LABELS - 1 ? '\t' : '\0'))
				break;
			r->label[r->nlabels][k] = (int)v;
		}
		if (k < LABELS)
			hs_fatal("%s:%lu: not a profile row: %s, not '%.40s%s'",
			    lr_name(lr), lr_lineno(lr), why, line,
			    len > 40 ? "..." : "");
		r->nlabels++;
	}
	if (r->nlabels == 0)
		hs_fatal("%s: empty: expected a row of labels per cycle",
		    lr_name(lr));
	lr_close(lr);
}

static void
set_labels(struct replay *r, long cycle)
{
	const int *l;

	buf_reset(&r->labels);
	if (r->label == NULL)
		return;
	if ((size_t)cycle >= r->nlabels)
		hs_fatal("%s: no labels for cycle %ld: the profile has %zu "
		    "rows, the files more cycles", r->profile_path, cycle,
		    r->nlabels);
	l = r->label[cycle];
	buf_printf(&r->labels, ",\"cooler\":%d,\"valve\":%d,\"pump_leak\":%d,"
	    "\"accumulator\":%d,\"stable\":%d", l[0], l[1], l[2], l[3], l[4]);
}

static void
flush_output(struct replay *r)
{
	buf_write(&r->out, stdout);
	buf_reset(&r->out);
}

/* With --speed, wait until event time t is due. */
static void
pace(struct replay *r, hs_time t)
{
	static hs_time wall0, event0 = -1;
	hs_time due, now;
	struct timespec ts;

	if (event0 == -1) {
		wall0 = time_monotonic();
		event0 = t;
	}
	due = wall0 + (hs_time)((double)(t - event0) / r->speed);
	if ((now = time_monotonic()) >= due)
		return;
	flush_output(r);
	fflush(stdout);
	ts.tv_sec = (due - now) / HS_USEC_PER_SEC;
	ts.tv_nsec = (long)((due - now) % HS_USEC_PER_SEC) * 1000;
	nanosleep(&ts, NULL);
}

/* Set c->text to ,"timestamp":"ISO of t; returns its length. */
static size_t
tick_time(struct tick_time *c, hs_time t)
{
	static const char key[] = ",\"timestamp\":\"";
	hs_time second = time_floor(t, HS_USEC_PER_SEC);
	int ms = (int)(t - second) / 1000;

	if ((t - second) % 1000 != 0) {	/* microseconds: in full */
		c->second = -1;
		memcpy(c->text, key, sizeof(key) - 1);
		return sizeof(key) - 1 + (size_t)time_format_iso(t,
		    c->text + sizeof(key) - 1);
	}
	if (second != c->second || c->millis == NULL) {
		memcpy(c->text, key, sizeof(key) - 1);
		c->len = sizeof(key) - 1 + (size_t)time_format_iso(second,
		    c->text + sizeof(key) - 1);
		c->millis = strchr(c->text + sizeof(key) - 1, '.') + 1;
		c->second = second;
	}
	c->millis[0] = (char)('0' + ms / 100);
	c->millis[1] = (char)('0' + ms / 10 % 10);
	c->millis[2] = (char)('0' + ms % 10);
	return c->len;
}

/* Copy n bytes in blocks of PAD, which fixed-size moves do fastest: both
 * sides have PAD bytes to spare. */
static char *
copy_padded(char *dst, const char *src, size_t n)
{
	size_t i = 0;

	do
		memcpy(dst + i, src + i, PAD);
	while ((i += PAD) < n);
	return dst + n;
}

/* Make s->head the line of sample s->idx up to its value. */
static void
set_head(struct sensor *s)
{
	buf_reset(&s->head);
	buf_printf(&s->head, "{\"sensor\":\"%s\",\"cycle\":%ld,"
	    "\"sample_idx\":", s->name, s->cycle);
	s->digits = s->head.len;
	buf_printf(&s->head, "%u", s->idx);
	s->ndigits = s->head.len - s->digits;
	buf_put(&s->head, ",\"value\":", 9);
	buf_reserve(&s->head, PAD);
}

/* Count s->idx up, in the digits of s->head too. */
static void
next_sample(struct sensor *s)
{
	char *first = s->head.p + s->digits, *d = first + s->ndigits;

	s->idx++;
	while (--d >= first)
		if (*d == '9')
			*d = '0';
		else {
			(*d)++;
			return;
		}
	set_head(s);		/* one digit more */
}

/* One event line of s: its next sample, at the time in r->clock. */
static void
put_event(struct replay *r, struct sensor *s, size_t tlen)
{
	const struct matrix_cell *c = &s->m.cell[s->idx];
	struct buf *out = &r->out;
	size_t need;
	char *w;

	if (c->p != NULL) {
		need = s->head.len + c->len + tlen + s->tail.len + PAD;
		if (out->cap - out->len < need)
			buf_reserve(out, need);
		w = copy_padded(out->p + out->len, s->head.p, s->head.len);
		memcpy(w, c->p, c->len);
		w = copy_padded(w + c->len, r->clock.text, tlen);
		w = copy_padded(w, s->tail.p, s->tail.len);
		out->len = (size_t)(w - out->p);
	}
	next_sample(s);
}

/* Write the events of one cycle, tick by tick on the grid of the fastest
 * sensor (10 ms for 100 Hz). The unchanging parts of each line are built
 * once per cycle; at each tick the sensors due are those whose step
 * divides it: every 100th tick all, every 10th those at 10 Hz or more,
 * else those at 100 Hz. */
static void
emit_cycle(struct replay *r, long cycle)
{
	hs_time base = r->start + (hs_time)cycle * CYCLE_USEC;
	struct sensor *due[3][SENSOR_COUNT], *s;
	size_t ndue[3] = { 0, 0, 0 }, i, k, tlen;
	int tick, grid = TICKS_PER_CYCLE;

	for (i = 0; i < r->nsensors; i++) {
		s = &r->s[i];
		if (s->ended)
			continue;
		s->cycle = cycle;
		s->idx = 0;
		set_head(s);
		buf_reset(&s->tail);
		buf_printf(&s->tail, "\",\"sampling_rate_hz\":%d", s->rate);
		buf_put(&s->tail, r->labels.p, r->labels.len);
		buf_put(&s->tail, "}\n", 2);
		buf_reserve(&s->tail, PAD);
		for (k = 0; k < 3; k++)
			if (s->step <= (k == 0 ? 1 : k == 1 ? 10 : 100))
				due[k][ndue[k]++] = s;
		if (s->step < grid)
			grid = s->step;
	}
	for (tick = 0; tick < TICKS_PER_CYCLE; tick += grid) {
		k = tick % 100 == 0 ? 2 : tick % 10 == 0 ? 1 : 0;
		if (ndue[k] == 0)
			continue;
		if (r->speed > 0)
			pace(r, base + (hs_time)tick * TICK_USEC);
		tlen = tick_time(&r->clock, base + (hs_time)tick * TICK_USEC);
		for (i = 0; i < ndue[k]; i++)
			put_event(r, due[k][i], tlen);
		if (r->out.len >= FLUSH_AT)
			flush_output(r);
	}
}

/* Read (or, for a cycle not wanted, pass over) the next row of every file;
 * the count of files that had one. */
static size_t
next_rows(struct replay *r, long cycle, int want)
{
	size_t i, live = 0;
	struct sensor *s;

	for (i = 0; i < r->nsensors; i++) {
		s = &r->s[i];
		if (!s->ended && (want ? matrix_read(&s->m) :
		    matrix_skip(&s->m)))
			live++;
		else if (!s->ended)
			s->ended = 1;
	}
	for (i = 0; live > 0 && i < r->nsensors; i++) {
		s = &r->s[i];
		if (s->ended != 1)
			continue;
		if (cycle == 0)
			hs_bad_record(s->path, 1, "empty file: no rows; the "
			    "other files go on");
		else
			hs_bad_record(s->path, (unsigned long)cycle + 1, "no "
			    "row for cycle %ld: the file ends after %ld rows; "
			    "the other files go on", cycle, cycle);
		s->ended = 2;
	}
	return live;
}

static void
show_progress(const struct replay *r, long cycle)
{
	static hs_time last;
	hs_time now = time_monotonic();
	long end = r->range[r->nranges - 1].last;

	if (now - last < 200000)
		return;
	last = now;
	if (end == CYCLE_END)
		hs_status("cycle %ld", cycle);
	else
		hs_status("cycle %ld of %ld-%ld", cycle, r->range[0].first,
		    end);
}

/* The files ended after rows cycles: cycles selected past them are an
 * error, and so is a profile with rows the files do not have. */
static void
check_end(struct replay *r, size_t k, long rows)
{
	const struct range *rg = &r->range[k];

	if (rows == 0) {
		for (k = 0; k < r->nsensors; k++)
			hs_bad_record(r->s[k].path, 1, "empty file: no rows");
		return;
	}
	if (r->cycles != NULL && k < r->nranges && !(k == r->nranges - 1 &&
	    rg->last == CYCLE_END && rg->first < rows)) {
		flush_output(r);
		hs_finish();
		hs_warn("-c %s: out of range: the files have cycles 0-%ld",
		    r->cycles, rows - 1);
		exit(HS_EXIT_USAGE);
	}
	if (r->label != NULL && r->nlabels > (size_t)rows)
		hs_bad_record(r->profile_path, (unsigned long)rows + 1,
		    "%zu rows, but the files have %ld cycles: is it their "
		    "profile?", r->nlabels, rows);
}

static void
replay(struct replay *r)
{
	long cycle;
	size_t k = 0;
	int want;

	for (cycle = 0; k < r->nranges; cycle++) {
		want = cycle >= r->range[k].first;
		if (next_rows(r, cycle, want) == 0) {
			check_end(r, k, cycle);
			break;
		}
		if (!want)
			continue;
		if ((HS_TIME_MAX - r->start + 1) / CYCLE_USEC < cycle + 1)
			hs_fatal("cycle %ld would end after the year 9999: "
			    "an earlier -t", cycle);
		set_labels(r, cycle);
		emit_cycle(r, cycle);
		flush_output(r);
		if (!r->quiet)
			show_progress(r, cycle);
		if (cycle == r->range[k].last)
			k++;
	}
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "speed", required_argument, NULL, 'x' },
		{ "profile", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	static struct range everything = { 0, CYCLE_END };
	static struct replay r;
	const char *start = "2025-11-08T14:30:00Z", *p;
	int ch, i;
	size_t k;

	hs_init("hs-replay");
	/* events are gathered in r.out and written in blocks of FLUSH_AT
	 * bytes: a stdio buffer would only copy them once more */
	setvbuf(stdout, NULL, _IONBF, 0);
	while ((ch = getopt_long(argc, argv, "c:p:qs:St:h", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c': parse_cycles(&r, optarg); break;
		case 'p': r.profile_path = optarg; break;
		case 'q': r.quiet = 1; break;
		case 's': r.only = optarg; break;
		case 'S': hs_set_strict(1); break;
		case 't': start = optarg; break;
		case 'x':
			r.speed = hs_arg_double("--speed", optarg, 0, INFINITY,
			    usage_text);
			break;
		case 'h': hs_usage(usage_text, 1);
		case 'V': hs_print_version();
		default: usage();
		}
	}
	if (optind == argc)
		usage();
	if (r.cycles == NULL) {
		r.range = &everything;
		r.nranges = 1;
	}
	if (time_parse_arg(start, &r.start) == -1) {
		hs_warn("-t: expected %s, not '%s'", TIME_ARG_FORMS, start);
		usage();
	}
	for (p = r.only; p != NULL;
	    p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
		char name[16];
		size_t n = strcspn(p, ",");

		snprintf(name, sizeof(name), "%.*s", (int)(n < 15 ? n : 15), p);
		if (sensor_rate(name) == 0) {
			hs_warn("-s: unknown sensor '%s'", name);
			usage();
		}
	}
	for (i = optind; i < argc; i++)
		add_argument(&r, argv[i]);
	if (r.profile_path != NULL)
		load_profile(&r);
	replay(&r);
	for (k = 0; k < r.nsensors; k++)
		matrix_close(&r.s[k].m);
	return hs_finish();
}
