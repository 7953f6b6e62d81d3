/* report_fleet.c: a host's scan as JSON, JUnit XML and Prometheus text. */
#include "report_fleet.h"
#include "host.h"
#include "json.h"
#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

np_verdict np_scan_vm_verdict(const np_scan_vm *vm)
{
        return vm->result ? vm->result->verdict : NP_VERDICT_ERROR;
}

np_verdict np_scan_verdict(const np_scan *scan)
{
        np_verdict v = NP_VERDICT_COMPLIANT;

        for (size_t i = 0; i < scan->n_vms; i++) {
                np_verdict w = np_scan_vm_verdict(&scan->vms[i]);

                if (w > v)
                        v = w;
        }
        return v;
}

static const char *vm_uuid(const np_scan_vm *vm)
{
        return vm->intent && vm->intent->uuid ? vm->intent->uuid : "";
}

/* ---- JSON ----------------------------------------------------------------- */

static void host_json(np_json *j, const np_scan *scan)
{
        np_json_key(j, "host");
        np_json_object_begin(j);
        np_json_kv_string(j, "hostname", scan->hostname);
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
                        np_json_object_end(j);
                }
                np_json_array_end(j);
                np_json_object_end(j);
        }
        np_json_array_end(j);
        np_json_object_end(j);
}

int np_report_scan_json(FILE *out, const np_scan *scan)
{
        np_json j;

        np_json_init(&j, out, true);
        np_json_object_begin(&j);
        np_json_kv_string(&j, "verdict", np_verdict_to_string(np_scan_verdict(scan)));
        host_json(&j, scan);
        np_json_key(&j, "scan");
        np_json_object_begin(&j);
        np_json_kv_u64(&j, "timestamp", scan->timestamp);
        np_json_kv_u64(&j, "duration_ms", scan->duration_ms);
        np_json_kv_u64(&j, "vms", scan->n_vms);
        np_json_object_end(&j);
        np_json_key(&j, "vms");
        np_json_array_begin(&j);
        for (size_t i = 0; i < scan->n_vms; i++) {
                const np_scan_vm *vm = &scan->vms[i];

                np_json_object_begin(&j);
                np_json_kv_string(&j, "name", vm->name);
                np_json_kv_string(&j, "uuid", vm->intent ? vm->intent->uuid : NULL);
                np_json_kv_string(&j, "source", vm->source);
                np_json_key(&j, "pid");
                if (vm->pid)
                        np_json_i64(&j, vm->pid);
                else
                        np_json_null(&j);
                if (vm->intent && (vm->intent->nova_uuid || vm->intent->nova_flavor)) {
                        np_json_key(&j, "nova");
                        np_json_object_begin(&j);
                        np_json_kv_string(&j, "uuid", vm->intent->nova_uuid);
                        np_json_kv_string(&j, "flavor", vm->intent->nova_flavor);
                        np_json_object_end(&j);
                }
                np_json_kv_string(&j, "verdict", np_verdict_to_string(np_scan_vm_verdict(vm)));
                np_json_kv_string(&j, "error", vm->error);
                np_json_key(&j, "check");
                if (vm->result) {
                        char *doc = NULL;
                        size_t len = 0;
                        FILE *mem = open_memstream(&doc, &len);

                        if (!mem)
                                return -ENOMEM;
                        np_report_check_json(mem, vm->intent, vm->result, false);
                        fclose(mem);
                        np_json_raw(&j, doc);
                        free(doc);
                } else {
                        np_json_null(&j);
                }
                np_json_object_end(&j);
        }
        np_json_array_end(&j);
        np_json_object_end(&j);
        return np_json_finish(&j);
}

/* ---- JUnit ---------------------------------------------------------------- */

static void xml_text(FILE *out, const char *s)
{
        for (; s && *s; s++) {
                switch (*s) {
                case '&': fputs("&amp;", out); break;
                case '<': fputs("&lt;", out); break;
                case '>': fputs("&gt;", out); break;
                case '"': fputs("&quot;", out); break;
                case '\'': fputs("&apos;", out); break;
                default:
                        /* XML 1.0 allows no other control characters */
                        if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                                fputc(' ', out);
                        else
                                fputc(*s, out);
                }
        }
}

int np_report_scan_junit(FILE *out, const np_scan *scan)
{
        size_t failures = 0, errors = 0;
        char ts[32];
        time_t t = (time_t)scan->timestamp;
        struct tm tm;

        for (size_t i = 0; i < scan->n_vms; i++) {
                np_verdict v = np_scan_vm_verdict(&scan->vms[i]);

                if (v == NP_VERDICT_VIOLATION)
                        failures++;
                else if (v == NP_VERDICT_ERROR || v == NP_VERDICT_UNVERIFIED)
                        errors++;
        }
        gmtime_r(&t, &tm);
        strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);

        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n", out);
        fputs("  <testsuite name=\"numaplace ", out);
        xml_text(out, scan->hostname);
        fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"0\" time=\"%" PRIu64 ".%03" PRIu64 "\" timestamp=\"%s\" hostname=\"",
                scan->n_vms, failures, errors, scan->duration_ms / 1000, scan->duration_ms % 1000, ts);
        xml_text(out, scan->hostname);
        fputs("\">\n", out);
        for (size_t i = 0; i < scan->n_vms; i++) {
                const np_scan_vm *vm = &scan->vms[i];
                np_verdict v = np_scan_vm_verdict(vm);
                char summary[4096];

                fputs("    <testcase classname=\"numaplace.", out);
                xml_text(out, scan->hostname);
                fputs("\" name=\"", out);
                xml_text(out, vm->name);
                fputs("\" time=\"0\">\n", out);
                if (vm->result)
                        np_report_summary(vm->result, summary, sizeof(summary));
                else
                        snprintf(summary, sizeof(summary), "%s", vm->error ? vm->error : "not checked");
                if (v == NP_VERDICT_VIOLATION || v == NP_VERDICT_ERROR || v == NP_VERDICT_UNVERIFIED) {
                        const char *el = v == NP_VERDICT_VIOLATION ? "failure" : "error";

                        fprintf(out, "      <%s type=\"%s\" message=\"", el, np_verdict_to_string(v));
                        xml_text(out, summary);
                        fputs("\">", out);
                        xml_text(out, summary);
                        fprintf(out, "</%s>\n", el);
                }
                fputs("      <system-out>", out);
                fprintf(out, "verdict %s", np_verdict_to_string(v));
                if (*vm_uuid(vm)) {
                        fputs("; uuid ", out);
                        xml_text(out, vm_uuid(vm));
                }
                if (vm->intent && vm->intent->nova_uuid) {
                        fputs("; nova instance ", out);
                        xml_text(out, vm->intent->nova_uuid);
                        fputs(", flavor ", out);
                        xml_text(out, vm->intent->nova_flavor ? vm->intent->nova_flavor : "");
                }
                fputs("; ", out);
                xml_text(out, summary);
                fputs("</system-out>\n    </testcase>\n", out);
        }
        fputs("  </testsuite>\n</testsuites>\n", out);
        return ferror(out) ? -EIO : 0;
}

/* ---- Prometheus --------------------------------------------------------- */

static void label_value(FILE *out, const char *s)
{
        for (; s && *s; s++) {
                if (*s == '\\' || *s == '"')
                        fputc('\\', out);
                if (*s == '\n')
                        fputs("\\n", out);
                else
                        fputc(*s, out);
        }
}

static void vm_labels(FILE *out, const np_scan_vm *vm)
{
        fputs("domain=\"", out);
        label_value(out, vm->name);
        fputs("\",uuid=\"", out);
        label_value(out, vm_uuid(vm));
        fputs("\"", out);
        if (vm->intent && vm->intent->nova_uuid) {
                fputs(",nova_instance=\"", out);
                label_value(out, vm->intent->nova_uuid);
                fputs("\",nova_flavor=\"", out);
                label_value(out, vm->intent->nova_flavor);
                fputs("\"", out);
        }
}

int np_report_scan_prometheus(FILE *out, const np_scan *scan)
{
        fputs("# HELP numaplace_vm_compliant 1 when the VM's memory and vCPUs sit where its configuration binds them (warnings allowed), else 0.\n"
              "# TYPE numaplace_vm_compliant gauge\n", out);
        for (size_t i = 0; i < scan->n_vms; i++) {
                np_verdict v = np_scan_vm_verdict(&scan->vms[i]);

                fputs("numaplace_vm_compliant{", out);
                vm_labels(out, &scan->vms[i]);
                fprintf(out, "} %d\n", v <= NP_VERDICT_WARNING);
        }
        fputs("# HELP numaplace_vm_check_error 1 when the VM could not be checked or a region could not be attributed.\n"
              "# TYPE numaplace_vm_check_error gauge\n", out);
        for (size_t i = 0; i < scan->n_vms; i++) {
                np_verdict v = np_scan_vm_verdict(&scan->vms[i]);

                fputs("numaplace_vm_check_error{", out);
                vm_labels(out, &scan->vms[i]);
                fprintf(out, "} %d\n", v == NP_VERDICT_ERROR || v == NP_VERDICT_UNVERIFIED);
        }
        fputs("# HELP numaplace_region_bytes Resident bytes of a guest RAM region per host NUMA node.\n"
              "# TYPE numaplace_region_bytes gauge\n", out);
        for (size_t i = 0; i < scan->n_vms; i++) {
                const np_scan_vm *vm = &scan->vms[i];

                for (size_t r = 0; vm->result && r < vm->result->n_regions; r++) {
                        const np_region_result *rr = &vm->result->regions[r];
                        np_bitmap shown = rr->nodes_seen;

                        if (rr->region->has_nodes)
                                np_bitmap_or(&shown, &rr->region->nodes);
                        for (int n = np_bitmap_next(&shown, 0); n >= 0 && n < (int)NP_NODE_MAX;
                             n = np_bitmap_next(&shown, (unsigned)n + 1)) {
                                fputs("numaplace_region_bytes{", out);
                                vm_labels(out, vm);
                                fputs(",region=\"", out);
                                label_value(out, rr->region->id);
                                fprintf(out, "\",node=\"%d\",pagesize=\"%" PRIu64 "\"} %" PRIu64 "\n",
                                        n, rr->region->pagesize_kib * 1024, rr->pages_kib[n] * 1024);
                        }
                }
        }
        fputs("# HELP numaplace_region_off_node_bytes Resident bytes of a guest RAM region outside the nodes it is bound to.\n"
              "# TYPE numaplace_region_off_node_bytes gauge\n", out);
        for (size_t i = 0; i < scan->n_vms; i++) {
                const np_scan_vm *vm = &scan->vms[i];

                for (size_t r = 0; vm->result && r < vm->result->n_regions; r++) {
                        const np_region_result *rr = &vm->result->regions[r];

                        fputs("numaplace_region_off_node_bytes{", out);
                        vm_labels(out, vm);
                        fputs(",region=\"", out);
                        label_value(out, rr->region->id);
                        fprintf(out, "\",pagesize=\"%" PRIu64 "\"} %" PRIu64 "\n",
                                rr->region->pagesize_kib * 1024, rr->off_node_kib * 1024);
                }
        }
        fprintf(out, "# HELP numaplace_scan_timestamp_seconds When the scan ran (seconds since the epoch).\n"
                     "# TYPE numaplace_scan_timestamp_seconds gauge\n"
                     "numaplace_scan_timestamp_seconds %" PRIu64 "\n"
                     "# HELP numaplace_scan_duration_seconds How long the scan took.\n"
                     "# TYPE numaplace_scan_duration_seconds gauge\n"
                     "numaplace_scan_duration_seconds %" PRIu64 ".%03" PRIu64 "\n"
                     "# HELP numaplace_scan_vms VMs the scan found.\n"
                     "# TYPE numaplace_scan_vms gauge\n"
                     "numaplace_scan_vms %zu\n",
                scan->timestamp, scan->duration_ms / 1000, scan->duration_ms % 1000, scan->n_vms);
        return ferror(out) ? -EIO : 0;
}
