/* report_prom.c: a host's scan in the Prometheus text exposition format,
 * for node_exporter's textfile collector.
 *
 * The collector reads *.prom files as they are at scrape time and
 * rejects client timestamps, so every sample is a plain gauge and the
 * scan's own time is a metric (numaplace_scan_timestamp_seconds) an alert
 * can age.  Series are labelled by VM (domain, uuid, source, and the Nova
 * instance and flavor when the domain carries them) and, for memory, by
 * region, host node and page size in bytes.  Label values are escaped as
 * the format requires (backslash, double quote, newline) and invalid
 * UTF-8 is replaced, so a VM name can never break the file. */
#include "report_fleet.h"
#include "utf8.h"
#include "bitmap.h"

#include <errno.h>
#include <inttypes.h>

/* The text format escapes backslash, double quote and line feed in
 * label values. */
static const char *label_escape(unsigned char c)
{
        switch (c) {
        case '\\': return "\\\\";
        case '"': return "\\\"";
        case '\n': return "\\n";
        default: return NULL;
        }
}

static void label_value(FILE *out, const char *s)
{
        np_utf8_write(out, s, label_escape);
}

static void label(FILE *out, const char *name, const char *value, bool first)
{
        fprintf(out, "%s%s=\"", first ? "" : ",", name);
        label_value(out, value);
        fputc('"', out);
}

static void vm_labels(FILE *out, const np_scan_vm *vm)
{
        label(out, "domain", vm->name, true);
        label(out, "uuid", np_scan_vm_uuid(vm), false);
        label(out, "source", vm->source, false);
        if (vm->project)
                label(out, "project", vm->project, false);
        if (vm->intent && (vm->intent->nova_uuid || vm->intent->nova_flavor)) {
                label(out, "nova_instance", vm->intent->nova_uuid ? vm->intent->nova_uuid : "", false);
                label(out, "nova_flavor", vm->intent->nova_flavor ? vm->intent->nova_flavor : "", false);
        }
}

static void family(FILE *out, const char *name, const char *help)
{
        fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* One numaplace_region_* sample: VM labels, region, optional node, page
 * size. */
static void region_sample(FILE *out, const char *metric, const np_scan_vm *vm,
                          const np_region_result *rr, int node, uint64_t bytes)
{
        fprintf(out, "%s{", metric);
        vm_labels(out, vm);
        label(out, "region", rr->region->id, false);
        if (node >= 0)
                fprintf(out, ",node=\"%d\"", node);
        fprintf(out, ",pagesize=\"%" PRIu64 "\"} %" PRIu64 "\n", rr->region->pagesize_kib * 1024, bytes);
}

static int vm_compliant(const np_scan_vm *vm)
{
        return np_verdict_holds(np_scan_vm_verdict(vm));
}

static int vm_check_error(const np_scan_vm *vm)
{
        return np_verdict_unproven(np_scan_vm_verdict(vm));
}

static int vm_by_totals(const np_scan_vm *vm)
{
        return vm->result && vm->result->by_totals;
}

/* A family with one 0/1 sample per VM. */
static void vm_flags(FILE *out, const np_scan *scan, const char *metric, const char *help,
                     int (*value)(const np_scan_vm *vm))
{
        family(out, metric, help);
        for (size_t i = 0; i < scan->n_vms; i++) {
                fprintf(out, "%s{", metric);
                vm_labels(out, &scan->vms[i]);
                fprintf(out, "} %d\n", value(&scan->vms[i]));
        }
}

static void region_families(FILE *out, const np_scan *scan)
{
        family(out, "numaplace_region_bytes",
               "Resident bytes of a guest RAM region on a host NUMA node (every node it is bound to, and every node holding its pages).");
        for (size_t i = 0; i < scan->n_vms; i++) {
                const np_scan_vm *vm = &scan->vms[i];

                for (size_t r = 0; vm->result && r < vm->result->n_regions; r++) {
                        const np_region_result *rr = &vm->result->regions[r];
                        np_bitmap shown = rr->nodes_seen;

                        if (rr->region->has_nodes)
                                np_bitmap_or(&shown, &rr->region->nodes);
                        for (int n = np_bitmap_next(&shown, 0); n >= 0 && n < (int)NP_NODE_MAX;
                             n = np_bitmap_next(&shown, (unsigned)n + 1))
                                region_sample(out, "numaplace_region_bytes", vm, rr, n, rr->pages_kib[n] * 1024);
                }
        }
        family(out, "numaplace_region_off_node_bytes",
               "Resident bytes of a guest RAM region outside the host nodes it is bound to.");
        for (size_t i = 0; i < scan->n_vms; i++) {
                const np_scan_vm *vm = &scan->vms[i];

                for (size_t r = 0; vm->result && r < vm->result->n_regions; r++)
                        region_sample(out, "numaplace_region_off_node_bytes", vm, &vm->result->regions[r], -1,
                                      vm->result->regions[r].off_node_kib * 1024);
        }
}

static void node_bytes_family(FILE *out, const np_scan *scan)
{
        family(out, "numaplace_vm_node_bytes",
               "Bytes the VM's cgroup is charged on a host NUMA node, by type (anon, file, hugetlb_<page size in KiB>), from memory.numa_stat and hugetlb.<size>.numa_stat.");
        for (size_t i = 0; i < scan->n_vms; i++) {
                const np_scan_vm *vm = &scan->vms[i];
                const np_cgroup_stat *st = vm->result ? vm->result->numa_stat.stat : NULL;

                for (size_t r = 0; st && r < st->n_rows; r++) {
                        for (unsigned k = 0; k < st->rows[r].n_nodes; k++) {
                                fputs("numaplace_vm_node_bytes{", out);
                                vm_labels(out, vm);
                                label(out, "type", st->rows[r].name, false);
                                fprintf(out, ",node=\"%u\"} %" PRIu64 "\n", st->rows[r].nodes[k].node,
                                        st->rows[r].nodes[k].kib * 1024);
                        }
                }
        }
}

static void device_family(FILE *out, const np_scan *scan)
{
        family(out, "numaplace_device_off_node",
               "1 when a host PCI device of the VM sits on a NUMA node the VM is not bound to, else 0 (node is empty when the kernel does not know it).");
        for (size_t i = 0; i < scan->n_vms; i++) {
                const np_scan_vm *vm = &scan->vms[i];

                for (size_t d = 0; vm->result && d < vm->result->n_devices; d++) {
                        const np_device_result *dr = &vm->result->devices[d];
                        char node[16] = "";

                        if (dr->node >= 0)
                                snprintf(node, sizeof(node), "%d", dr->node);
                        fputs("numaplace_device_off_node{", out);
                        vm_labels(out, vm);
                        label(out, "address", dr->device->address, false);
                        label(out, "node", node, false);
                        label(out, "locality", np_locality_to_string(dr->locality), false);
                        fprintf(out, "} %d\n", dr->locality == NP_LOCALITY_REMOTE);
                }
        }
}

/* A family with one 0/1 sample per host check: whether its status is
 * @status or better (@exact: exactly @status). */
static void host_check_family(FILE *out, const np_hostcheck_report *rp, const char *metric,
                              const char *help, np_hostcheck_status status, bool exact)
{
        family(out, metric, help);
        for (size_t i = 0; i < rp->n_checks; i++) {
                fprintf(out, "%s{", metric);
                label(out, "check", rp->checks[i].name, true);
                fprintf(out, "} %d\n", exact ? rp->checks[i].status == status : rp->checks[i].status <= status);
        }
}

int np_report_scan_prometheus(FILE *out, const np_scan *scan)
{
        vm_flags(out, scan, "numaplace_vm_compliant",
                 "1 when the VM's memory and vCPUs sit where its configuration binds them (warnings allowed), else 0.",
                 vm_compliant);
        vm_flags(out, scan, "numaplace_vm_check_error",
                 "1 when the VM could not be checked or part of its placement could not be proven, else 0.",
                 vm_check_error);
        region_families(out, scan);
        vm_flags(out, scan, "numaplace_vm_checked_by_totals",
                 "1 when the VM was judged from its cgroup's per-node statistics alone (scan --screen: all its memory on its allowed nodes, no page walk), else 0.",
                 vm_by_totals);
        node_bytes_family(out, scan);
        device_family(out, scan);
        if (scan->host_checks) {
                host_check_family(out, scan->host_checks, "numaplace_host_check_ok",
                                  "1 when a host setting that can undo NUMA bindings passed (or does not apply), 0 when it warns or fails.",
                                  NP_HOSTCHECK_SKIP, false);
                host_check_family(out, scan->host_checks, "numaplace_host_check_failed",
                                  "1 when a host setting undoes NUMA bindings (numaplace host --check says FAIL), else 0.",
                                  NP_HOSTCHECK_FAIL, true);
        }
        family(out, "numaplace_scan_timestamp_seconds", "When the scan ran, in seconds since the epoch.");
        fprintf(out, "numaplace_scan_timestamp_seconds %" PRIu64 "\n", scan->timestamp);
        family(out, "numaplace_scan_duration_seconds", "How long the scan took.");
        fprintf(out, "numaplace_scan_duration_seconds %" PRIu64 ".%06" PRIu64 "\n",
                scan->duration_us / 1000000, scan->duration_us % 1000000);
        family(out, "numaplace_scan_vms", "VMs the scan found, checked or not.");
        fprintf(out, "numaplace_scan_vms %zu\n", scan->n_vms);
        return ferror(out) ? -EIO : 0;
}
