/* test_subprocess.c: children bounded in time and output, and reads
 * with a deadline.  Deadlines are generous: what is asserted is how the
 * child ended, never how long it took. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "subprocess.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SOON (np_monotonic_us() + 10u * 1000 * 1000)     /* for children that end */
#define SHORT (np_monotonic_us() + 300u * 1000)          /* for those that never do */

static void answer(int fd, void *userdata)
{
        const char *text = userdata;

        if (write(fd, text, strlen(text)) < 0)
                _exit(1);
        _exit(0);
}

static void hang(int fd, void *userdata)
{
        (void)fd;
        (void)userdata;
        for (;;)
                pause();
}

static void flood(int fd, void *userdata)
{
        char block[4096];

        (void)userdata;
        memset(block, 'x', sizeof(block));
        for (;;)
                if (write(fd, block, sizeof(block)) < 0)
                        _exit(1);
}

static void die_by_signal(int fd, void *userdata)
{
        (void)fd;
        (void)userdata;
        signal(SIGTERM, SIG_DFL);
        raise(SIGTERM);
        _exit(0);
}

static void hang_up(int fd, void *userdata)
{
        (void)userdata;
        close(fd);
        for (;;)
                pause();
}

static void test_child_answers(void **state)
{
        np_subprocess p = { .child = answer, .userdata = "pong", .deadline_us = SOON, .max_out = 100 };
        np_subprocess_result res;

        (void)state;
        assert_int_equal(np_subprocess_run(&p, &res), 0);
        assert_false(res.timed_out);
        assert_true(res.reaped);
        assert_true(WIFEXITED(res.status));
        assert_int_equal(WEXITSTATUS(res.status), 0);
        assert_int_equal(res.out_len, 4);
        assert_string_equal(res.out, "pong");
        np_subprocess_result_done(&res);
}

static void test_command_answers(void **state)
{
        char *const argv[] = { "sh", "-c", "echo hello; echo 'it went wrong' >&2; exit 3", NULL };
        np_subprocess p = { .argv = argv, .deadline_us = SOON, .max_out = 100, .keep_stderr = true };
        np_subprocess_result res;

        (void)state;
        assert_int_equal(np_subprocess_run(&p, &res), 0);
        assert_true(res.reaped);
        assert_true(WIFEXITED(res.status));
        assert_int_equal(WEXITSTATUS(res.status), 3);
        assert_string_equal(res.out, "hello\n");
        assert_string_equal(res.err, "it went wrong\n");
        np_subprocess_result_done(&res);
}

static void test_stderr_kept_short(void **state)
{
        /* 2000 bytes of standard error: the start is kept, the rest read
         * and dropped, and the command is not held up by it */
        char *const argv[] = { "sh", "-c", "i=0; while [ $i -lt 200 ]; do printf 'abcdefghi\\n' >&2; i=$((i+1)); done; echo done", NULL };
        np_subprocess p = { .argv = argv, .deadline_us = SOON, .max_out = 100, .keep_stderr = true };
        np_subprocess_result res;

        (void)state;
        assert_int_equal(np_subprocess_run(&p, &res), 0);
        assert_string_equal(res.out, "done\n");
        assert_int_equal(strlen(res.err), NP_SUBPROCESS_STDERR_MAX - 1);
        assert_memory_equal(res.err, "abcdefghi\nabcdefghi\n", 20);
        np_subprocess_result_done(&res);
}

static void test_timeout_kills(void **state)
{
        np_subprocess p = { .child = hang, .deadline_us = SHORT, .max_out = 100 };
        np_subprocess_result res;

        (void)state;
        assert_int_equal(np_subprocess_run(&p, &res), -ETIMEDOUT);
        assert_true(res.timed_out);
        assert_true(res.reaped);
        assert_true(WIFSIGNALED(res.status));
        assert_int_equal(WTERMSIG(res.status), SIGKILL);
        assert_null(res.out);
        np_subprocess_result_done(&res);
}

static void test_closed_output_still_bounded(void **state)
{
        /* a child that closes its end and hangs on is killed at the deadline too */
        np_subprocess p = { .child = hang_up, .deadline_us = SHORT, .max_out = 100 };
        np_subprocess_result res;

        (void)state;
        assert_int_equal(np_subprocess_run(&p, &res), -ETIMEDOUT);
        assert_true(res.timed_out);
        assert_true(res.reaped);
        assert_int_equal(WTERMSIG(res.status), SIGKILL);
        np_subprocess_result_done(&res);
}

static void test_size_limit_kills(void **state)
{
        np_subprocess p = { .child = flood, .deadline_us = SOON, .max_out = 10000 };
        np_subprocess_result res;

        (void)state;
        assert_int_equal(np_subprocess_run(&p, &res), -EFBIG);
        assert_false(res.timed_out);
        assert_true(res.reaped);
        assert_true(WIFSIGNALED(res.status));
        assert_null(res.out);
        np_subprocess_result_done(&res);
}

static void test_exact_size_fits(void **state)
{
        np_subprocess p = { .child = answer, .userdata = "0123456789", .deadline_us = SOON, .max_out = 10 };
        np_subprocess_result res;

        (void)state;
        assert_int_equal(np_subprocess_run(&p, &res), 0);
        assert_string_equal(res.out, "0123456789");
        np_subprocess_result_done(&res);
        p.max_out = 9;
        assert_int_equal(np_subprocess_run(&p, &res), -EFBIG);
        np_subprocess_result_done(&res);
}

static void test_killed_by_signal(void **state)
{
        np_subprocess p = { .child = die_by_signal, .deadline_us = SOON, .max_out = 100 };
        np_subprocess_result res;

        (void)state;
        assert_int_equal(np_subprocess_run(&p, &res), 0);
        assert_false(res.timed_out);
        assert_true(res.reaped);
        assert_true(WIFSIGNALED(res.status));
        assert_int_equal(WTERMSIG(res.status), SIGTERM);
        assert_int_equal(res.out_len, 0);
        np_subprocess_result_done(&res);
}

static void test_command_not_found(void **state)
{
        char *const argv[] = { "/nonexistent/numaplace-test", NULL };
        np_subprocess p = { .argv = argv, .deadline_us = SOON, .max_out = 100 };
        np_subprocess_result res;

        (void)state;
        assert_int_equal(np_subprocess_run(&p, &res), -ENOENT);
        assert_string_equal(res.failed, "/nonexistent/numaplace-test");
        assert_false(res.reaped);
        assert_null(res.out);
}

static void test_read_deadline(void **state)
{
        int fds[2];
        char *buf = NULL;
        size_t len = 0;

        (void)state;
        assert_int_equal(pipe(fds), 0);
        assert_int_equal(write(fds[1], "<domain/>", 9), 9);
        close(fds[1]);
        assert_int_equal(np_fd_read_deadline(fds[0], SOON, 100, &buf, &len), 0);
        assert_int_equal(len, 9);
        assert_string_equal(buf, "<domain/>");
        free(buf);
        close(fds[0]);

        /* the writer stays open: no end of file before the deadline */
        buf = NULL;
        assert_int_equal(pipe(fds), 0);
        assert_int_equal(write(fds[1], "<dom", 4), 4);
        assert_int_equal(np_fd_read_deadline(fds[0], SHORT, 100, &buf, &len), -ETIMEDOUT);
        assert_null(buf);
        close(fds[1]);
        close(fds[0]);

        assert_int_equal(pipe(fds), 0);
        assert_int_equal(write(fds[1], "0123456789", 10), 10);
        close(fds[1]);
        assert_int_equal(np_fd_read_deadline(fds[0], SOON, 9, &buf, &len), -EFBIG);
        assert_null(buf);
        close(fds[0]);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_child_answers),
                cmocka_unit_test(test_command_answers),
                cmocka_unit_test(test_stderr_kept_short),
                cmocka_unit_test(test_timeout_kills),
                cmocka_unit_test(test_closed_output_still_bounded),
                cmocka_unit_test(test_size_limit_kills),
                cmocka_unit_test(test_exact_size_fits),
                cmocka_unit_test(test_killed_by_signal),
                cmocka_unit_test(test_command_not_found),
                cmocka_unit_test(test_read_deadline),
        };

        signal(SIGPIPE, SIG_IGN);
        return cmocka_run_group_tests(tests, NULL, NULL);
}
