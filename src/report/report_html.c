/* report_html.c: a host's scan as one HTML page for people: the nightly
 * compliance report that is read in a browser or a mail client.
 *
 * The page stands alone: its style sheet is inline and it has no script,
 * font or image, so it shows the same from a file, an attachment or a
 * web server that serves nothing else, and loads nothing from anywhere.
 * It says which host and when, how many VMs had each verdict, the VMs
 * that could not be checked (as errors, apart), and per VM its verdict,
 * the reason, and one bar per guest RAM region: its resident bytes on
 * each host node, the nodes it is bound to in one colour and memory off
 * those nodes hatched in another and named so in words (a reader who
 * cannot tell the colours apart, or prints the page, loses nothing).
 * Figures estimated from sampled pages (--sample) are marked '~'.
 *
 * Every string that comes from a VM, a file or the host name is escaped
 * for HTML, and invalid UTF-8 is replaced as in the JUnit report. */
#include "report_fleet.h"
#include "utf8.h"
#include "bitmap.h"
#include "host.h"
#include "units.h"

#include <errno.h>
#include <inttypes.h>
#include <time.h>

static const char *html_escape(unsigned char c)
{
        switch (c) {
        case '&': return "&amp;";
        case '<': return "&lt;";
        case '>': return "&gt;";
        case '"': return "&quot;";
        case '\'': return "&#39;";
        case '\n': case '\t': return NULL;
        /* HTML forbids the other C0 controls and DEL in text */
        default: return c < 0x20 || c == 0x7f ? " " : NULL;
        }
}

static void text(FILE *out, const char *s)
{
        np_utf8_write(out, s, html_escape);
}

static const char style[] =
        "body{font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",\"DejaVu Sans\",sans-serif;"
        "color:#1f2328;background:#fff;margin:0 auto;padding:1.5em 2em;max-width:80em}\n"
        "h1{font-size:1.5em;margin:0 0 .2em}\n"
        "h2{font-size:1.15em;margin:1.6em 0 .5em;border-bottom:1px solid #d0d7de;padding-bottom:.2em}\n"
        ".meta{color:#57606a;margin:0}\n"
        ".counts{display:flex;flex-wrap:wrap;gap:.6em;list-style:none;padding:0;margin:1em 0 0}\n"
        ".counts li{border:1px solid #d0d7de;border-left-width:6px;border-radius:4px;padding:.35em .9em;min-width:7em}\n"
        ".counts .n{display:block;font-size:1.6em;font-weight:600}\n"
        "table{border-collapse:collapse;width:100%}\n"
        "th,td{text-align:left;vertical-align:top;padding:.45em .6em;border-bottom:1px solid #d0d7de}\n"
        "th{background:#f6f8fa;font-weight:600}\n"
        "td.vm{font-weight:600;word-break:break-all;min-width:8em}\n"
        "td.vm small{display:block;font-weight:400;color:#57606a}\n"
        "td.reason{max-width:28em}\n"
        ".verdict{display:inline-block;padding:.05em .5em;border-radius:1em;font-size:.85em;font-weight:600;"
        "color:#fff;white-space:nowrap}\n"
        ".verdict.v-compliant{background:#1a7f37}.counts li.v-compliant{border-left-color:#1a7f37}\n"
        ".verdict.v-warning{background:#9a6700}.counts li.v-warning{border-left-color:#9a6700}\n"
        ".verdict.v-unverified{background:#6e40c9}.counts li.v-unverified{border-left-color:#6e40c9}\n"
        ".verdict.v-violation{background:#cf222e}.counts li.v-violation{border-left-color:#cf222e}\n"
        ".verdict.v-error{background:#24292f}.counts li.v-error{border-left-color:#24292f}\n"
        ".counts li.zero{color:#8c959f;border-left-color:#d0d7de}\n"
        ".off-total{color:#a40e26}\n"
        ".region{margin:0 0 .7em;min-width:18em}\n"
        ".region .head{font-size:.9em}\n"
        ".region .head code{font-weight:600}\n"
        ".bar{display:flex;height:1.3em;border:1px solid #8c959f;border-radius:3px;overflow:hidden;"
        "background:#f6f8fa;margin:.2em 0}\n"
        ".bar span{display:block;min-width:3px;font-size:.75em;line-height:1.75em;color:#fff;"
        "white-space:nowrap;overflow:hidden;padding:0 .3em;box-sizing:border-box}\n"
        ".bar .bound{background:#2da44e}\n"
        ".bar .off{background:repeating-linear-gradient(135deg,#e5534b 0,#e5534b 6px,#b62324 6px,#b62324 12px)}\n"
        ".bar .unbound{background:#57606a}\n"
        ".bar .empty{color:#57606a;width:100%}\n"
        ".nodes{list-style:none;padding:0;margin:0;font-size:.85em;color:#57606a}\n"
        ".nodes li{display:inline;margin-right:1em}\n"
        ".nodes li.off{color:#a40e26;font-weight:600}\n"
        ".nodes li.bound{color:#1a7f37}\n"
        ".totals{margin:0;font-size:.9em;color:#57606a}\n"
        ".errors li{margin:.3em 0}\n"
        ".errors .what{font-weight:600}\n"
        "footer{margin-top:2em;color:#57606a;font-size:.85em}\n";

static const np_verdict shown_order[] = {
        NP_VERDICT_COMPLIANT, NP_VERDICT_WARNING, NP_VERDICT_UNVERIFIED,
        NP_VERDICT_VIOLATION, NP_VERDICT_ERROR,
};

static void verdict_badge(FILE *out, np_verdict v)
{
        fprintf(out, "<span class=\"verdict v-%s\">%s</span>", np_verdict_to_string(v), np_verdict_to_string(v));
}

static void header(FILE *out, const np_scan *scan)
{
        char when[32], iso[32], size[32];
        time_t t = (time_t)scan->timestamp;
        struct tm tm;

        gmtime_r(&t, &tm);
        strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
        strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);

        fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
              "<meta name=\"generator\" content=\"numaplace " NP_VERSION "\">\n<title>NUMA placement on ", out);
        text(out, scan->hostname);
        fprintf(out, ": %s</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n"
                     "<h1>NUMA placement on <span id=\"host\">", np_verdict_to_string(np_scan_verdict(scan)), style);
        text(out, scan->hostname);
        fprintf(out, "</span></h1>\n<p class=\"meta\">Scanned <time id=\"scan-time\" datetime=\"%s\">%s</time>; "
                     "%zu VM%s; overall ",
                iso, when, scan->n_vms, scan->n_vms == 1 ? "" : "s");
        verdict_badge(out, np_scan_verdict(scan));
        fputs("</p>\n", out);
        if (scan->host) {
                fputs("<p class=\"meta\" id=\"host-nodes\">Host NUMA nodes:", out);
                for (size_t i = 0; i < scan->host->n_nodes; i++)
                        fprintf(out, "%s node %u (%s)", i ? "," : "", scan->host->nodes[i].id,
                                np_format_kib(scan->host->nodes[i].mem_total_kib, size, sizeof(size)));
                fputs("</p>\n", out);
        }
        fputs("</header>\n", out);
}

static void counts(FILE *out, const np_scan *scan)
{
        size_t n[NP_VERDICT__COUNT] = { 0 };

        for (size_t i = 0; i < scan->n_vms; i++)
                n[np_scan_vm_verdict(&scan->vms[i])]++;
        fputs("<section id=\"counts\">\n<h2>VMs per verdict</h2>\n<ul class=\"counts\">\n", out);
        for (size_t i = 0; i < sizeof(shown_order) / sizeof(*shown_order); i++) {
                const char *name = np_verdict_to_string(shown_order[i]);

                fprintf(out, "<li class=\"v-%s%s\" id=\"count-%s\"><span class=\"n\">%zu</span>%s</li>\n", name,
                        n[shown_order[i]] ? "" : " zero", name, n[shown_order[i]], name);
        }
        fputs("</ul>\n</section>\n", out);
}

/* One error entry: the VM, and what could not be done. */
static void error_item(FILE *out, const np_scan_vm *vm, const char *what, const char *reason)
{
        fputs("<li><span class=\"what\">", out);
        text(out, vm->name);
        if (what) {
                fputs(" / ", out);
                text(out, what);
        }
        fputs("</span>: ", out);
        text(out, reason);
        fputs("</li>\n", out);
}

/* VMs that could not be checked, and any part of a checked VM whose
 * evidence could not be read: errors, not verdicts about placement. */
static void errors(FILE *out, const np_scan *scan)
{
        size_t n = 0;

        for (int pass = 0; pass < 2; pass++) {
                if (pass == 1) {
                        if (!n)
                                return;
                        fprintf(out, "<section id=\"errors\">\n<h2>Errors (%zu)</h2>\n"
                                     "<p>These could not be checked: their placement is unknown.</p>\n"
                                     "<ul class=\"errors\">\n", n);
                }
                for (size_t i = 0; i < scan->n_vms; i++) {
                        const np_scan_vm *vm = &scan->vms[i];
                        const np_check_result *res = vm->result;

                        if (!res) {
                                n += pass == 0;
                                if (pass)
                                        error_item(out, vm, NULL, vm->error ? vm->error : "not checked");
                                continue;
                        }
                        for (size_t r = 0; r < res->n_regions; r++)
                                if (res->regions[r].verdict == NP_VERDICT_ERROR) {
                                        n += pass == 0;
                                        if (pass)
                                                error_item(out, vm, res->regions[r].region->id, res->regions[r].reason);
                                }
                        for (size_t t = 0; t < res->n_threads; t++)
                                if (res->threads[t].verdict == NP_VERDICT_ERROR) {
                                        n += pass == 0;
                                        if (pass)
                                                error_item(out, vm, res->threads[t].name, res->threads[t].reason);
                                }
                        if (res->cgroup_verdict == NP_VERDICT_ERROR) {
                                n += pass == 0;
                                if (pass)
                                        error_item(out, vm, "cgroup", res->cgroup_reason);
                        }
                }
        }
        fputs("</ul>\n</section>\n", out);
}

/* @part of @whole as a CSS percentage with one decimal. */
static void percent(FILE *out, uint64_t part, uint64_t whole)
{
        uint64_t permille = whole ? (part * 1000 + whole / 2) / whole : 0;

        fprintf(out, "%" PRIu64 ".%" PRIu64 "%%", permille / 10, permille % 10);
}

static const char *node_class(const np_region *region, int node)
{
        if (!region->has_nodes)
                return "unbound";
        return np_bitmap_test(&region->nodes, (unsigned)node) ? "bound" : "off";
}

static void region_bar(FILE *out, const np_region_result *rr)
{
        const np_region *region = rr->region;
        np_bitmap shown = rr->nodes_seen;
        uint64_t total = 0;
        char size[32], phrase[256];
        bool estimated;

        if (region->has_nodes)
                np_bitmap_or(&shown, &region->nodes);
        for (int n = np_bitmap_next(&rr->nodes_seen, 0); n >= 0 && n < (int)NP_NODE_MAX;
             n = np_bitmap_next(&rr->nodes_seen, (unsigned)n + 1))
                total += rr->pages_kib[n];

        fprintf(out, "<div class=\"region\" data-region=\"");
        text(out, region->id);
        fputs("\">\n<div class=\"head\"><code>", out);
        text(out, region->id);
        fprintf(out, "</code> %s, ", np_mode_to_string(region->mode));
        if (region->has_nodes)
                fprintf(out, "bound to %s", np_bitmap_nodes_phrase(&region->nodes, phrase, sizeof(phrase)));
        else
                fputs("not bound to nodes", out);
        estimated = rr->sample.sampled && !rr->sample.exhaustive;
        fprintf(out, "; %s%s resident", estimated ? "~" : "", np_format_kib(total, size, sizeof(size)));
        if (estimated)
                fprintf(out, " (estimated from %" PRIu64 " sampled pages, each node's share within %s)",
                        rr->sample.present, np_format_kib(rr->sample.margin_kib, phrase, sizeof(phrase)));
        if (rr->off_node_kib)
                fprintf(out, ", <strong class=\"off-total\">%s off its nodes</strong>",
                        np_format_kib(rr->off_node_kib, size, sizeof(size)));
        fputs("</div>\n<div class=\"bar\">", out);
        if (!total)
                fputs("<span class=\"empty\">no pages yet</span>", out);
        for (int n = np_bitmap_next(&rr->nodes_seen, 0); total && n >= 0 && n < (int)NP_NODE_MAX;
             n = np_bitmap_next(&rr->nodes_seen, (unsigned)n + 1)) {
                const char *cls = node_class(region, n);

                if (!rr->pages_kib[n])
                        continue;
                np_format_kib(rr->pages_kib[n], size, sizeof(size));
                fprintf(out, "<span class=\"%s\" data-node=\"%d\" style=\"width:", cls, n);
                percent(out, rr->pages_kib[n], total);
                fprintf(out, "\" title=\"node %d: %s%s\">node %d%s</span>", n, size,
                        *cls == 'o' ? " off-node" : "", n, *cls == 'o' ? " off-node" : "");
        }
        fputs("</div>\n<ul class=\"nodes\">", out);
        for (int n = np_bitmap_next(&shown, 0); n >= 0 && n < (int)NP_NODE_MAX;
             n = np_bitmap_next(&shown, (unsigned)n + 1)) {
                const char *cls = node_class(region, n);

                fprintf(out, "<li class=\"%s\">node %d: %s%s%s</li>", cls, n, estimated ? "~" : "",
                        np_format_kib(rr->pages_kib[n], size, sizeof(size)),
                        *cls == 'o' ? " off-node" : *cls == 'b' ? " (bound)" : "");
        }
        fputs("</ul>\n</div>\n", out);
}

static void vm_row(FILE *out, const np_scan_vm *vm, size_t index)
{
        np_verdict v = np_scan_vm_verdict(vm);
        char summary[4096];

        fprintf(out, "<tr class=\"vm\" id=\"vm-%zu\" data-verdict=\"%s\">\n<td class=\"vm\">", index,
                np_verdict_to_string(v));
        text(out, vm->name);
        fputs("<small>", out);
        text(out, vm->source);
        if (vm->project) {
                fputs(", project ", out);
                text(out, vm->project);
        }
        if (vm->pid)
                fprintf(out, ", pid %d", (int)vm->pid);
        fputs("</small>", out);
        if (*np_scan_vm_uuid(vm)) {
                fputs("<small>", out);
                text(out, np_scan_vm_uuid(vm));
                fputs("</small>", out);
        }
        if (vm->intent && (vm->intent->nova_uuid || vm->intent->nova_flavor)) {
                fputs("<small>nova ", out);
                text(out, vm->intent->nova_uuid ? vm->intent->nova_uuid : "-");
                fputs(", flavor ", out);
                text(out, vm->intent->nova_flavor ? vm->intent->nova_flavor : "-");
                fputs("</small>", out);
        }
        fputs("</td>\n<td>", out);
        verdict_badge(out, v);
        fputs("</td>\n<td class=\"reason\">", out);
        np_scan_vm_summary(vm, summary, sizeof(summary));
        text(out, summary);
        fputs("</td>\n<td class=\"memory\">\n", out);
        if (!vm->result) {
                fputs("not checked\n", out);
        } else if (vm->result->by_totals) {
                char phrase[256];

                /* --screen: compliant by the cgroup's statistics, no walk,
                 * so no figures per region to draw */
                fputs("<p class=\"totals\">checked by totals: the cgroup's per-node statistics hold all of its "
                      "memory on its allowed ", out);
                if (vm->result->numa_stat.has_allowed)
                        fputs(np_bitmap_nodes_phrase(&vm->result->numa_stat.allowed, phrase, sizeof(phrase)), out);
                else
                        fputs("nodes", out);
                fputs("; its pages were not walked</p>\n", out);
        } else if (!vm->result->n_regions) {
                fputs("no guest RAM region\n", out);
        }
        for (size_t r = 0; vm->result && r < vm->result->n_regions; r++)
                region_bar(out, &vm->result->regions[r]);
        fputs("</td>\n</tr>\n", out);
}

int np_report_scan_html(FILE *out, const np_scan *scan)
{
        header(out, scan);
        fputs("<main>\n", out);
        counts(out, scan);
        errors(out, scan);
        fputs("<section id=\"vms\">\n<h2>VMs</h2>\n", out);
        if (!scan->n_vms)
                fputs("<p>No running VM was found.</p>\n", out);
        else
                fputs("<table>\n<thead>\n<tr><th>VM</th><th>Verdict</th><th>Reason</th>"
                      "<th>Memory per region and host node</th></tr>\n</thead>\n<tbody>\n", out);
        for (size_t i = 0; i < scan->n_vms; i++)
                vm_row(out, &scan->vms[i], i);
        if (scan->n_vms)
                fputs("</tbody>\n</table>\n", out);
        fputs("</section>\n</main>\n<footer>\n<p>Bars: a region's resident memory per host node. "
              "<span class=\"legend-bound\">Solid green</span>: on a node it is bound to; "
              "<span class=\"legend-off\">hatched red, \"off-node\"</span>: outside them; "
              "grey: a region not bound to nodes.  Written by numaplace " NP_VERSION
              " scan.</p>\n</footer>\n</body>\n</html>\n", out);
        return ferror(out) ? -EIO : 0;
}
