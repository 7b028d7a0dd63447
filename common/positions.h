/*
 * positions.h - positions in Kafka partitions: lists of
 * {"topic":T,"partition":P,"offset":O} as the control records carry them
 * (hs(7)), with the newest event time written in checkpoints, the names
 * of source partitions, and the small file through which the last stage of
 * a pipeline tells its consumer which offsets are safe to commit.
 *
 *   hs-agg --partial ... | hs-kafkacat -P ... --commit-to pos
 *   hs-kafkacat -C ... --commit-from pos | ...
 *
 * The file holds {"positions":[...],"checkpoint":ID} (the newest
 * checkpoint whose output is all acknowledged: where a replacement
 * resumes) and is replaced atomically (a temporary file renamed over
 * it), so a reader sees the old list or the new one, never a torn one.
 */
#ifndef HS_POSITIONS_H
#define HS_POSITIONS_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "jsonw.h"
#include "timefmt.h"

struct position {
	char *topic;
	int32_t partition;
	int64_t offset;		/* -1 when the list gives none */
	hs_time event_time;	/* "event_time", INT64_MIN when none */
};

struct positions {
	struct position *p;
	size_t n, cap;
};

/* Append the elements of a JSON array of positions to ps: 0, or -1 when
 * an element is not {"topic":string,"partition":int[,"offset":int]
 * [,"event_time":ISO-8601]}. */
int positions_parse(const struct json_span *arr, struct positions *ps);
void positions_add(struct positions *ps, const char *topic,
    int32_t partition, int64_t offset);
void positions_clear(struct positions *ps);
/* The position of a partition, or NULL. */
struct position *positions_find(const struct positions *ps,
    const char *topic, int32_t partition);
/* Append ps as a JSON array (offsets of -1 and event times of INT64_MIN
 * left out). */
void positions_put(struct buf *b, const struct positions *ps);

/* The name of a source partition, "topic/partition" (Kafka's topic names
 * hold no '/'), of the topic member (a JSON string) and partition of a
 * record's "_src", in name[cap]: its length, or -1 when the topic is not a
 * Kafka topic name (empty, holding '/', or too long). */
long source_name(char *name, size_t cap, const struct json_span *topic,
    long long partition);

/* Call each with the name ("topic/partition") of every partition of a
 * revoke control record (control.h); none when it is malformed. */
void positions_revoked(const char *line, size_t len,
    void (*each)(const char *name, size_t len, void *arg), void *arg);

/* Read a positions file into ps (cleared first): 0, or -1 when it is
 * missing or malformed (ps then empty). */
int positions_load(const char *path, struct positions *ps);
/* Replace the file at path by {"positions":ARRAY,"checkpoint":ID}
 * atomically, ARRAY being the JSON text of a positions array, ID the
 * newest checkpoint whose output is all acknowledged (left out when -1).
 * Fatal when it cannot be written. */
void positions_save(const char *path, const char *array, size_t len,
    long long checkpoint);
/* The "checkpoint" of such a file, or -1 when it has none or is no such
 * file. */
long long positions_checkpoint(const char *path);

#endif
