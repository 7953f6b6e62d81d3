/* test_attribute.c: which mapping is which guest region. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "attribute.h"

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

/* Names win over sizes; a file region never matches by size. */
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

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_path_names_backend),
                cmocka_unit_test(test_memfd_by_policy),
                cmocka_unit_test(test_size_only),
                cmocka_unit_test(test_name_first),
                cmocka_unit_test(test_candidates),
        };
        return cmocka_run_group_tests_name("attribute", tests, NULL, NULL);
}
