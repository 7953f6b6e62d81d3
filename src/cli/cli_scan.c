/* cli_scan.c: `numaplace scan`: every running VM on the host: libvirt
 * domains (read-only API), LXD and Incus VMs (their run directories and
 * instance config), and --pid/--xml pairs.  The VMs are found first, in
 * one thread, then checked by --jobs workers: each check reads only its
 * own process's files and writes only its own entry, and the kernel's
 * walk of one process's page tables does not slow another's, so on a
 * host with many VMs the scan takes the time of its longest share of
 * numa_maps reads, not their sum.  With --screen a first pass reads
 * every VM's cgroup statistics and a second walks only the VMs they do
 * not show compliant.  A VM that cannot be checked is
 * reported as such and never stops the others.  Reports go to the terminal and, atomically, to the files
 * fleets collect (JSON, JUnit XML, Prometheus textfile).
 *
 * NUMAPLACE_DEBUG_STOP_BEFORE_RENAME=NAME (a report's file name, or "*")
 * makes the scan stop itself (SIGSTOP) after that report is written and
 * synced and before it replaces the previous one, so a test can kill it
 * at exactly that point and see the previous report survive. */
#include "array.h"
#include "atomic_file.h"
#include "check.h"
#include "cli.h"
#include "cli_libvirt.h"
#include "error.h"
#include "host.h"
#include "intent.h"
#include "intent_lxd.h"
#include "libvirt_run.h"
#include "number.h"
#include "process.h"
#include "qemu_cmdline.h"
#include "report.h"
#include "report_fleet.h"
#include "sample.h"
#include "scan.h"
#include "subprocess.h"
#include "sysroot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { COL_VM, COL_SOURCE, COL_PROJECT, COL_PID, COL_UUID, COL_NOVA, COL_FLAVOR, COL_VERDICT, COL_SUMMARY, COL_CHECKED };

static const np_column scan_columns[] = {
        [COL_VM] = { "VM", 0.1, 0, "domain or instance name" },
        [COL_SOURCE] = { "SOURCE", 0.05, 0, "where it was found: libvirt, lxd, incus, or pid (given on the command line)" },
        [COL_PROJECT] = { "PROJECT", 0.05, 0, "LXD or Incus project" },
        [COL_PID] = { "PID", 0.05, SCOLS_FL_RIGHT, "QEMU process" },
        [COL_UUID] = { "UUID", 0.1, 0, "domain UUID (LXD: volatile.uuid)" },
        [COL_NOVA] = { "NOVA", 0.1, 0, "OpenStack Nova instance UUID" },
        [COL_FLAVOR] = { "FLAVOR", 0.05, 0, "OpenStack Nova flavor" },
        [COL_VERDICT] = { "VERDICT", 0.05, 0, "compliant, warning, violation, unverified or error" },
        [COL_SUMMARY] = { "SUMMARY", 0.5, SCOLS_FL_WRAP, "what is wrong, per region, thread and configuration, or why it could not be checked" },
        [COL_CHECKED] = { "CHECKED", 0.05, 0, "how: 'walk' (every page, numa_maps) or 'totals' (the cgroup's statistics, --screen)" },
};
#define N_COLUMNS (sizeof(scan_columns) / sizeof(scan_columns[0]))

static const int defaults[] = { COL_VM, COL_SOURCE, COL_PID, COL_VERDICT, COL_SUMMARY };

enum {
        OPT_SYSROOT = 0x100, OPT_NO_HOST_CHECK, OPT_NO_LIBVIRT, OPT_NO_LXD,
        OPT_LXD_CONFIG, OPT_LXD_DIR, OPT_JSON_FILE, OPT_JUNIT, OPT_PROM, OPT_SCREEN, OPT_HTML,
};

/* Workers by default: enough to overlap page walks on a big host, few
 * enough that a nightly scan does not crowd the guests' own CPUs. */
#define SCAN_JOBS_DEFAULT_MAX 4
#define SCAN_JOBS_MAX 64

/* LXD's own command takes this long at most to answer one query. */
#define LXD_QUERY_TIMEOUT_MS 10000
#define LXD_QUERY_MAX (4u << 20)
#define CONFIG_FILE_MAX (4u << 20)

typedef struct pair {
        pid_t pid;
        const char *xml;
} pair;

typedef struct named_file {
        const char *name;
        const char *file;
} named_file;

typedef struct scan_args {
        const char *uri, *sysroot, *json_file, *junit, *prom, *html;
        bool no_libvirt, no_lxd, no_host_check;
        bool screen;               /* --screen: cgroup statistics first */
        unsigned jobs;             /* 0: the default */
        pair *pairs;
        size_t n_pairs, cap_pairs;
        const char **xmls;
        size_t n_xmls, cap_xmls;
        named_file *lxd_configs;
        size_t n_lxd_configs, cap_lxd_configs;
        const char **lxd_dirs;
        size_t n_lxd_dirs, cap_lxd_dirs;
        np_check_options opts;
        np_output out;
} scan_args;

static void usage(FILE *f)
{
        fputs("Usage:\n"
              " numaplace scan [options]\n"
              "\nCheck every running VM on this host: every libvirt domain, every LXD and\n"
              "Incus VM, and every --pid/--xml pair given.  A VM that cannot be checked\n"
              "is reported as an error and the scan goes on.\n"
              "\nOptions:\n"
              " -c, --connect URI        libvirt URI (read-only connection)\n"
              "     --no-libvirt         do not ask libvirt for domains\n"
              "     --no-lxd             do not look for LXD and Incus VMs\n"
              "     --lxd-config [PROJECT/]NAME=FILE\n"
              "                          instance NAME's config: the JSON of\n"
              "                          `lxc query /1.0/instances/NAME` or the YAML of\n"
              "                          `lxc config show --expanded NAME` (default: run\n"
              "                          `lxc query` or `incus query` when the command exists)\n"
              "     --lxd-dir DIR        an LXD_DIR to look in too (instances in DIR/logs)\n"
              " -p, --pid PID            a QEMU process to check too, with --xml (repeatable)\n"
              " -x, --xml FILE           its domain XML; the Nth --xml goes with the Nth --pid\n"
              " -j, --jobs N             check N VMs at a time (default: the CPUs, at most 4)\n"
              "     --preferred MODE     a preferred-mode fallback is a 'warning' (default) or a 'violation'\n"
              "     --screen             read every VM's cgroup statistics first; a VM whose memory\n"
              "                          lies entirely on its allowed nodes is compliant 'by totals'\n"
              "                          and its pages are not walked\n"
              "     --device-policy P    a PCI device off its VM's nodes: 'preferred' warns (default),\n"
              "                          'required' and 'legacy' make it a violation (Nova's words)\n"
              "     --no-host-check      leave out the host settings checks (numaplace host --check)\n"
              "     --sample N|auto|off  ask the kernel about N random pages per region instead of\n"
              "                          walking every page; 'auto' (default): 4096 for guests of\n"
              "                          16 GiB or more; 'off': walk every page of every guest\n"
              "     --sysroot DIR        read /proc, /sys and /run below DIR (implies --no-libvirt)\n"
              "     --json-file FILE     write the JSON report to FILE (atomically; - for standard output)\n"
              "     --junit FILE         write a JUnit XML report to FILE (atomically; - for standard output)\n"
              "     --prometheus FILE    write node_exporter textfile metrics to FILE (atomically; - for standard output)\n"
              "     --html FILE          write a self-contained HTML page for people to FILE (atomically; - for standard output)\n"
              "", f);
        np_output_help_options(f, false);
        fputs("\nLXD and Incus VMs are found from their run directories (qemu.conf and\n"
              "qemu.pid in /var/snap/lxd/common/lxd/logs, /var/log/lxd, /run/incus).\n"
              "SOURCE_DATE_EPOCH, when set, is the scan's timestamp and its durations are\n"
              "reported as 0 (reproducible reports).  A report file is replaced only when\n"
              "the scan completes; otherwise the previous one stays.\n"
              "The reports carry the host settings checks of 'numaplace host --check',\n"
              "judged against the running VMs; they do not change the exit status.\n"
              "\nExit status: 0 every VM compliant (warnings allowed), 1 a violation,\n"
              "2 a VM that could not be checked, or a report that could not be written.\n", f);
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

/* What checking one VM takes, gathered while the VMs are found. */
typedef enum job_kind {
        JOB_NONE,       /* nothing to check: the VM's error is already set */
        JOB_LIBVIRT,    /* a domain: its XML from libvirt */
        JOB_LXD,        /* an LXD or Incus instance */
        JOB_PAIR,       /* --pid with its --xml file */
} job_kind;

typedef struct scan_job {
        job_kind kind;
        char *xml;                 /* JOB_LIBVIRT: the domain XML (owned) */
        const char *xml_path;      /* JOB_PAIR */
        np_lxd_instance inst;      /* JOB_LXD */
} scan_job;

/* The scan's VMs and, index for index, the job that checks each. */
typedef struct scan_plan {
        np_scan *scan;
        scan_job *jobs;
        size_t cap_vms, cap_jobs;
} scan_plan;

/* Append a VM named @name with an empty job (*ret_job). */
static np_scan_vm *add_vm(scan_plan *plan, const char *name, const char *source, scan_job **ret_job)
{
        np_scan *scan = plan->scan;
        np_scan_vm *vm;

        if (np_array_reserve(&scan->vms, &plan->cap_vms, scan->n_vms + 1) < 0 ||
            np_array_reserve(&plan->jobs, &plan->cap_jobs, scan->n_vms + 1) < 0)
                return NULL;
        vm = &scan->vms[scan->n_vms];
        memset(vm, 0, sizeof(*vm));
        memset(&plan->jobs[scan->n_vms], 0, sizeof(*plan->jobs));
        vm->source = source;
        vm->name = strdup(name);
        if (!vm->name)
                return NULL;
        if (ret_job)
                *ret_job = &plan->jobs[scan->n_vms];
        scan->n_vms++;
        return vm;
}

static void scan_plan_free(scan_plan *plan)
{
        for (size_t i = 0; plan->jobs && i < plan->scan->n_vms; i++)
                free(plan->jobs[i].xml);
        free(plan->jobs);
        plan->jobs = NULL;
}

static void set_error(np_scan_vm *vm, const char *msg)
{
        free(vm->error);
        vm->error = strdup(msg && *msg ? msg : "unknown error");
}

/* ---- libvirt --------------------------------------------------------------- */

/* Check one VM, or with --screen only screen it: a VM its cgroup
 * statistics do not show compliant is left without a result, for the
 * walk that follows once every VM is screened (walk_job()). */
/* The options for @vm: a libvirt domain's pid came from its name. */
static np_check_options vm_options(const scan_args *a, const np_scan_vm *vm)
{
        np_check_options o = a->opts;

        o.pid_from_name = strcmp(vm->source, "libvirt") == 0;
        return o;
}

static int check_pid(const scan_args *a, const np_sysroot *root, np_scan_vm *vm, np_error *err)
{
        np_check_options o = vm_options(a, vm);

        if (a->screen) {
                int r = np_check_screen(root, vm->intent, vm->pid, &o, &vm->result, err);

                return r < 0 ? r : 0;
        }
        return np_check_process(root, vm->intent, vm->pid, &o, &vm->result, err);
}

static void check_vm(const scan_args *a, const np_sysroot *root, const np_host *host, np_scan_vm *vm)
{
        np_error err = { "" };

        if (!vm->pid && np_libvirt_pid(root, vm->name, &vm->pid, &err) < 0) {
                set_error(vm, err.msg);
                return;
        }
        if (np_cli_complete_intent(root, host, vm->intent, NULL, &err) < 0 ||
            check_pid(a, root, vm, &err) < 0)
                set_error(vm, err.msg);
}

/* Domains libvirt recorded as running (/run/libvirt/qemu/NAME.pid), for
 * when its API does not answer.  Returns how many were added. */
static int libvirt_pid_files(const np_sysroot *root, scan_plan *plan, const char *why)
{
        DIR *d = np_sysroot_opendir(root, NP_LIBVIRT_RUN_DIR);
        struct dirent *de;
        int added = 0;

        if (!d)
                return 0;
        while ((de = readdir(d))) {
                size_t n = strlen(de->d_name);
                char name[256], msg[NP_ERROR_MAX];
                np_scan_vm *vm;

                if (n <= 4 || n - 4 >= sizeof(name) || strcmp(de->d_name + n - 4, ".pid") != 0)
                        continue;
                snprintf(name, sizeof(name), "%.*s", (int)(n - 4), de->d_name);
                vm = add_vm(plan, name, "libvirt", NULL);
                if (!vm) {
                        added = -ENOMEM;
                        break;
                }
                snprintf(msg, sizeof(msg), "libvirt did not answer (%s); its domain XML could not be had", why);
                np_libvirt_pid(root, name, &vm->pid, NULL);
                set_error(vm, msg);
                added++;
        }
        closedir(d);
        return added;
}

/* Domains in name order: reports stay comparable from night to night. */
static int cmp_domain(const void *a, const void *b)
{
        return strcmp(((const np_libvirt_domain *)a)->name, ((const np_libvirt_domain *)b)->name);
}

/* Returns 0, or -1 when the scan cannot be complete (a URI that was
 * asked for could not be reached). */
static int scan_libvirt(const scan_args *a, const np_sysroot *root, scan_plan *plan)
{
        np_libvirt_domain *doms = NULL;
        np_error err = { "" };
        size_t n = 0;
        int r;

        r = np_libvirt_running_domains(a->uri, &doms, &n, &err);
        if (r == 0 && n > 1)
                qsort(doms, n, sizeof(*doms), cmp_domain);
        if (r < 0) {
                int added;

                /* a URI asked for and not reached: the scan cannot be
                 * complete */
                if (a->uri) {
                        np_warnx("%s", err.msg);
                        return -1;
                }
                /* pid files say the local QEMU driver has guests: each is
                 * a VM that could not be checked, and the scan goes on */
                added = libvirt_pid_files(root, plan, err.msg);
                if (added < 0)
                        return -1;
                if (added > 0)
                        return 0;
                /* no libvirt on an LXD or bare-QEMU host is normal */
                if (r != -ENOENT)
                        np_warnx("%s; no libvirt domains scanned, ignoring", err.msg);
                return 0;
        }
        for (size_t i = 0; i < n; i++) {
                scan_job *job;
                np_scan_vm *vm = add_vm(plan, doms[i].name, "libvirt", &job);

                if (!vm) {
                        r = -1;
                        np_warnx("out of memory");
                        break;
                }
                if (!doms[i].xml) {
                        set_error(vm, "its XML could not be had from libvirt (it stopped?)");
                        continue;
                }
                job->kind = JOB_LIBVIRT;
                job->xml = doms[i].xml;
                doms[i].xml = NULL;
        }
        for (size_t i = 0; i < n; i++) {
                free(doms[i].name);
                free(doms[i].xml);
        }
        free(doms);
        return r;
}

/* ---- LXD and Incus ------------------------------------------------------- */

static bool in_path(const char *cmd)
{
        const char *path = getenv("PATH");
        char buf[4096];

        if (!path)
                path = "/usr/local/bin:/usr/bin:/bin";
        while (*path) {
                const char *colon = strchr(path, ':');
                size_t n = colon ? (size_t)(colon - path) : strlen(path);

                if (n && n + strlen(cmd) + 2 <= sizeof(buf)) {
                        snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, cmd);
                        if (access(buf, X_OK) == 0)
                                return true;
                }
                path += n + (colon ? 1 : 0);
        }
        return false;
}

/* Run `CMD query PATH` with a bounded time and output; its standard
 * output into *ret.  Returns 0 or -1 with @problem saying why. */
static int run_query(const char *cmd, const char *query, char **ret, size_t *ret_len,
                     char *problem, size_t plen)
{
        char *const argv[] = { (char *)cmd, "query", (char *)query, NULL };
        np_subprocess p = {
                .argv = argv,
                .deadline_us = np_monotonic_us() + LXD_QUERY_TIMEOUT_MS * 1000ull,
                .max_out = LXD_QUERY_MAX,
                .keep_stderr = true,
        };
        np_subprocess_result res;
        char *why = res.err;
        size_t n;
        int r;

        r = np_subprocess_run(&p, &res);
        if (res.failed) {
                snprintf(problem, plen, "%s: %s", cmd, strerror(-r));
                return -1;
        }
        if (r < 0) {
                snprintf(problem, plen, "`%s query %s` did not answer within %u s or printed too much",
                         cmd, query, LXD_QUERY_TIMEOUT_MS / 1000);
                return -1;
        }
        if (!WIFEXITED(res.status) || WEXITSTATUS(res.status) != 0) {
                /* its first line says why */
                why[strcspn(why, "\n")] = '\0';
                n = strlen(why);
                while (n && why[n - 1] == ' ')
                        why[--n] = '\0';
                snprintf(problem, plen, "`%s query %s` failed%s%s", cmd, query, n ? ": " : "", why);
                np_subprocess_result_done(&res);
                return -1;
        }
        *ret = res.out;
        *ret_len = res.out_len;
        return 0;
}

/* Whether --lxd-config's NAME names @inst: NAME, PROJECT_NAME or
 * PROJECT/NAME. */
static bool lxd_name_matches(const char *n, const np_lxd_instance *inst, const char *display)
{
        size_t pl = strlen(inst->project);

        return strcmp(n, display) == 0 || strcmp(n, inst->name) == 0 ||
               (strncmp(n, inst->project, pl) == 0 && n[pl] == '/' && strcmp(n + pl + 1, inst->name) == 0);
}

static const char *lxd_config_file(const scan_args *a, const np_lxd_instance *inst, const char *display)
{
        for (size_t i = 0; i < a->n_lxd_configs; i++)
                if (lxd_name_matches(a->lxd_configs[i].name, inst, display))
                        return a->lxd_configs[i].file;
        return NULL;
}

/* The instance config: --lxd-config, else `lxc query` / `incus query` on
 * a live system.  *ret NULL with @problem filled when there is none;
 * -1 when a file given for it is unusable (the VM is then an error). */
static int lxd_config(const scan_args *a, const np_sysroot *root, const np_lxd_instance *inst,
                      const char *display, np_lxd_config **ret, char *problem, size_t plen,
                      np_error *err)
{
        const char *file = lxd_config_file(a, inst, display);
        const char *cmd = inst->flavor == NP_INCUS ? "incus" : "lxc";
        char *text = NULL, query[NP_LXD_NAME_MAX * 2 + 64];
        size_t len = 0;
        np_error sub;
        int r;

        *ret = NULL;
        if (file) {
                r = np_file_read(file, CONFIG_FILE_MAX, &text, &len, err);
                if (r == 0)
                        r = np_lxd_config_parse(text, len, file, ret, err);
                free(text);
                return r < 0 ? -1 : 0;
        }
        if (!root->live) {
                snprintf(problem, plen, "a replayed root: give --lxd-config %s=FILE", display);
                return 0;
        }
        if (!in_path(cmd)) {
                snprintf(problem, plen, "%s is not installed: give --lxd-config %s=FILE", cmd, display);
                return 0;
        }
        if (strcmp(inst->project, "default") == 0)
                snprintf(query, sizeof(query), "/1.0/instances/%s", inst->name);
        else
                snprintf(query, sizeof(query), "/1.0/instances/%s?project=%s", inst->name, inst->project);
        if (run_query(cmd, query, &text, &len, problem, plen) < 0)
                return 0;
        if (np_lxd_config_parse(text, len, query, ret, &sub) < 0)
                snprintf(problem, plen, "%s", sub.msg);
        free(text);
        return 0;
}

/* The -uuid LXD gave QEMU (its volatile.uuid), when the config that
 * holds it could not be read; NULL when there is none. */
static char *qemu_uuid(const np_sysroot *root, pid_t pid)
{
        return np_process_option_value(root, pid, "-uuid", "");
}

static void check_lxd(const scan_args *a, const np_sysroot *root, const np_host *host,
                      const np_lxd_instance *inst, np_scan_vm *vm)
{
        char path[NP_LXD_PATH_MAX + 16], shown[NP_LXD_PATH_MAX + 256], problem[NP_ERROR_MAX] = "";
        np_qemu_cmdline *conf = NULL;
        np_lxd_config *config = NULL;
        np_error err = { "" };
        char *text = NULL;
        size_t len = 0;

        vm->pid = inst->pid;
        snprintf(path, sizeof(path), "%s/qemu.conf", inst->dir);
        np_sysroot_display(root, path, shown, sizeof(shown));
        if (np_sysroot_read_file(root, path, CONFIG_FILE_MAX, &text, &len, &err) < 0 ||
            np_qemu_readconfig_parse(text, len, shown, &conf, &err) < 0 ||
            lxd_config(a, root, inst, vm->name, &config, problem, sizeof(problem), &err) < 0 ||
            np_lxd_intent(vm->name, config, problem[0] ? problem : NULL, conf, host, &vm->intent,
                          &vm->findings, &err) < 0) {
                set_error(vm, err.msg);
                goto out;
        }
        if (host && host->default_hugepage_kib)
                np_intent_set_default_hugepage(vm->intent, host->default_hugepage_kib);
        if (!vm->intent->uuid)
                vm->intent->uuid = qemu_uuid(root, vm->pid);
        if (check_pid(a, root, vm, &err) < 0)
                set_error(vm, err.msg);
out:
        free(text);
        np_qemu_cmdline_free(conf);
        np_lxd_config_free(config);
}

static int scan_lxd(const scan_args *a, const np_sysroot *root, scan_plan *plan)
{
        np_lxd_instance *list = NULL;
        np_error err = { "" };
        size_t n = 0;

        for (size_t i = 0; i < a->n_lxd_dirs; i++) {
                char logs[NP_LXD_PATH_MAX + 8];

                snprintf(logs, sizeof(logs), "%s/logs", a->lxd_dirs[i]);
                if (a->lxd_dirs[i][0] != '/' || !np_sysroot_exists(root, logs)) {
                        np_warnx("--lxd-dir %s: no logs directory there (give an absolute LXD_DIR)", a->lxd_dirs[i]);
                        return -1;
                }
        }
        if (np_lxd_find_instances(root, a->lxd_dirs, a->n_lxd_dirs, &list, &n, &err) < 0) {
                np_warnx("%s", err.msg);
                return -1;
        }
        for (size_t i = 0; i < n; i++) {
                const np_lxd_instance *inst = &list[i];
                char display[2 * NP_LXD_NAME_MAX + 2];
                scan_job *job;
                np_scan_vm *vm;

                /* a pid file naming a dead process: the VM stopped */
                if (!inst->running && inst->pid)
                        continue;
                np_lxd_display_name(inst, display, sizeof(display));
                vm = add_vm(plan, display, np_lxd_flavor_to_string(inst->flavor), &job);
                if (!vm || !(vm->project = strdup(inst->project))) {
                        free(list);
                        np_warnx("out of memory");
                        return -1;
                }
                if (!inst->running) {
                        set_error(vm, inst->problem);
                        continue;
                }
                job->kind = JOB_LXD;
                job->inst = *inst;
        }
        /* a config given for an instance that is not there: a typo
         * must not pass as a scan that found nothing wrong */
        for (size_t c = 0; c < a->n_lxd_configs; c++) {
                bool found = false;
                scan_job *job;
                np_scan_vm *vm;

                for (size_t i = 0; i < n && !found; i++) {
                        char display[2 * NP_LXD_NAME_MAX + 2];

                        found = lxd_name_matches(a->lxd_configs[c].name, &list[i],
                                                 np_lxd_display_name(&list[i], display, sizeof(display)));
                }
                if (found)
                        continue;
                vm = add_vm(plan, a->lxd_configs[c].name, "lxd", &job);
                if (!vm) {
                        free(list);
                        np_warnx("out of memory");
                        return -1;
                }
                set_error(vm, "--lxd-config names no running LXD or Incus instance");
        }
        free(list);
        return 0;
}

/* ---- --pid/--xml pairs ------------------------------------------------------ */

static int scan_pairs(const scan_args *a, scan_plan *plan)
{
        for (size_t i = 0; i < a->n_pairs; i++) {
                scan_job *job;
                np_scan_vm *vm;
                char name[64];

                snprintf(name, sizeof(name), "pid %d", (int)a->pairs[i].pid);
                vm = add_vm(plan, name, "pid", &job);
                if (!vm) {
                        np_warnx("out of memory");
                        return -1;
                }
                vm->pid = a->pairs[i].pid;
                job->kind = JOB_PAIR;
                job->xml_path = a->pairs[i].xml;
        }
        return 0;
}

/* ---- the checks, in parallel ---------------------------------------------- */

typedef struct scan_workers {
        const scan_args *args;
        const np_sysroot *root;
        const np_host *host;
        scan_plan *plan;
        bool walking;              /* --screen's second pass: the walks */
        size_t next;               /* the next VM to take (atomic) */
        bool out_of_memory;        /* (atomic) */
} scan_workers;

/* Check VM @i.  Touches nothing but that VM's entry and job. */
static void run_job(scan_workers *w, size_t i)
{
        np_scan_vm *vm = &w->plan->scan->vms[i];
        scan_job *job = &w->plan->jobs[i];
        uint64_t t0 = np_monotonic_us();
        np_error e = { "" };

        switch (job->kind) {
        case JOB_NONE:
                return;
        case JOB_LIBVIRT:
                if (np_intent_from_domxml(job->xml, strlen(job->xml), vm->name, &vm->intent, &e) < 0)
                        set_error(vm, e.msg);
                else
                        check_vm(w->args, w->root, w->host, vm);
                break;
        case JOB_LXD:
                check_lxd(w->args, w->root, w->host, &job->inst, vm);
                break;
        case JOB_PAIR:
                if (np_intent_read_domxml(job->xml_path, &vm->intent, &e) < 0) {
                        set_error(vm, e.msg);
                        break;
                }
                if (vm->intent->name) {
                        char *s = strdup(vm->intent->name);

                        if (!s) {
                                __atomic_store_n(&w->out_of_memory, true, __ATOMIC_RELAXED);
                                break;
                        }
                        free(vm->name);
                        vm->name = s;
                }
                check_vm(w->args, w->root, w->host, vm);
                break;
        }
        vm->duration_us = np_monotonic_us() - t0;
}

/* --screen's second pass: the full check of VM @i when its screen
 * left it without a result (and nothing went wrong). */
static void walk_job(scan_workers *w, size_t i)
{
        np_scan_vm *vm = &w->plan->scan->vms[i];
        uint64_t t0 = np_monotonic_us();
        np_error e = { "" };

        if (vm->result || vm->error || !vm->intent || !vm->pid)
                return;
        np_check_options o = vm_options(w->args, vm);

        if (np_check_process(w->root, vm->intent, vm->pid, &o, &vm->result, &e) < 0)
                set_error(vm, e.msg);
        vm->duration_us += np_monotonic_us() - t0;
}

static void *worker(void *userdata)
{
        scan_workers *w = userdata;
        size_t i;

        while ((i = __atomic_fetch_add(&w->next, 1, __ATOMIC_RELAXED)) < w->plan->scan->n_vms)
                (w->walking ? walk_job : run_job)(w, i);
        return NULL;
}

static unsigned default_jobs(void)
{
        long n = sysconf(_SC_NPROCESSORS_ONLN);

        if (n < 1)
                return 1;
        return n > SCAN_JOBS_DEFAULT_MAX ? SCAN_JOBS_DEFAULT_MAX : (unsigned)n;
}

/* One pass over every VM on @jobs threads (this one included); a
 * thread that cannot be started leaves its share to the others. */
static void run_pass(scan_workers *w, unsigned jobs)
{
        pthread_t threads[SCAN_JOBS_MAX];
        unsigned started = 0;

        w->next = 0;
        while (started + 1 < jobs && pthread_create(&threads[started], NULL, worker, w) == 0)
                started++;
        worker(w);
        for (unsigned t = 0; t < started; t++)
                pthread_join(threads[t], NULL);
}

/* Run every job; with --screen, first every VM's screen (its cgroup
 * statistics), then the walks of those it did not show compliant.
 * Returns 0, or -1 when memory ran out (the scan is then incomplete). */
static int run_jobs(const scan_args *a, const np_sysroot *root, const np_host *host, scan_plan *plan)
{
        scan_workers w = { .args = a, .root = root, .host = host, .plan = plan };
        unsigned jobs = a->jobs ? a->jobs : default_jobs();

        if (jobs > plan->scan->n_vms)
                jobs = (unsigned)plan->scan->n_vms;
        run_pass(&w, jobs);
        if (a->screen && !w.out_of_memory) {
                w.walking = true;
                run_pass(&w, jobs);
        }
        if (w.out_of_memory) {
                np_warnx("out of memory");
                return -1;
        }
        return 0;
}

/* The host settings checks, judged against the VMs found running (all
 * of them count as starting at boot: they run now).  Returns -1 on
 * trouble, after saying why. */
static int host_checks(const np_sysroot *root, const np_host *host, np_scan *scan)
{
        np_hostcheck_vms vms = { .known = true };
        np_hostcheck_values *values = NULL;
        np_error err = { "" };
        int r = 0;

        for (size_t i = 0; i < scan->n_vms && r == 0; i++)
                if (scan->vms[i].intent)
                        r = np_hostcheck_vms_add(&vms, scan->vms[i].intent, true);
        if (r == 0 && np_hostcheck_read(root, host, &values, &err) < 0) {
                np_warnx("%s", err.msg);
                r = -1;
        } else if (r == 0 && np_hostcheck_judge(values, &vms, NULL, &scan->host_checks) < 0) {
                r = -ENOMEM;
        }
        if (r == -ENOMEM)
                np_warnx("out of memory");
        np_hostcheck_values_free(values);
        np_hostcheck_vms_done(&vms);
        return r < 0 ? -1 : 0;
}

/* Two VMs may carry one name (a --pid pair for a domain libvirt also
 * listed, two projects' instances): reports key series and test cases
 * by name, so later ones get their pid added. */
static int unique_names(np_scan *scan)
{
        for (size_t i = 1; i < scan->n_vms; i++) {
                for (size_t j = 0; j < i; j++) {
                        char *s;

                        if (strcmp(scan->vms[i].name, scan->vms[j].name) != 0)
                                continue;
                        if (asprintf(&s, "%s (%s %d #%zu)", scan->vms[i].name, scan->vms[i].source,
                                     (int)scan->vms[i].pid, i) < 0)
                                return -1;
                        free(scan->vms[i].name);
                        scan->vms[i].name = s;
                        break;
                }
        }
        return 0;
}

/* ---- output ------------------------------------------------------------------ */

static void scan_cell(const np_output *out, const void *row, int column, char *buf, size_t len,
                      const void *userdata)
{
        const np_scan_vm *vm = row;
        const np_intent *in = vm->intent;

        (void)out;
        (void)userdata;
        switch (column) {
        case COL_VM: snprintf(buf, len, "%s", vm->name); break;
        case COL_SOURCE: snprintf(buf, len, "%s", vm->source); break;
        case COL_PROJECT: snprintf(buf, len, "%s", vm->project ? vm->project : ""); break;
        case COL_PID:
                if (vm->pid)
                        snprintf(buf, len, "%d", (int)vm->pid);
                break;
        case COL_UUID: snprintf(buf, len, "%s", np_scan_vm_uuid(vm)); break;
        case COL_NOVA: snprintf(buf, len, "%s", in && in->nova_uuid ? in->nova_uuid : ""); break;
        case COL_FLAVOR: snprintf(buf, len, "%s", in && in->nova_flavor ? in->nova_flavor : ""); break;
        case COL_VERDICT: snprintf(buf, len, "%s", np_verdict_to_string(np_scan_vm_verdict(vm))); break;
        case COL_SUMMARY: np_scan_vm_summary(vm, buf, len); break;
        case COL_CHECKED:
                if (vm->result)
                        snprintf(buf, len, "%s", vm->result->by_totals ? "totals" : "walk");
                break;
        }
}

static int print_table(const np_output *out, const np_scan *scan)
{
        if (!scan->n_vms) {
                if (!out->raw && !out->noheadings)
                        printf("no running VM found on %s\n", scan->hostname);
                return 0;
        }
        return np_output_print_rows(out, scan_columns, scan->vms, scan->n_vms, sizeof(*scan->vms),
                                    scan_cell, NULL);
}

static int stop_before_rename(const char *path, void *userdata)
{
        (void)path;
        (void)userdata;
        /* resumed (SIGCONT) or, as the test means it, killed here */
        raise(SIGSTOP);
        return 0;
}

static int write_report(const char *path, int (*render)(FILE *, const np_scan *), const np_scan *scan)
{
        const char *stop = getenv("NUMAPLACE_DEBUG_STOP_BEFORE_RENAME");
        const char *base = strrchr(path, '/');
        np_atomic_file af;
        np_error err = { "" };

        base = base ? base + 1 : path;
        if (strcmp(path, "-") == 0) {
                if (render(stdout, scan) < 0 || fflush(stdout) != 0 || ferror(stdout)) {
                        np_warnx("standard output: the report could not be written");
                        return -1;
                }
                return 0;
        }
        if (np_atomic_file_open(path, &af, &err) < 0) {
                np_warnx("%s", err.msg);
                return -1;
        }
        if (stop && (strcmp(stop, "*") == 0 || strcmp(stop, base) == 0))
                af.before_rename = stop_before_rename;
        if (render(af.f, scan) < 0) {
                np_atomic_file_abort(&af);
                np_warnx("%s: not written: the report could not be rendered (the previous file is kept)", path);
                return -1;
        }
        if (np_atomic_file_commit(&af, &err) < 0) {
                np_warnx("%s", err.msg);
                return -1;
        }
        return 0;
}

/* ---- options ------------------------------------------------------------------ */

static int append_arg(const char ***args, size_t *n, size_t *cap, const char *arg)
{
        if (np_array_reserve(args, cap, *n + 1) < 0)
                return -ENOMEM;
        (*args)[(*n)++] = arg;
        return 0;
}

/* Take getopt's @c when it is one of the options only scan has that
 * take a value.  Returns 1 when taken, 0 when not one of them, -1 after
 * printing an error line. */
static int scan_option(scan_args *a, int c, char *arg)
{
        char *eq;
        pid_t pid;

        switch (c) {
        case OPT_LXD_CONFIG:
                eq = strchr(arg, '=');
                if (!eq || eq == arg || !eq[1]) {
                        np_warnx("--lxd-config: expected NAME=FILE, not '%s'", arg);
                        return -1;
                }
                if (np_array_reserve(&a->lxd_configs, &a->cap_lxd_configs, a->n_lxd_configs + 1) < 0)
                        break;
                *eq = '\0';
                a->lxd_configs[a->n_lxd_configs++] = (named_file){ .name = arg, .file = eq + 1 };
                return 1;
        case OPT_LXD_DIR:
                if (append_arg(&a->lxd_dirs, &a->n_lxd_dirs, &a->cap_lxd_dirs, arg) < 0)
                        break;
                return 1;
        case 'p':
                if (np_cli_pid_arg(arg, &pid) < 0)
                        return -1;
                if (np_array_reserve(&a->pairs, &a->cap_pairs, a->n_pairs + 1) < 0)
                        break;
                a->pairs[a->n_pairs++].pid = pid;
                return 1;
        case 'x':
                if (append_arg(&a->xmls, &a->n_xmls, &a->cap_xmls, arg) < 0)
                        break;
                return 1;
        case 'j':
                if (np_parse_uint(arg, &a->jobs) < 0 || a->jobs < 1 || a->jobs > SCAN_JOBS_MAX) {
                        np_warnx("--jobs: '%s' is not a number from 1 to %d", arg, SCAN_JOBS_MAX);
                        return -1;
                }
                return 1;
        default:
                return 0;
        }
        np_warnx("out of memory");
        return -1;
}

/* Take getopt's @c when it is a flag or a file name only scan has. */
static bool scan_flag_or_file(scan_args *a, int c, const char *arg)
{
        switch (c) {
        case 'c': a->uri = arg; break;
        case OPT_NO_LIBVIRT: a->no_libvirt = true; break;
        case OPT_NO_LXD: a->no_lxd = true; break;
        case OPT_NO_HOST_CHECK: a->no_host_check = true; break;
        case OPT_SYSROOT: a->sysroot = arg; break;
        case OPT_JSON_FILE: a->json_file = arg; break;
        case OPT_JUNIT: a->junit = arg; break;
        case OPT_PROM: a->prom = arg; break;
        case OPT_SCREEN: a->screen = true; break;
        case OPT_HTML: a->html = arg; break;
        default: return false;
        }
        return true;
}

static int parse_args(int argc, char **argv, scan_args *a, int *ret_exit)
{
        static const struct option longopts[] = {
                { "connect", required_argument, NULL, 'c' },
                { "no-libvirt", no_argument, NULL, OPT_NO_LIBVIRT },
                { "no-lxd", no_argument, NULL, OPT_NO_LXD },
                { "no-host-check", no_argument, NULL, OPT_NO_HOST_CHECK },
                { "lxd-config", required_argument, NULL, OPT_LXD_CONFIG },
                { "lxd-dir", required_argument, NULL, OPT_LXD_DIR },
                { "pid", required_argument, NULL, 'p' },
                { "xml", required_argument, NULL, 'x' },
                { "jobs", required_argument, NULL, 'j' },
                { "sysroot", required_argument, NULL, OPT_SYSROOT },
                { "json-file", required_argument, NULL, OPT_JSON_FILE },
                { "junit", required_argument, NULL, OPT_JUNIT },
                { "prometheus", required_argument, NULL, OPT_PROM },
                { "screen", no_argument, NULL, OPT_SCREEN },
                { "html", required_argument, NULL, OPT_HTML },
                NP_CHECK_LONGOPTS,
                NP_OUTPUT_LONGOPTS,
                { NULL, 0, NULL, 0 },
        };
        int c, r;

        *ret_exit = NP_EXIT_TROUBLE;
        /* large guests are sampled unless asked otherwise (README,
         * "Sampled checks") */
        a->opts.sample_pages = NP_SAMPLE_AUTO_PAGES;
        a->opts.sample_above_kib = NP_SAMPLE_AUTO_ABOVE_KIB;
        optind = 1;
        while ((c = getopt_long(argc, argv, "c:p:x:j:Jrno:hV", longopts, NULL)) != -1) {
                if (scan_flag_or_file(a, c, optarg) || np_output_option(&a->out, c, optarg))
                        continue;
                r = scan_option(a, c, optarg);
                if (r == 0)
                        r = np_check_option(&a->opts, c, optarg);
                if (r < 0)
                        return -1;
                if (r == 0)
                        return np_cli_common_option(c, "scan", usage, ret_exit);
        }
        if (optind < argc) {
                np_warnx("unexpected argument '%s'", argv[optind]);
                return -1;
        }
        if (a->n_pairs != a->n_xmls) {
                np_warnx("every --pid needs its --xml (%zu --pid, %zu --xml)", a->n_pairs, a->n_xmls);
                return -1;
        }
        for (size_t i = 0; i < a->n_pairs; i++)
                a->pairs[i].xml = a->xmls[i];
        return 0;
}

int np_cmd_scan(int argc, char **argv)
{
        scan_args a = { 0 };
        np_sysroot *root = NULL;
        np_host *host = NULL;
        np_scan scan = { 0 };
        scan_plan plan = { .scan = &scan };
        np_error err = { "" };
        const char *epoch = getenv("SOURCE_DATE_EPOCH");
        bool failed = false, trouble = false;
        int to_stdout;
        uint64_t t0;
        int code = NP_EXIT_TROUBLE;

        if (parse_args(argc, argv, &a, &code) < 0)
                goto out;
        code = NP_EXIT_TROUBLE;
        to_stdout = (a.json_file && !strcmp(a.json_file, "-")) + (a.junit && !strcmp(a.junit, "-")) +
                    (a.prom && !strcmp(a.prom, "-")) + (a.html && !strcmp(a.html, "-"));
        if (to_stdout > 1) {
                np_warnx("only one report can go to standard output ('-')");
                goto out;
        }
        if (!a.out.json && np_output_columns(&a.out, scan_columns, N_COLUMNS, defaults,
                                             sizeof(defaults) / sizeof(int)) < 0)
                goto out;
        if (np_sysroot_open(a.sysroot, &root, &err) < 0) {
                np_warnx("%s", err.msg);
                goto out;
        }
        /* reproducible reports: a malformed value is an error, not 0 */
        if (epoch && np_parse_u64_max(epoch, UINT64_MAX, &scan.timestamp) < 0) {
                np_warnx("SOURCE_DATE_EPOCH: '%s' is not a number of seconds", epoch);
                goto out;
        }
        if (!epoch)
                scan.timestamp = (uint64_t)time(NULL);
        t0 = np_monotonic_us();
        scan.hostname = host_name(root);
        if (!scan.hostname) {
                np_warnx("out of memory");
                goto out;
        }
        /* read once: every VM's default huge page size, and the report's
         * host facts */
        if (np_host_read(root, &host, NULL) == 0)
                scan.host = host;

        if (!a.no_libvirt && root->live && scan_libvirt(&a, root, &plan) < 0)
                failed = true;
        if (!failed && !a.no_lxd && scan_lxd(&a, root, &plan) < 0)
                failed = true;
        if (!failed && scan_pairs(&a, &plan) < 0)
                failed = true;
        if (!failed && run_jobs(&a, root, host, &plan) < 0)
                failed = true;
        if (!failed && unique_names(&scan) < 0) {
                np_warnx("out of memory");
                failed = true;
        }
        if (!failed && !a.no_host_check && host && host_checks(root, host, &scan) < 0)
                failed = true;
        scan.duration_us = epoch ? 0 : np_monotonic_us() - t0;
        if (epoch)
                for (size_t i = 0; i < scan.n_vms; i++)
                        scan.vms[i].duration_us = 0;

        if (failed) {
                /* a partial report would read as VMs that went away */
                np_warnx("the scan is incomplete: no report written, the previous ones are kept");
                goto out;
        }
        if (a.json_file && write_report(a.json_file, np_report_scan_json, &scan) < 0)
                trouble = true;
        if (a.junit && write_report(a.junit, np_report_scan_junit, &scan) < 0)
                trouble = true;
        if (a.prom && write_report(a.prom, np_report_scan_prometheus, &scan) < 0)
                trouble = true;
        if (a.html && write_report(a.html, np_report_scan_html, &scan) < 0)
                trouble = true;
        /* a report sent to standard output ("-") is the output */
        if (!to_stdout && (a.out.json ? np_report_scan_json(stdout, &scan) < 0 : print_table(&a.out, &scan) < 0)) {
                np_warnx("cannot write the output");
                trouble = true;
        }
        code = trouble ? NP_EXIT_TROUBLE : np_verdict_exit_code(np_scan_verdict(&scan));
out:
        scan_plan_free(&plan);
        np_scan_free(&scan);
        np_host_free(host);
        np_sysroot_free(root);
        free(a.pairs);
        free(a.xmls);
        free(a.lxd_configs);
        free(a.lxd_dirs);
        return code;
}
