/* cli_host.c: `numaplace host`: the host's NUMA nodes, CPUs, distances,
 * memory and huge page pools.
 *
 * hwloc supplies the topology (nodes, CPU sets, memory, distances), reading
 * the sysroot the way its own tools take a filesystem root (HWLOC_FSROOT);
 * free memory and the free count of every huge page pool, which hwloc does
 * not report, come from numaplace's own /sys reader. */
#include "array.h"
#include "cli.h"
#include "cli_libvirt.h"
#include "error.h"
#include "host.h"
#include "hostcheck.h"
#include "intent.h"
#include "number.h"
#include "sysroot.h"
#include "units.h"

#include <getopt.h>
#include <hwloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

enum { COL_NODE, COL_CPUS, COL_MEMORY, COL_FREE, COL_HUGEPAGES, COL_DISTANCES };

static const np_column host_columns[] = {
        [COL_NODE] = { "NODE", 0.05, SCOLS_FL_RIGHT, "NUMA node number" },
        [COL_CPUS] = { "CPUS", 0.1, 0, "CPUs of the node" },
        [COL_MEMORY] = { "MEMORY", 0.05, SCOLS_FL_RIGHT, "memory of the node" },
        [COL_FREE] = { "FREE", 0.05, SCOLS_FL_RIGHT, "free memory of the node" },
        [COL_HUGEPAGES] = { "HUGEPAGES", 0.2, 0, "huge page pools: SIZE:free/total" },
        [COL_DISTANCES] = { "DISTANCES", 0.1, 0, "distances to every node, in node order" },
};
#define N_HOST_COLUMNS (sizeof(host_columns) / sizeof(host_columns[0]))

static const int host_defaults[] = {
        COL_NODE, COL_CPUS, COL_MEMORY, COL_FREE, COL_HUGEPAGES, COL_DISTANCES,
};

typedef struct node_row {
        unsigned id;
        np_bitmap cpus;
        uint64_t mem_kib, free_kib;
        const np_host_node *sys;
        char distances[256];
} node_row;

static void usage(FILE *f)
{
        fputs("Usage:\n"
              " numaplace host [options]\n"
              " numaplace host --check [options]\n"
              "\nShow the host's NUMA nodes: CPUs, memory, huge page pools and distances.\n"
              "With --check, judge the host settings that work against NUMA bindings\n"
              "(pass, warn, fail or skip, with the file, the value and what to do).\n"
              "\nOptions:\n"
              "     --sysroot DIR        read /proc and /sys below DIR\n"
              "     --check              check the host settings instead of listing nodes\n"
              " -x, --xml FILE           with --check: judge against this domain (repeatable;\n"
              "                          counted as starting at boot) instead of libvirt's\n"
              " -c, --connect URI        with --check: libvirt URI for the defined domains\n"
              "     --no-libvirt         with --check: do not ask libvirt\n"
              "     --previous FILE      with --check: an earlier 'host --check --json' report;\n"
              "                          counters are judged by their growth since\n"
              "", f);
        np_output_help_options(f, true);
        fputs("\nExit status with --check: 0 pass or warnings only, 1 a failure, 2 trouble.\n", f);
        np_output_help_columns(f, host_columns, N_HOST_COLUMNS);
}

static void hwloc_to_bitmap(hwloc_const_bitmap_t set, np_bitmap *ret)
{
        unsigned i;

        np_bitmap_clear(ret);
        hwloc_bitmap_foreach_begin(i, set)
                np_bitmap_set(ret, i);
        hwloc_bitmap_foreach_end();
}

/* Fill rows from hwloc; returns the count, or -1 when hwloc could not
 * load the topology from the root. */
static int rows_from_hwloc(const np_sysroot *root, const np_host *host, node_row **ret)
{
        struct hwloc_distances_s *dist = NULL;
        hwloc_topology_t topo;
        unsigned nr = 1;
        node_row *rows;
        int n;

        if (!root->live)
                setenv("HWLOC_FSROOT", root->path, 1);
        if (hwloc_topology_init(&topo) < 0)
                return -1;
        if (hwloc_topology_load(topo) < 0) {
                hwloc_topology_destroy(topo);
                return -1;
        }
        n = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
        rows = calloc(n > 0 ? (size_t)n : 1, sizeof(*rows));
        if (n <= 0 || !rows) {
                free(rows);
                hwloc_topology_destroy(topo);
                return -1;
        }
        if (hwloc_distances_get_by_type(topo, HWLOC_OBJ_NUMANODE, &nr, &dist, 0, 0) < 0 || nr == 0)
                dist = NULL;
        for (int i = 0; i < n; i++) {
                hwloc_obj_t o = hwloc_get_obj_by_type(topo, HWLOC_OBJ_NUMANODE, (unsigned)i);
                node_row *rw = &rows[i];

                rw->id = o->os_index;
                hwloc_to_bitmap(o->cpuset, &rw->cpus);
                rw->mem_kib = o->attr->numanode.local_memory / 1024;
                rw->sys = np_host_node_get(host, rw->id);
                rw->free_kib = rw->sys ? rw->sys->mem_free_kib : 0;
                if (dist) {
                        int idx = hwloc_distances_obj_index(dist, o);
                        size_t used = 0;

                        for (unsigned k = 0; idx >= 0 && k < dist->nbobjs; k++) {
                                used += (size_t)snprintf(rw->distances + used,
                                                         used < sizeof(rw->distances) ? sizeof(rw->distances) - used : 0,
                                                         "%s%llu", k ? " " : "",
                                                         (unsigned long long)dist->values[(unsigned)idx * dist->nbobjs + k]);
                        }
                }
        }
        if (dist)
                hwloc_distances_release(topo, dist);
        hwloc_topology_destroy(topo);
        *ret = rows;
        return n;
}

/* Without hwloc's view (a tree captured without CPU topology), the /sys
 * reader alone. */
static int rows_from_sys(const np_host *host, node_row **ret)
{
        node_row *rows = calloc(host->n_nodes ? host->n_nodes : 1, sizeof(*rows));

        if (!rows)
                return -1;
        for (size_t i = 0; i < host->n_nodes; i++) {
                const np_host_node *nd = &host->nodes[i];
                size_t used = 0;

                rows[i].id = nd->id;
                rows[i].cpus = nd->cpus;
                rows[i].mem_kib = nd->mem_total_kib;
                rows[i].free_kib = nd->mem_free_kib;
                rows[i].sys = nd;
                for (size_t k = 0; k < nd->n_distances; k++)
                        used += (size_t)snprintf(rows[i].distances + used,
                                                 used < sizeof(rows[i].distances) ? sizeof(rows[i].distances) - used : 0,
                                                 "%s%u", k ? " " : "", nd->distances[k]);
        }
        *ret = rows;
        return (int)host->n_nodes;
}

static void pools_text(const node_row *rw, char *buf, size_t len)
{
        size_t used = 0;

        buf[0] = '\0';
        for (size_t k = 0; rw->sys && k < rw->sys->n_pools; k++) {
                const np_hugepool *p = &rw->sys->pools[k];
                char size[16];

                used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s:%llu/%llu",
                                         used ? " " : "", np_format_pagesize(p->size_kib, size, sizeof(size)),
                                         (unsigned long long)p->free, (unsigned long long)p->total);
        }
        if (!used)
                snprintf(buf, len, "-");
}

static int print_json(const node_row *rows, int n, const np_host *host)
{
        np_json j;

        np_json_init(&j, stdout, true);
        np_json_object_begin(&j);
        np_json_kv_u64(&j, "default_hugepage_kib", host->default_hugepage_kib);
        np_json_key(&j, "nodes");
        np_json_array_begin(&j);
        for (int i = 0; i < n; i++) {
                char cpus[1024];

                np_bitmap_format(&rows[i].cpus, cpus, sizeof(cpus));
                np_json_object_begin(&j);
                np_json_kv_u64(&j, "node", rows[i].id);
                np_json_kv_string(&j, "cpus", cpus);
                np_json_kv_u64(&j, "memory_kib", rows[i].mem_kib);
                np_json_kv_u64(&j, "free_kib", rows[i].free_kib);
                np_json_key(&j, "hugepages");
                np_json_array_begin(&j);
                for (size_t k = 0; rows[i].sys && k < rows[i].sys->n_pools; k++) {
                        const np_hugepool *p = &rows[i].sys->pools[k];

                        np_json_object_begin(&j);
                        np_json_kv_u64(&j, "size_kib", p->size_kib);
                        np_json_kv_u64(&j, "total", p->total);
                        np_json_kv_u64(&j, "free", p->free);
                        np_json_kv_u64(&j, "surplus", p->surplus);
                        np_json_object_end(&j);
                }
                np_json_array_end(&j);
                np_json_key(&j, "distances");
                np_json_array_begin(&j);
                for (const char *p = rows[i].distances; *p;) {
                        uint64_t v;

                        p += strspn(p, " ");
                        if (np_parse_dec_prefix(&p, &v) < 0)
                                break;
                        np_json_u64(&j, v);
                }
                np_json_array_end(&j);
                np_json_object_end(&j);
        }
        np_json_array_end(&j);
        np_json_object_end(&j);
        return np_json_finish(&j);
}

typedef struct check_args {
        const char **xmls;
        size_t n_xmls;
        const char *uri;
        const char *previous;
        bool no_libvirt;
} check_args;

/* The domains the checks judge against: --xml files, else libvirt's
 * defined domains (live root only).  Returns 0 (also when libvirt cannot
 * be asked: @vms then says why), or -1 after printing the error. */
static int collect_domains(const check_args *a, const np_sysroot *root, const np_host *host,
                           np_hostcheck_vms *vms)
{
        np_libvirt_domain *list = NULL;
        np_error err = { "" };
        size_t n = 0;
        int r = 0;

        if (a->n_xmls) {
                vms->known = true;
                for (size_t i = 0; i < a->n_xmls && r == 0; i++) {
                        np_intent *in = NULL;

                        if (np_intent_read_domxml(a->xmls[i], &in, &err) < 0) {
                                np_warnx("%s", err.msg);
                                return -1;
                        }
                        np_intent_set_default_hugepage(in, host->default_hugepage_kib);
                        r = np_hostcheck_vms_add(vms, in, true);
                        np_intent_free(in);
                }
                goto out;
        }
        if (a->no_libvirt) {
                snprintf(vms->why_unknown, sizeof(vms->why_unknown),
                         "--no-libvirt: the defined domains were not asked for (give them with --xml)");
                return 0;
        }
        if (!root->live) {
                snprintf(vms->why_unknown, sizeof(vms->why_unknown),
                         "a replayed root has no libvirt (give the domains with --xml)");
                return 0;
        }
        if (np_libvirt_defined_domains(a->uri, &list, &n, &err) < 0) {
                snprintf(vms->why_unknown, sizeof(vms->why_unknown), "libvirt not reachable: %s", err.msg);
                return 0;
        }
        vms->known = true;
        for (size_t i = 0; i < n; i++) {
                np_intent *in = NULL;

                if (r == 0 && list[i].xml &&
                    np_intent_from_domxml(list[i].xml, strlen(list[i].xml), list[i].name, &in, &err) == 0) {
                        np_intent_set_default_hugepage(in, host->default_hugepage_kib);
                        r = np_hostcheck_vms_add(vms, in, list[i].autostart);
                        np_intent_free(in);
                } else if (r == 0) {
                        np_warnx("domain '%s': %s, ignoring", list[i].name,
                                 list[i].xml ? err.msg : "no XML (undefined meanwhile?)");
                }
                free(list[i].name);
                free(list[i].xml);
        }
        free(list);
out:
        if (r < 0) {
                np_warnx("out of memory");
                return -1;
        }
        return 0;
}

static void print_checks(const np_hostcheck_report *rp, const np_sysroot *root)
{
        for (size_t i = 0; i < rp->n_checks; i++) {
                const np_hostcheck *c = &rp->checks[i];
                char status[8], shown[1024];
                size_t k;

                for (k = 0; k + 1 < sizeof(status) && np_hostcheck_status_to_string(c->status)[k]; k++)
                        status[k] = (char)(np_hostcheck_status_to_string(c->status)[k] - 'a' + 'A');
                status[k] = '\0';
                printf("%-26s: %-4s %s%s%s\n", c->name, status,
                       c->file[0] && !strchr(c->file, '*') ? np_sysroot_display(root, c->file, shown, sizeof(shown))
                                                           : c->file,
                       c->file[0] ? " = " : "", c->value);
                if (c->advice[0])
                        printf("%-26s  %s\n", "", c->advice);
        }
}

static int run_checks(const check_args *a, const np_output *out, const char *sysroot)
{
        np_hostcheck_previous prev = { 0 };
        np_hostcheck_values *values = NULL;
        np_hostcheck_report *report = NULL;
        np_hostcheck_vms vms = { 0 };
        np_sysroot *root = NULL;
        np_host *host = NULL;
        np_error err = { "" };
        int code = NP_EXIT_TROUBLE;

        if (np_sysroot_open(sysroot, &root, &err) < 0 || np_host_read(root, &host, &err) < 0) {
                np_warnx("%s", err.msg);
                goto out;
        }
        if (a->previous) {
                char *text = NULL;
                size_t len = 0;
                int r = np_file_read(a->previous, 16u << 20, &text, &len, &err);

                if (r == 0)
                        r = np_hostcheck_previous_parse(text, len, a->previous, &prev, &err);
                free(text);
                if (r < 0) {
                        np_warnx("%s", err.msg);
                        goto out;
                }
        }
        if (collect_domains(a, root, host, &vms) < 0)
                goto out;
        if (np_hostcheck_read(root, host, &values, &err) < 0) {
                np_warnx("%s", err.msg);
                goto out;
        }
        if (np_hostcheck_judge(values, &vms, a->previous ? &prev : NULL, &report) < 0) {
                np_warnx("out of memory");
                goto out;
        }
        if (out->json) {
                if (np_hostcheck_report_json(stdout, report, true) < 0)
                        goto out;
        } else {
                print_checks(report, root);
                if (fflush(stdout) != 0 || ferror(stdout)) {
                        np_warnx("cannot write the output");
                        goto out;
                }
        }
        code = np_hostcheck_exit_code(report);
out:
        np_hostcheck_report_free(report);
        np_hostcheck_values_free(values);
        np_hostcheck_vms_done(&vms);
        np_hostcheck_previous_done(&prev);
        np_host_free(host);
        np_sysroot_free(root);
        return code;
}

enum { OPT_SYSROOT = 0x100, OPT_CHECK, OPT_PREVIOUS, OPT_NO_LIBVIRT };

typedef struct host_args {
        const char *sysroot;
        bool check;
        check_args ca;
        np_output out;
        size_t cap_xmls;
} host_args;

/* Returns -1 to exit with @ret_exit. */
static int parse_args(int argc, char **argv, host_args *a, int *ret_exit)
{
        static const struct option longopts[] = {
                { "sysroot", required_argument, NULL, OPT_SYSROOT },
                { "check", no_argument, NULL, OPT_CHECK },
                { "xml", required_argument, NULL, 'x' },
                { "connect", required_argument, NULL, 'c' },
                { "previous", required_argument, NULL, OPT_PREVIOUS },
                { "no-libvirt", no_argument, NULL, OPT_NO_LIBVIRT },
                NP_BYTES_LONGOPT,
                NP_OUTPUT_LONGOPTS,
                { NULL, 0, NULL, 0 },
        };
        check_args *ca = &a->ca;
        int c;

        optind = 1;
        *ret_exit = NP_EXIT_TROUBLE;
        while ((c = getopt_long(argc, argv, "x:c:Jrno:bhV", longopts, NULL)) != -1) {
                switch (c) {
                case OPT_SYSROOT: a->sysroot = optarg; break;
                case OPT_CHECK: a->check = true; break;
                case 'x':
                        if (np_array_reserve(&ca->xmls, &a->cap_xmls, ca->n_xmls + 1) < 0) {
                                np_warnx("out of memory");
                                return -1;
                        }
                        ca->xmls[ca->n_xmls++] = optarg;
                        break;
                case 'c': ca->uri = optarg; break;
                case OPT_PREVIOUS: ca->previous = optarg; break;
                case OPT_NO_LIBVIRT: ca->no_libvirt = true; break;
                default:
                        if (np_output_option(&a->out, c, optarg))
                                break;
                        return np_cli_common_option(c, "host", usage, ret_exit);
                }
        }
        if (optind < argc) {
                np_warnx("unexpected argument '%s'", argv[optind]);
                return -1;
        }
        if (!a->check && (ca->n_xmls || ca->uri || ca->previous || ca->no_libvirt)) {
                np_warnx("--xml, --connect, --previous and --no-libvirt go with --check");
                return -1;
        }
        return 0;
}

static void node_cell(const np_output *out, const void *row, int column, char *buf, size_t len,
                      const void *userdata)
{
        const node_row *r = row;

        (void)userdata;
        switch (column) {
        case COL_NODE: snprintf(buf, len, "%u", r->id); break;
        case COL_CPUS: np_bitmap_format(&r->cpus, buf, len); break;
        case COL_MEMORY: np_output_size(out, r->mem_kib, buf, len); break;
        case COL_FREE: np_output_size(out, r->free_kib, buf, len); break;
        case COL_HUGEPAGES: pools_text(r, buf, len); break;
        case COL_DISTANCES: snprintf(buf, len, "%s", r->distances[0] ? r->distances : "-"); break;
        }
}

/* The node table (or its JSON). */
static int list_nodes(const host_args *a)
{
        node_row *rows = NULL;
        np_sysroot *root = NULL;
        np_host *host = NULL;
        np_error err = { "" };
        int n, code = NP_EXIT_TROUBLE;

        if (np_sysroot_open(a->sysroot, &root, &err) < 0 || np_host_read(root, &host, &err) < 0) {
                np_warnx("%s", err.msg);
                goto out;
        }
        n = rows_from_hwloc(root, host, &rows);
        if (n < 0)
                n = rows_from_sys(host, &rows);
        if (n < 0) {
                np_warnx("out of memory");
                goto out;
        }
        if (a->out.json)
                code = print_json(rows, n, host) < 0 ? NP_EXIT_TROUBLE : NP_EXIT_OK;
        else
                code = np_output_print_rows(&a->out, host_columns, rows, (size_t)n, sizeof(*rows),
                                            node_cell, NULL) < 0 ? NP_EXIT_TROUBLE : NP_EXIT_OK;
out:
        free(rows);
        np_host_free(host);
        np_sysroot_free(root);
        return code;
}

int np_cmd_host(int argc, char **argv)
{
        host_args a = { 0 };
        int code;

        if (parse_args(argc, argv, &a, &code) == 0) {
                if (a.check)
                        code = run_checks(&a.ca, &a.out, a.sysroot);
                else if (!a.out.json && np_output_columns(&a.out, host_columns, N_HOST_COLUMNS, host_defaults,
                                                          sizeof(host_defaults) / sizeof(int)) < 0)
                        code = NP_EXIT_TROUBLE;
                else
                        code = list_nodes(&a);
        }
        free(a.ca.xmls);
        return code;
}
