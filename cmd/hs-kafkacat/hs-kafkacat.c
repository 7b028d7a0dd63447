/*
 * hs-kafkacat - NDJSON to Kafka and back, with kcat's flags where the
 * meaning is the same, and an embedded mock cluster.
 *
 *   hs-kafkacat -P -b B -t 'hydraulic-{sensor}' -k '{sensor}' <events
 *   hs-kafkacat -C -b B -G group -e '^hydraulic-.*'
 *   hs-kafkacat -L -b B
 *   hs-kafkacat --mock 3
 */
#include <ctype.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kafkacat.h"

volatile sig_atomic_t stop_requested;

enum {	/* long options without a short one */
	OPT_SOURCE = 256, OPT_WRAP, OPT_FAILED, OPT_CHECKPOINT, OPT_RESUME,
	OPT_MOCK, OPT_DOWN_TIMEOUT, OPT_BROADCAST, OPT_COMMIT_TO,
	OPT_COMMIT_FROM, OPT_TIME, OPT_IDLE, OPT_NO_WATERMARK, OPT_TZ
};

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
    "  -X prop=val   any librdkafka property (dump: print them all);\n"
    "                -F file: a properties file\n"
    "  -d contexts   librdkafka's debugging: broker,fetch,... or all\n"
    "  -m ms         how long to wait for brokers (default 10000)\n"
    "  --down-timeout d  exit 3 when every broker is gone for d (-C, 5m)\n"
    "  -q            quiet\n"
    "  --source      add \"_src\" (topic, partition, offset, key, ts) (-C)\n"
    "  --wrap        keep payloads that are not JSON objects as {\"_raw\":..}\n"
    "  --failed file write lines whose delivery failed to file (-P)\n"
    "  --checkpoint interval  write checkpoint records (-C, see hs(7))\n"
    "  --resume file start from the newest checkpoint in a state file\n"
    "  --broadcast field  send records with this member to every partition\n"
    "  --commit-to file   write a commit record's positions to file once\n"
    "                every message before it is delivered (-P)\n"
    "  --commit-from file commit the positions in file instead (-C)\n"
    "  --time field  event time for source watermarks (-C; timestamp)\n"
    "  --idle d      a partition silent for d stops holding them (30s)\n"
    "  --no-watermark  no source watermark records (-C)\n"
    "  --tz zone     zone of event times without one (default: $TZ)\n"
    "  --mock n      run a mock cluster of n brokers until stdin closes\n"
    "  -V            print the version; kcat's -D -E -K -u -Z as kcat(1)'s\n";

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

/* kcat's delimiter syntax: \t, \n, \r and \xNN escapes, else the text. */
static size_t
delimiter(const char *opt, const char *arg, char *out, size_t cap)
{
	size_t n = 0;
	unsigned int x;

	for (; *arg != '\0'; arg++) {
		if (n == cap - 1) {
			hs_warn("%s: delimiter too long", opt);
			usage();
		}
		if (*arg != '\\' || arg[1] == '\0')
			out[n++] = *arg;
		else if (*++arg == 't')
			out[n++] = '\t';
		else if (*arg == 'n')
			out[n++] = '\n';
		else if (*arg == 'r')
			out[n++] = '\r';
		else if (*arg == 'x' && sscanf(arg + 1, "%2x", &x) == 1) {
			out[n++] = (char)x;
			arg += isxdigit((unsigned char)arg[2]) ? 2 : 1;
		} else
			out[n++] = *arg;
	}
	out[n] = '\0';
	return n;
}

static void __attribute__((noreturn))
not_kcat(const char *why)
{
	hs_warn("%s", why);
	exit(HS_EXIT_USAGE);
}

/* kcat's flags: where hs-kafkacat has the meaning it takes them as kcat
 * does; where it has not, it says which of its flags does the job. */
static void
kcat_flag(struct options *o, int ch, const char *arg)
{
	char delim[16];

	switch (ch) {
	case 'E':	/* "do not exit on non-fatal errors": never does */
		break;
	case 'u':
		setvbuf(stdout, NULL, _IOLBF, 0);
		break;
	case 'Z':
		o->kcat_z = 1;
		break;
	case 'K':
		o->key_delim_len = delimiter("-K", arg, o->key_delim,
		    sizeof(o->key_delim));
		if (o->key_delim_len == 0)
			not_kcat("-K: an empty key delimiter");
		break;
	case 'D':
		if (strcmp(delimiter("-D", arg, delim, sizeof(delim)) == 1 ?
		    delim : "", "\n") != 0)
			not_kcat("-D: one JSON object a line is the only "
			    "framing; -D '\\n' (the default) is the only "
			    "delimiter");
		break;
	case 'J':
		not_kcat("-J: records stay the payload's JSON object; --source "
		    "adds \"_src\" with the topic, partition, offset, key "
		    "and timestamp");
	default:	/* -f */
		not_kcat("-f: output is NDJSON, not a format string; --source "
		    "adds the topic, partition, offset, key and timestamp, and "
		    "hs-fmt(1) formats records");
	}
}

/* The kcat flags that apply to one mode only. */
static void
kcat_mode_check(const struct options *o)
{
	if (o->key_delim_len > 0 && o->mode != 'P')
		not_kcat("-K with -C: records stay NDJSON; --source puts the "
		    "key in \"_src\"");
	if (o->kcat_z && o->mode == 'C')
		not_kcat("-Z with -C: a NULL or empty payload is not a JSON "
		    "object: it is skipped and counted, or kept as "
		    "{\"_raw\":\"\"} with --wrap");
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
		{ "source", no_argument, NULL, OPT_SOURCE },
		{ "wrap", no_argument, NULL, OPT_WRAP },
		{ "failed", required_argument, NULL, OPT_FAILED },
		{ "checkpoint", required_argument, NULL, OPT_CHECKPOINT },
		{ "resume", required_argument, NULL, OPT_RESUME },
		{ "mock", required_argument, NULL, OPT_MOCK },
		{ "down-timeout", required_argument, NULL, OPT_DOWN_TIMEOUT },
		{ "broadcast", required_argument, NULL, OPT_BROADCAST },
		{ "commit-to", required_argument, NULL, OPT_COMMIT_TO },
		{ "commit-from", required_argument, NULL, OPT_COMMIT_FROM },
		{ "time", required_argument, NULL, OPT_TIME },
		{ "idle", required_argument, NULL, OPT_IDLE },
		{ "no-watermark", no_argument, NULL, OPT_NO_WATERMARK },
		{ "tz", required_argument, NULL, OPT_TZ },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct options o = { .partition = RD_KAFKA_PARTITION_UA,
	    .timeout_ms = 10000, .down_timeout = 300 * 1000000LL,
	    .time_field = "timestamp", .idle = 30 * HS_USEC_PER_SEC,
	    .start = RD_KAFKA_OFFSET_BEGINNING, .start_ms = -1 };
	struct sigaction sa = { .sa_handler = on_signal };
	long mock_brokers = 0;
	int ch, i;

	hs_init("hs-kafkacat");
	while ((ch = getopt_long(argc, argv,
	    "CPLb:t:G:p:o:ec:k:qX:F:d:m:hVEuZK:D:Jf:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C': case 'P': case 'L': o.mode = (char)ch; break;
		case 'b': o.brokers = optarg; break;
		case 't': add_topic(&o, optarg); break;
		case 'G': o.group = optarg; break;
		case 'p':
			o.partition = (int32_t)hs_arg_long("-p", optarg, 0,
			    INT32_MAX, usage_text);
			break;
		case 'o':
			if (offset_parse(optarg, &o.start, &o.start_ms) == -1) {
				hs_warn("-o: expected beginning, end, stored, "
				    "N, -N or s@MS, not '%s'", optarg);
				usage();
			}
			break;
		case 'e': o.exit_at_end = 1; break;
		case 'c':
			o.count = hs_arg_long("-c", optarg, 1, LONG_MAX,
			    usage_text);
			break;
		case 'k': o.key = optarg; break;
		case 'q': o.quiet = 1; break;
		case 'X':
			if (o.nprops ==
			    (int)(sizeof(o.props) / sizeof(o.props[0])))
				usage();
			o.props[o.nprops++] = optarg;
			break;
		case 'F': o.conf_path = optarg; break;
		case 'd': o.debug = optarg; break;
		case 'm':
			o.timeout_ms = (int)hs_arg_long("-m", optarg, 1,
			    INT_MAX, usage_text);
			break;
		case OPT_SOURCE: o.source = 1; break;
		case OPT_WRAP: o.wrap = 1; break;
		case OPT_FAILED: o.failed_path = optarg; break;
		case OPT_CHECKPOINT:
			o.checkpoint = hs_arg_duration("--checkpoint", optarg,
			    0, usage_text);
			break;
		case OPT_RESUME: o.resume_path = optarg; break;
		case OPT_DOWN_TIMEOUT:
			o.down_timeout = hs_arg_duration("--down-timeout",
			    optarg, 1, usage_text);
			break;
		case OPT_BROADCAST: o.broadcast = optarg; break;
		case OPT_COMMIT_TO: o.commit_to = optarg; break;
		case OPT_COMMIT_FROM: o.commit_from = optarg; break;
		case OPT_TIME: o.time_field = optarg; break;
		case OPT_NO_WATERMARK: o.time_field = NULL; break;
		case OPT_IDLE:
			o.idle = hs_arg_duration("--idle", optarg, 0,
			    usage_text);
			break;
		case OPT_TZ:
			if (time_set_zone(optarg) == -1)
				usage();
			break;
		case OPT_MOCK:
			mock_brokers = hs_arg_long("--mock", optarg, 1,
			    INT_MAX, usage_text);
			break;
		case 'h': hs_usage(usage_text, 1);
		case 'V': hs_print_version();
		case 'E': case 'u': case 'Z': case 'K': case 'D': case 'J':
		case 'f': kcat_flag(&o, ch, optarg); break;
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
	kcat_mode_check(&o);
	if (o.mode == 'C')
		for (i = optind; i < argc; i++)
			add_topic(&o, argv[i]);
	else if (o.mode == 'P') {
		o.inputs = argv + optind;
		o.ninputs = argc - optind;
	}
	conf_build(&o);
	if (o.dump) {
		conf_dump(&o);
		return hs_finish();
	}
	switch (o.mode) {
	case 'P': return produce(&o);
	case 'C': return consume(&o);
	default: return metadata(&o);
	}
}
