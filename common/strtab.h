/*
 * strtab.h - a hash table of distinct byte strings, each numbered in the
 * order it was first added.
 *
 * A tool that keeps state per key (a sensor, a cycle, a feature name)
 * interns the key and keeps its state in an array at the key's number:
 * lookups take constant time however many keys there are, and walking the
 * array visits the keys in order of first appearance. Keys are copied;
 * they may hold any bytes, NUL included.
 */
#ifndef HS_STRTAB_H
#define HS_STRTAB_H

#include <stddef.h>

struct strtab;

struct strtab *strtab_new(void);
void strtab_free(struct strtab *t);

/* The number of key[0..len), added as the next number if new (then
 * *added is 1, else 0; added may be NULL). */
size_t strtab_add(struct strtab *t, const void *key, size_t len, int *added);

/* The number of key[0..len), or -1 when it was never added. */
long strtab_find(const struct strtab *t, const void *key, size_t len);

/* Key number i, NUL-terminated (valid until the next strtab_add), and its
 * length in *len unless len is NULL. */
const char *strtab_key(const struct strtab *t, size_t i, size_t *len);

size_t strtab_count(const struct strtab *t);

/* Fill order[0..strtab_count(t)) with the key numbers in the order of
 * their keys, each read from byte skip (past a tag the caller put first):
 * by value when both are numbers, else by their text, so that levels such
 * as 3, 20, 100 come in that order. */
void strtab_order(const struct strtab *t, size_t skip, size_t *order);

#endif
