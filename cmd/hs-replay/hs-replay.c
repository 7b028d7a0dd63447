/*
 * hs-replay - replay UCI hydraulic matrix files as sample events.
 *
 * Each file holds one sensor: one row per 60-second load cycle, one
 * tab-separated column per sample. The sensor's name and sampling rate
 * follow from the file name. Rows of all files are read in lockstep, one
 * cycle at a time, and their samples are merged in event-time order into
 * events in the original Kafka producer's schema. Cells are copied as
 * written; memory holds one row per file.
 */
#include <csv.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "jsonw.h"
#include "sensors.h"
#include "timefmt.h"

#define CYCLE_SECONDS 60
#define TICKS_PER_CYCLE 6000	/* 10 ms ticks: the 100 Hz sample grid */
#define MAX_SENSORS SENSOR_COUNT

/* One row of cells, as libcsv hands them over. */
struct row {
	struct buf text;	/* the cells, each NUL-terminated */
	size_t *offset;		/* where each cell starts in text */
	size_t ncells, cap;
};

struct sensor {
	const char *name;
	int rate;		/* samples per second */
	int samples;		/* per cycle: 60 * rate */
	char *path;
	FILE *f;
	unsigned long lineno;
	int ended;
	struct row row;
	struct buf head, tail;	/* an event's line around index and value */
	char **value;		/* per sample of this cycle: text or NULL */
};

struct replay {
	struct sensor s[MAX_SENSORS];
	size_t nsensors;
	const char *only;	/* -s list, or NULL */
	long first, last;	/* cycle range */
	hs_time start;
	double speed;
	int quiet;
	FILE *profile;
	const char *profile_path;
	struct buf labels;	/* ,"cooler":3,... of the current cycle */
	struct csv_parser csv;
	struct buf out;
};

static const char usage_text[] =
	    "usage: hs-replay [-qS] [-c first[-last]] [-p profile.txt] [-s sensors]\n"
	    "                 [-t start] [--speed factor] dir | file ...\n"
	    "  -c range      cycles to replay, from 0 (e.g. 0-99)\n"
	    "  -p file       attach the labels of profile.txt to each event\n"
	    "  -s list       only these sensors (e.g. PS1,TS1)\n"
	    "  -t time       event time of cycle 0 (default 2025-11-08T14:30:00Z)\n"
	    "  --speed x     pace events at x times real time (1: 728 events/s\n"
	    "                for the full rig; default: as fast as possible)\n"
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

/* Add the file at path if it is a sensor file we want. */
static int
add_file(struct replay *r, const char *path, int from_dir)
{
	const char *base = strrchr(path, '/');
	char name[16];
	size_t n;
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
	if (r->nsensors == MAX_SENSORS)
		hs_fatal("%s: more than %d sensor files", path, MAX_SENSORS);
	s = &r->s[r->nsensors++];
	memset(s, 0, sizeof(*s));
	s->name = hs_xstrdup(name);
	s->rate = rate;
	s->samples = CYCLE_SECONDS * rate;
	s->path = hs_xstrdup(path);
	if ((s->f = fopen(path, "r")) == NULL)
		hs_fatal("%s: %s", path, strerror(errno));
	s->value = hs_xmalloc((size_t)s->samples * sizeof(*s->value));
	return 0;
unknown:
	if (from_dir)
		return 0;
	hs_warn("%s: not a UCI sensor file (PS1-6, EPS1, FS1-2, TS1-4, CE, "
	    "CP, SE, VS1 .txt)", path);
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
	size_t n = 0, i;
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
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		add_file(r, path, 1);
		free(names[i]);
	}
	free(names);
}

static void
cell_cb(void *data, size_t len, void *arg)
{
	struct row *row = arg;

	if (row->ncells == row->cap) {
		row->cap = row->cap ? row->cap * 2 : 64;
		row->offset = hs_xrealloc(row->offset,
		    row->cap * sizeof(*row->offset));
	}
	row->offset[row->ncells++] = row->text.len;
	buf_put(&row->text, data, len);
	buf_putc(&row->text, '\0');
}

/* Read the next row of s into s->row; 0 at end of file. */
static int
read_row(struct replay *r, struct sensor *s)
{
	static char *line;
	static size_t cap;
	ssize_t n;

	if (s->ended)
		return 0;
	if ((n = getline(&line, &cap, s->f)) == -1) {
		if (ferror(s->f))
			hs_fatal("%s: %s", s->path, strerror(errno));
		s->ended = 1;
		return 0;
	}
	s->lineno++;
	s->row.ncells = 0;
	buf_reset(&s->row.text);
	if (csv_parse(&r->csv, line, (size_t)n, cell_cb, NULL, &s->row) !=
	    (size_t)n || csv_fini(&r->csv, cell_cb, NULL, &s->row) != 0)
		hs_fatal("%s:%lu: %s", s->path, s->lineno,
		    csv_strerror(csv_error(&r->csv)));
	return 1;
}

static int
is_number(const char *s)
{
	char *end;
	double d;

	if (*s == '\0')
		return 0;
	d = strtod(s, &end);
	return *end == '\0' && isfinite(d) && strchr(s, 'x') == NULL &&
	    strchr(s, 'X') == NULL;
}

/* Check the row just read and point s->value at its cells; bad cells are
 * reported once per row and left out. */
static void
take_row(struct sensor *s)
{
	const char *cell;
	int i, bad = 0, first_bad = -1;

	for (i = 0; i < s->samples; i++) {
		s->value[i] = NULL;
		if ((size_t)i >= s->row.ncells)
			continue;
		cell = s->row.text.p + s->row.offset[i];
		if (is_number(cell))
			s->value[i] = (char *)cell;
		else if (bad++ == 0)
			first_bad = i;
	}
	if (s->row.ncells < (size_t)s->samples)
		hs_bad_record(s->path, s->lineno, "%zu of %d cells; samples "
		    "%zu-%d left out", s->row.ncells, s->samples, s->row.ncells,
		    s->samples - 1);
	else if (s->row.ncells > (size_t)s->samples)
		hs_bad_record(s->path, s->lineno, "%zu cells, %d expected; "
		    "the extra cells are ignored", s->row.ncells, s->samples);
	if (bad > 0)
		hs_bad_record(s->path, s->lineno, "column %d: not a finite "
		    "number: '%.20s'%s", first_bad + 1,
		    s->row.text.p + s->row.offset[first_bad],
		    bad > 1 ? " (and more in this row)" : "");
}

static void
read_labels(struct replay *r, long cycle)
{
	static char *line;
	static size_t cap;
	int cooler, valve, leak, acc, stable;

	buf_reset(&r->labels);
	if (r->profile == NULL)
		return;
	if (getline(&line, &cap, r->profile) == -1) {
		hs_bad_record(r->profile_path, (unsigned long)cycle + 1,
		    "no labels for cycle %ld", cycle);
		return;
	}
	if (sscanf(line, "%d\t%d\t%d\t%d\t%d", &cooler, &valve, &leak, &acc,
	    &stable) != 5) {
		hs_bad_record(r->profile_path, (unsigned long)cycle + 1,
		    "expected 5 tab-separated integers");
		return;
	}
	buf_printf(&r->labels, ",\"cooler\":%d,\"valve\":%d,\"pump_leak\":%d,"
	    "\"accumulator\":%d,\"stable\":%d", cooler, valve, leak, acc, stable);
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
	fflush(stdout);
	ts.tv_sec = (due - now) / HS_USEC_PER_SEC;
	ts.tv_nsec = (long)((due - now) % HS_USEC_PER_SEC) * 1000;
	nanosleep(&ts, NULL);
}

static void
put_uint(struct buf *b, unsigned v)
{
	char tmp[12];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	buf_reserve(b, (size_t)n);
	while (n > 0)
		b->p[b->len++] = tmp[--n];
}

/* Write the events of one cycle, tick by tick on the grid of the fastest
 * sensor (10 ms for 100 Hz). The unchanging parts of each line are built
 * once per cycle. */
static void
emit_cycle(struct replay *r, long cycle)
{
	hs_time base = r->start + (hs_time)cycle * CYCLE_SECONDS * HS_USEC_PER_SEC;
	hs_time t;
	struct buf *out = &r->out;
	char ts[32];
	size_t i, tslen = 0;
	int tick, step, idx, paced, grid = TICKS_PER_CYCLE;

	for (i = 0; i < r->nsensors; i++) {
		struct sensor *s = &r->s[i];

		if (100 / s->rate < grid)
			grid = 100 / s->rate;
		buf_reset(&s->head);
		buf_printf(&s->head, "{\"sensor\":\"%s\",\"cycle\":%ld,"
		    "\"sample_idx\":", s->name, cycle);
		buf_reset(&s->tail);
		buf_printf(&s->tail, "\",\"sampling_rate_hz\":%d", s->rate);
		buf_put(&s->tail, r->labels.p, r->labels.len);
		buf_put(&s->tail, "}\n", 2);
	}
	for (tick = 0; tick < TICKS_PER_CYCLE; tick += grid) {
		t = base + (hs_time)tick * 10000;
		paced = 0;
		buf_reset(out);
		for (i = 0; i < r->nsensors; i++) {
			struct sensor *s = &r->s[i];

			step = 100 / s->rate;
			if (tick % step != 0 || s->ended)
				continue;
			idx = tick / step;
			if (s->value[idx] == NULL)
				continue;
			if (!paced) {
				if (r->speed > 0)
					pace(r, t);
				tslen = (size_t)time_format_iso(t, ts);
				paced = 1;
			}
			buf_put(out, s->head.p, s->head.len);
			put_uint(out, (unsigned)idx);
			buf_put(out, ",\"value\":", 9);
			buf_puts(out, s->value[idx]);
			buf_put(out, ",\"timestamp\":\"", 14);
			buf_put(out, ts, tslen);
			buf_put(out, s->tail.p, s->tail.len);
		}
		buf_write(out, stdout);
	}
}

static void
show_progress(long cycle, long total, int done)
{
	static hs_time last;
	hs_time now = time_monotonic();

	if (!done && now - last < 200000)
		return;
	last = now;
	if (done)
		fprintf(stderr, "\r\033[K");
	else
		fprintf(stderr, "\rhs-replay: cycle %ld/%ld", cycle + 1, total);
}

static void
replay(struct replay *r)
{
	long cycle, total = r->last == LONG_MAX ? 2205 : r->last + 1;
	size_t i, live;
	int progress = !r->quiet && isatty(STDERR_FILENO);

	for (cycle = 0; cycle <= r->last; cycle++) {
		live = 0;
		for (i = 0; i < r->nsensors; i++)
			live += read_row(r, &r->s[i]);
		if (live == 0)
			break;
		for (i = 0; i < r->nsensors; i++)
			if (r->s[i].ended == 1) {
				hs_warn("%s: ends after %ld cycles; the other "
				    "files go on", r->s[i].path, cycle);
				r->s[i].ended = 2;
			}
		read_labels(r, cycle);
		if (cycle < r->first)
			continue;
		for (i = 0; i < r->nsensors; i++)
			if (!r->s[i].ended)
				take_row(&r->s[i]);
		emit_cycle(r, cycle);
		if (progress)
			show_progress(cycle, total, 0);
	}
	if (progress)
		show_progress(cycle, total, 1);
}

static void
parse_cycles(struct replay *r, const char *arg)
{
	char *end;

	r->first = strtol(arg, &end, 10);
	if (end == arg || r->first < 0)
		goto bad;
	if (*end == '\0') {
		r->last = r->first;
		return;
	}
	if (*end != '-')
		goto bad;
	arg = end + 1;
	r->last = strtol(arg, &end, 10);
	if (end == arg || *end != '\0' || r->last < r->first)
		goto bad;
	return;
bad:
	hs_warn("-c: expected first[-last] cycles, not '%s'", arg);
	usage();
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
	static struct replay r;
	const char *start = "2025-11-08T14:30:00Z", *p;
	char *end;
	int ch, i;
	size_t k;

	hs_init("hs-replay");
	r.last = LONG_MAX;
	while ((ch = getopt_long(argc, argv, "c:p:qs:St:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c': parse_cycles(&r, optarg); break;
		case 'p': r.profile_path = optarg; break;
		case 'q': r.quiet = 1; break;
		case 's': r.only = optarg; break;
		case 'S': hs_set_strict(1); break;
		case 't': start = optarg; break;
		case 'x':
			r.speed = strtod(optarg, &end);
			if (end == optarg || *end != '\0' || !(r.speed >= 0)) {
				hs_warn("--speed: expected a factor, not '%s'",
				    optarg);
				usage();
			}
			break;
		case 'h': hs_usage(usage_text, 1);
		case 'V': hs_print_version();
		default: usage();
		}
	}
	if (optind == argc)
		usage();
	if (time_parse_iso(start, strlen(start), &r.start) == -1) {
		hs_warn("-t: unparsable time '%s'", start);
		usage();
	}
	for (p = r.only; p != NULL; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
		char name[16];
		size_t n = strcspn(p, ",");

		snprintf(name, sizeof(name), "%.*s", (int)(n < 15 ? n : 15), p);
		if (sensor_rate(name) == 0) {
			hs_warn("-s: unknown sensor '%s'", name);
			usage();
		}
	}
	if (csv_init(&r.csv, CSV_APPEND_NULL) != 0)
		hs_fatal("out of memory");
	csv_set_delim(&r.csv, '\t');
	for (i = optind; i < argc; i++) {
		DIR *d = opendir(argv[i]);

		if (d != NULL) {
			closedir(d);
			add_directory(&r, argv[i]);
		} else if (errno == ENOTDIR)
			add_file(&r, argv[i], 0);
		else
			hs_fatal("%s: %s", argv[i], strerror(errno));
	}
	if (r.nsensors == 0)
		hs_fatal("no sensor files to replay");
	if (r.profile_path != NULL &&
	    (r.profile = fopen(r.profile_path, "r")) == NULL)
		hs_fatal("%s: %s", r.profile_path, strerror(errno));
	replay(&r);
	for (k = 0; k < r.nsensors; k++)
		fclose(r.s[k].f);
	csv_free(&r.csv);
	return hs_finish();
}
