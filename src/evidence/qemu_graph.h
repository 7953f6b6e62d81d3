/* qemu_graph.h: building the memory graph of one QEMU process
 * (qemu_cmdline.h) from properties, whatever syntax gave them.
 *
 * The command line (qemu_argv.c) and -readconfig files
 * (qemu_readconfig.c) turn their text into (key, value) pairs, the
 * properties of one option or section, and hand them to the group they
 * belong to ("object", "numa", "machine", "device", "memory", as
 * -readconfig names them); np_qemu_graph_finish() then ties backends to
 * the guest nodes, machine and devices that name them. */
#pragma once

#include "qemu_cmdline.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct np_error;

/* The properties of one option or section, in the order given. */
typedef struct np_qemu_prop {
        char *key;
        char *value;
} np_qemu_prop;

typedef struct np_qemu_props {
        np_qemu_prop *items;
        size_t n, cap;
} np_qemu_props;

/* Append copies of @key and of @vlen bytes of @value: 0 or -ENOMEM. */
int np_qemu_props_add(np_qemu_props *l, const char *key, const char *value, size_t vlen);

/* The last value given for @key (later options override earlier ones in
 * QEMU too), or NULL. */
const char *np_qemu_props_get(const np_qemu_props *l, const char *key);

void np_qemu_props_clear(np_qemu_props *l);

/* -numa node,nodeid=N,memdev=ID: the guest node a backend holds. */
typedef struct np_qemu_numa_link {
        char *memdev;
        int nodeid;
} np_qemu_numa_link;

/* -device DRIVER,memdev=ID: the memory device a backend is given to. */
typedef struct np_qemu_device_link {
        char *memdev;
        np_region_kind kind;
        char id[NP_ID_MAX];
        int node;
} np_qemu_device_link;

typedef struct np_qemu_graph {
        np_qemu_cmdline *cl;
        size_t cap;             /* of cl->backends */
        np_qemu_numa_link *links;
        size_t n_links, links_cap;
        np_qemu_device_link *devs;
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
} np_qemu_graph;

/* Adds what one group's properties say to the graph.  @id is the
 * -readconfig section's id ("" when it has none), NULL on the command
 * line, where an "id" property gives it.  0 or -errno with @err. */
typedef int (*np_qemu_group_fn)(np_qemu_graph *g, const char *id, const np_qemu_props *props,
                                struct np_error *err);

/* The reader of @group, or NULL for a group that does not place memory. */
np_qemu_group_fn np_qemu_graph_group(const char *group);

/* An empty graph: 0 or -ENOMEM with @err. */
int np_qemu_graph_init(np_qemu_graph *g, struct np_error *err);

/* Link what was read and hand the cmdline over in *@ret; with @implicit,
 * add the machine's own RAM when nothing else holds the guest's RAM. */
int np_qemu_graph_finish(np_qemu_graph *g, bool implicit, np_qemu_cmdline **ret,
                         struct np_error *err);

void np_qemu_graph_done(np_qemu_graph *g);

/* Replace the string *@dst by a copy of @s: 0 or -ENOMEM with @err. */
int np_qemu_graph_set_string(char **dst, const char *s, struct np_error *err);

/* The sections of a -readconfig file into @g (qemu_readconfig.c);
 * @filename is for messages. */
int np_qemu_readconfig_into(np_qemu_graph *g, const char *text, size_t len,
                            const char *filename, struct np_error *err);
