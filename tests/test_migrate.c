/* test_migrate.c: the migrate plan, one table row per situation.  The
 * check's figures, the mappings and the host are built by hand; the
 * moves each row expects are written out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "attribute.h"
#include "host.h"
#include "migrate.h"
#include "testutil.h"

typedef struct mcase {
        const char *name;
        np_mode mode;
        const char *nodes;          /* allowed */
        np_enforcement enforcement;
        np_policy_kind policy;      /* of the one mapping */
        const char *policy_nodes;   /* NULL: none */
        bool huge;
        uint64_t pagesize_kib;
        uint64_t pages[3];          /* on nodes 0, 1, 2 */
        np_verdict verdict;         /* the check's */
        const char *cgroup;         /* cpuset.mems */
        const char *mems_allowed;
        uint64_t free_kib[3];       /* MemFree per node */
        uint64_t free_huge[3];      /* free 2M pages per node */
        np_migrate_action want;
        const char *want_moves;     /* "from>to:pages ..." */
        const char *want_reason;    /* substring; NULL: none asked */
} mcase;

#define MIB 1024
static const mcase cases[] = {
        { "hugepages moved off node 1, node 1's pool has room", NP_MODE_STRICT, "1", NP_ENFORCE_MBIND,
          NP_POLICY_BIND, "1", true, 2048, { 32, 0, 0 }, NP_VERDICT_VIOLATION, "0-1", "0-1",
          { 400 * MIB, 400 * MIB, 0 }, { 16, 48, 0 }, NP_MIGRATE_MOVE, "0>1:32", NULL },
        { "hugepages, node 1's pool short: nothing of the region", NP_MODE_STRICT, "1", NP_ENFORCE_MBIND,
          NP_POLICY_BIND, "1", true, 2048, { 32, 0, 0 }, NP_VERDICT_VIOLATION, "0-1", "0-1",
          { 400 * MIB, 400 * MIB, 0 }, { 16, 16, 0 }, NP_MIGRATE_NO_ROOM, "",
          "node 1 has 16 free 2M huge pages, 32 needed; nothing of this region moves" },
        { "hugepages, free memory but no free huge page", NP_MODE_STRICT, "1", NP_ENFORCE_MBIND,
          NP_POLICY_BIND, "1", true, 2048, { 1, 0, 0 }, NP_VERDICT_VIOLATION, "0-1", "0-1",
          { 400 * MIB, 400 * MIB, 0 }, { 16, 0, 0 }, NP_MIGRATE_NO_ROOM, "", "node 1 has 0 free 2M huge pages, 1 needed" },
        { "compliant: never touched", NP_MODE_STRICT, "1", NP_ENFORCE_MBIND,
          NP_POLICY_BIND, "1", true, 2048, { 0, 32, 0 }, NP_VERDICT_COMPLIANT, "0-1", "0-1",
          { 400 * MIB, 400 * MIB, 0 }, { 48, 48, 0 }, NP_MIGRATE_NOTHING, "", "compliant: nothing to move" },
        { "LXD #15082: no policy, cgroup wide: refused with the fix", NP_MODE_STRICT, "1", NP_ENFORCE_MBIND,
          NP_POLICY_DEFAULT, NULL, true, 2048, { 32, 0, 0 }, NP_VERDICT_VIOLATION, "0-1", "0-1",
          { 400 * MIB, 400 * MIB, 0 }, { 48, 48, 0 }, NP_MIGRATE_NO_BINDING, "",
          "needs host-nodes=1 and policy=bind" },
        { "no policy but cpuset.mems confines: moved", NP_MODE_STRICT, "1", NP_ENFORCE_MBIND,
          NP_POLICY_DEFAULT, NULL, false, 4, { 100, 0, 0 }, NP_VERDICT_VIOLATION, "1", "0-1",
          { 400 * MIB, 400 * MIB, 0 }, { 0, 0, 0 }, NP_MIGRATE_MOVE, "0>1:100", NULL },
        { "restrictive, cpuset.mems wide: refused", NP_MODE_RESTRICTIVE, "1", NP_ENFORCE_CGROUP,
          NP_POLICY_DEFAULT, NULL, false, 4, { 100, 0, 0 }, NP_VERDICT_VIOLATION, "0-1", "0-1",
          { 400 * MIB, 400 * MIB, 0 }, { 0, 0, 0 }, NP_MIGRATE_NO_BINDING, "",
          "set the cgroup's cpuset.mems to 1" },
        { "late bind, 4 KiB", NP_MODE_STRICT, "1", NP_ENFORCE_MBIND,
          NP_POLICY_BIND, "1", false, 4, { 12288, 4096, 0 }, NP_VERDICT_VIOLATION, "0-1", "0-1",
          { 400 * MIB, 400 * MIB, 0 }, { 0, 0, 0 }, NP_MIGRATE_MOVE, "0>1:12288", NULL },
        { "4 KiB, node 1 short of MemFree", NP_MODE_STRICT, "1", NP_ENFORCE_MBIND,
          NP_POLICY_BIND, "1", false, 4, { 12288, 4096, 0 }, NP_VERDICT_VIOLATION, "0-1", "0-1",
          { 400 * MIB, 40 * MIB, 0 }, { 0, 0, 0 }, NP_MIGRATE_NO_ROOM, "", "node 1 has 40 MiB free, 48 MiB needed" },
        { "interleave: the emptiest node takes all while it stays ahead", NP_MODE_INTERLEAVE, "0-1", NP_ENFORCE_MBIND,
          NP_POLICY_INTERLEAVE, "0-1", false, 4, { 0, 0, 4096 }, NP_VERDICT_VIOLATION, "0-2", "0-2",
          { 100 * MIB, 50 * MIB, 0 }, { 0, 0, 0 }, NP_MIGRATE_MOVE, "2>0:4096", NULL },
        /* node 0 has 5120 pages of room, node 1 4608: 512 go to node 0,
         * then the two are level and share the remaining 3584 */
        { "interleave: levelled, then shared", NP_MODE_INTERLEAVE, "0-1", NP_ENFORCE_MBIND,
          NP_POLICY_INTERLEAVE, "0-1", false, 4, { 0, 0, 4096 }, NP_VERDICT_VIOLATION, "0-2", "0-2",
          { 20 * MIB, 18 * MIB, 0 }, { 0, 0, 0 }, NP_MIGRATE_MOVE, "2>0:2304 2>1:1792", NULL },
        { "an odd page goes to the lower node", NP_MODE_INTERLEAVE, "0-1", NP_ENFORCE_MBIND,
          NP_POLICY_INTERLEAVE, "0-1", false, 4, { 0, 0, 3 }, NP_VERDICT_VIOLATION, "0-2", "0-2",
          { 20 * MIB, 20 * MIB, 0 }, { 0, 0, 0 }, NP_MIGRATE_MOVE, "2>0:2 2>1:1", NULL },
        { "cpuset keeps the process off node 1", NP_MODE_STRICT, "1", NP_ENFORCE_MBIND,
          NP_POLICY_BIND, "1", false, 4, { 100, 0, 0 }, NP_VERDICT_VIOLATION, "0", "0",
          { 400 * MIB, 400 * MIB, 0 }, { 0, 0, 0 }, NP_MIGRATE_NO_TARGET, "",
          "the process may use only nodes 0 (Mems_allowed_list), none of its nodes 1" },
        { "preferred fallback moves back when there is room", NP_MODE_PREFERRED, "1", NP_ENFORCE_MBIND,
          NP_POLICY_PREFERRED, "1", true, 2048, { 8, 0, 0 }, NP_VERDICT_WARNING, "0-1", "0-1",
          { 400 * MIB, 400 * MIB, 0 }, { 0, 8, 0 }, NP_MIGRATE_MOVE, "0>1:8", NULL },
        { "not bound: nothing", NP_MODE_NONE, "1", NP_ENFORCE_NONE,
          NP_POLICY_DEFAULT, NULL, false, 4, { 100, 0, 0 }, NP_VERDICT_COMPLIANT, "0-1", "0-1",
          { 400 * MIB, 400 * MIB, 0 }, { 0, 0, 0 }, NP_MIGRATE_NOTHING, "", "not bound by the configuration" },
};

static void set(np_bitmap *b, const char *s)
{
        np_error err;

        assert_int_equal(np_bitmap_parse(s, NP_NODE_MAX, b, &err), 0);
}

static void test_plan_table(void **state)
{
        (void)state;
        for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
                const mcase *k = &cases[c];
                np_region region = { .id = "ram-node0", .cell = 0, .mode = k->mode,
                                     .has_nodes = true, .pagesize_kib = k->pagesize_kib,
                                     .enforcement = k->enforcement };
                np_intent intent = { .regions = &region, .n_regions = 1 };
                np_region_result rr = { .region = &region, .verdict = k->verdict, .attributed = true,
                                        .seen_pagesize_kib = k->pagesize_kib };
                np_check_result res = { .regions = &rr, .n_regions = 1, .has_cgroup_mems = true };
                np_node_pages np[3];
                np_mapping map = { .start = 0x7f0000000000, .end = 0x7f0000000000 + (64ull << 20),
                                   .path = "", .has_numa = true, .policy = k->policy,
                                   .has_policy_nodes = k->policy_nodes != NULL, .huge = k->huge,
                                   .pagesize_kib = k->pagesize_kib, .nodes = np, .region = 0 };
                np_hugepool pools[3];
                np_host_node hnodes[3];
                np_host host = { .nodes = hnodes, .n_nodes = 3 };
                np_bitmap mems;
                np_migrate_plan *plan = NULL;
                np_error err = { "" };
                char moves[256] = "";
                size_t used = 0;

                set(&region.nodes, k->nodes);
                set(&res.cgroup_mems, k->cgroup);
                set(&mems, k->mems_allowed);
                if (k->policy_nodes)
                        set(&map.policy_nodes, k->policy_nodes);
                for (unsigned n = 0; n < 3; n++) {
                        rr.pages_kib[n] = k->pages[n] * k->pagesize_kib;
                        if (k->pages[n]) {
                                np[map.n_nodes++] = (np_node_pages){ n, k->pages[n] };
                                np_bitmap_set(&rr.nodes_seen, n);
                        }
                        pools[n] = (np_hugepool){ .size_kib = 2048, .total = 64, .free = k->free_huge[n] };
                        hnodes[n] = (np_host_node){ .id = n, .mem_free_kib = k->free_kib[n],
                                                    .pools = &pools[n], .n_pools = 1 };
                }
                assert_int_equal(np_migrate_plan_make(&intent, &res, &map, 1, &mems, &host, &plan, &err), 0);
                assert_int_equal(plan->n_regions, 1);
                for (size_t m = 0; m < plan->regions[0].n_moves; m++)
                        used += (size_t)snprintf(moves + used, sizeof(moves) - used, "%s%u>%u:%llu", used ? " " : "",
                                                 plan->regions[0].moves[m].from, plan->regions[0].moves[m].to,
                                                 (unsigned long long)plan->regions[0].moves[m].pages);
                if (plan->regions[0].action != k->want || strcmp(moves, k->want_moves) != 0 ||
                    (k->want_reason && !strstr(plan->regions[0].reason, k->want_reason)))
                        fail_msg("%s: action '%s', moves '%s', reason '%s'; expected '%s', '%s', '%s'", k->name,
                                 np_migrate_action_to_string(plan->regions[0].action), moves,
                                 plan->regions[0].reason, np_migrate_action_to_string(k->want), k->want_moves,
                                 k->want_reason ? k->want_reason : "");
                np_migrate_plan_free(plan);
        }
}

/* Two regions wanting the same pool: the second sees what the first took. */
static void test_regions_share_the_pool(void **state)
{
        np_region regions[2] = {
                { .id = "ram-node0", .cell = 0, .mode = NP_MODE_STRICT, .has_nodes = true,
                  .pagesize_kib = 2048, .enforcement = NP_ENFORCE_MBIND },
                { .id = "ram-node1", .cell = 1, .mode = NP_MODE_STRICT, .has_nodes = true,
                  .pagesize_kib = 2048, .enforcement = NP_ENFORCE_MBIND },
        };
        np_intent intent = { .regions = regions, .n_regions = 2 };
        np_region_result rr[2] = {
                { .region = &regions[0], .verdict = NP_VERDICT_VIOLATION, .attributed = true, .seen_pagesize_kib = 2048 },
                { .region = &regions[1], .verdict = NP_VERDICT_VIOLATION, .attributed = true, .seen_pagesize_kib = 2048 },
        };
        np_check_result res = { .regions = rr, .n_regions = 2 };
        np_node_pages np0 = { 0, 10 }, np1 = { 0, 10 };
        np_mapping maps[2] = {
                { .start = 0x1000000, .end = 0x3000000, .path = "", .has_numa = true, .policy = NP_POLICY_BIND,
                  .has_policy_nodes = true, .huge = true, .pagesize_kib = 2048, .nodes = &np0, .n_nodes = 1, .region = 0 },
                { .start = 0x5000000, .end = 0x7000000, .path = "", .has_numa = true, .policy = NP_POLICY_BIND,
                  .has_policy_nodes = true, .huge = true, .pagesize_kib = 2048, .nodes = &np1, .n_nodes = 1, .region = 1 },
        };
        np_hugepool pools[2] = { { .size_kib = 2048, .free = 0 }, { .size_kib = 2048, .free = 15 } };
        np_host_node hnodes[2] = { { .id = 0, .pools = &pools[0], .n_pools = 1 },
                                   { .id = 1, .pools = &pools[1], .n_pools = 1 } };
        np_host host = { .nodes = hnodes, .n_nodes = 2 };
        np_bitmap mems;
        np_migrate_plan *plan = NULL;

        (void)state;
        set(&regions[0].nodes, "1");
        set(&regions[1].nodes, "1");
        set(&maps[0].policy_nodes, "1");
        set(&maps[1].policy_nodes, "1");
        set(&mems, "0-1");
        rr[0].pages_kib[0] = rr[1].pages_kib[0] = 10 * 2048;
        assert_int_equal(np_migrate_plan_make(&intent, &res, maps, 2, &mems, &host, &plan, NULL), 0);
        assert_int_equal(plan->regions[0].action, NP_MIGRATE_MOVE);
        assert_int_equal(plan->regions[0].moves[0].pages, 10);
        assert_int_equal(plan->regions[1].action, NP_MIGRATE_NO_ROOM);
        assert_non_null(strstr(plan->regions[1].reason, "node 1 has 5 free 2M huge pages, 10 needed"));
        assert_int_equal(plan->pages_to_move, 10);
        assert_int_equal(plan->kib_to_move, 10 * 2048);
        assert_int_equal(plan->n_refused, 1);
        np_migrate_plan_free(plan);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_plan_table),
                cmocka_unit_test(test_regions_share_the_pool),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
