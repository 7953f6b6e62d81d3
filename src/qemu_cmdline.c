/* qemu_cmdline.c: QEMU memory backends from /proc/PID/cmdline.
 *
 * Reads the three options that decide where guest RAM goes, the way
 * QEMU's own option code reads them (system/vl.c):
 *   -object   JSON when the argument starts with '{', else QemuOpts
 *             key=value with the implied first key "qom-type";
 *   -numa     QemuOpts, implied key "type"; "node" ties memdev to nodeid;
 *   -machine  (or -M) key=value, implied key "type"; memory-backend=ID.
 * "--opt" is the same option as "-opt"; "-opt=value" is no option QEMU
 * knows, so it is none here either.  Every syntax is first turned into a
 * flat list of (key, text) pairs, so one setter fills a backend whatever
 * form it came in; -readconfig INI files can feed the same setter. */
#include "qemu_cmdline.h"
#include "array.h"
#include "error.h"
#include "json_read.h"
#include "number.h"
#include "process.h"
#include "sysroot.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMDLINE_MAX (4u << 20)

typedef struct kv_pair {
        char *key;
        char *value;
} kv_pair;

typedef struct kv_list {
        kv_pair *items;
        size_t n, cap;
} kv_list;

static void kv_list_clear(kv_list *l)
{
        for (size_t i = 0; i < l->n; i++) {
                free(l->items[i].key);
                free(l->items[i].value);
        }
        free(l->items);
        memset(l, 0, sizeof(*l));
}

/* Append copies of @key and of @vlen bytes of @value. */
static int kv_list_add(kv_list *l, const char *key, const char *value, size_t vlen)
{
        kv_pair *p;

        if (np_array_reserve(&l->items, &l->cap, l->n + 1) < 0)
                return -ENOMEM;
        p = &l->items[l->n];
        p->key = strdup(key);
        p->value = strndup(value, vlen);
        if (!p->key || !p->value) {
                free(p->key);
                free(p->value);
                return -ENOMEM;
        }
        l->n++;
        return 0;
}

/* The last value given for @key (later options override earlier ones in
 * QEMU too), or NULL. */
static const char *kv_list_get(const kv_list *l, const char *key)
{
        for (size_t i = l->n; i-- > 0;)
                if (strcmp(l->items[i].key, key) == 0)
                        return l->items[i].value;
        return NULL;
}

/* ---- QemuOpts key=value ----
 *
 * Items separated by ','; ",," is a literal comma inside a value.  The
 * first item may omit "KEY=" and then gives the implied key's value; any
 * later item without '=' is a flag: "KEY" means on, "noKEY" off
 * (util/qemu-option.c get_opt_name_value).  -machine goes through
 * QEMU's keyval parser instead, which differs only in rejecting bare
 * flags; for the one key read from it the two agree. */
static int opts_parse(const char *s, const char *implied, kv_list *out, np_error *err)
{
        const char *p = s;
        bool first = true;
        char *value = NULL;

        value = malloc(strlen(s) + 1);
        if (!value)
                return np_err(err, ENOMEM, "out of memory");
        while (*p) {
                size_t klen = strcspn(p, "=,"), vlen = 0;
                char key[128];
                int r;

                if (p[klen] != '=' && !(first && implied)) {
                        /* a flag */
                        if (klen == 0 || klen >= sizeof(key)) {
                                free(value);
                                return np_err(err, EINVAL, "'%.*s': expected KEY=VALUE", (int)strcspn(p, ","), p);
                        }
                        if (klen > 2 && strncmp(p, "no", 2) == 0) {
                                memcpy(key, p + 2, klen - 2);
                                key[klen - 2] = '\0';
                                r = kv_list_add(out, key, "off", 3);
                        } else {
                                memcpy(key, p, klen);
                                key[klen] = '\0';
                                r = kv_list_add(out, key, "on", 2);
                        }
                        p += klen;
                } else {
                        if (p[klen] == '=') {
                                if (klen == 0 || klen >= sizeof(key)) {
                                        free(value);
                                        return np_err(err, EINVAL, "'%.*s': expected KEY=VALUE",
                                                      (int)strcspn(p, ","), p);
                                }
                                memcpy(key, p, klen);
                                key[klen] = '\0';
                                p += klen + 1;
                        } else {
                                snprintf(key, sizeof(key), "%s", implied);
                        }
                        for (;;) {
                                if (!*p)
                                        break;
                                if (*p == ',') {
                                        if (p[1] != ',')
                                                break;
                                        p++;
                                }
                                value[vlen++] = *p++;
                        }
                        r = kv_list_add(out, key, value, vlen);
                }
                if (r < 0) {
                        free(value);
                        return np_err(err, ENOMEM, "out of memory");
                }
                if (*p == ',')
                        p++;
                first = false;
        }
        free(value);
        return 0;
}

/* ---- JSON ----
 *
 * One object, as QEMU's JSON parser takes it (qobject/json-lexer.c):
 * standard JSON plus 'single quoted' strings.  Members are flattened into
 * pairs: scalars as their text (true/false spelt so), arrays of scalars as
 * "KEY.0", "KEY.1" ... (the keyval spelling of a list), nested objects
 * and nested arrays checked for syntax and skipped: no memory backend
 * property numaplace reads is nested. */

/* A scalar at the cursor as the pair (@key, its text); null and
 * containers add nothing. */
static int json_scalar_flat(np_json_reader *jr, const char *key, kv_list *out)
{
        char *s;
        size_t len;
        int r = np_json_read_scalar(jr, &s, &len);

        if (r == NP_JSON_CONTAINER)
                return np_json_read_skip(jr);
        if (r != 0)
                return r < 0 ? r : 0;
        r = kv_list_add(out, key, s, len);
        free(s);
        return r < 0 ? np_err(jr->err, ENOMEM, "out of memory") : 0;
}

static int json_member_flat(np_json_reader *jr, const char *key, kv_list *out)
{
        size_t count = 0;
        int r;

        if (np_json_read_peek(jr) != '[')
                return json_scalar_flat(jr, key, out);
        r = np_json_read_array_begin(jr);
        while (r == 0 && (r = np_json_read_array_next(jr, &count)) == 1) {
                char ikey[160];

                snprintf(ikey, sizeof(ikey), "%s.%zu", key, count - 1);
                r = json_scalar_flat(jr, ikey, out);
        }
        return r;
}

static int json_object_flat(const char *text, kv_list *out, np_error *err)
{
        np_json_reader jr;
        size_t count = 0;
        char *key;
        int r;

        np_json_reader_init(&jr, text, strlen(text), "JSON", err);
        jr.single_quotes = true;
        r = np_json_read_object_begin(&jr);
        while (r == 0 && (r = np_json_read_object_next(&jr, &count, &key)) == 1) {
                r = strlen(key) < 128 ? json_member_flat(&jr, key, out)
                                      : np_json_read_fail(&jr, "member name too long");
                free(key);
        }
        return r < 0 ? r : np_json_read_end(&jr);
}

/* Either syntax into pairs. */
static int option_parse(const char *arg, const char *implied, kv_list *out, np_error *err)
{
        if (arg[0] == '{')
                return json_object_flat(arg, out, err);
        return opts_parse(arg, implied, out, err);
}

/* ---- values ---- */

/* QAPI's boolean spellings (qapi/qapi-util.c qapi_bool_parse). */
static int parse_bool(const char *s, bool *ret)
{
        static const char *const yes[] = { "on", "yes", "true", "y" };
        static const char *const no[] = { "off", "no", "false", "n" };

        for (size_t i = 0; i < 4; i++) {
                if (strcmp(s, yes[i]) == 0) {
                        *ret = true;
                        return 0;
                }
                if (strcmp(s, no[i]) == 0) {
                        *ret = false;
                        return 0;
                }
        }
        return -EINVAL;
}

int np_qemu_backend_set(np_qemu_backend *b, const char *key, const char *value,
                        np_error *err)
{
        static const char *const policies[] = { "default", "preferred", "bind", "interleave" };
        np_error sub;
        bool flag;

        if (strcmp(key, "size") == 0 || strcmp(key, "hugetlbsize") == 0) {
                uint64_t v;

                if (np_parse_qemu_size(value, &v) < 0)
                        return np_err(err, EINVAL, "%s=%s: expected a size in bytes, or a number with K, M, G, T, P or E",
                                      key, value);
                if (key[0] == 's')
                        b->size_bytes = v;
                else
                        b->hugetlbsize = v;
                return 0;
        }
        if (strcmp(key, "host-nodes") == 0) {
                /* "0-1", repeated keys adding up, as QEMU's options
                 * visitor takes them */
                np_bitmap set;

                if (np_bitmap_parse(value, NP_NODE_MAX, &set, &sub) < 0)
                        return np_err(err, EINVAL, "host-nodes=%s: %s", value, sub.msg);
                np_bitmap_or(&b->host_nodes, &set);
                b->has_host_nodes = true;
                return 0;
        }
        if (strncmp(key, "host-nodes.", 11) == 0) {
                /* one list element: JSON arrays and INI "host-nodes.0" */
                uint64_t index, node;

                if (np_parse_u64_max(key + 11, UINT64_MAX, &index) < 0)
                        return np_err(err, EINVAL, "%s=%s: expected host-nodes.<index>", key, value);
                if (np_parse_u64_max(value, NP_NODE_MAX - 1, &node) < 0)
                        return np_err(err, EINVAL, "%s=%s: expected a host node number below %u",
                                      key, value, NP_NODE_MAX);
                np_bitmap_set(&b->host_nodes, (unsigned)node);
                b->has_host_nodes = true;
                return 0;
        }
        if (strcmp(key, "policy") == 0) {
                for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++) {
                        if (strcmp(value, policies[i]) == 0) {
                                snprintf(b->policy, sizeof(b->policy), "%s", value);
                                return 0;
                        }
                }
                return np_err(err, EINVAL, "policy=%s: expected default, preferred, bind or interleave", value);
        }
        if (strcmp(key, "mem-path") == 0) {
                char *s = strdup(value);

                if (!s)
                        return np_err(err, ENOMEM, "out of memory");
                free(b->mem_path);
                b->mem_path = s;
                return 0;
        }
        if (strcmp(key, "prealloc") == 0 || strcmp(key, "share") == 0 || strcmp(key, "hugetlb") == 0) {
                if (parse_bool(value, &flag) < 0)
                        return np_err(err, EINVAL, "%s=%s: expected on or off", key, value);
                if (key[0] == 'p')
                        b->prealloc = flag;
                else if (key[0] == 's')
                        b->share = flag;
                else
                        b->hugetlb = flag;
                return 0;
        }
        return 0; /* a property that does not decide placement */
}

/* ---- the command line ---- */

typedef struct numa_link {
        char *memdev;
        int nodeid;
} numa_link;

typedef struct device_link {
        char *memdev;
        np_region_kind kind;
        char id[NP_ID_MAX];
        int node;
} device_link;

typedef struct parse_state {
        np_qemu_cmdline *cl;
        size_t cap;
        numa_link *links;
        size_t n_links, links_cap;
        device_link *devs;
        size_t n_devs, devs_cap;
        int next_nodeid;        /* QEMU numbers nodes without nodeid in order */
        char *machine_ram;
        uint64_t ram_bytes;     /* -m size, 0 when not given */
        bool ram_unknown;       /* -m given in a form not read here */
        char *mem_path;         /* -mem-path */
        bool mem_prealloc;
        np_qemu_readconfig_fn readconfig;
        void *userdata;
        bool incomplete;        /* a -readconfig file could not be read */
} parse_state;

static bool backend_type(const char *qom_type, np_backing *ret)
{
        if (strcmp(qom_type, "memory-backend-ram") == 0)
                *ret = NP_BACKING_ANONYMOUS;
        else if (strcmp(qom_type, "memory-backend-file") == 0)
                *ret = NP_BACKING_FILE;
        else if (strcmp(qom_type, "memory-backend-memfd") == 0)
                *ret = NP_BACKING_MEMFD;
        else if (strcmp(qom_type, "memory-backend-epc") == 0)
                *ret = NP_BACKING_FILE; /* SGX EPC: a mapping of /dev/sgx_vepc */
        else
                return false;
        return true;
}

/* Add the object @id described by @props (qom-type among them) when it
 * is a memory backend; other objects are ignored.  The one entry point
 * for every syntax a backend can be written in. */
static int add_backend(parse_state *st, const char *id, const kv_list *props, np_error *err)
{
        np_qemu_cmdline *cl = st->cl;
        const char *qom_type = kv_list_get(props, "qom-type");
        np_qemu_backend *b;
        np_backing backing;

        if (!qom_type || !backend_type(qom_type, &backing))
                return 0;
        if (!id || !*id)
                return np_err(err, EINVAL, "%s without an id", qom_type);
        if (strlen(id) >= sizeof(b->id))
                return np_err(err, EINVAL, "%s id '%.40s...': longer than %zu characters",
                              qom_type, id, sizeof(b->id) - 1);
        if (np_qemu_cmdline_find(cl, id))
                return np_err(err, EINVAL, "memory backend '%s' is defined twice", id);
        if (np_array_reserve(&cl->backends, &st->cap, cl->n_backends + 1) < 0)
                return np_err(err, ENOMEM, "out of memory");
        b = &cl->backends[cl->n_backends++];
        memset(b, 0, sizeof(*b));
        snprintf(b->id, sizeof(b->id), "%s", id);
        b->backing = backing;
        b->guest_node = -1;
        for (size_t i = 0; i < props->n; i++) {
                int r = np_qemu_backend_set(b, props->items[i].key, props->items[i].value, err);

                if (r < 0)
                        return np_err_prefix(err, -r, "memory backend '%s'", id);
        }
        return 0;
}

static int handle_object(parse_state *st, const char *arg, np_error *err)
{
        kv_list props = { 0 };
        int r;

        r = option_parse(arg, "qom-type", &props, err);
        if (r == 0)
                r = add_backend(st, kv_list_get(&props, "id"), &props, err);
        kv_list_clear(&props);
        return r;
}

/* A guest NUMA node from its properties (type, nodeid, memdev), whatever
 * syntax gave them. */
static int numa_node(parse_state *st, const kv_list *props, np_error *err)
{
        const char *type, *nodeid, *memdev;
        int r = 0, id;

        type = kv_list_get(props, "type");
        if (!type || strcmp(type, "node") != 0)
                goto out;
        nodeid = kv_list_get(props, "nodeid");
        if (nodeid) {
                uint64_t v;

                if (np_parse_u64_max(nodeid, INT_MAX, &v) < 0) {
                        r = np_err(err, EINVAL, "nodeid=%s: expected a guest node number", nodeid);
                        goto out;
                }
                id = (int)v;
        } else {
                id = st->next_nodeid;
        }
        st->next_nodeid = id + 1 > st->next_nodeid ? id + 1 : st->next_nodeid;
        memdev = kv_list_get(props, "memdev");
        if (!memdev) {
                /* legacy mem=: QEMU keeps the node's RAM in the
                 * machine's one RAM block; else a memoryless node */
                if (kv_list_get(props, "mem"))
                        st->cl->n_legacy_nodes++;
                goto out;
        }
        if (np_array_reserve(&st->links, &st->links_cap, st->n_links + 1) < 0 ||
            !(st->links[st->n_links].memdev = strdup(memdev))) {
                r = np_err(err, ENOMEM, "out of memory");
                goto out;
        }
        st->links[st->n_links++].nodeid = id;
out:
        return r;
}

static int handle_numa(parse_state *st, const char *arg, np_error *err)
{
        kv_list props = { 0 };
        int r;

        r = opts_parse(arg, "type", &props, err);
        if (r == 0)
                r = numa_node(st, &props, err);
        kv_list_clear(&props);
        return r;
}

/* The machine's own RAM backend (memory-backend=ID), if named. */
static int machine_props(parse_state *st, const kv_list *props, np_error *err)
{
        const char *ram = kv_list_get(props, "memory-backend");
        int r = 0;

        if (ram) {
                char *s = strdup(ram);

                if (!s) {
                        r = np_err(err, ENOMEM, "out of memory");
                } else {
                        /* -machine options add up; a later one wins */
                        free(st->machine_ram);
                        st->machine_ram = s;
                }
        }
        return r;
}

static int handle_machine(parse_state *st, const char *arg, np_error *err)
{
        kv_list props = { 0 };
        int r;

        /* QEMU reads -machine as key=value only; JSON is accepted here as
         * well since it costs nothing and -object already moved to it. */
        r = option_parse(arg, "type", &props, err);
        if (r == 0)
                r = machine_props(st, &props, err);
        kv_list_clear(&props);
        return r;
}

/* Memory devices by their QEMU driver name (hw/mem/, hw/virtio/). */
static bool device_kind(const char *driver, np_region_kind *ret)
{
        static const struct {
                const char *driver;
                np_region_kind kind;
        } drivers[] = {
                { "pc-dimm", NP_REGION_DIMM },
                { "nvdimm", NP_REGION_NVDIMM },
                { "virtio-mem-pci", NP_REGION_VIRTIO_MEM },
                { "virtio-mem-ccw", NP_REGION_VIRTIO_MEM },
                { "virtio-mem", NP_REGION_VIRTIO_MEM },
                { "virtio-pmem-pci", NP_REGION_VIRTIO_PMEM },
                { "virtio-pmem", NP_REGION_VIRTIO_PMEM },
        };

        for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++) {
                if (strcmp(driver, drivers[i].driver) == 0) {
                        *ret = drivers[i].kind;
                        return true;
                }
        }
        return false;
}

/* A memory device from its properties (driver, memdev, id, node),
 * whatever syntax gave them; @id is the -readconfig section's id. */
static int device_props(parse_state *st, const char *id, const kv_list *props, np_error *err)
{
        const char *driver = kv_list_get(props, "driver"), *memdev, *node;
        np_region_kind kind;
        device_link *d;

        if (!driver || !device_kind(driver, &kind))
                return 0;
        memdev = kv_list_get(props, "memdev");
        if (!memdev)
                return 0; /* QEMU refuses it; nothing to link */
        if (!id)
                id = kv_list_get(props, "id");
        if (np_array_reserve(&st->devs, &st->devs_cap, st->n_devs + 1) < 0)
                return np_err(err, ENOMEM, "out of memory");
        d = &st->devs[st->n_devs];
        memset(d, 0, sizeof(*d));
        d->kind = kind;
        d->node = -1;
        node = kv_list_get(props, "node");
        if (node) {
                uint64_t v;

                if (np_parse_u64_max(node, INT_MAX, &v) < 0)
                        return np_err(err, EINVAL, "%s node=%s: expected a guest node number", driver, node);
                d->node = (int)v;
        }
        snprintf(d->id, sizeof(d->id), "%s", id ? id : "");
        d->memdev = strdup(memdev);
        if (!d->memdev)
                return np_err(err, ENOMEM, "out of memory");
        st->n_devs++;
        return 0;
}

static int handle_device(parse_state *st, const char *arg, np_error *err)
{
        kv_list props = { 0 };
        int r;

        r = option_parse(arg, "driver", &props, err);
        if (r == 0)
                r = device_props(st, NULL, &props, err);
        kv_list_clear(&props);
        return r;
}

/* -m [size=]SIZE[,slots=,maxmem=]: a number without a suffix is MiB.
 * A running QEMU took its -m, so one this parser does not read costs only
 * the implicit RAM's size (left unknown), not the rest of the graph. */
static int memory_props(parse_state *st, const kv_list *props)
{
        const char *size = kv_list_get(props, "size");
        char buf[64];
        size_t n;
        uint64_t v;

        if (!size)
                return 0;
        n = strlen(size);
        st->ram_unknown = true;
        if (n + 2 > sizeof(buf))
                return 0;
        snprintf(buf, sizeof(buf), "%s%s", size, n && size[n - 1] >= '0' && size[n - 1] <= '9' ? "M" : "");
        if (np_parse_qemu_size(buf, &v) == 0) {
                st->ram_bytes = v;
                st->ram_unknown = false;
        }
        return 0;
}

static int handle_memory(parse_state *st, const char *arg, np_error *err)
{
        kv_list props = { 0 };
        int r;

        r = opts_parse(arg, "size", &props, err);
        if (r == 0)
                r = memory_props(st, &props);
        kv_list_clear(&props);
        return r;
}

void np_qemu_cmdline_free(np_qemu_cmdline *cmdline)
{
        if (!cmdline)
                return;
        for (size_t i = 0; i < cmdline->n_backends; i++)
                free(cmdline->backends[i].mem_path);
        free(cmdline->implicit_ram.mem_path);
        free(cmdline->backends);
        free(cmdline);
}

const np_qemu_backend *np_qemu_cmdline_find(const np_qemu_cmdline *cmdline, const char *id)
{
        for (size_t i = 0; i < cmdline->n_backends; i++)
                if (strcmp(cmdline->backends[i].id, id) == 0)
                        return &cmdline->backends[i];
        if (cmdline->has_implicit_ram && strcmp(cmdline->implicit_ram.id, id) == 0)
                return &cmdline->implicit_ram;
        return NULL;
}

static np_qemu_backend *find_backend(np_qemu_cmdline *cl, const char *id)
{
        for (size_t i = 0; i < cl->n_backends; i++)
                if (strcmp(cl->backends[i].id, id) == 0)
                        return &cl->backends[i];
        return NULL;
}

/* Tie backends to the guest nodes and machine that name them (-numa and
 * -machine may come before the -object they name) and hand the result
 * over. */
static int finish(parse_state *st, bool implicit, np_qemu_cmdline **ret, np_error *err)
{
        unsigned counts[NP_REGION__COUNT] = { 0 };
        bool linked = false;

        for (size_t i = 0; i < st->n_links; i++) {
                np_qemu_backend *b = find_backend(st->cl, st->links[i].memdev);

                if (b) {
                        b->guest_node = st->links[i].nodeid;
                        linked = true;
                }
        }
        if (st->machine_ram) {
                np_qemu_backend *b = find_backend(st->cl, st->machine_ram);

                if (b) {
                        b->is_machine_ram = true;
                        linked = true;
                }
        }
        for (size_t i = 0; i < st->n_devs; i++) {
                const device_link *d = &st->devs[i];
                np_qemu_backend *b = find_backend(st->cl, d->memdev);

                /* counted whether or not the backend is known, so the
                 * n-th device stays the n-th */
                if (b && !b->has_device) {
                        b->has_device = true;
                        b->device_kind = d->kind;
                        b->device_index = counts[d->kind];
                        b->device_node = d->node;
                        snprintf(b->device_id, sizeof(b->device_id), "%s", d->id);
                }
                counts[d->kind]++;
        }
        /* Without a backend for guest cells or the machine, QEMU puts the
         * guest's RAM (-m) in a block of its own, "pc.ram", anonymous or a
         * file below -mem-path.  Without -m its size is the machine
         * type's default, left unknown here (the intent's then counts). */
        if (implicit && !linked && !st->incomplete) {
                np_qemu_backend *b = &st->cl->implicit_ram;

                memset(b, 0, sizeof(*b));
                snprintf(b->id, sizeof(b->id), "pc.ram");
                b->size_bytes = st->ram_unknown ? 0 : st->ram_bytes;
                b->guest_node = -1;
                b->device_node = -1;
                b->is_machine_ram = true;
                b->prealloc = st->mem_prealloc;
                if (st->mem_path) {
                        b->backing = NP_BACKING_FILE;
                        b->mem_path = strdup(st->mem_path);
                        if (!b->mem_path)
                                return np_err(err, ENOMEM, "out of memory");
                }
                st->cl->has_implicit_ram = true;
        }
        *ret = st->cl;
        st->cl = NULL;
        return 0;
}

static void state_done(parse_state *st)
{
        for (size_t i = 0; i < st->n_links; i++)
                free(st->links[i].memdev);
        free(st->links);
        for (size_t i = 0; i < st->n_devs; i++)
                free(st->devs[i].memdev);
        free(st->devs);
        free(st->machine_ram);
        free(st->mem_path);
        np_qemu_cmdline_free(st->cl);
}

static int readconfig_into(parse_state *st, const char *text, size_t len,
                           const char *filename, np_error *err);

/* -readconfig FILE where it stands: its sections join the graph. */
static int handle_readconfig(parse_state *st, const char *path, np_error *err)
{
        char *text = NULL;
        size_t len = 0;
        int r;

        if (!st->readconfig || st->readconfig(path, &text, &len, st->userdata) < 0) {
                /* what it held stays unknown; names and sizes still
                 * attribute, but the guest may have backends after all */
                st->incomplete = true;
                return 0;
        }
        r = readconfig_into(st, text, len, path, err);
        free(text);
        return r;
}

/* -mem-path DIR and -mem-prealloc: the implicit RAM's backing. */
static int handle_mem_path(parse_state *st, const char *arg, np_error *err)
{
        char *s = strdup(arg);

        if (!s)
                return np_err(err, ENOMEM, "out of memory");
        free(st->mem_path);
        st->mem_path = s;
        return 0;
}

int np_qemu_cmdline_parse(const char *buf, size_t len, np_qemu_cmdline **ret, np_error *err)
{
        return np_qemu_cmdline_parse_full(buf, len, NULL, NULL, ret, err);
}

int np_qemu_cmdline_parse_full(const char *buf, size_t len, np_qemu_readconfig_fn readconfig,
                               void *userdata, np_qemu_cmdline **ret, np_error *err)
{
        parse_state st = { .readconfig = readconfig, .userdata = userdata };
        char *copy;
        const char **argv = NULL;
        size_t argc = 0, cap = 0;
        int r = 0;

        st.cl = calloc(1, sizeof(*st.cl));
        /* A copy ending in NUL, so a last argument cut short still ends. */
        copy = malloc(len + 1);
        if (!st.cl || !copy) {
                free(copy);
                free(st.cl);
                return np_err(err, ENOMEM, "out of memory");
        }
        memcpy(copy, buf, len);
        copy[len] = '\0';
        for (size_t i = 0; i < len;) {
                if (np_array_reserve(&argv, &cap, argc + 1) < 0) {
                        r = np_err(err, ENOMEM, "out of memory");
                        goto out;
                }
                argv[argc++] = copy + i;
                i += strlen(copy + i) + 1;
        }

        /* argv[0] is the program, as QEMU's own loop starts at 1 */
        for (size_t i = 1; i < argc; i++) {
                const char *opt = argv[i], *arg;

                if (opt[0] != '-')
                        continue;
                opt++;
                if (opt[0] == '-')
                        opt++;
                if (strcmp(opt, "mem-prealloc") == 0) {
                        st.mem_prealloc = true;
                        continue;
                }
                if (strcmp(opt, "object") && strcmp(opt, "numa") && strcmp(opt, "machine") &&
                    strcmp(opt, "M") && strcmp(opt, "device") && strcmp(opt, "m") &&
                    strcmp(opt, "mem-path") && strcmp(opt, "readconfig"))
                        continue;
                if (i + 1 >= argc) {
                        r = np_err(err, EINVAL, "argument %zu (%s): missing its value", i, argv[i]);
                        goto out;
                }
                arg = argv[++i];
                if (strcmp(opt, "object") == 0)
                        r = handle_object(&st, arg, err);
                else if (strcmp(opt, "numa") == 0)
                        r = handle_numa(&st, arg, err);
                else if (strcmp(opt, "device") == 0)
                        r = handle_device(&st, arg, err);
                else if (strcmp(opt, "m") == 0)
                        r = handle_memory(&st, arg, err);
                else if (strcmp(opt, "mem-path") == 0)
                        r = handle_mem_path(&st, arg, err);
                else if (strcmp(opt, "readconfig") == 0)
                        r = handle_readconfig(&st, arg, err);
                else
                        r = handle_machine(&st, arg, err);
                if (r < 0) {
                        np_err_prefix(err, -r, "argument %zu (%s)", i, argv[i - 1]);
                        goto out;
                }
        }

        r = finish(&st, readconfig != NULL, ret, err);
out:
        state_done(&st);
        free(argv);
        free(copy);
        return r;
}

#define READCONFIG_MAX (1u << 20)

typedef struct readconfig_ctx {
        const np_sysroot *root;
        pid_t pid;
} readconfig_ctx;

/* A -readconfig file as the process sees it: relative names from its
 * working directory. */
static int read_config_file(const char *path, char **ret, size_t *ret_len, void *userdata)
{
        const readconfig_ctx *c = userdata;
        char full[PATH_MAX];
        np_error ignored;

        if (path[0] == '/')
                snprintf(full, sizeof(full), "%s", path);
        else if ((size_t)snprintf(full, sizeof(full), "/proc/%d/cwd/%s", (int)c->pid, path) >= sizeof(full))
                return -ENAMETOOLONG;
        return np_sysroot_read_file(c->root, full, READCONFIG_MAX, ret, ret_len, &ignored);
}

int np_qemu_cmdline_read(const np_sysroot *root, pid_t pid, np_qemu_cmdline **ret,
                         np_error *err)
{
        readconfig_ctx ctx = { .root = root, .pid = pid };
        char path[64], shown[PATH_MAX], *buf;
        np_error sub;
        size_t len;
        int r;

        snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
        np_sysroot_display(root, path, shown, sizeof(shown));
        r = np_sysroot_read_file(root, path, CMDLINE_MAX, &buf, &len, &sub);
        if (r == -ENOENT || r == -ESRCH) {
                if (np_process_is_gone(root, pid))
                        return np_err(err, ESRCH, "process %d is not running", (int)pid);
        }
        if (r < 0) {
                if (err)
                        *err = sub;
                return r;
        }
        if (len == 0) {
                /* zombies and kernel threads show an empty command line */
                free(buf);
                if (np_process_is_gone(root, pid))
                        return np_err(err, ESRCH, "process %d is not running", (int)pid);
                return np_err(err, ESRCH, "%s: empty: process %d is a kernel thread or no QEMU", shown, (int)pid);
        }
        r = np_qemu_cmdline_parse_full(buf, len, read_config_file, &ctx, ret, err);
        free(buf);
        if (r < 0)
                return np_err_prefix(err, -r, "%s", shown);
        return 0;
}

/* ---- -readconfig files ---- */

/* One section of a -readconfig file: its group, id and properties. */
static int readconfig_section(parse_state *st, const char *group, const char *id,
                              const kv_list *props, np_error *err)
{
        if (strcmp(group, "object") == 0)
                return add_backend(st, id, props, err);
        if (strcmp(group, "numa") == 0)
                return numa_node(st, props, err);
        if (strcmp(group, "machine") == 0)
                return machine_props(st, props, err);
        if (strcmp(group, "device") == 0)
                return device_props(st, id[0] ? id : NULL, props, err);
        if (strcmp(group, "memory") == 0)
                return memory_props(st, props);
        return 0;
}

/* A double-quoted INI value; returns a pointer past it or NULL. */
static char *ini_value(char *p, char **ret)
{
        char *out;

        if (*p != '"')
                return NULL;
        out = ++p;
        *ret = out;
        while (*p && *p != '"')
                p++;
        if (*p != '"')
                return NULL;
        *p = '\0';
        return p + 1;
}

int np_qemu_readconfig_parse(const char *text, size_t len, const char *filename,
                             np_qemu_cmdline **ret, np_error *err)
{
        parse_state st = { 0 };
        int r;

        st.cl = calloc(1, sizeof(*st.cl));
        if (!st.cl)
                return np_err(err, ENOMEM, "out of memory");
        r = readconfig_into(&st, text, len, filename, err);
        if (r == 0)
                r = finish(&st, false, ret, err);
        state_done(&st);
        return r;
}

static int readconfig_into(parse_state *st, const char *text, size_t len,
                           const char *filename, np_error *err)
{
        kv_list props = { 0 };
        char group[64] = "", id[NP_ID_MAX] = "";
        char *copy, *cursor, *p;
        unsigned lineno = 0, section_line = 0;
        int r = 0;

        copy = malloc(len + 1);
        if (!copy)
                return np_err(err, ENOMEM, "out of memory");
        memcpy(copy, text, len);
        copy[len] = '\0';

        /* QEMU's format: "[group]" or [group "id"] opens a section, then
         * key = "value" lines; '#' starts a comment line */
        cursor = copy;
        while ((p = np_ini_next_line(&cursor, &lineno))) {
                char *key, *value;

                if (!*p)
                        continue;
                if (*p == '[') {
                        char *q = np_ini_section(p);

                        if (group[0]) {
                                r = readconfig_section(st, group, id, &props, err);
                                kv_list_clear(&props);
                                if (r < 0) {
                                        lineno = section_line;
                                        goto fail;
                                }
                        }
                        section_line = lineno;
                        if (!q) {
                                r = np_err(err, EINVAL, "expected [group] or [group \"id\"]");
                                goto fail;
                        }
                        id[0] = '\0';
                        value = strchr(q, ' ');
                        if (value) {
                                *value++ = '\0';
                                while (*value == ' ')
                                        value++;
                                if (!ini_value(value, &value) || strlen(value) >= sizeof(id)) {
                                        r = np_err(err, EINVAL, "[%s ...]: expected a quoted id", q);
                                        goto fail;
                                }
                                snprintf(id, sizeof(id), "%s", value);
                        }
                        if (!*q || strlen(q) >= sizeof(group)) {
                                r = np_err(err, EINVAL, "expected a group name after '['");
                                goto fail;
                        }
                        snprintf(group, sizeof(group), "%s", q);
                        continue;
                }
                if (!group[0] || !np_ini_split(p, &key, &p)) {
                        r = np_err(err, EINVAL, group[0] ? "expected key = \"value\"" :
                                                           "a property before any [group]");
                        goto fail;
                }
                if (!*key || !(p = ini_value(p, &value)) || *p) {
                        r = np_err(err, EINVAL, "%s: expected key = \"value\"", *key ? key : "(no key)");
                        goto fail;
                }
                r = kv_list_add(&props, key, value, strlen(value));
                if (r < 0) {
                        r = np_err(err, ENOMEM, "out of memory");
                        goto fail;
                }
        }
        if (group[0]) {
                r = readconfig_section(st, group, id, &props, err);
                if (r < 0) {
                        lineno = section_line;
                        goto fail;
                }
        }
        goto out;
fail:
        np_err_prefix(err, -r, "%s: line %u", filename ? filename : "qemu.conf", lineno);
out:
        kv_list_clear(&props);
        free(copy);
        return r;
}
