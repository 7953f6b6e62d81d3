/* subprocess.c: run a child within a deadline and an output bound. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "array.h"
#include "subprocess.h"

extern char **environ;

/* How long a killed child gets to be reaped. */
#define KILL_GRACE_US (200 * 1000)

uint64_t np_monotonic_us(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* One descriptor being read: all of it up to @max (more is -EFBIG), or
 * with @drop_excess its first @max bytes and the rest thrown away, so
 * that the writer never blocks. */
typedef struct stream {
        int fd;
        bool open;
        bool drop_excess;
        size_t max;
        char *buf;
        size_t len, cap;
} stream;

static int stream_read(stream *s)
{
        char scratch[4096];
        ssize_t n;

        if (s->len > s->max || (s->drop_excess && s->len == s->max)) {
                n = read(s->fd, scratch, sizeof(scratch));
        } else {
                size_t room;

                /* room for max + 1 bytes tells "exactly max" from "more" */
                if (np_array_reserve(&s->buf, &s->cap, s->len + 4096 + 1) < 0)
                        return -ENOMEM;
                room = s->cap - s->len - 1;
                if (room > s->max + 1 - s->len)
                        room = s->max + 1 - s->len;
                n = read(s->fd, s->buf + s->len, room);
                if (n > 0)
                        s->len += (size_t)n;
        }
        if (n < 0)
                return errno == EINTR || errno == EAGAIN ? 0 : -errno;
        if (n == 0)
                s->open = false;
        if (s->len > s->max) {
                if (!s->drop_excess)
                        return -EFBIG;
                s->len = s->max;
        }
        return 0;
}

/* Read the open streams until each is at its end.  Returns 0,
 * -ETIMEDOUT, -EFBIG or -errno. */
static int drain(stream *s, size_t n, uint64_t deadline_us)
{
        for (;;) {
                struct pollfd p[2];
                bool any = false;
                uint64_t now, wait_ms;
                int r;

                for (size_t i = 0; i < n; i++) {
                        p[i] = (struct pollfd){ .fd = s[i].open ? s[i].fd : -1, .events = POLLIN };
                        any |= s[i].open;
                }
                if (!any)
                        return 0;
                now = np_monotonic_us();
                if (now >= deadline_us)
                        return -ETIMEDOUT;
                wait_ms = (deadline_us - now + 999) / 1000;
                r = poll(p, n, wait_ms > INT_MAX ? INT_MAX : (int)wait_ms);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r < 0)
                        return -errno;
                for (size_t i = 0; i < n; i++) {
                        if (!p[i].revents)
                                continue;
                        r = stream_read(&s[i]);
                        if (r < 0)
                                return r;
                }
        }
}

/* NUL-terminate what @s read and hand it over. */
static int stream_take(stream *s, char **ret, size_t *ret_len)
{
        if (np_array_reserve(&s->buf, &s->cap, s->len + 1) < 0)
                return -ENOMEM;
        s->buf[s->len] = '\0';
        *ret = s->buf;
        *ret_len = s->len;
        s->buf = NULL;
        return 0;
}

int np_fd_read_deadline(int fd, uint64_t deadline_us, size_t max, char **ret, size_t *ret_len)
{
        stream s = { .fd = fd, .open = true, .max = max };
        int r = drain(&s, 1, deadline_us);

        if (r == 0)
                r = stream_take(&s, ret, ret_len);
        free(s.buf);
        return r;
}

/* Wait for @pid until @until_us.  Whether it was reaped. */
static bool reap(pid_t pid, uint64_t until_us, int *status)
{
        for (;;) {
                struct timespec ms = { 0, 1000 * 1000 };
                pid_t r = waitpid(pid, status, WNOHANG);

                if (r == pid)
                        return true;
                if (r < 0 && errno != EINTR)
                        return false;
                if (np_monotonic_us() >= until_us)
                        return false;
                nanosleep(&ms, NULL);
        }
}

static int start(const np_subprocess *p, const int out[2], const int errp[2], pid_t *ret_pid,
                 np_subprocess_result *ret)
{
        posix_spawn_file_actions_t fa;
        pid_t pid;
        int r;

        if (!p->argv) {
                pid = fork();
                if (pid < 0) {
                        ret->failed = "fork";
                        return -errno;
                }
                if (pid == 0) {
                        close(out[0]);
                        p->child(out[1], p->userdata);
                        _exit(127);
                }
                *ret_pid = pid;
                return 0;
        }
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
        if (errp[1] >= 0)
                posix_spawn_file_actions_adddup2(&fa, errp[1], STDERR_FILENO);
        else
                posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
        r = posix_spawnp(&pid, p->argv[0], &fa, NULL, p->argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        if (r != 0) {
                ret->failed = p->argv[0];
                return -r;
        }
        *ret_pid = pid;
        return 0;
}

static void close_pair(int fds[2])
{
        for (int i = 0; i < 2; i++)
                if (fds[i] >= 0)
                        close(fds[i]);
}

int np_subprocess_run(const np_subprocess *p, np_subprocess_result *ret)
{
        int out[2] = { -1, -1 }, errp[2] = { -1, -1 };
        stream s[2] = {
                { .max = p->max_out },
                { .max = sizeof(ret->err) - 1, .drop_excess = true },
        };
        size_t n = p->argv && p->keep_stderr ? 2 : 1;
        pid_t pid = -1;
        int r;

        memset(ret, 0, sizeof(*ret));
        if (pipe2(out, O_CLOEXEC) < 0 || (n == 2 && pipe2(errp, O_CLOEXEC) < 0)) {
                ret->failed = "pipe";
                r = -errno;
                close_pair(out);
                return r;
        }
        r = start(p, out, errp, &pid, ret);
        close(out[1]);
        if (errp[1] >= 0)
                close(errp[1]);
        out[1] = errp[1] = -1;
        if (r < 0) {
                close_pair(out);
                close_pair(errp);
                return r;
        }
        s[0].fd = out[0];
        s[1].fd = errp[0];
        s[0].open = true;
        s[1].open = n == 2;
        r = drain(s, n, p->deadline_us);
        if (r == 0)
                r = stream_take(&s[0], &ret->out, &ret->out_len);
        if (s[1].len)
                memcpy(ret->err, s[1].buf, s[1].len);
        free(s[0].buf);
        free(s[1].buf);
        /* its output ended: it is exiting, unless it closed it to hang on */
        if (r == 0 && !(ret->reaped = reap(pid, p->deadline_us, &ret->status))) {
                np_subprocess_result_done(ret);
                r = -ETIMEDOUT;
        }
        if (r < 0) {
                /* killed before its pipes close: it ends by SIGKILL, not
                 * by a write that failed */
                ret->timed_out = r == -ETIMEDOUT;
                kill(pid, SIGKILL);
                ret->reaped = reap(pid, np_monotonic_us() + KILL_GRACE_US, &ret->status);
        }
        close_pair(out);
        close_pair(errp);
        return r;
}

void np_subprocess_result_done(np_subprocess_result *r)
{
        free(r->out);
        r->out = NULL;
        r->out_len = 0;
}
