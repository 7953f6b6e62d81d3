/* test_sysroot.c: reads below a root, and what they say when they fail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* A scratch root: files written by the test itself. */
static char root_dir[] = "/tmp/np-test-sysroot-XXXXXX";

static void put(const char *rel, const char *text)
{
        char path[PATH_MAX];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", root_dir, rel);
        f = fopen(path, "we");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
}

static int setup(void **state)
{
        char path[PATH_MAX];

        (void)state;
        if (!mkdtemp(root_dir))
                return -1;
        snprintf(path, sizeof(path), "%s/proc", root_dir);
        mkdir(path, 0755);
        put("proc/number", "  4096\n");
        put("proc/word", "12ab\n");
        put("proc/empty", "");
        put("proc/text", "0-3\n\n");
        return 0;
}

static int teardown(void **state)
{
        char cmd[PATH_MAX + 16];

        (void)state;
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root_dir);
        return system(cmd) == 0 ? 0 : -1;
}

static void test_reads(void **state)
{
        np_sysroot *root = NULL;
        np_error err = { "" };
        uint64_t v = 0;
        char *s = NULL, *buf = NULL;
        size_t len = 0;

        (void)state;
        assert_int_equal(np_sysroot_open(root_dir, &root, &err), 0);
        assert_false(root->live);
        assert_true(np_sysroot_exists(root, "/proc/text"));
        assert_false(np_sysroot_exists(root, "/proc/none"));

        assert_int_equal(np_sysroot_read_string(root, "/proc/text", &s, &err), 0);
        assert_string_equal(s, "0-3"); /* trailing white space stripped */
        free(s);

        assert_int_equal(np_sysroot_read_file(root, "/proc/text", 100, &buf, &len, &err), 0);
        assert_int_equal(len, 5);
        assert_memory_equal(buf, "0-3\n\n", 5);
        free(buf);

        assert_int_equal(np_sysroot_read_file(root, "/proc/text", 4, &buf, &len, &err), -EFBIG);
        assert_non_null(strstr(err.msg, "/proc/text: larger than 4 bytes"));

        assert_int_equal(np_sysroot_read_u64(root, "/proc/word", &v, &err), -EINVAL);
        assert_non_null(strstr(err.msg, "/proc/word: expected a number, found '12ab'"));
        /* leading white space is not a number either: kernel files have none */
        assert_int_equal(np_sysroot_read_u64(root, "/proc/number", &v, &err), -EINVAL);
        assert_int_equal(np_sysroot_read_u64(root, "/proc/empty", &v, &err), -EINVAL);

        assert_int_equal(np_sysroot_read_string(root, "/proc/none", &s, &err), -ENOENT);
        assert_non_null(strstr(err.msg, "/proc/none: No such file or directory"));
        np_sysroot_free(root);
}

static void test_display(void **state)
{
        np_sysroot *root = NULL;
        char buf[PATH_MAX], want[PATH_MAX], with_slash[PATH_MAX];

        (void)state;
        snprintf(with_slash, sizeof(with_slash), "%s/", root_dir);
        assert_int_equal(np_sysroot_open(with_slash, &root, NULL), 0);
        snprintf(want, sizeof(want), "%s/proc/1/maps", root_dir);
        assert_string_equal(np_sysroot_display(root, "/proc/1/maps", buf, sizeof(buf)), want);
        np_sysroot_free(root);

        assert_int_equal(np_sysroot_open("/", &root, NULL), 0);
        assert_true(root->live);
        assert_string_equal(np_sysroot_display(root, "/proc/1/maps", buf, sizeof(buf)), "/proc/1/maps");
        np_sysroot_free(root);
}

static void test_open_errors(void **state)
{
        np_sysroot *root = NULL;
        np_error err = { "" };
        char file[PATH_MAX];

        (void)state;
        assert_int_equal(np_sysroot_open("/nonexistent-np-root", &root, &err), -ENOENT);
        assert_string_equal(err.msg, "sysroot '/nonexistent-np-root': No such file or directory");
        snprintf(file, sizeof(file), "%s/proc/text", root_dir);
        assert_int_equal(np_sysroot_open(file, &root, &err), -ENOTDIR);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_reads),
                cmocka_unit_test(test_display),
                cmocka_unit_test(test_open_errors),
        };
        return cmocka_run_group_tests_name("sysroot", tests, setup, teardown);
}
