/* report_summary.c: one line of text for people: the summary of a check
 * (syslog, the hook's messages) and of a scanned VM (the scan's table
 * and reports).  Documents for machines are in report_json.c. */
#include "report.h"
#include "report_fleet.h"

#include <stdarg.h>
#include <stdio.h>

void np_summary_appendf(char *buf, size_t len, size_t *used, const char *fmt, ...)
{
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vsnprintf(buf + (*used < len ? *used : len), *used < len ? len - *used : 0, fmt, ap);
        va_end(ap);
        if (n > 0)
                *used += (size_t)n;
}

size_t np_report_summary(const np_check_result *result, char *buf, size_t len)
{
        size_t used = 0;

#define APPEND(...) np_summary_appendf(buf, len, &used, __VA_ARGS__)

        if (len)
                buf[0] = '\0';
        for (size_t i = 0; i < result->n_regions; i++) {
                const np_region_result *rr = &result->regions[i];

                if (rr->verdict == NP_VERDICT_COMPLIANT)
                        continue;
                APPEND("%s%s: %s (%s)", used ? "; " : "", rr->region->id, rr->reason,
                       np_verdict_to_string(rr->verdict));
        }
        for (size_t i = 0; i < result->n_threads; i++) {
                const np_thread_result *t = &result->threads[i];

                if (t->verdict == NP_VERDICT_COMPLIANT)
                        continue;
                APPEND("%s%s: %s (%s)", used ? "; " : "", t->name, t->reason,
                       np_verdict_to_string(t->verdict));
        }
        if (result->cgroup_verdict != NP_VERDICT_COMPLIANT)
                APPEND("%scgroup: %s (%s)", used ? "; " : "", result->cgroup_reason,
                       np_verdict_to_string(result->cgroup_verdict));
        if (!used && result->by_totals)
                APPEND("compliant by totals: %s (cgroup statistics; no page walk)", result->numa_stat.reason);
        /* devices are named only when nothing else is wrong (and never
         * beside a compliance by totals) */
        else if (!used)
                for (size_t i = 0; i < result->n_devices; i++) {
                        const np_device_result *d = &result->devices[i];

                        if (d->verdict == NP_VERDICT_COMPLIANT)
                                continue;
                        APPEND("%sPCI %s: %s (%s)", used ? "; " : "", d->device->address, d->reason,
                               np_verdict_to_string(d->verdict));
                }
        if (!used)
                APPEND("all %zu region%s and %zu thread%s compliant", result->n_regions,
                       result->n_regions == 1 ? "" : "s", result->n_threads,
                       result->n_threads == 1 ? "" : "s");
#undef APPEND
        return used;
}

size_t np_scan_vm_summary(const np_scan_vm *vm, char *buf, size_t len)
{
        size_t used = 0;

#define APPEND(...) np_summary_appendf(buf, len, &used, __VA_ARGS__)

        if (len)
                buf[0] = '\0';
        if (!vm->result) {
                APPEND("%s", vm->error ? vm->error : "not checked");
                return used;
        }
        for (size_t i = 0; i < vm->findings.n; i++) {
                const np_finding *f = &vm->findings.items[i];

                if (f->verdict != NP_VERDICT_COMPLIANT)
                        APPEND("%s%s (%s)", used ? "; " : "", f->reason, np_verdict_to_string(f->verdict));
        }
        if (used && vm->result->verdict == NP_VERDICT_COMPLIANT)
                return used; /* "all regions compliant" would read as a contradiction */
        if (used)
                APPEND("; ");
        used += np_report_summary(vm->result, buf + (used < len ? used : len), used < len ? len - used : 0);
#undef APPEND
        return used;
}
