/* scan.c: one host's scan: its VMs and what owns them. */
#include "scan.h"

#include <stdlib.h>

void np_scan_free(np_scan *scan)
{
        for (size_t i = 0; i < scan->n_vms; i++) {
                np_scan_vm *vm = &scan->vms[i];

                free(vm->name);
                free(vm->project);
                free(vm->error);
                np_intent_free(vm->intent);
                np_findings_free(&vm->findings);
                np_check_result_free(vm->result);
        }
        free(scan->vms);
        free(scan->hostname);
        np_hostcheck_report_free(scan->host_checks);
        scan->host_checks = NULL;
        scan->vms = NULL;
        scan->n_vms = 0;
        scan->hostname = NULL;
}

const char *np_scan_vm_uuid(const np_scan_vm *vm)
{
        return vm->intent && vm->intent->uuid ? vm->intent->uuid : "";
}
