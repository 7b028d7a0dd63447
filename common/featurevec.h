/*
 * featurevec.h - the feature vector of NDJSON records: a list of feature
 * names, and the values of one record's members of those names, as
 * XGBoost takes them (float, NaN where missing).
 */
#ifndef HS_FEATUREVEC_H
#define HS_FEATUREVEC_H

#include <stddef.h>

struct strtab;

/* The feature names of a model or a training set, and one record's
 * values of them. */
struct features {
	struct strtab *names;	/* name -> position */
	float *x;		/* the values of the last record read */
	unsigned *seen;		/* per position: the record setting it */
	unsigned record;
};

void features_init(struct features *fs);
/* Add a feature by name (if new); its position. */
size_t features_add(struct features *fs, const char *name, size_t len);
size_t features_count(const struct features *fs);
const char *features_name(const struct features *fs, size_t i);

/* Fill fs->x from the members of one JSON object record (valid, as
 * json_scan left it) whose names are features: numbers as they are, null
 * as missing (NaN). Returns the number of features the record lacks or
 * holds as something other than a number or null; *lacking names the
 * first of them. */
size_t features_read(struct features *fs, const char *line, size_t len,
    const char **lacking);

#endif
