/* test_hostcheck.c: the host settings checks.
 *
 * The judge is fed values written out by hand, one table row per
 * setting and situation, and the status of each check is compared with
 * the status the row says; the reader is run on the trees of
 * tests/data/make-hostcheck-trees and compared with the values written
 * there; earlier reports are parsed, good and broken. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "error.h"
#include "host.h"
#include "hostcheck.h"
#include "intent.h"
#include "sysroot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A two-node host: 2 MiB pools of 100 pages on each node, 1 GiB pools
 * of 2 on node 0 only. */
static np_hugepool pools0[] = { { 2048, 100, 100, 0 }, { 1048576, 2, 2, 0 } };
static np_hugepool pools1[] = { { 2048, 100, 100, 0 } };
static np_host_node nodes2[] = {
        { .id = 0, .pools = pools0, .n_pools = 2 },
        { .id = 1, .pools = pools1, .n_pools = 1 },
};
static np_host host2 = { .nodes = nodes2, .n_nodes = 2, .default_hugepage_kib = 2048 };
static np_host host1 = { .nodes = nodes2, .n_nodes = 1, .default_hugepage_kib = 2048 };

static np_hostcheck_values quiet_values(const np_host *host)
{
        np_hostcheck_values v = {
                .host = host,
                .numa_balancing = 0,
                .zone_reclaim_mode = 0,
                .ksm_run = 0,
                .ksm_merge_across_nodes = 1,
                .ksm_pages_shared = 0,
                .numad_pid = 0,
                .thp_enabled = "madvise",
                .thp_defrag = "madvise",
        };
        return v;
}

static const np_hostcheck *find(const np_hostcheck_report *rp, const char *name)
{
        for (size_t i = 0; i < rp->n_checks; i++)
                if (!strcmp(rp->checks[i].name, name))
                        return &rp->checks[i];
        fail_msg("no check named %s", name);
        return NULL;
}

enum vms_kind { VMS_UNKNOWN, VMS_NONE_BOUND, VMS_BOUND, VMS_AUTO_ONLY };

static void make_vms(enum vms_kind kind, np_hostcheck_vms *vms)
{
        memset(vms, 0, sizeof(*vms));
        if (kind == VMS_UNKNOWN) {
                snprintf(vms->why_unknown, sizeof(vms->why_unknown), "libvirt not reachable: test");
                return;
        }
        vms->known = true;
        vms->n_domains = 2;
        vms->n_small_pages = 2;
        if (kind == VMS_BOUND)
                vms->n_bound = 1;
        if (kind == VMS_AUTO_ONLY)
                vms->n_auto = 2;
}

typedef struct setting_case {
        const char *name;
        const char *check;
        enum vms_kind vms;
        bool one_node;
        int balancing, zone_reclaim, ksm_run, ksm_merge, numad;
        const char *thp_enabled, *thp_defrag;
        np_hostcheck_status want;
} setting_case;

#define Q 0, 0, 0, 1, 0, "madvise", "madvise" /* the quiet settings */

static const setting_case settings[] = {
        { "balancing off", "numa_balancing", VMS_BOUND, false, Q, NP_HOSTCHECK_PASS },
        { "balancing on, bound VMs", "numa_balancing", VMS_BOUND, false, 1, 0, 0, 1, 0, "madvise", "madvise", NP_HOSTCHECK_WARN },
        { "balancing on, VMs unknown", "numa_balancing", VMS_UNKNOWN, false, 1, 0, 0, 1, 0, "madvise", "madvise", NP_HOSTCHECK_WARN },
        { "balancing on, nothing bound", "numa_balancing", VMS_NONE_BOUND, false, 1, 0, 0, 1, 0, "madvise", "madvise", NP_HOSTCHECK_PASS },
        { "balancing tiering mode", "numa_balancing", VMS_BOUND, false, 2, 0, 0, 1, 0, "madvise", "madvise", NP_HOSTCHECK_WARN },
        { "balancing not in kernel", "numa_balancing", VMS_BOUND, false, -1, 0, 0, 1, 0, "madvise", "madvise", NP_HOSTCHECK_SKIP },
        { "balancing, one node", "numa_balancing", VMS_BOUND, true, 1, 0, 0, 1, 0, "madvise", "madvise", NP_HOSTCHECK_SKIP },
        { "KSM stopped", "ksm_merge_across_nodes", VMS_BOUND, false, Q, NP_HOSTCHECK_PASS },
        { "KSM within nodes", "ksm_merge_across_nodes", VMS_BOUND, false, 0, 0, 1, 0, 0, "madvise", "madvise", NP_HOSTCHECK_PASS },
        { "KSM across nodes, bound", "ksm_merge_across_nodes", VMS_BOUND, false, 0, 0, 1, 1, 0, "madvise", "madvise", NP_HOSTCHECK_FAIL },
        { "KSM across nodes, unknown", "ksm_merge_across_nodes", VMS_UNKNOWN, false, 0, 0, 1, 1, 0, "madvise", "madvise", NP_HOSTCHECK_FAIL },
        { "KSM across nodes, unbound", "ksm_merge_across_nodes", VMS_NONE_BOUND, false, 0, 0, 1, 1, 0, "madvise", "madvise", NP_HOSTCHECK_WARN },
        { "KSM unmerging", "ksm_merge_across_nodes", VMS_BOUND, false, 0, 0, 2, 1, 0, "madvise", "madvise", NP_HOSTCHECK_PASS },
        { "no KSM", "ksm_merge_across_nodes", VMS_BOUND, false, 0, 0, -1, -1, 0, "madvise", "madvise", NP_HOSTCHECK_SKIP },
        { "KSM, one node", "ksm_merge_across_nodes", VMS_BOUND, true, 0, 0, 1, 1, 0, "madvise", "madvise", NP_HOSTCHECK_SKIP },
        { "no numad", "numad", VMS_BOUND, false, Q, NP_HOSTCHECK_PASS },
        { "numad, bound", "numad", VMS_BOUND, false, 0, 0, 0, 1, 77, "madvise", "madvise", NP_HOSTCHECK_FAIL },
        { "numad, unknown", "numad", VMS_UNKNOWN, false, 0, 0, 0, 1, 77, "madvise", "madvise", NP_HOSTCHECK_WARN },
        { "numad, auto only", "numad", VMS_AUTO_ONLY, false, 0, 0, 0, 1, 77, "madvise", "madvise", NP_HOSTCHECK_PASS },
        { "numad, one node", "numad", VMS_BOUND, true, 0, 0, 0, 1, 77, "madvise", "madvise", NP_HOSTCHECK_SKIP },
        { "zone reclaim off", "zone_reclaim_mode", VMS_BOUND, false, Q, NP_HOSTCHECK_PASS },
        { "zone reclaim on", "zone_reclaim_mode", VMS_BOUND, false, 0, 1, 0, 1, 0, "madvise", "madvise", NP_HOSTCHECK_WARN },
        { "zone reclaim write", "zone_reclaim_mode", VMS_NONE_BOUND, false, 0, 3, 0, 1, 0, "madvise", "madvise", NP_HOSTCHECK_WARN },
        { "zone reclaim, one node", "zone_reclaim_mode", VMS_BOUND, true, 0, 1, 0, 1, 0, "madvise", "madvise", NP_HOSTCHECK_SKIP },
        { "THP madvise", "thp_enabled", VMS_BOUND, false, Q, NP_HOSTCHECK_PASS },
        { "THP always", "thp_enabled", VMS_BOUND, false, 0, 0, 0, 1, 0, "always", "madvise", NP_HOSTCHECK_PASS },
        { "THP never, small pages", "thp_enabled", VMS_BOUND, false, 0, 0, 0, 1, 0, "never", "madvise", NP_HOSTCHECK_WARN },
        { "THP never, one node too", "thp_enabled", VMS_BOUND, true, 0, 0, 0, 1, 0, "never", "madvise", NP_HOSTCHECK_WARN },
        { "no THP", "thp_enabled", VMS_BOUND, false, 0, 0, 0, 1, 0, "", "", NP_HOSTCHECK_SKIP },
        { "defrag always", "thp_defrag", VMS_BOUND, false, 0, 0, 0, 1, 0, "always", "always", NP_HOSTCHECK_WARN },
        { "defrag always, THP never", "thp_defrag", VMS_BOUND, false, 0, 0, 0, 1, 0, "never", "always", NP_HOSTCHECK_PASS },
        { "defrag defer+madvise", "thp_defrag", VMS_BOUND, false, 0, 0, 0, 1, 0, "always", "defer+madvise", NP_HOSTCHECK_PASS },
};

static void test_settings(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
                const setting_case *c = &settings[i];
                np_hostcheck_values v = quiet_values(c->one_node ? &host1 : &host2);
                np_hostcheck_report *rp = NULL;
                np_hostcheck_vms vms;
                const np_hostcheck *got;

                print_message("case: %s\n", c->name);
                make_vms(c->vms, &vms);
                v.numa_balancing = c->balancing;
                v.zone_reclaim_mode = c->zone_reclaim;
                v.ksm_run = c->ksm_run;
                v.ksm_merge_across_nodes = c->ksm_merge;
                v.numad_pid = c->numad;
                snprintf(v.thp_enabled, sizeof(v.thp_enabled), "%s", c->thp_enabled);
                snprintf(v.thp_defrag, sizeof(v.thp_defrag), "%s", c->thp_defrag);
                assert_int_equal(np_hostcheck_judge(&v, &vms, NULL, &rp), 0);
                got = find(rp, c->check);
                if (got->status != c->want)
                        fail_msg("%s: %s is %s (%s), expected %s", c->name, c->check,
                                 np_hostcheck_status_to_string(got->status), got->value,
                                 np_hostcheck_status_to_string(c->want));
                /* every worry says what to do, and names its file */
                if (got->status == NP_HOSTCHECK_WARN || got->status == NP_HOSTCHECK_FAIL) {
                        assert_true(got->advice[0]);
                        assert_true(got->file[0] == '/');
                }
                assert_int_equal(np_hostcheck_exit_code(rp), c->want == NP_HOSTCHECK_FAIL);
                np_hostcheck_report_free(rp);
        }
}

static np_intent *intent(const char *xml)
{
        np_intent *in = NULL;
        np_error err = { "" };

        if (np_intent_from_domxml(xml, strlen(xml), "t.xml", &in, &err) < 0)
                fail_msg("%s", err.msg);
        np_intent_set_default_hugepage(in, 2048);
        return in;
}

#define DOMAIN(mem_mib, pages, numatune) \
        "<domain><name>d</name><memory unit='MiB'>" mem_mib "</memory><vcpu>1</vcpu>" \
        "<memoryBacking>" pages "</memoryBacking>" numatune "</domain>"

/* Pools against what the domains need: 100 x 2 MiB per node, 2 x 1 GiB on
 * node 0; autostart shortfalls fail, the others warn. */
static void test_pools(void **state)
{
        static const struct {
                const char *name;
                const char *xml[2];
                bool autostart[2];
                const char *check;
                np_hostcheck_status want;
                const char *value;
        } cases[] = {
                { "fits on node 1", { DOMAIN("128", "<hugepages/>", "<numatune><memory mode='strict' nodeset='1'/></numatune>") },
                  { true }, "hugepages_node1_2048kB", NP_HOSTCHECK_PASS,
                  "64 pages needed by all defined domains, 64 by the autostart ones; 100 in the pool" },
                { "autostart short on node 1", {
                        DOMAIN("128", "<hugepages/>", "<numatune><memory mode='strict' nodeset='1'/></numatune>"),
                        DOMAIN("100", "<hugepages/>", "<numatune><memory mode='preferred' nodeset='1'/></numatune>") },
                  { true, true }, "hugepages_node1_2048kB", NP_HOSTCHECK_FAIL,
                  "114 pages needed by all defined domains, 114 by the autostart ones; 100 in the pool" },
                { "only all defined short", {
                        DOMAIN("128", "<hugepages/>", "<numatune><memory mode='strict' nodeset='1'/></numatune>"),
                        DOMAIN("100", "<hugepages/>", "<numatune><memory mode='strict' nodeset='1'/></numatune>") },
                  { true, false }, "hugepages_node1_2048kB", NP_HOSTCHECK_WARN,
                  "114 pages needed by all defined domains, 64 by the autostart ones; 100 in the pool" },
                { "no 1 GiB pool on node 1", { DOMAIN("1024", "<hugepages><page size='1' unit='G'/></hugepages>",
                                                      "<numatune><memory mode='strict' nodeset='1'/></numatune>") },
                  { false }, "hugepages_node1_1048576kB", NP_HOSTCHECK_WARN,
                  "1 pages needed by all defined domains, 0 by the autostart ones; 0 in the pool" },
                { "two nodes: any pool, with what single-node domains take", {
                        DOMAIN("302", "<hugepages/>", "<numatune><memory mode='interleave' nodeset='0-1'/></numatune>"),
                        DOMAIN("100", "<hugepages/>", "<numatune><memory mode='strict' nodeset='0'/></numatune>") },
                  { true, true }, "hugepages_2048kB", NP_HOSTCHECK_FAIL,
                  "201 pages needed by all defined domains, 201 by the autostart ones; 200 in the pool" },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                np_hostcheck_values v = quiet_values(&host2);
                np_hostcheck_vms vms = { .known = true };
                np_hostcheck_report *rp = NULL;
                const np_hostcheck *got;

                print_message("case: %s\n", cases[i].name);
                for (size_t k = 0; k < 2 && cases[i].xml[k]; k++) {
                        np_intent *in = intent(cases[i].xml[k]);

                        assert_int_equal(np_hostcheck_vms_add(&vms, in, cases[i].autostart[k]), 0);
                        np_intent_free(in);
                }
                assert_int_equal(np_hostcheck_judge(&v, &vms, NULL, &rp), 0);
                got = find(rp, cases[i].check);
                assert_string_equal(got->value, cases[i].value);
                assert_int_equal(got->status, cases[i].want);
                np_hostcheck_report_free(rp);
                np_hostcheck_vms_done(&vms);
        }
}

/* 200 pages of 2 MiB is exactly the 2 x 100 pool: not short. */
static void test_pools_exact_fit(void **state)
{
        np_hostcheck_values v = quiet_values(&host2);
        np_hostcheck_vms vms = { .known = true };
        np_hostcheck_report *rp = NULL;
        np_intent *in = intent(DOMAIN("400", "<hugepages/>", ""));

        (void)state;
        assert_int_equal(np_hostcheck_vms_add(&vms, in, true), 0);
        assert_int_equal(vms.n_bound, 0);
        assert_int_equal(vms.n_small_pages, 0);
        assert_int_equal(np_hostcheck_judge(&v, &vms, NULL, &rp), 0);
        assert_int_equal(find(rp, "hugepages_2048kB")->status, NP_HOSTCHECK_PASS);
        np_hostcheck_report_free(rp);
        np_hostcheck_vms_done(&vms);
        np_intent_free(in);
}

static void test_numastat(void **state)
{
        /* node 0: 1.01% missed; node 1: exactly 1%, which is not above */
        np_numastat now[] = { { 0, 9899, 101, 0 }, { 1, 9900, 100, 100 } };
        np_numastat before[] = { { 0, 9000, 101, 0 }, { 1, 9999999, 0, 0 } };
        np_hostcheck_previous prev = { .numastat = before, .n_numastat = 2 };
        np_hostcheck_values v = quiet_values(&host2);
        np_hostcheck_vms vms;
        np_hostcheck_report *rp = NULL;
        const np_hostcheck *c;

        (void)state;
        make_vms(VMS_BOUND, &vms);
        v.numastat = now;
        v.n_numastat = 2;
        assert_int_equal(np_hostcheck_judge(&v, &vms, NULL, &rp), 0);
        c = find(rp, "numastat_node0");
        assert_int_equal(c->status, NP_HOSTCHECK_WARN);
        assert_string_equal(c->value, "numa_miss 1.01%, numa_foreign 0.00% of 10000 allocations since boot");
        assert_true(c->has_counters);
        assert_int_equal(c->counters.miss, 101);
        c = find(rp, "numastat_node1");
        assert_int_equal(c->status, NP_HOSTCHECK_PASS);
        assert_string_equal(c->value, "numa_miss 1.00%, numa_foreign 1.00% of 10000 allocations since boot");
        np_hostcheck_report_free(rp);

        /* since the previous report node 0 missed nothing; node 1's
         * counters went back */
        assert_int_equal(np_hostcheck_judge(&v, &vms, &prev, &rp), 0);
        c = find(rp, "numastat_node0");
        assert_int_equal(c->status, NP_HOSTCHECK_PASS);
        assert_string_equal(c->value, "numa_miss 0.00%, numa_foreign 0.00% of 899 allocations since the previous report");
        c = find(rp, "numastat_node1");
        assert_non_null(strstr(c->value, "went back"));
        np_hostcheck_report_free(rp);

        v.host = &host1;
        assert_int_equal(np_hostcheck_judge(&v, &vms, NULL, &rp), 0);
        assert_int_equal(find(rp, "numastat")->status, NP_HOSTCHECK_SKIP);
        np_hostcheck_report_free(rp);
}

/* The reader on the trees: every value as make-hostcheck-trees wrote it. */
static void test_read_trees(void **state)
{
        np_sysroot *root = open_tree("hostcheck-2node-bad");
        np_hostcheck_values *v = NULL;
        np_host *host = NULL;
        np_error err = { "" };

        (void)state;
        assert_int_equal(np_host_read(root, &host, &err), 0);
        assert_int_equal(np_hostcheck_read(root, host, &v, &err), 0);
        assert_int_equal(v->numa_balancing, 1);
        assert_int_equal(v->zone_reclaim_mode, 1);
        assert_int_equal(v->ksm_run, 1);
        assert_int_equal(v->ksm_merge_across_nodes, 1);
        assert_int_equal(v->ksm_pages_shared, 4096);
        assert_int_equal(v->numad_pid, 4100);
        assert_string_equal(v->thp_enabled, "never");
        assert_string_equal(v->thp_defrag, "always");
        assert_int_equal(v->n_numastat, 2);
        assert_int_equal(v->numastat[0].node, 0);
        assert_int_equal(v->numastat[0].hit, 900000);
        assert_int_equal(v->numastat[0].miss, 100000);
        assert_int_equal(v->numastat[0].foreign, 2000);
        assert_int_equal(v->numastat[1].foreign, 100000);
        np_hostcheck_values_free(v);
        np_host_free(host);
        np_sysroot_free(root);

        /* a kernel without these files: everything unknown, nothing fails */
        root = open_tree("host-2node");
        assert_int_equal(np_host_read(root, &host, &err), 0);
        assert_int_equal(np_hostcheck_read(root, host, &v, &err), 0);
        assert_int_equal(v->numa_balancing, -1);
        assert_int_equal(v->ksm_run, -1);
        assert_int_equal(v->numad_pid, 0);
        assert_string_equal(v->thp_enabled, "");
        assert_int_equal(v->n_numastat, 0);
        np_hostcheck_values_free(v);
        np_host_free(host);
        np_sysroot_free(root);
}

static void test_previous(void **state)
{
        static const char good[] =
                "{\"status\":\"warn\",\"extra\":[1,2.5e3,-4,true,false,null,{\"a\":[]}],"
                "\"checks\":[{\"name\":\"numa_balancing\",\"advice\":\"say \\\"no\\\" \\u00e9\"},"
                "{\"name\":\"numastat_node1\",\"counters\":{\"numa_foreign\":3,\"node\":1,\"numa_hit\":18446744073709551615,\"numa_miss\":2,\"later\":\"x\"}}]}\n";
        static const struct {
                const char *text;
                const char *message;
        } bad[] = {
                { "", "prev.json: byte 0: expected a JSON object (a 'numaplace host --check --json' report)" },
                { "[]", "prev.json: byte 0: expected a JSON object (a 'numaplace host --check --json' report)" },
                { "{}", "prev.json: byte 2: no 'checks' array: not a 'numaplace host --check --json' report" },
                { "{\"checks\":{}}", "prev.json: byte 10: expected an array for 'checks'" },
                { "{\"checks\":[{\"counters\":{\"node\":0}}]}", "prev.json: byte 33: 'counters' needs node, numa_hit, numa_miss and numa_foreign" },
                { "{\"checks\":[{\"counters\":{\"node\":0,\"numa_hit\":1.5,\"numa_miss\":0,\"numa_foreign\":0}}]}",
                  "prev.json: byte 44: expected a non-negative integer" },
                { "{\"checks\":[{\"counters\":{\"node\":0,\"numa_hit\":18446744073709551616}}]}",
                  "prev.json: byte 44: number too large" },
                { "{\"checks\":[]} x", "prev.json: byte 14: text after the JSON object" },
                { "{\"checks\":[{\"name\":\"a", "prev.json: byte 21: a string is not closed" },
                { "{\"checks\":[{\"name\":\"a\\q\"}]}", "prev.json: byte 23: an unknown escape in a string" },
                { "{\"checks\":[{\"counters\":{}}]}", "prev.json: byte 25: 'counters' is empty" },
                { "{\"checks\":[{\"counters\":{\"node\":4096,\"numa_hit\":1,\"numa_miss\":0,\"numa_foreign\":0}}]}",
                  "prev.json: byte 35: node number too large" },
                { "{\"checks\":[{\"counters\":{\"node\":-1}}]}", "prev.json: byte 31: expected a non-negative integer" },
                { "{\"checks\":[{\"counters\":{\"node\":\"1\"}}]}", "prev.json: byte 31: expected a non-negative integer" },
                { "{\"checks\":[{\"counters\":{\"node\":[1]}}]}", "prev.json: byte 31: expected a non-negative integer" },
                { "{\"checks\":[{\"counters\":{\"node\":0,\"numa_hit\":1,\"numa_miss\":0,\"numa_foreign\":0,\"x\":\"\xff\"}}]}",
                  "prev.json: byte 82: invalid UTF-8 in a string" },
                { "{\"checks\":[{\"name\" \"a\"}]}", "prev.json: byte 19: expected ':'" },
        };
        np_hostcheck_previous prev = { 0 };
        np_error err = { "" };

        (void)state;
        assert_int_equal(np_hostcheck_previous_parse(good, strlen(good), "prev.json", &prev, &err), 0);
        assert_int_equal(prev.n_numastat, 1);
        assert_int_equal(prev.numastat[0].node, 1);
        assert_true(prev.numastat[0].hit == UINT64_MAX);
        assert_int_equal(prev.numastat[0].miss, 2);
        assert_int_equal(prev.numastat[0].foreign, 3);
        np_hostcheck_previous_done(&prev);

        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                print_message("case: %s\n", bad[i].text);
                assert_int_equal(np_hostcheck_previous_parse(bad[i].text, strlen(bad[i].text), "prev.json",
                                                             &prev, &err), -EINVAL);
                assert_string_equal(err.msg, bad[i].message);
                assert_null(prev.numastat);
        }
}

/* A report written with np_hostcheck_report_json() reads back as the
 * previous report with the same counters. */
static void test_previous_round_trip(void **state)
{
        np_numastat now[] = { { 0, 5, 6, 7 }, { 1, 8, 9, 10 } };
        np_hostcheck_values v = quiet_values(&host2);
        np_hostcheck_previous prev = { 0 };
        np_hostcheck_report *rp = NULL;
        np_hostcheck_vms vms;
        np_error err = { "" };
        char *buf = NULL;
        size_t len = 0;
        FILE *f;

        (void)state;
        make_vms(VMS_UNKNOWN, &vms);
        v.numastat = now;
        v.n_numastat = 2;
        assert_int_equal(np_hostcheck_judge(&v, &vms, NULL, &rp), 0);
        f = open_memstream(&buf, &len);
        assert_non_null(f);
        assert_int_equal(np_hostcheck_report_json(f, rp, true), 0);
        fclose(f);
        assert_int_equal(np_hostcheck_previous_parse(buf, len, "r.json", &prev, &err), 0);
        assert_int_equal(prev.n_numastat, 2);
        assert_int_equal(prev.numastat[1].node, 1);
        assert_int_equal(prev.numastat[1].hit, 8);
        assert_int_equal(prev.numastat[1].miss, 9);
        assert_int_equal(prev.numastat[1].foreign, 10);
        np_hostcheck_previous_done(&prev);
        np_hostcheck_report_free(rp);
        free(buf);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_settings),
                cmocka_unit_test(test_pools),
                cmocka_unit_test(test_pools_exact_fit),
                cmocka_unit_test(test_numastat),
                cmocka_unit_test(test_read_trees),
                cmocka_unit_test(test_previous),
                cmocka_unit_test(test_previous_round_trip),
        };

        return cmocka_run_group_tests_name("hostcheck", tests, NULL, NULL);
}
