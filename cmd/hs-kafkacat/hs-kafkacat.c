/*
 * hs-kafkacat - NDJSON to Kafka and back, with kcat's flags where the
 * meaning is the same, and an embedded mock cluster.
 *
 *   hs-kafkacat -P -b B -t 'hydraulic-{sensor}' -k '{sensor}' <events
 *   hs-kafkacat -C -b B -G group -e '^hydraulic-.*'
 *   hs-kafkacat -L -b B
 *   hs-kafkacat --mock 3
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kafkacat.h"

volatile sig_atomic_t stop_requested;

static const char usage_text[] =
    "usage: hs-kafkacat -P -t topic [-k key] [-p partition] [--failed file]\n"
    "                   [options] [file ...]\n"
    "       hs-kafkacat -C -t topic [-p partition] [-o offset] [options]\n"
    "       hs-kafkacat -C -G group [options] topic|^regex ...\n"
    "       hs-kafkacat -L [-t topic] [options]\n"
    "       hs-kafkacat --mock brokers\n"
    "  -b brokers    bootstrap servers (default: $HS_BROKERS)\n"
    "  -t topic      topic; with -P a template such as 'hydraulic-{sensor}'\n"
    "  -k key        message key template, e.g. '{sensor}' (-P)\n"
    "  -G group      consume as a member of a balanced consumer group\n"
    "  -o offset     beginning, end, stored, N, -N (from the end), s@MS\n"
    "  -e            exit at the end of every assigned partition\n"
    "  -c count      exit after count messages\n"
    "  -X prop=val   any librdkafka property; -F file: a properties file\n"
    "  -m ms         how long to wait for brokers (default 10000)\n"
    "  -q            quiet\n"
    "  --source      add \"_src\" (topic, partition, offset, key, ts) (-C)\n"
    "  --wrap        keep payloads that are not JSON objects as {\"_raw\":..}\n"
    "  --failed file write lines whose delivery failed to file (-P)\n"
    "  --checkpoint interval  write checkpoint records (-C, see hs(7))\n"
    "  --resume file start from the newest checkpoint in a state file\n"
    "  --mock n      run a mock cluster of n brokers until stdin closes\n";

static void __attribute__((noreturn))
usage(void)
{
	hs_usage(usage_text, 0);
}

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static long
number_arg(const char *opt, const char *arg, long min)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (end == arg || *end != '\0' || v < min) {
		hs_warn("%s: expected a number, not '%s'", opt, arg);
		usage();
	}
	return v;
}

static void
add_topic(struct options *o, const char *topic)
{
	if (o->ntopics == MAX_TOPICS) {
		hs_warn("more than %d topics", MAX_TOPICS);
		usage();
	}
	o->topics[o->ntopics++] = topic;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "source", no_argument, NULL, 's' },
		{ "wrap", no_argument, NULL, 'W' },
		{ "failed", required_argument, NULL, 'E' },
		{ "checkpoint", required_argument, NULL, 'K' },
		{ "resume", required_argument, NULL, 'R' },
		{ "mock", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct options o = { .partition = RD_KAFKA_PARTITION_UA,
	    .timeout_ms = 10000 };
	struct sigaction sa = { .sa_handler = on_signal };
	long mock_brokers = 0;
	int ch, i;

	hs_init("hs-kafkacat");
	while ((ch = getopt_long(argc, argv, "CPLb:t:G:p:o:ec:k:qX:F:m:h",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'C': case 'P': case 'L': o.mode = (char)ch; break;
		case 'b': o.brokers = optarg; break;
		case 't': add_topic(&o, optarg); break;
		case 'G': o.group = optarg; break;
		case 'p': o.partition = (int32_t)number_arg("-p", optarg, 0); break;
		case 'o': o.offset = optarg; break;
		case 'e': o.exit_at_end = 1; break;
		case 'c': o.count = number_arg("-c", optarg, 1); break;
		case 'k': o.key = optarg; break;
		case 'q': o.quiet = 1; break;
		case 'X':
			if (o.nprops == (int)(sizeof(o.props) / sizeof(o.props[0])))
				usage();
			o.props[o.nprops++] = optarg;
			break;
		case 'F': o.conf_path = optarg; break;
		case 'm': o.timeout_ms = (int)number_arg("-m", optarg, 1); break;
		case 's': o.source = 1; break;
		case 'W': o.wrap = 1; break;
		case 'E': o.failed_path = optarg; break;
		case 'K':
			if (duration_parse(optarg, &o.checkpoint, 0) == -1) {
				hs_warn("--checkpoint: invalid interval '%s'",
				    optarg);
				usage();
			}
			break;
		case 'R': o.resume_path = optarg; break;
		case 'M': mock_brokers = number_arg("--mock", optarg, 1); break;
		case 'h': hs_usage(usage_text, 1);
		case 'V': hs_print_version();
		default: usage();
		}
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (mock_brokers > 0)
		return mock((int)mock_brokers);
	if (o.mode == 0) {
		hs_warn("one of -C, -P, -L or --mock is required");
		usage();
	}
	if (o.mode == 'C')
		for (i = optind; i < argc; i++)
			add_topic(&o, argv[i]);
	else if (o.mode == 'P') {
		o.inputs = argv + optind;
		o.ninputs = argc - optind;
	}
	conf_build(&o);
	switch (o.mode) {
	case 'P': return produce(&o);
	case 'C': return consume(&o);
	default: return metadata(&o);
	}
}
