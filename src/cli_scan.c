/* cli_scan.c: `numaplace scan`: every running VM on the host, checked
 * one by one; one that cannot be checked is reported as such and never
 * stops the others.  Reports go to the terminal and, atomically, to the
 * files fleets collect (JSON, JUnit XML, Prometheus textfile). */
#include "atomic_file.h"
#include "check.h"
#include "cli.h"
#include "cli_libvirt.h"
#include "error.h"
#include "host.h"
#include "intent.h"
#include "report.h"
#include "report_fleet.h"
#include "sysroot.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { COL_VM, COL_SOURCE, COL_PID, COL_UUID, COL_VERDICT, COL_SUMMARY };

static const np_column scan_columns[] = {
        [COL_VM] = { "VM", 0.1, 0, "domain or instance name" },
        [COL_SOURCE] = { "SOURCE", 0.05, 0, "where it was found: libvirt, or pid (given on the command line)" },
        [COL_PID] = { "PID", 0.05, SCOLS_FL_RIGHT, "QEMU process" },
        [COL_UUID] = { "UUID", 0.1, 0, "domain UUID" },
        [COL_VERDICT] = { "VERDICT", 0.05, 0, "compliant, warning, violation, unverified or error" },
        [COL_SUMMARY] = { "SUMMARY", 0.5, SCOLS_FL_WRAP, "what is wrong, per region and thread, or why it could not be checked" },
};
#define N_COLUMNS (sizeof(scan_columns) / sizeof(scan_columns[0]))

static const int defaults[] = { COL_VM, COL_SOURCE, COL_PID, COL_VERDICT, COL_SUMMARY };

enum { OPT_SYSROOT = 0x100, OPT_PREFERRED, OPT_NO_LIBVIRT, OPT_JSON_FILE, OPT_JUNIT, OPT_PROM };

typedef struct pair {
        long pid;
        const char *xml;
} pair;

static void usage(FILE *f)
{
        fputs("Usage:\n"
              " numaplace scan [options]\n"
              "\nCheck every running VM on this host: every libvirt domain, and every\n"
              "--pid/--xml pair given.  A VM that cannot be checked is reported as an\n"
              "error and the scan goes on.\n"
              "\nOptions:\n"
              " -c, --connect URI        libvirt URI (read-only connection)\n"
              "     --no-libvirt         do not ask libvirt for domains\n"
              " -p, --pid PID            a QEMU process to check too, with --xml (repeatable)\n"
              " -x, --xml FILE           its domain XML; the Nth --xml goes with the Nth --pid\n"
              "     --preferred MODE     a preferred-mode fallback is a 'warning' (default) or a 'violation'\n"
              "     --sysroot DIR        read /proc, /sys and /run below DIR (implies --no-libvirt)\n"
              "     --json-file FILE     write the JSON report to FILE (atomically)\n"
              "     --junit FILE         write a JUnit XML report to FILE (atomically)\n"
              "     --prometheus FILE    write node_exporter textfile metrics to FILE (atomically)\n"
              "", f);
        np_output_help_options(f, false);
        fputs("\nSOURCE_DATE_EPOCH, when set, is the scan's timestamp and its duration is\n"
              "reported as 0 (reproducible reports).\n"
              "\nExit status: 0 every VM compliant (warnings allowed), 1 a violation,\n"
              "2 a VM that could not be checked or a report that could not be written.\n", f);
        np_output_help_columns(f, scan_columns, N_COLUMNS);
}

static char *host_name(const np_sysroot *root)
{
        char buf[256] = "", *s = NULL;

        if (root->live && gethostname(buf, sizeof(buf) - 1) == 0 && buf[0])
                return strdup(buf);
        if (np_sysroot_read_string(root, "/proc/sys/kernel/hostname", &s, NULL) == 0 && *s)
                return s;
        free(s);
        return strdup("unknown");
}

static int add_vm(np_scan *scan, const char *name, const char *source, np_scan_vm **ret)
{
        np_scan_vm *vms = realloc(scan->vms, (scan->n_vms + 1) * sizeof(*vms));

        if (!vms)
                return -ENOMEM;
        scan->vms = vms;
        *ret = &vms[scan->n_vms++];
        memset(*ret, 0, sizeof(**ret));
        (*ret)->source = source;
        (*ret)->name = strdup(name);
        return (*ret)->name ? 0 : -ENOMEM;
}

/* Check one VM whose intent is loaded; failures land in vm->error. */
static void check_vm(const np_sysroot *root, const np_check_options *opts, np_scan_vm *vm)
{
        np_error err = { "" };

        if (!vm->pid && np_libvirt_pid(root, vm->name, &vm->pid, &err) < 0) {
                vm->error = strdup(err.msg);
                return;
        }
        if (np_cli_complete_intent(root, vm->intent, NULL, &err) < 0 ||
            np_check_process(root, vm->intent, vm->pid, opts, &vm->result, &err) < 0)
                vm->error = strdup(err.msg);
}

static int scan_libvirt(const char *uri, const np_sysroot *root, const np_check_options *opts,
                        np_scan *scan, np_error *err)
{
        np_libvirt_domain *doms = NULL;
        size_t n = 0;
        int r;

        r = np_libvirt_running_domains(uri, &doms, &n, err);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                np_scan_vm *vm;
                np_error e = { "" };

                if (add_vm(scan, doms[i].name, "libvirt", &vm) < 0) {
                        r = np_err(err, ENOMEM, "out of memory");
                        break;
                }
                if (!doms[i].xml)
                        vm->error = strdup("its XML could not be had from libvirt (it stopped?)");
                else if (np_intent_from_domxml(doms[i].xml, strlen(doms[i].xml), doms[i].name,
                                               &vm->intent, &e) < 0)
                        vm->error = strdup(e.msg);
                else
                        check_vm(root, opts, vm);
        }
        for (size_t i = 0; i < n; i++) {
                free(doms[i].name);
                free(doms[i].xml);
        }
        free(doms);
        return r;
}

static int print_table(const np_output *out, const np_scan *scan)
{
        struct libscols_table *tb;

        if (!scan->n_vms) {
                if (!out->raw && !out->noheadings)
                        printf("no running VM found on %s\n", scan->hostname);
                return 0;
        }
        tb = np_output_table(out, scan_columns);
        if (!tb)
                return -1;
        for (size_t i = 0; i < scan->n_vms; i++) {
                const np_scan_vm *vm = &scan->vms[i];
                struct libscols_line *ln = scols_table_new_line(tb, NULL);

                for (size_t c = 0; ln && c < out->n_columns; c++) {
                        char buf[4096] = "";

                        switch (out->columns[c]) {
                        case COL_VM: snprintf(buf, sizeof(buf), "%s", vm->name); break;
                        case COL_SOURCE: snprintf(buf, sizeof(buf), "%s", vm->source); break;
                        case COL_PID:
                                if (vm->pid)
                                        snprintf(buf, sizeof(buf), "%d", (int)vm->pid);
                                break;
                        case COL_UUID:
                                snprintf(buf, sizeof(buf), "%s", vm->intent && vm->intent->uuid ? vm->intent->uuid : "");
                                break;
                        case COL_VERDICT: snprintf(buf, sizeof(buf), "%s", np_verdict_to_string(np_scan_vm_verdict(vm))); break;
                        case COL_SUMMARY:
                                if (vm->result)
                                        np_report_summary(vm->result, buf, sizeof(buf));
                                else
                                        snprintf(buf, sizeof(buf), "%s", vm->error ? vm->error : "");
                                break;
                        }
                        if (scols_line_set_data(ln, c, buf[0] ? buf : "-") < 0)
                                ln = NULL;
                }
                if (!ln) {
                        scols_unref_table(tb);
                        return -1;
                }
        }
        return np_output_print(tb);
}

static int write_report(const char *path, int (*render)(FILE *, const np_scan *),
                        const np_scan *scan)
{
        np_atomic_file af;
        np_error err = { "" };

        if (np_atomic_file_open(path, &af, &err) < 0) {
                np_warnx("%s", err.msg);
                return -1;
        }
        if (render(af.f, scan) < 0) {
                np_atomic_file_abort(&af);
                np_warnx("%s: not written (the previous file is kept)", path);
                return -1;
        }
        if (np_atomic_file_commit(&af, &err) < 0) {
                np_warnx("%s", err.msg);
                return -1;
        }
        return 0;
}

static void free_scan(np_scan *scan)
{
        for (size_t i = 0; i < scan->n_vms; i++) {
                free(scan->vms[i].name);
                free(scan->vms[i].error);
                np_intent_free(scan->vms[i].intent);
                np_check_result_free(scan->vms[i].result);
        }
        free(scan->vms);
        free(scan->hostname);
}

int np_cmd_scan(int argc, char **argv)
{
        static const struct option longopts[] = {
                { "connect", required_argument, NULL, 'c' },
                { "no-libvirt", no_argument, NULL, OPT_NO_LIBVIRT },
                { "pid", required_argument, NULL, 'p' },
                { "xml", required_argument, NULL, 'x' },
                { "preferred", required_argument, NULL, OPT_PREFERRED },
                { "sysroot", required_argument, NULL, OPT_SYSROOT },
                { "json-file", required_argument, NULL, OPT_JSON_FILE },
                { "junit", required_argument, NULL, OPT_JUNIT },
                { "prometheus", required_argument, NULL, OPT_PROM },
                { "json", no_argument, NULL, 'J' },
                { "raw", no_argument, NULL, 'r' },
                { "noheadings", no_argument, NULL, 'n' },
                { "output", required_argument, NULL, 'o' },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },
                { NULL, 0, NULL, 0 },
        };
        const char *uri = NULL, *sysroot = NULL, *json_file = NULL, *junit = NULL, *prom = NULL;
        long pids[256];
        const char *xmls[256];
        size_t n_pids = 0, n_xmls = 0;
        bool no_libvirt = false, trouble = false;
        np_check_options opts = { 0 };
        np_output out = { 0 };
        np_sysroot *root = NULL;
        np_host *host = NULL;
        np_scan scan = { 0 };
        np_error err = { "" };
        struct timespec t0, t1;
        const char *epoch = getenv("SOURCE_DATE_EPOCH");
        int c, code = NP_EXIT_TROUBLE;

        optind = 1;
        while ((c = getopt_long(argc, argv, "c:p:x:Jrno:hV", longopts, NULL)) != -1) {
                char *end;

                switch (c) {
                case 'c': uri = optarg; break;
                case OPT_NO_LIBVIRT: no_libvirt = true; break;
                case 'p':
                        if (n_pids == sizeof(pids) / sizeof(pids[0])) {
                                np_warnx("too many --pid options (at most %zu)", n_pids);
                                return NP_EXIT_TROUBLE;
                        }
                        errno = 0;
                        pids[n_pids] = strtol(optarg, &end, 10);
                        if (errno || *end || pids[n_pids] <= 0 || pids[n_pids] > 0x7fffffff) {
                                np_warnx("--pid: '%s' is not a process id", optarg);
                                return NP_EXIT_TROUBLE;
                        }
                        n_pids++;
                        break;
                case 'x':
                        if (n_xmls == sizeof(xmls) / sizeof(xmls[0])) {
                                np_warnx("too many --xml options (at most %zu)", n_xmls);
                                return NP_EXIT_TROUBLE;
                        }
                        xmls[n_xmls++] = optarg;
                        break;
                case OPT_PREFERRED:
                        if (strcmp(optarg, "violation") && strcmp(optarg, "warning")) {
                                np_warnx("--preferred: expected 'warning' or 'violation', not '%s'", optarg);
                                return NP_EXIT_TROUBLE;
                        }
                        opts.preferred_is_violation = strcmp(optarg, "violation") == 0;
                        break;
                case OPT_SYSROOT: sysroot = optarg; break;
                case OPT_JSON_FILE: json_file = optarg; break;
                case OPT_JUNIT: junit = optarg; break;
                case OPT_PROM: prom = optarg; break;
                case 'J': out.json = true; break;
                case 'r': out.raw = true; break;
                case 'n': out.noheadings = true; break;
                case 'o': out.columns_arg = optarg; break;
                case 'h': usage(stdout); return NP_EXIT_OK;
                case 'V': printf("numaplace %s\n", NP_VERSION); return NP_EXIT_OK;
                default:
                        fputs("Try 'numaplace scan --help' for more information.\n", stderr);
                        return NP_EXIT_TROUBLE;
                }
        }
        if (optind < argc) {
                np_warnx("unexpected argument '%s'", argv[optind]);
                return NP_EXIT_TROUBLE;
        }
        if (n_pids != n_xmls) {
                np_warnx("every --pid needs its --xml (%zu --pid, %zu --xml)", n_pids, n_xmls);
                return NP_EXIT_TROUBLE;
        }
        if (!out.json && np_output_columns(&out, scan_columns, N_COLUMNS, defaults,
                                           sizeof(defaults) / sizeof(int)) < 0)
                return NP_EXIT_TROUBLE;
        if (np_sysroot_open(sysroot, &root, &err) < 0) {
                np_warnx("%s", err.msg);
                return NP_EXIT_TROUBLE;
        }
        clock_gettime(CLOCK_MONOTONIC, &t0);
        scan.timestamp = epoch ? strtoull(epoch, NULL, 10) : (uint64_t)time(NULL);
        scan.hostname = host_name(root);
        if (np_host_read(root, &host, NULL) == 0)
                scan.host = host;

        if (!no_libvirt && root->live) {
                if (scan_libvirt(uri, root, &opts, &scan, &err) < 0) {
                        /* no libvirt on an LXD or bare-QEMU host is normal;
                         * a URI asked for and not reached is not */
                        np_warnx("%s; no libvirt domains scanned%s", err.msg, uri ? "" : ", ignoring");
                        if (uri)
                                trouble = true;
                }
        }
        for (size_t i = 0; i < n_pids; i++) {
                np_scan_vm *vm;
                np_error e = { "" };
                char name[64];

                snprintf(name, sizeof(name), "pid %ld", pids[i]);
                if (add_vm(&scan, name, "pid", &vm) < 0) {
                        np_warnx("out of memory");
                        goto done;
                }
                vm->pid = (pid_t)pids[i];
                if (np_intent_read_domxml(xmls[i], &vm->intent, &e) < 0) {
                        vm->error = strdup(e.msg);
                        continue;
                }
                if (vm->intent->name) {
                        free(vm->name);
                        vm->name = strdup(vm->intent->name);
                        if (!vm->name) {
                                np_warnx("out of memory");
                                goto done;
                        }
                }
                check_vm(root, &opts, vm);
        }

        clock_gettime(CLOCK_MONOTONIC, &t1);
        scan.duration_ms = epoch ? 0 : (uint64_t)((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);

        if (json_file && write_report(json_file, np_report_scan_json, &scan) < 0)
                trouble = true;
        if (junit && write_report(junit, np_report_scan_junit, &scan) < 0)
                trouble = true;
        if (prom && write_report(prom, np_report_scan_prometheus, &scan) < 0)
                trouble = true;
        if (out.json ? np_report_scan_json(stdout, &scan) < 0 : print_table(&out, &scan) < 0) {
                np_warnx("cannot write the output");
                trouble = true;
        }
        code = trouble ? NP_EXIT_TROUBLE : np_verdict_exit_code(np_scan_verdict(&scan));
done:
        free_scan(&scan);
        np_host_free(host);
        np_sysroot_free(root);
        return code;
}
