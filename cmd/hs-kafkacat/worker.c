/*
 * worker.c - a thread of hs-kafkacat's own beside librdkafka's (see
 * worker.h). It sleeps until asked, runs its job outside the lock, and
 * blocks every signal, so that SIGINT and SIGTERM reach the main thread
 * as they do with librdkafka's threads.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include "cli.h"
#include "worker.h"

struct worker {
	void (*job)(void *);
	void *arg;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t asked;
	int pending, repeating, stopping;
};

static void *
run(void *arg)
{
	struct worker *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->pending && !w->repeating && !w->stopping)
			pthread_cond_wait(&w->asked, &w->lock);
		if (w->stopping)
			break;
		w->pending = 0;
		pthread_mutex_unlock(&w->lock);
		w->job(w->arg);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct worker *
worker_start(void (*job)(void *), void *arg)
{
	struct worker *w = hs_xmalloc(sizeof(*w));
	sigset_t all, mask;

	w->job = job;
	w->arg = arg;
	w->pending = w->repeating = w->stopping = 0;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->asked, NULL);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &mask);
	if (pthread_create(&w->thread, NULL, run, w) != 0)
		hs_fatal("cannot start a thread");
	pthread_sigmask(SIG_SETMASK, &mask, NULL);
	return w;
}

/* Set a flag under the lock and wake the thread. */
static void
set(struct worker *w, int *flag, int value)
{
	pthread_mutex_lock(&w->lock);
	*flag = value;
	pthread_cond_signal(&w->asked);
	pthread_mutex_unlock(&w->lock);
}

void
worker_ask(struct worker *w)
{
	set(w, &w->pending, 1);
}

void
worker_repeat(struct worker *w, int repeat)
{
	set(w, &w->repeating, repeat);
}

void
worker_stop(struct worker *w)
{
	set(w, &w->stopping, 1);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->asked);
	free(w);
}
