/* test_capture.c: redaction, one table row per kind of secret, and a
 * capture of a scenario tree that replays to the same check document. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "check.h"
#include "host.h"
#include "intent.h"
#include "report.h"
#include "testutil.h"

typedef struct rcase {
        const char *name;
        np_capture_kind kind;
        const char *in;
        const char *want;
        const char *want_log;  /* substring; NULL: nothing redacted */
} rcase;

static const rcase cases[] = {
        { "-object secret data=", NP_CAPTURE_CMDLINE, "-object\0secret,id=sec0,data=TOPSECRET",
          "-object\0secret,id=sec0,data=REDACTED", "argument 1 (-object, id sec0): the value of 'data'" },
        { "JSON secret object", NP_CAPTURE_CMDLINE,
          "-object\0{\"qom-type\":\"secret\",\"id\":\"libvirt-1-secret0\",\"data\":\"c2VjcmV0\\\"x\",\"keyid\":\"masterKey0\"}",
          "-object\0{\"qom-type\":\"secret\",\"id\":\"libvirt-1-secret0\",\"data\":\"REDACTED\",\"keyid\":\"masterKey0\"}",
          "(-object, id libvirt-1-secret0): the value of 'data'" },
        { "RBD key inside file=", NP_CAPTURE_CMDLINE,
          "-drive\0file=rbd:pool/img:id=admin:key=AQBRBDKEY==:auth_supported=cephx,if=none",
          "-drive\0file=rbd:pool/img:id=admin:key=REDACTED:auth_supported=cephx,if=none", "the value of 'key'" },
        { "password= of a block driver", NP_CAPTURE_CMDLINE, "-drive\0file.driver=iscsi,file.password=hunter22,file.user=bob",
          "-drive\0file.driver=iscsi,file.password=REDACTED,file.user=bob", "the value of 'file.password'" },
        { "password in an iSCSI URL", NP_CAPTURE_CMDLINE, "-drive\0file=iscsi://bob%hunter22@host/iqn.x/1,if=none",
          "-drive\0file=iscsi://bob%REDACTED@host/iqn.x/1,if=none", "password in URL" },
        { "password in an http URL", NP_CAPTURE_CMDLINE, "-cdrom\0https://bob:hunter22@example.org/a.iso",
          "-cdrom\0https://bob:REDACTED@example.org/a.iso", "password in URL" },
        { "a comma escaped in a value", NP_CAPTURE_CMDLINE, "-object\0secret,data=a,,b,id=s1",
          "-object\0secret,data=REDACTED,id=s1", "the value of 'data'" },
        { "booleans and references stay", NP_CAPTURE_CMDLINE,
          "-vnc\0:0,password=on\0-drive\0password-secret=sec0,key-secret=sec1,keyid=k",
          "-vnc\0:0,password=on\0-drive\0password-secret=sec0,key-secret=sec1,keyid=k", NULL },
        { "memory backends stay as they are", NP_CAPTURE_CMDLINE,
          "-object\0{\"qom-type\":\"memory-backend-ram\",\"id\":\"ram-node0\",\"size\":67108864,\"host-nodes\":[1],\"policy\":\"bind\"}",
          "-object\0{\"qom-type\":\"memory-backend-ram\",\"id\":\"ram-node0\",\"size\":67108864,\"host-nodes\":[1],\"policy\":\"bind\"}",
          NULL },
        { "JSON: a secret nested in an array of objects", NP_CAPTURE_CMDLINE,
          "-blockdev\0{\"driver\":\"rbd\",\"server\":[{\"host\":\"mon1\",\"password\":\"hunter22\"}],\"key\":12}",
          "-blockdev\0{\"driver\":\"rbd\",\"server\":[{\"host\":\"mon1\",\"password\":\"REDACTED\"}],\"key\":12}",
          "argument 1 (-blockdev): the value of 'password'" },
        { "JSON in single quotes, as QEMU takes it", NP_CAPTURE_CMDLINE,
          "-object\0{'qom-type':'secret','id':'s2','data':'TOPSECRET'}",
          "-object\0{'qom-type':'secret','id':'s2','data':'REDACTED'}", "the value of 'data'" },
        { "JSON that does not parse is redacted whole", NP_CAPTURE_CMDLINE,
          "-object\0{\"qom-type\":\"secret\",\"data\":\"TOPSECRET\",}",
          "-object\0REDACTED", "the value of 'JSON that does not parse'" },
        { "graphics passwd attribute", NP_CAPTURE_XML,
          "<domain>\n  <devices>\n    <graphics type='vnc' port='-1' passwd='VNCSECRET'/>\n  </devices>\n</domain>\n",
          "<domain>\n  <devices>\n    <graphics type='vnc' port='-1'/>\n  </devices>\n</domain>\n",
          "line 3: the passwd attribute of <graphics>" },
        { "passwd= in text is not an attribute", NP_CAPTURE_XML, "<description>set passwd='x' later</description>",
          "<description>set passwd='x' later</description>", NULL },
        { "-readconfig password", NP_CAPTURE_CONFIG, "[drive \"d0\"]\n  file.password = \"hunter22\"\n  if = \"none\"\n",
          "[drive \"d0\"]\n  file.password = \"REDACTED\"\n  if = \"none\"\n", "line 2: the value of 'file.password'" },
};

static void test_redact_table(void **state)
{
        (void)state;
        for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
                const rcase *k = &cases[c];
                /* the cmdline rows are NUL-separated: measure to the last argument */
                size_t len = strlen(k->in), want_len = strlen(k->want);
                np_capture *cap = np_capture_new();
                char *out = NULL;
                size_t out_len = 0;

                if (k->kind == NP_CAPTURE_CMDLINE) {
                        len += 1 + strlen(k->in + len + 1);
                        want_len += 1 + strlen(k->want + want_len + 1);
                        if (strstr(k->name, "references")) {
                                len += 1 + strlen(k->in + len + 1);
                                len += 1 + strlen(k->in + len + 1);
                                want_len = len;
                        }
                }
                assert_non_null(cap);
                assert_int_equal(np_capture_redact(cap, "f", k->in, len, k->kind, &out, &out_len), 0);
                if (out_len != want_len || memcmp(out, k->want, want_len) != 0)
                        fail_msg("%s: got '%.*s'", k->name, (int)out_len, out);
                if (k->want_log ? !strstr(np_capture_redactions(cap), k->want_log)
                                : np_capture_n_redactions(cap) != 0)
                        fail_msg("%s: redactions '%s'", k->name, np_capture_redactions(cap));
                free(out);
                np_capture_free(cap);
        }
}

/* A value found in the command line is wiped from every later file. */
static void test_secret_swept_from_other_files(void **state)
{
        static const char argv[] = "-object\0secret,id=s,data=TOPSECRET99";
        static const char other[] = "line with TOPSECRET99 in it, and TOPSECRET99 again\n";
        np_capture *cap = np_capture_new();
        char *out = NULL;
        size_t len;

        (void)state;
        assert_int_equal(np_capture_redact(cap, "proc/1/cmdline", argv, sizeof(argv) - 1, NP_CAPTURE_CMDLINE,
                                           &out, &len), 0);
        free(out);
        assert_int_equal(np_capture_redact(cap, "notes", other, strlen(other), NP_CAPTURE_PLAIN, &out, &len), 0);
        assert_string_equal(out, "line with REDACTED in it, and REDACTED again\n");
        assert_non_null(strstr(np_capture_redactions(cap), "notes: a value redacted elsewhere"));
        free(out);
        np_capture_free(cap);
}

static const char *tests_dir(char *buf, size_t len)
{
        const char *tests = getenv("NP_TESTS");
        const char *slash = strrchr(__FILE__, '/');

        if (tests && *tests)
                snprintf(buf, len, "%s", tests);
        else
                snprintf(buf, len, "%.*s", slash ? (int)(slash - __FILE__) : 1, slash ? __FILE__ : ".");
        return buf;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        (void)st;
        (void)flag;
        (void)ftw;
        return remove(path);
}

static char *check_json(const np_sysroot *root, const char *xml, pid_t pid)
{
        np_intent *intent = NULL;
        np_check_result *res = NULL;
        np_host *host = NULL;
        np_error err = { "" };
        char *json = NULL;
        size_t len = 0;
        FILE *f;

        if (np_intent_read_domxml(xml, &intent, &err) < 0)
                fail_msg("%s", err.msg);
        if (np_host_read(root, &host, &err) < 0)
                fail_msg("%s", err.msg);
        if (host->default_hugepage_kib)
                np_intent_set_default_hugepage(intent, host->default_hugepage_kib);
        if (np_check_process(root, intent, pid, NULL, &res, &err) < 0)
                fail_msg("%s", err.msg);
        f = open_memstream(&json, &len);
        assert_non_null(f);
        assert_int_equal(np_report_check_json(f, intent, res, true), 0);
        fclose(f);
        np_check_result_free(res);
        np_host_free(host);
        np_intent_free(intent);
        return json;
}

/* Capture a scenario tree, replay the copy: the same document, and
 * only the files the check read. */
static void test_tree_replays(void **state)
{
        static const char *const trees[] = { "late-bind", "memnode-two-cells", "restrictive-cgroup", "lxd-15082" };
        char tests[PATH_MAX];

        (void)state;
        tests_dir(tests, sizeof(tests));
        for (size_t i = 0; i < sizeof(trees) / sizeof(trees[0]); i++) {
                char src[PATH_MAX + 64], xml[PATH_MAX + 64], dir[] = "/tmp/np-test-capture.XXXXXX", path[PATH_MAX + 64];
                np_capture *cap = np_capture_new();
                np_sysroot *root = NULL, *copy = NULL;
                np_error err = { "" };
                char *live, *replayed;
                int fd;

                snprintf(src, sizeof(src), "%s/fixtures/%s", tests, trees[i]);
                snprintf(xml, sizeof(xml), "%s/../xml/%s.xml", tests, trees[i]);
                assert_int_equal(np_sysroot_open(src, &root, &err), 0);
                root->record = np_capture_record;
                root->record_userdata = cap;
                live = check_json(root, xml, 4242);
                root->record = NULL;
                assert_non_null(mkdtemp(dir));
                fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                assert_true(fd >= 0);
                if (np_capture_write_tree(cap, root, fd, &err) < 0)
                        fail_msg("%s: %s", trees[i], err.msg);
                assert_int_equal(np_capture_n_vanished(cap), 0);
                assert_int_equal(np_sysroot_open(dir, &copy, &err), 0);
                replayed = check_json(copy, xml, 4242);
                if (strcmp(live, replayed) != 0)
                        fail_msg("%s: the copy replays as\n%s\nwhere the tree gave\n%s", trees[i], replayed, live);
                /* read by a check: kept; in the tree but never read: not copied */
                assert_true(np_sysroot_exists(copy, "/proc/4242/numa_maps"));
                snprintf(path, sizeof(path), "%s/proc/sys/kernel/hostname", src);
                if (access(path, F_OK) == 0)
                        assert_false(np_sysroot_exists(copy, "/proc/sys/kernel/hostname"));
                free(live);
                free(replayed);
                close(fd);
                np_sysroot_free(copy);
                np_sysroot_free(root);
                np_capture_free(cap);
                nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
        }
}

/* A ".." in a recorded path (a cgroup path is read from the evidence)
 * never reaches the tree. */
static void test_dotdot_not_recorded(void **state)
{
        np_capture *cap = np_capture_new();

        (void)state;
        np_capture_record("/sys/fs/cgroup/../../etc/passwd", false, cap);
        np_capture_record("/proc/1/..", true, cap);
        np_capture_record("/proc/1/..x/status", false, cap);
        assert_int_equal(np_capture_n_refused(cap), 2);
        np_capture_free(cap);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_redact_table),
                cmocka_unit_test(test_secret_swept_from_other_files),
                cmocka_unit_test(test_tree_replays),
                cmocka_unit_test(test_dotdot_not_recorded),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
