/*
 * window_memo.c - the window of the last record, remembered (see
 * window_memo.h).
 *
 * Why scanning a prefix is enough: when the tail ,"window":W} of a valid
 * record is remembered, W is valid JSON. A line P,"window":W} is then one
 * valid object exactly when P} is one with at least one member, and its
 * members are those of P} and "window" last (the last duplicate wins, as
 * in json_scan). Any other line, valid or not, is scanned whole, so its
 * errors are reported as ever.
 */
#include <string.h>

#include "window_memo.h"

#define LEAD ",\"window\":"
#define LEAD_LEN (sizeof(LEAD) - 1)

/* Whether the text before cut, an object's opening brace and members if
 * the scan of it with a closing brace succeeds, holds a member: its last
 * byte but whitespace is not the brace. */
static int
member_before(const char *line, size_t cut)
{
	const char *p = line + cut;

	while (p > line && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n' ||
	    p[-1] == '\r'))
		p--;
	return p > line && p[-1] != '{';
}

int
window_memo_scan(const struct window_memo *m, char *line, size_t len,
    const struct json_keys *keys, struct json_span *out,
    struct json_error *err)
{
	size_t cut = len - m->len;
	int rc;

	if (m->len == 0 || len <= m->len ||
	    memcmp(line + cut, m->tail, m->len) != 0 ||
	    !member_before(line, cut))
		return json_scan_keys(line, len, keys, out, err);
	line[cut] = '}';
	rc = json_scan_keys(line, cut + 1, keys, out, err);
	line[cut] = ',';
	if (rc == -1)
		return json_scan_keys(line, len, keys, out, err);
	out[0].p = line + cut + LEAD_LEN;
	out[0].len = m->len - LEAD_LEN - 1;
	out[0].type = JSON_OBJECT;
	return 1;
}

void
window_memo_keep(struct window_memo *m, const char *line, size_t len,
    const struct json_span *window, uint64_t hash, int session,
    hs_time start, hs_time end)
{
	size_t n = LEAD_LEN + window->len + 1;

	if (window->type != JSON_OBJECT || n > sizeof(m->tail) ||
	    window->p + window->len + 1 != line + len || line[len - 1] != '}' ||
	    (size_t)(window->p - line) < LEAD_LEN + 1 ||
	    memcmp(window->p - LEAD_LEN, LEAD, LEAD_LEN) != 0)
		return;
	memcpy(m->tail, line + len - n, n);
	m->len = n;
	m->hash = hash;
	m->session = session;
	m->start = start;
	m->end = end;
}
