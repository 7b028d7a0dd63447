/*
 * replay.c - fuzzing hs-replay's matrix reader: the input is a sensor's
 * matrix file (TS1.txt, 1 Hz, tab-separated) in a directory of its own,
 * replayed whole. No crash, and every line written is a JSON object in
 * valid UTF-8.
 */
#include "tool.h"

int
main(int argc, char *argv[])
{
	char name[] = "hs-replay", *av[3], *out;
	const char *dir;
	size_t len;
	char *data;

	if (argc != 2) {
		fprintf(stderr, "usage: %s input\n", argv[0]);
		return 2;
	}
	data = read_input(argv[1], &len);
	dir = make_scratch();
	free(write_file(dir, "TS1.txt", data, len));
	free(data);
	out = write_file(dir, "out", "", 0);
	capture_output(out, 1);
	av[0] = name;
	av[1] = (char *)dir;
	av[2] = NULL;
	return hs_tool_main(2, av);
}
