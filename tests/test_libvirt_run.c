/* test_libvirt_run.c: libvirt's pid file and status XML below a root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "testutil.h"
#include "intent.h"
#include "libvirt_run.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

/* A scratch root with /run/libvirt/qemu, written by the test itself. */
static char root_dir[] = "/tmp/np-test-libvirt-run-XXXXXX";

static void put(const char *name, const char *text, size_t len)
{
        char path[PATH_MAX];
        FILE *f;

        snprintf(path, sizeof(path), "%s/run/libvirt/qemu/%s", root_dir, name);
        f = fopen(path, "we");
        assert_non_null(f);
        assert_int_equal(fwrite(text, 1, len, f), len);
        assert_int_equal(fclose(f), 0);
}

#define PUT(name, text) put((name), (text), sizeof(text) - 1)

static int setup(void **state)
{
        const char *dirs[] = { "run", "run/libvirt", "run/libvirt/qemu" };
        char path[PATH_MAX];

        (void)state;
        if (!mkdtemp(root_dir))
                return -1;
        for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
                snprintf(path, sizeof(path), "%s/%s", root_dir, dirs[i]);
                if (mkdir(path, 0755) < 0)
                        return -1;
        }
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        return remove_tree(root_dir);
}

static np_sysroot *scratch_root(void)
{
        np_sysroot *root = NULL;
        np_error err = { "" };

        if (np_sysroot_open(root_dir, &root, &err) < 0)
                fail_msg("%s", err.msg);
        return root;
}

static void test_good_pid(void **state)
{
        static const struct {
                const char *name, *text;
                pid_t want;
        } cases[] = {
                { "plain", "4242", 4242 },            /* libvirt writes no newline */
                { "newline", "4243\n", 4243 },
                { "blanks", "4244 \n\n", 4244 },
                { "largest", "2147483647", 2147483647 },
        };
        np_sysroot *root = scratch_root();

        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char file[64];
                np_error err = { "" };
                pid_t pid = 0;

                snprintf(file, sizeof(file), "%s.pid", cases[i].name);
                put(file, cases[i].text, strlen(cases[i].text));
                assert_int_equal(np_libvirt_run_pid(root, cases[i].name, &pid, &err), 0);
                assert_int_equal(pid, cases[i].want);
        }
        np_sysroot_free(root);
}

static void test_bad_pid(void **state)
{
        static const struct {
                const char *name, *text;
                size_t len;
                const char *found;  /* what the message quotes */
        } cases[] = {
                { "empty", "", 0, "''" },
                { "letters", "12x", 3, "'12x'" },
                { "blank", " 5", 2, "' 5'" },
                { "sign", "+5", 2, "'+5'" },
                { "zero", "0", 1, "'0'" },
                { "too-big", "2147483648", 10, "'2147483648'" },
                { "two-numbers", "5\n6\n", 4, "'5\\x0a6'" },
        };
        np_sysroot *root = scratch_root();

        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char file[64], want[PATH_MAX + 128];
                np_error err = { "" };
                pid_t pid = 77;

                snprintf(file, sizeof(file), "%s.pid", cases[i].name);
                put(file, cases[i].text, cases[i].len);
                assert_int_equal(np_libvirt_run_pid(root, cases[i].name, &pid, &err), -EINVAL);
                assert_int_equal(pid, 77);
                snprintf(want, sizeof(want), "%s/run/libvirt/qemu/%s.pid: expected a pid, found %s",
                         root_dir, cases[i].name, cases[i].found);
                assert_string_equal(err.msg, want);
        }
        np_sysroot_free(root);
}

static void test_missing_pid(void **state)
{
        np_sysroot *root = scratch_root();
        char want[PATH_MAX + 64];
        np_error err = { "" };
        pid_t pid = 77;

        (void)state;
        assert_int_equal(np_libvirt_run_pid(root, "gone", &pid, &err), -ENOENT);
        assert_int_equal(pid, 77);
        snprintf(want, sizeof(want), "%s/run/libvirt/qemu/gone.pid: No such file or directory", root_dir);
        assert_string_equal(err.msg, want);
        np_sysroot_free(root);
}

#define DOMAIN(name, numatune) \
        "<domain type='kvm'>\n" \
        "  <name>" name "</name>\n" \
        "  <memory unit='KiB'>1048576</memory>\n" \
        "  <vcpu placement='auto'>2</vcpu>\n" \
        "  " numatune "\n" \
        "  <cpu><numa><cell id='0' cpus='0-1' memory='1048576' unit='KiB'/></numa></cpu>\n" \
        "</domain>\n"

static np_intent *intent_of(const char *xml)
{
        np_intent *intent = NULL;
        np_error err = { "" };

        if (np_intent_from_domxml(xml, strlen(xml), "t.xml", &intent, &err) < 0)
                fail_msg("%s", err.msg);
        return intent;
}

static void test_status_applied(void **state)
{
        np_intent *intent = intent_of(DOMAIN("auto", "<numatune><memory mode='strict' placement='auto'/></numatune>"));
        np_sysroot *root = scratch_root();
        np_error err = { "" };
        char buf[64];

        (void)state;
        PUT("auto.xml", "<domstatus state='running' pid='4242'>\n"
                        "  <numad nodeset='1,3' cpuset='4-11'/>\n"
                        "  " DOMAIN("auto", "<numatune><memory mode='strict' placement='auto'/></numatune>")
                        "</domstatus>\n");
        assert_false(intent->regions[0].has_nodes);
        assert_int_equal(np_libvirt_run_apply_status(root, "auto", intent, &err), 1);
        assert_true(intent->numad_resolved);
        assert_true(intent->regions[0].has_nodes);
        assert_string_equal(fmt(&intent->regions[0].nodes, buf, sizeof(buf)), "1,3");
        np_intent_free(intent);
        np_sysroot_free(root);
}

static void test_status_not_needed(void **state)
{
        np_intent *intent = intent_of(DOMAIN("static", "<numatune><memory mode='strict' nodeset='0'/></numatune>"));
        np_sysroot *root = scratch_root();
        np_error err = { "" };
        char buf[64];

        (void)state;
        /* no static.xml: a static placement does not look for it */
        assert_int_equal(np_libvirt_run_apply_status(root, "static", intent, &err), 0);
        assert_false(intent->numad_resolved);
        assert_string_equal(fmt(&intent->regions[0].nodes, buf, sizeof(buf)), "0");
        np_intent_free(intent);
        np_sysroot_free(root);
}

static void test_status_missing(void **state)
{
        np_intent *intent = intent_of(DOMAIN("nostatus", "<numatune><memory mode='strict' placement='auto'/></numatune>"));
        np_sysroot *root = scratch_root();
        char want[PATH_MAX + 64];
        np_error err = { "" };

        (void)state;
        assert_int_equal(np_libvirt_run_apply_status(root, "nostatus", intent, &err), -ENOENT);
        snprintf(want, sizeof(want), "%s/run/libvirt/qemu/nostatus.xml: No such file or directory", root_dir);
        assert_string_equal(err.msg, want);
        assert_false(intent->numad_resolved);
        assert_false(intent->regions[0].has_nodes);
        np_intent_free(intent);
        np_sysroot_free(root);
}

static void test_status_malformed(void **state)
{
        np_intent *intent = intent_of(DOMAIN("broken", "<numatune><memory mode='strict' placement='auto'/></numatune>"));
        np_sysroot *root = scratch_root();
        np_error err = { "" };

        (void)state;
        PUT("broken.xml", "<domstatus><numad nodeset='1'/>");
        assert_int_equal(np_libvirt_run_apply_status(root, "broken", intent, &err), -EINVAL);
        assert_non_null(strstr(err.msg, "/run/libvirt/qemu/broken.xml"));
        assert_false(intent->numad_resolved);
        np_intent_free(intent);
        np_sysroot_free(root);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_good_pid),
                cmocka_unit_test(test_bad_pid),
                cmocka_unit_test(test_missing_pid),
                cmocka_unit_test(test_status_applied),
                cmocka_unit_test(test_status_not_needed),
                cmocka_unit_test(test_status_missing),
                cmocka_unit_test(test_status_malformed),
        };

        return cmocka_run_group_tests(tests, setup, teardown);
}
