/*
 * bytes.h - whether two short runs of bytes are the same, inline.
 *
 * Keys, the text between JSON values and timestamps are a few to a few
 * dozen bytes: overlapping loads of 8, 4 or 1 bytes compare them, cheaper
 * than a call of memcmp. Used by the JSON scanner and the time parser.
 */
#ifndef HS_BYTES_H
#define HS_BYTES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Whether the n bytes at a and b are the same. */
static inline int
bytes_same(const char *a, const char *b, size_t n)
{
	uint64_t x, y, u, v;
	uint32_t x4, y4, u4, v4;

	if (n >= 8) {
		for (; n > 16; a += 8, b += 8, n -= 8) {
			memcpy(&x, a, 8);
			memcpy(&y, b, 8);
			if (x != y)
				return 0;
		}
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		memcpy(&u, a + n - 8, 8);
		memcpy(&v, b + n - 8, 8);
		return ((x ^ y) | (u ^ v)) == 0;
	}
	if (n >= 4) {
		memcpy(&x4, a, 4);
		memcpy(&y4, b, 4);
		memcpy(&u4, a + n - 4, 4);
		memcpy(&v4, b + n - 4, 4);
		return ((x4 ^ y4) | (u4 ^ v4)) == 0;
	}
	return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] &&
	    a[n - 1] == b[n - 1]);
}

#endif
