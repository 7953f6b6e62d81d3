/* test_attribute.c: which mapping is which guest region. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "attribute.h"
#include "error.h"

static void test_path_names_backend(void **state)
{
        static const struct {
                const char *path, *id;
                bool want;
        } t[] = {
                { "/dev/hugepages/libvirt/qemu/1-web1/qemu_back_mem.ram-node0.cayoDy", "ram-node0", true },
                { "/dev/hugepages/libvirt/qemu/1-web1/qemu_back_mem.ram-node10.cayoDy", "ram-node1", false },
                { "/dev/hugepages/libvirt/qemu/1-web1/qemu_back_mem.ram-node1.cayoDy", "ram-node10", false },
                { "/dev/hugepages/qemu_back_mem._objects_ram-node0.XyZ", "ram-node0", true },
                { "/var/lib/libvirt/qemu/ram/1-web1/ram-node2", "ram-node2", true },
                { "/dev/hugepages/libvirt/qemu/1-web1/qemu_back_mem.pc.ram.aB3", "pc.ram", true },
                { "/dev/hugepages/libvirt/qemu/1-ram-node0/qemu_back_mem.pc.ram.aB3", "ram-node0", false },
                { "/dev/hugepages/libvirt/qemu/1-web1/qemu_back_mem.memdimm0.aB3", "memdimm0", true },
                { "/dev/hugepages/qemu_back_mem.mem0.K1", "mem0", true },
                /* QEMU's own file names the id exactly: "mem" is not mem0,
                 * and "back_mem" in the prefix is no id either */
                { "/dev/hugepages/qemu_back_mem.mem0.K1 (deleted)", "mem", false },
                { "/dev/hugepages/qemu_back_mem.mem.K1 (deleted)", "mem", true },
                { "/dev/hugepages/qemu_back_mem.mem.K1", "mem0", false },
                { "/dev/hugepages/qemu_back_mem._objects_mem1.K1", "mem1", true },
                { "/dev/shm/mem", "mem", true },
                { "/usr/lib/x86_64-linux-gnu/libmem0.so", "mem0", false },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
                if (np_path_names_backend(t[i].path, t[i].id) != t[i].want)
                        fail_msg("%s vs %s: want %d", t[i].path, t[i].id, t[i].want);
}

#define MIB (1024ull * 1024)

static np_mapping mapping(uint64_t start, uint64_t size, const char *path,
                          np_policy_kind policy, int node)
{
        np_mapping m;

        memset(&m, 0, sizeof(m));
        m.start = start;
        m.end = start + size;
        m.path = (char *)path;
        m.has_numa = true;
        m.policy = policy;
        if (node >= 0) {
                m.has_policy_nodes = true;
                np_bitmap_set(&m.policy_nodes, (unsigned)node);
        }
        return m;
}

static np_region region(const char *id, uint64_t size_kib, np_backing backing, int node)
{
        np_region r;

        memset(&r, 0, sizeof(r));
        strcpy(r.id, id);
        r.size_kib = size_kib;
        r.backing = backing;
        r.mode = NP_MODE_STRICT;
        r.enforcement = NP_ENFORCE_MBIND;
        r.has_nodes = true;
        np_bitmap_set(&r.nodes, (unsigned)node);
        r.pagesize_kib = 4;
        return r;
}

/* Two memfd cells of equal size and name: the policy tells them apart,
 * whatever their address order. */
static void test_memfd_by_policy(void **state)
{
        np_region regs[2] = { region("ram-node0", 256 * 1024, NP_BACKING_MEMFD, 0),
                              region("ram-node1", 256 * 1024, NP_BACKING_MEMFD, 1) };
        np_mapping maps[3] = {
                mapping(0x7f0000000000, 256 * MIB, "/memfd:memory-backend-memfd", NP_POLICY_BIND, 1),
                mapping(0x7f1000000000, 256 * MIB, "/memfd:memory-backend-memfd", NP_POLICY_BIND, 0),
                mapping(0x7f2000000000, 256 * MIB, "", NP_POLICY_BIND, 0), /* anonymous: not memfd */
        };
        np_match how[2];

        (void)state;
        np_attribute(regs, 2, NULL, maps, 3, how);
        assert_int_equal(maps[0].region, 1);
        assert_int_equal(maps[1].region, 0);
        assert_int_equal(maps[2].region, -1);
        assert_int_equal(how[0], NP_MATCH_SIZE_POLICY);
        assert_int_equal(how[1], NP_MATCH_SIZE_POLICY);
}

/* The LXD #15082 shape: no policy at all, so size alone, and a glibc
 * arena of another size is left alone. */
static void test_size_only(void **state)
{
        np_region regs[1] = { region("ram-node0", 512 * 1024, NP_BACKING_ANONYMOUS, 1) };
        np_mapping maps[2] = {
                mapping(0x7f0000000000, 64 * MIB - 4096, "", NP_POLICY_DEFAULT, -1),
                mapping(0x7f1000000000, 512 * MIB, "", NP_POLICY_DEFAULT, -1),
        };
        np_match how[1];

        (void)state;
        np_attribute(regs, 1, NULL, maps, 2, how);
        assert_int_equal(maps[0].region, -1);
        assert_int_equal(maps[1].region, 0);
        assert_int_equal(how[0], NP_MATCH_SIZE);
}

/* Names win over sizes; an anonymous mapping never holds a file region. */
static void test_name_first(void **state)
{
        np_region regs[2] = { region("ram-node0", 512 * 1024, NP_BACKING_FILE, 0),
                              region("ram-node1", 512 * 1024, NP_BACKING_FILE, 1) };
        np_mapping maps[2] = {
                mapping(0x7f0000000000, 512 * MIB, "/dev/hugepages/libvirt/qemu/1-a/qemu_back_mem.ram-node1.x",
                        NP_POLICY_BIND, 0),
                mapping(0x7f1000000000, 512 * MIB, "", NP_POLICY_BIND, 0),
        };
        np_match how[2];

        (void)state;
        np_attribute(regs, 2, NULL, maps, 2, how);
        assert_int_equal(maps[0].region, 1);
        assert_int_equal(how[1], NP_MATCH_NAME);
        assert_int_equal(maps[1].region, -1);
        assert_int_equal(how[0], NP_MATCH_NONE);
}

/* A domain that arrived by migration keeps its unaligned cells, which
 * the configuration does not show: intent sizes the cell 20480 KiB (a new
 * start), QEMU was told 20002 KiB.  The size on the command line is what
 * picks the mapping. */
static void test_size_from_cmdline(void **state)
{
        static const char argv[] =
                "qemu-system-x86_64\0-object\0"
                "{\"qom-type\":\"memory-backend-ram\",\"id\":\"ram-node0\",\"size\":20482048,"
                "\"host-nodes\":[1],\"policy\":\"bind\"}\0"
                "-numa\0node,nodeid=0,cpus=0,memdev=ram-node0\0";
        np_region regs[1] = { region("ram-node0", 20480, NP_BACKING_ANONYMOUS, 1) };
        np_mapping maps[1] = { mapping(0x7f0000000000, 20002 * 1024, "", NP_POLICY_BIND, 1) };
        np_qemu_cmdline *cmdline = NULL;
        np_error err = { "" };
        np_match how[1];

        (void)state;
        np_attribute(regs, 1, NULL, maps, 1, how);
        assert_int_equal(how[0], NP_MATCH_NONE);

        assert_int_equal(np_qemu_cmdline_parse(argv, sizeof(argv) - 1, &cmdline, &err), 0);
        np_attribute(regs, 1, cmdline, maps, 1, how);
        assert_int_equal(maps[0].region, 0);
        assert_int_equal(how[0], NP_MATCH_SIZE_POLICY);
        np_qemu_cmdline_free(cmdline);
}

static void test_candidates(void **state)
{
        (void)state;
        assert_true(np_mapping_is_candidate("", "rw-p", 256 * 1024));
        assert_true(np_mapping_is_candidate("", "rw-p", 1024));
        assert_false(np_mapping_is_candidate("", "rw-p", 1020));
        assert_false(np_mapping_is_candidate("", "---p", 256 * 1024));
        assert_false(np_mapping_is_candidate("", "r--p", 256 * 1024));
        assert_false(np_mapping_is_candidate("[heap]", "rw-p", 256 * 1024));
        assert_true(np_mapping_is_candidate("/x/qemu_back_mem.ram-node0.Q", "rw-s", 2048));
        assert_true(np_mapping_is_candidate("/memfd:memory-backend-memfd (deleted)", "rw-s", 32768));
}

static np_qemu_cmdline *parse(const char *const *argv)
{
        char buf[2048];
        size_t len = 0;
        np_qemu_cmdline *cl = NULL;
        np_error err = { "" };

        for (size_t i = 0; argv[i]; i++) {
                size_t n = strlen(argv[i]) + 1;

                assert_true(len + n <= sizeof(buf));
                memcpy(buf + len, argv[i], n);
                len += n;
        }
        if (np_qemu_cmdline_parse(buf, len, &cl, &err) < 0)
                fail_msg("%s", err.msg);
        return cl;
}

/* The graph places regions by what they are: cells by -numa nodeid,
 * devices by their place among devices of their kind, whatever QEMU
 * calls the backends; a region named as its backend keeps that one. */
static void test_graph_map(void **state)
{
        static const char *const argv[] = {
                "qemu-system-x86_64", "-m", "2G,slots=4,maxmem=8G",
                "-object", "memory-backend-ram,id=memB,size=1G",
                "-object", "memory-backend-ram,id=memA,size=512M",
                "-object", "{\"qom-type\":\"memory-backend-file\",\"id\":\"hp\",\"size\":536870912,\"mem-path\":\"/dev/hugepages\"}",
                "-object", "memory-backend-ram,id=vm,size=1G",
                "-object", "memory-backend-ram,id=ram-node2,size=512M",
                "-numa", "node,nodeid=1,memdev=memB",
                "-numa", "node,nodeid=0,memdev=memA",
                "-numa", "node,nodeid=2,memdev=ram-node2",
                "-device", "pc-dimm,id=d0,memdev=hp,node=1",
                "-device", "{\"driver\":\"virtio-mem-pci\",\"id\":\"vmem0\",\"memdev\":\"vm\",\"node\":0}",
                NULL,
        };
        np_region regs[6] = { region("ram-node0", 512 * 1024, NP_BACKING_ANONYMOUS, 0),
                              region("ram-node1", 1024 * 1024, NP_BACKING_ANONYMOUS, 1),
                              region("ram-node2", 512 * 1024, NP_BACKING_ANONYMOUS, 1),
                              region("memdimm0", 512 * 1024, NP_BACKING_FILE, 1),
                              region("memvirtiomem0", 1024 * 1024, NP_BACKING_ANONYMOUS, 0),
                              region("ram-node3", 512 * 1024, NP_BACKING_ANONYMOUS, 0) };
        const np_qemu_backend *b[6];
        np_qemu_cmdline *cl;

        (void)state;
        regs[0].cell = 0;
        regs[1].cell = 1;
        regs[2].cell = 2;
        regs[3].kind = NP_REGION_DIMM;
        regs[3].cell = 1;
        regs[4].kind = NP_REGION_VIRTIO_MEM;
        regs[4].cell = 0;
        regs[5].cell = 3;
        cl = parse(argv);
        np_graph_map(regs, 6, cl, b);
        assert_non_null(b[0]);
        assert_string_equal(b[0]->id, "memA");
        assert_non_null(b[1]);
        assert_string_equal(b[1]->id, "memB");
        assert_non_null(b[2]);
        assert_string_equal(b[2]->id, "ram-node2");
        assert_non_null(b[3]);
        assert_string_equal(b[3]->id, "hp");
        assert_string_equal(b[3]->device_id, "d0");
        assert_int_equal(b[3]->device_node, 1);
        assert_non_null(b[4]);
        assert_string_equal(b[4]->id, "vm");
        assert_null(b[5]); /* QEMU has no cell 3 */
        np_graph_map(regs, 6, NULL, b);
        for (size_t i = 0; i < 6; i++)
                assert_null(b[i]);
        np_qemu_cmdline_free(cl);
}

/* Mappings follow QEMU's ids: hugetlbfs files by qemu_back_mem.<id>.,
 * anonymous cells by their backend's size and policy. */
static void test_attribute_own_ids(void **state)
{
        static const char *const argv[] = {
                "qemu-system-x86_64", "-m", "1G",
                "-object", "memory-backend-file,id=mem0,size=512M,mem-path=/dev/hugepages,host-nodes=0,policy=bind",
                "-object", "memory-backend-file,id=mem1,size=512M,mem-path=/dev/hugepages,host-nodes=1,policy=bind",
                "-numa", "node,nodeid=0,memdev=mem0", "-numa", "node,nodeid=1,memdev=mem1",
                NULL,
        };
        np_region regs[2] = { region("ram-node0", 512 * 1024, NP_BACKING_FILE, 0),
                              region("ram-node1", 512 * 1024, NP_BACKING_FILE, 1) };
        np_mapping maps[2] = {
                mapping(0x7f0000000000, 512 * MIB, "/dev/hugepages/qemu_back_mem.mem1.Wt6 (deleted)", NP_POLICY_BIND, 1),
                mapping(0x7f1000000000, 512 * MIB, "/dev/hugepages/qemu_back_mem.mem0.Qm3 (deleted)", NP_POLICY_BIND, 0),
        };
        const np_qemu_backend *b[2];
        np_qemu_cmdline *cl = parse(argv);
        np_match how[2];

        (void)state;
        regs[0].cell = 0;
        regs[1].cell = 1;
        maps[0].huge = maps[1].huge = true;
        np_attribute_graph(regs, 2, cl, maps, 2, how, b);
        assert_int_equal(maps[0].region, 1);
        assert_int_equal(maps[1].region, 0);
        assert_int_equal(how[0], NP_MATCH_NAME);
        assert_int_equal(how[1], NP_MATCH_NAME);
        assert_string_equal(b[1]->id, "mem1");
        /* without the command line the names say nothing of the regions,
         * and both files name an id nobody knows: sizes and policies */
        np_attribute(regs, 2, NULL, maps, 2, how);
        assert_int_equal(maps[0].region, 1);
        assert_int_equal(maps[1].region, 0);
        assert_int_equal(how[0], NP_MATCH_SIZE_POLICY);
        assert_int_equal(how[1], NP_MATCH_SIZE_POLICY);
        np_qemu_cmdline_free(cl);
}

/* A file region is matched by size only by a mapping that says nothing
 * else about itself: hugetlbfs, shared, or QEMU's own temporary file
 * naming an unknown id; never an ordinary private file, never a file
 * that names another backend. */
static void test_file_by_size(void **state)
{
        static const char *const argv[] = {
                "qemu-system-x86_64",
                "-object", "memory-backend-file,id=other,size=64M,mem-path=/dev/hugepages",
                NULL,
        };
        np_region regs[1] = { region("pc.ram", 512 * 1024, NP_BACKING_FILE, 1) };
        np_mapping maps[4] = {
                mapping(0x7f0000000000, 512 * MIB, "/usr/lib/x86_64-linux-gnu/libbig.so", NP_POLICY_DEFAULT, -1),
                mapping(0x7f1000000000, 512 * MIB, "/dev/hugepages/qemu_back_mem.other.Xy (deleted)", NP_POLICY_BIND, 1),
                mapping(0x7f2000000000, 512 * MIB, "/dev/hugepages/qemu_back_mem.guest-ram.Jd9 (deleted)", NP_POLICY_BIND, 1),
                mapping(0x7f3000000000, 512 * MIB, "/dev/shm/unnamed", NP_POLICY_DEFAULT, -1),
        };
        np_qemu_cmdline *cl = parse(argv);
        np_match how[1];

        (void)state;
        maps[1].huge = maps[2].huge = true;
        maps[3].shared = true;
        np_attribute(regs, 1, cl, maps, 4, how);
        assert_int_equal(maps[0].region, -1);
        assert_int_equal(maps[1].region, -1);
        assert_int_equal(maps[2].region, 0);
        assert_int_equal(how[0], NP_MATCH_SIZE_POLICY);
        /* the policy told the hugetlbfs file from the shared one; by size
         * alone the highest address (the earliest backend) wins */
        maps[2].policy = NP_POLICY_DEFAULT;
        np_attribute(regs, 1, cl, maps, 4, how);
        assert_int_equal(maps[3].region, 0);
        assert_int_equal(how[0], NP_MATCH_SIZE);
        /* an intent without huge pages, QEMU on a hugetlb memfd the graph
         * does not know: the process's RAM all the same */
        regs[0].backing = NP_BACKING_ANONYMOUS;
        maps[3].path = (char *)"/memfd:memory-backend-memfd (deleted)";
        maps[3].huge = true;
        np_attribute(regs, 1, NULL, maps, 4, how);
        assert_int_equal(maps[1].region, 0); /* "other" is nobody's now; its policy fits */
        assert_int_equal(how[0], NP_MATCH_SIZE_POLICY);
        maps[1].policy = NP_POLICY_DEFAULT;
        np_attribute(regs, 1, NULL, maps, 4, how);
        assert_int_equal(maps[3].region, 0);
        assert_int_equal(how[0], NP_MATCH_SIZE);
        np_qemu_cmdline_free(cl);
}

/* One RAM block, one region: an intent with one cell for a QEMU
 * without -numa, and one without cells for a QEMU with one node. */
static void test_graph_one_block(void **state)
{
        static const char *const machine[] = {
                "qemu", "-machine", "q35,memory-backend=mem",
                "-object", "memory-backend-ram,id=mem,size=1G", NULL,
        };
        static const char *const one_node[] = {
                "qemu", "-object", "memory-backend-ram,id=m,size=1G", "-numa", "node,memdev=m", NULL,
        };
        np_region cell = region("ram-node0", 1024 * 1024, NP_BACKING_ANONYMOUS, 0);
        np_region flat = region("pc.ram", 1024 * 1024, NP_BACKING_ANONYMOUS, 0);
        np_region two[2] = { region("ram-node0", 512 * 1024, NP_BACKING_ANONYMOUS, 0),
                             region("ram-node1", 512 * 1024, NP_BACKING_ANONYMOUS, 1) };
        const np_qemu_backend *b[2];
        np_qemu_cmdline *cl;

        (void)state;
        cell.cell = 0;
        flat.kind = NP_REGION_MACHINE;
        flat.cell = -1;
        two[0].cell = 0;
        two[1].cell = 1;
        cl = parse(machine);
        np_graph_map(&cell, 1, cl, b);
        assert_non_null(b[0]);
        assert_string_equal(b[0]->id, "mem");
        np_graph_map(&flat, 1, cl, b);
        assert_string_equal(b[0]->id, "mem");
        /* two cells cannot share one block */
        np_graph_map(two, 2, cl, b);
        assert_null(b[0]);
        assert_null(b[1]);
        np_qemu_cmdline_free(cl);
        cl = parse(one_node);
        np_graph_map(&flat, 1, cl, b);
        assert_non_null(b[0]);
        assert_string_equal(b[0]->id, "m");
        np_qemu_cmdline_free(cl);
}

/* The one mode-to-policy mapping: what QEMU is told, what the kernel
 * shows, and which kernel policies keep each mode's binding. */
static void test_mode_policy(void **state)
{
        static const struct {
                np_mode mode;
                const char *qemu;
                np_policy_kind one, many;
        } words[] = {
                { NP_MODE_NONE, "default", NP_POLICY_DEFAULT, NP_POLICY_DEFAULT },
                { NP_MODE_STRICT, "bind", NP_POLICY_BIND, NP_POLICY_BIND },
                { NP_MODE_PREFERRED, "preferred", NP_POLICY_PREFERRED, NP_POLICY_PREFERRED_MANY },
                { NP_MODE_INTERLEAVE, "interleave", NP_POLICY_INTERLEAVE, NP_POLICY_INTERLEAVE },
                { NP_MODE_RESTRICTIVE, "default", NP_POLICY_DEFAULT, NP_POLICY_DEFAULT },
        };
        /* holds[mode][kind] */
        static const bool holds[NP_MODE__COUNT][NP_POLICY__COUNT] = {
                [NP_MODE_STRICT] = { [NP_POLICY_BIND] = true },
                [NP_MODE_RESTRICTIVE] = { [NP_POLICY_BIND] = true },
                [NP_MODE_PREFERRED] = { [NP_POLICY_PREFERRED] = true, [NP_POLICY_PREFERRED_MANY] = true },
                [NP_MODE_INTERLEAVE] = { [NP_POLICY_INTERLEAVE] = true, [NP_POLICY_WEIGHTED_INTERLEAVE] = true },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
                assert_string_equal(np_mode_qemu_policy(words[i].mode), words[i].qemu);
                assert_int_equal(np_mode_kernel_policy(words[i].mode, 1), words[i].one);
                assert_int_equal(np_mode_kernel_policy(words[i].mode, 2), words[i].many);
        }
        assert_int_equal(np_mode_of_qemu_policy("bind"), NP_MODE_STRICT);
        assert_int_equal(np_mode_of_qemu_policy("preferred"), NP_MODE_PREFERRED);
        assert_int_equal(np_mode_of_qemu_policy("interleave"), NP_MODE_INTERLEAVE);
        assert_int_equal(np_mode_of_qemu_policy("default"), NP_MODE_NONE);
        assert_int_equal(np_mode_of_qemu_policy(""), NP_MODE_NONE);
        assert_int_equal(np_mode_of_qemu_policy("prefer"), NP_MODE_NONE);
        for (unsigned m = 0; m < NP_MODE__COUNT; m++)
                for (unsigned k = 0; k < NP_POLICY__COUNT; k++)
                        if (np_mode_policy_holds((np_mode)m, (np_policy_kind)k) != holds[m][k])
                                fail_msg("mode %u, kernel policy %s: expected %s", m,
                                         np_policy_kind_to_string((np_policy_kind)k),
                                         holds[m][k] ? "holds" : "does not hold");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_path_names_backend),
                cmocka_unit_test(test_mode_policy),
                cmocka_unit_test(test_memfd_by_policy),
                cmocka_unit_test(test_size_only),
                cmocka_unit_test(test_name_first),
                cmocka_unit_test(test_size_from_cmdline),
                cmocka_unit_test(test_candidates),
                cmocka_unit_test(test_graph_map),
                cmocka_unit_test(test_attribute_own_ids),
                cmocka_unit_test(test_file_by_size),
                cmocka_unit_test(test_graph_one_block),
        };
        return cmocka_run_group_tests_name("attribute", tests, NULL, NULL);
}
