/* test_procmaps.c: the /proc/PID/maps line parser and reader.
 *
 * Lines as show_vma_header_prefix() prints them: padded paths, paths with
 * spaces and " (deleted)", anonymous mappings with and without their
 * trailing space; bad lines by their message; the reader on fixture
 * trees and, as a smoke test, on this process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "error.h"
#include "procmaps.h"
#include "sysroot.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct good_line {
        const char *line;
        uint64_t start, end;
        const char *perms;
        uint64_t offset, inode;
        const char *path;
} good_line;

static const good_line good[] = {
        { "563ab8923000-563ab8925000 r--p 00000000 fe:00 247134                     /usr/bin/cat",
          0x563ab8923000, 0x563ab8925000, "r--p", 0, 247134, "/usr/bin/cat" },
        { "55d0c9200000-55d0c9400000 rw-p 00600000 fe:01 1312345                    /usr/bin/qemu-system-x86_64",
          0x55d0c9200000, 0x55d0c9400000, "rw-p", 0x600000, 1312345, "/usr/bin/qemu-system-x86_64" },
        { "7fb7dacda000-7fb7dad9e000 rw-p 00000000 00:00 0 ",
          0x7fb7dacda000, 0x7fb7dad9e000, "rw-p", 0, 0, "" },
        { "7fb7dacda000-7fb7dad9e000 ---p 00000000 00:00 0",
          0x7fb7dacda000, 0x7fb7dad9e000, "---p", 0, 0, "" },
        { "563abcff7000-563abd018000 rw-p 00000000 00:00 0                          [heap]",
          0x563abcff7000, 0x563abd018000, "rw-p", 0, 0, "[heap]" },
        { "7f0a00000000-7f0a40000000 rw-s 00000000 00:2f 41                         /dev/hugepages/libvirt/qemu/1-my vm/qemu_back_mem.ram-node0.cayoDy (deleted)",
          0x7f0a00000000, 0x7f0a40000000, "rw-s", 0, 41,
          "/dev/hugepages/libvirt/qemu/1-my vm/qemu_back_mem.ram-node0.cayoDy (deleted)" },
        { "7f0b00000000-7f0b40000000 rw-s 00000000 00:01 3072                       /memfd:memory-backend-memfd (deleted)",
          0x7f0b00000000, 0x7f0b40000000, "rw-s", 0, 3072, "/memfd:memory-backend-memfd (deleted)" },
        { "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]",
          UINT64_C(0xffffffffff600000), UINT64_C(0xffffffffff601000), "--xp", 0, 0, "[vsyscall]" },
        { "00400000-00452000 r-xp 00000000 103:02 123456789012                     /opt/a\\012b",
          0x400000, 0x452000, "r-xp", 0, UINT64_C(123456789012), "/opt/a\\012b" },
        { "7f00000000-7f00001000 rw-p 00000000 00:00 0 [anon:glibc malloc]",
          0x7f00000000, 0x7f00001000, "rw-p", 0, 0, "[anon:glibc malloc]" },
};

static void test_parse_good(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
                char *line = strdup(good[i].line);
                np_maps_entry e;
                np_error err = { { 0 } };

                assert_non_null(line);
                print_message("  line: %s\n", good[i].line);
                if (np_maps_parse_line(line, &e, &err) != 0)
                        fail_msg("%s: %s", good[i].line, err.msg);
                assert_int_equal(e.start, good[i].start);
                assert_int_equal(e.end, good[i].end);
                assert_string_equal(e.perms, good[i].perms);
                assert_int_equal(e.offset, good[i].offset);
                assert_int_equal(e.inode, good[i].inode);
                assert_string_equal(e.path, good[i].path);
                free(line);
        }
}

static const struct {
        const char *line;
        const char *msg;
} bad[] = {
        { "", "'': expected START-END addresses" },
        { "x000-2000 r--p 00000000 00:00 0", "'x000-2000': expected START-END addresses" },
        { "1000 r--p 00000000 00:00 0", "'1000': expected START-END addresses" },
        { "1000-2000", "'1000-2000': expected START-END addresses" },
        { "1000-20000000000000000 r--p 0 00:00 0", "'1000-20000000000000000': expected START-END addresses" },
        { "2000-1000 r--p 00000000 00:00 0", "'2000-1000': mapping ends before it starts" },
        { "1000-2000 r--p", "'r--p': expected permissions like 'rw-p'" },
        { "1000-2000 rwz- 00000000 00:00 0", "'rwz-': expected permissions like 'rw-p'" },
        { "1000-2000 rw-pp 00000000 00:00 0", "'rw-pp': expected permissions like 'rw-p'" },
        { "1000-2000 rw-p zz 00:00 0", "'zz': expected a hexadecimal offset" },
        { "1000-2000 rw-p 00000000 0000 0", "'0000': expected a device MAJOR:MINOR" },
        { "1000-2000 rw-p 00000000 00:0g 0", "'00:0g': expected a device MAJOR:MINOR" },
        { "1000-2000 rw-p 00000000 00:00", "'00:00': expected a device MAJOR:MINOR" },
        { "1000-2000 rw-p 00000000 00:00 x", "'x': expected an inode number" },
        { "1000-2000 rw-p 00000000 00:00 12x /a", "'12x': expected an inode number" },
};

static void test_parse_bad(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                char *line = strdup(bad[i].line);
                np_maps_entry e;
                np_error err = { { 0 } };

                assert_non_null(line);
                print_message("  line: '%s'\n", bad[i].line);
                assert_int_equal(np_maps_parse_line(line, &e, &err), -EINVAL);
                assert_string_equal(err.msg, bad[i].msg);
                free(line);
        }
}

typedef struct collected {
        unsigned n, stop_at;
        uint64_t size[16];
        char path[16][128];
} collected;

static int collect(const np_maps_entry *e, void *userdata)
{
        collected *c = userdata;

        if (c->n < 16) {
                c->size[c->n] = e->end - e->start;
                snprintf(c->path[c->n], sizeof(c->path[c->n]), "%s", e->path);
        }
        c->n++;
        return c->stop_at && c->n == c->stop_at ? -ECANCELED : 0;
}

static void test_read_fixture(void **state)
{
        np_sysroot *root = open_tree("process-v1");
        collected c = { 0 };
        np_error err = { { 0 } };

        (void)state;
        if (np_maps_read(root, 4242, collect, &c, &err) != 0)
                fail_msg("%s", err.msg);
        assert_int_equal(c.n, 10);
        assert_int_equal(c.size[3], UINT64_C(1073741824));
        assert_string_equal(c.path[3], "/dev/hugepages/libvirt/qemu/1-web1/qemu_back_mem.ram-node0.cayoDy (deleted)");
        assert_int_equal(c.size[4], UINT64_C(1073741824));
        assert_int_equal(c.size[5], 2097152);
        assert_string_equal(c.path[5], "");
        assert_string_equal(c.path[8], "[stack]");
        np_sysroot_free(root);

        root = open_tree("process-v1");
        memset(&c, 0, sizeof(c));
        c.stop_at = 3;
        assert_int_equal(np_maps_read(root, 4242, collect, &c, &err), -ECANCELED);
        assert_int_equal(c.n, 3);
        np_sysroot_free(root);
}

static void test_read_errors(void **state)
{
        static const struct {
                pid_t pid;
                int r;
                const char *suffix;
        } cases[] = {
                { 4343, -EINVAL, "/proc/4343/maps: line 3: '7f0a40000000-7f0a3f000000': mapping ends before it starts" },
                { 4344, -EINVAL, "/proc/4344/maps: line 2: truncated (no end of line)" },
                { 4345, -ESRCH, "/proc/4345/maps: process 4345 is not running" },
                { 4346, -ENOENT, "/proc/4346/maps: No such file or directory" },
        };
        char dir[PATH_MAX], want[PATH_MAX + 128];
        np_sysroot *root = open_tree("numamaps-bad");

        (void)state;
        data_dir("numamaps-bad", dir, sizeof(dir));
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                collected c = { 0 };
                np_error err = { { 0 } };

                assert_int_equal(np_maps_read(root, cases[i].pid, collect, &c, &err), cases[i].r);
                snprintf(want, sizeof(want), "%s%s", dir, cases[i].suffix);
                assert_string_equal(err.msg, want);
        }
        np_sysroot_free(root);
}

static int count_only(const np_maps_entry *e, void *userdata)
{
        (void)e;
        ++*(unsigned *)userdata;
        return 0;
}

/* Smoke test against the running kernel: this process's maps parse. */
static void test_live_self_maps_smoke(void **state)
{
        np_sysroot *root = NULL;
        np_error err = { { 0 } };
        unsigned n = 0;

        (void)state;
        assert_int_equal(np_sysroot_open("/", &root, &err), 0);
        if (np_maps_read(root, getpid(), count_only, &n, &err) != 0)
                fail_msg("%s", err.msg);
        assert_true(n >= 1);
        np_sysroot_free(root);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse_good),
                cmocka_unit_test(test_parse_bad),
                cmocka_unit_test(test_read_fixture),
                cmocka_unit_test(test_read_errors),
                cmocka_unit_test(test_live_self_maps_smoke),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
