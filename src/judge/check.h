/* check.h: one VM checked end to end: intent + evidence -> verdicts.
 *
 * np_check_process() gathers the evidence (numa_maps, maps, cmdline,
 * tasks, cgroup, host nodes) through the sysroot, attributes mappings to
 * regions (attribute.c) and asks verdict.c, the one place that decides,
 * for a verdict per region, per thread and for the cgroup. */
#pragma once

#include "bitmap.h"
#include "intent.h"
#include "verdict.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct np_error;
struct np_sysroot;

typedef struct np_check_result {
        pid_t pid;
        np_verdict verdict;          /* worst of all below */
        np_region_result *regions;
        size_t n_regions;
        np_thread_result *threads;
        size_t n_threads, cap_threads;
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
