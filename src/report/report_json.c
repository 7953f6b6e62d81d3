/* report_json.c: the intent and check documents other tools read.
 *
 * Field names are a contract (numaplace(1) JSON): add fields, never rename
 * them. */
#include "report.h"
#include "json.h"

#include <stdio.h>
#include <string.h>

static void nodes_value(np_json *j, bool has, const np_bitmap *nodes)
{
        char buf[1024];

        if (!has) {
                np_json_null(j);
                return;
        }
        np_bitmap_format(nodes, buf, sizeof(buf));
        np_json_string(j, buf);
}

static void domain_fields(np_json *j, const np_intent *intent)
{
        np_json_key(j, "domain");
        np_json_object_begin(j);
        np_json_kv_string(j, "name", intent->name);
        np_json_kv_string(j, "uuid", intent->uuid);
        np_json_object_end(j);
        if (intent->nova_uuid || intent->nova_flavor) {
                np_json_key(j, "nova");
                np_json_object_begin(j);
                np_json_kv_string(j, "uuid", intent->nova_uuid);
                np_json_kv_string(j, "flavor", intent->nova_flavor);
                np_json_object_end(j);
        }
}

static void region_fields(np_json *j, const np_region *r)
{
        np_json_kv_string(j, "id", r->id);
        np_json_key(j, "cell");
        if (r->cell >= 0)
                np_json_i64(j, r->cell);
        else
                np_json_null(j);
        np_json_kv_u64(j, "size_kib", r->size_kib);
        np_json_kv_string(j, "mode", np_mode_to_string(r->mode));
        np_json_key(j, "nodes");
        nodes_value(j, r->has_nodes, &r->nodes);
        np_json_kv_string(j, "placement", r->placement_auto ? "auto" : "static");
        np_json_kv_u64(j, "pagesize_kib", r->pagesize_kib);
        np_json_kv_string(j, "backing", np_backing_to_string(r->backing));
        np_json_kv_bool(j, "shared", r->shared);
        np_json_kv_string(j, "binding", np_enforcement_to_string(r->enforcement));
}

int np_report_intent_json(FILE *out, const np_intent *intent, bool pretty)
{
        np_json j;

        np_json_init(&j, out, pretty);
        np_json_object_begin(&j);
        domain_fields(&j, intent);
        np_json_key(&j, "numatune");
        if (intent->has_numatune) {
                np_json_object_begin(&j);
                np_json_kv_string(&j, "mode", np_mode_to_string(intent->mode));
                np_json_kv_string(&j, "placement", intent->placement_auto ? "auto" : "static");
                np_json_key(&j, "nodes");
                nodes_value(&j, intent->has_nodes, &intent->nodes);
                np_json_object_end(&j);
        } else {
                np_json_null(&j);
        }
        /* "live": ids and sizes as libvirt holds them for the running
         * domain; "new start": sizes rounded up as libvirt rounds them
         * when it starts the domain anew (xml_size_kib is the size as
         * written, which a domain that arrived by migration keeps) */
        np_json_kv_string(&j, "sizes", intent->live ? "live" : "new start");
        np_json_key(&j, "regions");
        np_json_array_begin(&j);
        for (size_t i = 0; i < intent->n_regions; i++) {
                np_json_object_begin(&j);
                region_fields(&j, &intent->regions[i]);
                np_json_kv_u64(&j, "xml_size_kib", intent->regions[i].xml_kib);
                np_json_object_end(&j);
        }
        np_json_array_end(&j);
        np_json_key(&j, "notes");
        np_json_array_begin(&j);
        for (size_t i = 0; i < intent->n_notes; i++)
                np_json_string(&j, intent->notes[i]);
        np_json_array_end(&j);
        np_json_key(&j, "pins");
        np_json_array_begin(&j);
        for (size_t i = 0; i < intent->n_pins; i++) {
                np_json_object_begin(&j);
                np_json_kv_string(&j, "kind", np_thread_kind_to_string(intent->pins[i].kind));
                np_json_kv_u64(&j, "id", intent->pins[i].id);
                np_json_key(&j, "cpus");
                nodes_value(&j, true, &intent->pins[i].cpus);
                np_json_object_end(&j);
        }
        np_json_array_end(&j);
        np_json_key(&j, "devices");
        np_json_array_begin(&j);
        for (size_t i = 0; i < intent->n_hostdevs; i++) {
                np_json_object_begin(&j);
                np_json_kv_string(&j, "address", intent->hostdevs[i].address);
                np_json_kv_string(&j, "type", intent->hostdevs[i].interface ? "interface" : "hostdev");
                np_json_object_end(&j);
        }
        np_json_array_end(&j);
        np_json_object_end(&j);
        return np_json_finish(&j);
}

/* {"node": value, ...} over the nodes the region's pages were seen on
 * and every node it is bound to, also with 0, so a reader sees where
 * the pages should have been. */
static void per_node_object(np_json *j, const np_region_result *rr, const uint64_t *values)
{
        np_bitmap shown = rr->nodes_seen;

        if (rr->region->has_nodes)
                np_bitmap_or(&shown, &rr->region->nodes);
        np_json_object_begin(j);
        for (int n = np_bitmap_next(&shown, 0); n >= 0 && n < (int)NP_NODE_MAX;
             n = np_bitmap_next(&shown, (unsigned)n + 1)) {
                char key[16];

                snprintf(key, sizeof(key), "%d", n);
                np_json_kv_u64(j, key, values[n]);
        }
        np_json_object_end(j);
}

static void row_nodes(np_json *j, const np_stat_row *row)
{
        np_json_object_begin(j);
        for (unsigned i = 0; i < row->n_nodes; i++) {
                char key[16];

                snprintf(key, sizeof(key), "%u", row->nodes[i].node);
                np_json_kv_u64(j, key, row->nodes[i].kib);
        }
        np_json_object_end(j);
}

/* The cgroup's per-node statistics, where each figure came from, and
 * how they compare with the allowed nodes and the walk. */
static void numa_stat_fields(np_json *j, const np_numa_stat_result *ns)
{
        const np_cgroup_stat *st = ns->stat;

        np_json_kv_string(j, "memory_path", st ? st->path : NULL);
        np_json_key(j, "numa_stat_kib");
        if (st) {
                np_json_object_begin(j);
                for (size_t i = 0; i < st->n_rows; i++) {
                        np_json_key(j, st->rows[i].name);
                        row_nodes(j, &st->rows[i]);
                }
                np_json_object_end(j);
                np_json_key(j, "numa_stat_files");
                np_json_object_begin(j);
                for (size_t i = 0; i < st->n_rows; i++)
                        np_json_kv_string(j, st->rows[i].name, st->rows[i].source);
                np_json_object_end(j);
        } else {
                np_json_null(j);
                np_json_kv_string(j, "numa_stat_note", ns->note);
        }
        np_json_key(j, "allowed_nodes");
        nodes_value(j, st && ns->has_allowed, &ns->allowed);
        np_json_key(j, "outside_kib");
        if (st && ns->has_allowed) {
                np_json_object_begin(j);
                for (size_t i = 0; i < st->n_rows; i++)
                        np_json_kv_u64(j, st->rows[i].name, ns->outside_kib[i]);
                np_json_object_end(j);
        } else {
                np_json_null(j);
        }
        if (ns->walked) {
                np_json_key(j, "hugetlb_walk_kib");
                np_json_object_begin(j);
                for (size_t i = 0; i < ns->n_walk; i++) {
                        np_json_key(j, ns->walk[i].name);
                        row_nodes(j, &ns->walk[i]);
                }
                np_json_object_end(j);
                np_json_kv_bool(j, "walk_disagrees", ns->walk_disagrees);
        }
        if (st) {
                np_json_kv_string(j, "numa_stat_verdict", np_verdict_to_string(ns->verdict));
                np_json_kv_string(j, "numa_stat_reason", ns->reason);
        }
}

/* A real number (bounds only; counts are integers); @key NULL after
 * np_json_key(). */
static void number_value(np_json *j, const char *key, double v)
{
        char buf[32];

        snprintf(buf, sizeof(buf), "%.6g", v);
        if (key)
                np_json_key(j, key);
        np_json_raw(j, buf);
}

/* Sampled regions only: what was asked, what the kernel answered and
 * the bounds the verdict rests on (sample.h). */
static void sample_object(np_json *j, const np_region_result *rr)
{
        const np_region_sample *s = &rr->sample;

        np_json_key(j, "sample");
        np_json_object_begin(j);
        np_json_kv_u64(j, "pages", s->requested);
        np_json_kv_u64(j, "drawn", s->drawn);
        np_json_kv_bool(j, "exhaustive", s->exhaustive);
        np_json_kv_u64(j, "present", s->present);
        np_json_kv_u64(j, "not_present", s->not_present);
        np_json_kv_u64(j, "errors", s->errors);
        np_json_key(j, "hits");
        per_node_object(j, rr, s->hits);
        np_json_kv_u64(j, "off_node", s->off_node);
        np_json_kv_u64(j, "pagesize_kib", s->pagesize_kib);
        number_value(j, "confidence", s->confidence);
        np_json_key(j, "off_node_bound");
        if (s->off_node)
                np_json_null(j); /* a page off its nodes is a fact, not a bound */
        else
                number_value(j, NULL, s->off_node_bound);
        number_value(j, "margin", s->margin);
        np_json_kv_u64(j, "margin_kib", s->margin_kib);
        np_json_kv_string(j, "policy_asked", rr->policy_seen[0] ? rr->policy_seen : NULL);
        np_json_object_end(j);
}

int np_report_check_json(FILE *out, const np_intent *intent,
                         const np_check_result *result, bool pretty)
{
        np_json j;

        np_json_init(&j, out, pretty);
        np_json_object_begin(&j);
        np_json_kv_string(&j, "verdict", np_verdict_to_string(result->verdict));
        domain_fields(&j, intent);
        np_json_kv_i64(&j, "pid", result->pid);
        /* "totals": the cgroup statistics alone (scan --screen), so no
         * region was walked */
        np_json_kv_string(&j, "checked_by", result->by_totals ? "totals" : "walk");

        np_json_key(&j, "regions");
        np_json_array_begin(&j);
        for (size_t i = 0; i < result->n_regions; i++) {
                const np_region_result *rr = &result->regions[i];

                np_json_object_begin(&j);
                region_fields(&j, rr->region);
                np_json_kv_string(&j, "attributed_by", rr->attributed ? rr->how : NULL);
                np_json_kv_string(&j, "qemu_id", rr->qemu_id[0] ? rr->qemu_id : NULL);
                np_json_kv_u64(&j, "mappings", rr->n_mappings);
                np_json_kv_u64(&j, "mapped_kib", rr->mapped_kib);
                /* the kernel's policy text only: a sampled check has
                 * what the command line asked instead (sample.policy_asked) */
                np_json_kv_string(&j, "policy_seen",
                                  rr->policy_seen[0] && !rr->sample.sampled ? rr->policy_seen : NULL);
                np_json_kv_u64(&j, "pagesize_seen_kib", rr->seen_pagesize_kib);
                np_json_key(&j, "pages_kib");
                per_node_object(&j, rr, rr->pages_kib);
                np_json_kv_u64(&j, "total_kib", rr->total_kib);
                np_json_kv_u64(&j, "off_node_kib", rr->off_node_kib);
                if (rr->sample.sampled)
                        sample_object(&j, rr);
                np_json_kv_string(&j, "verdict", np_verdict_to_string(rr->verdict));
                np_json_kv_string(&j, "reason", rr->reason);
                np_json_object_end(&j);
        }
        np_json_array_end(&j);

        np_json_key(&j, "threads");
        np_json_array_begin(&j);
        for (size_t i = 0; i < result->n_threads; i++) {
                const np_thread_result *t = &result->threads[i];

                np_json_object_begin(&j);
                np_json_kv_string(&j, "name", t->name);
                np_json_kv_i64(&j, "tid", t->tid);
                np_json_kv_string(&j, "kind", np_thread_kind_to_string(t->kind));
                np_json_key(&j, "id");
                if (t->id >= 0 && t->kind != NP_THREAD_EMULATOR)
                        np_json_i64(&j, t->id);
                else
                        np_json_null(&j);
                np_json_key(&j, "cpus_wanted");
                nodes_value(&j, t->has_wanted, &t->cpus_wanted);
                np_json_key(&j, "cpus_seen");
                nodes_value(&j, t->tid != 0, &t->cpus_seen);
                np_json_kv_string(&j, "verdict", np_verdict_to_string(t->verdict));
                np_json_kv_string(&j, "reason", t->reason);
                np_json_object_end(&j);
        }
        np_json_array_end(&j);

        np_json_key(&j, "cgroup");
        np_json_object_begin(&j);
        np_json_kv_string(&j, "path", result->cgroup_path);
        np_json_key(&j, "mems");
        nodes_value(&j, result->has_cgroup_mems, &result->cgroup_mems);
        np_json_kv_string(&j, "verdict", np_verdict_to_string(result->cgroup_verdict));
        np_json_kv_string(&j, "reason", result->cgroup_reason);
        numa_stat_fields(&j, &result->numa_stat);
        np_json_object_end(&j);

        np_json_key(&j, "devices");
        np_json_array_begin(&j);
        for (size_t i = 0; i < result->n_devices; i++) {
                const np_device_result *d = &result->devices[i];

                np_json_object_begin(&j);
                np_json_kv_string(&j, "address", d->device->address);
                np_json_kv_string(&j, "type", d->device->interface ? "interface" : "hostdev");
                np_json_key(&j, "node");
                if (d->node >= 0)
                        np_json_i64(&j, d->node);
                else
                        np_json_null(&j);
                np_json_key(&j, "nodes_wanted");
                nodes_value(&j, d->has_wanted, &d->nodes_wanted);
                np_json_kv_string(&j, "locality", np_locality_to_string(d->locality));
                np_json_kv_string(&j, "verdict", np_verdict_to_string(d->verdict));
                np_json_kv_string(&j, "reason", d->reason);
                np_json_object_end(&j);
        }
        np_json_array_end(&j);

        np_json_object_end(&j);
        return np_json_finish(&j);
}
