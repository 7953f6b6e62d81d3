/* test_cgroup_stat.c: the numa_stat parser (v1 pages, v2 bytes, hugetlb
 * files), hugetlb file names, the controller's path in /proc/PID/cgroup,
 * libvirt's thread-level cgroups, the reader on the replayed cgroup v1 and
 * v2 trees, and the verdict on the figures.  Expected figures are written
 * out by hand from the fixture files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "cgroup_stat.h"
#include "error.h"
#include "sysroot.h"
#include "verdict.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NODES 4

typedef struct parse_case {
        const char *name;
        const char *text;
        const char *key;
        uint64_t unit;
        int want_r;
        unsigned n_nodes;
        uint64_t kib[MAX_NODES];    /* for nodes 0.. n_nodes-1 in file order */
        unsigned node[MAX_NODES];
        const char *want_msg;       /* substring of the error */
} parse_case;

static const char v1_text[] =
        "total=4783 N0=4000 N1=783\n"
        "file=446 N0=400 N1=46\n"
        "anon=374 N0=300 N1=74\n"
        "unevictable=3963 N0=3963 N1=0\n"
        "hierarchical_total=320547 N0=320000 N1=547\n"
        "hierarchical_file=244186 N0=244000 N1=186\n"
        "hierarchical_anon=72398 N0=72000 N1=398\n"
        "hierarchical_unevictable=3963 N0=3963 N1=0\n";

static const char v2_text[] =
        "anon N0=20025344 N1=4096\n"
        "file N0=0 N1=4222976\n"
        "kernel_stack N0=65536 N1=0\n"
        "anon_thp N0=0 N1=0\n";

static const parse_case parse_cases[] = {
        { "v1 anon in pages", v1_text, "anon", 4096, 0, 2, { 1200, 296 }, { 0, 1 }, NULL },
        { "v1 hierarchical anon", v1_text, "hierarchical_anon", 4096, 0, 2, { 288000, 1592 }, { 0, 1 }, NULL },
        { "v1 key is whole: 'file' is not 'hierarchical_file'", v1_text, "file", 4096, 0, 2, { 1600, 184 }, { 0, 1 }, NULL },
        { "v2 anon in bytes", v2_text, "anon", 1, 0, 2, { 19556, 4 }, { 0, 1 }, NULL },
        { "v2 file", v2_text, "file", 1, 0, 2, { 0, 4124 }, { 0, 1 }, NULL },
        { "v2 key not a prefix match", v2_text, "anon_th", 1, -ENOENT, 0, { 0 }, { 0 }, "no 'anon_th' line" },
        { "hugetlb v2", "total=67108864 N0=0 N1=67108864\n", "total", 1, 0, 2, { 0, 65536 }, { 0, 1 }, NULL },
        { "hugetlb v1: hierarchical line", "total=0 N0=0 N1=0\nhierarchical_total=2097152 N0=2097152 N1=0\n",
          "hierarchical_total", 1, 0, 2, { 2048, 0 }, { 0, 1 }, NULL },
        { "sparse node ids (memoryless nodes are not listed)", "anon N0=4096 N3=8192\n", "anon", 1, 0, 2,
          { 4, 8 }, { 0, 3 }, NULL },
        { "no trailing newline", "anon N0=1024 N1=2048", "anon", 1, 0, 2, { 1, 2 }, { 0, 1 }, NULL },
        { "blank lines skipped", "\nanon N0=1024\n\n", "anon", 1, 0, 1, { 1 }, { 0 }, NULL },
        { "a node-less line", "anon\n", "anon", 1, 0, 0, { 0 }, { 0 }, NULL },
        { "missing key", v2_text, "shmem", 1, -ENOENT, 0, { 0 }, { 0 }, "no 'shmem' line" },
        { "empty text", "", "anon", 1, -ENOENT, 0, { 0 }, { 0 }, NULL },
        { "garbled value", "anon N0=12x4 N1=0\n", "anon", 1, -EINVAL, 0, { 0 }, { 0 }, "line 1: field 'N0=12x4'" },
        { "garbled line elsewhere", "anon N0=1\nfile N0=oops\n", "anon", 1, -EINVAL, 0, { 0 }, { 0 }, "line 2" },
        { "field without N", "anon X0=1\n", "anon", 1, -EINVAL, 0, { 0 }, { 0 }, "field 'X0=1'" },
        { "node out of range", "anon N1024=1\n", "anon", 1, -EINVAL, 0, { 0 }, { 0 }, "N1024=1" },
        { "node listed twice", "anon N0=1 N0=2\n", "anon", 1, -EINVAL, 0, { 0 }, { 0 }, "node 0 listed twice" },
        { "value overflows u64", "anon N0=18446744073709551616\n", "anon", 1, -EINVAL, 0, { 0 }, { 0 }, "N0=" },
        { "pages overflow in bytes", "anon=1 N0=18446744073709551615\n", "anon", 4096, -EINVAL, 0, { 0 }, { 0 }, "N0=" },
        { "no key", "=5 N0=1\n", "anon", 1, -EINVAL, 0, { 0 }, { 0 }, "expected a key" },
        { "bad total", "total=x N0=1\n", "total", 1, -EINVAL, 0, { 0 }, { 0 }, "after '='" },
        { "missing '=' after node", "anon N0 N1=2\n", "anon", 1, -EINVAL, 0, { 0 }, { 0 }, "field 'N0'" },
};

static void test_parse_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
                const parse_case *c = &parse_cases[i];
                np_stat_row row = { 0 };
                np_error err = { "" };
                uint64_t total = 0;
                int r = np_numa_stat_parse(c->text, c->key, c->unit, &row, &err);

                if (r != c->want_r)
                        fail_msg("%s: returned %d, expected %d (%s)", c->name, r, c->want_r, err.msg);
                if (c->want_msg && !strstr(err.msg, c->want_msg))
                        fail_msg("%s: message '%s' lacks '%s'", c->name, err.msg, c->want_msg);
                if (r == 0) {
                        if (row.n_nodes != c->n_nodes)
                                fail_msg("%s: %u nodes, expected %u", c->name, row.n_nodes, c->n_nodes);
                        for (unsigned k = 0; k < c->n_nodes; k++) {
                                if (row.nodes[k].node != c->node[k] || row.nodes[k].kib != c->kib[k])
                                        fail_msg("%s: entry %u is N%u=%llu KiB, expected N%u=%llu", c->name, k,
                                                 row.nodes[k].node, (unsigned long long)row.nodes[k].kib, c->node[k],
                                                 (unsigned long long)c->kib[k]);
                                total += c->kib[k];
                        }
                        assert_int_equal(row.total_kib, total);
                        assert_int_equal(np_stat_row_kib(&row, c->n_nodes ? c->node[0] : 0),
                                         c->n_nodes ? c->kib[0] : 0);
                        assert_int_equal(np_stat_row_kib(&row, 999), 0);
                }
                np_stat_row_clear(&row);
        }
}

static void test_hugetlb_names(void **state)
{
        static const struct {
                const char *name;
                bool ok;
                uint64_t kib;
        } cases[] = {
                { "hugetlb.2MB.numa_stat", true, 2048 },
                { "hugetlb.1GB.numa_stat", true, 1048576 },
                { "hugetlb.64KB.numa_stat", true, 64 },
                { "hugetlb.32MB.numa_stat", true, 32768 },
                { "hugetlb.16GB.numa_stat", true, 16777216 },
                { "hugetlb.2MB.current", false, 0 },
                { "hugetlb.2MB.rsvd.numa_stat", false, 0 },
                { "hugetlb.MB.numa_stat", false, 0 },
                { "hugetlb.0MB.numa_stat", false, 0 },
                { "hugetlb.2TB.numa_stat", false, 0 },
                { "hugetlb.2mb.numa_stat", false, 0 },
                { "memory.numa_stat", false, 0 },
                { "hugetlb..numa_stat", false, 0 },
                { "hugetlb.numa_stat", false, 0 },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                uint64_t kib = 0;
                bool ok = np_hugetlb_stat_name(cases[i].name, &kib);

                if (ok != cases[i].ok || (ok && kib != cases[i].kib))
                        fail_msg("%s: %s %llu, expected %s %llu", cases[i].name, ok ? "true" : "false",
                                 (unsigned long long)kib, cases[i].ok ? "true" : "false",
                                 (unsigned long long)cases[i].kib);
        }
}

static void test_controller_path(void **state)
{
        static const struct {
                const char *text, *controller;
                int r;
                const char *path;
                bool v2;
        } cases[] = {
                { "12:cpuset:/machine/qemu-1-a.libvirt-qemu/emulator\n11:memory:/machine/qemu-1-a.libvirt-qemu\n0::/\n",
                  "memory", 0, "/machine/qemu-1-a.libvirt-qemu", false },
                { "12:cpuset:/m/emulator\n11:memory:/m\n0::/\n", "cpuset", 0, "/m/emulator", false },
                { "10:hugetlb:/m\n4:cpu,cpuacct:/m/emulator\n", "cpuacct", 0, "/m/emulator", false },
                { "0::/machine.slice/machine-qemu\\x2d1\\x2da.scope/libvirt/emulator\n", "memory", 0,
                  "/machine.slice/machine-qemu\\x2d1\\x2da.scope/libvirt/emulator", true },
                { "12:cpuset:/m\n0::/user.slice\n", "memory", 0, "/user.slice", true }, /* hybrid */
                { "1:name=systemd:/a:b\n11:memory:/x:y\n", "memory", 0, "/x:y", false },
                { "11:memory:/m\n", "hugetlb", -ENOENT, NULL, false },
                { "11:memory\n", "memory", -EINVAL, NULL, false },
                { "x:memory:/m\n", "memory", -EINVAL, NULL, false },
                { "11:memoryx:/m\n", "memory", -ENOENT, NULL, false },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char *path = NULL;
                bool v2 = !cases[i].v2;
                np_error err = { "" };
                int r = np_cgroup_parse_controller(cases[i].text, cases[i].controller, &path, &v2, &err);

                if (r != cases[i].r)
                        fail_msg("case %zu: returned %d, expected %d (%s)", i, r, cases[i].r, err.msg);
                if (r == 0) {
                        assert_string_equal(path, cases[i].path);
                        assert_int_equal(v2, cases[i].v2);
                }
                free(path);
        }
}

static void test_vm_path(void **state)
{
        static const char *const cases[][2] = {
                { "/machine/qemu-1-a.libvirt-qemu/emulator", "/machine/qemu-1-a.libvirt-qemu" },
                { "/machine.slice/machine-qemu\\x2d1\\x2da.scope/libvirt/vcpu0", "/machine.slice/machine-qemu\\x2d1\\x2da.scope/libvirt" },
                { "/m/libvirt/iothread12", "/m/libvirt" },
                { "/m/libvirt", "/m/libvirt" },
                { "/m/vcpu", "/m/vcpu" },
                { "/m/vcpu1x", "/m/vcpu1x" },
                { "/m/emulators", "/m/emulators" },
                { "/emulator", "/emulator" },
                { "/", "/" },
                { "/lxc.payload.v1", "/lxc.payload.v1" },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                char *p = np_cgroup_vm_path(cases[i][0]);

                assert_non_null(p);
                assert_string_equal(p, cases[i][1]);
                free(p);
        }
}

static const np_stat_row *row_named(const np_cgroup_stat *st, const char *name)
{
        for (size_t i = 0; i < st->n_rows; i++)
                if (strcmp(st->rows[i].name, name) == 0)
                        return &st->rows[i];
        fail_msg("no row '%s'", name);
        return NULL;
}

typedef struct read_case {
        const char *tree;
        const char *want_path;      /* NULL: no statistics */
        bool v2;
        uint64_t anon0, anon1, file0, file1, huge0, huge1;
        bool has_huge;
        const char *want_source;    /* of the anon row */
        const char *want_why;       /* substring, when no statistics */
} read_case;

#define V2DIR "/machine.slice/machine-qemu\\x2d1\\x2d"

static const read_case read_cases[] = {
        /* v1: pages of 4 KiB, the hierarchical_* lines */
        { "cgstat-v1-strict-hugepages", "/machine/qemu-1-web1.libvirt-qemu", false, 0, 4889 * 4, 0, 1031 * 4, 0, 524288,
          true, "/sys/fs/cgroup/memory/machine/qemu-1-web1.libvirt-qemu/memory.numa_stat", NULL },
        { "cgstat-v2-strict-hugepages", V2DIR "web1.scope/libvirt", true, 0, 4889 * 4, 0, 1031 * 4, 0, 524288,
          true, "/sys/fs/cgroup" V2DIR "web1.scope/libvirt/memory.numa_stat", NULL },
        { "cgstat-v1-lxd-15082", "/machine/qemu-1-lxd1.libvirt-qemu", false, 4889 * 4, 0, 1031 * 4, 0, 524288, 0,
          true, NULL, NULL },
        { "cgstat-v2-late-bind", V2DIR "late1.scope/libvirt", true, (12288 + 4889) * 4, 4096 * 4, 1031 * 4, 0, 0, 0,
          true, NULL, NULL },
        /* no statistics to read, each for its own reason */
        { "strict-hugepages", NULL, false, 0, 0, 0, 0, 0, 0, false, NULL, "no memory.numa_stat in /sys/fs/cgroup/memory/machine/qemu-1-web1.libvirt-qemu" },
        { "lxd-15082", NULL, false, 0, 0, 0, 0, 0, 0, false, NULL, "root memory cgroup" },
        { "thp", NULL, false, 0, 0, 0, 0, 0, 0, false, NULL, "no memory.numa_stat in /sys/fs/cgroup" V2DIR "thp1.scope/libvirt " },
};

static void test_read_trees(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(read_cases) / sizeof(read_cases[0]); i++) {
                const read_case *c = &read_cases[i];
                char tree[256], why[256];
                np_cgroup_stat *st = NULL, *dup;
                np_error err = { "" };
                np_sysroot *root;
                int r;

                snprintf(tree, sizeof(tree), "../fixtures/%s", c->tree);
                root = open_tree(tree);
                r = np_cgroup_stat_read(root, 4242, &st, why, sizeof(why), &err);
                if (r < 0)
                        fail_msg("%s: %s", c->tree, err.msg);
                if (!c->want_path) {
                        if (st)
                                fail_msg("%s: statistics read from %s", c->tree, st->path);
                        if (!strstr(why, c->want_why))
                                fail_msg("%s: why '%s' lacks '%s'", c->tree, why, c->want_why);
                        np_sysroot_free(root);
                        continue;
                }
                if (!st)
                        fail_msg("%s: no statistics: %s", c->tree, why);
                assert_string_equal(st->path, c->want_path);
                assert_int_equal(st->v2, c->v2);
                assert_int_equal(np_stat_row_kib(row_named(st, "anon"), 0), c->anon0);
                assert_int_equal(np_stat_row_kib(row_named(st, "anon"), 1), c->anon1);
                assert_int_equal(np_stat_row_kib(row_named(st, "file"), 0), c->file0);
                assert_int_equal(np_stat_row_kib(row_named(st, "file"), 1), c->file1);
                if (c->want_source)
                        assert_string_equal(row_named(st, "anon")->source, c->want_source);
                if (c->has_huge) {
                        const np_stat_row *h = row_named(st, "hugetlb_2048");

                        assert_int_equal(h->kind, NP_STAT_HUGETLB);
                        assert_int_equal(h->pagesize_kib, 2048);
                        assert_int_equal(np_stat_row_kib(h, 0), c->huge0);
                        assert_int_equal(np_stat_row_kib(h, 1), c->huge1);
                        /* smallest page size first, every size the cgroup has */
                        assert_int_equal(st->n_rows, 4);
                        assert_string_equal(st->rows[3].name, "hugetlb_1048576");
                        assert_int_equal(st->rows[3].total_kib, 0);
                }
                dup = np_cgroup_stat_dup(st);
                assert_non_null(dup);
                assert_int_equal(dup->n_rows, st->n_rows);
                assert_int_equal(row_named(dup, "anon")->total_kib, row_named(st, "anon")->total_kib);
                np_cgroup_stat_free(dup);
                np_cgroup_stat_free(st);
                np_sysroot_free(root);
        }
}

static void test_read_bad(void **state)
{
        np_sysroot *root = open_tree("../fixtures/cgstat-bad-numa-stat");
        np_cgroup_stat *st = NULL;
        np_error err = { "" };
        char why[256];

        (void)state;
        assert_int_equal(np_cgroup_stat_read(root, 4242, &st, why, sizeof(why), &err), -EINVAL);
        assert_null(st);
        assert_non_null(strstr(err.msg, "libvirt/memory.numa_stat: line 1: field 'N1=20025344x'"));
        err.msg[0] = '\0';
        assert_int_equal(np_cgroup_stat_read(root, 999, &st, why, sizeof(why), &err), -ESRCH);
        np_sysroot_free(root);
}

/* ---- the verdict on the figures ------------------------------------------ */

typedef struct verdict_case {
        const char *name;
        np_mode mode;               /* of the one region */
        const char *nodes;          /* its nodes; NULL: none */
        uint64_t pagesize_kib;
        uint64_t anon0, anon1, huge0, huge1; /* cgroup, KiB */
        bool walked;
        uint64_t walk0, walk1;      /* the process's own 2 MiB pages, KiB */
        bool preferred_is_violation;
        np_verdict want;
        uint64_t want_out_anon, want_out_huge;
        const char *want_reason;
} verdict_case;

static const verdict_case verdict_cases[] = {
        { "all inside", NP_MODE_STRICT, "1", 2048, 0, 8192, 0, 65536, true, 0, 65536, false,
          NP_VERDICT_COMPLIANT, 0, 0, "all 72 MiB the cgroup holds on node 1" },
        { "huge pages outside: violation", NP_MODE_STRICT, "1", 2048, 0, 8192, 65536, 0, true, 65536, 0, false,
          NP_VERDICT_VIOLATION, 0, 65536, "64 MiB of 2M huge pages outside node 1 (64 MiB on node 0)" },
        { "anon outside: warning with the amount", NP_MODE_STRICT, "1", 4, 49152, 16384, 0, 0, false, 0, 0, false,
          NP_VERDICT_WARNING, 49152, 0, "48 MiB of anon and file memory outside node 1 (anon 48 MiB on node 0)" },
        { "preferred fallback of huge pages: the soft verdict", NP_MODE_PREFERRED, "1", 2048, 0, 0, 65536, 0, false,
          0, 0, false, NP_VERDICT_WARNING, 0, 65536, "outside node 1" },
        { "preferred fallback as violation", NP_MODE_PREFERRED, "1", 2048, 0, 0, 65536, 0, false, 0, 0, true,
          NP_VERDICT_VIOLATION, 0, 65536, "outside node 1" },
        { "interleave over both: nothing outside", NP_MODE_INTERLEAVE, "0-1", 4, 4096, 4096, 0, 0, false, 0, 0, false,
          NP_VERDICT_COMPLIANT, 0, 0, "on nodes 0-1" },
        { "unbound region: nothing to compare", NP_MODE_NONE, NULL, 4, 4096, 4096, 0, 0, false, 0, 0, false,
          NP_VERDICT_COMPLIANT, 0, 0, "no allowed nodes to compare" },
        { "cross-check: another task's huge pages", NP_MODE_STRICT, "1", 2048, 0, 0, 0, 131072, true, 0, 65536, false,
          NP_VERDICT_WARNING, 0, 0, "differ from those the process maps (N0=0 KiB N1=64 MiB)" },
        { "cross-check: the walk sees pages the cgroup does not", NP_MODE_STRICT, "1", 2048, 0, 0, 0, 0, true, 0, 65536,
          false, NP_VERDICT_WARNING, 0, 0, "the cgroup's 2M huge pages (N0=0 KiB N1=0 KiB) differ" },
        { "no walk, no cross-check", NP_MODE_STRICT, "1", 2048, 0, 0, 0, 131072, false, 0, 0, false,
          NP_VERDICT_COMPLIANT, 0, 0, "all 128 MiB" },
};

static void fill_row(np_stat_row *row, np_stat_kind kind, const char *name, uint64_t pagesize,
                     uint64_t n0, uint64_t n1)
{
        memset(row, 0, sizeof(*row));
        row->kind = kind;
        row->pagesize_kib = pagesize;
        snprintf(row->name, sizeof(row->name), "%s", name);
        row->nodes = calloc(2, sizeof(*row->nodes));
        assert_non_null(row->nodes);
        row->nodes[0] = (np_node_kib){ 0, n0 };
        row->nodes[1] = (np_node_kib){ 1, n1 };
        row->n_nodes = 2;
        row->total_kib = n0 + n1;
}

static void test_verdict_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(verdict_cases) / sizeof(verdict_cases[0]); i++) {
                const verdict_case *c = &verdict_cases[i];
                np_region region = { .id = "ram-node0", .mode = c->mode, .pagesize_kib = c->pagesize_kib };
                np_intent intent = { .regions = &region, .n_regions = 1 };
                np_check_options opts = { .preferred_is_violation = c->preferred_is_violation };
                np_cgroup_stat *st = calloc(1, sizeof(*st));
                np_numa_stat_result ns;

                assert_non_null(st);
                memset(&ns, 0, sizeof(ns));
                if (c->nodes) {
                        region.has_nodes = true;
                        assert_int_equal(np_bitmap_parse(c->nodes, 64, &region.nodes, NULL), 0);
                }
                fill_row(&st->rows[0], NP_STAT_ANON, "anon", 0, c->anon0, c->anon1);
                fill_row(&st->rows[1], NP_STAT_FILE, "file", 0, 0, 0);
                fill_row(&st->rows[2], NP_STAT_HUGETLB, "hugetlb_2048", 2048, c->huge0, c->huge1);
                st->n_rows = 3;
                ns.stat = st;
                ns.walked = c->walked;
                if (c->walked) {
                        fill_row(&ns.walk[0], NP_STAT_HUGETLB, "hugetlb_2048", 2048, c->walk0, c->walk1);
                        ns.n_walk = 1;
                }
                np_verdict_for_numa_stat(&intent, &opts, &ns);
                if (ns.verdict != c->want)
                        fail_msg("%s: verdict %s, expected %s (%s)", c->name, np_verdict_to_string(ns.verdict),
                                 np_verdict_to_string(c->want), ns.reason);
                if (!strstr(ns.reason, c->want_reason))
                        fail_msg("%s: reason '%s' lacks '%s'", c->name, ns.reason, c->want_reason);
                assert_int_equal(ns.has_allowed, c->nodes != NULL);
                assert_int_equal(ns.outside_kib[0], c->want_out_anon);
                assert_int_equal(ns.outside_kib[2], c->want_out_huge);
                assert_int_equal(ns.walk_disagrees, strstr(c->want_reason, "differ") != NULL);
                for (size_t k = 0; k < ns.n_walk; k++)
                        np_stat_row_clear(&ns.walk[k]);
                np_cgroup_stat_free(st);
        }
}

static void test_verdict_no_stat(void **state)
{
        np_region region = { .id = "ram-node0", .mode = NP_MODE_STRICT, .has_nodes = true };
        np_intent intent = { .regions = &region, .n_regions = 1 };
        np_numa_stat_result ns;

        (void)state;
        memset(&ns, 0, sizeof(ns));
        np_bitmap_set(&region.nodes, 1);
        np_verdict_for_numa_stat(&intent, NULL, &ns);
        assert_int_equal(ns.verdict, NP_VERDICT_COMPLIANT);
        assert_false(ns.has_allowed);
        assert_string_equal(ns.reason, "");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse_table),
                cmocka_unit_test(test_hugetlb_names),
                cmocka_unit_test(test_controller_path),
                cmocka_unit_test(test_vm_path),
                cmocka_unit_test(test_read_trees),
                cmocka_unit_test(test_read_bad),
                cmocka_unit_test(test_verdict_table),
                cmocka_unit_test(test_verdict_no_stat),
        };
        return cmocka_run_group_tests_name("cgroup_stat", tests, NULL, NULL);
}
