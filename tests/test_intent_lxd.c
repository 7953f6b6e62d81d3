/* test_intent_lxd.c: LXD and Incus: the instance config reader, run
 * directories found below a root, what a config demands of qemu.conf's
 * backends (LXD #15082 from the config alone), and the check of the
 * memory through the normal path (tests/data/lxd-host). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include "check.h"
#include "host.h"
#include "intent_lxd.h"
#include "qemu_cmdline.h"

/* ---- the config reader ---- */

static const struct config_case {
        const char *name;
        const char *json;
        int want_r;
        const char *want;   /* "key=value;..." in document order, or the error */
} config_cases[] = {
        { "lxc query: expanded_config wins over config",
          "{\"name\": \"vm1\", \"config\": {\"limits.cpu\": \"1\"}, \"devices\": {\"root\": {\"path\": \"/\"}},"
          " \"profiles\": [\"default\", {\"x\": [1, 2.5e3, true, null]}],"
          " \"expanded_config\": {\"limits.cpu\": \"4\", \"limits.cpu.nodes\": \"1\"}, \"stateful\": false}",
          0, "limits.cpu=4;limits.cpu.nodes=1;" },
        { "config alone",
          "{\"name\": \"vm1\", \"config\": {\"limits.memory\": \"2GiB\"}}", 0, "limits.memory=2GiB;" },
        { "REST envelope",
          "{\"type\": \"sync\", \"status_code\": 200, \"metadata\": {\"name\": \"web1\","
          " \"expanded_config\": {\"volatile.uuid\": \"u-1\"}}}", 0, "volatile.uuid=u-1;" },
        { "a plain key/value file",
          "{\"limits.cpu\": \"2\", \"limits.cpu.nodes\": \"0-1\"}", 0, "limits.cpu=2;limits.cpu.nodes=0-1;" },
        { "values that are not strings are ignored",
          "{\"expanded_config\": {\"limits.cpu\": 4, \"a\": {\"b\": \"c\"}, \"raw.qemu\": \"-m 1G\"}}", 0,
          "raw.qemu=-m 1G;" },
        { "escapes and UTF-8",
          "{\"expanded_config\": {\"user.note\": \"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\ \\/ \\t\", \"raw.qemu.conf\": \"[object \\\"mem0\\\"]\\npolicy = \\\"bind\\\"\"}}",
          0, "user.note=caf\xc3\xa9 \xf0\x9f\x98\x80 \"q\" \\ / \t;raw.qemu.conf=[object \"mem0\"]\npolicy = \"bind\";" },
        { "a later duplicate wins", "{\"a\": \"1\", \"a\": \"2\"}", 0, "a=2;" },
        /* nothing to read is no instance that demands nothing */
        { "empty object", " { } ", -EINVAL, "cfg.json: no instance config in it (empty)" },
        { "empty file", "", -EINVAL, "cfg.json: no instance config in it (empty)" },
        { "blank YAML", "\n  \n# nothing\n---\n", -EINVAL, "cfg.json: no instance config in it (empty)" },
        { "LXD error envelope",
          "{\"type\": \"error\", \"error\": \"Instance not found\", \"error_code\": 404, \"metadata\": null}",
          -EINVAL, "cfg.json: an LXD error response, not an instance config: 'Instance not found'" },
        { "envelope without an instance",
          "{\"type\": \"sync\", \"status_code\": 200, \"metadata\": null}",
          -EINVAL, "cfg.json: an LXD response of type 'sync' without an instance config" },
        { "multi-document YAML", "config:\n  limits.cpu: \"2\"\n---\nconfig:\n  limits.cpu.nodes: \"1\"\n",
          -EINVAL, "cfg.json: line 3: a second YAML document (one instance config per file)" },
        { "an explicit empty config is a config", "{\"config\": {}}", 0, "" },
        { "a document start marker first", "---\nconfig:\n  limits.cpu: \"2\"\n", 0, "limits.cpu=2;" },
        { "YAML: lxc config show --expanded",
          "architecture: x86_64\n"
          "config:\n"
          "  limits.cpu: \"2\"\n"
          "  limits.cpu.nodes: 0-1\n"
          "  limits.memory: 4GiB # the whole guest\n"
          "  raw.qemu.conf: |-\n"
          "    [object \"mem0\"]\n"
          "\n"
          "    policy = \"bind\"\n"
          "  user.note: 'it''s # kept'\n"
          "  user.folded: >\n"
          "    one\n"
          "    two\n"
          "  volatile.last_state.power: RUNNING\n"
          "devices:\n"
          "  root:\n"
          "    path: /\n"
          "ephemeral: false\n"
          "profiles:\n"
          "- default\n"
          "stateful: false\n",
          0, "limits.cpu=2;limits.cpu.nodes=0-1;limits.memory=4GiB;raw.qemu.conf=[object \"mem0\"]\n\npolicy = \"bind\";"
             "user.note=it's # kept;user.folded=one two\n;volatile.last_state.power=RUNNING;" },
        { "YAML: expanded_config wins, config after other keys",
          "name: vm1\nexpanded_config:\n  a: \"1\"\nconfig:\n  a: \"2\"\n  b: \"3\"\n", 0, "a=1;" },
        { "YAML: a plain key/value file", "---\nlimits.cpu: \"4\"\nlimits.cpu.nodes: \"1\"\n", 0,
          "limits.cpu=4;limits.cpu.nodes=1;" },
        { "YAML: double-quoted escapes", "config:\n  raw.qemu: \"-m \\\"1G\\\"\\n\"\n", 0,
          "raw.qemu=-m \"1G\"\n;" },
        { "YAML: open quote", "config:\n  a: \"b\n", -EINVAL, "cfg.json: line 2: a quoted value is not closed on its line" },
        { "YAML: tab indentation", "config:\n\ta: b\n", -EINVAL, "cfg.json: line 2: a tab in the indentation" },
        { "YAML: not a mapping", "config:\n  a: b\n    c: d\n", -EINVAL,
          "cfg.json: line 3: indented more than the entries before it" },
        { "YAML: a list where the config should be", "- a\n", -EINVAL,
          "cfg.json: line 1: expected 'key: value', found a list item" },
        { "YAML: no colon", "config:\n  just words\n", -EINVAL, "cfg.json: line 2: expected 'key: value'" },
        { "neither JSON nor YAML", "[\"limits.cpu\"]", -EINVAL, "cfg.json: line 1: expected 'key: value'" },
        { "cut short", "{\"expanded_config\": {\"limits.cpu\": \"4\"", -EINVAL,
          "cfg.json: byte 38: expected ',' or '}'" },
        { "open string", "{\"a\": \"b", -EINVAL, "cfg.json: byte 8: a string is not closed" },
        { "bad escape", "{\"a\": \"\\x\"}", -EINVAL, "cfg.json: byte 9: an unknown escape in a string" },
        { "lone surrogate", "{\"a\": \"\\ud83d\"}", -EINVAL, "cfg.json: byte 13: a lone UTF-16 surrogate" },
        { "control character", "{\"a\": \"x\ny\"}", -EINVAL, "cfg.json: byte 9: a control character inside a string" },
        { "text after the object", "{} {}", -EINVAL, "cfg.json: byte 3: text after the JSON object" },
        { "bad value", "{\"a\": tru}", -EINVAL, "cfg.json: byte 6: expected a value" },
};

static void test_config_parse(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(config_cases) / sizeof(config_cases[0]); i++) {
                const struct config_case *c = &config_cases[i];
                np_lxd_config *config = NULL;
                np_error err = { "" };
                char got[1024] = "";
                int r;

                print_message("case: %s\n", c->name);
                r = np_lxd_config_parse(c->json, strlen(c->json), "cfg.json", &config, &err);
                assert_int_equal(r, c->want_r);
                if (r < 0) {
                        assert_string_equal(err.msg, c->want);
                        continue;
                }
                for (size_t k = 0; k < config->n; k++) {
                        strcat(got, config->keys[k]);
                        strcat(got, "=");
                        strcat(got, config->values[k]);
                        strcat(got, ";");
                }
                assert_string_equal(got, c->want);
                np_lxd_config_free(config);
        }
}

/* ---- run directories ---- */

static void test_find_instances(void **state)
{
        static const char *const want[] = {
                "lxd default broken /var/snap/lxd/common/lxd/logs/broken 5004 running",
                "lxd prod db1 /var/snap/lxd/common/lxd/logs/prod_db1 5002 running",
                "lxd default vm-15082 /var/snap/lxd/common/lxd/logs/vm-15082 5001 running",
                "lxd default old1 /var/log/lxd/old1 5999 /var/log/lxd/old1/qemu.pid: process 5999 is not running",
                "incus default noconf /run/incus/noconf 5005 running",
                "incus default web1 /run/incus/web1 5003 running",
        };
        np_sysroot *root = open_tree("lxd-host");
        np_lxd_instance *list = NULL;
        np_error err = { "" };
        size_t n = 0;

        (void)state;
        assert_int_equal(np_lxd_find_instances(root, NULL, 0, &list, &n, &err), 0);
        assert_int_equal(n, sizeof(want) / sizeof(want[0]));
        for (size_t i = 0; i < n; i++) {
                char line[1024], display[300];

                snprintf(line, sizeof(line), "%s %s %s %s %d %s", np_lxd_flavor_to_string(list[i].flavor),
                         list[i].project, list[i].name, list[i].dir, (int)list[i].pid,
                         list[i].running ? "running" : list[i].problem);
                assert_string_equal(line, want[i]);
                np_lxd_display_name(&list[i], display, sizeof(display));
                assert_string_equal(display, strcmp(list[i].project, "prod") == 0 ? "prod_db1" : list[i].name);
        }
        free(list);

        /* a further LXD_DIR: its logs/ too, trailing slashes and all */
        {
                const char *const dirs[] = { "/srv/lxd/", "/nonexistent" };

                assert_int_equal(np_lxd_find_instances(root, dirs, 2, &list, &n, &err), 0);
                assert_int_equal(n, sizeof(want) / sizeof(want[0]) + 1);
                assert_string_equal(list[0].dir, "/srv/lxd/logs/alt1");
                assert_string_equal(list[0].name, "alt1");
                assert_int_equal(list[0].pid, 5006);
                assert_true(list[0].running);
                free(list);
        }
        np_sysroot_free(root);

        /* a root without any of the directories: nothing, no error */
        root = open_tree("host-2node");
        assert_int_equal(np_lxd_find_instances(root, NULL, 0, &list, &n, &err), 0);
        assert_int_equal(n, 0);
        free(list);
        np_sysroot_free(root);
}

/* qemu.pid holds a pid, checked: no sign, no blanks, 1 to INT_MAX */
static void test_pid_files(void **state)
{
        static const struct {
                const char *entry, *pid, *problem;
        } rows[] = {
                { "a-plus", "+5", "/var/log/lxd/a-plus/qemu.pid: expected a pid, found '+5'" },
                { "b-zero", "0", "/var/log/lxd/b-zero/qemu.pid: expected a pid, found '0'" },
                { "c-big", "2147483648", "/var/log/lxd/c-big/qemu.pid: expected a pid, found '2147483648'" },
                { "d-junk", "12ab", "/var/log/lxd/d-junk/qemu.pid: expected a pid, found '12ab'" },
                { "e-gone", "2147483647", "/var/log/lxd/e-gone/qemu.pid: process 2147483647 is not running" },
        };
        char top[] = "/tmp/np-lxd-pid-XXXXXX", path[PATH_MAX];
        np_lxd_instance *list = NULL;
        np_sysroot *root = NULL;
        np_error err = { "" };
        size_t n = 0;

        (void)state;
        assert_non_null(mkdtemp(top));
        for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
                FILE *f;

                snprintf(path, sizeof(path), "%s/var/log/lxd/%s", top, rows[i].entry);
                for (char *p = strchr(path + strlen(top) + 1, '/'); p; p = strchr(p + 1, '/')) {
                        *p = '\0';
                        mkdir(path, 0700);
                        *p = '/';
                }
                assert_int_equal(mkdir(path, 0700), 0);
                strcat(path, "/qemu.conf");
                assert_non_null(f = fopen(path, "w"));
                fclose(f);
                snprintf(path, sizeof(path), "%s/var/log/lxd/%s/qemu.pid", top, rows[i].entry);
                assert_non_null(f = fopen(path, "w"));
                fputs(rows[i].pid, f);
                fclose(f);
        }
        assert_int_equal(np_sysroot_open(top, &root, &err), 0);
        assert_int_equal(np_lxd_find_instances(root, NULL, 0, &list, &n, &err), 0);
        assert_int_equal(n, sizeof(rows) / sizeof(rows[0]));
        for (size_t i = 0; i < n; i++) {
                assert_false(list[i].running);
                assert_string_equal(list[i].problem, rows[i].problem);
        }
        free(list);
        np_sysroot_free(root);
        for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
                snprintf(path, sizeof(path), "%s/var/log/lxd/%s/qemu.pid", top, rows[i].entry);
                unlink(path);
                snprintf(path, sizeof(path), "%s/var/log/lxd/%s/qemu.conf", top, rows[i].entry);
                unlink(path);
                snprintf(path, sizeof(path), "%s/var/log/lxd/%s", top, rows[i].entry);
                rmdir(path);
        }
        snprintf(path, sizeof(path), "%s/var/log/lxd", top);
        rmdir(path);
        snprintf(path, sizeof(path), "%s/var/log", top);
        rmdir(path);
        snprintf(path, sizeof(path), "%s/var", top);
        rmdir(path);
        rmdir(top);
}

/* ---- what a config demands of qemu.conf ---- */

#define HUGE_MEM0 "[object \"mem0\"]\nqom-type = \"memory-backend-file\"\nmem-path = \"/dev/hugepages\"\n" \
                  "prealloc = \"on\"\ndiscard-data = \"on\"\nsize = \"512M\"\nshare = \"on\"\n"
#define MEMFD_MEM0(extra) "[object \"mem0\"]\nqom-type = \"memory-backend-memfd\"\nsize = \"512M\"\n" \
                          "share = \"on\"\n" extra "\n[numa]\ntype = \"node\"\nnodeid = \"0\"\nmemdev = \"mem0\"\n"
#define BOUND(n) "policy = \"bind\"\nhost-nodes.0 = \"" n "\"\n"

static const struct intent_case {
        const char *name;
        const char *config;     /* JSON; NULL: no config */
        const char *qemu_conf;
        bool host;              /* the 2-node host of lxd-host (CPUs 0-1, 2-3) */
        int want_r;
        const char *want;       /* regions "id:mode:nodes:pagesize:binding;" then "| findings" or the error */
} intent_cases[] = {
        { "LXD #15082: the backend lost its binding",
          "{\"limits.cpu\": \"4\", \"limits.cpu.nodes\": \"1\", \"limits.memory\": \"512MiB\", \"limits.memory.hugepages\": \"true\"}",
          HUGE_MEM0 "[numa]\ntype = \"node\"\nnodeid = \"0\"\nmemdev = \"mem0\"\n", false, 0,
          "mem0:strict:1:2048:mbind; | violation mem0 has no host-nodes although limits.cpu.nodes is 1;" },
        { "fixed LXD: bound as asked",
          "{\"limits.cpu.nodes\": \"1\", \"limits.memory\": \"512MiB\"}", MEMFD_MEM0(BOUND("1")), false, 0,
          "mem0:strict:1:4:mbind; | " },
        { "bound to the wrong node",
          "{\"limits.cpu.nodes\": \"1\", \"limits.memory\": \"512MiB\"}", MEMFD_MEM0(BOUND("0")), false, 0,
          "mem0:strict:1:4:mbind; | violation mem0 has host-nodes 0 although limits.cpu.nodes is 1;" },
        { "preferred where bind binds",
          "{\"limits.cpu.nodes\": \"1\", \"limits.memory\": \"512MiB\"}",
          MEMFD_MEM0("policy = \"preferred\"\nhost-nodes.0 = \"1\"\n"), false, 0,
          "mem0:strict:1:4:mbind; | violation mem0 has policy 'preferred' where policy 'bind' would bind it to node 1 (limits.cpu.nodes is 1);" },
        { "host-nodes without a policy",
          "{\"limits.cpu.nodes\": \"0-1\", \"limits.memory\": \"512MiB\"}",
          MEMFD_MEM0("host-nodes.0 = \"0\"\nhost-nodes.1 = \"1\"\n"), false, 0,
          "mem0:strict:0-1:4:mbind; | violation mem0 has no policy where policy 'bind' would bind it to nodes 0-1 (limits.cpu.nodes is 0-1);" },
        { "huge pages asked, memfd given",
          "{\"limits.memory\": \"512MiB\", \"limits.memory.hugepages\": \"1\"}", MEMFD_MEM0(""), false, 0,
          "mem0:none:-:2048:none; | violation mem0 is not backed by huge pages although limits.memory.hugepages is true;" },
        { "pinned CPUs on node 1",
          "{\"limits.cpu\": \"2-3\", \"limits.memory\": \"512MiB\"}", MEMFD_MEM0(BOUND("0")), true, 0,
          "mem0:strict:1:4:mbind; | violation mem0 has host-nodes 0 although limits.cpu pins CPUs 2-3 (node 1);" },
        { "pinned CPUs on both nodes: a backend per node",
          "{\"limits.cpu\": \"1-2\", \"limits.memory\": \"512MiB\"}",
          "[object \"mem0\"]\nqom-type = \"memory-backend-memfd\"\nsize = \"256M\"\n" BOUND("0")
          "[numa]\ntype = \"node\"\nnodeid = \"0\"\nmemdev = \"mem0\"\n"
          "[object \"mem1\"]\nqom-type = \"memory-backend-memfd\"\nsize = \"256M\"\n" BOUND("1")
          "[numa]\ntype = \"node\"\nnodeid = \"1\"\nmemdev = \"mem1\"\n", true, 0,
          "mem0:strict:0:4:mbind;mem1:strict:1:4:mbind; | " },
        { "pinned CPUs win over limits.cpu.nodes",
          "{\"limits.cpu\": \"0-1\", \"limits.cpu.nodes\": \"1\", \"limits.memory\": \"512MiB\"}",
          MEMFD_MEM0(BOUND("0")), true, 0, "mem0:strict:0:4:mbind; | " },
        { "pinned CPUs without a host to place them",
          "{\"limits.cpu\": \"2-3\", \"limits.memory\": \"512MiB\"}", MEMFD_MEM0(""), false, 0,
          "mem0:none:-:4:none; | " },
        { "Incus balanced: volatile.cpu.nodes",
          "{\"limits.cpu.nodes\": \"balanced\", \"volatile.cpu.nodes\": \"1\", \"limits.memory\": \"512MiB\"}",
          MEMFD_MEM0(""), false, 0,
          "mem0:strict:1:4:mbind; | violation mem0 has no host-nodes although volatile.cpu.nodes is 1;" },
        { "raw.qemu.conf binds it",
          "{\"limits.memory\": \"512MiB\", \"raw.qemu.conf\": \"[object \\\"mem0\\\"]\\npolicy = \\\"bind\\\"\\nhost-nodes.0 = \\\"1\\\"\\n\"}",
          MEMFD_MEM0(BOUND("1")), false, 0, "mem0:strict:1:4:mbind; | " },
        { "raw.qemu.conf binding missing from qemu.conf",
          "{\"limits.memory\": \"512MiB\", \"raw.qemu.conf\": \"[device \\\"x\\\"]\\ndriver = \\\"y\\\"\\n[object \\\"mem0\\\"]\\nhost-nodes = \\\"1\\\"\\n\"}",
          MEMFD_MEM0(""), false, 0,
          "mem0:strict:1:4:mbind; | violation mem0 has no host-nodes although raw.qemu.conf binds it to 1;" },
        { "raw.qemu adds a bound backend",
          "{\"limits.memory\": \"512MiB\", \"raw.qemu\": \"-object 'memory-backend-ram,id=extra,size=64M,host-nodes=1,policy=bind' -numa node,memdev=extra\"}",
          MEMFD_MEM0(""), false, 0, "mem0:none:-:4:none;extra:strict:1:4:mbind; | " },
        { "limits.memory other than the backends",
          "{\"limits.memory\": \"1GiB\"}", MEMFD_MEM0(""), false, 0,
          "mem0:none:-:4:none; | warning qemu.conf's memory backends hold 512 MiB, limits.memory is 1GiB (1024 MiB);" },
        { "default limits.memory, decimal units",
          "{\"limits.memory\": \"536870912B\"}", MEMFD_MEM0(""), false, 0, "mem0:none:-:4:none; | " },
        { "no binding asked", "{\"volatile.uuid\": \"u-1\"}", "[object \"mem0\"]\nqom-type = \"memory-backend-memfd\"\nsize = \"1G\"\n",
          false, 0, "mem0:none:-:4:none; | " },
        { "a binding asked and no backend at all", "{\"limits.cpu.nodes\": \"0\"}", "[memory]\nsize = \"1G\"\n",
          false, 0,
          " | violation qemu.conf has no memory backend although limits.cpu.nodes is 0: the guest RAM is bound to nothing;" },
        { "no config: qemu.conf is the intent", NULL, MEMFD_MEM0(BOUND("1")), false, 0,
          "mem0:strict:1:4:mbind; | unverified the instance config could not be read (lxc is not installed): checked against qemu.conf alone, which cannot show a binding LXD left out;" },
        { "bad limits.cpu.nodes", "{\"limits.cpu.nodes\": \"one\"}", MEMFD_MEM0(""), false, -EINVAL,
          "limits.cpu.nodes: nodeset 'one': expected a number at 'one'" },
        { "bad limits.cpu", "{\"limits.cpu\": \"0-\"}", MEMFD_MEM0(""), false, -EINVAL,
          "limits.cpu: nodeset '0-': expected a number at ''" },
        { "limits.cpu count past UINT_MAX", "{\"limits.cpu\": \"4294967296\"}", MEMFD_MEM0(""), false, -EINVAL,
          "limits.cpu '4294967296': too many CPUs" },
        { "bad limits.memory", "{\"limits.memory\": \"lots\"}", MEMFD_MEM0(""), false, -EINVAL,
          "limits.memory 'lots': expected a size such as 4GiB or 512MB" },
        { "raw.qemu quote not closed", "{\"raw.qemu\": \"-object 'memory-backend-ram\"}", MEMFD_MEM0(""), false,
          -EINVAL, "raw.qemu: a quote is not closed" },
        { "raw.qemu.conf bad host-nodes",
          "{\"raw.qemu.conf\": \"[object \\\"mem0\\\"]\\nhost-nodes.0 = \\\"x\\\"\\n\"}", MEMFD_MEM0(""), false,
          -EINVAL, "raw.qemu.conf: line 2: host-nodes.0=x: expected a host node number below 1024" },
};

static void describe(const np_intent *intent, const np_findings *f, char *buf, size_t len)
{
        size_t o = 0;

        buf[0] = '\0';
        for (size_t i = 0; i < intent->n_regions; i++) {
                const np_region *r = &intent->regions[i];
                char nodes[64];

                if (r->has_nodes)
                        np_bitmap_format(&r->nodes, nodes, sizeof(nodes));
                else
                        snprintf(nodes, sizeof(nodes), "-");
                o += (size_t)snprintf(buf + o, len - o, "%s:%s:%s:%llu:%s;", r->id, np_mode_to_string(r->mode),
                                      nodes, (unsigned long long)r->pagesize_kib,
                                      np_enforcement_to_string(r->enforcement));
        }
        o += (size_t)snprintf(buf + o, len - o, " | ");
        for (size_t i = 0; i < f->n; i++)
                o += (size_t)snprintf(buf + o, len - o, "%s %s;", np_verdict_to_string(f->items[i].verdict),
                                      f->items[i].reason);
}

static void test_intent(void **state)
{
        np_sysroot *root = open_tree("lxd-host");
        np_host *host = NULL;
        np_error err = { "" };

        (void)state;
        assert_int_equal(np_host_read(root, &host, &err), 0);
        for (size_t i = 0; i < sizeof(intent_cases) / sizeof(intent_cases[0]); i++) {
                const struct intent_case *c = &intent_cases[i];
                np_lxd_config *config = NULL;
                np_qemu_cmdline *conf = NULL;
                np_intent *intent = NULL;
                np_findings f = { 0 };
                char got[2048];
                int r;

                print_message("case: %s\n", c->name);
                err.msg[0] = '\0';
                if (c->config)
                        assert_int_equal(np_lxd_config_parse(c->config, strlen(c->config), "cfg", &config, &err), 0);
                assert_int_equal(np_qemu_readconfig_parse(c->qemu_conf, strlen(c->qemu_conf), "qemu.conf", &conf, &err), 0);
                r = np_lxd_intent("vm1", config, c->config ? NULL : "lxc is not installed", conf,
                                  c->host ? host : NULL, &intent, &f, &err);
                assert_int_equal(r, c->want_r);
                if (r < 0) {
                        assert_string_equal(err.msg, c->want);
                } else {
                        assert_string_equal(intent->name, "vm1");
                        describe(intent, &f, got, sizeof(got));
                        assert_string_equal(got, c->want);
                }
                np_findings_free(&f);
                np_intent_free(intent);
                np_qemu_cmdline_free(conf);
                np_lxd_config_free(config);
        }
        np_host_free(host);
        np_sysroot_free(root);
}

/* ---- the memory, through the normal check ---- */

static const struct check_case {
        const char *config;     /* file below tests/data/lxd-configs, or NULL */
        const char *dir;
        pid_t pid;
        const char *want;       /* verdict, then each region's "id verdict how: reason" */
} check_cases[] = {
        { "vm-15082.json", "/var/snap/lxd/common/lxd/logs/vm-15082", 5001,
          "violation; mem0 violation name: 512 MiB of 512 MiB off its nodes (512 MiB on node 0), bound to node 1" },
        { "prod_db1.yaml", "/var/snap/lxd/common/lxd/logs/prod_db1", 5002,
          "compliant; mem0 compliant size+policy: all 256 MiB on node 1" },
        { "web1.json", "/run/incus/web1", 5003,
          "violation; mem0 violation size+policy: 64 MiB on node 0 although bound to node 1 "
          "(placed before the binding was set, or moved since)" },
        { NULL, "/run/incus/noconf", 5005, "compliant; mem0 compliant size+policy: all 128 MiB on node 0" },
};

static void test_check(void **state)
{
        np_sysroot *root = open_tree("lxd-host");
        np_host *host = NULL;
        np_error err = { "" };

        (void)state;
        assert_int_equal(np_host_read(root, &host, &err), 0);
        for (size_t i = 0; i < sizeof(check_cases) / sizeof(check_cases[0]); i++) {
                const struct check_case *c = &check_cases[i];
                char path[PATH_MAX], got[2048], *text = NULL;
                np_lxd_config *config = NULL;
                np_qemu_cmdline *conf = NULL;
                np_check_result *res = NULL;
                np_intent *intent = NULL;
                np_findings f = { 0 };
                size_t len = 0, o;

                print_message("case: %s\n", c->dir);
                if (c->config) {
                        char name[64];
                        FILE *fp;

                        snprintf(name, sizeof(name), "lxd-configs/%s", c->config);
                        fp = fopen(data_dir(name, path, sizeof(path)), "re");
                        assert_non_null(fp);
                        text = calloc(1, 65536);
                        len = fread(text, 1, 65535, fp);
                        fclose(fp);
                        assert_int_equal(np_lxd_config_parse(text, len, c->config, &config, &err), 0);
                        free(text);
                }
                snprintf(path, sizeof(path), "%s/qemu.conf", c->dir);
                assert_int_equal(np_sysroot_read_file(root, path, 1 << 20, &text, &len, &err), 0);
                assert_int_equal(np_qemu_readconfig_parse(text, len, path, &conf, &err), 0);
                assert_int_equal(np_lxd_intent("x", config, "none given", conf, host, &intent, &f, &err), 0);
                np_intent_set_default_hugepage(intent, host->default_hugepage_kib);
                assert_int_equal(np_check_process(root, intent, c->pid, NULL, &res, &err), 0);
                o = (size_t)snprintf(got, sizeof(got), "%s", np_verdict_to_string(res->verdict));
                for (size_t k = 0; k < res->n_regions; k++)
                        o += (size_t)snprintf(got + o, sizeof(got) - o, "; %s %s %s: %s", res->regions[k].region->id,
                                              np_verdict_to_string(res->regions[k].verdict), res->regions[k].how,
                                              res->regions[k].reason);
                assert_string_equal(got, c->want);
                np_check_result_free(res);
                np_findings_free(&f);
                np_intent_free(intent);
                np_qemu_cmdline_free(conf);
                np_lxd_config_free(config);
                free(text);
        }
        np_host_free(host);
        np_sysroot_free(root);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_config_parse),
                cmocka_unit_test(test_find_instances),
                cmocka_unit_test(test_pid_files),
                cmocka_unit_test(test_intent),
                cmocka_unit_test(test_check),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
