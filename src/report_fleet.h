/* report_fleet.h: one host's scan, for the tools fleets already run:
 * a JSON document (report_fleet.c), JUnit XML as Jenkins and GitLab read
 * it (report_junit.c) and the Prometheus text format node_exporter's
 * textfile collector reads (report_prom.c), and one HTML page for people
 * (report_html.c).  The only core code besides
 * report.h that prints; each writer returns -EIO when the stream failed. */
#pragma once

#include "check.h"
#include "hostcheck.h"
#include "intent.h"
#include "intent_lxd.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

/* The VM's verdict: the worst of its check's and its findings', or
 * error when it could not be checked. */
np_verdict np_scan_vm_verdict(const np_scan_vm *vm);

/* The worst verdict of all VMs (compliant when there are none). */
np_verdict np_scan_verdict(const np_scan *scan);

/* The UUID reports label a VM with ("" when it has none). */
const char *np_scan_vm_uuid(const np_scan_vm *vm);

/* One line for people: the findings and the check's summary (see
 * np_report_summary()) joined with "; ", or the error.  Returns the
 * length needed, like snprintf. */
size_t np_scan_vm_summary(const np_scan_vm *vm, char *buf, size_t len);

/* The next character of a UTF-8 string: its length in bytes, or 0 when
 * the bytes at @s are not valid UTF-8 (the writers put U+FFFD there).
 * Formats that must be valid UTF-8 (XML, the Prometheus text format)
 * read names from domain XMLs and directory names through it. */
size_t np_utf8_char_len(const char *s);

/* Write @s as valid UTF-8: U+FFFD for each byte that is not, and for
 * each single-byte character @escape's string when it returns one (NULL:
 * the character itself). */
void np_utf8_write(FILE *out, const char *s, const char *(*escape)(unsigned char c));

/* Release everything the scan owns (not the host). */
void np_scan_free(np_scan *scan);

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
