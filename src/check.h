/* check.h: one VM checked end to end: intent + evidence -> verdicts.
 *
 * np_check_process() gathers the evidence (numa_maps, maps, cmdline,
 * tasks, cgroup, host nodes) through the sysroot, attributes mappings to
 * regions (attribute.c) and asks verdict.c, the one place that decides,
 * for a verdict per region, per thread and for the cgroup. */
#pragma once

#include "bitmap.h"
#include "cgroup_stat.h"
#include "intent.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct np_error;
struct np_sysroot;

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

typedef struct np_check_result {
        pid_t pid;
        np_verdict verdict;          /* worst of all below */
        np_region_result *regions;
        size_t n_regions;
        np_thread_result *threads;
        size_t n_threads;
        bool has_cgroup_mems;
        np_bitmap cgroup_mems;
        char *cgroup_path;
        np_verdict cgroup_verdict;
        char cgroup_reason[NP_REASON_MAX];
        np_numa_stat_result numa_stat; /* part of the cgroup row */
        bool by_totals;              /* judged from the cgroup statistics alone: no walk */
        np_device_result *devices;   /* one per intent hostdev */
        size_t n_devices;
} np_check_result;

/* What was read of one process: its candidate mappings joined with
 * numa_maps, its threads, cgroup and QEMU argv.  Read without the intent,
 * so a caller can parse the domain XML at the same time. */
typedef struct np_evidence np_evidence;

/* Read the evidence of @pid below @root.  Returns 0, or -errno with @err
 * naming the file (-ESRCH: the process is not running or exited). */
int np_evidence_read(const struct np_sysroot *root, pid_t pid,
                     np_evidence **ret, struct np_error *err);

/* The same without numa_maps: maps, argv, tasks and cgroup, then
 * @n_samples pages per region of @intent asked about (sample.h); the
 * policy in force is then the one QEMU's command line gives each backend.
 * Needs the live system (-EOPNOTSUPP below another root).  Returns 0 or
 * -errno with @err saying why (-EPERM: not allowed to ask the kernel
 * about the process). */
int np_evidence_read_sampled(const struct np_sysroot *root, pid_t pid,
                             const np_intent *intent, unsigned n_samples,
                             uint64_t seed, np_evidence **ret,
                             struct np_error *err);

/* Whether @options make a check of @intent a sampled one. */
bool np_check_samples(const np_intent *intent, const np_check_options *options);

void np_evidence_free(np_evidence *evidence);

struct np_mapping;
struct np_process;

/* The candidate mappings of @evidence attributed to @intent's regions
 * (each one's .region says whose, -1 for none), as the judge sees them.
 * The array is the caller's to free(); its paths and node lists belong
 * to @evidence and live as long as it does.  Returns 0 or -ENOMEM. */
int np_evidence_attribute(const np_intent *intent, const np_evidence *evidence,
                          struct np_mapping **ret, size_t *ret_n);

/* Whether the process runs the guest @intent names (QEMU's -name
 * guest=, when both say one).  Returns 0 or -ESRCH with @err. */
int np_evidence_check_guest(const np_intent *intent, const np_evidence *evidence,
                            struct np_error *err);

/* The process the evidence was read from: threads, Mems_allowed, cgroup. */
const struct np_process *np_evidence_process(const np_evidence *evidence);

/* Judge @evidence against @intent.  Pure but for allocation: returns 0
 * with a result, or -ENOMEM. */
int np_check_judge(const np_intent *intent, const np_evidence *evidence,
                   const np_check_options *options, np_check_result **ret,
                   struct np_error *err);

/* Both of the above (sampled when np_check_samples()): check the running process @pid against @intent.  Returns 0 with a
 * result (whose verdict may be anything), or -errno when the evidence
 * could not be read at all (@err says which file and why). */
int np_check_process(const struct np_sysroot *root, const np_intent *intent,
                     pid_t pid, const np_check_options *options,
                     np_check_result **ret, struct np_error *err);

/* The fleet screen: judge @pid from what costs no page walk (threads,
 * cpuset, the cgroup's per-node statistics).  Returns 1 with a result
 * (by_totals set, no regions) when the VM is compliant by those alone:
 * every figure of its cgroup on its allowed nodes, the huge pages it
 * asks for all there, threads and cpuset compliant.  Returns 0 (no
 * result) when it takes the full check to judge it, -errno when the
 * process could not be read. */
int np_check_screen(const struct np_sysroot *root, const np_intent *intent,
                    pid_t pid, const np_check_options *options,
                    np_check_result **ret, struct np_error *err);
/* Judge the intent's host PCI devices: read each one's node below
 * @root (device.h) and the host's CPU-to-node map when vCPU pins need
 * it, fill @result's devices and raise its verdict.  Called by
 * np_check_process(); returns 0 or -ENOMEM.  A device that cannot be
 * read is judged, not an error. */
int np_check_devices(const struct np_sysroot *root, const np_intent *intent,
                     const np_check_options *options, np_check_result *result,
                     struct np_error *err);

void np_check_result_free(np_check_result *result);

const char *np_verdict_to_string(np_verdict verdict);

/* Exit code for a verdict: 0 compliant or warning, 1 violation, 2 trouble
 * (error, and unverified: the placement could not be proven). */
int np_verdict_exit_code(np_verdict verdict);
