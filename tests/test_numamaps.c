/* test_numamaps.c: the numa_maps line parser and the streaming reader.
 *
 * Every policy form mpol_to_str() prints and every token
 * show_numa_map() prints, each against values written out by hand; bad
 * lines by the message they must give; the reader on fixture trees in
 * tests/data, plus one smoke test on this machine's own numa_maps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "error.h"
#include "numamaps.h"
#include "sysroot.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct node_pages {
        unsigned node;
        uint64_t pages;
} node_pages;

typedef struct good_line {
        const char *name;
        const char *line;
        uint64_t start;
        np_policy_kind policy;
        const char *policy_text;
        const char *policy_nodes;   /* NULL: has_policy_nodes false */
        const char *path;           /* NULL: has_file false */
        bool deleted, heap, stack, huge;
        uint64_t anon, dirty, mapped, kernelpagesize_kib;
        unsigned n_nodes;
        node_pages nodes[4];
} good_line;

static const good_line good[] = {
        {
                .name = "default anonymous",
                .line = "7f1234560000 default anon=3 dirty=3 N0=3 kernelpagesize_kB=4",
                .start = 0x7f1234560000, .policy = NP_POLICY_DEFAULT, .policy_text = "default",
                .anon = 3, .dirty = 3, .kernelpagesize_kib = 4,
                .n_nodes = 1, .nodes = { { 0, 3 } },
        },
        {
                .name = "local, executable file, short address",
                .line = "00400000 local file=/usr/bin/qemu-system-x86_64 mapped=512 mapmax=3 N0=512 kernelpagesize_kB=4",
                .start = 0x400000, .policy = NP_POLICY_LOCAL, .policy_text = "local",
                .path = "/usr/bin/qemu-system-x86_64",
                .mapped = 512, .kernelpagesize_kib = 4,
                .n_nodes = 1, .nodes = { { 0, 512 } },
        },
        {
                .name = "hugetlbfs guest RAM, deleted file, as libvirt 9.0 leaves it",
                .line = "7f0a40000000 bind:0 file=/dev/hugepages/libvirt/qemu/1-web1/qemu_back_mem.ram-node0.cayoDy\\040(deleted) huge anon=32 dirty=32 N0=32 kernelpagesize_kB=2048",
                .start = 0x7f0a40000000, .policy = NP_POLICY_BIND, .policy_text = "bind:0",
                .policy_nodes = "0",
                .path = "/dev/hugepages/libvirt/qemu/1-web1/qemu_back_mem.ram-node0.cayoDy",
                .deleted = true, .huge = true,
                .anon = 32, .dirty = 32, .kernelpagesize_kib = 2048,
                .n_nodes = 1, .nodes = { { 0, 32 } },
        },
        {
                .name = "memfd guest RAM",
                .line = "7f0b00000000 bind:0 file=/memfd:memory-backend-memfd\\040(deleted) dirty=272 N0=272 kernelpagesize_kB=4",
                .start = 0x7f0b00000000, .policy = NP_POLICY_BIND, .policy_text = "bind:0",
                .policy_nodes = "0",
                .path = "/memfd:memory-backend-memfd", .deleted = true,
                .dirty = 272, .kernelpagesize_kib = 4,
                .n_nodes = 1, .nodes = { { 0, 272 } },
        },
        {
                .name = "deleted suffix written unescaped, path with an escaped space",
                .line = "7f0c00000000 default file=/tmp/ram\\040file (deleted) dirty=1 N0=1 kernelpagesize_kB=4",
                .start = 0x7f0c00000000, .policy = NP_POLICY_DEFAULT, .policy_text = "default",
                .path = "/tmp/ram file", .deleted = true,
                .dirty = 1, .kernelpagesize_kib = 4,
                .n_nodes = 1, .nodes = { { 0, 1 } },
        },
        {
                .name = "escaped space inside a path that is not deleted",
                .line = "7f0c40000000 bind:1 file=/var/lib/libvirt/qemu/ram/1-my\\040vm/ram-node0 dirty=10 N1=10 kernelpagesize_kB=4",
                .start = 0x7f0c40000000, .policy = NP_POLICY_BIND, .policy_text = "bind:1",
                .policy_nodes = "1",
                .path = "/var/lib/libvirt/qemu/ram/1-my vm/ram-node0",
                .dirty = 10, .kernelpagesize_kib = 4,
                .n_nodes = 1, .nodes = { { 1, 10 } },
        },
        {
                .name = "escaped '=', tab and newline; a literal backslash stays",
                .line = "7f0c80000000 default file=/srv/a\\075b\\011c\\012d\\e mapped=2 N0=2 kernelpagesize_kB=4",
                .start = 0x7f0c80000000, .policy = NP_POLICY_DEFAULT, .policy_text = "default",
                .path = "/srv/a=b\tc\nd\\e",
                .mapped = 2, .kernelpagesize_kib = 4,
                .n_nodes = 1, .nodes = { { 0, 2 } },
        },
        {
                .name = "prefer:1 with the pages fallen back to node 0",
                .line = "7f0d00000000 prefer:1 file=/dev/hugepages/libvirt/qemu/2-db/qemu_back_mem.pc.ram.a1b2c3\\040(deleted) huge dirty=32 N0=32 kernelpagesize_kB=2048",
                .start = 0x7f0d00000000, .policy = NP_POLICY_PREFERRED, .policy_text = "prefer:1",
                .policy_nodes = "1",
                .path = "/dev/hugepages/libvirt/qemu/2-db/qemu_back_mem.pc.ram.a1b2c3",
                .deleted = true, .huge = true,
                .dirty = 32, .kernelpagesize_kib = 2048,
                .n_nodes = 1, .nodes = { { 0, 32 } },
        },
        {
                .name = "prefer (many), a policy with a space",
                .line = "7f0e00000000 prefer (many):0-1 anon=10 dirty=10 N0=4 N1=6 kernelpagesize_kB=4",
                .start = 0x7f0e00000000, .policy = NP_POLICY_PREFERRED_MANY,
                .policy_text = "prefer (many):0-1", .policy_nodes = "0-1",
                .anon = 10, .dirty = 10, .kernelpagesize_kib = 4,
                .n_nodes = 2, .nodes = { { 0, 4 }, { 1, 6 } },
        },
        {
                .name = "interleave on the heap",
                .line = "55d0cb000000 interleave:0-3 heap anon=100 dirty=100 N0=25 N1=25 N2=25 N3=25 kernelpagesize_kB=4",
                .start = 0x55d0cb000000, .policy = NP_POLICY_INTERLEAVE,
                .policy_text = "interleave:0-3", .policy_nodes = "0-3", .heap = true,
                .anon = 100, .dirty = 100, .kernelpagesize_kib = 4,
                .n_nodes = 4, .nodes = { { 0, 25 }, { 1, 25 }, { 2, 25 }, { 3, 25 } },
        },
        {
                .name = "weighted interleave, a policy with a space",
                .line = "7f0f00000000 weighted interleave:0-3 anon=8 dirty=8 N0=2 N1=2 N2=2 N3=2 kernelpagesize_kB=4",
                .start = 0x7f0f00000000, .policy = NP_POLICY_WEIGHTED_INTERLEAVE,
                .policy_text = "weighted interleave:0-3", .policy_nodes = "0-3",
                .anon = 8, .dirty = 8, .kernelpagesize_kib = 4,
                .n_nodes = 4, .nodes = { { 0, 2 }, { 1, 2 }, { 2, 2 }, { 3, 2 } },
        },
        {
                .name = "bind with the static flag",
                .line = "7f1000000000 bind=static:1 anon=1 dirty=1 N1=1 kernelpagesize_kB=4",
                .start = 0x7f1000000000, .policy = NP_POLICY_BIND,
                .policy_text = "bind=static:1", .policy_nodes = "1",
                .anon = 1, .dirty = 1, .kernelpagesize_kib = 4,
                .n_nodes = 1, .nodes = { { 1, 1 } },
        },
        {
                .name = "interleave with the relative flag, on the stack",
                .line = "7ffd00000000 interleave=relative:0-1 stack anon=2 dirty=2 active=0 N0=1 N1=1 kernelpagesize_kB=4",
                .start = 0x7ffd00000000, .policy = NP_POLICY_INTERLEAVE,
                .policy_text = "interleave=relative:0-1", .policy_nodes = "0-1", .stack = true,
                .anon = 2, .dirty = 2, .kernelpagesize_kib = 4,
                .n_nodes = 2, .nodes = { { 0, 1 }, { 1, 1 } },
        },
        {
                .name = "static|balancing flags",
                .line = "7f1100000000 bind=static|balancing:0-1 anon=4 dirty=4 N0=4 kernelpagesize_kB=4",
                .start = 0x7f1100000000, .policy = NP_POLICY_BIND,
                .policy_text = "bind=static|balancing:0-1", .policy_nodes = "0-1",
                .anon = 4, .dirty = 4, .kernelpagesize_kib = 4,
                .n_nodes = 1, .nodes = { { 0, 4 } },
        },
        {
                .name = "balancing flag alone, non-contiguous nodes",
                .line = "7f1200000000 bind=balancing:0,2 anon=6 dirty=6 N0=3 N2=3 kernelpagesize_kB=4",
                .start = 0x7f1200000000, .policy = NP_POLICY_BIND,
                .policy_text = "bind=balancing:0,2", .policy_nodes = "0,2",
                .anon = 6, .dirty = 6, .kernelpagesize_kib = 4,
                .n_nodes = 2, .nodes = { { 0, 3 }, { 2, 3 } },
        },
        {
                .name = "hugetlb mapping with no page faulted yet stops after huge",
                .line = "7f1300000000 bind:0 file=/dev/hugepages/libvirt/qemu/3-idle/qemu_back_mem.ram-node0.zzz\\040(deleted) huge",
                .start = 0x7f1300000000, .policy = NP_POLICY_BIND, .policy_text = "bind:0",
                .policy_nodes = "0",
                .path = "/dev/hugepages/libvirt/qemu/3-idle/qemu_back_mem.ram-node0.zzz",
                .deleted = true, .huge = true,
        },
        {
                .name = "nothing but the policy",
                .line = "7ffc0a3f8000 default",
                .start = 0x7ffc0a3f8000, .policy = NP_POLICY_DEFAULT, .policy_text = "default",
        },
        {
                .name = "unknown counters and flags from a later kernel are ignored",
                .line = "7f1400000000 default anon=1 dirty=1 future=7 N0=1 kernelpagesize_kB=4 ksm_merged=0 shiny",
                .start = 0x7f1400000000, .policy = NP_POLICY_DEFAULT, .policy_text = "default",
                .anon = 1, .dirty = 1, .kernelpagesize_kib = 4,
                .n_nodes = 1, .nodes = { { 0, 1 } },
        },
        {
                .name = "every counter show_numa_map prints",
                .line = "7f1500000000 default file=/usr/lib/x86_64-linux-gnu/libc.so.6 anon=2 dirty=3 mapped=40 mapmax=60 swapcache=1 active=30 writeback=1 N0=39 N1=1 kernelpagesize_kB=4",
                .start = 0x7f1500000000, .policy = NP_POLICY_DEFAULT, .policy_text = "default",
                .path = "/usr/lib/x86_64-linux-gnu/libc.so.6",
                .anon = 2, .dirty = 3, .mapped = 40, .kernelpagesize_kib = 4,
                .n_nodes = 2, .nodes = { { 0, 39 }, { 1, 1 } },
        },
        {
                .name = "the highest node the kernel can have",
                .line = "7f1600000000 bind:1023 anon=5 dirty=5 N1023=5 kernelpagesize_kB=4",
                .start = 0x7f1600000000, .policy = NP_POLICY_BIND, .policy_text = "bind:1023",
                .policy_nodes = "1023",
                .anon = 5, .dirty = 5, .kernelpagesize_kib = 4,
                .n_nodes = 1, .nodes = { { 1023, 5 } },
        },
        {
                .name = "transparent huge pages count base pages",
                .line = "7f1700000000 bind:1 anon=1024 dirty=1024 N1=1024 kernelpagesize_kB=4",
                .start = 0x7f1700000000, .policy = NP_POLICY_BIND, .policy_text = "bind:1",
                .policy_nodes = "1",
                .anon = 1024, .dirty = 1024, .kernelpagesize_kib = 4,
                .n_nodes = 1, .nodes = { { 1, 1024 } },
        },
        {
                .name = "a 63 character policy may be cut by the kernel: no node set claimed",
                .line = "7f1800000000 interleave=relative|balancing:0,2,4,6,8,10,12,14,16,18,20,22,24 anon=1 dirty=1 N0=1 kernelpagesize_kB=4",
                .start = 0x7f1800000000, .policy = NP_POLICY_INTERLEAVE,
                .policy_text = "interleave=relative|balancing:0,2,4,6,8,10,12,14,16,18,20,22,24",
                .anon = 1, .dirty = 1, .kernelpagesize_kib = 4,
                .n_nodes = 1, .nodes = { { 0, 1 } },
        },
        {
                .name = "64-bit address",
                .line = "ffffffffff600000 default",
                .start = UINT64_C(0xffffffffff600000), .policy = NP_POLICY_DEFAULT,
                .policy_text = "default",
        },
};

static void test_parse_good(void **state)
{
        np_numamaps_entry *e = malloc(sizeof(*e));

        (void)state;
        assert_non_null(e);
        for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
                const good_line *g = &good[i];
                np_error err = { { 0 } };
                char nodes[64];

                print_message("  case: %s\n", g->name);
                if (np_numamaps_parse_line(g->line, e, &err) != 0)
                        fail_msg("%s: unexpected error: %s", g->name, err.msg);
                assert_int_equal(e->start, g->start);
                assert_int_equal(e->policy, g->policy);
                assert_string_equal(e->policy_text, g->policy_text);
                assert_int_equal(e->has_policy_nodes, g->policy_nodes != NULL);
                if (g->policy_nodes) {
                        np_bitmap_format(&e->policy_nodes, nodes, sizeof(nodes));
                        assert_string_equal(nodes, g->policy_nodes);
                }
                assert_int_equal(e->has_file, g->path != NULL);
                assert_string_equal(e->path, g->path ? g->path : "");
                assert_int_equal(e->deleted, g->deleted);
                assert_int_equal(e->heap, g->heap);
                assert_int_equal(e->stack, g->stack);
                assert_int_equal(e->huge, g->huge);
                assert_int_equal(e->anon, g->anon);
                assert_int_equal(e->dirty, g->dirty);
                assert_int_equal(e->mapped, g->mapped);
                assert_int_equal(e->kernelpagesize_kib, g->kernelpagesize_kib);
                assert_int_equal(e->n_nodes, g->n_nodes);
                for (unsigned n = 0; n < g->n_nodes; n++) {
                        assert_int_equal(e->nodes[n].node, g->nodes[n].node);
                        assert_int_equal(e->nodes[n].pages, g->nodes[n].pages);
                }
        }
        free(e);
}

typedef struct bad_line {
        const char *line;
        const char *msg;
} bad_line;

static const bad_line bad[] = {
        { "", "empty line" },
        { "zz00 default", "'zz00': expected a hexadecimal address" },
        { "7f0000000000000000 default", "'7f0000000000000000': expected a hexadecimal address" },
        { " default", "expected a hexadecimal address at the start of the line" },
        { "7f00", "missing policy after the address" },
        { "7f00 ", "missing policy after the address" },
        { "7f00 unknown anon=1", "policy 'unknown': unknown mode" },
        { "7f00 bindx:0", "policy 'bindx:0': unknown mode" },
        { "7f00 prefer (few):0", "'(few):0': unexpected token" },
        { "7f00 bind=:0 anon=1", "policy 'bind=:0': expected a mode flag after '='" },
        { "7f00 bind=static|:0", "policy 'bind=static|:0': expected a mode flag after '|'" },
        { "7f00 bind: anon=1", "policy 'bind:': expected a node list after ':'" },
        { "7f00 bind:x anon=1", "policy 'bind:x': expected a node list after ':'" },
        { "7f00 bind:0x anon=1", "policy 'bind:0x': unexpected 'x'" },
        { "7f00 bind:3-1 anon=1", "policy 'bind:3-1': nodeset '3-1': range 3-1 runs backwards" },
        { "7f00 bind:1024", "policy 'bind:1024': nodeset '1024': number out of range (limit 1023)" },
        /* a control character is shown escaped, never raw */
        { "7f00 default\tanon=1", "policy 'default\\x09anon=1': unknown mode" },
        { "7f00 bind:0 N0=abc", "N0=abc: expected a page count" },
        /* malformed known keys and impossible values */
        { "7f00 bind:0 N0=1 kernelpagesize_kB=0", "kernelpagesize_kB=0: not a page size (a power of two from 4 to 16777216 KiB)" },
        { "7f00 bind:0 N0=1 kernelpagesize_kB=3", "kernelpagesize_kB=3: not a page size (a power of two from 4 to 16777216 KiB)" },
        { "7f00 bind:0 N0=1 kernelpagesize_kB=6144", "kernelpagesize_kB=6144: not a page size (a power of two from 4 to 16777216 KiB)" },
        { "7f00 bind:0 N0=1 kernelpagesize_kB=33554432", "kernelpagesize_kB=33554432: not a page size (a power of two from 4 to 16777216 KiB)" },
        { "7f00 bind:0 N-1=256", "N-1=256: expected N<node>=<pages>" },
        { "7f00 bind:0 N1x=256", "N1x=256: expected N<node>=<pages>" },
        { "7f00 bind:0 N0=18446744073709551615", "18446744073709551615 pages of 4 KiB overflow" },
        { "7f00 bind:0 N0=4611686018427387904 kernelpagesize_kB=4", "4611686018427387904 pages of 4 KiB overflow" },
        { "7f00 bind:0 N0=18446744073709551615 N1=1", "page counts overflow" },
        { "7f00 bind:0 N0=", "N0=: expected a page count" },
        { "7f00 bind:0 N0=1x", "N0=1x: expected a page count" },
        { "7f00 bind:0 N0=-1", "N0=-1: expected a page count" },
        { "7f00 bind:0 N0", "N0: expected '=' and a number" },
        { "7f00 bind:0 N1024=1", "N1024=1: node out of range (limit 1023)" },
        { "7f00 bind:0 N99999999999999999999=1", "N99999999999999999999=1: node out of range (limit 1023)" },
        { "7f00 bind:0 N0=1 N0=2", "N0=2: node 0 appears twice" },
        { "7f00 bind:0 N0=1 kernelpagesize_kB=", "kernelpagesize_kB=: expected a page size in KiB" },
        { "7f00 bind:0 N0=1 kernelpage", "'kernelpage': truncated token" },
        { "7f00 bind:0 anon=1 dir", "'dir': truncated token" },
        { "7f00 bind:0 fil", "'fil': truncated token" },
        { "7f00 bind:0 N", "'N': unexpected token" },
        { "7f00 bind:0 N0=1 kernelpagesize_kB", "kernelpagesize_kB: expected '=' and a number" },
        { "7f00 bind:0 anon", "anon: expected '=' and a number" },
        { "7f00 bind:0 anon=", "anon=: expected a page count" },
        { "7f00 bind:0 anon=99999999999999999999", "anon=99999999999999999999: expected a page count" },
        { "7f00 bind:0 dirty=1.5", "dirty=1.5: expected a page count" },
        { "7f00 bind:0 file=", "file=: expected a path" },
        { "7f00 bind:0 (deleted)", "'(deleted)': unexpected token" },
        { "7f00 bind:0 ANON=1", "" /* unknown key=value: accepted, see below */ },
        { "7f00 bind:0 Nfuture=3", "" /* a later counter, not a node */ },
};

static void test_parse_bad(void **state)
{
        np_numamaps_entry *e = malloc(sizeof(*e));

        (void)state;
        assert_non_null(e);
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                np_error err = { { 0 } };
                int r = np_numamaps_parse_line(bad[i].line, e, &err);

                print_message("  line: '%s'\n", bad[i].line);
                if (!*bad[i].msg) {
                        assert_int_equal(r, 0);
                        continue;
                }
                assert_int_equal(r, -EINVAL);
                assert_string_equal(err.msg, bad[i].msg);
        }
        free(e);
}

static void test_parse_path_too_long(void **state)
{
        np_numamaps_entry *e = malloc(sizeof(*e));
        size_t n = NP_PATH_MAX + 64;
        char *line = malloc(n + 64);
        np_error err = { { 0 } };

        (void)state;
        assert_non_null(e);
        assert_non_null(line);
        strcpy(line, "7f00 default file=/");
        memset(line + strlen(line), 'a', n);
        line[19 + n] = '\0';
        assert_int_equal(np_numamaps_parse_line(line, e, &err), -EINVAL);
        assert_non_null(strstr(err.msg, "path longer than 4095 bytes"));

        /* exactly the longest path that fits */
        strcpy(line, "7f00 default file=/");
        memset(line + 19, 'b', NP_PATH_MAX - 2);
        line[19 + NP_PATH_MAX - 2] = '\0';
        assert_int_equal(np_numamaps_parse_line(line, e, &err), 0);
        assert_int_equal(strlen(e->path), NP_PATH_MAX - 1);
        free(line);
        free(e);
}

static void test_reuse_clears_previous_line(void **state)
{
        np_numamaps_entry *e = malloc(sizeof(*e));
        np_error err = { { 0 } };

        (void)state;
        assert_non_null(e);
        assert_int_equal(np_numamaps_parse_line("7f00 bind:1 file=/a\\040(deleted) huge anon=1 dirty=1 N1=1 kernelpagesize_kB=2048",
                                                e, &err), 0);
        assert_int_equal(np_numamaps_parse_line("7f01 default", e, &err), 0);
        assert_int_equal(e->start, 0x7f01);
        assert_false(e->has_policy_nodes);
        assert_false(e->has_file);
        assert_string_equal(e->path, "");
        assert_false(e->deleted);
        assert_false(e->huge);
        assert_int_equal(e->anon, 0);
        assert_int_equal(e->dirty, 0);
        assert_int_equal(e->n_nodes, 0);
        assert_int_equal(e->kernelpagesize_kib, 0);
        free(e);
}

static void test_page_kib(void **state)
{
        np_numamaps_entry *e = malloc(sizeof(*e));
        np_error err = { { 0 } };

        (void)state;
        assert_non_null(e);
        assert_int_equal(np_numamaps_parse_line("7f00 bind:0 huge dirty=2 N0=2 kernelpagesize_kB=1048576", e, &err), 0);
        assert_int_equal(np_numamaps_entry_page_kib(e), 1048576);
        assert_int_equal(np_numamaps_parse_line("7f00 bind:0 huge", e, &err), 0);
        assert_int_equal(np_numamaps_entry_page_kib(e), 4);
        free(e);
}

static void test_policy_names(void **state)
{
        static const struct {
                np_policy_kind kind;
                const char *name;
        } names[] = {
                { NP_POLICY_DEFAULT, "default" },
                { NP_POLICY_LOCAL, "local" },
                { NP_POLICY_BIND, "bind" },
                { NP_POLICY_PREFERRED, "prefer" },
                { NP_POLICY_PREFERRED_MANY, "prefer (many)" },
                { NP_POLICY_INTERLEAVE, "interleave" },
                { NP_POLICY_WEIGHTED_INTERLEAVE, "weighted interleave" },
                { NP_POLICY__COUNT, "unknown" },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                assert_string_equal(np_policy_kind_to_string(names[i].kind), names[i].name);
}

/* ---- the reader ---- */

typedef struct collected {
        unsigned n;
        unsigned stop_at;       /* 0: never */
        uint64_t start[16];
        char policy[16][32];
        bool deleted[16];
        uint64_t node1_pages[16];
} collected;

static int collect(const np_numamaps_entry *e, void *userdata)
{
        collected *c = userdata;

        if (c->n < 16) {
                c->start[c->n] = e->start;
                snprintf(c->policy[c->n], sizeof(c->policy[c->n]), "%s", e->policy_text);
                c->deleted[c->n] = e->deleted;
                for (unsigned i = 0; i < e->n_nodes; i++)
                        if (e->nodes[i].node == 1)
                                c->node1_pages[c->n] = e->nodes[i].pages;
        }
        c->n++;
        if (c->stop_at && c->n == c->stop_at)
                return -ECANCELED;
        return 0;
}

static void test_read_fixture(void **state)
{
        np_sysroot *root = open_tree("process-v1");
        collected c = { 0 };
        np_error err = { { 0 } };

        (void)state;
        if (np_numamaps_read(root, 4242, collect, &c, &err) != 0)
                fail_msg("%s", err.msg);
        assert_int_equal(c.n, 10);
        assert_int_equal(c.start[0], 0x55d0c8a00000);
        assert_int_equal(c.start[3], 0x7f0a00000000);
        assert_string_equal(c.policy[3], "bind:0");
        assert_true(c.deleted[3]);
        assert_int_equal(c.start[4], 0x7f0a40000000);
        assert_string_equal(c.policy[4], "bind:1");
        assert_int_equal(c.node1_pages[4], 488);
        assert_int_equal(c.node1_pages[2], 1096);
        assert_int_equal(c.start[9], 0x7ffc0a3f8000);
        np_sysroot_free(root);
}

static void test_read_callback_stops(void **state)
{
        np_sysroot *root = open_tree("process-v1");
        collected c = { .stop_at = 2 };
        np_error err = { { 0 } };

        (void)state;
        assert_int_equal(np_numamaps_read(root, 4242, collect, &c, &err), -ECANCELED);
        assert_int_equal(c.n, 2);
        np_sysroot_free(root);
}

static void test_read_errors(void **state)
{
        static const struct {
                pid_t pid;
                int r;
                const char *suffix;      /* after the fixture directory */
        } cases[] = {
                { 4343, -EINVAL, "/proc/4343/numa_maps: line 3: N0=abc: expected a page count" },
                { 4344, -EINVAL, "/proc/4344/numa_maps: line 2: truncated (no end of line)" },
                { 4345, -ESRCH, "/proc/4345/numa_maps: process 4345 is not running" },
                { 4346, -ENOENT, "/proc/4346/numa_maps: No such file or directory" },
        };
        char dir[PATH_MAX], want[PATH_MAX + 128];
        np_sysroot *root = open_tree("numamaps-bad");

        (void)state;
        data_dir("numamaps-bad", dir, sizeof(dir));
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                collected c = { 0 };
                np_error err = { { 0 } };

                assert_int_equal(np_numamaps_read(root, cases[i].pid, collect, &c, &err), cases[i].r);
                snprintf(want, sizeof(want), "%s%s", dir, cases[i].suffix);
                assert_string_equal(err.msg, want);
        }
        np_sysroot_free(root);
}

static int count_only(const np_numamaps_entry *e, void *userdata)
{
        (void)e;
        ++*(unsigned *)userdata;
        return 0;
}

/* Smoke test against the running kernel: this process's own numa_maps
 * must parse.  Asserts nothing about the content, which is the
 * machine's. */
static void test_live_self_numa_maps_smoke(void **state)
{
        np_sysroot *root = NULL;
        np_error err = { { 0 } };
        unsigned n = 0;

        (void)state;
        assert_int_equal(np_sysroot_open("/", &root, &err), 0);
        if (access("/proc/self/numa_maps", R_OK) != 0) {
                np_sysroot_free(root);
                skip(); /* a kernel built without CONFIG_NUMA */
        }
        if (np_numamaps_read(root, getpid(), count_only, &n, &err) != 0)
                fail_msg("%s", err.msg);
        assert_true(n >= 1);
        np_sysroot_free(root);
}

/* A zombie's numa_maps reads as empty: the reader must say the process
 * is gone rather than report a process without memory. */
static void test_live_zombie_is_reported(void **state)
{
        np_sysroot *root = NULL;
        np_error err = { { 0 } };
        unsigned n = 0;
        pid_t child;

        (void)state;
        if (access("/proc/self/numa_maps", R_OK) != 0)
                skip();
        assert_int_equal(np_sysroot_open("/", &root, &err), 0);
        child = fork();
        assert_true(child >= 0);
        if (child == 0)
                _exit(0);
        for (int i = 0; i < 1000; i++) {
                char path[64], *stat = NULL;
                bool zombie;

                snprintf(path, sizeof(path), "/proc/%d/stat", (int)child);
                assert_int_equal(np_sysroot_read_file(root, path, 4096, &stat, NULL, &err), 0);
                zombie = strstr(stat, ") Z ") != NULL;
                free(stat);
                if (zombie)
                        break;
                usleep(1000);
        }
        assert_int_equal(np_numamaps_read(root, child, count_only, &n, &err), -ESRCH);
        assert_int_equal(n, 0);
        assert_non_null(strstr(err.msg, "exited while reading"));
        assert_int_equal(waitpid(child, NULL, 0), child);
        assert_int_equal(np_numamaps_read(root, child, count_only, &n, &err), -ESRCH);
        assert_non_null(strstr(err.msg, "is not running"));
        np_sysroot_free(root);
}

/* A message quotes a short prefix of what it did not expect, never the
 * whole of a hostile line. */
static void test_quote_is_short(void **state)
{
        np_numamaps_entry *e = malloc(sizeof(*e));
        char line[2048], want[256];
        np_error err = { { 0 } };

        (void)state;
        assert_non_null(e);
        strcpy(line, "7f00 bind:0 ");
        memset(line + strlen(line), 'X', 1000);
        line[12 + 1000] = '\0';
        assert_int_equal(np_numamaps_parse_line(line, e, &err), -EINVAL);
        snprintf(want, sizeof(want), "'%.64s': unexpected token", line + 12);
        assert_string_equal(err.msg, want);
        free(e);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse_good),
                cmocka_unit_test(test_quote_is_short),
                cmocka_unit_test(test_parse_bad),
                cmocka_unit_test(test_parse_path_too_long),
                cmocka_unit_test(test_reuse_clears_previous_line),
                cmocka_unit_test(test_page_kib),
                cmocka_unit_test(test_policy_names),
                cmocka_unit_test(test_read_fixture),
                cmocka_unit_test(test_read_callback_stops),
                cmocka_unit_test(test_read_errors),
                cmocka_unit_test(test_live_self_numa_maps_smoke),
                cmocka_unit_test(test_live_zombie_is_reported),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
