/* test_atomic_file.c: replacing a report: the new content appears whole
 * or not at all, the previous file survives every failure, nothing is
 * left beside it, and the messages name the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "atomic_file.h"
#include "error.h"
#include "testutil.h"

static char dir[PATH_MAX];

static int setup(void **state)
{
        (void)state;
        snprintf(dir, sizeof(dir), "%s/np-atomic-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
        (void)state;
        return remove_tree(dir);
}

/* @tmpl with every '@' replaced by @value. */
static const char *subst(const char *tmpl, const char *value, char *buf, size_t len)
{
        size_t o = 0;

        for (; *tmpl && o + 1 < len; tmpl++) {
                if (*tmpl == '@')
                        o += (size_t)snprintf(buf + o, len - o, "%s", value);
                else
                        buf[o++] = *tmpl;
                if (o >= len)
                        o = len - 1;
        }
        buf[o] = '\0';
        return buf;
}

static const char *path_of(const char *name, char *buf, size_t len)
{
        snprintf(buf, len, "%s/%s", dir, name);
        return buf;
}

static void put(const char *name, const char *text)
{
        char p[PATH_MAX];
        FILE *f = fopen(path_of(name, p, sizeof(p)), "we");

        assert_non_null(f);
        fputs(text, f);
        assert_int_equal(fclose(f), 0);
}

static char *get(const char *name)
{
        static char buf[4096];
        char p[PATH_MAX];
        FILE *f = fopen(path_of(name, p, sizeof(p)), "re");
        size_t n;

        if (!f)
                return NULL;
        n = fread(buf, 1, sizeof(buf) - 1, f);
        buf[n] = '\0';
        fclose(f);
        return buf;
}

/* The directory's entries, sorted, joined with spaces. */
static char *listing(void)
{
        static char buf[4096];
        struct dirent **names;
        int n = scandir(dir, &names, NULL, alphasort);

        assert_true(n >= 0);
        buf[0] = '\0';
        for (int i = 0; i < n; i++) {
                if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
                        strcat(buf, buf[0] ? " " : "");
                        strcat(buf, names[i]->d_name);
                }
                free(names[i]);
        }
        free(names);
        return buf;
}

static int refuse(const char *path, void *userdata)
{
        (void)path;
        ++*(int *)userdata;
        return -EINTR;
}

static int count(const char *path, void *userdata)
{
        (void)path;
        ++*(int *)userdata;
        return 0;
}

/* What happens between open and the end, and what must be seen after. */
typedef enum { COMMIT, ABORT, HOOK_REFUSES } ending;

static const struct replace_case {
        const char *name;
        const char *previous;    /* NULL: no previous file */
        ending end;
        int want_r;
        const char *want_content; /* NULL: the target must not exist */
        const char *want_listing;
        const char *want_msg;     /* '@' stands for the target path */
} replace_cases[] = {
        { "new file", NULL, COMMIT, 0, "new report\n", "report.prom", "" },
        { "replaces", "old report\n", COMMIT, 0, "new report\n", "report.prom", "" },
        { "abort keeps the old", "old report\n", ABORT, 0, "old report\n", "report.prom", "" },
        { "abort leaves nothing", NULL, ABORT, 0, NULL, "", "" },
        { "refused before rename", "old report\n", HOOK_REFUSES, -EINTR, "old report\n", "report.prom",
          "@: not written: Interrupted system call (the previous file is kept)" },
};

static void test_replace(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(replace_cases) / sizeof(replace_cases[0]); i++) {
                const struct replace_case *c = &replace_cases[i];
                char target[PATH_MAX], want_msg[PATH_MAX + 256];
                np_error err = { "" };
                np_atomic_file af;
                int calls = 0, r = 0;

                print_message("case: %s\n", c->name);
                path_of("report.prom", target, sizeof(target));
                if (c->previous)
                        put("report.prom", c->previous);
                assert_int_equal(np_atomic_file_open(target, &af, &err), 0);
                fputs("new report\n", af.f);
                switch (c->end) {
                case COMMIT:
                        af.before_rename = count;
                        af.hook_userdata = &calls;
                        r = np_atomic_file_commit(&af, &err);
                        assert_int_equal(calls, 1);
                        break;
                case ABORT:
                        np_atomic_file_abort(&af);
                        np_atomic_file_abort(&af); /* twice is harmless */
                        break;
                case HOOK_REFUSES:
                        af.before_rename = refuse;
                        af.hook_userdata = &calls;
                        r = np_atomic_file_commit(&af, &err);
                        break;
                }
                assert_int_equal(r, c->want_r);
                subst(c->want_msg, target, want_msg, sizeof(want_msg));
                assert_string_equal(err.msg, want_msg);
                if (c->want_content) {
                        assert_string_equal(get("report.prom"), c->want_content);
                } else {
                        assert_null(get("report.prom"));
                }
                assert_string_equal(listing(), c->want_listing);
                unlink(target);
        }
}

/* Collectors run as other users: the report is 0644 whatever the umask. */
static void test_mode(void **state)
{
        char target[PATH_MAX];
        np_error err = { "" };
        np_atomic_file af;
        struct stat st;
        mode_t old = umask(077);

        (void)state;
        path_of("mode.json", target, sizeof(target));
        assert_int_equal(np_atomic_file_open(target, &af, &err), 0);
        fputs("{}\n", af.f);
        assert_int_equal(np_atomic_file_commit(&af, &err), 0);
        umask(old);
        assert_int_equal(stat(target, &st), 0);
        assert_int_equal(st.st_mode & 07777, 0644);
        unlink(target);
}

/* A reader holding the old file keeps reading the old content: the
 * file is replaced, not rewritten in place. */
static void test_reader_keeps_old(void **state)
{
        char target[PATH_MAX], buf[64] = "";
        np_error err = { "" };
        np_atomic_file af;
        int fd;

        (void)state;
        put("held.xml", "<old/>\n");
        path_of("held.xml", target, sizeof(target));
        fd = open(target, O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        assert_int_equal(np_atomic_file_open(target, &af, &err), 0);
        fputs("<new/>\n", af.f);
        assert_int_equal(np_atomic_file_commit(&af, &err), 0);
        assert_int_equal(read(fd, buf, sizeof(buf) - 1), 7);
        assert_string_equal(buf, "<old/>\n");
        close(fd);
        assert_string_equal(get("held.xml"), "<new/>\n");
        unlink(target);
}

static const struct open_case {
        const char *path;       /* '@' stands for the test directory */
        int want_r;
        const char *want_msg;
} open_cases[] = {
        { "", -EINVAL, "an empty file name" },
        { "@/missing/report.json", -ENOENT,
          "@/missing/report.json: cannot open its directory @/missing: No such file or directory" },
        { "@/", -EISDIR, "@/: names a directory, not a file" },
        { "@/..", -EISDIR, "@/..: names a directory, not a file" },
};

static void test_open_errors(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(open_cases) / sizeof(open_cases[0]); i++) {
                char path[PATH_MAX], want[PATH_MAX * 2 + 128];
                np_error err = { "" };
                np_atomic_file af;

                subst(open_cases[i].path, dir, path, sizeof(path));
                subst(open_cases[i].want_msg, dir, want, sizeof(want));
                assert_int_equal(np_atomic_file_open(path, &af, &err), open_cases[i].want_r);
                assert_string_equal(err.msg, want);
                assert_null(af.f);
                np_atomic_file_abort(&af); /* after a failed open: harmless */
        }
        assert_string_equal(listing(), "");
}

/* An existing target that is not a regular file is left alone: renaming
 * over it would put a regular file where a device or a FIFO was (as
 * root, /dev/null).  A symbolic link to a regular file replaces that
 * file and stays a link. */
static void test_special_targets(void **state)
{
        char target[PATH_MAX], real[PATH_MAX], want[PATH_MAX * 2 + 128];
        np_error err = { "" };
        np_atomic_file af;
        struct stat st;

        (void)state;
        path_of("report.prom", target, sizeof(target));

        assert_int_equal(mkdir(target, 0755), 0);
        assert_int_equal(np_atomic_file_open(target, &af, &err), -NP_ENOTREG);
        snprintf(want, sizeof(want), "%s: not written: a directory, not a regular file (left as it is)", target);
        assert_string_equal(err.msg, want);
        assert_int_equal(rmdir(target), 0);

        assert_int_equal(mkfifo(target, 0600), 0);
        assert_int_equal(np_atomic_file_open(target, &af, &err), -NP_ENOTREG);
        snprintf(want, sizeof(want), "%s: not written: a FIFO, not a regular file (left as it is)", target);
        assert_string_equal(err.msg, want);
        assert_int_equal(lstat(target, &st), 0);
        assert_true(S_ISFIFO(st.st_mode));
        assert_string_equal(listing(), "report.prom");
        unlink(target);

        /* a link to a device: the device of /dev/null, made here */
        if (mknod(path_of("null", real, sizeof(real)), S_IFCHR | 0666, makedev(1, 3)) < 0)
                assert_int_equal(symlink("/dev/null", real), 0);
        assert_int_equal(symlink("null", target), 0);
        assert_int_equal(np_atomic_file_open(target, &af, &err), -NP_ENOTREG);
        snprintf(want, sizeof(want), "%s: not written: a symbolic link to a character device, not a regular file (left as it is)", target);
        assert_string_equal(err.msg, want);
        assert_int_equal(stat(target, &st), 0);
        assert_true(S_ISCHR(st.st_mode));
        unlink(target);
        unlink(real);

        /* a link to a regular file: that file is replaced, the link stays */
        put("real.prom", "old\n");
        assert_int_equal(symlink("real.prom", target), 0);
        assert_int_equal(np_atomic_file_open(target, &af, &err), 0);
        fputs("new\n", af.f);
        assert_int_equal(np_atomic_file_commit(&af, &err), 0);
        assert_int_equal(lstat(target, &st), 0);
        assert_true(S_ISLNK(st.st_mode));
        assert_string_equal(get("real.prom"), "new\n");
        unlink(target);
        unlink(path_of("real.prom", real, sizeof(real)));

        /* a dangling link */
        assert_int_equal(symlink("nowhere", target), 0);
        assert_int_equal(np_atomic_file_open(target, &af, &err), -ENOENT);
        snprintf(want, sizeof(want), "%s: not written: a symbolic link to nothing", target);
        assert_string_equal(err.msg, want);
        unlink(target);
        assert_string_equal(listing(), "");
}

/* log_json: appended to as root, so never through a link, never a FIFO
 * or a device. */
static void test_log_file(void **state)
{
        char path[PATH_MAX], other[PATH_MAX], want[PATH_MAX * 2 + 64];
        np_error err = { "" };
        struct stat st;
        int fd;

        (void)state;
        path_of("log.json", path, sizeof(path));
        fd = np_log_file_open(path, &err);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, "a\n", 2), 2);
        close(fd);
        fd = np_log_file_open(path, &err);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, "b\n", 2), 2);
        close(fd);
        assert_string_equal(get("log.json"), "a\nb\n");
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0640 & ~(mode_t)umask(umask(0)));
        unlink(path);

        /* a link to a file someone wants root to write into */
        put("victim", "keep\n");
        assert_int_equal(symlink(path_of("victim", other, sizeof(other)), path), 0);
        assert_int_equal(np_log_file_open(path, &err), -ELOOP);
        snprintf(want, sizeof(want), "%s: a symbolic link, not followed", path);
        assert_string_equal(err.msg, want);
        assert_string_equal(get("victim"), "keep\n");
        unlink(path);
        unlink(other);

        /* a FIFO no one reads: refused at once, not waited on */
        assert_int_equal(mkfifo(path, 0600), 0);
        assert_int_equal(np_log_file_open(path, &err), -NP_ENOTREG);
        snprintf(want, sizeof(want), "%s: not a regular file (a FIFO)", path);
        assert_string_equal(err.msg, want);
        unlink(path);

        assert_int_equal(mkdir(path, 0755), 0);
        assert_int_equal(np_log_file_open(path, &err), -EISDIR);
        rmdir(path);
        assert_string_equal(listing(), "");
}

/* A path without a directory lands in the working directory. */
static void test_relative(void **state)
{
        char cwd[PATH_MAX];
        np_error err = { "" };
        np_atomic_file af;

        (void)state;
        assert_non_null(getcwd(cwd, sizeof(cwd)));
        assert_int_equal(chdir(dir), 0);
        assert_int_equal(np_atomic_file_open("here.prom", &af, &err), 0);
        fputs("x 1\n", af.f);
        assert_int_equal(np_atomic_file_commit(&af, &err), 0);
        assert_int_equal(chdir(cwd), 0);
        assert_string_equal(get("here.prom"), "x 1\n");
        assert_string_equal(listing(), "here.prom");
        unlink(path_of("here.prom", cwd, sizeof(cwd)));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_replace),
                cmocka_unit_test(test_special_targets),
                cmocka_unit_test(test_log_file),
                cmocka_unit_test(test_mode),
                cmocka_unit_test(test_reader_keeps_old),
                cmocka_unit_test(test_open_errors),
                cmocka_unit_test(test_relative),
        };

        return cmocka_run_group_tests(tests, setup, teardown);
}
