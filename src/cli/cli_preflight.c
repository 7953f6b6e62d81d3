/* cli_preflight.c: `numaplace preflight`: would this domain XML's bindings
 * hold on this host, before QEMU exists?  The same pre-flight the libvirt
 * hook runs at `prepare begin`. */
#include "cli.h"
#include "error.h"
#include "host.h"
#include "intent.h"
#include "json.h"
#include "preflight.h"
#include "sysroot.h"
#include "units.h"
#include "verdict.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

enum { COL_REGIONS, COL_KIND, COL_NODES, COL_PAGESIZE, COL_NEEDED, COL_FREE, COL_VERDICT, COL_MESSAGE };

static const np_column preflight_columns[] = {
        [COL_REGIONS] = { "REGIONS", 0.1, 0, "memory backends concerned" },
        [COL_KIND] = { "KIND", 0.05, 0, "no-such-node, no-memory, no-pagesize, unaligned, hugepages" },
        [COL_NODES] = { "NODES", 0.05, 0, "host nodes the figures are about" },
        [COL_PAGESIZE] = { "PAGESIZE", 0.05, SCOLS_FL_RIGHT, "huge page size" },
        [COL_NEEDED] = { "NEEDED", 0.05, SCOLS_FL_RIGHT, "huge pages the regions need" },
        [COL_FREE] = { "FREE", 0.05, SCOLS_FL_RIGHT, "free huge pages on those nodes" },
        [COL_VERDICT] = { "VERDICT", 0.05, 0, "violation, or warning for a preferred binding that would fall back" },
        [COL_MESSAGE] = { "MESSAGE", 0.5, SCOLS_FL_WRAP, "the shortfall in words" },
};
#define N_COLUMNS (sizeof(preflight_columns) / sizeof(preflight_columns[0]))

static const int defaults[] = { COL_REGIONS, COL_KIND, COL_VERDICT, COL_MESSAGE };

static void usage(FILE *f)
{
        fputs("Usage:\n"
              " numaplace preflight [options] --xml FILE\n"
              "\nCheck, before a VM starts, that the host can satisfy its NUMA bindings:\n"
              "bound nodes exist and have memory, and enough free huge pages of each size\n"
              "sit on the allowed nodes (the VM's regions counted together).\n"
              "\nOptions:\n"
              " -x, --xml FILE           domain XML ('-' for stdin)\n"
              "     --sysroot DIR        read /proc and /sys below DIR\n"
              "     --preferred MODE     a preferred binding that would fall back is a 'warning'\n"
              "                          (default) or a 'violation'\n"
              "", f);
        np_output_help_options(f, false);
        fputs("\nExit status: 0 the host can satisfy the bindings (a preferred binding that\n"
              "would fall back is a warning unless --preferred violation), 1 a shortfall,\n"
              "2 trouble.\n", f);
        np_output_help_columns(f, preflight_columns, N_COLUMNS);
}

static const char *verdict_of(const np_shortfall *s, bool preferred_is_violation)
{
        return np_verdict_to_string(np_verdict_for_shortfall(s, preferred_is_violation));
}

static int print_json(const np_intent *intent, const np_preflight *pf, bool preferred_is_violation)
{
        np_json j;

        np_json_init(&j, stdout, true);
        np_json_object_begin(&j);
        np_json_kv_string(&j, "verdict",
                          np_verdict_to_string(np_verdict_for_preflight(pf, preferred_is_violation)));
        np_json_key(&j, "domain");
        np_json_object_begin(&j);
        np_json_kv_string(&j, "name", intent->name);
        np_json_kv_string(&j, "uuid", intent->uuid);
        np_json_object_end(&j);
        np_json_key(&j, "shortfalls");
        np_json_array_begin(&j);
        for (size_t i = 0; i < pf->n_items; i++) {
                const np_shortfall *s = &pf->items[i];
                char nodes[1024];

                np_bitmap_format(&s->nodes, nodes, sizeof(nodes));
                np_json_object_begin(&j);
                np_json_kv_string(&j, "kind", np_shortfall_kind_to_string(s->kind));
                np_json_kv_string(&j, "regions", s->regions);
                np_json_kv_string(&j, "nodes", nodes);
                np_json_kv_u64(&j, "pagesize_kib", s->pagesize_kib);
                np_json_kv_u64(&j, "needed", s->needed);
                np_json_kv_u64(&j, "available", s->available);
                np_json_kv_string(&j, "verdict", verdict_of(s, preferred_is_violation));
                np_json_kv_string(&j, "message", s->message);
                np_json_object_end(&j);
        }
        np_json_array_end(&j);
        np_json_object_end(&j);
        return np_json_finish(&j);
}

static void shortfall_cell(const np_output *out, const void *row, int column, char *buf, size_t len,
                           const void *userdata)
{
        const np_shortfall *s = row;
        const bool *preferred_is_violation = userdata;

        (void)out;
        switch (column) {
        case COL_REGIONS: snprintf(buf, len, "%s", s->regions); break;
        case COL_KIND: snprintf(buf, len, "%s", np_shortfall_kind_to_string(s->kind)); break;
        case COL_NODES: np_bitmap_format(&s->nodes, buf, len); break;
        case COL_PAGESIZE:
                if (s->pagesize_kib)
                        np_format_pagesize(s->pagesize_kib, buf, len);
                break;
        case COL_NEEDED: snprintf(buf, len, "%llu", (unsigned long long)s->needed); break;
        case COL_FREE: snprintf(buf, len, "%llu", (unsigned long long)s->available); break;
        case COL_VERDICT: snprintf(buf, len, "%s", verdict_of(s, *preferred_is_violation)); break;
        case COL_MESSAGE: snprintf(buf, len, "%s", s->message); break;
        }
}

static int print_table(const np_output *out, const np_intent *intent, const np_preflight *pf,
                       bool preferred_is_violation)
{
        if (!pf->n_items) {
                if (!out->noheadings && !out->raw)
                        printf("'%s': the host can satisfy every binding\n", intent->name ? intent->name : "domain");
                return 0;
        }
        return np_output_print_rows(out, preflight_columns, pf->items, pf->n_items, sizeof(*pf->items),
                                    shortfall_cell, &preferred_is_violation);
}

int np_cmd_preflight(int argc, char **argv)
{
        static const struct option longopts[] = {
                { "xml", required_argument, NULL, 'x' },
                { "sysroot", required_argument, NULL, 0x100 },
                { "preferred", required_argument, NULL, NP_OPT_PREFERRED },
                NP_OUTPUT_LONGOPTS,
                { NULL, 0, NULL, 0 },
        };
        const char *xml = NULL, *sysroot = NULL;
        np_output out = { 0 };
        np_preflight *pf = NULL;
        np_intent *intent = NULL;
        np_sysroot *root = NULL;
        np_host *host = NULL;
        np_error err = { "" };
        np_check_options opts = { 0 };
        int c, code = NP_EXIT_TROUBLE;

        optind = 1;
        while ((c = getopt_long(argc, argv, "x:Jrno:hV", longopts, NULL)) != -1) {
                switch (c) {
                case 'x': xml = optarg; break;
                case 0x100: sysroot = optarg; break;
                case NP_OPT_PREFERRED:
                        if (np_check_option(&opts, c, optarg) < 0)
                                return NP_EXIT_TROUBLE;
                        break;
                default:
                        if (np_output_option(&out, c, optarg))
                                break;
                        np_cli_common_option(c, "preflight", usage, &code);
                        return code;
                }
        }
        if (optind < argc || !xml) {
                np_warnx(optind < argc ? "unexpected argument '%s'" : "preflight needs --xml FILE%s",
                         optind < argc ? argv[optind] : "");
                return NP_EXIT_TROUBLE;
        }
        if (!out.json && np_output_columns(&out, preflight_columns, N_COLUMNS, defaults,
                                           sizeof(defaults) / sizeof(int)) < 0)
                return NP_EXIT_TROUBLE;
        if (np_intent_read_domxml(xml, &intent, &err) < 0 ||
            np_sysroot_open(sysroot, &root, &err) < 0 ||
            np_host_read(root, &host, &err) < 0 ||
            np_preflight_run(intent, host, &pf, &err) < 0) {
                np_warnx("%s", err.msg);
                goto out;
        }
        if (out.json ? print_json(intent, pf, opts.preferred_is_violation) < 0
                     : print_table(&out, intent, pf, opts.preferred_is_violation) < 0) {
                np_warnx("cannot write the output");
                goto out;
        }
        code = np_verdict_exit_code(np_verdict_for_preflight(pf, opts.preferred_is_violation));
out:
        np_preflight_free(pf);
        np_host_free(host);
        np_sysroot_free(root);
        np_intent_free(intent);
        return code;
}
