/*
 * featurevec.c - the feature vector of a record (see featurevec.h): names
 * found by hash, values read by the zero-copy scanner.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "featurevec.h"
#include "json.h"
#include "strtab.h"

void
features_init(struct features *fs)
{
	memset(fs, 0, sizeof(*fs));
	fs->names = strtab_new();
}

size_t
features_count(const struct features *fs)
{
	return strtab_count(fs->names);
}

const char *
features_name(const struct features *fs, size_t i)
{
	return strtab_key(fs->names, i, NULL);
}

size_t
features_add(struct features *fs, const char *name, size_t len)
{
	size_t n = strtab_count(fs->names), i;
	int added;

	i = strtab_add(fs->names, name, len, &added);
	if (added) {
		fs->x = hs_xrealloc(fs->x, (n + 1) * sizeof(*fs->x));
		fs->seen = hs_xrealloc(fs->seen, (n + 1) * sizeof(*fs->seen));
		fs->x[i] = NAN;
		fs->seen[i] = 0;
	}
	return i;
}

size_t
features_read(struct features *fs, const char *line, size_t len,
    const char **lacking)
{
	struct json_span obj = { line, len, JSON_OBJECT }, key, val;
	const char *cursor = NULL;
	size_t n = features_count(fs), i, missing = 0;
	double d;
	long k;

	if (++fs->record == 0) {
		memset(fs->seen, 0, n * sizeof(*fs->seen));
		fs->record = 1;
	}
	while (json_next_member(&obj, &cursor, &key, &val) == 1) {
		if ((k = strtab_find(fs->names, key.p, key.len)) == -1)
			continue;
		if (val.type == JSON_NULL)
			fs->x[k] = NAN;
		else if (val.type == JSON_NUMBER && json_number(&val, &d) == 0)
			fs->x[k] = (float)d;
		else
			continue;
		fs->seen[k] = fs->record;
	}
	for (i = 0; i < n; i++)
		if (fs->seen[i] != fs->record && missing++ == 0)
			*lacking = features_name(fs, i);
	return missing;
}
