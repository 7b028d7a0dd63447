/*
 * state.c - fuzzing what hs-agg reads from a state file: the input is
 * saved, with a correct checksum, as the state of checkpoint 1 of
 * `hs-agg -g sensor -a count,p50 -f value`, which is then resumed from it
 * and ended. A crafted state must be refused or restored, never crash the
 * stage, and the rows written must be JSON objects in valid UTF-8.
 */
#include "cli.h"
#include "state.h"
#include "tool.h"

#define CONFIG "mode=0 g=sensor a=0,9 f=value"
#define CHECKPOINT "{\"_hs\":\"checkpoint\",\"id\":1,\"positions\":[]}"
#define RESUME "{\"_hs\":\"resume\",\"id\":1}\n{\"_hs\":\"end\"}\n"

int
main(int argc, char *argv[])
{
	char args[] = "hs-agg -g sensor -a count,p50 -f value --state";
	char *av[10], *data, *in, *out, *p;
	struct state_file *sf;
	const char *dir;
	size_t len;
	int ac = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s input\n", argv[0]);
		return 2;
	}
	for (p = strtok(args, " "); p != NULL; p = strtok(NULL, " "))
		av[ac++] = p;
	data = read_input(argv[1], &len);
	dir = make_scratch();
	av[8] = write_file(dir, "a.state", "", 0);
	unlink(av[8]);
	sf = state_open(av[8], "hs-agg", CONFIG);
	state_save(sf, CHECKPOINT, strlen(CHECKPOINT), data, len);
	state_close(sf);
	free(data);
	in = write_file(dir, "in", RESUME, strlen(RESUME));
	if (freopen(in, "r", stdin) == NULL)
		abort();
	out = write_file(dir, "out", "", 0);
	capture_output(out, 1);
	av[9] = NULL;
	return hs_tool_main(9, av);
}
