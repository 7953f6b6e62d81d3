/* verdict.h: the decider, the one place that decides.  Verdicts, their
 * names and exit codes, and every judgement: compliant, warning,
 * violation or unverified per region, thread, cgroup and device, the
 * pre-flight shortfalls, what an LXD qemu.conf shows, and (decide.h,
 * which includes this header) what the libvirt hook does about them.
 * Pure functions over what intent and evidence established; no I/O. */
#pragma once

#include "attribute.h"
#include "bitmap.h"
#include "cgroup_stat.h"
#include "intent.h"
#include "process.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Ordered by severity: the worst of several is the maximum. */
typedef enum np_verdict {
        NP_VERDICT_COMPLIANT,
        NP_VERDICT_WARNING,
        NP_VERDICT_UNVERIFIED,
        NP_VERDICT_VIOLATION,
        NP_VERDICT_ERROR,
        NP_VERDICT__COUNT,
} np_verdict;

/* How strictly a host PCI device must sit on the VM's nodes, in the
 * words of OpenStack Nova's hw:pci_numa_affinity_policy. */
typedef enum np_device_policy {
        NP_DEVICE_POLICY_PREFERRED, /* off-node is a warning (the default) */
        NP_DEVICE_POLICY_REQUIRED,  /* off-node is a violation, unknown locality a warning */
        NP_DEVICE_POLICY_LEGACY,    /* off-node is a violation, unknown locality is fine */
        NP_DEVICE_POLICY__COUNT,
} np_device_policy;

/* "preferred", "required", "legacy". */
const char *np_device_policy_to_string(np_device_policy policy);

/* Parse a policy word.  Returns 0 or -EINVAL; reports nothing. */
int np_device_policy_from_string(const char *s, np_device_policy *ret);

typedef struct np_check_options {
        bool preferred_is_violation; /* preferred fallback: violation, not warning */
        np_device_policy device_policy;
        unsigned interleave_imbalance_pct; /* warn when a node holds more than this % over even; 0 = default 25 */
        /* Sampled mode (sample.h): 0 walks every page (numa_maps);
         * N asks the kernel about N random pages per region instead,
         * for guests with at least sample_above_kib of RAM (0: all). */
        unsigned sample_pages;
        uint64_t sample_above_kib;
        uint64_t sample_seed;        /* 0: a random seed */
        /* The pid was found from the domain's name (libvirt's pid file
         * or API), not given: a QEMU libvirt named otherwise ("-name
         * guest=OTHER") is another guest on a reused pid, an error. */
        bool pid_from_name;
} np_check_options;

/* What a sample of a region's pages found (sampled mode only). */
typedef struct np_region_sample {
        bool sampled;                /* the figures below apply */
        bool exhaustive;             /* every page asked about: exact */
        unsigned requested;          /* N */
        uint64_t drawn, present, not_present, errors;
        uint64_t off_node;           /* present samples off the allowed nodes */
        uint64_t hits[NP_NODE_MAX];  /* present samples per node */
        uint64_t pagesize_kib;       /* of the mappings (the largest) */
        double confidence;           /* of the bounds: 0.999 */
        double off_node_bound;       /* fraction off the nodes is below this
                                      * (when off_node is 0) */
        double margin;               /* per-node shares are within this */
        uint64_t margin_kib;         /* the same in KiB of the region */
} np_region_sample;

#define NP_REASON_MAX 512

typedef struct np_region_result {
        const np_region *region;     /* points into the intent */
        char qemu_id[NP_ID_MAX];     /* QEMU's backend id for it; "" when the process has none known */
        np_verdict verdict;
        char reason[NP_REASON_MAX];
        bool attributed;             /* at least one mapping found */
        char how[32];                /* "name", "size+policy", "size", "" */
        size_t n_mappings;
        uint64_t mapped_kib;         /* VMA sizes */
        char policy_seen[128];       /* numa_maps policy text; "" when none */
        uint64_t seen_pagesize_kib;  /* 0 when nothing faulted */
        uint64_t pages_kib[NP_NODE_MAX]; /* resident KiB per host node */
        np_bitmap nodes_seen;        /* nodes with pages */
        uint64_t total_kib;
        uint64_t off_node_kib;       /* KiB outside the allowed nodes */
        /* where policy_seen comes from: numa_maps, or in sampled mode
         * QEMU's command line (what it was told, not what the kernel shows) */
        int policy_source;           /* np_policy_source */
        np_region_sample sample;     /* pages_kib, total_kib and off_node_kib
                                      * are estimates when sample.sampled
                                      * and not sample.exhaustive */
} np_region_result;

typedef struct np_thread_result {
        pid_t tid;
        char name[64];
        np_thread_kind kind;
        int id;
        bool has_wanted;
        np_bitmap cpus_wanted;
        np_bitmap cpus_seen;
        np_verdict verdict;
        char reason[NP_REASON_MAX];
} np_thread_result;

/* What the VM's cgroup statistics say (cgroup_stat.h) and how they
 * compare with the nodes the VM may use. */
typedef struct np_numa_stat_result {
        np_cgroup_stat *stat;        /* NULL when none could be read */
        char note[256];              /* why there are none */
        bool has_allowed;            /* every region is bound to known nodes */
        np_bitmap allowed;           /* the union of the regions' nodes */
        uint64_t outside_kib[NP_STAT_ROWS_MAX]; /* per row of @stat */
        /* the process's own huge pages per size and node (numa_maps),
         * for the cross-check; n_walk 0 when there was no walk */
        np_stat_row walk[NP_STAT_ROWS_MAX];
        size_t n_walk;
        bool walked;
        bool walk_disagrees;
        np_verdict verdict;
        char reason[NP_REASON_MAX];
} np_numa_stat_result;
/* Where a host PCI device sits against the nodes its VM is bound to. */
typedef enum np_locality {
        NP_LOCALITY_LOCAL,    /* on one of the VM's nodes */
        NP_LOCALITY_REMOTE,   /* on another node */
        NP_LOCALITY_UNBOUND,  /* the VM is bound to no node: nothing to compare */
        NP_LOCALITY_UNKNOWN,  /* the kernel does not know the node (numa_node -1) */
        NP_LOCALITY_ABSENT,   /* no such device on this host */
        NP_LOCALITY__COUNT,
} np_locality;

/* "local", "remote", "unbound", "unknown", "absent". */
const char *np_locality_to_string(np_locality locality);

typedef struct np_device_result {
        const np_hostdev *device;    /* points into the intent */
        int node;                    /* host node; -1 unknown or absent */
        bool has_wanted;
        np_bitmap nodes_wanted;      /* the VM's memory and vCPU nodes */
        np_locality locality;
        np_verdict verdict;
        char reason[NP_REASON_MAX];
} np_device_result;

/* "compliant", "warning", "unverified", "violation", "error". */
const char *np_verdict_to_string(np_verdict verdict);

/* The three things a verdict can mean, for exit codes and reports alike:
 * the binding holds (compliant, or a warning), it is broken (violation),
 * or it could not be proven (unverified, error). */
bool np_verdict_holds(np_verdict verdict);
bool np_verdict_unproven(np_verdict verdict);

/* Exit code for a verdict: 0 it holds, 1 violation, 2 trouble (error,
 * and unverified: the placement could not be proven). */
int np_verdict_exit_code(np_verdict verdict);

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

/* Judge a vCPU or I/O thread @pin names that the process has no
 * thread for: unverified (QEMU names its threads only with
 * debug-threads=on, and an unplugged vCPU has none).  Fills @ret. */
void np_verdict_for_missing_thread(const np_pin *pin, np_thread_result *ret);

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

/* A VM's verdict in a scan: an error when it could not be checked
 * (@checked false), else the worst of its check's (@check) and of what
 * its configuration shows (@findings). */
np_verdict np_verdict_for_vm(bool checked, np_verdict check, np_verdict findings);

/* Judge one host PCI device: @node is its host node (-1 when the kernel
 * does not know it), @present false when the host has no such device;
 * @wanted the nodes the VM's memory and vCPUs are bound to, or NULL when
 * nothing binds them.  Off-node is a warning under the preferred policy
 * and a violation under required and legacy; unknown locality is never
 * a violation (a warning under required, which cannot prove it).  Fills
 * every field of @ret but the device. */
void np_verdict_for_device(bool present, int node, const np_bitmap *wanted,
                           const np_check_options *options, np_device_result *ret);

/* A host PCI device whose node could not be read (@why says why):
 * unverified, its locality unknown.  Overrides the verdict, locality
 * and reason np_verdict_for_device() gave @ret. */
void np_verdict_for_unreadable_device(const char *why, np_device_result *ret);

/* Whether the cgroup statistics @stat show, for every huge page size
 * @intent's regions ask for, at least the pages they need (libvirt and
 * QEMU preallocate huge pages), and no huge pages of a size nobody
 * asked for: a VM backed by the wrong page size is not compliant by its
 * totals (np_check_screen()). */
bool np_verdict_hugepages_as_asked(const np_intent *intent, const np_cgroup_stat *stat);

/* Judge what an LXD qemu.conf told QEMU about backend @b against what
 * the instance config demands of its region @r, @source saying so in
 * the config's words ("limits.cpu.nodes is 1"): host-nodes within the
 * region's nodes and the policy= its mode takes.  Returns a violation
 * with a sentence in @reason, or compliant with "" (also when the
 * config binds the region to nothing). */
np_verdict np_verdict_for_lxd_binding(const np_region *r, const np_qemu_backend *b,
                                      const char *source, char *reason, size_t len);

/* The same for limits.memory.hugepages (@hugepages): a violation when
 * @b is not backed by huge pages. */
np_verdict np_verdict_for_lxd_hugepages(const np_region *r, const np_qemu_backend *b,
                                        bool hugepages, char *reason, size_t len);

/* An LXD VM whose instance config could not be read (@problem says
 * why, or NULL): unverified, since qemu.conf alone cannot show a
 * binding LXD left out.  The sentence goes to @reason. */
np_verdict np_verdict_for_lxd_without_config(const char *problem, char *reason, size_t len);

/* A qemu.conf without memory backends although the config binds the
 * memory (@source says how): a violation, with the sentence in @reason. */
np_verdict np_verdict_for_lxd_no_backend(const char *source, char *reason, size_t len);

/* qemu.conf's @n_backends memory backends holding @conf_bytes together
 * against limits.memory (@limit as written, NULL for LXD's default, of
 * @want_bytes): a warning with the sentence in @reason when they differ
 * by more than LXD's rounding (whole MiB per backend), else compliant
 * with "". */
np_verdict np_verdict_for_lxd_memory(uint64_t conf_bytes, size_t n_backends, uint64_t want_bytes,
                                     const char *limit, char *reason, size_t len);

struct np_shortfall;
struct np_preflight;

/* A pre-flight shortfall (preflight.h): a violation, or a warning when
 * every region it concerns is bound "preferred" (the kernel falls back
 * instead of failing) unless @preferred_is_violation. */
np_verdict np_verdict_for_shortfall(const struct np_shortfall *shortfall,
                                    bool preferred_is_violation);

/* The worst of the shortfalls' verdicts; compliant when there are none. */
np_verdict np_verdict_for_preflight(const struct np_preflight *preflight,
                                    bool preferred_is_violation);
