/* report_fleet.h: one host's scan, for the tools fleets already run:
 * a JSON document (report_fleet.c), JUnit XML as Jenkins and GitLab read
 * it (report_junit.c) and the Prometheus text format node_exporter's
 * textfile collector reads (report_prom.c), and one HTML page for people
 * (report_html.c).  The only core code besides
 * report.h that prints; each writer returns -EIO when the stream failed. */
#pragma once

#include "check.h"
#include "scan.h"

#include <stddef.h>
#include <stdio.h>

/* The VM's verdict: the worst of its check's and its findings', or
 * error when it could not be checked. */
np_verdict np_scan_vm_verdict(const np_scan_vm *vm);

/* The worst verdict of all VMs (compliant when there are none). */
np_verdict np_scan_verdict(const np_scan *scan);

/* One line for people: the findings and the check's summary (see
 * np_report_summary()) joined with "; ", or the error.  Returns the
 * length needed, like snprintf. */
size_t np_scan_vm_summary(const np_scan_vm *vm, char *buf, size_t len);

/* {"verdict", "host": {"hostname", "nodes": [...], "checks": [...]}, "scan": {...},
 *  "vms": [{"name", "uuid", "source", ..., "findings": [...],
 *           "check": <the numaplace check document>}]} */
int np_report_scan_json(FILE *out, const np_scan *scan);

/* <testsuites> with one <testsuite> for the host and one <testcase> per
 * VM; a <failure> per violation (region, thread, cgroup, device or
 * finding), an <error> per item that could not be proven and for a VM
 * that could not be checked.  Each host check is a testcase too: a
 * failure when it fails, skipped when it cannot apply. */
int np_report_scan_junit(FILE *out, const np_scan *scan);

/* node_exporter textfile format: every metric with # HELP and # TYPE,
 * label values escaped, one series per label set. */
int np_report_scan_prometheus(FILE *out, const np_scan *scan);

/* One self-contained HTML page (inline style, no script, nothing loaded
 * from elsewhere): host and time, VMs per verdict, the errors, and per VM
 * its verdict, reason and a bar per region of its bytes per host node,
 * memory off the bound nodes marked in colour and in words. */
int np_report_scan_html(FILE *out, const np_scan *scan);
