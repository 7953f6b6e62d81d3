/* attribute.h: which mappings of the QEMU process hold which guest region.
 *
 * Each region is first placed on the process's memory graph (the
 * backends its command line defines and what uses them), so the id that
 * counts is QEMU's, whatever the intent calls the region.  Criteria,
 * strongest first: that backend id in the mapping's file name (hugetlbfs
 * "qemu_back_mem.mem0.XXXX", RAM files ".../ram/1-x/ram-node0", the exact
 * mem-path QEMU was given); then, for mappings whose names say nothing
 * (anonymous, memfd, or a file naming no backend the graph knows), the
 * backend size together with the policy the backend was given; then the
 * size alone.  Size alone also matches glibc
 * arenas and other buffers, so it is used only when nothing better
 * matches and is reported as such. */
#pragma once

#include "bitmap.h"
#include "intent.h"
#include "numamaps.h"
#include "qemu_cmdline.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct np_sample_tally;

/* Where a mapping's policy fields come from. */
typedef enum np_policy_source {
        NP_POLICY_SOURCE_NONE,      /* unknown */
        NP_POLICY_SOURCE_NUMA_MAPS, /* the kernel's VMA policy */
        NP_POLICY_SOURCE_CMDLINE,   /* host-nodes and policy QEMU was given */
        NP_POLICY_SOURCE__COUNT,
} np_policy_source;

/* One mapping of the process that may hold guest RAM: maps joined with
 * numa_maps, or in sampled mode with QEMU's argv and a page sample. */
typedef struct np_mapping {
        uint64_t start, end;
        char *path;              /* "" when anonymous */
        bool shared;             /* 's' in maps perms */
        bool has_numa;           /* numa_maps had a line for it */
        np_policy_kind policy;
        bool has_policy_nodes;
        np_bitmap policy_nodes;
        char policy_text[NP_POLICY_TEXT_MAX];
        bool huge;               /* hugetlb */
        uint64_t pagesize_kib;   /* 0 when no page is present; sampled:
                                  * the mapping's page size */
        np_node_pages *nodes;
        unsigned n_nodes;
        int region;              /* index into the regions, -1 when none */
        np_policy_source policy_source;
        const struct np_sample_tally *sample; /* sampled mode; else NULL */
} np_mapping;

typedef enum np_match {
        NP_MATCH_NONE,
        NP_MATCH_NAME,        /* backend id or mem-path in the file name */
        NP_MATCH_SIZE_POLICY, /* exact size and the policy the backend was given */
        NP_MATCH_SIZE,        /* exact size only */
        NP_MATCH__COUNT,
} np_match;

/* Guest RAM regions are at least 1 MiB (libvirt rounds cells up to it). */
#define NP_CANDIDATE_MIN_KIB 1024

/* Whether a mapping is worth keeping while streaming /proc/PID/maps:
 * writable, not the heap, stack or vdso, and large enough to hold guest
 * RAM.  Decided without the intent, so the evidence can be read while
 * the domain XML is still being parsed; the number kept grows with the
 * number of large mappings (RAM, arenas, thread stacks), never with the
 * number of mappings or pages. */
bool np_mapping_is_candidate(const char *path, const char *perms, uint64_t size_kib);

/* Place each region of the intent on the process's memory graph, by
 * what it is rather than what it is called: the backend of the same id
 * when there is one (libvirt names them so), else the backend of guest
 * cell N (-numa node,nodeid=N,memdev=), the machine's RAM
 * (-machine memory-backend=, or the implicit RAM of a plain -m), or the
 * n-th memory device of the region's kind (-device pc-dimm,memdev= ...).
 * Each backend holds one region.  ret[r] is NULL when the graph has
 * nothing for region r (or @cmdline is NULL). */
void np_graph_map(const np_region *regions, size_t n_regions,
                  const np_qemu_cmdline *cmdline, const np_qemu_backend **ret);

/* Assign mappings to regions.  Pure: sets maps[i].region and
 * ret_how[r] for each region r (NP_MATCH_NONE when nothing was found).
 * @cmdline may be NULL (sizes then come from the intent alone).
 * @ret_backend, when not NULL, gets np_graph_map()'s answer. */
void np_attribute(const np_region *regions, size_t n_regions,
                  const np_qemu_cmdline *cmdline, np_mapping *maps,
                  size_t n_maps, np_match *ret_how);
void np_attribute_graph(const np_region *regions, size_t n_regions,
                        const np_qemu_cmdline *cmdline, np_mapping *maps,
                        size_t n_maps, np_match *ret_how,
                        const np_qemu_backend **ret_backend);

/* Whether @path names backend @id the way QEMU and libvirt name backing
 * files: QEMU's "qemu_back_mem.<id>.XXXXXX" exactly, else the id as a
 * whole token in the file name (libvirt's RAM files, mem-path files). */
bool np_path_names_backend(const char *path, const char *id);

const char *np_match_to_string(np_match how); /* "name", "size+policy", "size", "" */

/* How a libvirt numatune mode reaches the kernel, the one mapping every
 * reader and judge uses.  QEMU binds a backend with mbind(2) from its
 * policy= and host-nodes=; numa_maps then shows the kernel's policy.
 * Restrictive mode gives QEMU no policy (the cgroup's cpuset.mems
 * confines the memory), yet a bind within its nodes confines it too. */

/* The policy= word of a QEMU memory backend for @mode: "bind",
 * "preferred", "interleave"; "default" when the mode gives none. */
const char *np_mode_qemu_policy(np_mode mode);

/* The mode a backend's policy= word gives; NP_MODE_NONE for "default",
 * "" and words numaplace does not know. */
np_mode np_mode_of_qemu_policy(const char *policy);

/* The kernel policy mbind(2) with @mode's word over @n_nodes nodes
 * makes numa_maps show: bind, prefer (prefer (many) over several
 * nodes), interleave; default when the mode gives QEMU no policy. */
np_policy_kind np_mode_kernel_policy(np_mode mode, unsigned n_nodes);

/* Whether the kernel policy @kind carries @mode's binding (the nodes
 * are the caller's to compare): bind for strict and restrictive, prefer
 * and prefer (many) for preferred, interleave and weighted interleave
 * for interleave; nothing for no mode. */
bool np_mode_policy_holds(np_mode mode, np_policy_kind kind);
