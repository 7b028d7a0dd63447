/*
 * stage.c - fuzzing a tool that reads NDJSON (hs-fmt in each output mode,
 * hs-window, hs-agg, hs-detect): the input file is its input, with the
 * arguments STAGE_ARGS (a string the Makefile gives, split at spaces). No
 * crash, and whatever it writes is valid UTF-8, and valid NDJSON when
 * STAGE_NDJSON is 1.
 */
#include "tool.h"

int
main(int argc, char *argv[])
{
	char args[] = STAGE_ARGS, *av[16], *out;
	const char *dir;
	int ac = 0;
	char *p;

	if (argc != 2) {
		fprintf(stderr, "usage: %s input\n", argv[0]);
		return 2;
	}
	for (p = strtok(args, " "); p != NULL && ac < 14; p = strtok(NULL, " "))
		av[ac++] = p;
	av[ac++] = argv[1];
	av[ac] = NULL;
	dir = make_scratch();
	out = write_file(dir, "out", "", 0);
	capture_output(out, STAGE_NDJSON);
	return hs_tool_main(ac, av);
}
