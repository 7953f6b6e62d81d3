/* test_sample.c: drawing pages, the bounds a sample supports, and the
 * verdicts of sampled regions.  The kernel is replaced by a table that
 * says which node holds which address; expected bounds were computed by
 * hand (1 - 0.001^(1/n), sqrt(ln(2k/0.001) / 2n)) and are written out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "error.h"
#include "sample.h"
#include "verdict.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MiB (1024ull * 1024)
#define BASE 0x7f0000000000ull

/* A fake process: [BASE, BASE + off_end) on node 0, up to absent_start
 * on node 1, then no page; every address asked about is recorded. */
typedef struct fake {
        uint64_t off_end, absent_start, page;
        uint64_t asked, misaligned, outside;
        uint64_t lo, hi;            /* what may be asked about */
        int fail;                   /* -errno for the whole call */
} fake;

static int fake_query(void *userdata, void **pages, size_t n, int *status)
{
        fake *f = userdata;

        if (f->fail)
                return f->fail;
        for (size_t i = 0; i < n; i++) {
                uint64_t a = (uint64_t)(uintptr_t)pages[i];

                f->asked++;
                if (a % f->page)
                        f->misaligned++;
                if (a < f->lo || a >= f->hi)
                        f->outside++;
                if (a < BASE + f->off_end)
                        status[i] = 0;
                else if (a < BASE + f->absent_start)
                        status[i] = 1;
                else
                        status[i] = -ENOENT;
        }
        return 0;
}

static np_mapping mapping(uint64_t start, uint64_t size, uint64_t pagesize_kib)
{
        np_mapping m;

        memset(&m, 0, sizeof(m));
        m.start = start;
        m.end = start + size;
        m.path = (char *)"";
        m.pagesize_kib = pagesize_kib;
        m.region = 0;
        return m;
}

static void test_bounds(void **state)
{
        (void)state;
        assert_true(fabs(np_sample_off_node_bound(700, 0.001) - 0.0098197) < 1e-6);
        assert_true(fabs(np_sample_off_node_bound(16384, 0.001) - 0.00042153) < 1e-7);
        assert_true(fabs(np_sample_off_node_bound(100, 0.001) - 0.066746) < 1e-5);
        assert_true(fabs(np_sample_off_node_bound(1, 0.001) - 0.999) < 1e-9);
        assert_true(np_sample_off_node_bound(0, 0.001) == 1.0);
        assert_true(fabs(np_sample_margin(700, 2, 0.001) - 0.076970) < 1e-5);
        assert_true(fabs(np_sample_margin(16384, 2, 0.001) - 0.015910) < 1e-5);
        assert_true(fabs(np_sample_margin(700, 1, 0.001) - 0.073683) < 1e-5);
        assert_true(np_sample_margin(0, 2, 0.001) == 1.0);
        assert_true(np_sample_margin(1, 2, 0.001) == 1.0); /* capped */
}

static void test_format(void **state)
{
        static const struct { double v; const char *want; } t[] = {
                { 0.0098197, "0.99%" }, { 0.00042153, "0.043%" }, { 0.076970, "7.7%" },
                { 0.01, "1.0%" }, { 0.5, "50%" }, { 1.0, "100%" }, { 0.123, "13%" }, { 0, "0%" },
        };
        char buf[32];

        (void)state;
        for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
                assert_string_equal(np_format_pct_ceil(t[i].v, buf, sizeof(buf)), t[i].want);
}

static void test_setting(void **state)
{
        np_error err = { "" };
        uint64_t above = 1;
        unsigned pages = 1;

        (void)state;
        assert_int_equal(np_sample_setting_parse("off", &pages, &above, &err), 0);
        assert_int_equal(pages, 0);
        assert_int_equal(np_sample_setting_parse("auto", &pages, &above, &err), 0);
        assert_int_equal(pages, 4096);
        assert_int_equal(above, 16ull << 20);
        assert_int_equal(np_sample_setting_parse("700", &pages, &above, &err), 0);
        assert_int_equal(pages, 700);
        assert_int_equal(above, 0);
        assert_int_equal(np_sample_setting_parse("1000000", &pages, &above, &err), 0);
        assert_int_equal(np_sample_setting_parse("1000001", &pages, &above, &err), -EINVAL);
        assert_int_equal(np_sample_setting_parse("0", &pages, &above, &err), -EINVAL);
        assert_int_equal(np_sample_setting_parse("-5", &pages, &above, &err), -EINVAL);
        assert_int_equal(np_sample_setting_parse("", &pages, &above, &err), -EINVAL);
        assert_string_equal(err.msg, "'' is not a number of pages from 1 to 1000000, 'auto' or 'off'");
}

/* No more pages than N: each page once, aligned to its own size. */
static void test_exhaustive(void **state)
{
        np_mapping a = mapping(BASE, 64 * MiB, 2048), b = mapping(BASE + 128 * MiB, 16 * 4096, 4);
        const np_mapping *maps[] = { &a, &b };
        fake f = { .off_end = 8 * MiB, .absent_start = 512 * MiB, .page = 4096,
                   .lo = BASE, .hi = BASE + 128 * MiB + 16 * 4096 };
        np_sample_tally t[2];
        bool exhaustive = false;

        (void)state;
        assert_int_equal(np_sample_mappings(maps, 2, 48, 1, fake_query, &f, t, &exhaustive), 0);
        assert_true(exhaustive);
        assert_int_equal(f.asked, 32 + 16);
        assert_int_equal(f.misaligned, 0);
        assert_int_equal(f.outside, 0);
        assert_int_equal(t[0].drawn, 32);
        assert_int_equal(t[0].hits[0], 4);   /* the first 8 MiB: 4 huge pages */
        assert_int_equal(t[0].hits[1], 28);
        assert_int_equal(t[1].drawn, 16);
        assert_int_equal(t[1].hits[1], 16);
        assert_int_equal(t[1].not_present, 0);
}

/* N samples spread by bytes: a mapping four times larger gets about
 * four times the samples, shares match the fake's layout, and nothing
 * falls outside the mappings or between pages. */
static void test_uniform(void **state)
{
        np_mapping a = mapping(BASE, 400 * MiB, 4), b = mapping(BASE + 1024 * MiB, 100 * MiB, 2048);
        const np_mapping *maps[] = { &a, &b };
        /* a: 1% (4 MiB) on node 0, 296 MiB on node 1, 100 MiB absent;
         * b: absent */
        fake f = { .off_end = 4 * MiB, .absent_start = 300 * MiB, .page = 4096,
                   .lo = BASE, .hi = BASE + 1124 * MiB };
        const unsigned n = 100000;
        np_sample_tally t[2];
        bool exhaustive = true;
        double sd;

        (void)state;
        assert_int_equal(np_sample_mappings(maps, 2, n, 42, fake_query, &f, t, &exhaustive), 0);
        assert_false(exhaustive);
        assert_int_equal(f.asked, n);
        assert_int_equal(f.misaligned, 0);
        assert_int_equal(f.outside, 0);
        assert_int_equal(t[0].drawn + t[1].drawn, n);
        /* shares of 500 MiB: a 80%, node 0 0.8%, node 1 59.2%, absent
         * 20% + 20%; within 5 standard deviations of a binomial count */
#define NEAR(count, p) do { sd = sqrt(n * (p) * (1 - (p))); \
                assert_true(fabs((double)(count) - n * (p)) < 5 * sd); } while (0)
        NEAR(t[0].drawn, 0.8);
        NEAR(t[0].hits[0], 0.008);
        NEAR(t[0].hits[1], 0.592);
        NEAR(t[0].not_present, 0.2);
        assert_int_equal(t[1].not_present, t[1].drawn);
#undef NEAR
        /* the huge pages of b are asked about at their own boundaries */
        f.page = 2 * MiB;
        f.misaligned = 0;
        f.lo = BASE + 1024 * MiB;
        {
                const np_mapping *only_b[] = { &b };

                assert_int_equal(np_sample_mappings(only_b, 1, 40, 7, fake_query, &f, t, &exhaustive), 0);
                assert_false(exhaustive);
                assert_int_equal(f.misaligned, 0);
                assert_int_equal(t[0].drawn, 40);
        }
}

static void test_query_error(void **state)
{
        np_mapping a = mapping(BASE, 400 * MiB, 4);
        const np_mapping *maps[] = { &a };
        fake f = { .page = 4096, .lo = BASE, .hi = BASE + 400 * MiB, .fail = -EPERM };
        np_sample_tally t[1];

        (void)state;
        assert_int_equal(np_sample_mappings(maps, 1, 700, 0, fake_query, &f, t, NULL), -EPERM);
}

/* ---- verdicts of sampled regions ---------------------------------------- */

typedef struct scase {
        const char *name;
        np_mode mode;
        const char *nodes;
        uint64_t size_mib, pagesize_kib;
        const char *policy_nodes;   /* from the command line; NULL: no backend there */
        np_policy_kind policy;
        uint64_t hits0, hits1, hits2, not_present;
        unsigned requested;
        np_verdict want;
        const char *want_reason;    /* exact */
        uint64_t want_kib0, want_kib1;
} scase;

static const scase scases[] = {
        { "strict, 700 samples all on node 1", NP_MODE_STRICT, "1", 64, 4, "1", NP_POLICY_BIND,
          0, 700, 0, 0, 700, NP_VERDICT_COMPLIANT,
          "0 of 700 sampled pages off node 1: less than 0.99% of the region off its nodes at 99.9% confidence",
          0, 65536 },
        { "strict, half never touched", NP_MODE_STRICT, "1", 64, 4, "1", NP_POLICY_BIND,
          0, 342, 0, 358, 700, NP_VERDICT_COMPLIANT,
          "0 of 342 sampled resident pages off node 1 (358 of 700 samples found no page): "
          "less than 2.0% of its resident memory off its nodes at 99.9% confidence",
          0, 32019 },
        { "strict, 7 of 700 off: proof", NP_MODE_STRICT, "1", 64, 4, "1", NP_POLICY_BIND,
          7, 693, 0, 0, 700, NP_VERDICT_VIOLATION,
          "7 of 700 sampled pages off its nodes (7 on node 0) although bound to node 1: about 655 KiB of 64 MiB "
          "(placed before the binding was set, or moved since)",
          655, 64881 },
        { "LXD #15082 sampled: no host-nodes on the command line", NP_MODE_STRICT, "1", 64, 4, NULL,
          NP_POLICY_DEFAULT, 700, 0, 0, 0, 700, NP_VERDICT_VIOLATION,
          "700 of 700 sampled pages off its nodes (700 on node 0), bound to node 1: about 64 MiB of 64 MiB",
          65536, 0 },
        { "strict, no backend to take the policy from", NP_MODE_STRICT, "1", 64, 4, NULL,
          NP_POLICY__COUNT, 0, 700, 0, 0, 700, NP_VERDICT_UNVERIFIED,
          "no backend 'ram-node0' on QEMU's command line to take the policy from (sampling reads no numa_maps), "
          "and cpuset.mems 0-2 does not confine it", 0, 65536 },
        { "hugetlb region smaller than N: every page, exact", NP_MODE_STRICT, "1", 64, 2048, "1", NP_POLICY_BIND,
          0, 32, 0, 0, 700, NP_VERDICT_COMPLIANT, "all 64 MiB on node 1 (each of its 32 pages asked)", 0, 65536 },
        { "preferred fell back", NP_MODE_PREFERRED, "1", 64, 4, "1", NP_POLICY_PREFERRED,
          700, 0, 0, 0, 700, NP_VERDICT_WARNING,
          "700 of 700 sampled pages off the preferred node 1 (700 on node 0): about 64 MiB of 64 MiB; "
          "placed while it was full, before the policy was set, or moved since",
          65536, 0 },
        { "interleave, shares within the margin", NP_MODE_INTERLEAVE, "0-1", 64, 4, "0-1", NP_POLICY_INTERLEAVE,
          330, 370, 0, 0, 700, NP_VERDICT_COMPLIANT,
          "0 of 700 sampled pages outside the interleave set nodes 0-1: less than 0.99% of the region off its nodes "
          "at 99.9% confidence; about 64 MiB interleaved, each node's share within 7.7%", 30896, 34640 },
        { "interleave, command line set too small", NP_MODE_INTERLEAVE, "0-2", 64, 4, "0-1", NP_POLICY_INTERLEAVE,
          350, 350, 0, 0, 700, NP_VERDICT_VIOLATION,
          "interleave not in force: QEMU was given policy 'interleave:0-1' where interleave:0-2 was expected",
          32768, 32768 },
};

static void test_sampled_verdicts(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(scases) / sizeof(scases[0]); i++) {
                const scase *c = &scases[i];
                np_region region = { .id = "ram-node0", .cell = 0, .mode = c->mode, .has_nodes = true,
                                     .enforcement = NP_ENFORCE_MBIND, .pagesize_kib = c->pagesize_kib };
                np_check_options opt = { .sample_pages = c->requested };
                np_mapping m = mapping(BASE, c->size_mib * MiB, c->pagesize_kib);
                const np_mapping *maps[] = { &m };
                static np_sample_tally t;
                np_region_result res;
                np_bitmap cgroup;

                print_message("case: %s\n", c->name);
                assert_int_equal(np_bitmap_parse(c->nodes, NP_NODE_MAX, &region.nodes, NULL), 0);
                assert_int_equal(np_bitmap_parse("0-2", NP_NODE_MAX, &cgroup, NULL), 0);
                memset(&t, 0, sizeof(t));
                t.hits[0] = c->hits0;
                t.hits[1] = c->hits1;
                t.hits[2] = c->hits2;
                t.not_present = c->not_present;
                t.drawn = c->hits0 + c->hits1 + c->hits2 + c->not_present;
                m.sample = &t;
                m.huge = c->pagesize_kib > 4;
                /* as check.c fills it from QEMU's argv */
                if (c->policy != NP_POLICY__COUNT) {
                        m.policy_source = NP_POLICY_SOURCE_CMDLINE;
                        m.policy = c->policy;
                        if (c->policy_nodes) {
                                m.has_policy_nodes = true;
                                assert_int_equal(np_bitmap_parse(c->policy_nodes, NP_NODE_MAX, &m.policy_nodes, NULL), 0);
                                snprintf(m.policy_text, sizeof(m.policy_text), "%s:%s",
                                         c->policy == NP_POLICY_BIND ? "bind" :
                                         c->policy == NP_POLICY_PREFERRED ? "prefer" : "interleave", c->policy_nodes);
                        } else {
                                strcpy(m.policy_text, "default");
                        }
                }
                np_verdict_for_region(&region, maps, 1, NP_MATCH_SIZE, &cgroup, &opt, &res);
                if (res.verdict != c->want || strcmp(res.reason, c->want_reason) != 0 ||
                    res.pages_kib[0] != c->want_kib0 || res.pages_kib[1] != c->want_kib1)
                        fail_msg("%s: got %s '%s' N0=%lu N1=%lu; want %s '%s' N0=%lu N1=%lu", c->name,
                                 np_verdict_to_string(res.verdict), res.reason,
                                 (unsigned long)res.pages_kib[0], (unsigned long)res.pages_kib[1],
                                 np_verdict_to_string(c->want), c->want_reason,
                                 (unsigned long)c->want_kib0, (unsigned long)c->want_kib1);
                assert_true(res.sample.sampled);
                assert_int_equal(res.sample.present, c->hits0 + c->hits1 + c->hits2);
                assert_int_equal(res.sample.off_node, c->mode == NP_MODE_INTERLEAVE ? 0 :
                                 strcmp(c->nodes, "1") == 0 ? c->hits0 + c->hits2 : 0);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_bounds),
                cmocka_unit_test(test_format),
                cmocka_unit_test(test_setting),
                cmocka_unit_test(test_exhaustive),
                cmocka_unit_test(test_uniform),
                cmocka_unit_test(test_query_error),
                cmocka_unit_test(test_sampled_verdicts),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
