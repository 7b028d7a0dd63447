/*
 * state_forge.c - a test helper, not a test: writes the state text on
 * standard input into a state file as checkpoint ID, with a correct
 * checksum, so tests can hand a stage a crafted state it must refuse by
 * its content (tests/t0300-agg-state.t).
 *
 *   state_forge FILE TOOL CONFIG ID <state.json
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "jsonw.h"
#include "state.h"

int
main(int argc, char *argv[])
{
	struct state_file *sf;
	struct buf state = { 0 }, line = { 0 };
	char chunk[4096];
	size_t n;

	hs_init("state_forge");
	if (argc != 5) {
		fprintf(stderr, "usage: state_forge file tool config id\n");
		return HS_EXIT_USAGE;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		buf_put(&state, chunk, n);
	buf_printf(&line, "{\"_hs\":\"checkpoint\",\"id\":%s,\"positions\":[]}",
	    argv[4]);
	sf = state_open(argv[1], argv[2], argv[3]);
	state_save(sf, line.p, line.len, state.p ? state.p : "", state.len);
	state_close(sf);
	buf_free(&state);
	buf_free(&line);
	return hs_finish();
}
