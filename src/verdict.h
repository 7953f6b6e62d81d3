/* verdict.h: the one place that decides compliant, warning, violation or
 * unverified.  Pure functions over what intent and evidence established;
 * no I/O. */
#pragma once

#include "attribute.h"
#include "check.h"
#include "intent.h"
#include "process.h"

#include <stddef.h>

/* Judge one region from the mappings attributed to it (@maps holds
 * pointers to those only).  @cgroup_mems is NULL when the process's cpuset
 * cgroup is unknown.  Fills every field of @ret. */
void np_verdict_for_region(const np_region *region, const np_mapping *const *maps,
                           size_t n_maps, np_match how, const np_bitmap *cgroup_mems,
                           const np_check_options *options, np_region_result *ret);

/* Where the region sits in the process's memory graph (attribute.h
 * np_graph_map()): the backend QEMU holds it in, if any. */
typedef struct np_region_graph {
        bool cmdline_known;     /* the QEMU command line was read */
        bool has_backend;
        const char *qemu_id;    /* the backend's id */
        uint64_t size_kib;      /* its size, 0 when not given */
        np_backing backing;
} np_region_graph;

/* The same, told the region's backend (@graph may be NULL): the result
 * names QEMU's id (ret->qemu_id), and a region
 * nothing was attributed to says what was looked for. */
void np_verdict_for_region_in(const np_region *region, const np_region_graph *graph,
                              const np_mapping *const *maps, size_t n_maps, np_match how,
                              const np_bitmap *cgroup_mems, const np_check_options *options,
                              np_region_result *ret);

/* Judge one thread's CPU affinity against the pin the XML gives its kind
 * and id (none: compliant, "not pinned").  Fills @ret. */
void np_verdict_for_thread(const np_task *task, const np_intent *intent,
                           np_thread_result *ret);

/* Judge the cgroup's cpuset.mems against the union of the bound nodes.
 * @cgroup_path NULL or "/" means the process is not confined. */
np_verdict np_verdict_for_cgroup(const np_intent *intent, const char *cgroup_path,
                                 const np_bitmap *cgroup_mems,
                                 char *reason, size_t len);

/* Judge the cgroup's per-node statistics (@ret->stat, may be NULL)
 * against the nodes @intent allows: the union of its regions' nodes.
 * Huge pages outside are a violation (QEMU's own allocations never use
 * hugetlb; a fallback of a preferred binding is @options' soft verdict);
 * anon and file memory outside a warning with the amount, since QEMU's
 * heap and the page cache may sit elsewhere when only the backends are
 * bound.  When @ret->walked, the process's own huge pages (@ret->walk)
 * that differ from the cgroup's are said, as a warning.  Sets
 * has_allowed, allowed, outside_kib, walk_disagrees, verdict and reason
 * of @ret. */
void np_verdict_for_numa_stat(const np_intent *intent, const np_check_options *options,
                              np_numa_stat_result *ret);

/* The worst of two verdicts. */
np_verdict np_verdict_worst(np_verdict a, np_verdict b);

/* Judge one host PCI device: @node is its host node (-1 when the kernel
 * does not know it), @present false when the host has no such device;
 * @wanted the nodes the VM's memory and vCPUs are bound to, or NULL when
 * nothing binds them.  Off-node is a warning under the preferred policy
 * and a violation under required and legacy; unknown locality is never
 * a violation (a warning under required, which cannot prove it).  Fills
 * every field of @ret but the device. */
void np_verdict_for_device(bool present, int node, const np_bitmap *wanted,
                           const np_check_options *options, np_device_result *ret);
