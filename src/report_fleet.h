/* report_fleet.h: one host's scan, for the tools fleets already run:
 * a JSON document, JUnit XML (Jenkins, GitLab) and the Prometheus
 * textfile format (node_exporter's textfile collector). */
#pragma once

#include "check.h"
#include "intent.h"

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct np_host;

typedef struct np_scan_vm {
        char *name;
        const char *source;        /* "libvirt" or "pid" */
        pid_t pid;                 /* 0 when unknown */
        np_intent *intent;         /* NULL when the configuration could not be read */
        np_check_result *result;   /* NULL when the VM could not be checked */
        char *error;               /* why, when it could not be checked */
} np_scan_vm;

typedef struct np_scan {
        char *hostname;
        const struct np_host *host;  /* NULL when /sys could not be read */
        uint64_t timestamp;        /* seconds since the epoch */
        uint64_t duration_ms;
        np_scan_vm *vms;
        size_t n_vms;
} np_scan;

/* The VM's verdict: its check's, or error when it could not be checked. */
np_verdict np_scan_vm_verdict(const np_scan_vm *vm);

/* The worst verdict of all VMs (compliant when there are none). */
np_verdict np_scan_verdict(const np_scan *scan);

/* {"verdict", "host": {...}, "scan": {...}, "vms": [{..., "check": {...}}]} */
int np_report_scan_json(FILE *out, const np_scan *scan);

/* <testsuites><testsuite> per host, <testcase> per VM, <failure> per
 * violation, <error> when a VM could not be checked. */
int np_report_scan_junit(FILE *out, const np_scan *scan);

/* node_exporter textfile format, every metric with # HELP and # TYPE. */
int np_report_scan_prometheus(FILE *out, const np_scan *scan);
