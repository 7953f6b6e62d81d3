/* test_host.c: the host NUMA reader on fixture trees.
 *
 * A two-node host with two huge page sizes, a four-node host with a
 * CPU-only and a memory-only node, a kernel without NUMA, broken
 * captures by the message they must give, and a smoke test on this
 * machine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "error.h"
#include "host.h"
#include "sysroot.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct want_pool {
        uint64_t size_kib, total, free, surplus;
} want_pool;

typedef struct want_node {
        unsigned id;
        const char *cpus;
        uint64_t total_kib, free_kib;
        unsigned distances[4];
        size_t n_pools;
        want_pool pools[2];
} want_node;

typedef struct want_host {
        const char *tree;
        const char *online, *with_memory;
        uint64_t default_hugepage_kib;
        size_t n_nodes;
        want_node nodes[4];
} want_host;

static const want_host hosts[] = {
        {
                .tree = "host-2node", .online = "0-1", .with_memory = "0-1",
                .default_hugepage_kib = 2048, .n_nodes = 2,
                .nodes = {
                        { 0, "0-3", 16303836, 9123456, { 10, 21 }, 2,
                          { { 2048, 1024, 512, 0 }, { 1048576, 2, 1, 0 } } },
                        { 1, "4-7", 16513072, 15000000, { 21, 10 }, 2,
                          { { 2048, 1024, 1024, 3 }, { 1048576, 0, 0, 0 } } },
                },
        },
        {
                .tree = "host-4node-memless", .online = "0-3", .with_memory = "0-1,3",
                .default_hugepage_kib = 0, .n_nodes = 4,
                .nodes = {
                        { 0, "0-1", 8000000, 7000000, { 10, 20, 20, 30 }, 1, { { 2048, 0, 0, 0 } } },
                        { 1, "2-3", 8000000, 6000000, { 20, 10, 30, 20 }, 1, { { 2048, 16, 16, 0 } } },
                        { 2, "4-5", 0, 0, { 20, 30, 10, 20 }, 0, { { 0 } } },
                        { 3, "", 4000000, 4000000, { 30, 20, 20, 10 }, 0, { { 0 } } },
                },
        },
        {
                .tree = "host-nonuma", .online = "0", .with_memory = "0",
                .default_hugepage_kib = 1048576, .n_nodes = 1,
                .nodes = {
                        { 0, "0-3", 4011852, 3500000, { 10 }, 2,
                          { { 2048, 64, 60, 0 }, { 1048576, 8, 8, 0 } } },
                },
        },
};

static void test_read_hosts(void **state)
{
        (void)state;
        for (size_t h = 0; h < sizeof(hosts) / sizeof(hosts[0]); h++) {
                const want_host *w = &hosts[h];
                np_sysroot *root = open_tree(w->tree);
                np_host *host = NULL;
                np_error err = { { 0 } };
                char buf[64];

                print_message("  tree %s\n", w->tree);
                if (np_host_read(root, &host, &err) != 0)
                        fail_msg("%s: %s", w->tree, err.msg);
                assert_string_equal(fmt(&host->online, buf, sizeof(buf)), w->online);
                assert_string_equal(fmt(&host->with_memory, buf, sizeof(buf)), w->with_memory);
                assert_int_equal(host->default_hugepage_kib, w->default_hugepage_kib);
                assert_int_equal(host->n_nodes, w->n_nodes);
                for (size_t i = 0; i < w->n_nodes; i++) {
                        const np_host_node *n = &host->nodes[i];
                        const want_node *wn = &w->nodes[i];

                        assert_int_equal(n->id, wn->id);
                        assert_ptr_equal(np_host_node_get(host, wn->id), n);
                        assert_string_equal(fmt(&n->cpus, buf, sizeof(buf)), wn->cpus);
                        assert_int_equal(n->mem_total_kib, wn->total_kib);
                        assert_int_equal(n->mem_free_kib, wn->free_kib);
                        assert_int_equal(n->n_distances, w->n_nodes);
                        for (size_t d = 0; d < w->n_nodes; d++)
                                assert_int_equal(n->distances[d], wn->distances[d]);
                        assert_int_equal(n->n_pools, wn->n_pools);
                        for (size_t p = 0; p < wn->n_pools; p++) {
                                assert_int_equal(n->pools[p].size_kib, wn->pools[p].size_kib);
                                assert_int_equal(n->pools[p].total, wn->pools[p].total);
                                assert_int_equal(n->pools[p].free, wn->pools[p].free);
                                assert_int_equal(n->pools[p].surplus, wn->pools[p].surplus);
                                assert_ptr_equal(np_host_node_pool(n, wn->pools[p].size_kib), &n->pools[p]);
                        }
                        assert_null(np_host_node_pool(n, 4));
                }
                assert_null(np_host_node_get(host, 7));
                np_host_free(host);
                np_sysroot_free(root);
        }
        np_host_free(NULL);
}

static void test_read_errors(void **state)
{
        static const struct {
                const char *tree;
                int r;
                const char *suffix;
        } cases[] = {
                { "host-bad-distance", -EINVAL,
                  "/sys/devices/system/node/node0/distance: more distances than the 2 online nodes" },
                { "host-bad-meminfo", -EINVAL,
                  "/sys/devices/system/node/node0/meminfo: 'Node 0 MemTotal:       lots kB': expected 'MemTotal: <number> kB'" },
                { "host-missing-cpulist", -ENOENT,
                  "/sys/devices/system/node/node0/cpulist: No such file or directory" },
                { "host-wrong-node-meminfo", -EINVAL,
                  "/sys/devices/system/node/node1/meminfo: 'Node 0 MemTotal:        1000 kB': expected node 1" },
                { "host-nonuma-nomeminfo", -ENOENT,
                  "/proc/meminfo: No such file or directory" },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char dir[PATH_MAX], want[PATH_MAX + 160];
                np_sysroot *root = open_tree(cases[i].tree);
                np_host *host = NULL;
                np_error err = { { 0 } };

                print_message("  tree %s\n", cases[i].tree);
                assert_int_equal(np_host_read(root, &host, &err), cases[i].r);
                assert_null(host);
                snprintf(want, sizeof(want), "%s%s", data_dir(cases[i].tree, dir, sizeof(dir)), cases[i].suffix);
                assert_string_equal(err.msg, want);
                np_sysroot_free(root);
        }
}

/* Smoke test against the running kernel: this machine's topology reads. */
static void test_live_host_smoke(void **state)
{
        np_sysroot *root = NULL;
        np_host *host = NULL;
        np_error err = { { 0 } };

        (void)state;
        assert_int_equal(np_sysroot_open("/", &root, &err), 0);
        if (np_host_read(root, &host, &err) != 0)
                fail_msg("%s", err.msg);
        assert_true(host->n_nodes >= 1);
        assert_false(np_bitmap_is_empty(&host->nodes[0].cpus) && host->n_nodes == 1);
        np_host_free(host);
        np_sysroot_free(root);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_read_hosts),
                cmocka_unit_test(test_read_errors),
                cmocka_unit_test(test_live_host_smoke),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
