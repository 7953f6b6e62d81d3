/* hostcheck.h: host settings that quietly work against NUMA bindings.
 *
 * np_hostcheck_read() reads the settings through the sysroot (sysctls,
 * KSM, THP, running processes, per-node counters and huge page pools);
 * np_hostcheck_judge() is a pure function of those values, of what the
 * host's VMs ask for (np_hostcheck_vms, filled from domain XMLs) and of
 * an earlier report's counters, and gives one pass/warn/fail/skip line
 * per check, in the manner of virt-host-validate. */
#pragma once

#include "intent.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct np_error;
struct np_host;
struct np_sysroot;

typedef enum np_hostcheck_status {
        NP_HOSTCHECK_PASS,
        NP_HOSTCHECK_SKIP,  /* cannot apply here (one node, no THP, ...) */
        NP_HOSTCHECK_WARN,
        NP_HOSTCHECK_FAIL,
        NP_HOSTCHECK__COUNT,
} np_hostcheck_status;

/* "pass", "skip", "warn", "fail". */
const char *np_hostcheck_status_to_string(np_hostcheck_status status);

/* Per-node allocation counters of /sys/devices/system/node/nodeN/numastat. */
typedef struct np_numastat {
        unsigned node;
        uint64_t hit, miss, foreign;
} np_numastat;

/* What was read.  A value that could not be read is -1 (numbers) or ""
 * (THP words): its check is skipped and says why. */
typedef struct np_hostcheck_values {
        const struct np_host *host;   /* nodes and pools; not owned */
        int numa_balancing;           /* /proc/sys/kernel/numa_balancing */
        int zone_reclaim_mode;        /* /proc/sys/vm/zone_reclaim_mode */
        int ksm_run;                  /* /sys/kernel/mm/ksm/run */
        int ksm_merge_across_nodes;
        int64_t ksm_pages_shared;
        int numad_pid;                /* 0: no numad process */
        char thp_enabled[32];         /* the bracketed word: always, madvise, never */
        char thp_defrag[32];
        np_numastat *numastat;
        size_t n_numastat;
} np_hostcheck_values;

/* Read the values below @root; @host is the host already read.
 * Returns 0 or -ENOMEM/-EINVAL with @err naming the file; unreadable
 * settings are not errors (see above), malformed ones are. */
int np_hostcheck_read(const struct np_sysroot *root, const struct np_host *host,
                      np_hostcheck_values **ret, struct np_error *err);
void np_hostcheck_values_free(np_hostcheck_values *values);

/* Huge pages of one size that domains need on one node (-1: on any of
 * the host's nodes, for regions bound to several or none). */
typedef struct np_hugepage_demand {
        int node;
        uint64_t size_kib;
        uint64_t pages;           /* every defined domain */
        uint64_t autostart_pages; /* the autostart ones */
} np_hugepage_demand;

/* What the host's VMs ask for. */
typedef struct np_hostcheck_vms {
        bool known;               /* false: the domains could not be listed */
        char why_unknown[256];
        size_t n_domains;
        size_t n_bound;           /* memory or vCPUs bound statically */
        size_t n_auto;            /* placement='auto' (numad decides) */
        size_t n_small_pages;     /* guest RAM on ordinary pages: THP matters */
        np_hugepage_demand *demand;
        size_t n_demand, cap_demand;
} np_hostcheck_vms;

/* Count one domain in: @autostart when libvirt starts it at boot (or
 * it is running and counts as such).  Returns 0 or -ENOMEM. */
int np_hostcheck_vms_add(np_hostcheck_vms *vms, const np_intent *intent, bool autostart);
void np_hostcheck_vms_done(np_hostcheck_vms *vms);

/* Counters of an earlier report, for their growth since. */
typedef struct np_hostcheck_previous {
        np_numastat *numastat;
        size_t n_numastat, cap_numastat;
} np_hostcheck_previous;

/* Parse an earlier `numaplace host --check --json` document (only its
 * "checks"[].counters are used).  @filename is only used in messages.
 * Returns 0, or -EINVAL with the file and byte offset in @err. */
int np_hostcheck_previous_parse(const char *text, size_t len, const char *filename,
                                np_hostcheck_previous *ret, struct np_error *err);
void np_hostcheck_previous_done(np_hostcheck_previous *prev);

#define NP_HOSTCHECK_NAME_MAX 64
#define NP_HOSTCHECK_TEXT_MAX 512

typedef struct np_hostcheck {
        char name[NP_HOSTCHECK_NAME_MAX];
        np_hostcheck_status status;
        char value[NP_HOSTCHECK_TEXT_MAX];
        char file[NP_HOSTCHECK_TEXT_MAX];
        char advice[NP_HOSTCHECK_TEXT_MAX];
        bool has_counters;        /* numastat: the counters, for the next report */
        np_numastat counters;
} np_hostcheck;

typedef struct np_hostcheck_report {
        np_hostcheck *checks;
        size_t n_checks, cap_checks;
} np_hostcheck_report;

/* Judge the values.  @prev may be NULL.  Returns 0 or -ENOMEM. */
int np_hostcheck_judge(const np_hostcheck_values *values, const np_hostcheck_vms *vms,
                       const np_hostcheck_previous *prev, np_hostcheck_report **ret);
void np_hostcheck_report_free(np_hostcheck_report *report);

/* The worst status of the report, skips aside (pass when it is empty). */
np_hostcheck_status np_hostcheck_worst(const np_hostcheck_report *report);

/* Exit code: 0 pass, skip and warn; 1 a failure. */
int np_hostcheck_exit_code(const np_hostcheck_report *report);

/* {"checks": [{"name", "status", "value", "file", "advice"[, "counters"]}]} */
int np_hostcheck_report_json(FILE *out, const np_hostcheck_report *report, bool pretty);

/* The "checks" array alone, as the value of the current key of @j (for
 * the scan's report). */
struct np_json;
void np_hostcheck_checks_json(struct np_json *j, const np_hostcheck_report *report);
