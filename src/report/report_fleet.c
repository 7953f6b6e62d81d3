/* report_fleet.c: the scan's verdicts and its JSON document.  Field
 * names are a contract, as for the check document: fields are added,
 * never renamed. */
#include "report_fleet.h"
#include "host.h"
#include "json.h"
#include "report.h"
#include "verdict.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

np_verdict np_scan_vm_verdict(const np_scan_vm *vm)
{
        return np_verdict_for_vm(vm->result != NULL, vm->result ? vm->result->verdict : NP_VERDICT_ERROR,
                                 np_findings_verdict(&vm->findings));
}

np_verdict np_scan_verdict(const np_scan *scan)
{
        np_verdict v = NP_VERDICT_COMPLIANT;

        for (size_t i = 0; i < scan->n_vms; i++)
                v = np_verdict_worst(v, np_scan_vm_verdict(&scan->vms[i]));
        return v;
}

/* ---- JSON ------------------------------------------------------------------ */

static void host_json(np_json *j, const np_scan *scan)
{
        np_json_key(j, "host");
        np_json_object_begin(j);
        np_json_kv_string(j, "hostname", scan->hostname);
        np_json_key(j, "default_hugepage_kib");
        if (scan->host && scan->host->default_hugepage_kib)
                np_json_u64(j, scan->host->default_hugepage_kib);
        else
                np_json_null(j);
        np_json_key(j, "nodes");
        np_json_array_begin(j);
        for (size_t i = 0; scan->host && i < scan->host->n_nodes; i++) {
                const np_host_node *nd = &scan->host->nodes[i];
                char cpus[1024];

                np_bitmap_format(&nd->cpus, cpus, sizeof(cpus));
                np_json_object_begin(j);
                np_json_kv_u64(j, "node", nd->id);
                np_json_kv_string(j, "cpus", cpus);
                np_json_kv_u64(j, "memory_kib", nd->mem_total_kib);
                np_json_kv_u64(j, "free_kib", nd->mem_free_kib);
                np_json_key(j, "hugepages");
                np_json_array_begin(j);
                for (size_t k = 0; k < nd->n_pools; k++) {
                        np_json_object_begin(j);
                        np_json_kv_u64(j, "size_kib", nd->pools[k].size_kib);
                        np_json_kv_u64(j, "total", nd->pools[k].total);
                        np_json_kv_u64(j, "free", nd->pools[k].free);
                        np_json_kv_u64(j, "surplus", nd->pools[k].surplus);
                        np_json_object_end(j);
                }
                np_json_array_end(j);
                np_json_object_end(j);
        }
        np_json_array_end(j);
        if (scan->host_checks) {
                np_json_key(j, "checks");
                np_hostcheck_checks_json(j, scan->host_checks);
        }
        np_json_object_end(j);
}

static int vm_json(np_json *j, const np_scan_vm *vm)
{
        char summary[4096];

        np_json_object_begin(j);
        np_json_kv_string(j, "name", vm->name);
        np_json_kv_string(j, "uuid", vm->intent ? vm->intent->uuid : NULL);
        np_json_kv_string(j, "source", vm->source);
        if (vm->project)
                np_json_kv_string(j, "project", vm->project);
        np_json_key(j, "pid");
        if (vm->pid)
                np_json_i64(j, vm->pid);
        else
                np_json_null(j);
        if (vm->intent && (vm->intent->nova_uuid || vm->intent->nova_flavor)) {
                np_json_key(j, "nova");
                np_json_object_begin(j);
                np_json_kv_string(j, "uuid", vm->intent->nova_uuid);
                np_json_kv_string(j, "flavor", vm->intent->nova_flavor);
                np_json_object_end(j);
        }
        np_json_kv_string(j, "verdict", np_verdict_to_string(np_scan_vm_verdict(vm)));
        np_scan_vm_summary(vm, summary, sizeof(summary));
        np_json_kv_string(j, "summary", summary);
        np_json_kv_string(j, "error", vm->error);
        np_json_key(j, "findings");
        np_json_array_begin(j);
        for (size_t i = 0; i < vm->findings.n; i++) {
                np_json_object_begin(j);
                np_json_kv_string(j, "subject", vm->findings.items[i].subject);
                np_json_kv_string(j, "verdict", np_verdict_to_string(vm->findings.items[i].verdict));
                np_json_kv_string(j, "reason", vm->findings.items[i].reason);
                np_json_object_end(j);
        }
        np_json_array_end(j);
        np_json_key(j, "check");
        if (vm->result && vm->intent) {
                char *doc = NULL;
                size_t len = 0;
                FILE *mem = open_memstream(&doc, &len);
                int r;

                if (!mem)
                        return -ENOMEM;
                r = np_report_check_json(mem, vm->intent, vm->result, false);
                if (fclose(mem) != 0 || r < 0) {
                        free(doc);
                        return -ENOMEM;
                }
                np_json_raw(j, doc);
                free(doc);
        } else {
                np_json_null(j);
        }
        np_json_object_end(j);
        return 0;
}

int np_report_scan_json(FILE *out, const np_scan *scan)
{
        size_t counts[NP_VERDICT__COUNT] = { 0 }, by_totals = 0;
        np_json j;

        for (size_t i = 0; i < scan->n_vms; i++) {
                counts[np_scan_vm_verdict(&scan->vms[i])]++;
                by_totals += scan->vms[i].result && scan->vms[i].result->by_totals;
        }
        np_json_init(&j, out, true);
        np_json_object_begin(&j);
        np_json_kv_string(&j, "verdict", np_verdict_to_string(np_scan_verdict(scan)));
        host_json(&j, scan);
        np_json_key(&j, "scan");
        np_json_object_begin(&j);
        np_json_kv_u64(&j, "timestamp", scan->timestamp);
        np_json_kv_u64(&j, "duration_ms", scan->duration_us / 1000);
        np_json_kv_u64(&j, "vms", scan->n_vms);
        for (int v = 0; v < NP_VERDICT__COUNT; v++)
                np_json_kv_u64(&j, np_verdict_to_string((np_verdict)v), counts[v]);
        /* VMs judged from their cgroup statistics alone (--screen) */
        np_json_kv_u64(&j, "checked_by_totals", by_totals);
        np_json_object_end(&j);
        np_json_key(&j, "vms");
        np_json_array_begin(&j);
        for (size_t i = 0; i < scan->n_vms; i++)
                if (vm_json(&j, &scan->vms[i]) < 0)
                        return -ENOMEM;
        np_json_array_end(&j);
        np_json_object_end(&j);
        return np_json_finish(&j);
}
