/*
 * mock.c - the embedded Kafka cluster (--mock N): librdkafka's mock
 * brokers on loopback, speaking the real protocol, for the README, the
 * tests and debugging. It prints the bootstrap servers, then reads commands
 * on stdin until end of input or a signal:
 *
 *   topic NAME PARTITIONS        create a topic
 *   topic-error NAME ERRCODE     answer metadata requests for it with an error
 *   down BROKER | up BROKER      take a broker down or bring it back
 *   rtt BROKER MS                delay a broker's responses
 *   error APIKEY COUNT ERRCODE   fail the next COUNT requests of an API
 *   clear APIKEY                 forget the errors still pending for it
 *
 * Each partition keeps only the newest ~5 MB or 100,000 message sets. Its
 * connections send at once (TCP_NODELAY), as Kafka's brokers' do: without
 * it one small request in four waited 40 ms for the client's delayed
 * acknowledgement of the answer's first part.
 *
 * librdkafka 2.0's mock thread takes a command only when it wakes for a
 * connection's traffic or a timer: 250 ms later when no client is busy
 * (2,000 topics took minutes to create). While a command waits, a thread
 * of ours connects to the brokers every millisecond, which wakes it.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "kafkacat.h"
#include "lineio.h"
#include "worker.h"

#include <librdkafka/rdkafka_mock.h>	/* after rdkafka.h */

static void
command(rd_kafka_mock_cluster_t *mc, char *line)
{
	char name[256];
	int a, b, c, ok = 1;
	rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
	rd_kafka_resp_err_t errors[64];

	if (sscanf(line, "topic %255s %d", name, &a) == 2)
		err = rd_kafka_mock_topic_create(mc, name, a, 1);
	else if (sscanf(line, "topic-error %255s %d", name, &a) == 2)
		rd_kafka_mock_topic_set_error(mc, name, (rd_kafka_resp_err_t)a);
	else if (sscanf(line, "down %d", &a) == 1)
		err = rd_kafka_mock_broker_set_down(mc, a);
	else if (sscanf(line, "up %d", &a) == 1)
		err = rd_kafka_mock_broker_set_up(mc, a);
	else if (sscanf(line, "clear %d", &a) == 1)
		rd_kafka_mock_clear_request_errors(mc, (int16_t)a);
	else if (sscanf(line, "rtt %d %d", &a, &b) == 2)
		err = rd_kafka_mock_broker_set_rtt(mc, a, b);
	else if (sscanf(line, "error %d %d %d", &a, &b, &c) == 3 && b > 0 &&
	    b <= 64) {
		for (int i = 0; i < b; i++)
			errors[i] = (rd_kafka_resp_err_t)c;
		rd_kafka_mock_push_request_errors_array(mc, (int16_t)a,
		    (size_t)b, errors);
	} else
		ok = 0;
	if (!ok)
		hs_warn("mock: unknown command: %s", line);
	else if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
		hs_warn("mock: %s: %s", line, rd_kafka_err2str(err));
	else
		fprintf(stderr, "%s: mock: ok: %s\n", hs_progname(), line);
}

#define MAX_LISTENERS 64

/* The brokers' listening sockets. */
struct listeners {
	struct sockaddr_storage addr[MAX_LISTENERS];
	socklen_t addrlen[MAX_LISTENERS];
	int n;
};

/* Find the brokers' listening sockets, the only ones of this process,
 * opened by rd_kafka_mock_cluster_new among its first descriptors; set
 * TCP_NODELAY on them, which the connections they accept inherit. */
static void
find_listeners(struct listeners *l)
{
	int fd, on = 1, listening;
	socklen_t len;

	for (fd = 3; fd < 256 && l->n < MAX_LISTENERS; fd++) {
		len = sizeof(listening);
		if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening,
		    &len) == -1 || !listening ||
		    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on,
		    sizeof(on)) == -1)
			continue;
		l->addrlen[l->n] = sizeof(l->addr[l->n]);
		if (getsockname(fd, (struct sockaddr *)&l->addr[l->n],
		    &l->addrlen[l->n]) == 0)
			l->n++;
	}
}

/* Connect to every broker and hang up, then rest a millisecond: the
 * worker's job while a command waits. */
static void
knock(void *arg)
{
	const struct listeners *l = arg;
	const struct timespec ms = { 0, 1000000 };
	int i, fd;

	for (i = 0; i < l->n; i++)
		if ((fd = socket(l->addr[i].ss_family, SOCK_STREAM, 0)) != -1) {
			(void)connect(fd, (const struct sockaddr *)&l->addr[i],
			    l->addrlen[i]);
			close(fd);
		}
	nanosleep(&ms, NULL);
}

int
mock(int brokers)
{
	rd_kafka_mock_cluster_t *mc;
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	struct listeners l = { .n = 0 };
	struct worker *knocker;
	struct line_reader *lr = lr_open(NULL, 0);
	char errstr[512], *line;
	size_t len;
	rd_kafka_t *rk;

	/* the handle only hosts the cluster: no warning that it has no
	 * brokers of its own */
	rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof(errstr));
	if ((rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr,
	    sizeof(errstr))) == NULL)
		hs_fatal("%s", errstr);
	if ((mc = rd_kafka_mock_cluster_new(rk, brokers)) == NULL)
		hs_fatal("cannot start a mock cluster of %d brokers", brokers);
	find_listeners(&l);
	if (l.n != brokers)
		hs_warn("mock: found %d of the %d brokers' sockets: small "
		    "requests may wait 40 ms, commands 250 ms", l.n, brokers);
	knocker = worker_start(knock, &l);
	printf("%s\n", rd_kafka_mock_cluster_bootstraps(mc));
	fflush(stdout);
	while (!stop_requested) {
		if (!lr_poll(lr, 200))
			continue;
		if ((line = lr_next(lr, &len)) == NULL)
			break;
		line[strcspn(line, "\r")] = '\0';
		if (line[0] != '\0') {
			worker_repeat(knocker, 1);
			command(mc, line);
			worker_repeat(knocker, 0);
		}
	}
	worker_stop(knocker);
	lr_close(lr);
	rd_kafka_mock_cluster_destroy(mc);
	rd_kafka_destroy(rk);
	return hs_finish();
}
