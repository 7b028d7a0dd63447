/*
 * hs-agg.h - the groups of hs-agg and their table, shared by the
 * aggregation (hs-agg.c) and the checkpoints (checkpoint.c).
 */
#ifndef HS_AGG_MAIN_H
#define HS_AGG_MAIN_H

#include <stdint.h>

#include "agg.h"
#include "control.h"
#include "json.h"
#include "jsonw.h"
#include "lineio.h"
#include "timefmt.h"
#include "window_memo.h"

#define MAX_KEYS 16
#define MEMO_GROUP_BITS 8	/* 2^8 slots of the remembered window's
				 * groups */
#define KEY_SEP '\037'
/* The window part of a session's key: all open sessions of a key share
 * one, and so one hash chain, where a record finds those it joins. */
#define SESSION_KEY "{\"session\":true}"

struct group {
	struct group *next;	/* hash chain */
	char *key;		/* window span, group values, by KEY_SEP */
	size_t keylen;
	uint64_t hash;
	int windowed;
	int session;		/* session window: key is SESSION_KEY... */
	int dirty;		/* changed since the last trigger */
	hs_time start, end;
	unsigned long count;
	struct time_span span;	/* of the records' event times */
	/* --partial: the source partition, the offset of the first record;
	 * --merge: the lane (UINT32_MAX: several), the sources merged */
	uint32_t source;
	int64_t first_offset;
	uint32_t *merged;
	size_t nmerged;
	struct field_state f[];
};

/*
 * A group that records of the remembered window joined, by the signature
 * of their group values (hs-agg.c). It counts while its generation is the
 * aggregator's memo_gen, which moves on whenever the memo changes or any
 * group is freed. (No two groups have one key: a group stays the one its
 * key finds until it is freed.)
 */
struct memo_group {
	struct group *g;
	uint64_t gen;		/* 0: none */
	uint64_t sig;		/* hash of the values */
	size_t len;		/* of the values in the key */
};

enum output_mode { MODE_APPEND, MODE_UPDATE, MODE_COMPLETE };

/* One instance of a single machine, or one of several (partial.c). */
enum role { ROLE_AGG, ROLE_PARTIAL, ROLE_MERGE };

/* The watermark of one input stream (streams.c). */
struct stream_mark {
	char id[CONTROL_STREAM_MAX];
	hs_time watermark;
	int final;		/* the stream has ended */
};

struct aggregator {
	struct agg_spec spec;
	enum output_mode mode;
	enum role role;
	struct partials *pt;	/* partial.c */
	hs_time trigger;	/* processing-time interval, 0: none */
	hs_time next_trigger;	/* monotonic clock, microseconds */
	unsigned long batch;
	hs_time watermark;	/* the minimum over the streams */
	struct stream_mark *streams;
	size_t nstreams;	/* seen */
	size_t want_streams;	/* --streams: of watermarks, or lanes */
	unsigned long late;	/* records for windows already final */
	const char *group_fields[MAX_KEYS];	/* into group_list */
	size_t ngroup;
	char *group_list, *field_list;	/* copies of -g and -f */
	const char *time_field;	/* -t */
	const char *scan_keys[3 + 2 * MAX_KEYS];	/* window, groups,
						 * values, time, _src */
	size_t nscan;
	struct json_keys keys;	/* scan_keys, prepared */
	struct group **table;
	size_t nbuckets, ngroups;
	struct buf key, out;
	struct window_memo memo;	/* of the last record */
	/* The groups that records of the remembered window joined, by
	 * their group values. */
	struct memo_group memo_groups[1 << MEMO_GROUP_BITS];
	uint64_t memo_gen;
	int memo_bounds;	/* of the memo's window: 1 read into
				 * memo_start and memo_end, -1 it has none,
				 * 0 not read yet */
	hs_time memo_start, memo_end;
	struct state_file *state;
	struct input_end input;	/* what the input said of its end */
};

uint64_t hash_bytes(const char *p, size_t n);
/* Write the rows due now (all when final), then drop the groups that are
 * complete. */
void emit_rows(struct aggregator *a, int final);
/* The watermark has moved: write what it completes, as the mode says. */
void watermark_advanced(struct aggregator *a);
/* Drop, unwritten, the groups which() selects. */
void drop_groups(struct aggregator *a, int (*which)(const struct aggregator *,
    const struct group *, void *), void *arg);

/* The group of key, or NULL. */
struct group *group_lookup(const struct aggregator *a, const char *key,
    size_t keylen);
/* Insert a new, empty group for key (copied) into the table. */
struct group *group_insert(struct aggregator *a, const char *key,
    size_t keylen);
void group_free(struct aggregator *a, struct group *g);
/* An open session of key (which starts with SESSION_KEY) that overlaps or
 * touches [start, end), or NULL. */
struct group *session_lookup(const struct aggregator *a, const char *key,
    size_t keylen, hs_time start, hs_time end);

/* Streams (streams.c): take in a watermark record; 1 when the watermark,
 * the minimum over the streams that have not ended, has advanced. Until
 * --streams N streams have been seen it is minus infinity. */
int streams_watermark(struct aggregator *a, const struct watermark *wm);
/* The streams as a JSON array, for a checkpoint; and back (0, or -1). */
void streams_put(const struct aggregator *a, struct buf *b);
int streams_restore(struct aggregator *a, const struct json_span *arr);

/* Checkpoints (checkpoint.c): save the state as the checkpoint the control
 * record line announces; restore the state of the checkpoint a resume
 * record names. */
void checkpoint_save(struct aggregator *a, const char *line, size_t len);
void checkpoint_restore(struct aggregator *a, const char *line, size_t len);

/*
 * Partial aggregates (partial.c): --partial writes a group's state per
 * source partition as a partial row, --merge merges them (hs-agg(1)).
 */
void partial_init(struct aggregator *a, double alpha);
void partial_free(struct aggregator *a);
/* --partial: a record's source partition and offset from its "_src"
 * span: 0, or -1 (reported as a bad record). */
int partial_source(struct aggregator *a, struct line_reader *lr,
    const struct json_span *src, uint32_t *id, int64_t *offset);
/* Append the source partition to the key in a->key. */
void partial_key(struct aggregator *a, uint32_t id);
/* A record of source id at offset is about to join g. */
void partial_record(struct aggregator *a, struct group *g, uint32_t id,
    int64_t offset);
/* The watermark that makes g final: its source's or lane's. */
hs_time group_watermark(const struct aggregator *a, const struct group *g);
/* The rest of g's row, a partial row, after its window and group values
 * in a->out; written to stdout. */
void partial_put_row(struct aggregator *a, struct group *g);
/* A control record of the kind: 1 when handled here (watermarks, revoke
 * records), 0 to let hs-agg.c handle it. */
int partial_control(struct aggregator *a, enum control_kind kind,
    const char *line, size_t len);
/* The input ended: the last progress rows and commit record. */
void partial_end(struct aggregator *a);
/* --merge: one partial or progress row. */
void merge_record(struct aggregator *a, struct line_reader *lr, char *line,
    size_t len);
/* --merge: the partials seen again and the late ones, on stderr. */
void merge_report(const struct aggregator *a);
/* Checkpoints: the state of partial.c as a member of the state object, and
 * back (0, or -1 when malformed); a group's part of it likewise. */
void partial_save(const struct aggregator *a, struct buf *b);
int partial_restore(struct aggregator *a, const struct json_span *state);
void partial_put_group(const struct aggregator *a, const struct group *g,
    struct buf *b);
int partial_restore_group(struct aggregator *a, struct group *g,
    const struct json_span *obj);

#endif
