/* test_verdict.c: the decisions, one table row per situation.  Inputs
 * are built by hand; expected verdicts and figures are written out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "verdict.h"

typedef struct vcase {
        const char *name;
        np_mode mode;
        const char *nodes;          /* allowed; NULL: none */
        np_enforcement enforcement;
        uint64_t pagesize_kib;
        /* one mapping */
        np_policy_kind policy;
        const char *policy_nodes;   /* NULL: none */
        const char *policy_text;
        bool huge;
        uint64_t map_pagesize_kib;
        unsigned n0, n1, n2;        /* pages on nodes 0, 1, 2 */
        const char *cgroup;         /* cpuset.mems; NULL: unknown */
        bool preferred_is_violation;
        np_verdict want;
        uint64_t want_off_kib;
        const char *want_reason;    /* substring */
} vcase;

static const vcase cases[] = {
        { "strict hugepages all on node 1", NP_MODE_STRICT, "1", NP_ENFORCE_MBIND, 2048,
          NP_POLICY_BIND, "1", "bind:1", true, 2048, 0, 256, 0, "0-1", false,
          NP_VERDICT_COMPLIANT, 0, "all 512 MiB on node 1" },
        { "LXD #15082: no policy, pages on node 0", NP_MODE_STRICT, "1", NP_ENFORCE_MBIND, 2048,
          NP_POLICY_DEFAULT, NULL, "default", true, 2048, 256, 0, 0, "0-1", false,
          NP_VERDICT_VIOLATION, 512 * 1024, "512 MiB of 512 MiB off its nodes (512 MiB on node 0), bound to node 1" },
        { "no policy, no pages, no cgroup confinement", NP_MODE_STRICT, "1", NP_ENFORCE_MBIND, 2048,
          NP_POLICY_DEFAULT, NULL, "default", true, 0, 0, 0, 0, "0-1", false,
          NP_VERDICT_VIOLATION, 0, "binding not in force: policy is 'default' where bind:1 was expected" },
        { "no policy but cgroup confines to node 1", NP_MODE_STRICT, "1", NP_ENFORCE_MBIND, 4,
          NP_POLICY_DEFAULT, NULL, "default", false, 4, 0, 100, 0, "1", false,
          NP_VERDICT_COMPLIANT, 0, "all 400 KiB on node 1" },
        { "late bind: bind:1, pages on node 0", NP_MODE_STRICT, "1", NP_ENFORCE_MBIND, 4,
          NP_POLICY_BIND, "1", "bind:1", false, 4, 12288, 4096, 0, "0-1", false,
          NP_VERDICT_VIOLATION, 48 * 1024,
          "48 MiB on node 0 although bound to node 1 (placed before the binding was set, or moved since)" },
        { "fresh: policy in force, no pages", NP_MODE_STRICT, "1", NP_ENFORCE_MBIND, 4,
          NP_POLICY_BIND, "1", "bind:1", false, 0, 0, 0, 0, "0-1", false,
          NP_VERDICT_COMPLIANT, 0, "no pages yet; the policy confines it to node 1" },
        { "preferred fallback: warning", NP_MODE_PREFERRED, "1", NP_ENFORCE_MBIND, 2048,
          NP_POLICY_PREFERRED, "1", "prefer:1", true, 2048, 256, 0, 0, "0-1", false,
          NP_VERDICT_WARNING, 512 * 1024,
          "512 MiB of 512 MiB off the preferred node 1 (512 MiB on node 0; placed while it was full, before the policy was set, or moved since)" },
        { "preferred fallback: violation when configured", NP_MODE_PREFERRED, "1", NP_ENFORCE_MBIND, 2048,
          NP_POLICY_PREFERRED, "1", "prefer:1", true, 2048, 256, 0, 0, "0-1", true,
          NP_VERDICT_VIOLATION, 512 * 1024, "off the preferred node 1" },
        { "preferred honoured", NP_MODE_PREFERRED, "1", NP_ENFORCE_MBIND, 4,
          NP_POLICY_PREFERRED, "1", "prefer:1", false, 4, 0, 10, 0, "0-1", false,
          NP_VERDICT_COMPLIANT, 0, "all 40 KiB on the preferred node 1" },
        { "interleave with pages outside", NP_MODE_INTERLEAVE, "0-1", NP_ENFORCE_MBIND, 4,
          NP_POLICY_INTERLEAVE, "0-1", "interleave:0-1", false, 4, 6144, 6144, 4096, "0-3", false,
          NP_VERDICT_VIOLATION, 16 * 1024, "16 MiB of 64 MiB outside the interleave set nodes 0-1 (16 MiB on node 2)" },
        { "interleave even", NP_MODE_INTERLEAVE, "0-1", NP_ENFORCE_MBIND, 4,
          NP_POLICY_INTERLEAVE, "0-1", "interleave:0-1", false, 4, 8192, 8191, 0, "0-1", false,
          NP_VERDICT_COMPLIANT, 0, "interleaved over nodes 0-1" },
        { "interleave uneven", NP_MODE_INTERLEAVE, "0-1", NP_ENFORCE_MBIND, 4,
          NP_POLICY_INTERLEAVE, "0-1", "interleave:0-1", false, 4, 12000, 4000, 0, "0-1", false,
          NP_VERDICT_WARNING, 0, "interleave is uneven: node 0 holds" },
        { "interleave set differs", NP_MODE_INTERLEAVE, "0-3", NP_ENFORCE_MBIND, 4,
          NP_POLICY_INTERLEAVE, "0-2", "interleave:0-2", false, 4, 100, 100, 100, "0-3", false,
          NP_VERDICT_VIOLATION, 0, "interleave not in force" },
        { "restrictive held by cgroup", NP_MODE_RESTRICTIVE, "1", NP_ENFORCE_CGROUP, 4,
          NP_POLICY_DEFAULT, NULL, "default", false, 4, 0, 16384, 0, "1", false,
          NP_VERDICT_COMPLIANT, 0, "all 64 MiB on node 1" },
        { "restrictive, cgroup too wide", NP_MODE_RESTRICTIVE, "1", NP_ENFORCE_CGROUP, 4,
          NP_POLICY_DEFAULT, NULL, "default", false, 4, 0, 16384, 0, "0-1", false,
          NP_VERDICT_VIOLATION, 0, "cpuset.mems 0-1 does not confine it" },
        { "restrictive, cgroup unreadable", NP_MODE_RESTRICTIVE, "1", NP_ENFORCE_CGROUP, 4,
          NP_POLICY_DEFAULT, NULL, "default", false, 4, 0, 16384, 0, NULL, false,
          NP_VERDICT_UNVERIFIED, 0, "could not be read" },
        { "hugepages asked, 4 KiB found", NP_MODE_STRICT, "0", NP_ENFORCE_MBIND, 2048,
          NP_POLICY_BIND, "0", "bind:0", false, 4, 100, 0, 0, "0-1", false,
          NP_VERDICT_VIOLATION, 0, "2M huge pages asked, the mapping is backed by 4K pages" },
        { "1 GiB asked, 2 MiB found", NP_MODE_STRICT, "0", NP_ENFORCE_MBIND, 1048576,
          NP_POLICY_BIND, "0", "bind:0", true, 2048, 100, 0, 0, "0-1", false,
          NP_VERDICT_VIOLATION, 0, "1G huge pages asked, 2M pages found" },
        { "not bound at all", NP_MODE_NONE, NULL, NP_ENFORCE_NONE, 4,
          NP_POLICY_DEFAULT, NULL, "default", false, 4, 10, 10, 0, "0-1", false,
          NP_VERDICT_COMPLIANT, 0, "not bound by the configuration; 80 KiB on nodes 0-1" },
};

static void make_mapping(const vcase *c, np_mapping *m, np_node_pages *pages)
{
        memset(m, 0, sizeof(*m));
        m->start = 0x7f0000000000;
        m->end = m->start + 512ull * 1024 * 1024;
        m->path = (char *)"";
        m->has_numa = true;
        m->policy = c->policy;
        if (c->policy_nodes) {
                m->has_policy_nodes = true;
                assert_int_equal(np_bitmap_parse(c->policy_nodes, NP_NODE_MAX, &m->policy_nodes, NULL), 0);
        }
        strcpy(m->policy_text, c->policy_text);
        m->huge = c->huge;
        m->pagesize_kib = c->map_pagesize_kib;
        m->nodes = pages;
        if (c->n0)
                pages[m->n_nodes++] = (np_node_pages){ 0, c->n0 };
        if (c->n1)
                pages[m->n_nodes++] = (np_node_pages){ 1, c->n1 };
        if (c->n2)
                pages[m->n_nodes++] = (np_node_pages){ 2, c->n2 };
        m->region = 0;
}

static void test_region_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                const vcase *c = &cases[i];
                np_region region = { .id = "ram-node0", .cell = 0, .mode = c->mode,
                                     .enforcement = c->enforcement, .pagesize_kib = c->pagesize_kib };
                np_check_options opt = { .preferred_is_violation = c->preferred_is_violation };
                np_node_pages pages[3];
                np_region_result res;
                const np_mapping *list[1];
                np_mapping m;
                np_bitmap cg;

                if (c->nodes) {
                        region.has_nodes = true;
                        assert_int_equal(np_bitmap_parse(c->nodes, NP_NODE_MAX, &region.nodes, NULL), 0);
                }
                if (c->cgroup)
                        assert_int_equal(np_bitmap_parse(c->cgroup, NP_NODE_MAX, &cg, NULL), 0);
                make_mapping(c, &m, pages);
                list[0] = &m;
                np_verdict_for_region(&region, list, 1, NP_MATCH_NAME, c->cgroup ? &cg : NULL, &opt, &res);
                if (res.verdict != c->want || res.off_node_kib != c->want_off_kib ||
                    !strstr(res.reason, c->want_reason))
                        fail_msg("%s: got %s, off %llu KiB, '%s'; want %s, off %llu KiB, '%s'", c->name,
                                 np_verdict_to_string(res.verdict), (unsigned long long)res.off_node_kib,
                                 res.reason, np_verdict_to_string(c->want),
                                 (unsigned long long)c->want_off_kib, c->want_reason);
        }
}

static void test_unattributed_is_unverified(void **state)
{
        np_region region = { .id = "ram-node3", .mode = NP_MODE_STRICT, .has_nodes = true,
                             .enforcement = NP_ENFORCE_MBIND, .pagesize_kib = 4 };
        np_region_result res;

        (void)state;
        np_bitmap_set(&region.nodes, 1);
        np_verdict_for_region(&region, NULL, 0, NP_MATCH_NONE, NULL, NULL, &res);
        assert_int_equal(res.verdict, NP_VERDICT_UNVERIFIED);
        assert_non_null(strstr(res.reason, "no mapping of the process could be attributed to ram-node3"));
}

static void test_auto_unresolved_is_unverified(void **state)
{
        np_region region = { .id = "pc.ram", .mode = NP_MODE_STRICT, .placement_auto = true,
                             .enforcement = NP_ENFORCE_MBIND, .pagesize_kib = 4 };
        np_node_pages pages[1] = { { 0, 10 } };
        np_mapping m = { .path = (char *)"", .has_numa = true, .policy = NP_POLICY_BIND,
                         .nodes = pages, .n_nodes = 1, .pagesize_kib = 4, .end = 4096 };
        const np_mapping *list[1] = { &m };
        np_region_result res;

        (void)state;
        np_verdict_for_region(&region, list, 1, NP_MATCH_SIZE, NULL, NULL, &res);
        assert_int_equal(res.verdict, NP_VERDICT_UNVERIFIED);
        assert_non_null(strstr(res.reason, "numad"));
}

static void test_threads(void **state)
{
        np_pin pins[2] = { { .kind = NP_THREAD_VCPU, .id = 1 }, { .kind = NP_THREAD_EMULATOR } };
        np_intent intent = { .pins = pins, .n_pins = 2 };
        np_task vcpu = { .tid = 11, .comm = "CPU 1/KVM", .role = NP_TASK_VCPU, .id = 1 };
        np_task vcpu0 = { .tid = 10, .comm = "CPU 0/KVM", .role = NP_TASK_VCPU, .id = 0 };
        np_task emu = { .tid = 9, .comm = "qemu-system-x86", .role = NP_TASK_EMULATOR, .id = -1 };
        /* vCPU 1 is pinned to CPU 3, the emulator to CPUs 0-1 */
        const struct {
                np_task *task;
                const char *allowed;
                np_verdict want;
                const char *reason;      /* NULL: not checked */
        } rows[] = {
                { &vcpu, "0-3", NP_VERDICT_VIOLATION, "may run on CPUs 0-3, pinned to 3" },
                { &vcpu, "3", NP_VERDICT_COMPLIANT, NULL },
                { &vcpu0, "0-3", NP_VERDICT_COMPLIANT, "not pinned by the configuration" },
                { &emu, "1", NP_VERDICT_COMPLIANT, NULL },
                { &emu, "1-2", NP_VERDICT_VIOLATION, NULL },
        };

        (void)state;
        np_bitmap_parse("3", 64, &pins[0].cpus, NULL);
        np_bitmap_parse("0-1", 64, &pins[1].cpus, NULL);
        for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
                np_thread_result t;

                np_bitmap_parse(rows[i].allowed, 64, &rows[i].task->cpus_allowed, NULL);
                np_verdict_for_thread(rows[i].task, &intent, &t);
                assert_int_equal(t.verdict, rows[i].want);
                if (rows[i].reason)
                        assert_string_equal(t.reason, rows[i].reason);
        }
}

static void test_cgroup(void **state)
{
        np_region regions[1] = { { .id = "ram-node0", .mode = NP_MODE_STRICT, .has_nodes = true,
                                   .enforcement = NP_ENFORCE_MBIND } };
        np_intent intent = { .regions = regions, .n_regions = 1,
                             .has_numatune = true, .mode = NP_MODE_STRICT, .has_nodes = true };
        np_bitmap mems;
        char reason[256];

        (void)state;
        np_bitmap_set(&regions[0].nodes, 1);
        np_bitmap_set(&intent.nodes, 1);
        np_bitmap_parse("1", 64, &mems, NULL);
        assert_int_equal(np_verdict_for_cgroup(&intent, "/machine/x", &mems, reason, sizeof(reason)),
                         NP_VERDICT_COMPLIANT);
        np_bitmap_parse("0-1", 64, &mems, NULL);
        assert_int_equal(np_verdict_for_cgroup(&intent, "/machine/x", &mems, reason, sizeof(reason)),
                         NP_VERDICT_WARNING);
        assert_int_equal(np_verdict_for_cgroup(&intent, "/", &mems, reason, sizeof(reason)),
                         NP_VERDICT_COMPLIANT);
        /* <memnode> alone: libvirt leaves cpuset.mems as inherited */
        intent.has_numatune = false;
        intent.mode = NP_MODE_NONE;
        assert_int_equal(np_verdict_for_cgroup(&intent, "/machine/x", &mems, reason, sizeof(reason)),
                         NP_VERDICT_COMPLIANT);
        assert_non_null(strstr(reason, "no confinement asked"));
        /* a domain-wide preferred asks none either */
        intent.has_numatune = true;
        intent.mode = NP_MODE_PREFERRED;
        assert_int_equal(np_verdict_for_cgroup(&intent, "/machine/x", &mems, reason, sizeof(reason)),
                         NP_VERDICT_COMPLIANT);
        intent.mode = NP_MODE_RESTRICTIVE;
        assert_int_equal(np_verdict_for_cgroup(&intent, "/machine/x", &mems, reason, sizeof(reason)),
                         NP_VERDICT_WARNING);
        intent.mode = NP_MODE_STRICT;
        regions[0].mode = NP_MODE_RESTRICTIVE;
        regions[0].enforcement = NP_ENFORCE_CGROUP;
        assert_int_equal(np_verdict_for_cgroup(&intent, "/", &mems, reason, sizeof(reason)),
                         NP_VERDICT_VIOLATION);
        assert_int_equal(np_verdict_for_cgroup(&intent, "/", NULL, reason, sizeof(reason)),
                         NP_VERDICT_UNVERIFIED);
}

/* Device locality against the VM's nodes, under each of Nova's words. */
static void test_device(void **state)
{
        static const struct {
                const char *name;
                bool present;
                int node;
                bool bound;
                np_device_policy policy;
                np_locality locality;
                np_verdict verdict;
        } device_cases[] = {
                { "local", true, 1, true, NP_DEVICE_POLICY_PREFERRED, NP_LOCALITY_LOCAL, NP_VERDICT_COMPLIANT },
                { "local, required", true, 1, true, NP_DEVICE_POLICY_REQUIRED, NP_LOCALITY_LOCAL, NP_VERDICT_COMPLIANT },
                { "remote, preferred", true, 0, true, NP_DEVICE_POLICY_PREFERRED, NP_LOCALITY_REMOTE, NP_VERDICT_WARNING },
                { "remote, required", true, 0, true, NP_DEVICE_POLICY_REQUIRED, NP_LOCALITY_REMOTE, NP_VERDICT_VIOLATION },
                { "remote, legacy", true, 0, true, NP_DEVICE_POLICY_LEGACY, NP_LOCALITY_REMOTE, NP_VERDICT_VIOLATION },
                { "unknown, preferred", true, -1, true, NP_DEVICE_POLICY_PREFERRED, NP_LOCALITY_UNKNOWN, NP_VERDICT_COMPLIANT },
                { "unknown, legacy", true, -1, true, NP_DEVICE_POLICY_LEGACY, NP_LOCALITY_UNKNOWN, NP_VERDICT_COMPLIANT },
                { "unknown, required", true, -1, true, NP_DEVICE_POLICY_REQUIRED, NP_LOCALITY_UNKNOWN, NP_VERDICT_WARNING },
                { "absent", false, 0, true, NP_DEVICE_POLICY_LEGACY, NP_LOCALITY_ABSENT, NP_VERDICT_WARNING },
                { "VM not bound", true, 0, false, NP_DEVICE_POLICY_REQUIRED, NP_LOCALITY_UNBOUND, NP_VERDICT_COMPLIANT },
        };
        np_bitmap wanted;

        (void)state;
        np_bitmap_clear(&wanted);
        np_bitmap_set(&wanted, 1);
        np_bitmap_set(&wanted, 3);
        for (size_t i = 0; i < sizeof(device_cases) / sizeof(device_cases[0]); i++) {
                np_check_options opts = { .device_policy = device_cases[i].policy };
                np_device_result d;

                memset(&d, 0xa5, sizeof(d));
                print_message("case: %s\n", device_cases[i].name);
                np_verdict_for_device(device_cases[i].present, device_cases[i].node, device_cases[i].bound ? &wanted : NULL,
                                      &opts, &d);
                assert_int_equal(d.locality, device_cases[i].locality);
                assert_int_equal(d.verdict, device_cases[i].verdict);
                assert_int_equal(d.has_wanted, device_cases[i].bound);
                assert_int_equal(d.node, device_cases[i].present ? device_cases[i].node : -1);
                assert_true(strlen(d.reason) > 0 && strlen(d.reason) < sizeof(d.reason));
        }
        /* the reason names both nodes */
        {
                np_check_options opts = { .device_policy = NP_DEVICE_POLICY_PREFERRED };
                np_device_result d;

                np_verdict_for_device(true, 0, &wanted, &opts, &d);
                assert_non_null(strstr(d.reason, "node 0"));
                assert_non_null(strstr(d.reason, "nodes 1,3"));
        }
}

static void test_worst(void **state)
{
        (void)state;
        assert_int_equal(np_verdict_worst(NP_VERDICT_WARNING, NP_VERDICT_VIOLATION), NP_VERDICT_VIOLATION);
        assert_int_equal(np_verdict_worst(NP_VERDICT_UNVERIFIED, NP_VERDICT_WARNING), NP_VERDICT_UNVERIFIED);
        assert_int_equal(np_verdict_exit_code(NP_VERDICT_WARNING), 0);
        assert_int_equal(np_verdict_exit_code(NP_VERDICT_VIOLATION), 1);
        assert_int_equal(np_verdict_exit_code(NP_VERDICT_UNVERIFIED), 2);
}

static void test_names_and_exit_codes(void **state)
{
        static const struct {
                np_verdict v;
                const char *name;
                int exit_code;
                bool holds, unproven;
        } rows[] = {
                { NP_VERDICT_COMPLIANT, "compliant", 0, true, false },
                { NP_VERDICT_WARNING, "warning", 0, true, false },
                { NP_VERDICT_UNVERIFIED, "unverified", 2, false, true },
                { NP_VERDICT_VIOLATION, "violation", 1, false, false },
                { NP_VERDICT_ERROR, "error", 2, false, true },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
                assert_string_equal(np_verdict_to_string(rows[i].v), rows[i].name);
                assert_int_equal(np_verdict_exit_code(rows[i].v), rows[i].exit_code);
                assert_int_equal(np_verdict_holds(rows[i].v), rows[i].holds);
                assert_int_equal(np_verdict_unproven(rows[i].v), rows[i].unproven);
        }
        assert_string_equal(np_verdict_to_string(NP_VERDICT__COUNT), "error");
}

static void test_missing_thread(void **state)
{
        np_pin vcpu = { .kind = NP_THREAD_VCPU, .id = 3 }, io = { .kind = NP_THREAD_IOTHREAD, .id = 1 };
        np_thread_result t;

        (void)state;
        np_bitmap_parse("2-3", NP_BITMAP_MAX, &vcpu.cpus, NULL);
        np_verdict_for_missing_thread(&vcpu, &t);
        assert_int_equal(t.verdict, NP_VERDICT_UNVERIFIED);
        assert_string_equal(t.name, "CPU 3");
        assert_int_equal(t.id, 3);
        assert_true(t.has_wanted);
        assert_true(np_bitmap_equal(&t.cpus_wanted, &vcpu.cpus));
        assert_string_equal(t.reason,
                            "no thread named 'CPU 3/KVM' or 'CPU 3/TCG' (QEMU names them only with debug-threads=on, and an unplugged vCPU has none)");
        np_verdict_for_missing_thread(&io, &t);
        assert_int_equal(t.verdict, NP_VERDICT_UNVERIFIED);
        assert_string_equal(t.name, "IO iothread1");
        assert_string_equal(t.reason, "no thread named 'IO iothread1'");
}

static void test_unreadable_device(void **state)
{
        np_device_result d;
        np_bitmap wanted;

        (void)state;
        np_bitmap_parse("1", NP_NODE_MAX, &wanted, NULL);
        np_verdict_for_device(true, -1, &wanted, NULL, &d);
        np_verdict_for_unreadable_device("numa_node: Permission denied", &d);
        assert_int_equal(d.verdict, NP_VERDICT_UNVERIFIED);
        assert_int_equal(d.locality, NP_LOCALITY_UNKNOWN);
        assert_string_equal(d.reason, "numa_node: Permission denied");
}

static void test_lxd_backend(void **state)
{
        static const struct {
                np_mode mode;             /* of the region the config demands */
                const char *nodes;
                const char *host_nodes;   /* NULL: none in qemu.conf */
                const char *policy;
                np_verdict want;
                const char *reason;
        } rows[] = {
                { NP_MODE_STRICT, "1", "1", "bind", NP_VERDICT_COMPLIANT, "" },
                { NP_MODE_STRICT, "1", NULL, "", NP_VERDICT_VIOLATION,
                  "mem0 has no host-nodes although limits.cpu.nodes is 1" },
                { NP_MODE_STRICT, "1", "0", "bind", NP_VERDICT_VIOLATION,
                  "mem0 has host-nodes 0 although limits.cpu.nodes is 1" },
                { NP_MODE_STRICT, "1", "1", "", NP_VERDICT_VIOLATION,
                  "mem0 has no policy where policy 'bind' would bind it to node 1 (limits.cpu.nodes is 1)" },
                { NP_MODE_STRICT, "0-1", "1", "preferred", NP_VERDICT_VIOLATION,
                  "mem0 has policy 'preferred' where policy 'bind' would bind it to nodes 0-1 (limits.cpu.nodes is 1)" },
                { NP_MODE_NONE, NULL, NULL, "", NP_VERDICT_COMPLIANT, "" },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
                np_region r = { .id = "mem0", .mode = rows[i].mode };
                np_qemu_backend b = { .id = "mem0" };
                char reason[NP_REASON_MAX];

                if (rows[i].nodes) {
                        np_bitmap_parse(rows[i].nodes, NP_NODE_MAX, &r.nodes, NULL);
                        r.has_nodes = true;
                }
                if (rows[i].host_nodes) {
                        np_bitmap_parse(rows[i].host_nodes, NP_NODE_MAX, &b.host_nodes, NULL);
                        b.has_host_nodes = true;
                }
                snprintf(b.policy, sizeof(b.policy), "%s", rows[i].policy);
                assert_int_equal(np_verdict_for_lxd_binding(&r, &b, "limits.cpu.nodes is 1", reason, sizeof(reason)),
                                 rows[i].want);
                assert_string_equal(reason, rows[i].reason);
        }
}

static void test_lxd_hugepages(void **state)
{
        np_region r = { .id = "mem0" };
        np_qemu_backend anon = { .id = "mem0", .backing = NP_BACKING_ANONYMOUS };
        np_qemu_backend file = { .id = "mem0", .backing = NP_BACKING_FILE, .mem_path = (char *)"/dev/hugepages" };
        np_qemu_backend memfd = { .id = "mem0", .backing = NP_BACKING_MEMFD, .hugetlb = true };
        char reason[NP_REASON_MAX];

        (void)state;
        assert_int_equal(np_verdict_for_lxd_hugepages(&r, &anon, false, reason, sizeof(reason)), NP_VERDICT_COMPLIANT);
        assert_string_equal(reason, "");
        assert_int_equal(np_verdict_for_lxd_hugepages(&r, &file, true, reason, sizeof(reason)), NP_VERDICT_COMPLIANT);
        assert_int_equal(np_verdict_for_lxd_hugepages(&r, &memfd, true, reason, sizeof(reason)), NP_VERDICT_COMPLIANT);
        assert_int_equal(np_verdict_for_lxd_hugepages(&r, &anon, true, reason, sizeof(reason)), NP_VERDICT_VIOLATION);
        assert_string_equal(reason, "mem0 is not backed by huge pages although limits.memory.hugepages is true");
}

static void test_lxd_config_findings(void **state)
{
        char reason[NP_REASON_MAX];

        (void)state;
        assert_int_equal(np_verdict_for_lxd_without_config("lxc is not installed", reason, sizeof(reason)),
                         NP_VERDICT_UNVERIFIED);
        assert_string_equal(reason, "the instance config could not be read (lxc is not installed): checked against qemu.conf alone, which cannot show a binding LXD left out");
        assert_int_equal(np_verdict_for_lxd_without_config(NULL, reason, sizeof(reason)), NP_VERDICT_UNVERIFIED);
        assert_string_equal(reason, "the instance config could not be read: checked against qemu.conf alone, which cannot show a binding LXD left out");
        assert_int_equal(np_verdict_for_lxd_no_backend("limits.cpu.nodes is 1", reason, sizeof(reason)),
                         NP_VERDICT_VIOLATION);
        assert_string_equal(reason, "qemu.conf has no memory backend although limits.cpu.nodes is 1: the guest RAM is bound to nothing");

        /* 4 GiB asked; two backends may each lose up to 1 MiB to rounding */
        assert_int_equal(np_verdict_for_lxd_memory(4ull << 30, 2, 4ull << 30, "4GiB", reason, sizeof(reason)),
                         NP_VERDICT_COMPLIANT);
        assert_string_equal(reason, "");
        assert_int_equal(np_verdict_for_lxd_memory((4ull << 30) - (2ull << 20) + 1, 2, 4ull << 30, "4GiB",
                                                   reason, sizeof(reason)),
                         NP_VERDICT_COMPLIANT);
        assert_int_equal(np_verdict_for_lxd_memory((4ull << 30) - (2ull << 20), 2, 4ull << 30, "4GiB",
                                                   reason, sizeof(reason)),
                         NP_VERDICT_WARNING);
        assert_string_equal(reason, "qemu.conf's memory backends hold 4094 MiB, limits.memory is 4GiB (4096 MiB)");
        assert_int_equal(np_verdict_for_lxd_memory(2ull << 30, 1, 1ull << 30, NULL, reason, sizeof(reason)),
                         NP_VERDICT_WARNING);
        assert_string_equal(reason, "qemu.conf's memory backends hold 2048 MiB, limits.memory is the 1GiB default (1024 MiB)");
        /* no backends: the no-backend finding says what is wrong */
        assert_int_equal(np_verdict_for_lxd_memory(0, 0, 1ull << 30, NULL, reason, sizeof(reason)),
                         NP_VERDICT_COMPLIANT);
}

static void test_vm(void **state)
{
        (void)state;
        assert_int_equal(np_verdict_for_vm(false, NP_VERDICT_COMPLIANT, NP_VERDICT_COMPLIANT), NP_VERDICT_ERROR);
        assert_int_equal(np_verdict_for_vm(true, NP_VERDICT_COMPLIANT, NP_VERDICT_COMPLIANT), NP_VERDICT_COMPLIANT);
        assert_int_equal(np_verdict_for_vm(true, NP_VERDICT_COMPLIANT, NP_VERDICT_VIOLATION), NP_VERDICT_VIOLATION);
        assert_int_equal(np_verdict_for_vm(true, NP_VERDICT_UNVERIFIED, NP_VERDICT_WARNING), NP_VERDICT_UNVERIFIED);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_region_table),
                cmocka_unit_test(test_unattributed_is_unverified),
                cmocka_unit_test(test_auto_unresolved_is_unverified),
                cmocka_unit_test(test_threads),
                cmocka_unit_test(test_cgroup),
                cmocka_unit_test(test_device),
                cmocka_unit_test(test_worst),
                cmocka_unit_test(test_names_and_exit_codes),
                cmocka_unit_test(test_missing_thread),
                cmocka_unit_test(test_unreadable_device),
                cmocka_unit_test(test_lxd_backend),
                cmocka_unit_test(test_lxd_hugepages),
                cmocka_unit_test(test_lxd_config_findings),
                cmocka_unit_test(test_vm),
        };
        return cmocka_run_group_tests_name("verdict", tests, NULL, NULL);
}
