/* subprocess.h: a child process bounded in time and in output.
 *
 * Whatever numaplace runs (`lxc query`, the hook's checking child) may
 * hang or print without end; the caller must still answer in time.  The
 * child's output is read until an absolute deadline and up to a size;
 * past either it is killed with SIGKILL and reaped within a short grace
 * (a child stuck in the kernel is left to init rather than stalling the
 * caller). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* CLOCK_MONOTONIC in microseconds: the clock deadlines are on. */
uint64_t np_monotonic_us(void);

/* Read @fd to its end before @deadline_us, at most @max bytes, into a
 * NUL-terminated buffer the caller frees.  Returns 0, -ETIMEDOUT when
 * the deadline passed first, -EFBIG when there is more than @max, or
 * -errno.  *@ret is set only on success; @fd stays open. */
int np_fd_read_deadline(int fd, uint64_t deadline_us, size_t max, char **ret, size_t *ret_len);

/* What to run: @argv through PATH (standard input /dev/null, standard
 * output read), or else @child called in a forked copy of this process
 * with the write end of the pipe that is read (it must not return; if it
 * does, the child exits 127).  A forked child may only be used by a
 * single-threaded caller. */
typedef struct np_subprocess {
        char *const *argv;
        void (*child)(int fd, void *userdata);
        void *userdata;
        uint64_t deadline_us;   /* on np_monotonic_us() */
        size_t max_out;         /* more output than this: killed */
        bool keep_stderr;       /* argv only: keep the start of standard error */
} np_subprocess;

#define NP_SUBPROCESS_STDERR_MAX 512

typedef struct np_subprocess_result {
        char *out;              /* NUL-terminated output; np_subprocess_result_done() frees */
        size_t out_len;
        char err[NP_SUBPROCESS_STDERR_MAX];  /* the start of standard error, NUL-terminated */
        bool timed_out;         /* killed: the deadline passed */
        bool reaped;            /* @status is its wait status */
        int status;
        const char *failed;     /* the call that could not start it: "pipe", "fork", argv[0] */
} np_subprocess_result;

/* Run @p and wait for it.  Returns 0 when the child ended by itself
 * (ret->status says how), -ETIMEDOUT when the deadline passed, -EFBIG
 * when it wrote more than max_out, another -errno when reading its
 * output failed (in all three it was killed), or -errno with
 * ret->failed set when it could not be started.  @ret is filled in
 * every case. */
int np_subprocess_run(const np_subprocess *p, np_subprocess_result *ret);

void np_subprocess_result_done(np_subprocess_result *r);
