/* cli_check.c: `numaplace check` and `numaplace intent`. */
#include "check.h"
#include "cli.h"
#include "cli_libvirt.h"
#include "cli_target.h"
#include "error.h"
#include "host.h"
#include "intent.h"
#include "libvirt_run.h"
#include "report.h"
#include "sample.h"
#include "sysroot.h"
#include "units.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
        COL_NAME, COL_TYPE, COL_CELL, COL_MODE, COL_WANT, COL_SEEN, COL_SIZE,
        COL_PAGESIZE, COL_PAGES, COL_OFFNODE, COL_MATCH, COL_VERDICT, COL_REASON,
        COL_BACKEND,
};

static const np_column check_columns[] = {
        [COL_NAME] = { "NAME", 0.1, 0, "memory backend id or thread name" },
        [COL_TYPE] = { "TYPE", 0.05, 0, "memory, vcpu, emulator, iothread, cgroup or device" },
        [COL_CELL] = { "CELL", 0.05, SCOLS_FL_RIGHT, "guest NUMA cell" },
        [COL_MODE] = { "MODE", 0.05, 0, "numatune mode" },
        [COL_WANT] = { "WANT", 0.05, 0, "host nodes (memory) or CPUs (threads) the configuration allows" },
        [COL_SEEN] = { "SEEN", 0.1, 0, "memory policy in force, or CPUs the thread may run on" },
        [COL_SIZE] = { "SIZE", 0.05, SCOLS_FL_RIGHT, "size of the region" },
        [COL_PAGESIZE] = { "PAGESIZE", 0.05, SCOLS_FL_RIGHT, "page size asked" },
        [COL_PAGES] = { "PAGES", 0.1, 0, "resident memory per host node ('~': estimated from a sample; cgroup: what its statistics count)" },
        [COL_OFFNODE] = { "OFFNODE", 0.05, SCOLS_FL_RIGHT, "resident memory outside the allowed nodes" },
        [COL_MATCH] = { "MATCH", 0.05, 0, "how the mapping was found: name, size+policy, size" },
        [COL_VERDICT] = { "VERDICT", 0.05, 0, "compliant, warning, violation, unverified" },
        [COL_REASON] = { "REASON", 0.4, SCOLS_FL_WRAP, "why, in words" },
        [COL_BACKEND] = { "BACKEND", 0.1, 0, "the QEMU backend id the process holds the region in (shown by default where it is not NAME)" },
};
#define N_CHECK_COLUMNS (sizeof(check_columns) / sizeof(check_columns[0]))

static const int check_defaults[] = {
        COL_NAME, COL_MODE, COL_WANT, COL_SEEN, COL_PAGES, COL_VERDICT, COL_REASON,
};

enum {
        ICOL_ID, ICOL_CELL, ICOL_SIZE, ICOL_MODE, ICOL_NODES, ICOL_PAGESIZE,
        ICOL_BACKING, ICOL_SHARED, ICOL_BINDING,
};

static const np_column intent_columns[] = {
        [ICOL_ID] = { "ID", 0.1, 0, "QEMU memory backend id, as libvirt names it" },
        [ICOL_CELL] = { "CELL", 0.05, SCOLS_FL_RIGHT, "guest NUMA cell" },
        [ICOL_SIZE] = { "SIZE", 0.05, SCOLS_FL_RIGHT, "backend size" },
        [ICOL_MODE] = { "MODE", 0.05, 0, "strict, preferred, interleave, restrictive or none" },
        [ICOL_NODES] = { "NODES", 0.05, 0, "allowed host nodes ('auto' when numad decides)" },
        [ICOL_PAGESIZE] = { "PAGESIZE", 0.05, SCOLS_FL_RIGHT, "page size" },
        [ICOL_BACKING] = { "BACKING", 0.05, 0, "anonymous, file or memfd" },
        [ICOL_SHARED] = { "SHARED", 0.05, 0, "mapped shared" },
        [ICOL_BINDING] = { "BINDING", 0.05, 0, "how the binding is enforced: mbind, cgroup or none" },
};
#define N_INTENT_COLUMNS (sizeof(intent_columns) / sizeof(intent_columns[0]))

static const int intent_defaults[] = {
        ICOL_ID, ICOL_CELL, ICOL_SIZE, ICOL_MODE, ICOL_NODES, ICOL_PAGESIZE, ICOL_BACKING, ICOL_BINDING,
};

typedef struct check_args {
        np_target_args target;
        np_check_options options;
        np_output out;
} check_args;

static void usage_check(FILE *f)
{
        fputs("Usage:\n"
              " numaplace check [options] DOMAIN\n"
              " numaplace check [options] --xml FILE [--pid PID]\n"
              "\nCheck that a running VM's memory and vCPUs sit where its domain XML binds them.\n"
              "\nOptions:\n"
              " -c, --connect URI        libvirt URI (read-only connection)\n"
              " -x, --xml FILE           domain XML to check against ('-' for stdin)\n"
              " -p, --pid PID            the QEMU process (default: /run/libvirt/qemu/NAME.pid)\n"
              "     --status-xml FILE    libvirt status XML for placement='auto'\n"
              "                          (default: /run/libvirt/qemu/NAME.xml when present)\n"
              "     --preferred MODE     a preferred-mode fallback is a 'warning' (default) or a 'violation'\n"
              "     --device-policy P    a PCI device off the VM's nodes: 'preferred' warns (default),\n"
              "                          'required' and 'legacy' make it a violation (Nova's words)\n"
              "     --sample N           ask the kernel about N random pages per region instead of\n"
              "                          walking every page ('auto': 4096 for guests of 16 GiB or more;\n"
              "                          default 'off'); verdicts then state their confidence\n"
              "     --sysroot DIR        read /proc, /sys and /run below DIR\n"
              "", f);
        np_output_help_options(f, true);
        fputs("\nExit status: 0 compliant (warnings allowed), 1 violation, 2 trouble or unverified.\n", f);
        np_output_help_columns(f, check_columns, N_CHECK_COLUMNS);
}

static void usage_intent(FILE *f)
{
        fputs("Usage:\n"
              " numaplace intent [options] --xml FILE\n"
              "\nShow what a domain XML demands of NUMA placement: one row per QEMU memory backend.\n"
              "\nOptions:\n"
              " -x, --xml FILE           domain XML ('-' for stdin), a live one or libvirt's\n"
              "                          status XML; a configuration is sized as a new start\n"
              "     --sysroot DIR        the host whose nodes and huge pages the notes\n"
              "                          compare with (default: this one)\n"
              "", f);
        np_output_help_options(f, true);
        fputs("\nNotes (on standard error beside a table) say which sizes were assumed and\n"
              "which nodes or huge page sizes the XML names that the host lacks.\n", f);
        np_output_help_columns(f, intent_columns, N_INTENT_COLUMNS);
}

/* Parse the options check and intent share, and resolve -o against the
 * command's columns.  Returns -1 to exit with @ret_exit. */
static int parse_args(int argc, char **argv, bool is_check, check_args *a, int *ret_exit)
{
        static const struct option longopts[] = {
                NP_TARGET_LONGOPTS,
                NP_CHECK_LONGOPTS,
                NP_BYTES_LONGOPT,
                NP_OUTPUT_LONGOPTS,
                { NULL, 0, NULL, 0 },
        };
        int c, r;

        optind = 1;
        *ret_exit = NP_EXIT_TROUBLE;
        while ((c = getopt_long(argc, argv, "c:x:p:Jrno:bhV", longopts, NULL)) != -1) {
                if (c == NP_OPT_SAMPLE && !is_check) {
                        np_warnx("--sample: only check samples");
                        return -1;
                }
                r = np_target_option(&a->target, c, optarg);
                if (r == 0)
                        r = np_check_option(&a->options, c, optarg);
                if (r < 0)
                        return -1;
                if (r == 0 && !np_output_option(&a->out, c, optarg))
                        return np_cli_common_option(c, is_check ? "check" : "intent",
                                                    is_check ? usage_check : usage_intent, ret_exit);
        }
        if (is_check && np_target_operands(&a->target, "check", argc, argv, optind) < 0)
                return -1;
        if (!is_check && optind + 1 < argc) {
                np_warnx("unexpected argument '%s'", argv[optind + 1]);
                return -1;
        }
        if (!is_check && (optind < argc || !a->target.xml)) {
                np_warnx("intent needs --xml FILE");
                return -1;
        }
        if (a->out.json)
                return 0;
        if (is_check)
                return np_output_columns(&a->out, check_columns, N_CHECK_COLUMNS, check_defaults,
                                         sizeof(check_defaults) / sizeof(int));
        return np_output_columns(&a->out, intent_columns, N_INTENT_COLUMNS, intent_defaults,
                                 sizeof(intent_defaults) / sizeof(int));
}

static char *nodes_text(bool has, const np_bitmap *nodes, char *buf, size_t len)
{
        if (has)
                np_bitmap_format(nodes, buf, len);
        else
                snprintf(buf, len, "-");
        return buf;
}

static int print_intent_table(const np_output *out, const np_intent *intent)
{
        struct libscols_table *tb = np_output_table(out, intent_columns);

        if (!tb)
                return -1;
        for (size_t i = 0; i < intent->n_regions; i++) {
                const np_region *r = &intent->regions[i];
                struct libscols_line *ln = scols_table_new_line(tb, NULL);

                if (!ln) {
                        scols_unref_table(tb);
                        return -1;
                }
                for (size_t c = 0; c < out->n_columns; c++) {
                        char buf[1024];
                        const char *v = buf;

                        switch (out->columns[c]) {
                        case ICOL_ID: v = r->id; break;
                        case ICOL_CELL:
                                if (r->cell >= 0)
                                        snprintf(buf, sizeof(buf), "%d", r->cell);
                                else
                                        v = "-";
                                break;
                        case ICOL_SIZE: np_output_size(out, r->size_kib, buf, sizeof(buf)); break;
                        case ICOL_MODE: v = np_mode_to_string(r->mode); break;
                        case ICOL_NODES:
                                if (r->placement_auto && !r->has_nodes)
                                        v = "auto";
                                else
                                        nodes_text(r->has_nodes, &r->nodes, buf, sizeof(buf));
                                break;
                        case ICOL_PAGESIZE:
                                if (out->bytes)
                                        np_output_size(out, r->pagesize_kib, buf, sizeof(buf));
                                else
                                        np_format_pagesize(r->pagesize_kib, buf, sizeof(buf));
                                break;
                        case ICOL_BACKING: v = np_backing_to_string(r->backing); break;
                        case ICOL_SHARED: v = r->shared ? "yes" : "no"; break;
                        case ICOL_BINDING: v = np_enforcement_to_string(r->enforcement); break;
                        }
                        if (scols_line_set_data(ln, c, v) < 0) {
                                scols_unref_table(tb);
                                return -1;
                        }
                }
        }
        return np_output_print(tb);
}

static void pages_text(const np_output *out, const np_region_result *rr, char *buf, size_t len)
{
        np_bitmap shown = rr->nodes_seen;
        size_t used = 0;

        if (rr->region->has_nodes)
                np_bitmap_or(&shown, &rr->region->nodes);
        buf[0] = '\0';
        for (int n = np_bitmap_next(&shown, 0); n >= 0 && n < (int)NP_NODE_MAX;
             n = np_bitmap_next(&shown, (unsigned)n + 1)) {
                char size[32];

                /* "~": an estimate from a sample */
                used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%sN%d=%s%s",
                                         used ? " " : "", n,
                                         rr->sample.sampled && !rr->sample.exhaustive && rr->pages_kib[n] ? "~" : "",
                                         np_output_size(out, rr->pages_kib[n], size, sizeof(size)));
                if (used >= len)
                        break;
        }
        if (!used)
                snprintf(buf, len, "-");
}

/* The cgroup's per-node totals over every kind of memory it counts. */
static void cgroup_pages_text(const np_output *out, const np_numa_stat_result *ns, char *buf, size_t len)
{
        const np_cgroup_stat *st = ns->stat;
        np_bitmap nodes;
        size_t used = 0;

        buf[0] = '\0';
        if (!st)
                return;
        np_bitmap_clear(&nodes);
        for (size_t i = 0; i < st->n_rows; i++)
                for (unsigned k = 0; k < st->rows[i].n_nodes; k++)
                        np_bitmap_set(&nodes, st->rows[i].nodes[k].node);
        for (int n = np_bitmap_next(&nodes, 0); n >= 0 && used < len; n = np_bitmap_next(&nodes, (unsigned)n + 1)) {
                uint64_t kib = 0;
                char size[32];

                for (size_t i = 0; i < st->n_rows; i++)
                        kib += np_stat_row_kib(&st->rows[i], (unsigned)n);
                used += (size_t)snprintf(buf + used, len - used, "%sN%d=%s", used ? " " : "", n,
                                         np_output_size(out, kib, size, sizeof(size)));
        }
}

/* One table row: regions, then threads, then the cgroup. */
typedef struct row {
        const char *name, *type, *mode, *verdict, *reason, *match, *backend;
        char cell[16], want[1024], seen[1024], size[32], pagesize[32], pages[1024], offnode[32];
} row;

static int add_row(struct libscols_table *tb, const np_output *out, const row *rw)
{
        struct libscols_line *ln = scols_table_new_line(tb, NULL);

        if (!ln)
                return -1;
        for (size_t c = 0; c < out->n_columns; c++) {
                const char *v = "";

                switch (out->columns[c]) {
                case COL_NAME: v = rw->name; break;
                case COL_TYPE: v = rw->type; break;
                case COL_CELL: v = rw->cell; break;
                case COL_MODE: v = rw->mode; break;
                case COL_WANT: v = rw->want; break;
                case COL_SEEN: v = rw->seen; break;
                case COL_SIZE: v = rw->size; break;
                case COL_PAGESIZE: v = rw->pagesize; break;
                case COL_PAGES: v = rw->pages; break;
                case COL_OFFNODE: v = rw->offnode; break;
                case COL_MATCH: v = rw->match; break;
                case COL_VERDICT: v = rw->verdict; break;
                case COL_REASON: v = rw->reason; break;
                case COL_BACKEND: v = rw->backend; break;
                }
                if (scols_line_set_data(ln, c, v && *v ? v : "-") < 0)
                        return -1;
        }
        return 0;
}

/* The default columns, with BACKEND after NAME when the process calls a
 * region otherwise than the intent does (a QEMU not started by libvirt),
 * so the row shows both. */
static void columns_for(const np_output *in, const np_check_result *res, np_output *out)
{
        bool differ = false;
        size_t at = 0;

        *out = *in;
        if (in->columns_arg && in->columns_arg[0] != '+')
                return;
        for (size_t i = 0; i < res->n_regions; i++)
                if (res->regions[i].qemu_id[0] && strcmp(res->regions[i].qemu_id, res->regions[i].region->id))
                        differ = true;
        if (!differ || out->n_columns >= NP_MAX_COLUMNS)
                return;
        for (size_t c = 0; c < out->n_columns; c++) {
                if (out->columns[c] == COL_BACKEND)
                        return;
                if (out->columns[c] == COL_NAME)
                        at = c + 1;
        }
        memmove(&out->columns[at + 1], &out->columns[at], (out->n_columns - at) * sizeof(out->columns[0]));
        out->columns[at] = COL_BACKEND;
        out->n_columns++;
}

static void region_row(const np_output *out, const np_region_result *rr, row *rw)
{
        const np_region *r = rr->region;

        memset(rw, 0, sizeof(*rw));
        rw->name = r->id;
        rw->type = "memory";
        rw->mode = np_mode_to_string(r->mode);
        if (r->cell >= 0)
                snprintf(rw->cell, sizeof(rw->cell), "%d", r->cell);
        if (r->placement_auto && !r->has_nodes)
                snprintf(rw->want, sizeof(rw->want), "auto");
        else
                nodes_text(r->has_nodes, &r->nodes, rw->want, sizeof(rw->want));
        /* sampled: what QEMU's command line asked, not the kernel's view */
        snprintf(rw->seen, sizeof(rw->seen), "%s%s", rr->policy_seen,
                 rr->sample.sampled && rr->policy_seen[0] ? " (argv)" : "");
        np_output_size(out, r->size_kib, rw->size, sizeof(rw->size));
        np_format_pagesize(r->pagesize_kib, rw->pagesize, sizeof(rw->pagesize));
        pages_text(out, rr, rw->pages, sizeof(rw->pages));
        np_output_size(out, rr->off_node_kib, rw->offnode, sizeof(rw->offnode));
        rw->match = rr->how;
        rw->backend = rr->qemu_id;
        rw->verdict = np_verdict_to_string(rr->verdict);
        rw->reason = rr->reason;
}

static void thread_row(const np_thread_result *t, row *rw)
{
        memset(rw, 0, sizeof(*rw));
        rw->name = t->name;
        rw->type = np_thread_kind_to_string(t->kind);
        rw->mode = t->has_wanted ? "pinned" : "";
        nodes_text(t->has_wanted, &t->cpus_wanted, rw->want, sizeof(rw->want));
        nodes_text(t->tid != 0, &t->cpus_seen, rw->seen, sizeof(rw->seen));
        rw->verdict = np_verdict_to_string(t->verdict);
        rw->reason = t->reason;
}

static void cgroup_row(const np_output *out, const np_check_result *res, row *rw)
{
        memset(rw, 0, sizeof(*rw));
        rw->name = "cgroup";
        rw->type = "cgroup";
        nodes_text(res->has_cgroup_mems, &res->cgroup_mems, rw->seen, sizeof(rw->seen));
        if (res->numa_stat.stat) {
                uint64_t outside = 0;

                nodes_text(res->numa_stat.has_allowed, &res->numa_stat.allowed, rw->want, sizeof(rw->want));
                cgroup_pages_text(out, &res->numa_stat, rw->pages, sizeof(rw->pages));
                for (size_t i = 0; i < res->numa_stat.stat->n_rows; i++)
                        outside += res->numa_stat.outside_kib[i];
                if (res->numa_stat.has_allowed)
                        np_output_size(out, outside, rw->offnode, sizeof(rw->offnode));
        }
        rw->verdict = np_verdict_to_string(res->cgroup_verdict);
        rw->reason = res->cgroup_reason;
}

static void device_row(const np_device_result *d, np_device_policy policy, row *rw)
{
        memset(rw, 0, sizeof(*rw));
        rw->name = d->device->address;
        rw->type = "device";
        rw->mode = np_device_policy_to_string(policy);
        nodes_text(d->has_wanted, &d->nodes_wanted, rw->want, sizeof(rw->want));
        if (d->node >= 0)
                snprintf(rw->seen, sizeof(rw->seen), "node %d", d->node);
        else
                snprintf(rw->seen, sizeof(rw->seen), "%s", np_locality_to_string(d->locality));
        rw->verdict = np_verdict_to_string(d->verdict);
        rw->reason = d->reason;
}

static int print_check_table(const np_output *in, const np_check_result *res,
                             np_device_policy policy)
{
        np_output shown, *out = &shown;
        struct libscols_table *tb;
        char quiet_reason[128];
        size_t quiet = 0;
        row rw;

        columns_for(in, res, &shown);
        tb = np_output_table(out, check_columns);
        if (!tb)
                return -1;
        for (size_t i = 0; i < res->n_regions; i++) {
                region_row(out, &res->regions[i], &rw);
                if (add_row(tb, out, &rw) < 0)
                        goto fail;
        }
        for (size_t i = 0; i < res->n_threads; i++) {
                const np_thread_result *t = &res->threads[i];

                /* threads nothing pins and nothing faults are one row, so
                 * the table stays readable; JSON lists every thread */
                if (!t->has_wanted && t->verdict == NP_VERDICT_COMPLIANT) {
                        quiet++;
                        continue;
                }
                thread_row(t, &rw);
                if (add_row(tb, out, &rw) < 0)
                        goto fail;
        }
        if (quiet) {
                memset(&rw, 0, sizeof(rw));
                rw.name = "threads";
                rw.type = "thread";
                rw.verdict = np_verdict_to_string(NP_VERDICT_COMPLIANT);
                snprintf(quiet_reason, sizeof(quiet_reason), "%zu thread%s not pinned by the configuration",
                         quiet, quiet == 1 ? "" : "s");
                rw.reason = quiet_reason;
                if (add_row(tb, out, &rw) < 0)
                        goto fail;
        }
        cgroup_row(out, res, &rw);
        if (add_row(tb, out, &rw) < 0)
                goto fail;
        for (size_t i = 0; i < res->n_devices; i++) {
                device_row(&res->devices[i], policy, &rw);
                if (add_row(tb, out, &rw) < 0)
                        goto fail;
        }
        return np_output_print(tb);
fail:
        scols_unref_table(tb);
        return -1;
}

/* numad's nodeset for placement='auto': --status-xml, else libvirt's
 * status file below the sysroot when it exists. */
static int apply_status(const char *status_xml, const np_sysroot *root, np_intent *intent,
                        np_error *err)
{
        char *buf = NULL;
        size_t len = 0;
        int r;

        if (!status_xml) {
                r = np_libvirt_run_apply_status(root, intent->name, intent, err);
                return r == -ENOENT || r > 0 ? 0 : r;
        }
        r = np_file_read(status_xml, NP_DOMXML_MAX, &buf, &len, err);
        if (r == 0)
                r = np_intent_apply_status(intent, buf, len, status_xml, err);
        free(buf);
        return r;
}

int np_cli_complete_intent(const np_sysroot *root, const np_host *host, np_intent *intent,
                           const char *status_xml, np_error *err)
{
        if (host && host->default_hugepage_kib)
                np_intent_set_default_hugepage(intent, host->default_hugepage_kib);
        if (intent->placement_auto && intent->name)
                return apply_status(status_xml, root, intent, err);
        return 0;
}

/* The notes on the intent: the sizes assumed, and what of it this host
 * (the live one, or --sysroot) lacks.  A host that cannot be read gives
 * no host notes; a --sysroot that cannot be opened is an error. */
static int intent_notes(const check_args *a, np_intent *intent, np_error *err)
{
        np_sysroot *root = NULL;
        np_host *host = NULL;
        int r;

        r = np_sysroot_open(a->target.sysroot, &root, err);
        if (r < 0)
                return a->target.sysroot ? r : np_intent_add_notes(intent, NULL);
        if (np_host_read(root, &host, NULL) < 0)
                host = NULL;
        r = np_intent_add_notes(intent, host);
        np_host_free(host);
        np_sysroot_free(root);
        if (r < 0)
                return np_err(err, -r, "out of memory");
        return 0;
}

int np_cmd_intent(int argc, char **argv)
{
        check_args a = { 0 };
        np_intent *intent = NULL;
        np_error err = { "" };
        int code = NP_EXIT_TROUBLE;

        if (parse_args(argc, argv, false, &a, &code) < 0)
                return code;
        if (np_intent_read_domxml(a.target.xml, &intent, &err) < 0 || intent_notes(&a, intent, &err) < 0) {
                np_warnx("%s", err.msg);
                np_intent_free(intent);
                return NP_EXIT_TROUBLE;
        }
        if (a.out.json ? np_report_intent_json(stdout, intent, true) < 0
                       : print_intent_table(&a.out, intent) < 0) {
                np_warnx("cannot write the output");
                code = NP_EXIT_TROUBLE;
        } else {
                code = NP_EXIT_OK;
                /* beside the table, not in it: -r output stays parseable */
                for (size_t i = 0; !a.out.json && i < intent->n_notes; i++)
                        np_warnx("note: %s", intent->notes[i]);
        }
        np_intent_free(intent);
        return code;
}

int np_cmd_check(int argc, char **argv)
{
        check_args a = { 0 };
        np_check_result *res = NULL;
        np_error err = { "" };
        np_target t = { 0 };
        int code = NP_EXIT_TROUBLE;

        if (parse_args(argc, argv, true, &a, &code) < 0)
                return code;
        if (np_target_load(&a.target, &t, &err) < 0)
                goto fail;
        a.options.pid_from_name = !a.target.pid;
        if (np_check_process(t.root, t.intent, t.pid, &a.options, &res, &err) < 0)
                goto fail;
        if (a.out.json ? np_report_check_json(stdout, t.intent, res, true) < 0
                       : print_check_table(&a.out, res, a.options.device_policy) < 0) {
                np_err(&err, EIO, "cannot write the output");
                goto fail;
        }
        code = np_verdict_exit_code(res->verdict);
        goto out;
fail:
        np_warnx("%s", err.msg);
        code = NP_EXIT_TROUBLE;
out:
        np_check_result_free(res);
        np_target_clear(&t);
        return code;
}
