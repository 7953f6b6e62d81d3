/* test_preflight.c: the start-time check of demands against the host.
 *
 * Each case is a small host (nodes, memory, free huge pages per size) and
 * the regions of one VM; the expected result is the exact list of
 * messages, joined as the hook prints them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bitmap.h"
#include "error.h"
#include "host.h"
#include "intent.h"
#include "preflight.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NODES 4
#define MAX_REGIONS 4

typedef struct host_spec {
        unsigned n_nodes;
        unsigned ids[MAX_NODES];
        bool memoryless[MAX_NODES];
        uint64_t free_2m[MAX_NODES];
        bool pool_1g;                 /* every node has a 1 GiB pool */
        uint64_t free_1g[MAX_NODES];
        uint64_t default_hugepage_kib;
} host_spec;

typedef struct region_spec {
        const char *id;
        uint64_t size_kib;
        np_mode mode;
        const char *nodes;            /* NULL: no binding */
        uint64_t pagesize_kib;        /* 0 means 4 */
        bool pagesize_default;
} region_spec;

typedef struct expected_item {
        np_shortfall_kind kind;
        bool preferred_only;
        uint64_t needed, available;
} expected_item;

typedef struct preflight_case {
        const char *name;
        host_spec host;
        region_spec regions[MAX_REGIONS];
        const char *summary;          /* exact np_preflight_summary() text */
        size_t n_items;
        expected_item items[4];
} preflight_case;

#define TWO_NODES(f0, f1) { .n_nodes = 2, .ids = { 0, 1 }, .free_2m = { f0, f1 }, .default_hugepage_kib = 2048 }

static const preflight_case cases[] = {
        {
                .name = "strict 2M region fits on its node",
                .host = TWO_NODES(100, 600),
                .regions = { { "ram-node0", 1048576, NP_MODE_STRICT, "1", 2048, false } },
                .summary = "",
        },
        {
                .name = "strict 2M region short on its node (the issue's example)",
                .host = TWO_NODES(1000, 100),
                .regions = { { "ram-node0", 1048576, NP_MODE_STRICT, "1", 2048, false } },
                .summary = "ram-node0 needs 512 x 2048 kB hugepages on node 1, node 1 has 100 free",
                .n_items = 1,
                .items = { { NP_SHORTFALL_HUGEPAGES, false, 512, 100 } },
        },
        {
                .name = "regions on the same node are counted together",
                .host = TWO_NODES(1000, 300),
                .regions = {
                        { "ram-node0", 524288, NP_MODE_STRICT, "1", 2048, false },
                        { "ram-node1", 524288, NP_MODE_STRICT, "1", 2048, false },
                },
                .summary = "ram-node0, ram-node1 need 512 x 2048 kB hugepages on node 1, node 1 has 300 free",
                .n_items = 1,
                .items = { { NP_SHORTFALL_HUGEPAGES, false, 512, 300 } },
        },
        {
                .name = "strict multi-node set: free pages of all allowed nodes together",
                .host = TWO_NODES(300, 300),
                .regions = { { "ram-node0", 1048576, NP_MODE_STRICT, "0-1", 2048, false } },
                .summary = "",
        },
        {
                .name = "strict multi-node set short even together",
                .host = TWO_NODES(200, 200),
                .regions = { { "ram-node0", 1048576, NP_MODE_STRICT, "0-1", 2048, false } },
                .summary = "ram-node0 needs 512 x 2048 kB hugepages on nodes 0-1, nodes 0-1 have 400 free",
                .n_items = 1,
                .items = { { NP_SHORTFALL_HUGEPAGES, false, 512, 400 } },
        },
        {
                .name = "overlapping sets: each fits alone, not both",
                .host = TWO_NODES(50, 100),
                .regions = {
                        { "ram-node0", 204800, NP_MODE_STRICT, "1", 2048, false },
                        { "ram-node1", 204800, NP_MODE_STRICT, "0-1", 2048, false },
                },
                .summary = "ram-node0, ram-node1 need 200 x 2048 kB hugepages on nodes 0-1, nodes 0-1 have 150 free",
                .n_items = 1,
                .items = { { NP_SHORTFALL_HUGEPAGES, false, 200, 150 } },
        },
        {
                .name = "only the smallest short set is reported",
                .host = TWO_NODES(1000, 100),
                .regions = {
                        { "ram-node0", 20480, NP_MODE_STRICT, "0", 2048, false },
                        { "ram-node1", 1228800, NP_MODE_STRICT, "1", 2048, false },
                },
                .summary = "ram-node1 needs 600 x 2048 kB hugepages on node 1, node 1 has 100 free",
                .n_items = 1,
                .items = { { NP_SHORTFALL_HUGEPAGES, false, 600, 100 } },
        },
        {
                .name = "two nodes short each: both reported, not their union",
                .host = TWO_NODES(10, 20),
                .regions = {
                        { "ram-node0", 65536, NP_MODE_STRICT, "0", 2048, false },
                        { "ram-node1", 65536, NP_MODE_STRICT, "1", 2048, false },
                },
                .summary = "ram-node0 needs 32 x 2048 kB hugepages on node 0, node 0 has 10 free; "
                           "ram-node1 needs 32 x 2048 kB hugepages on node 1, node 1 has 20 free",
                .n_items = 2,
                .items = {
                        { NP_SHORTFALL_HUGEPAGES, false, 32, 10 },
                        { NP_SHORTFALL_HUGEPAGES, false, 32, 20 },
                },
        },
        {
                .name = "preferred region short: flagged as preferred only",
                .host = TWO_NODES(1000, 16),
                .regions = { { "ram-node0", 65536, NP_MODE_PREFERRED, "1", 2048, false } },
                .summary = "ram-node0 needs 32 x 2048 kB hugepages on node 1, node 1 has 16 free",
                .n_items = 1,
                .items = { { NP_SHORTFALL_HUGEPAGES, true, 32, 16 } },
        },
        {
                .name = "strict and preferred short together: not preferred only",
                .host = TWO_NODES(1000, 40),
                .regions = {
                        { "ram-node0", 65536, NP_MODE_PREFERRED, "1", 2048, false },
                        { "ram-node1", 65536, NP_MODE_STRICT, "1", 2048, false },
                },
                .summary = "ram-node0, ram-node1 need 64 x 2048 kB hugepages on node 1, node 1 has 40 free",
                .n_items = 1,
                .items = { { NP_SHORTFALL_HUGEPAGES, false, 64, 40 } },
        },
        {
                .name = "node the host does not have",
                .host = TWO_NODES(0, 0),
                .regions = { { "ram-node0", 65536, NP_MODE_STRICT, "0,3", 4, false } },
                .summary = "ram-node0 is bound to node 3, which this host does not have",
                .n_items = 1,
                .items = { { NP_SHORTFALL_NO_SUCH_NODE, false, 0, 0 } },
        },
        {
                .name = "several missing nodes, hugepages not counted twice",
                .host = TWO_NODES(0, 0),
                .regions = { { "pc.ram", 65536, NP_MODE_STRICT, "2-3", 2048, false } },
                .summary = "pc.ram is bound to nodes 2-3, which this host does not have",
                .n_items = 1,
                .items = { { NP_SHORTFALL_NO_SUCH_NODE, false, 0, 0 } },
        },
        {
                .name = "node without memory",
                .host = { .n_nodes = 2, .ids = { 0, 1 }, .memoryless = { false, true },
                          .free_2m = { 100, 0 }, .default_hugepage_kib = 2048 },
                .regions = { { "ram-node1", 65536, NP_MODE_PREFERRED, "1", 2048, false } },
                .summary = "ram-node1 is bound to node 1, which has no memory",
                .n_items = 1,
                .items = { { NP_SHORTFALL_NO_MEMORY, true, 0, 0 } },
        },
        {
                .name = "default huge page size taken from the host",
                .host = TWO_NODES(10, 0),
                .regions = { { "pc.ram", 65536, NP_MODE_STRICT, "0", 2048, true } },
                .summary = "pc.ram needs 32 x 2048 kB hugepages on node 0, node 0 has 10 free",
                .n_items = 1,
                .items = { { NP_SHORTFALL_HUGEPAGES, false, 32, 10 } },
        },
        {
                .name = "default huge page size on a host without huge pages",
                .host = { .n_nodes = 1, .ids = { 0 } },
                .regions = { { "pc.ram", 65536, NP_MODE_STRICT, "0", 2048, true } },
                .summary = "pc.ram asks for the default huge page size, and this host has no huge pages",
                .n_items = 1,
                .items = { { NP_SHORTFALL_NO_PAGESIZE, false, 0, 0 } },
        },
        {
                .name = "size not a whole number of pages",
                .host = TWO_NODES(100, 0),
                .regions = { { "ram-node0", 31744, NP_MODE_STRICT, "0", 2048, false } },
                .summary = "ram-node0 is 31744 KiB, not a whole number of 2048 kB pages",
                .n_items = 1,
                .items = { { NP_SHORTFALL_UNALIGNED, false, 0, 0 } },
        },
        {
                .name = "page size without a pool",
                .host = TWO_NODES(100, 100),
                .regions = { { "ram-node0", 1048576, NP_MODE_STRICT, "0", 1048576, false } },
                .summary = "ram-node0 needs 1 x 1048576 kB hugepages on node 0, node 0 has no 1048576 kB pool",
                .n_items = 1,
                .items = { { NP_SHORTFALL_HUGEPAGES, false, 1, 0 } },
        },
        {
                .name = "page sizes are counted apart",
                .host = { .n_nodes = 2, .ids = { 0, 1 }, .free_2m = { 32, 0 }, .pool_1g = true,
                          .free_1g = { 0, 1 }, .default_hugepage_kib = 2048 },
                .regions = {
                        { "ram-node0", 65536, NP_MODE_STRICT, "0", 2048, false },
                        { "ram-node1", 1048576, NP_MODE_STRICT, "0", 1048576, false },
                },
                .summary = "ram-node1 needs 1 x 1048576 kB hugepages on node 0, node 0 has 0 free",
                .n_items = 1,
                .items = { { NP_SHORTFALL_HUGEPAGES, false, 1, 0 } },
        },
        {
                .name = "unbound hugepage region may use every node",
                .host = TWO_NODES(10, 10),
                .regions = { { "pc.ram", 65536, NP_MODE_NONE, NULL, 2048, false } },
                .summary = "pc.ram needs 32 x 2048 kB hugepages on nodes 0-1, nodes 0-1 have 20 free",
                .n_items = 1,
                .items = { { NP_SHORTFALL_HUGEPAGES, false, 32, 20 } },
        },
        {
                .name = "ordinary pages are not counted",
                .host = TWO_NODES(0, 0),
                .regions = { { "ram-node0", 1073741824, NP_MODE_STRICT, "1", 4, false } },
                .summary = "",
        },
        {
                .name = "non-contiguous node ids",
                .host = { .n_nodes = 2, .ids = { 0, 2 }, .free_2m = { 100, 5 }, .default_hugepage_kib = 2048 },
                .regions = {
                        { "ram-node0", 65536, NP_MODE_STRICT, "2", 2048, false },
                        { "ram-node1", 65536, NP_MODE_INTERLEAVE, "1", 4, false },
                },
                .summary = "ram-node1 is bound to node 1, which this host does not have; "
                           "ram-node0 needs 32 x 2048 kB hugepages on node 2, node 2 has 5 free",
                .n_items = 2,
                .items = {
                        { NP_SHORTFALL_NO_SUCH_NODE, false, 0, 0 },
                        { NP_SHORTFALL_HUGEPAGES, false, 32, 5 },
                },
        },
};

/* Build an np_host from a spec.  Everything lives in one allocation
 * list freed by free_host(). */
static np_host *make_host(const host_spec *spec)
{
        np_host *host = calloc(1, sizeof(*host));

        assert_non_null(host);
        host->n_nodes = spec->n_nodes;
        host->nodes = calloc(spec->n_nodes ? spec->n_nodes : 1, sizeof(*host->nodes));
        assert_non_null(host->nodes);
        host->default_hugepage_kib = spec->default_hugepage_kib;
        for (unsigned i = 0; i < spec->n_nodes; i++) {
                np_host_node *node = &host->nodes[i];
                size_t n = 0;

                node->id = spec->ids[i];
                np_bitmap_set(&host->online, node->id);
                if (!spec->memoryless[i]) {
                        np_bitmap_set(&host->with_memory, node->id);
                        node->mem_total_kib = 4194304;
                }
                node->pools = calloc(2, sizeof(*node->pools));
                assert_non_null(node->pools);
                if (spec->default_hugepage_kib) {
                        node->pools[n].size_kib = 2048;
                        node->pools[n].total = spec->free_2m[i];
                        node->pools[n].free = spec->free_2m[i];
                        n++;
                }
                if (spec->pool_1g) {
                        node->pools[n].size_kib = 1048576;
                        node->pools[n].total = spec->free_1g[i];
                        node->pools[n].free = spec->free_1g[i];
                        n++;
                }
                node->n_pools = n;
        }
        return host;
}

static void free_host(np_host *host)
{
        for (size_t i = 0; i < host->n_nodes; i++)
                free(host->nodes[i].pools);
        free(host->nodes);
        free(host);
}

static np_intent *make_intent(const region_spec *specs)
{
        np_intent *intent = calloc(1, sizeof(*intent));
        size_t n = 0;

        assert_non_null(intent);
        while (n < MAX_REGIONS && specs[n].id)
                n++;
        intent->regions = calloc(MAX_REGIONS, sizeof(*intent->regions));
        assert_non_null(intent->regions);
        intent->n_regions = n;
        for (size_t i = 0; i < n; i++) {
                np_region *r = &intent->regions[i];
                np_error err;

                snprintf(r->id, sizeof(r->id), "%s", specs[i].id);
                r->kind = NP_REGION_CELL;
                r->cell = (int)i;
                r->size_kib = specs[i].size_kib;
                r->mode = specs[i].mode;
                r->pagesize_kib = specs[i].pagesize_kib ? specs[i].pagesize_kib : 4;
                r->pagesize_default = specs[i].pagesize_default;
                r->backing = r->pagesize_kib > 4 ? NP_BACKING_FILE : NP_BACKING_ANONYMOUS;
                if (specs[i].nodes) {
                        r->has_nodes = true;
                        r->enforcement = NP_ENFORCE_MBIND;
                        assert_int_equal(np_bitmap_parse(specs[i].nodes, NP_NODE_MAX, &r->nodes, &err), 0);
                }
        }
        return intent;
}

static void test_case(void **state)
{
        const preflight_case *c = *state;
        np_host *host = make_host(&c->host);
        np_intent *intent = make_intent(c->regions);
        np_preflight *p = NULL;
        char summary[4096];
        np_error err = { "" };

        print_message("case: %s\n", c->name);
        assert_int_equal(np_preflight_run(intent, host, &p, &err), 0);
        assert_non_null(p);
        np_preflight_summary(p, summary, sizeof(summary));
        assert_string_equal(summary, c->summary);
        assert_int_equal(p->n_items, c->n_items);
        for (size_t i = 0; i < c->n_items; i++) {
                assert_int_equal(p->items[i].kind, c->items[i].kind);
                assert_int_equal(p->items[i].preferred_only, c->items[i].preferred_only);
                assert_int_equal(p->items[i].needed, c->items[i].needed);
                assert_int_equal(p->items[i].available, c->items[i].available);
        }
        np_preflight_free(p);
        free(intent->regions);
        free(intent);
        free_host(host);
}

static void test_summary_truncates(void **state)
{
        np_shortfall items[2] = {
                { .message = "ram-node0 is bound to node 3, which this host does not have" },
                { .message = "ram-node1 is bound to node 3, which this host does not have" },
        };
        np_preflight p = { .items = items, .n_items = 2 };
        char small[16];
        size_t need;

        (void)state;
        need = np_preflight_summary(&p, small, sizeof(small));
        assert_int_equal(need, 2 * strlen(items[0].message) + 2);
        assert_string_equal(small, "ram-node0 is bo");
        assert_int_equal(np_preflight_summary(NULL, small, sizeof(small)), 0);
        assert_string_equal(small, "");
}

static void test_kind_names(void **state)
{
        static const struct {
                np_shortfall_kind kind;
                const char *name;
        } names[] = {
                { NP_SHORTFALL_NO_SUCH_NODE, "no-such-node" },
                { NP_SHORTFALL_NO_MEMORY, "no-memory" },
                { NP_SHORTFALL_NO_PAGESIZE, "no-pagesize" },
                { NP_SHORTFALL_UNALIGNED, "unaligned" },
                { NP_SHORTFALL_HUGEPAGES, "hugepages" },
                { NP_SHORTFALL__COUNT, "?" },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                assert_string_equal(np_shortfall_kind_to_string(names[i].kind), names[i].name);
}

int main(void)
{
        struct CMUnitTest tests[sizeof(cases) / sizeof(cases[0]) + 2];
        size_t n = 0;

        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                tests[n] = (struct CMUnitTest)cmocka_unit_test_prestate(test_case, (void *)&cases[i]);
                tests[n].name = cases[i].name;
                n++;
        }
        tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_summary_truncates);
        tests[n++] = (struct CMUnitTest)cmocka_unit_test(test_kind_names);
        return _cmocka_run_group_tests("preflight", tests, n, NULL, NULL);
}
