/* test_qemu_cmdline.c: memory backends from a QEMU command line.
 *
 * Command lines as libvirt writes them (JSON -object, QEMU >= 6) and as
 * people and older tools write them (key=value), each backend checked
 * field by field against values written out by hand; the size grammar;
 * every bad form by its message; the reader on fixture trees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "error.h"
#include "qemu_cmdline.h"
#include "sysroot.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 24
#define MAX_BACKENDS 4

/* argv joined with NULs, as /proc/PID/cmdline holds it. */
static char *join_argv(const char *const *argv, size_t *ret_len)
{
        size_t len = 0, o = 0;
        char *buf;

        for (size_t i = 0; argv[i]; i++)
                len += strlen(argv[i]) + 1;
        buf = malloc(len ? len : 1);
        assert_non_null(buf);
        for (size_t i = 0; argv[i]; i++) {
                size_t n = strlen(argv[i]) + 1;

                memcpy(buf + o, argv[i], n);
                o += n;
        }
        *ret_len = len;
        return buf;
}

typedef struct want_backend {
        const char *id;
        np_backing backing;
        uint64_t size_bytes;
        const char *host_nodes;   /* NULL: has_host_nodes false */
        const char *policy;
        const char *mem_path;     /* NULL: none */
        bool prealloc, share, hugetlb;
        uint64_t hugetlbsize;
        int guest_node;
        bool is_machine_ram;
} want_backend;

typedef struct good_case {
        const char *name;
        const char *argv[MAX_ARGS];
        size_t n_backends;
        want_backend b[MAX_BACKENDS];
} good_case;

#define GiB UINT64_C(1073741824)
#define MiB UINT64_C(1048576)

static const good_case good[] = {
        {
                .name = "libvirt 9.0, two cells on hugepages with thread contexts",
                .argv = {
                        "/usr/bin/qemu-system-x86_64", "-name", "guest=web1,debug-threads=on", "-S",
                        "-object", "{\"qom-type\":\"secret\",\"id\":\"masterKey0\",\"format\":\"raw\",\"file\":\"/var/lib/libvirt/qemu/domain-1-web1/master-key.aes\"}",
                        "-machine", "pc-q35-7.2,usb=off,dump-guest-core=off",
                        "-object", "{\"qom-type\":\"thread-context\",\"id\":\"tc-ram-node0\",\"node-affinity\":[0]}",
                        "-object", "{\"qom-type\":\"memory-backend-file\",\"id\":\"ram-node0\",\"mem-path\":\"/dev/hugepages/libvirt/qemu/1-web1\",\"share\":true,\"prealloc\":true,\"size\":1073741824,\"host-nodes\":[0,1,2,3],\"policy\":\"bind\",\"prealloc-context\":\"tc-ram-node0\"}",
                        "-numa", "node,nodeid=0,cpus=0-1,memdev=ram-node0",
                        "-object", "{\"qom-type\":\"memory-backend-file\",\"id\":\"ram-node1\",\"mem-path\":\"/dev/hugepages/libvirt/qemu/1-web1\",\"prealloc\":true,\"size\":536870912,\"host-nodes\":[5],\"policy\":\"preferred\"}",
                        "-numa", "node,nodeid=1,cpus=2-3,memdev=ram-node1",
                        "-uuid", "8d6b1a38-7d7c-4d4e-9d0e-3b1f2d7c9a10",
                        NULL,
                },
                .n_backends = 2,
                .b = {
                        { .id = "ram-node0", .backing = NP_BACKING_FILE, .size_bytes = GiB,
                          .host_nodes = "0-3", .policy = "bind",
                          .mem_path = "/dev/hugepages/libvirt/qemu/1-web1",
                          .prealloc = true, .share = true, .guest_node = 0 },
                        { .id = "ram-node1", .backing = NP_BACKING_FILE, .size_bytes = 512 * MiB,
                          .host_nodes = "5", .policy = "preferred",
                          .mem_path = "/dev/hugepages/libvirt/qemu/1-web1",
                          .prealloc = true, .guest_node = 1 },
                },
        },
        {
                .name = "guest without cells: pc.ram named by -machine memory-backend",
                .argv = {
                        "qemu-system-x86_64",
                        "-machine", "pc-q35-7.2,usb=off,dump-guest-core=off,memory-backend=pc.ram",
                        "-object", "{\"qom-type\":\"memory-backend-ram\",\"id\":\"pc.ram\",\"size\":67108864,\"host-nodes\":[0],\"policy\":\"bind\"}",
                        NULL,
                },
                .n_backends = 1,
                .b = {
                        { .id = "pc.ram", .backing = NP_BACKING_ANONYMOUS, .size_bytes = 64 * MiB,
                          .host_nodes = "0", .policy = "bind", .guest_node = -1,
                          .is_machine_ram = true },
                },
        },
        {
                .name = "restrictive mode: no host-nodes, no policy",
                .argv = {
                        "qemu-system-x86_64",
                        "-object", "{\"qom-type\":\"memory-backend-ram\",\"id\":\"ram-node0\",\"size\":2147483648}",
                        "-numa", "node,nodeid=0,cpus=0-3,memdev=ram-node0",
                        NULL,
                },
                .n_backends = 1,
                .b = {
                        { .id = "ram-node0", .backing = NP_BACKING_ANONYMOUS, .size_bytes = 2 * GiB,
                          .policy = "", .guest_node = 0 },
                },
        },
        {
                .name = "key=value: repeated host-nodes with a range, size suffix",
                .argv = {
                        "qemu-system-x86_64",
                        "-object", "memory-backend-ram,id=ram-node0,size=1024M,host-nodes=0-1,host-nodes=3,policy=bind",
                        "-numa", "node,nodeid=0,memdev=ram-node0",
                        NULL,
                },
                .n_backends = 1,
                .b = {
                        { .id = "ram-node0", .backing = NP_BACKING_ANONYMOUS, .size_bytes = GiB,
                          .host_nodes = "0-1,3", .policy = "bind", .guest_node = 0 },
                },
        },
        {
                .name = "memfd with hugetlb, shared, interleaved",
                .argv = {
                        "qemu-system-x86_64",
                        "-object", "memory-backend-memfd,id=ram-node0,hugetlb=on,hugetlbsize=2M,share=on,size=2G,host-nodes=0-1,policy=interleave",
                        "-numa", "node,nodeid=0,memdev=ram-node0",
                        NULL,
                },
                .n_backends = 1,
                .b = {
                        { .id = "ram-node0", .backing = NP_BACKING_MEMFD, .size_bytes = 2 * GiB,
                          .host_nodes = "0-1", .policy = "interleave", .share = true,
                          .hugetlb = true, .hugetlbsize = 2 * MiB, .guest_node = 0 },
                },
        },
        {
                .name = "--object and -M spellings, explicit qom-type=, flags without '='",
                .argv = {
                        "qemu-system-x86_64",
                        "-M", "pc,accel=tcg",
                        "--object", "qom-type=memory-backend-file,id=m0,mem-path=/dev/hugepages,size=64M,prealloc,noshare,host-nodes=1,policy=bind",
                        "--machine", "memory-backend=m0",
                        NULL,
                },
                .n_backends = 1,
                .b = {
                        { .id = "m0", .backing = NP_BACKING_FILE, .size_bytes = 64 * MiB,
                          .host_nodes = "1", .policy = "bind", .mem_path = "/dev/hugepages",
                          .prealloc = true, .share = false, .guest_node = -1,
                          .is_machine_ram = true },
                },
        },
        {
                .name = "',,' is a comma inside a value",
                .argv = {
                        "qemu-system-x86_64",
                        "-object", "memory-backend-file,id=m0,mem-path=/var/lib/a,,b,,,size=1G",
                        NULL,
                },
                .n_backends = 1,
                .b = {
                        { .id = "m0", .backing = NP_BACKING_FILE, .size_bytes = GiB,
                          .policy = "", .mem_path = "/var/lib/a,b,", .guest_node = -1 },
                },
        },
        {
                .name = "-numa before -object, nodes numbered without nodeid, other -numa kinds",
                .argv = {
                        "qemu-system-x86_64",
                        "-numa", "node,memdev=m0",
                        "-numa", "node,memdev=m1",
                        "-numa", "dist,src=0,dst=1,val=21",
                        "-numa", "node",
                        "-object", "memory-backend-ram,id=m1,size=256M",
                        "-object", "memory-backend-ram,id=m0,size=256M",
                        NULL,
                },
                .n_backends = 2,
                .b = {
                        { .id = "m1", .backing = NP_BACKING_ANONYMOUS, .size_bytes = 256 * MiB,
                          .policy = "", .guest_node = 1 },
                        { .id = "m0", .backing = NP_BACKING_ANONYMOUS, .size_bytes = 256 * MiB,
                          .policy = "", .guest_node = 0 },
                },
        },
        {
                .name = "SGX EPC, and objects that are not memory backends",
                .argv = {
                        "qemu-system-x86_64",
                        "-object", "iothread,id=iothread1",
                        "-object", "{\"qom-type\":\"thread-context\",\"id\":\"tc\",\"node-affinity\":[0,1]}",
                        "-object", "secret,id=sec0,data=a,,b=c",
                        "-object", "memory-backend-epc,id=mem1,size=64M,prealloc=on",
                        "-object", "{\"qom-type\":\"rng-random\",\"id\":\"objrng0\",\"filename\":\"/dev/urandom\"}",
                        NULL,
                },
                .n_backends = 1,
                .b = {
                        { .id = "mem1", .backing = NP_BACKING_FILE, .size_bytes = 64 * MiB,
                          .policy = "", .prealloc = true, .guest_node = -1 },
                },
        },
        {
                .name = "JSON: escapes, single quotes, unknown nested values, white space",
                .argv = {
                        "qemu-system-x86_64",
                        "-object", "{ \"qom-type\" : \"memory-backend-file\", 'id': 'ram\\u002dnode0',"
                                   " \"mem-path\": \"/srv/vm\\u0020ram/\\\"q\\\"\\\\x\\/y\\u00e9\","
                                   " \"x-extra\": {\"a\": [1, {\"b\": null}], \"c\": -1.5e3},"
                                   " \"dump\": false, \"share\": false, \"size\": 1048576,"
                                   " \"host-nodes\": [ 2 , 3 ], \"policy\": \"bind\", \"reserve\": null }",
                        NULL,
                },
                .n_backends = 1,
                .b = {
                        { .id = "ram-node0", .backing = NP_BACKING_FILE, .size_bytes = MiB,
                          .host_nodes = "2-3", .policy = "bind",
                          .mem_path = "/srv/vm ram/\"q\"\\x/y\xc3\xa9", .guest_node = -1 },
                },
        },
        {
                .name = "no memory options at all",
                .argv = { "qemu-system-x86_64", "-m", "512", "-nographic", "disk.img", NULL },
                .n_backends = 0,
        },
        {
                .name = "-numa with a nodeid, -M naming a backend that does not exist",
                .argv = {
                        "qemu-system-x86_64",
                        "-object", "memory-backend-ram,id=m0,size=1M",
                        "-numa", "node,nodeid=7,memdev=m0",
                        "-M", "memory-backend=none-such",
                        NULL,
                },
                .n_backends = 1,
                .b = {
                        { .id = "m0", .backing = NP_BACKING_ANONYMOUS, .size_bytes = MiB,
                          .policy = "", .guest_node = 7 },
                },
        },
};

static void check_backend(const np_qemu_backend *b, const want_backend *w)
{
        char nodes[64];

        assert_string_equal(b->id, w->id);
        assert_int_equal(b->backing, w->backing);
        assert_int_equal(b->size_bytes, w->size_bytes);
        assert_int_equal(b->has_host_nodes, w->host_nodes != NULL);
        if (w->host_nodes) {
                np_bitmap_format(&b->host_nodes, nodes, sizeof(nodes));
                assert_string_equal(nodes, w->host_nodes);
        }
        assert_string_equal(b->policy, w->policy ? w->policy : "");
        if (w->mem_path)
                assert_string_equal(b->mem_path, w->mem_path);
        else
                assert_null(b->mem_path);
        assert_int_equal(b->prealloc, w->prealloc);
        assert_int_equal(b->share, w->share);
        assert_int_equal(b->hugetlb, w->hugetlb);
        assert_int_equal(b->hugetlbsize, w->hugetlbsize);
        assert_int_equal(b->guest_node, w->guest_node);
        assert_int_equal(b->is_machine_ram, w->is_machine_ram);
}

static void test_parse_good(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
                const good_case *c = &good[i];
                np_qemu_cmdline *cl = NULL;
                np_error err = { { 0 } };
                size_t len;
                char *buf = join_argv(c->argv, &len);

                print_message("  case: %s\n", c->name);
                if (np_qemu_cmdline_parse(buf, len, &cl, &err) != 0)
                        fail_msg("%s: %s", c->name, err.msg);
                assert_int_equal(cl->n_backends, c->n_backends);
                for (size_t b = 0; b < c->n_backends; b++) {
                        check_backend(&cl->backends[b], &c->b[b]);
                        assert_ptr_equal(np_qemu_cmdline_find(cl, c->b[b].id), &cl->backends[b]);
                }
                assert_null(np_qemu_cmdline_find(cl, "no-such-backend"));
                np_qemu_cmdline_free(cl);
                free(buf);
        }
}

static void test_parse_unterminated_last_argument(void **state)
{
        static const char buf[] = "qemu\0-object\0memory-backend-ram,id=m0,size=8M";
        np_qemu_cmdline *cl = NULL;
        np_error err = { { 0 } };

        (void)state;
        /* sizeof - 1: no NUL after the last argument */
        assert_int_equal(np_qemu_cmdline_parse(buf, sizeof(buf) - 1, &cl, &err), 0);
        assert_int_equal(cl->n_backends, 1);
        assert_int_equal(cl->backends[0].size_bytes, 8 * MiB);
        np_qemu_cmdline_free(cl);

        assert_int_equal(np_qemu_cmdline_parse("", 0, &cl, &err), 0);
        assert_int_equal(cl->n_backends, 0);
        np_qemu_cmdline_free(cl);
        np_qemu_cmdline_free(NULL);
}

typedef struct bad_case {
        const char *argv[8];
        const char *msg;
} bad_case;

static const bad_case bad[] = {
        { { "qemu", "-object", NULL },
          "argument 1 (-object): missing its value" },
        { { "qemu", "-m", "1G", "--numa", NULL },
          "argument 3 (--numa): missing its value" },
        { { "qemu", "-object", "memory-backend-ram,size=1G", NULL },
          "argument 2 (-object): memory-backend-ram without an id" },
        { { "qemu", "-object", "memory-backend-ram,id=m0,size=12Q", NULL },
          "argument 2 (-object): memory backend 'm0': size=12Q: expected a size in bytes, or a number with K, M, G, T, P or E" },
        { { "qemu", "-object", "memory-backend-ram,id=m0,size=1G,policy=strict", NULL },
          "argument 2 (-object): memory backend 'm0': policy=strict: expected default, preferred, bind or interleave" },
        { { "qemu", "-object", "memory-backend-ram,id=m0,host-nodes=a", NULL },
          "argument 2 (-object): memory backend 'm0': host-nodes=a: nodeset 'a': expected a number at 'a'" },
        { { "qemu", "-object", "memory-backend-file,id=m0,prealloc=maybe", NULL },
          "argument 2 (-object): memory backend 'm0': prealloc=maybe: expected on or off" },
        { { "qemu", "-object", "{\"qom-type\":\"memory-backend-ram\",\"id\":\"m0\",\"host-nodes\":[\"x\"]}", NULL },
          "argument 2 (-object): memory backend 'm0': host-nodes.0=x: expected a host node number below 1024" },
        { { "qemu", "-object", "{\"qom-type\":\"memory-backend-ram\",\"id\":\"m0\",\"size\":1.5}", NULL },
          "argument 2 (-object): memory backend 'm0': size=1.5: expected a size in bytes, or a number with K, M, G, T, P or E" },
        { { "qemu", "-object", "memory-backend-ram,id=m0,size=1M", "-object", "memory-backend-ram,id=m0,size=2M", NULL },
          "argument 4 (-object): memory backend 'm0' is defined twice" },
        { { "qemu", "-numa", "node,nodeid=x,memdev=m0", NULL },
          "argument 2 (-numa): nodeid=x: expected a guest node number" },
        { { "qemu", "-object", "{\"qom-type\":\"memory-backend-ram\",\"id\":\"m0\",", NULL },
          "argument 2 (-object): JSON: byte 43: expected a member name" },
        { { "qemu", "-object", "{\"qom-type\":\"memory-backend-ram\",\"id\":\"m0\"} x", NULL },
          "argument 2 (-object): JSON: byte 44: text after the JSON object" },
        { { "qemu", "-object", "{\"qom-type\":\"memory-backend-ram\",\"id\":\"m0", NULL },
          "argument 2 (-object): JSON: byte 41: a string is not closed" },
        { { "qemu", "-object", "{\"qom-type\":\"memory\\qbackend\"}", NULL },
          "argument 2 (-object): JSON: byte 21: an unknown escape in a string" },
        { { "qemu", "-object", "{\"id\":\"m0\" \"size\":1}", NULL },
          "argument 2 (-object): JSON: byte 11: expected ',' or '}'" },
        { { "qemu", "-object", "{\"id\":tru}", NULL },
          "argument 2 (-object): JSON: byte 6: expected a value" },
        { { "qemu", "-object", "{\"a\":[1,2}", NULL },
          "argument 2 (-object): JSON: byte 9: expected ',' or ']'" },
        { { "qemu", "-object", "{\"a\":\"\\ud800\"}", NULL },
          "argument 2 (-object): JSON: byte 12: a lone UTF-16 surrogate" },
        { { "qemu", "-object", "memory-backend-ram,=x", NULL },
          "argument 2 (-object): '=x': expected KEY=VALUE" },
};

static void test_parse_bad(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                np_qemu_cmdline *cl = NULL;
                np_error err = { { 0 } };
                size_t len;
                char *buf = join_argv(bad[i].argv, &len);

                print_message("  want: %s\n", bad[i].msg);
                assert_int_equal(np_qemu_cmdline_parse(buf, len, &cl, &err), -EINVAL);
                assert_null(cl);
                assert_string_equal(err.msg, bad[i].msg);
                free(buf);
        }
}

static void test_sizes(void **state)
{
        static const struct {
                const char *text;
                uint64_t bytes;
        } sizes[] = {
                { "0", 0 },
                { "1073741824", UINT64_C(1073741824) },
                { "512", 512 },
                { "512B", 512 },
                { "512b", 512 },
                { "4k", 4096 },
                { "4K", 4096 },
                { "1024M", UINT64_C(1073741824) },
                { "1024m", UINT64_C(1073741824) },
                { "2G", UINT64_C(2147483648) },
                { "3T", UINT64_C(3298534883328) },
                { "1P", UINT64_C(1125899906842624) },
                { "1E", UINT64_C(1152921504606846976) },
                { "15E", UINT64_C(17293822569102704640) },
                { "1.5G", UINT64_C(1610612736) },
                { "0.5M", 524288 },
                { "0x1000", 4096 },
                { "0x10M", UINT64_C(16777216) },
        };
        static const char *const rejected[] = {
                "", "G", "1Q", "1GB", "-1", "1.5", "1.", ".5G", "16E", "99999999999999999999",
                "0x", "1 G", "0x1.8G",
        };

        (void)state;
        for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
                np_qemu_backend b = { .size_bytes = 7 };
                np_error err = { { 0 } };

                print_message("  size %s\n", sizes[i].text);
                if (np_qemu_backend_set(&b, "size", sizes[i].text, &err) != 0)
                        fail_msg("%s: %s", sizes[i].text, err.msg);
                assert_int_equal(b.size_bytes, sizes[i].bytes);
        }
        for (size_t i = 0; i < sizeof(rejected) / sizeof(rejected[0]); i++) {
                np_qemu_backend b = { 0 };
                np_error err = { { 0 } };

                print_message("  size '%s' rejected\n", rejected[i]);
                assert_int_equal(np_qemu_backend_set(&b, "size", rejected[i], &err), -EINVAL);
        }
}

/* The setter as a -readconfig INI section would drive it. */
static void test_backend_set_from_pairs(void **state)
{
        static const char *const pairs[][2] = {
                { "qom-type", "memory-backend-file" },
                { "mem-path", "/dev/hugepages" },
                { "prealloc", "on" },
                { "share", "yes" },
                { "size", "30G" },
                { "policy", "bind" },
                { "host-nodes.0", "1" },
                { "host-nodes.1", "3" },
                { "discard-data", "on" },
                { "mem-path", "/dev/hugepages1G" },
        };
        np_qemu_backend b = { .guest_node = -1 };
        np_error err = { { 0 } };
        char nodes[32];

        (void)state;
        for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
                assert_int_equal(np_qemu_backend_set(&b, pairs[i][0], pairs[i][1], &err), 0);
        assert_int_equal(b.size_bytes, UINT64_C(32212254720));
        assert_true(b.has_host_nodes);
        np_bitmap_format(&b.host_nodes, nodes, sizeof(nodes));
        assert_string_equal(nodes, "1,3");
        assert_string_equal(b.policy, "bind");
        assert_string_equal(b.mem_path, "/dev/hugepages1G");
        assert_true(b.prealloc);
        assert_true(b.share);
        free(b.mem_path);

        assert_int_equal(np_qemu_backend_set(&b, "host-nodes.x", "1", &err), -EINVAL);
        assert_string_equal(err.msg, "host-nodes.x=1: expected host-nodes.<index>");
        assert_int_equal(np_qemu_backend_set(&b, "host-nodes.0", "1024", &err), -EINVAL);
        assert_string_equal(err.msg, "host-nodes.0=1024: expected a host node number below 1024");
        assert_int_equal(np_qemu_backend_set(&b, "hugetlb", "1", &err), -EINVAL);
        assert_string_equal(err.msg, "hugetlb=1: expected on or off");
}

static void test_read_fixture(void **state)
{
        np_sysroot *root = open_tree("process-v1");
        np_qemu_cmdline *cl = NULL;
        np_error err = { { 0 } };
        const np_qemu_backend *b;
        char nodes[32];

        (void)state;
        if (np_qemu_cmdline_read(root, 4242, &cl, &err) != 0)
                fail_msg("%s", err.msg);
        assert_int_equal(cl->n_backends, 2);
        b = np_qemu_cmdline_find(cl, "ram-node1");
        assert_non_null(b);
        assert_int_equal(b->guest_node, 1);
        assert_int_equal(b->size_bytes, GiB);
        np_bitmap_format(&b->host_nodes, nodes, sizeof(nodes));
        assert_string_equal(nodes, "1");
        assert_string_equal(b->policy, "bind");
        np_qemu_cmdline_free(cl);
        np_sysroot_free(root);

        root = open_tree("process-v2");
        if (np_qemu_cmdline_read(root, 5151, &cl, &err) != 0)
                fail_msg("%s", err.msg);
        assert_int_equal(cl->n_backends, 1);
        assert_string_equal(cl->backends[0].id, "pc.ram");
        assert_true(cl->backends[0].is_machine_ram);
        assert_int_equal(cl->backends[0].size_bytes, 512 * MiB);
        np_qemu_cmdline_free(cl);
        np_sysroot_free(root);
}

static void test_read_errors(void **state)
{
        static const struct {
                pid_t pid;
                int r;
                const char *suffix;
        } cases[] = {
                { 4343, -EINVAL, "/proc/4343/cmdline: argument 2 (-object): memory backend 'm0': policy=strict: expected default, preferred, bind or interleave" },
                { 4344, -ESRCH, "/proc/4344/cmdline: empty: process 4344 is a kernel thread or no QEMU" },
                { 4346, -ENOENT, "/proc/4346/cmdline: No such file or directory" },
        };
        char dir[PATH_MAX], want[PATH_MAX + 160];
        np_sysroot *root = open_tree("numamaps-bad");
        np_qemu_cmdline *cl = NULL;
        np_error err = { { 0 } };

        (void)state;
        data_dir("numamaps-bad", dir, sizeof(dir));
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                assert_int_equal(np_qemu_cmdline_read(root, cases[i].pid, &cl, &err), cases[i].r);
                snprintf(want, sizeof(want), "%s%s", dir, cases[i].suffix);
                assert_string_equal(err.msg, want);
        }
        assert_int_equal(np_qemu_cmdline_read(root, 4345, &cl, &err), -ESRCH);
        assert_string_equal(err.msg, "process 4345 is not running");
        np_sysroot_free(root);
}

/* LXD and Incus start QEMU with -readconfig qemu.conf; these are shaped
 * like what they write (FACTS.md section 5). */
static void test_readconfig(void **state)
{
        static const char bound[] =
                "# Machine\n"
                "[machine]\n"
                "graphics = \"off\"\n"
                "\n"
                "[memory]\n"
                "size = \"1024M\"\n"
                "\n"
                "[object \"mem0\"]\n"
                "qom-type = \"memory-backend-memfd\"\n"
                "size = \"1024M\"\n"
                "share = \"on\"\n"
                "policy = \"bind\"\n"
                "host-nodes.0 = \"1\"\n"
                "\n"
                "[numa]\n"
                "type = \"node\"\n"
                "nodeid = \"0\"\n"
                "memdev = \"mem0\"\n"
                "\n"
                "[object \"secret0\"]\n"
                "qom-type = \"secret\"\n"
                "data = \"x\"\n";
        /* LXD #15082: hugepages, prealloc, and neither policy nor host-nodes */
        static const char unbound[] =
                "[object \"mem0\"]\n"
                "  qom-type = \"memory-backend-file\"\n"
                "  mem-path = \"/dev/hugepages\"\n"
                "  prealloc = \"on\"\n"
                "  share = \"on\"\n"
                "  size = \"30720M\"\n"
                "[numa]\n"
                "  type = \"node\"\n"
                "  nodeid = \"0\"\n"
                "  memdev = \"mem0\"\n";
        np_qemu_cmdline *c = NULL;
        np_error err = { "" };
        const np_qemu_backend *b;
        char nodes[64];

        (void)state;
        assert_int_equal(np_qemu_readconfig_parse(bound, sizeof(bound) - 1, "qemu.conf", &c, &err), 0);
        assert_int_equal(c->n_backends, 1);
        b = np_qemu_cmdline_find(c, "mem0");
        assert_non_null(b);
        assert_int_equal(b->backing, NP_BACKING_MEMFD);
        assert_int_equal(b->size_bytes, 1073741824ull);
        assert_string_equal(b->policy, "bind");
        assert_true(b->has_host_nodes);
        assert_string_equal(fmt(&b->host_nodes, nodes, sizeof(nodes)), "1");
        assert_true(b->share);
        assert_int_equal(b->guest_node, 0);
        np_qemu_cmdline_free(c);

        c = NULL;
        assert_int_equal(np_qemu_readconfig_parse(unbound, sizeof(unbound) - 1, "qemu.conf", &c, &err), 0);
        b = np_qemu_cmdline_find(c, "mem0");
        assert_non_null(b);
        assert_int_equal(b->backing, NP_BACKING_FILE);
        assert_string_equal(b->mem_path, "/dev/hugepages");
        assert_true(b->prealloc);
        assert_false(b->has_host_nodes);
        assert_string_equal(b->policy, "");
        assert_int_equal(b->size_bytes, 30720ull << 20);
        np_qemu_cmdline_free(c);
}

/* A device's id is its section's, else its "id" property. */
static void test_readconfig_devices(void **state)
{
        static const char text[] =
                "[object \"m0\"]\nqom-type = \"memory-backend-ram\"\nsize = \"1G\"\n"
                "[object \"m1\"]\nqom-type = \"memory-backend-ram\"\nsize = \"1G\"\n"
                "[device \"dimm0\"]\ndriver = \"pc-dimm\"\nmemdev = \"m0\"\nnode = \"1\"\n"
                "[device]\ndriver = \"pc-dimm\"\nmemdev = \"m1\"\nid = \"dimm1\"\n";
        np_qemu_cmdline *c = NULL;
        np_error err = { "" };
        const np_qemu_backend *b;

        (void)state;
        assert_int_equal(np_qemu_readconfig_parse(text, sizeof(text) - 1, "qemu.conf", &c, &err), 0);
        b = np_qemu_cmdline_find(c, "m0");
        assert_non_null(b);
        assert_true(b->has_device);
        assert_string_equal(b->device_id, "dimm0");
        assert_int_equal(b->device_index, 0);
        assert_int_equal(b->device_node, 1);
        b = np_qemu_cmdline_find(c, "m1");
        assert_non_null(b);
        assert_true(b->has_device);
        assert_string_equal(b->device_id, "dimm1");
        assert_int_equal(b->device_index, 1);
        assert_int_equal(b->device_node, -1);
        np_qemu_cmdline_free(c);
}

static void test_readconfig_bad(void **state)
{
        static const struct {
                const char *text;
                const char *msg;
        } t[] = {
                { "size = \"1\"\n", "qemu.conf: line 1: a property before any [group]" },
                { "[object \"m\"\nqom-type = \"x\"\n", "qemu.conf: line 1: expected [group] or [group \"id\"]" },
                { "[object m]\n", "qemu.conf: line 1: [object ...]: expected a quoted id" },
                { "[memory]\n\nsize = 1024M\n", "qemu.conf: line 3: size: expected key = \"value\"" },
                { "[memory]\nsize\n", "qemu.conf: line 2: expected key = \"value\"" },
                { "[object \"mem0\"]\nqom-type = \"memory-backend-ram\"\nsize = \"1G\"\nhost-nodes.0 = \"x\"\n[numa]\n",
                  "qemu.conf: line 1: memory backend 'mem0': host-nodes.0=x: expected a host node number" },
                { "[object]\nqom-type = \"memory-backend-ram\"\n", "qemu.conf: line 1: memory-backend-ram without an id" },
                /* an object's id is its section's, never a property */
                { "[object]\nqom-type = \"memory-backend-ram\"\nid = \"m\"\n",
                  "qemu.conf: line 1: memory-backend-ram without an id" },
                { "[object \"m\"]\nqom-type = \"memory-backend-ram\"\n[device]\ndriver = \"pc-dimm\"\nmemdev = \"m\"\nnode = \"x\"\n",
                  "qemu.conf: line 3: pc-dimm node=x: expected a guest node number" },
                { "[object \"mem0\"]\nqom-type = \"memory-backend-ram\"\npolicy = \"strict\"\n",
                  "qemu.conf: line 1: memory backend 'mem0': policy=strict: expected default, preferred, bind or interleave" },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
                np_qemu_cmdline *c = NULL;
                np_error err = { "" };

                assert_int_equal(np_qemu_readconfig_parse(t[i].text, strlen(t[i].text), "qemu.conf", &c, &err), -EINVAL);
                if (strncmp(err.msg, t[i].msg, strlen(t[i].msg)) != 0)
                        fail_msg("case %zu: got '%s', want '%s'", i, err.msg, t[i].msg);
                assert_null(c);
        }
}

/* -readconfig files as a test serves them. */
static int serve_config(const char *path, char **ret, size_t *ret_len, void *userdata)
{
        const char *text = userdata;

        if (strcmp(path, "/etc/qemu/vm.cfg") != 0)
                return -ENOENT;
        *ret = strdup(text);
        if (!*ret)
                return -ENOMEM;
        *ret_len = strlen(text);
        return 0;
}

static np_qemu_cmdline *parse_full(const char *const *argv, void *config)
{
        np_qemu_cmdline *cl = NULL;
        np_error err = { { 0 } };
        size_t len;
        char *buf = join_argv(argv, &len);

        if (np_qemu_cmdline_parse_full(buf, len, serve_config, config, &cl, &err) != 0)
                fail_msg("%s", err.msg);
        free(buf);
        return cl;
}

/* What uses the backends: memory devices counted per kind in command
 * line order, JSON and key=value alike. */
static void test_graph_devices(void **state)
{
        static const char *const argv[] = {
                "qemu", "-m", "1G,slots=4,maxmem=4G",
                "-object", "memory-backend-ram,id=base,size=1G",
                "-object", "memory-backend-file,id=nv0,size=256M,mem-path=/tmp/nv0",
                "-object", "memory-backend-ram,id=d0,size=256M",
                "-object", "memory-backend-ram,id=d1,size=256M",
                "-object", "memory-backend-ram,id=vm0,size=512M",
                "-object", "memory-backend-file,id=pm0,size=128M,mem-path=/tmp/pm0",
                "-numa", "node,nodeid=0,memdev=base",
                "-device", "nvdimm,id=nvdimm0,memdev=nv0",
                "-device", "{\"driver\":\"pc-dimm\",\"id\":\"dimm0\",\"memdev\":\"d0\",\"slot\":0,\"node\":0}",
                "--device", "driver=pc-dimm,memdev=d1",
                "-device", "virtio-mem-pci,id=vmem0,memdev=vm0,node=0,requested-size=0",
                "-device", "virtio-pmem-pci,memdev=pm0,id=pmem0",
                "-device", "virtio-net-pci,id=net0",
                NULL,
        };
        np_qemu_cmdline *cl = parse_full(argv, "");
        const np_qemu_backend *b;

        (void)state;
        assert_false(cl->has_implicit_ram); /* cell 0 has a backend */
        b = np_qemu_cmdline_find(cl, "base");
        assert_false(b->has_device);
        assert_int_equal(b->guest_node, 0);
        b = np_qemu_cmdline_find(cl, "nv0");
        assert_true(b->has_device);
        assert_int_equal(b->device_kind, NP_REGION_NVDIMM);
        assert_int_equal(b->device_index, 0);
        assert_string_equal(b->device_id, "nvdimm0");
        b = np_qemu_cmdline_find(cl, "d0");
        assert_int_equal(b->device_kind, NP_REGION_DIMM);
        assert_int_equal(b->device_index, 0);
        assert_int_equal(b->device_node, 0);
        b = np_qemu_cmdline_find(cl, "d1");
        assert_int_equal(b->device_kind, NP_REGION_DIMM);
        assert_int_equal(b->device_index, 1);
        assert_string_equal(b->device_id, "");
        assert_int_equal(b->device_node, -1);
        b = np_qemu_cmdline_find(cl, "vm0");
        assert_int_equal(b->device_kind, NP_REGION_VIRTIO_MEM);
        assert_int_equal(b->device_index, 0);
        b = np_qemu_cmdline_find(cl, "pm0");
        assert_int_equal(b->device_kind, NP_REGION_VIRTIO_PMEM);
        assert_string_equal(b->device_id, "pmem0");
        np_qemu_cmdline_free(cl);
}

/* Guest RAM without a backend: the machine's own block, pc.ram, of -m's
 * size (MiB without a suffix), below -mem-path when given; legacy
 * -numa node,mem= nodes are counted, their RAM is that one block. */
static void test_graph_implicit_ram(void **state)
{
        static const char *const plain[] = { "qemu", "-m", "512", "-mem-path", "/dev/hugepages", "-mem-prealloc", NULL };
        static const char *const legacy[] = {
                "qemu", "-m", "size=1G", "-numa", "node,nodeid=0,mem=512M", "-numa", "node,nodeid=1,mem=512M", NULL,
        };
        static const char *const none[] = { "qemu", NULL };
        static const char *const odd_m[] = { "qemu", "-m", "lots", NULL };
        np_qemu_cmdline *cl;
        const np_qemu_backend *b;
        np_error err = { { 0 } };
        size_t len;
        char *buf;

        (void)state;
        cl = parse_full(plain, "");
        assert_true(cl->has_implicit_ram);
        assert_int_equal(cl->n_backends, 0);
        b = np_qemu_cmdline_find(cl, "pc.ram");
        assert_ptr_equal(b, &cl->implicit_ram);
        assert_int_equal(b->size_bytes, 512 * MiB);
        assert_int_equal(b->backing, NP_BACKING_FILE);
        assert_string_equal(b->mem_path, "/dev/hugepages");
        assert_true(b->prealloc);
        assert_true(b->is_machine_ram);
        np_qemu_cmdline_free(cl);

        cl = parse_full(legacy, "");
        assert_int_equal(cl->n_legacy_nodes, 2);
        assert_true(cl->has_implicit_ram);
        assert_int_equal(cl->implicit_ram.size_bytes, 1024 * MiB);
        assert_int_equal(cl->implicit_ram.backing, NP_BACKING_ANONYMOUS);
        np_qemu_cmdline_free(cl);

        cl = parse_full(none, "");
        assert_true(cl->has_implicit_ram);
        assert_int_equal(cl->implicit_ram.size_bytes, 0); /* the machine type's default */
        np_qemu_cmdline_free(cl);

        /* the plain parser (LXD's raw.qemu) keeps to what argv defines */
        buf = join_argv(plain, &len);
        assert_int_equal(np_qemu_cmdline_parse(buf, len, &cl, &err), 0);
        assert_false(cl->has_implicit_ram);
        assert_null(np_qemu_cmdline_find(cl, "pc.ram"));
        np_qemu_cmdline_free(cl);
        free(buf);

        /* an -m not read here leaves the size unknown, nothing else */
        cl = parse_full(odd_m, "");
        assert_true(cl->has_implicit_ram);
        assert_int_equal(cl->implicit_ram.size_bytes, 0);
        np_qemu_cmdline_free(cl);
}

/* -readconfig FILE is read where it stands and joins the same graph:
 * a cell in the file may use a backend from argv and the other way
 * round; a file that cannot be read leaves the graph incomplete, so no
 * implicit RAM is assumed. */
static void test_graph_readconfig(void **state)
{
        static const char *const argv[] = {
                "qemu", "-m", "1G",
                "-object", "memory-backend-ram,id=mem1,size=512M,host-nodes=1,policy=bind",
                "-readconfig", "/etc/qemu/vm.cfg",
                "-numa", "node,nodeid=0,memdev=mem0",
                NULL,
        };
        static const char *const gone[] = { "qemu", "-m", "1G", "-readconfig", "/etc/qemu/gone.cfg", NULL };
        static char config[] =
                "[object \"mem0\"]\n  qom-type = \"memory-backend-ram\"\n  size = \"512M\"\n"
                "[numa]\n  type = \"node\"\n  nodeid = \"1\"\n  memdev = \"mem1\"\n"
                "[object \"dm\"]\n  qom-type = \"memory-backend-ram\"\n  size = \"256M\"\n"
                "[device \"dimm7\"]\n  driver = \"pc-dimm\"\n  memdev = \"dm\"\n";
        np_qemu_cmdline *cl;
        const np_qemu_backend *b;

        (void)state;
        cl = parse_full(argv, config);
        assert_int_equal(cl->n_backends, 3);
        assert_false(cl->has_implicit_ram);
        b = np_qemu_cmdline_find(cl, "mem0");
        assert_int_equal(b->guest_node, 0);
        assert_int_equal(b->size_bytes, 512 * MiB);
        b = np_qemu_cmdline_find(cl, "mem1");
        assert_int_equal(b->guest_node, 1);
        b = np_qemu_cmdline_find(cl, "dm");
        assert_true(b->has_device);
        assert_int_equal(b->device_kind, NP_REGION_DIMM);
        assert_string_equal(b->device_id, "dimm7");
        np_qemu_cmdline_free(cl);

        cl = parse_full(gone, config);
        assert_int_equal(cl->n_backends, 0);
        assert_false(cl->has_implicit_ram);
        np_qemu_cmdline_free(cl);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_readconfig),
                cmocka_unit_test(test_readconfig_devices),
                cmocka_unit_test(test_readconfig_bad),
                cmocka_unit_test(test_parse_good),
                cmocka_unit_test(test_parse_unterminated_last_argument),
                cmocka_unit_test(test_parse_bad),
                cmocka_unit_test(test_sizes),
                cmocka_unit_test(test_backend_set_from_pairs),
                cmocka_unit_test(test_read_fixture),
                cmocka_unit_test(test_read_errors),
                cmocka_unit_test(test_graph_devices),
                cmocka_unit_test(test_graph_implicit_ram),
                cmocka_unit_test(test_graph_readconfig),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
