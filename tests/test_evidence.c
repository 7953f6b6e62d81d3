/* test_evidence.c: a whole check of one process in a tree written by the
 * test, for what a broken or hostile /proc must never pass as: counts
 * that wrap, an empty file, a kernel thread, another guest, a pid reused
 * meanwhile, a link out of the tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "testutil.h"
#include "check.h"
#include "intent.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

static const char domxml[] =
        "<domain type='kvm'><name>thp1</name>"
        "<memory unit='KiB'>2048</memory><vcpu>1</vcpu>"
        "<numatune><memory mode='strict' nodeset='0'/></numatune>"
        "<os><type arch='x86_64'>hvm</type></os></domain>";

static char dir[PATH_MAX];

static void put(const char *rel, const char *text, size_t len)
{
        char path[PATH_MAX], *slash;
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", dir, rel);
        for (slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
                *slash = '\0';
                mkdir(path, 0755);
                *slash = '/';
        }
        unlink(path);
        f = fopen(path, "we");
        assert_non_null(f);
        assert_int_equal(fwrite(text, 1, len, f), len);
        assert_int_equal(fclose(f), 0);
}

#define PUT(rel, lit) put(rel, lit, sizeof(lit) - 1)

#define STATUS "Name:\tqemu-system-x86\nCpus_allowed_list:\t0\nMems_allowed_list:\t0\n"
#define STAT "4242 (qemu-system-x86) S 1 4242 4242 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 %s 1 1 18446744073709551615\n"

/* A QEMU with one 2 MiB anonymous mapping for the guest RAM, bound to
 * node 0; @numa_maps is its numa_maps line(s). */
static void tree(const char *numa_maps)
{
        char stat[256];

        assert_int_equal(remove_tree(dir), 0);
        assert_int_equal(mkdir(dir, 0755), 0);
        PUT("proc/4242/status", STATUS);
        PUT("proc/4242/task/4242/status", STATUS);
        PUT("proc/4242/task/4242/comm", "qemu-system-x86\n");
        PUT("proc/4242/cmdline", "qemu-system-x86_64\0-name\0guest=thp1,debug-threads=on\0");
        PUT("proc/4242/maps", "7f0000000000-7f0000200000 rw-p 00000000 00:00 0 \n");
        snprintf(stat, sizeof(stat), STAT, "777");
        put("proc/4242/stat", stat, strlen(stat));
        put("proc/4242/numa_maps", numa_maps, strlen(numa_maps));
}

/* As the hook and `check DOMAIN` check: the pid from the domain's name. */
static int check_opts(np_check_result **res, bool pid_from_name, np_error *err)
{
        np_sysroot *root = NULL;
        np_intent *intent = NULL;
        int r;

        assert_int_equal(np_intent_from_domxml(domxml, sizeof(domxml) - 1, "t.xml", &intent, err), 0);
        assert_int_equal(np_sysroot_open(dir, &root, err), 0);
        *res = NULL;
        r = np_check_process(root, intent, 4242, &(np_check_options){ .pid_from_name = pid_from_name }, res, err);
        np_sysroot_free(root);
        np_intent_free(intent);
        return r;
}

static int check(np_check_result **res, np_error *err)
{
        return check_opts(res, true, err);
}

/* err->msg is "@dir" followed by @tail */
static void assert_msg(const np_error *err, const char *tail)
{
        char want[PATH_MAX + NP_ERROR_MAX];

        snprintf(want, sizeof(want), "%s%s", dir, tail);
        assert_string_equal(err->msg, want);
}

static void test_sane(void **state)
{
        np_check_result *res;
        np_error err = { "" };

        (void)state;
        tree("7f0000000000 bind:0 anon=512 dirty=512 N0=512 kernelpagesize_kB=4\n");
        assert_int_equal(check(&res, &err), 0);
        assert_int_equal(res->regions[0].verdict, NP_VERDICT_COMPLIANT);
        assert_int_equal(res->regions[0].total_kib, 2048);
        np_check_result_free(res);
}

static void test_counts_that_wrap(void **state)
{
        np_check_result *res;
        np_error err = { "" };

        (void)state;
        /* times 4 KiB wraps to 4 KiB: was "all 2 MiB on node 1" */
        tree("7f0000000000 bind:0 anon=1 N0=0 N1=4611686018427387905 kernelpagesize_kB=4\n");
        assert_int_equal(check(&res, &err), -EINVAL);
        assert_msg(&err, "/proc/4242/numa_maps: line 1: 4611686018427387905 pages of 4 KiB overflow");

        /* fits, but more than the mapping holds */
        tree("7f0000000000 bind:0 anon=1 N1=9007199254740993 kernelpagesize_kB=4\n");
        assert_int_equal(check(&res, &err), -ERANGE);
        assert_msg(&err, "/proc/4242/numa_maps: mapping 7f0000000000: 36028797018963972 KiB of pages, more than its length of 2048 KiB in maps");

        tree("7f0000000000 bind:0 N0=18446744073709551615\n");
        assert_int_equal(check(&res, &err), -EINVAL);
        assert_msg(&err, "/proc/4242/numa_maps: line 1: 18446744073709551615 pages of 4 KiB overflow");

        tree("7f0000000000 bind:0 N0=256 kernelpagesize_kB=0\n");
        assert_int_equal(check(&res, &err), -EINVAL);
        tree("7f0000000000 bind:0 N-1=256\n");
        assert_int_equal(check(&res, &err), -EINVAL);
        assert_msg(&err, "/proc/4242/numa_maps: line 1: N-1=256: expected N<node>=<pages>");
}

static void test_empty_is_not_no_pages(void **state)
{
        np_check_result *res;
        np_error err = { "" };

        (void)state;
        tree("");
        assert_int_equal(check(&res, &err), -ENODATA);
        assert_msg(&err, "/proc/4242/numa_maps: empty: process 4242 has no mappings (a kernel thread, or the file was not read in full)");
}

/* The guest RAM in maps but absent from numa_maps: not "no pages yet" */
static void test_mapping_missing_from_numa_maps(void **state)
{
        np_check_result *res;
        np_error err = { "" };

        (void)state;
        tree("7f1000000000 default anon=1 N0=1 kernelpagesize_kB=4\n");
        assert_int_equal(check(&res, &err), 0);
        assert_int_equal(res->regions[0].verdict, NP_VERDICT_UNVERIFIED);
        assert_string_equal(res->regions[0].reason,
                            "mapping 7f0000000000 is in maps but not in numa_maps: its pages could not be read");
        assert_int_equal(np_verdict_exit_code(res->verdict), 2);
        np_check_result_free(res);
}

static void test_kernel_thread(void **state)
{
        np_check_result *res;
        np_error err = { "" };

        (void)state;
        tree("");
        put("proc/4242/cmdline", "", 0);
        assert_int_equal(check(&res, &err), -ENOEXEC);
        assert_true(strstr(err.msg, "process 4242 is no QEMU: "));
        assert_true(strstr(err.msg, "/proc/4242/cmdline: empty: process 4242 is a kernel thread or no QEMU"));
        assert_null(strstr(err.msg, "exited"));
}

static void test_other_guest(void **state)
{
        np_check_result *res;
        np_error err = { "" };

        (void)state;
        tree("7f0000000000 bind:0 N0=512 kernelpagesize_kB=4\n");
        PUT("proc/4242/cmdline", "qemu-system-x86_64\0-name\0guest=web,,2,debug-threads=on\0");
        assert_int_equal(check(&res, &err), -ESRCH);
        assert_string_equal(err.msg, "process 4242 runs guest 'web,2', not 'thp1'");

        /* a pid given with an XML is the caller's pairing */
        assert_int_equal(check_opts(&res, false, &err), 0);
        np_check_result_free(res);
}

/* Swap /proc/4242/stat for one with another start time as soon as maps
 * is opened: after the first read of stat, before the last. */
static void *reuse_pid(void *arg)
{
        char path[PATH_MAX], buf[4096], stat[256];
        int fd = *(int *)arg;

        if (read(fd, buf, sizeof(buf)) <= 0)
                return NULL;
        snprintf(stat, sizeof(stat), STAT, "9999");
        put("proc/4242/stat.new", stat, strlen(stat));
        snprintf(path, sizeof(path), "%s/proc/4242/stat", dir);
        snprintf(buf, sizeof(buf), "%s.new", path);
        rename(buf, path);
        return NULL;
}

static void test_pid_reused(void **state)
{
        char path[PATH_MAX], *big;
        np_check_result *res;
        np_error err = { "" };
        const char line[] = "7f0000001000 default anon=1 N0=1 kernelpagesize_kB=4\n";
        const size_t n = 200000;
        pthread_t th;
        int fd;

        (void)state;
        /* a numa_maps long enough that the swap lands before its end */
        big = malloc(n * (sizeof(line) - 1) + 128);
        assert_non_null(big);
        strcpy(big, "7f0000000000 bind:0 N0=512 kernelpagesize_kB=4\n");
        for (size_t i = 0, at = strlen(big); i < n; i++, at += sizeof(line) - 1)
                memcpy(big + at, line, sizeof(line));
        tree(big);
        free(big);

        fd = inotify_init1(IN_CLOEXEC);
        assert_true(fd >= 0);
        snprintf(path, sizeof(path), "%s/proc/4242/maps", dir);
        assert_true(inotify_add_watch(fd, path, IN_OPEN) >= 0);
        assert_int_equal(pthread_create(&th, NULL, reuse_pid, &fd), 0);
        assert_int_equal(check(&res, &err), -ESRCH);
        pthread_join(th, NULL);
        close(fd);
        assert_string_equal(err.msg, "process 4242 exited while it was being checked (its pid was reused by another process)");
}

static void test_link_out_of_tree(void **state)
{
        char path[PATH_MAX];
        np_check_result *res;
        np_error err = { "" };

        (void)state;
        tree("7f0000000000 bind:0 N0=512 kernelpagesize_kB=4\n");
        snprintf(path, sizeof(path), "%s/proc/4242/task/4242/comm", dir);
        unlink(path);
        assert_int_equal(symlink("/etc/os-release", path), 0);
        assert_int_equal(check(&res, &err), -EXDEV);
        assert_msg(&err, "/proc/4242/task/4242/comm: leads outside the root");
}

static int setup(void **state)
{
        (void)state;
        snprintf(dir, sizeof(dir), "/tmp/np-test-evidence-%d", (int)getpid());
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        return remove_tree(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_sane),
                cmocka_unit_test(test_counts_that_wrap),
                cmocka_unit_test(test_empty_is_not_no_pages),
                cmocka_unit_test(test_mapping_missing_from_numa_maps),
                cmocka_unit_test(test_kernel_thread),
                cmocka_unit_test(test_other_guest),
                cmocka_unit_test(test_pid_reused),
                cmocka_unit_test(test_link_out_of_tree),
        };
        return cmocka_run_group_tests_name("evidence", tests, setup, teardown);
}
