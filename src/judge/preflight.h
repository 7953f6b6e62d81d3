/* preflight.h: what a VM's configuration demands of the host, checked
 * before QEMU exists.
 *
 * The libvirt hook runs this at `prepare begin`.  It catches what would
 * otherwise surface only after the start: a strictly bound hugepage
 * region whose nodes lack free pages (QEMU's preallocation dies with
 * SIGBUS), a preferred one that would silently fall back to another node,
 * and bindings to nodes that do not exist or have no memory. */
#pragma once

#include "bitmap.h"
#include "intent.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct np_error;
struct np_host;

typedef enum np_shortfall_kind {
        NP_SHORTFALL_NO_SUCH_NODE,   /* bound to nodes the host does not have */
        NP_SHORTFALL_NO_MEMORY,      /* bound to nodes without memory */
        NP_SHORTFALL_NO_PAGESIZE,    /* default huge page size asked, host has none */
        NP_SHORTFALL_UNALIGNED,      /* size not a whole number of pages */
        NP_SHORTFALL_HUGEPAGES,      /* not enough free huge pages */
        NP_SHORTFALL__COUNT,
} np_shortfall_kind;

#define NP_SHORTFALL_REGIONS_MAX 256
#define NP_SHORTFALL_MESSAGE_MAX 1024

typedef struct np_shortfall {
        np_shortfall_kind kind;
        char regions[NP_SHORTFALL_REGIONS_MAX]; /* "ram-node0, ram-node1" */
        bool preferred_only;    /* every region concerned is bound
                                 * "preferred": the kernel falls back
                                 * instead of failing */
        np_bitmap nodes;        /* the nodes the figures are about */
        uint64_t pagesize_kib;  /* HUGEPAGES, UNALIGNED, NO_PAGESIZE */
        uint64_t needed;        /* HUGEPAGES: pages the regions need */
        uint64_t available;     /* HUGEPAGES: free pages on @nodes */
        char message[NP_SHORTFALL_MESSAGE_MAX]; /* one sentence with the figures */
} np_shortfall;

typedef struct np_preflight {
        np_shortfall *items;
        size_t n_items, cap_items;
} np_preflight;

/* Compare what @intent demands with @host.  Pure: reads nothing but its
 * arguments.  Regions asking for the host's default huge page size use
 * host->default_hugepage_kib.  Huge page demand is summed over the VM's
 * regions per page size; a region may take pages from any of its allowed
 * nodes, and a set of regions is short when the regions confined to a set
 * of nodes need more pages than those nodes have free together (every
 * such union of allowed sets is tried, and the smallest short ones are
 * reported).  Regions without a node binding may use every node with
 * memory.  Returns 0 with a list (possibly empty) in @ret, or -ENOMEM. */
int np_preflight_run(const np_intent *intent, const struct np_host *host,
                     np_preflight **ret, struct np_error *err);

/* The messages joined with "; " into @buf.  Returns the length needed
 * (like snprintf). */
size_t np_preflight_summary(const np_preflight *preflight, char *buf, size_t len);

void np_preflight_free(np_preflight *preflight);

/* "no-such-node", "no-memory", "no-pagesize", "unaligned", "hugepages". */
const char *np_shortfall_kind_to_string(np_shortfall_kind kind);
