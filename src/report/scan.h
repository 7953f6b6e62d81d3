/* scan.h: one host's scan, the model `numaplace scan` fills in and every
 * fleet report (report_fleet.h) renders: the host, and per VM its
 * configuration, what the configuration alone shows, and its check or
 * why there is none. */
#pragma once

#include "check.h"
#include "hostcheck.h"
#include "intent.h"
#include "intent_lxd.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct np_host;

typedef struct np_scan_vm {
        char *name;                /* domain or instance name, unique in the scan */
        const char *source;        /* "libvirt", "lxd", "incus" or "pid" */
        char *project;             /* LXD/Incus project, or NULL */
        pid_t pid;                 /* 0 when unknown */
        np_intent *intent;         /* NULL when the configuration could not be read */
        np_findings findings;      /* what the configuration alone shows */
        np_check_result *result;   /* NULL when the VM could not be checked */
        char *error;               /* why, when it could not be checked */
        uint64_t duration_us;      /* time spent on this VM */
} np_scan_vm;

typedef struct np_scan {
        char *hostname;
        const struct np_host *host;  /* NULL when /sys could not be read */
        uint64_t timestamp;        /* seconds since the epoch */
        uint64_t duration_us;
        np_scan_vm *vms;
        size_t n_vms;
        np_hostcheck_report *host_checks; /* owned; NULL when not run */
} np_scan;

/* The UUID reports label a VM with ("" when it has none). */
const char *np_scan_vm_uuid(const np_scan_vm *vm);

/* Release everything the scan owns (not the host). */
void np_scan_free(np_scan *scan);
