/*
 * window_memo.h - the window of the last record, remembered.
 *
 * hs-window appends the same `,"window":{...}` to consecutive records
 * (one window holds many events). A record that ends with the remembered
 * text is scanned only up to it, and the window's hash and bounds are
 * taken from the memo instead of being read again.
 */
#ifndef HS_WINDOW_MEMO_H
#define HS_WINDOW_MEMO_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "timefmt.h"

#define WINDOW_MEMO_MAX 160	/* longer windows are not remembered */

struct window_memo {
	char tail[WINDOW_MEMO_MAX];	/* ,"window":{...}} as a line ends */
	size_t len;		/* of tail; 0: nothing remembered */
	uint64_t hash;		/* of its text, as in a group key */
	int session;		/* a session window [start, end) */
	hs_time start, end;
};

/* json_scan_keys for a record, the first key being "window": 1 if the
 * record ends with the remembered window (its prefix alone was scanned;
 * out[0] is the window in line), 0 after a scan of the whole line, -1
 * (err set) if the line is not one JSON object. The line is changed while
 * it is scanned and restored before the return. */
int window_memo_scan(const struct window_memo *m, char *line, size_t len,
    const struct json_keys *keys, struct json_span *out,
    struct json_error *err);

/* Remember window, a member of the record line scanned whole, if it is
 * the record's last member, written as hs-window writes it. */
void window_memo_keep(struct window_memo *m, const char *line, size_t len,
    const struct json_span *window, uint64_t hash, int session,
    hs_time start, hs_time end);

#endif
