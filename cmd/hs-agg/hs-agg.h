/*
 * hs-agg.h - the groups of hs-agg and their table, shared by the
 * aggregation (hs-agg.c) and the checkpoints (checkpoint.c).
 */
#ifndef HS_AGG_MAIN_H
#define HS_AGG_MAIN_H

#include <stdint.h>

#include "agg.h"
#include "jsonw.h"
#include "timefmt.h"

#define MAX_KEYS 16
#define KEY_SEP '\037'
/* The window part of a session's key: all open sessions of a key share
 * one, and so one hash chain, where a record finds those it joins. */
#define SESSION_KEY "{\"session\":true}"

struct group {
	struct group *next;	/* hash chain */
	char *key;		/* window span, then each group value, by KEY_SEP */
	size_t keylen;
	uint64_t hash;
	int windowed;
	int session;		/* a session window: its key is SESSION_KEY... */
	int dirty;		/* changed since the last trigger */
	hs_time start, end;
	unsigned long count;
	struct time_span span;	/* of the records' event times */
	struct field_state f[];
};

enum output_mode { MODE_APPEND, MODE_UPDATE, MODE_COMPLETE };

struct aggregator {
	struct agg_spec spec;
	enum output_mode mode;
	hs_time trigger;	/* processing-time interval, 0: none */
	hs_time next_trigger;	/* monotonic clock, microseconds */
	unsigned long batch;
	hs_time watermark;
	const char *group_fields[MAX_KEYS];	/* into group_list */
	size_t ngroup;
	char *group_list, *field_list;	/* copies of -g and -f */
	const char *time_field;	/* -t */
	const char *scan_keys[2 + 2 * MAX_KEYS];	/* window, groups,
						 * values, time */
	size_t nscan;
	struct group **table;
	size_t nbuckets, ngroups;
	struct buf key, out;
	struct state_file *state;
	int checkpointed;	/* the input has carried checkpoints */
	int ended;		/* ... and its source ended cleanly */
	int stopped;		/* ... or stopped on request, to resume */
};

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

/* Checkpoints (checkpoint.c): save the state as the checkpoint the control
 * record line announces; restore the state of the checkpoint a resume
 * record names. */
void checkpoint_save(struct aggregator *a, const char *line, size_t len);
void checkpoint_restore(struct aggregator *a, const char *line, size_t len);

#endif
