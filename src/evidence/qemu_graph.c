/* qemu_graph.c: the memory graph of one QEMU process, from the
 * properties of its options and -readconfig sections (qemu_graph.h),
 * and the one setter of backend properties whatever syntax gave them. */
#include "qemu_graph.h"
#include "array.h"
#include "error.h"
#include "number.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- properties ---- */

void np_qemu_props_clear(np_qemu_props *l)
{
        for (size_t i = 0; i < l->n; i++) {
                free(l->items[i].key);
                free(l->items[i].value);
        }
        free(l->items);
        memset(l, 0, sizeof(*l));
}

int np_qemu_props_add(np_qemu_props *l, const char *key, const char *value, size_t vlen)
{
        np_qemu_prop *p;

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

const char *np_qemu_props_get(const np_qemu_props *l, const char *key)
{
        for (size_t i = l->n; i-- > 0;)
                if (strcmp(l->items[i].key, key) == 0)
                        return l->items[i].value;
        return NULL;
}

/* ---- backend properties ---- */

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
        if (strcmp(key, "mem-path") == 0)
                return np_qemu_graph_set_string(&b->mem_path, value, err);
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

/* ---- the graph ---- */

int np_qemu_graph_init(np_qemu_graph *g, np_error *err)
{
        memset(g, 0, sizeof(*g));
        g->cl = calloc(1, sizeof(*g->cl));
        return g->cl ? 0 : np_err(err, ENOMEM, "out of memory");
}

int np_qemu_graph_set_string(char **dst, const char *s, np_error *err)
{
        char *copy = strdup(s);

        if (!copy)
                return np_err(err, ENOMEM, "out of memory");
        free(*dst);
        *dst = copy;
        return 0;
}

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

/* Add the object @id (by default its "id" property) described by @props
 * (qom-type among them) when it is a memory backend; other objects are
 * ignored.  The one entry point for every syntax a backend can be
 * written in. */
static int add_backend(np_qemu_graph *st, const char *id, const np_qemu_props *props, np_error *err)
{
        np_qemu_cmdline *cl = st->cl;
        const char *qom_type = np_qemu_props_get(props, "qom-type");
        np_qemu_backend *b;
        np_backing backing;

        if (!qom_type || !backend_type(qom_type, &backing))
                return 0;
        if (!id)
                id = np_qemu_props_get(props, "id");
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

/* A guest NUMA node from its properties (type, nodeid, memdev), whatever
 * syntax gave them. */
static int numa_node(np_qemu_graph *st, const char *section_id, const np_qemu_props *props,
                     np_error *err)
{
        const char *type, *nodeid, *memdev;
        int r = 0, id;

        (void)section_id;

        type = np_qemu_props_get(props, "type");
        if (!type || strcmp(type, "node") != 0)
                goto out;
        nodeid = np_qemu_props_get(props, "nodeid");
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
        memdev = np_qemu_props_get(props, "memdev");
        if (!memdev) {
                /* legacy mem=: QEMU keeps the node's RAM in the
                 * machine's one RAM block; else a memoryless node */
                if (np_qemu_props_get(props, "mem"))
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

/* The machine's own RAM backend (memory-backend=ID), if named. */
static int machine_props(np_qemu_graph *st, const char *id, const np_qemu_props *props,
                         np_error *err)
{
        const char *ram = np_qemu_props_get(props, "memory-backend");

        (void)id;

        /* -machine options add up; a later one wins */
        return ram ? np_qemu_graph_set_string(&st->machine_ram, ram, err) : 0;
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
 * whatever syntax gave them. */
static int device_props(np_qemu_graph *st, const char *id, const np_qemu_props *props, np_error *err)
{
        const char *driver = np_qemu_props_get(props, "driver"), *memdev, *node;
        np_region_kind kind;
        np_qemu_device_link *d;

        if (!driver || !device_kind(driver, &kind))
                return 0;
        memdev = np_qemu_props_get(props, "memdev");
        if (!memdev)
                return 0; /* QEMU refuses it; nothing to link */
        if (!id || !*id)
                id = np_qemu_props_get(props, "id");
        if (np_array_reserve(&st->devs, &st->devs_cap, st->n_devs + 1) < 0)
                return np_err(err, ENOMEM, "out of memory");
        d = &st->devs[st->n_devs];
        memset(d, 0, sizeof(*d));
        d->kind = kind;
        d->node = -1;
        node = np_qemu_props_get(props, "node");
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

/* -m [size=]SIZE[,slots=,maxmem=]: a number without a suffix is MiB.
 * A running QEMU took its -m, so one this parser does not read costs only
 * the implicit RAM's size (left unknown), not the rest of the graph. */
static int memory_props(np_qemu_graph *st, const char *id, const np_qemu_props *props,
                        np_error *err)
{
        const char *size = np_qemu_props_get(props, "size");
        char buf[64];
        size_t n;
        uint64_t v;

        (void)id;
        (void)err;
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

np_qemu_group_fn np_qemu_graph_group(const char *group)
{
        static const struct {
                const char *group;
                np_qemu_group_fn fn;
        } groups[] = {
                { "object", add_backend },
                { "numa", numa_node },
                { "machine", machine_props },
                { "device", device_props },
                { "memory", memory_props },
        };

        for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
                if (strcmp(group, groups[i].group) == 0)
                        return groups[i].fn;
        return NULL;
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

/* -numa and -machine may come before the -object they name: the links
 * are made once everything is read. */
int np_qemu_graph_finish(np_qemu_graph *st, bool implicit, np_qemu_cmdline **ret, np_error *err)
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
                const np_qemu_device_link *d = &st->devs[i];
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

void np_qemu_graph_done(np_qemu_graph *st)
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
