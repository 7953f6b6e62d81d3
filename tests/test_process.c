/* test_process.c: thread roles, status and cgroup parsing, and the
 * process reader on fixture trees (libvirt on cgroup v1, systemd on
 * cgroup v2, and the odd cases: empty or missing cpuset.mems, garbled
 * files, threads and processes that vanish). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "error.h"
#include "process.h"
#include "sysroot.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_role_from_comm(void **state)
{
        static const struct {
                const char *comm;
                np_task_role role;
                int id;
        } cases[] = {
                { "CPU 0/KVM", NP_TASK_VCPU, 0 },
                { "CPU 3/KVM", NP_TASK_VCPU, 3 },
                { "CPU 3/TCG", NP_TASK_VCPU, 3 },
                { "CPU 127/KVM", NP_TASK_VCPU, 127 },
                { "CPU 1000/KVM", NP_TASK_VCPU, 1000 },
                { "CPU x/KVM", NP_TASK_EMULATOR, -1 },
                { "CPU 1/", NP_TASK_EMULATOR, -1 },
                { "CPU 1", NP_TASK_EMULATOR, -1 },
                { "CPU /KVM", NP_TASK_EMULATOR, -1 },
                { "CPU 99999999999/KVM", NP_TASK_EMULATOR, -1 },
                { "IO iothread2", NP_TASK_IOTHREAD, 2 },
                { "IO iothread10", NP_TASK_IOTHREAD, 10 },
                { "IO mon_iothread", NP_TASK_EMULATOR, -1 },
                { "IO iothread", NP_TASK_EMULATOR, -1 },
                { "IO iothread2x", NP_TASK_EMULATOR, -1 },
                { "IO myio", NP_TASK_EMULATOR, -1 },
                { "TC tc-ram-node0", NP_TASK_THREAD_CONTEXT, -1 },
                { "TC tc-pc.ram", NP_TASK_THREAD_CONTEXT, -1 },
                { "TC ", NP_TASK_EMULATOR, -1 },
                { "qemu-system-x86", NP_TASK_EMULATOR, -1 },
                { "call_rcu", NP_TASK_EMULATOR, -1 },
                { "vnc_worker", NP_TASK_EMULATOR, -1 },
                { "SPICE Worker", NP_TASK_EMULATOR, -1 },
                { "", NP_TASK_EMULATOR, -1 },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                int id = 12345;

                print_message("  comm '%s'\n", cases[i].comm);
                assert_int_equal(np_task_role_from_comm(cases[i].comm, &id), cases[i].role);
                assert_int_equal(id, cases[i].id);
                assert_int_equal(np_task_role_from_comm(cases[i].comm, NULL), cases[i].role);
        }
        assert_string_equal(np_task_role_to_string(NP_TASK_VCPU), "vcpu");
        assert_string_equal(np_task_role_to_string(NP_TASK_EMULATOR), "emulator");
        assert_string_equal(np_task_role_to_string(NP_TASK_IOTHREAD), "iothread");
        assert_string_equal(np_task_role_to_string(NP_TASK_THREAD_CONTEXT), "thread-context");
        assert_string_equal(np_task_role_to_string(NP_TASK__COUNT), "unknown");
}

static void test_status_parse(void **state)
{
        static const struct {
                const char *text;
                int r;
                const char *cpus, *mems, *msg;
        } cases[] = {
                { "Name:\tqemu\nCpus_allowed:\tff\nCpus_allowed_list:\t0-7\nMems_allowed:\t00000003\nMems_allowed_list:\t0-1\n",
                  0, "0-7", "0-1", NULL },
                { "Mems_allowed_list:\t1\nCpus_allowed_list:\t0,2,4-6\n",
                  0, "0,2,4-6", "1", NULL },
                { "Cpus_allowed_list:  \t 3 \nMems_allowed_list:\t1023",
                  0, "3", "1023", NULL },
                { "Name:\tx\nMems_allowed_list:\t0\n",
                  -EINVAL, NULL, NULL, "no Cpus_allowed_list line" },
                { "Cpus_allowed_list:\t0\n",
                  -EINVAL, NULL, NULL, "no Mems_allowed_list line" },
                { "Cpus_allowed_list:\t0-x\nMems_allowed_list:\t0\n",
                  -EINVAL, NULL, NULL, "Cpus_allowed_list: nodeset '0-x': expected a number at 'x'" },
                { "Cpus_allowed_list:\t0\nMems_allowed_list:\t1024\n",
                  -EINVAL, NULL, NULL, "Mems_allowed_list: nodeset '1024': number out of range (limit 1023)" },
                { "Cpus_allowed_list_x:\t0\nMems_allowed_list:\t0\n",
                  -EINVAL, NULL, NULL, "no Cpus_allowed_list line" },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                np_bitmap cpus, mems;
                np_error err = { { 0 } };
                char buf[64];

                assert_int_equal(np_status_parse(cases[i].text, &cpus, &mems, &err), cases[i].r);
                if (cases[i].r == 0) {
                        assert_string_equal(fmt(&cpus, buf, sizeof(buf)), cases[i].cpus);
                        assert_string_equal(fmt(&mems, buf, sizeof(buf)), cases[i].mems);
                } else {
                        assert_string_equal(err.msg, cases[i].msg);
                }
        }
}

static void test_cgroup_parse(void **state)
{
        static const struct {
                const char *text;
                int r;
                const char *path;
                bool v2;
                const char *msg;
        } cases[] = {
                { "9:name=systemd:/\n4:memory:/machine/qemu-1-web1.libvirt-qemu/emulator\n"
                  "3:cpuset:/machine/qemu-1-web1.libvirt-qemu/emulator\n0::/\n",
                  0, "/machine/qemu-1-web1.libvirt-qemu/emulator", false, NULL },
                { "5:cpu,cpuset,cpuacct:/machine/qemu-2-x.libvirt-qemu/vcpu0\n",
                  0, "/machine/qemu-2-x.libvirt-qemu/vcpu0", false, NULL },
                { "0::/machine.slice/machine-qemu\\x2d1\\x2dweb1.scope/libvirt/emulator\n",
                  0, "/machine.slice/machine-qemu\\x2d1\\x2dweb1.scope/libvirt/emulator", true, NULL },
                /* hybrid: the v2 line comes first, the v1 cpuset still wins */
                { "0::/init.scope\n1:name=systemd:/init.scope\n3:cpuset:/\n",
                  0, "/", false, NULL },
                { "3:cpuset:/a:b:c\n", 0, "/a:b:c", false, NULL },
                { "3:cpuset:/last-line-without-newline", 0, "/last-line-without-newline", false, NULL },
                { "\n3:cpuset:/after-a-blank-line\n", 0, "/after-a-blank-line", false, NULL },
                { "4:memory:/x\n1:name=systemd:/\n", -ENOENT, NULL, false,
                  "no cpuset cgroup (neither a v1 cpuset line nor a v2 '0::' line)" },
                { "3:cpusetx:/a\n2:xcpuset:/b\n", -ENOENT, NULL, false,
                  "no cpuset cgroup (neither a v1 cpuset line nor a v2 '0::' line)" },
                { "", -ENOENT, NULL, false,
                  "no cpuset cgroup (neither a v1 cpuset line nor a v2 '0::' line)" },
                { "3:cpuset:/ok\ngarbage\n", -EINVAL, NULL, false,
                  "line 2: 'garbage': expected ID:CONTROLLERS:PATH" },
                { "x:cpuset:/a\n", -EINVAL, NULL, false,
                  "line 1: 'x:cpuset:/a': expected ID:CONTROLLERS:PATH" },
                { ":cpuset:/a\n", -EINVAL, NULL, false,
                  "line 1: ':cpuset:/a': expected ID:CONTROLLERS:PATH" },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                np_error err = { { 0 } };
                char *path = NULL;
                bool v2 = !cases[i].v2;

                print_message("  cgroup case %zu\n", i);
                assert_int_equal(np_cgroup_parse(cases[i].text, &path, &v2, &err), cases[i].r);
                if (cases[i].r == 0) {
                        assert_string_equal(path, cases[i].path);
                        assert_int_equal(v2, cases[i].v2);
                        free(path);
                } else {
                        assert_null(path);
                        assert_string_equal(err.msg, cases[i].msg);
                }
        }
}

typedef struct want_task {
        pid_t tid;
        const char *comm;
        np_task_role role;
        int id;
        const char *cpus, *mems;
} want_task;

static void check_tasks(const np_process *p, const want_task *want, size_t n)
{
        char buf[64];

        assert_int_equal(p->n_tasks, n);
        for (size_t i = 0; i < n; i++) {
                const np_task *t = &p->tasks[i];

                assert_int_equal(t->tid, want[i].tid);
                assert_string_equal(t->comm, want[i].comm);
                assert_int_equal(t->role, want[i].role);
                assert_int_equal(t->id, want[i].id);
                assert_string_equal(fmt(&t->cpus_allowed, buf, sizeof(buf)), want[i].cpus);
                assert_string_equal(fmt(&t->mems_allowed, buf, sizeof(buf)), want[i].mems);
        }
}

static void test_read_libvirt_cgroup_v1(void **state)
{
        static const want_task tasks[] = {
                { 4242, "qemu-system-x86", NP_TASK_EMULATOR, -1, "0,4", "0-1" },
                { 4243, "call_rcu", NP_TASK_EMULATOR, -1, "0,4", "0-1" },
                { 4250, "IO mon_iothread", NP_TASK_EMULATOR, -1, "0,4", "0-1" },
                { 4251, "IO iothread1", NP_TASK_IOTHREAD, 1, "2", "0-1" },
                { 4252, "CPU 0/KVM", NP_TASK_VCPU, 0, "0-3", "0-1" },
                { 4253, "CPU 1/KVM", NP_TASK_VCPU, 1, "4-7", "0-1" },
                { 4254, "TC tc-ram-node0", NP_TASK_THREAD_CONTEXT, -1, "0-3", "0" },
                { 4260, "vnc_worker", NP_TASK_EMULATOR, -1, "0,4", "0-1" },
                /* 4299 vanished between listing and reading: skipped */
        };
        np_sysroot *root = open_tree("process-v1");
        np_process *p = NULL;
        np_error err = { { 0 } };
        char buf[64];

        (void)state;
        if (np_process_read(root, 4242, &p, &err) != 0)
                fail_msg("%s", err.msg);
        assert_int_equal(p->pid, 4242);
        assert_string_equal(p->comm, "qemu-system-x86");
        assert_string_equal(fmt(&p->cpus_allowed, buf, sizeof(buf)), "0-7");
        assert_string_equal(fmt(&p->mems_allowed, buf, sizeof(buf)), "0-1");
        check_tasks(p, tasks, sizeof(tasks) / sizeof(tasks[0]));
        assert_string_equal(p->cgroup_path, "/machine/qemu-1-web1.libvirt-qemu/emulator");
        assert_true(p->has_cgroup_mems);
        assert_string_equal(fmt(&p->cgroup_mems, buf, sizeof(buf)), "0-1");
        assert_false(np_process_is_gone(root, 4242));
        assert_true(np_process_is_gone(root, 4245));
        np_process_free(p);
        np_sysroot_free(root);
}

static void test_read_systemd_cgroup_v2(void **state)
{
        static const want_task tasks[] = {
                { 5151, "qemu-system-x86", NP_TASK_EMULATOR, -1, "0-3", "0-1" },
                { 5152, "CPU 0/TCG", NP_TASK_VCPU, 0, "1", "0-1" },
                { 5153, "CPU 1/TCG", NP_TASK_VCPU, 1, "2", "0-1" },
        };
        np_sysroot *root = open_tree("process-v2");
        np_process *p = NULL;
        np_error err = { { 0 } };
        char buf[64];

        (void)state;
        if (np_process_read(root, 5151, &p, &err) != 0)
                fail_msg("%s", err.msg);
        assert_string_equal(p->comm, "qemu\\kvm"); /* "qemu\\\\kvm" in status */
        check_tasks(p, tasks, sizeof(tasks) / sizeof(tasks[0]));
        assert_string_equal(p->cgroup_path, "/machine.slice/machine-qemu\\x2d2\\x2ddb1.scope/libvirt/emulator");
        assert_true(p->has_cgroup_mems);
        assert_string_equal(fmt(&p->cgroup_mems, buf, sizeof(buf)), "1");
        np_process_free(p);
        np_sysroot_free(root);
}

static void test_read_cgroup_edges(void **state)
{
        static const struct {
                pid_t pid;
                const char *path;   /* NULL: no cgroup */
                const char *mems;   /* NULL: has_cgroup_mems false */
        } cases[] = {
                { 6161, "/machine/qemu-3-empty.libvirt-qemu/emulator", NULL },   /* empty cpuset.mems */
                { 6162, "/user.slice/user-1000.slice/session-2.scope", NULL },   /* v2, no cpuset there */
                { 6163, NULL, NULL },                                             /* no cgroup file */
                { 6170, "/machine/qemu-4-a:b.libvirt-qemu/emulator", "1" },      /* cpu,cpuset */
        };
        np_sysroot *root = open_tree("process-edge");

        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                np_process *p = NULL;
                np_error err = { { 0 } };
                char buf[64];

                print_message("  pid %d\n", (int)cases[i].pid);
                if (np_process_read(root, cases[i].pid, &p, &err) != 0)
                        fail_msg("%d: %s", (int)cases[i].pid, err.msg);
                if (cases[i].path)
                        assert_string_equal(p->cgroup_path, cases[i].path);
                else
                        assert_null(p->cgroup_path);
                assert_int_equal(p->has_cgroup_mems, cases[i].mems != NULL);
                if (cases[i].mems)
                        assert_string_equal(fmt(&p->cgroup_mems, buf, sizeof(buf)), cases[i].mems);
                assert_int_equal(p->n_tasks, 1);
                np_process_free(p);
        }
        np_sysroot_free(root);
}

static void test_read_errors(void **state)
{
        static const struct {
                pid_t pid;
                int r;
                const char *suffix;   /* after the fixture directory; NULL: msg as is */
                const char *msg;
        } cases[] = {
                { 9999, -ESRCH, NULL, "process 9999 is not running" },
                { 6164, -EINVAL, "/proc/6164/task/6165/status: Mems_allowed_list: nodeset 'zero': expected a number at 'zero'", NULL },
                { 6166, -EINVAL, "/proc/6166/status: no Mems_allowed_list line", NULL },
                { 6167, -ESRCH, NULL, "process 6167 exited while reading its threads" },
                { 6169, -EINVAL, "/proc/6169/cgroup: line 1: '3cpuset/machine': expected ID:CONTROLLERS:PATH", NULL },
        };
        char dir[PATH_MAX], want[PATH_MAX + 160];
        np_sysroot *root = open_tree("process-edge");

        (void)state;
        data_dir("process-edge", dir, sizeof(dir));
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                np_process *p = NULL;
                np_error err = { { 0 } };

                print_message("  pid %d\n", (int)cases[i].pid);
                assert_int_equal(np_process_read(root, cases[i].pid, &p, &err), cases[i].r);
                assert_null(p);
                if (cases[i].suffix) {
                        snprintf(want, sizeof(want), "%s%s", dir, cases[i].suffix);
                        assert_string_equal(err.msg, want);
                } else {
                        assert_string_equal(err.msg, cases[i].msg);
                }
        }
        np_process_free(NULL);
        np_sysroot_free(root);
}

/* Smoke test against the running kernel: this process reads, and a
 * zombie child counts as gone. */
static void test_live_self_and_zombie(void **state)
{
        np_sysroot *root = NULL;
        np_process *p = NULL;
        np_error err = { { 0 } };
        pid_t child;

        (void)state;
        assert_int_equal(np_sysroot_open("/", &root, &err), 0);
        if (np_process_read(root, getpid(), &p, &err) != 0)
                fail_msg("%s", err.msg);
        assert_true(p->n_tasks >= 1);
        assert_int_equal(p->tasks[0].tid, getpid());
        assert_false(np_process_is_gone(root, getpid()));
        np_process_free(p);

        child = fork();
        assert_true(child >= 0);
        if (child == 0)
                _exit(0);
        /* until reaped the child is a zombie: its /proc entry stays */
        for (int i = 0; i < 1000 && !np_process_is_gone(root, child); i++)
                usleep(1000);
        assert_true(np_process_is_gone(root, child));
        assert_int_equal(waitpid(child, NULL, 0), child);
        assert_true(np_process_is_gone(root, child));
        np_sysroot_free(root);
}

/* Options read back from a command line in a scratch root. */
static void test_option_value(void **state)
{
        static const char cmdline[] = "qemu-system-x86_64\0-name\0guest=web,,1,debug-threads=on\0"
                                      "-uuid\0" "4f1c\0-S\0-name\0";
        char dir[] = "/tmp/np-test-process-XXXXXX", path[PATH_MAX], cmd[PATH_MAX + 16];
        np_sysroot *root = NULL;
        np_error err = { "" };
        char *v;
        FILE *f;

        (void)state;
        assert_non_null(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/proc/42", dir);
        snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
        assert_int_equal(system(cmd), 0);
        snprintf(path, sizeof(path), "%s/proc/42/cmdline", dir);
        f = fopen(path, "we");
        assert_non_null(f);
        assert_int_equal(fwrite(cmdline, 1, sizeof(cmdline) - 1, f), sizeof(cmdline) - 1);
        assert_int_equal(fclose(f), 0);
        assert_int_equal(np_sysroot_open(dir, &root, &err), 0);

        v = np_process_option_value(root, 42, "-uuid", "");
        assert_string_equal(v, "4f1c");
        free(v);
        v = np_process_option_value(root, 42, "-name", "guest=");
        assert_string_equal(v, "web,,1,debug-threads=on");
        free(v);
        /* the value must start with the prefix; an option last has none */
        assert_null(np_process_option_value(root, 42, "-uuid", "guest="));
        assert_null(np_process_option_value(root, 42, "-S", "x"));
        assert_null(np_process_option_value(root, 42, "-machine", ""));
        assert_null(np_process_option_value(root, 43, "-uuid", ""));

        np_sysroot_free(root);
        assert_int_equal(remove_tree(dir), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_role_from_comm),
                cmocka_unit_test(test_status_parse),
                cmocka_unit_test(test_cgroup_parse),
                cmocka_unit_test(test_read_libvirt_cgroup_v1),
                cmocka_unit_test(test_read_systemd_cgroup_v2),
                cmocka_unit_test(test_read_cgroup_edges),
                cmocka_unit_test(test_read_errors),
                cmocka_unit_test(test_live_self_and_zombie),
                cmocka_unit_test(test_option_value),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
