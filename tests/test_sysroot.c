/* test_sysroot.c: reads below a root, and what they say when they fail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "testutil.h"
#include "numamaps.h"
#include "procmaps.h"
#include "proclines.h"

#include <dirent.h>
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
        snprintf(path, sizeof(path), "%s/proc/fifo", root_dir);
        mkfifo(path, 0600);
        snprintf(path, sizeof(path), "%s/proc/77", root_dir);
        mkdir(path, 0755);
        put("proc/77/numa_maps", "");
        snprintf(path, sizeof(path), "%s/proc/78", root_dir);
        mkdir(path, 0755);
        snprintf(path, sizeof(path), "%s/proc/78/numa_maps", root_dir);
        mkfifo(path, 0600);
        snprintf(path, sizeof(path), "%s/proc/78/maps", root_dir);
        mkdir(path, 0755);
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        return remove_tree(root_dir);
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

static int parse_range(const char *text, void *ret)
{
        unsigned a, b;
        int n = 0;

        if (sscanf(text, "%u-%u%n", &a, &b, &n) != 2 || text[n])
                return -EINVAL;
        *(unsigned *)ret = b - a + 1;
        return 0;
}

/* One value through a parser of the caller's; directories; regular files. */
static void test_value_dir_regular(void **state)
{
        np_sysroot *root = NULL;
        np_error err = { "" };
        unsigned count = 0;
        struct dirent *de;
        bool saw_77 = false;
        DIR *d;
        int fd;

        (void)state;
        assert_int_equal(np_sysroot_open(root_dir, &root, &err), 0);
        assert_int_equal(np_sysroot_read_value(root, "/proc/text", "a range", parse_range, &count, &err), 0);
        assert_int_equal(count, 4);
        count = 9;
        assert_int_equal(np_sysroot_read_value(root, "/proc/word", "a range", parse_range, &count, &err), -EINVAL);
        assert_non_null(strstr(err.msg, "/proc/word: expected a range, found '12ab'"));
        assert_int_equal(count, 9);
        assert_int_equal(np_sysroot_read_value(root, "/proc/none", "a range", parse_range, &count, &err), -ENOENT);

        d = np_sysroot_opendir(root, "/proc");
        assert_non_null(d);
        while ((de = readdir(d)))
                saw_77 |= strcmp(de->d_name, "77") == 0;
        closedir(d);
        assert_true(saw_77);
        errno = 0;
        assert_null(np_sysroot_opendir(root, "/proc/none"));
        assert_int_equal(errno, ENOENT);
        errno = 0;
        assert_null(np_sysroot_opendir(root, "/proc/text"));
        assert_int_equal(errno, ENOTDIR);

        fd = np_sysroot_openat(root, "/proc/77", O_RDONLY | O_DIRECTORY);
        assert_true(fd >= 0);
        assert_int_equal(np_fd_regular(fd, "77", &err), -NP_ENOTREG);  /* and closed */
        assert_string_equal(err.msg, "77: not a regular file (a directory)");
        fd = np_sysroot_openat(root, "/proc/text", O_RDONLY);
        assert_true(fd >= 0);
        assert_int_equal(np_fd_regular(fd, "text", &err), fd);
        close(fd);
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


/* FIFOs, directories: refused at once (a FIFO no one writes would block
 * the open and then the read forever), naming the file. */
static void test_special_files(void **state)
{
        np_sysroot *root = NULL;
        np_error err = { "" };
        char *buf = NULL, want[PATH_MAX + 64];
        size_t len;

        (void)state;
        assert_int_equal(np_sysroot_open(root_dir, &root, &err), 0);
        assert_int_equal(np_sysroot_read_file(root, "/proc/fifo", 1024, &buf, &len, &err), -NP_ENOTREG);
        snprintf(want, sizeof(want), "%s/proc/fifo: not a regular file", root_dir);
        assert_string_equal(err.msg, want);
        assert_int_equal(np_sysroot_read_file(root, "/proc", 1024, &buf, &len, &err), -NP_ENOTREG);

        assert_int_equal(np_numamaps_read(root, 78, NULL, NULL, &err), -NP_ENOTREG);
        snprintf(want, sizeof(want), "%s/proc/78/numa_maps: not a regular file", root_dir);
        assert_string_equal(err.msg, want);
        assert_int_equal(np_maps_read(root, 78, NULL, NULL, &err), -NP_ENOTREG);
        snprintf(want, sizeof(want), "%s/proc/78/maps: not a regular file", root_dir);
        assert_string_equal(err.msg, want);

        /* a file the user names: its kind is said */
        snprintf(want, sizeof(want), "%s/proc/fifo", root_dir);
        assert_int_equal(np_file_read(want, 1024, &buf, &len, &err), -NP_ENOTREG);
        strcat(want, ": not a regular file (a FIFO)");
        assert_string_equal(err.msg, want);
        assert_int_equal(np_file_read("/dev/zero", 1024, &buf, &len, &err), -NP_ENOTREG);
        assert_string_equal(err.msg, "/dev/zero: not a regular file (a character device)");
        np_sysroot_free(root);
}

static int count_line(char *line, void *userdata, np_error *err)
{
        (void)line;
        (void)err;
        ++*(unsigned *)userdata;
        return 0;
}

/* A line longer than the kernel ever prints is an error naming the
 * line, read in bounded memory; an empty maps or numa_maps of a process
 * that exists is an error, never "no pages". */
static void test_line_bounds(void **state)
{
        np_sysroot *root = NULL;
        np_error err = { "" };
        char want[PATH_MAX + 128];
        unsigned n = 0;
        char *big;

        (void)state;
        big = malloc(3 * NP_PROC_LINE_MAX);
        assert_non_null(big);
        strcpy(big, "7f00 default anon=1\n");
        memset(big + strlen(big), 'x', 2 * NP_PROC_LINE_MAX);
        big[strlen("7f00 default anon=1\n") + 2 * NP_PROC_LINE_MAX] = '\0';
        put("proc/77/maps", big);
        free(big);
        assert_int_equal(np_sysroot_open(root_dir, &root, &err), 0);
        assert_int_equal(np_proc_lines_read(root, 77, "maps", count_line, &n, &err), -E2BIG);
        assert_int_equal(n, 1);
        snprintf(want, sizeof(want), "%s/proc/77/maps: line 2: longer than %u bytes", root_dir, NP_PROC_LINE_MAX);
        assert_string_equal(err.msg, want);

        /* exactly at the bound is still a line */
        big = malloc(NP_PROC_LINE_MAX + 1);
        assert_non_null(big);
        memset(big, 'x', NP_PROC_LINE_MAX - 1);
        big[NP_PROC_LINE_MAX - 1] = '\n';
        big[NP_PROC_LINE_MAX] = '\0';
        put("proc/77/maps", big);
        free(big);
        n = 0;
        assert_int_equal(np_proc_lines_read(root, 77, "maps", count_line, &n, &err), 0);
        assert_int_equal(n, 1);

        assert_int_equal(np_numamaps_read(root, 77, NULL, NULL, &err), -ENODATA);
        snprintf(want, sizeof(want), "%s/proc/77/numa_maps: empty: process 77 has no mappings", root_dir);
        assert_memory_equal(err.msg, want, strlen(want));
        np_sysroot_free(root);
}

/* Symbolic links inside a replayed root stay inside it, through openat2
 * and through the walk used without it. */
static void test_jail(void **state)
{
        static const struct {
                const char *path;
                int ret;        /* 0: reads "  4096" */
        } cases[] = {
                { "/proc/in", 0 },                 /* relative, inside */
                { "/proc/dot/number", 0 },         /* a directory link */
                { "/proc/sub/../number", 0 },
                { "/proc/sub/uplink", 0 },         /* ../number from sub */
                { "/proc/abs", -EXDEV },           /* absolute */
                { "/proc/up", -EXDEV },            /* .. above the root */
                { "/sub/proc/self/status", -EXDEV }, /* proc -> ../../../proc */
                { "/proc/../../etc/hostname", -EXDEV },
                { "/proc/loop", -ELOOP },
                { "/proc/absdir/hostname", -EXDEV },
        };
        np_sysroot *root = NULL;
        np_error err = { "" };
        char path[PATH_MAX], up[PATH_MAX];

        (void)state;
        snprintf(path, sizeof(path), "%s/proc/sub", root_dir);
        mkdir(path, 0755);
        snprintf(path, sizeof(path), "%s/sub", root_dir);
        mkdir(path, 0755);
#define LINK(target, rel) do { snprintf(path, sizeof(path), "%s/%s", root_dir, rel); \
                               assert_int_equal(symlink(target, path), 0); } while (0)
        LINK("number", "proc/in");
        LINK(".", "proc/dot");
        LINK("../number", "proc/sub/uplink");
        LINK("/etc/hostname", "proc/abs");
        LINK("/etc", "proc/absdir");
        LINK("loop", "proc/loop");
        snprintf(up, sizeof(up), "../..%s/proc/number", root_dir);
        LINK(up, "proc/up");
        LINK("../../../proc", "sub/proc");
#undef LINK
        assert_int_equal(np_sysroot_open(root_dir, &root, &err), 0);
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char *s = NULL;
                int r, fd;

                print_message("  %s\n", cases[i].path);
                r = np_sysroot_read_string(root, cases[i].path, &s, &err);
                assert_int_equal(r, cases[i].ret);
                if (r == 0)
                        assert_string_equal(s, "  4096");
                else if (r == -EXDEV) {
                        snprintf(path, sizeof(path), "%s%s: leads outside the root", root_dir, cases[i].path);
                        assert_string_equal(err.msg, path);
                }
                free(s);
                assert_int_equal(np_sysroot_exists(root, cases[i].path), cases[i].ret == 0);

                fd = np_sysroot_walk_beneath(root->fd, cases[i].path + 1, O_RDONLY);
                assert_int_equal(fd < 0 ? fd : 0, cases[i].ret);
                if (fd >= 0) {
                        char b[16] = "";

                        assert_int_equal(read(fd, b, sizeof(b) - 1), 7);
                        assert_string_equal(b, "  4096\n");
                        close(fd);
                }
        }
        np_sysroot_free(root);

        /* live, "/" is the machine itself: its links are its own */
        assert_int_equal(np_sysroot_open("/", &root, &err), 0);
        assert_true(np_sysroot_exists(root, "/proc/self/status"));
        np_sysroot_free(root);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_reads),
                cmocka_unit_test(test_value_dir_regular),
                cmocka_unit_test(test_display),
                cmocka_unit_test(test_open_errors),
                cmocka_unit_test(test_special_files),
                cmocka_unit_test(test_line_bounds),
                cmocka_unit_test(test_jail),
        };
        return cmocka_run_group_tests_name("sysroot", tests, setup, teardown);
}
