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

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "kafkacat.h"
#include "lineio.h"

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

/* The brokers' listening sockets, and a thread that connects to them
 * while a command waits (see above). */
struct waker {
	struct sockaddr_storage addr[MAX_LISTENERS];
	socklen_t addrlen[MAX_LISTENERS];
	int n;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int waiting, stopping;
};

/* Find the brokers' listening sockets, the only ones of this process,
 * opened by rd_kafka_mock_cluster_new among its first descriptors; set
 * TCP_NODELAY on them, which the connections they accept inherit. */
static void
find_listeners(struct waker *w)
{
	int fd, on = 1, listening;
	socklen_t len;

	for (fd = 3; fd < 256 && w->n < MAX_LISTENERS; fd++) {
		len = sizeof(listening);
		if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening,
		    &len) == -1 || !listening ||
		    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on,
		    sizeof(on)) == -1)
			continue;
		w->addrlen[w->n] = sizeof(w->addr[w->n]);
		if (getsockname(fd, (struct sockaddr *)&w->addr[w->n],
		    &w->addrlen[w->n]) == 0)
			w->n++;
	}
}

/* Connect to every broker and hang up. */
static void
knock(const struct waker *w)
{
	int i, fd;

	for (i = 0; i < w->n; i++)
		if ((fd = socket(w->addr[i].ss_family, SOCK_STREAM, 0)) != -1) {
			(void)connect(fd, (const struct sockaddr *)&w->addr[i],
			    w->addrlen[i]);
			close(fd);
		}
}

static void *
knocker(void *arg)
{
	struct waker *w = arg;
	const struct timespec ms = { 0, 1000000 };

	pthread_mutex_lock(&w->lock);
	while (!w->stopping) {
		if (!w->waiting) {
			pthread_cond_wait(&w->changed, &w->lock);
			continue;
		}
		pthread_mutex_unlock(&w->lock);
		knock(w);
		nanosleep(&ms, NULL);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static void
waker_start(struct waker *w)
{
	sigset_t all, mask;

	find_listeners(w);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->changed, NULL);
	sigfillset(&all);	/* signals stay the main thread's */
	pthread_sigmask(SIG_SETMASK, &all, &mask);
	if (pthread_create(&w->thread, NULL, knocker, w) != 0)
		hs_fatal("cannot start a thread");
	pthread_sigmask(SIG_SETMASK, &mask, NULL);
}

static void
waker_set(struct waker *w, int waiting)
{
	pthread_mutex_lock(&w->lock);
	w->waiting = waiting;
	pthread_cond_signal(&w->changed);
	pthread_mutex_unlock(&w->lock);
}

static void
waker_stop(struct waker *w)
{
	pthread_mutex_lock(&w->lock);
	w->stopping = 1;
	pthread_cond_signal(&w->changed);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->changed);
}

int
mock(int brokers)
{
	rd_kafka_mock_cluster_t *mc;
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	struct waker w = { .n = 0 };
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
	waker_start(&w);
	if (w.n != brokers)
		hs_warn("mock: found %d of the %d brokers' sockets: small "
		    "requests may wait 40 ms, commands 250 ms", w.n, brokers);
	printf("%s\n", rd_kafka_mock_cluster_bootstraps(mc));
	fflush(stdout);
	while (!stop_requested) {
		if (!lr_poll(lr, 200))
			continue;
		if ((line = lr_next(lr, &len)) == NULL)
			break;
		line[strcspn(line, "\r")] = '\0';
		if (line[0] != '\0') {
			waker_set(&w, 1);
			command(mc, line);
			waker_set(&w, 0);
		}
	}
	waker_stop(&w);
	lr_close(lr);
	rd_kafka_mock_cluster_destroy(mc);
	rd_kafka_destroy(rk);
	return hs_finish();
}
