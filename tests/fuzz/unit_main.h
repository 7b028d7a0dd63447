/*
 * unit_main.h - the main of the harnesses that call a function of common/
 * directly (fuzz_one, defined before this is included): many inputs per
 * process under AFL++'s persistent mode, else one run per file named.
 */
#ifndef HS_FUZZ_UNIT_MAIN_H
#define HS_FUZZ_UNIT_MAIN_H

#ifdef __AFL_FUZZ_TESTCASE_LEN
#include <unistd.h>	/* read(2), in AFL++'s macros */
__AFL_FUZZ_INIT();
#endif

int
main(int argc, char *argv[])
{
	size_t len;
	char *data;
	int i;

#ifdef __AFL_FUZZ_TESTCASE_LEN
	unsigned char *buf;

	(void)argc;
	(void)argv;
	(void)i;
	__AFL_INIT();
	buf = __AFL_FUZZ_TESTCASE_BUF;
	while (__AFL_LOOP(100000)) {
		len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
		if ((data = malloc(len + 1)) == NULL)
			abort();
		memcpy(data, buf, len);
		data[len] = '\0';
		fuzz_one(data, len);
		free(data);
	}
#else
	for (i = 1; i < argc; i++) {
		data = read_input(argv[i], &len);
		fuzz_one(data, len);
		free(data);
	}
#endif
	return 0;
}

#endif
