/*
 * worker.h - a thread of hs-kafkacat's own beside librdkafka's, that runs
 * one job when asked: see worker.c.
 */
#ifndef HS_WORKER_H
#define HS_WORKER_H

struct worker;

/* Start a thread that runs job(arg) when asked; every signal stays the
 * main thread's. */
struct worker *worker_start(void (*job)(void *), void *arg);
/* Run the job once more, soon, unless a run is already asked for. */
void worker_ask(struct worker *w);
/* Run the job again and again (repeat 1) until told to stop (repeat 0). */
void worker_repeat(struct worker *w, int repeat);
/* Let a run in progress end, then stop the thread and free w. */
void worker_stop(struct worker *w);

#endif
