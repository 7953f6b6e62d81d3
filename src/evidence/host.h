/* host.h: the host's NUMA nodes from /sys/devices/system/node.
 *
 * Read directly (not through hwloc or libnuma) so the start hook stays
 * cheap and a replayed tree is read exactly as captured. */
#pragma once

#include "bitmap.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct np_error;
struct np_sysroot;

typedef struct np_hugepool {
        uint64_t size_kib;
        uint64_t total;   /* nr_hugepages */
        uint64_t free;    /* free_hugepages */
        uint64_t surplus; /* surplus_hugepages */
} np_hugepool;

typedef struct np_host_node {
        unsigned id;
        np_bitmap cpus;
        uint64_t mem_total_kib;
        uint64_t mem_free_kib;
        np_hugepool *pools;    /* sorted by size */
        size_t n_pools;
        unsigned *distances;   /* indexed like host->nodes */
        size_t n_distances;
} np_host_node;

typedef struct np_host {
        np_host_node *nodes;   /* sorted by id */
        size_t n_nodes;
        np_bitmap online;
        np_bitmap with_memory; /* has_memory */
        uint64_t default_hugepage_kib; /* /proc/meminfo Hugepagesize, 0 if none */
} np_host;

/* Read every node below @root.  A machine without
 * /sys/devices/system/node (NUMA off) is one node 0 holding every CPU and
 * all of /proc/meminfo. */
int np_host_read(const struct np_sysroot *root, np_host **ret,
                 struct np_error *err);

const np_host_node *np_host_node_get(const np_host *host, unsigned id);
const np_hugepool *np_host_node_pool(const np_host_node *node, uint64_t size_kib);

void np_host_free(np_host *host);
