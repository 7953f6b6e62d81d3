/* verdict.c: decide, per region, thread, cgroup and device, whether the
 * binding holds, and say each verdict's name and exit code.  Everything
 * here is a pure function of what was read. */
#include "verdict.h"
#include "enum.h"
#include "preflight.h"
#include "sample.h"
#include "units.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const verdict_names[NP_VERDICT__COUNT] = {
        [NP_VERDICT_COMPLIANT] = "compliant",
        [NP_VERDICT_WARNING] = "warning",
        [NP_VERDICT_UNVERIFIED] = "unverified",
        [NP_VERDICT_VIOLATION] = "violation",
        [NP_VERDICT_ERROR] = "error",
};

NP_ENUM_TO_STRING(np_verdict_to_string, np_verdict, verdict_names, "error")

static const char *const device_policy_names[NP_DEVICE_POLICY__COUNT] = {
        [NP_DEVICE_POLICY_PREFERRED] = "preferred",
        [NP_DEVICE_POLICY_REQUIRED] = "required",
        [NP_DEVICE_POLICY_LEGACY] = "legacy",
};

NP_ENUM_TO_STRING(np_device_policy_to_string, np_device_policy, device_policy_names, "preferred")

NP_ENUM_FROM_STRING(np_device_policy_from_string, np_device_policy, device_policy_names)

static const char *const locality_names[NP_LOCALITY__COUNT] = {
        [NP_LOCALITY_LOCAL] = "local",
        [NP_LOCALITY_REMOTE] = "remote",
        [NP_LOCALITY_UNBOUND] = "unbound",
        [NP_LOCALITY_UNKNOWN] = "unknown",
        [NP_LOCALITY_ABSENT] = "absent",
};

NP_ENUM_TO_STRING(np_locality_to_string, np_locality, locality_names, "unknown")

bool np_verdict_holds(np_verdict verdict)
{
        return verdict == NP_VERDICT_COMPLIANT || verdict == NP_VERDICT_WARNING;
}

bool np_verdict_unproven(np_verdict verdict)
{
        return !np_verdict_holds(verdict) && verdict != NP_VERDICT_VIOLATION;
}

int np_verdict_exit_code(np_verdict verdict)
{
        if (np_verdict_holds(verdict))
                return 0;
        return np_verdict_unproven(verdict) ? 2 : 1;
}

np_verdict np_verdict_worst(np_verdict a, np_verdict b)
{
        return a > b ? a : b;
}

np_verdict np_verdict_for_vm(bool checked, np_verdict check, np_verdict findings)
{
        return checked ? np_verdict_worst(check, findings) : NP_VERDICT_ERROR;
}

/* Append a sentence to @reason ("; " between sentences) and raise
 * @verdict to @v: how every judgement here builds its result. */
__attribute__((format(printf, 5, 0)))
static void add_sentence(char *reason, size_t size, np_verdict *verdict, np_verdict v,
                         const char *fmt, va_list ap)
{
        size_t used = strlen(reason);

        if (used && used + 2 < size) {
                memcpy(reason + used, "; ", 3);
                used += 2;
        }
        vsnprintf(reason + used, size - used, fmt, ap);
        *verdict = np_verdict_worst(*verdict, v);
}

/* add_sentence() to a region's result. */
__attribute__((format(printf, 3, 4)))
static void add(np_region_result *ret, np_verdict v, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        add_sentence(ret->reason, sizeof(ret->reason), &ret->verdict, v, fmt, ap);
        va_end(ap);
}

/* The policy text libvirt's backend would show in numa_maps (a
 * preference said as for one node, "prefer:SET"). */
static void expected_policy(const np_region *region, char *buf, size_t len)
{
        np_policy_kind kind = np_mode_kernel_policy(region->mode, 1);
        char set[256];

        np_bitmap_format(&region->nodes, set, sizeof(set));
        if (region->enforcement == NP_ENFORCE_MBIND && kind != NP_POLICY_DEFAULT)
                snprintf(buf, len, "%s:%s", np_policy_kind_to_string(kind), set);
        else
                snprintf(buf, len, "default");
}

/* A numa_maps line is a policy source even where the reader did not say so. */
static np_policy_source policy_source(const np_mapping *m)
{
        if (m->policy_source != NP_POLICY_SOURCE_NONE)
                return m->policy_source;
        return m->has_numa ? NP_POLICY_SOURCE_NUMA_MAPS : NP_POLICY_SOURCE_NONE;
}

static bool policy_in_force(const np_region *region, const np_mapping *m)
{
        if (policy_source(m) == NP_POLICY_SOURCE_NONE || !m->has_policy_nodes)
                return false;
        if (!np_bitmap_is_subset(&m->policy_nodes, &region->nodes))
                return false;
        /* interleaving over fewer nodes is another placement */
        return np_mode_policy_holds(region->mode, m->policy) &&
               (region->mode != NP_MODE_INTERLEAVE || np_bitmap_equal(&m->policy_nodes, &region->nodes));
}

static void sat_add(uint64_t *sum, uint64_t v)
{
        if (__builtin_add_overflow(*sum, v, sum))
                *sum = UINT64_MAX;
}

static void gather(const np_region *region, const np_mapping *const *maps,
                   size_t n_maps, np_region_result *ret)
{
        for (size_t i = 0; i < n_maps; i++) {
                const np_mapping *m = maps[i];
                uint64_t page = m->pagesize_kib ? m->pagesize_kib : 4;

                sat_add(&ret->mapped_kib, (m->end - m->start) / 1024);
                if ((int)policy_source(m) > ret->policy_source)
                        ret->policy_source = policy_source(m);
                if (policy_source(m) != NP_POLICY_SOURCE_NONE && !strstr(ret->policy_seen, m->policy_text)) {
                        size_t used = strlen(ret->policy_seen);

                        snprintf(ret->policy_seen + used, sizeof(ret->policy_seen) - used,
                                 "%s%s", used ? "," : "", m->policy_text);
                }
                if (m->pagesize_kib > ret->seen_pagesize_kib)
                        ret->seen_pagesize_kib = m->pagesize_kib;
                for (unsigned k = 0; k < m->n_nodes; k++) {
                        unsigned node = m->nodes[k].node;
                        uint64_t kib = m->nodes[k].pages * page;

                        if (node >= NP_NODE_MAX || !kib)
                                continue;
                        /* each mapping's pages fit its length (check.c);
                         * only overlapping forged mappings could add up
                         * past 64 bits: stop at the top, never wrap */
                        sat_add(&ret->pages_kib[node], kib);
                        sat_add(&ret->total_kib, kib);
                        np_bitmap_set(&ret->nodes_seen, node);
                        if (region->has_nodes && !np_bitmap_test(&region->nodes, node))
                                sat_add(&ret->off_node_kib, kib);
                }
        }
}

/* Sampled mode: the tallies of the region's mappings, and what they
 * let one say about where its memory is (sample.h). */
static void gather_sampled(const np_region *region, const np_mapping *const *maps,
                           size_t n_maps, unsigned requested, np_region_result *ret)
{
        np_region_sample *s = &ret->sample;
        uint64_t total_pages = 0, present = 0, exact_kib[NP_NODE_MAX] = { 0 };
        np_bitmap shown;
        int last = -1;

        s->sampled = true;
        s->requested = requested;
        s->confidence = 1.0 - NP_SAMPLE_ALPHA;
        for (size_t i = 0; i < n_maps; i++) {
                const np_mapping *m = maps[i];
                const np_sample_tally *t = m->sample;
                uint64_t page = m->pagesize_kib ? m->pagesize_kib : 4;

                if (page > s->pagesize_kib)
                        s->pagesize_kib = page;
                total_pages += ((m->end - m->start) / 1024 + page - 1) / page;
                if (!t)
                        continue;
                s->drawn += t->drawn;
                s->not_present += t->not_present;
                s->errors += t->errors;
                for (unsigned n = 0; n < NP_NODE_MAX; n++) {
                        if (!t->hits[n])
                                continue;
                        s->hits[n] += t->hits[n];
                        exact_kib[n] += t->hits[n] * page;
                        if ((int)n > last)
                                last = (int)n;
                }
        }
        s->exhaustive = s->drawn && s->drawn == total_pages && total_pages <= requested;
        for (int n = 0; n <= last; n++) {
                uint64_t kib;

                if (!s->hits[n])
                        continue;
                present += s->hits[n];
                /* a uniform sample over the region's bytes: each node's
                 * share of the samples estimates its share of the region */
                kib = s->exhaustive ? exact_kib[n] : (s->hits[n] * ret->mapped_kib + s->drawn / 2) / s->drawn;
                ret->pages_kib[n] = kib;
                ret->total_kib += kib;
                np_bitmap_set(&ret->nodes_seen, (unsigned)n);
                if (region->has_nodes && !np_bitmap_test(&region->nodes, (unsigned)n)) {
                        ret->off_node_kib += kib;
                        s->off_node += s->hits[n];
                }
        }
        s->present = present;
        shown = ret->nodes_seen;
        if (region->has_nodes)
                np_bitmap_or(&shown, &region->nodes);
        if (s->exhaustive) {
                s->off_node_bound = 0;
                s->margin = 0;
        } else {
                s->off_node_bound = np_sample_off_node_bound(present, NP_SAMPLE_ALPHA);
                s->margin = np_sample_margin(s->drawn, np_bitmap_count(&shown), NP_SAMPLE_ALPHA);
                s->margin_kib = (uint64_t)(s->margin * (double)ret->mapped_kib + 0.999);
        }
}

/* The present samples off the region's nodes: "7 of 700 sampled pages"
 * in @count, "4 on node 0, 3 on node 2" in @detail. */
static void sampled_off_phrase(const np_region *region, const np_region_result *ret,
                               char *count, size_t count_len, char *detail, size_t len)
{
        size_t used = 0;

        snprintf(count, count_len, "%" PRIu64 " of %" PRIu64 " sampled pages",
                 ret->sample.off_node, ret->sample.present);
        detail[0] = '\0';
        for (int n = np_bitmap_next(&ret->nodes_seen, 0); n >= 0 && used < len;
             n = np_bitmap_next(&ret->nodes_seen, (unsigned)n + 1)) {
                if (np_bitmap_test(&region->nodes, (unsigned)n))
                        continue;
                used += (size_t)snprintf(detail + used, len - used, "%s%" PRIu64 " on node %d",
                                         used ? ", " : "", ret->sample.hits[n], n);
        }
}

/* "0 of 700 sampled pages off node 1: less than 0.99% of the region off
 * its nodes at 99.9% confidence" (@what: "off node 1", "off the
 * preferred node 1", "outside the interleave set nodes 0-1"). */
static void sampled_bound_phrase(const np_region_result *ret, const char *what,
                                 char *buf, size_t len)
{
        const np_region_sample *s = &ret->sample;
        char bound[32], conf[32];

        np_format_pct_ceil(s->off_node_bound, bound, sizeof(bound));
        snprintf(conf, sizeof(conf), "%.1f%%", s->confidence * 100.0);
        if (!s->not_present && !s->errors)
                snprintf(buf, len, "0 of %" PRIu64 " sampled pages %s: less than %s of the region off its nodes at %s confidence",
                         s->present, what, bound, conf);
        else
                snprintf(buf, len, "0 of %" PRIu64 " sampled resident pages %s (%" PRIu64 " of %" PRIu64
                         " samples found no page): less than %s of its resident memory off its nodes at %s confidence",
                         s->present, what, s->not_present + s->errors, s->drawn, bound, conf);
}

static void judge_pagesize(const np_region *region, const np_mapping *const *maps,
                           size_t n_maps, np_region_result *ret)
{
        char want[16], got[16];

        for (size_t i = 0; i < n_maps; i++) {
                const np_mapping *m = maps[i];

                if (region->pagesize_kib > 4 && !m->huge) {
                        add(ret, NP_VERDICT_VIOLATION, "%s huge pages asked, the mapping is backed by %s pages",
                            np_format_pagesize(region->pagesize_kib, want, sizeof(want)),
                            np_format_pagesize(m->pagesize_kib ? m->pagesize_kib : 4, got, sizeof(got)));
                        return;
                }
                if (region->pagesize_kib > 4 && m->pagesize_kib && m->pagesize_kib != region->pagesize_kib) {
                        add(ret, NP_VERDICT_VIOLATION, "%s huge pages asked, %s pages found",
                            np_format_pagesize(region->pagesize_kib, want, sizeof(want)),
                            np_format_pagesize(m->pagesize_kib, got, sizeof(got)));
                        return;
                }
                if (region->pagesize_kib <= 4 && m->huge) {
                        add(ret, NP_VERDICT_WARNING, "hugetlb pages found where the configuration asks for none");
                        return;
                }
        }
}

/* Off-node pages, largest first, as "512 MiB on node 0, 2 MiB on node 2". */
static void off_node_phrase(const np_region *region, const np_region_result *ret,
                            char *buf, size_t len)
{
        size_t used = 0;

        buf[0] = '\0';
        for (int n = np_bitmap_next(&ret->nodes_seen, 0); n >= 0;
             n = np_bitmap_next(&ret->nodes_seen, (unsigned)n + 1)) {
                char size[32];

                if (np_bitmap_test(&region->nodes, (unsigned)n))
                        continue;
                used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s on node %d",
                                         used ? ", " : "",
                                         np_format_kib(ret->pages_kib[n], size, sizeof(size)), n);
                if (used >= len)
                        break;
        }
}

static void judge_interleave_balance(const np_region *region,
                                     const np_check_options *options,
                                     np_region_result *ret)
{
        unsigned pct = options && options->interleave_imbalance_pct ? options->interleave_imbalance_pct : 25;
        unsigned count = np_bitmap_count(&region->nodes);
        uint64_t even, slack, page = ret->seen_pagesize_kib ? ret->seen_pagesize_kib : 4;

        if (count < 2 || !ret->total_kib)
                return;
        even = ret->total_kib / count;
        slack = even * pct / 100;
        if (slack < 2 * page)
                slack = 2 * page; /* interleave alternates page by page */
        /* an estimate may be off by its margin without the pages being so */
        if (ret->sample.sampled && !ret->sample.exhaustive)
                slack += ret->sample.margin_kib;
        for (int n = np_bitmap_next(&region->nodes, 0); n >= 0;
             n = np_bitmap_next(&region->nodes, (unsigned)n + 1)) {
                uint64_t have = ret->pages_kib[n];
                uint64_t diff = have > even ? have - even : even - have;

                if (diff > slack) {
                        char a[32], b[32];

                        add(ret, NP_VERDICT_WARNING, "interleave is uneven: node %d holds %s where an even share is %s",
                            n, np_format_kib(have, a, sizeof(a)), np_format_kib(even, b, sizeof(b)));
                        return;
                }
        }
}

void np_verdict_for_region(const np_region *region, const np_mapping *const *maps,
                           size_t n_maps, np_match how, const np_bitmap *cgroup_mems,
                           const np_check_options *options, np_region_result *ret)
{
        np_verdict_for_region_in(region, NULL, maps, n_maps, how, cgroup_mems, options, ret);
}

/* What was looked for when nothing could be attributed: said as it
 * was, so the reason never claims a search that was not made. */
static void unattributed(const np_region *region, const np_region_graph *graph,
                         np_region_result *ret)
{
        np_backing backing = graph && graph->has_backend ? graph->backing : region->backing;
        uint64_t size_kib = graph && graph->has_backend && graph->size_kib ? graph->size_kib : region->size_kib;
        const char *kind = backing == NP_BACKING_MEMFD ? "memfd" :
                           backing == NP_BACKING_FILE ? "hugetlbfs or shared file" : "anonymous";
        char size[32];

        np_format_kib(size_kib, size, sizeof(size));
        if (graph && graph->has_backend)
                add(ret, NP_VERDICT_UNVERIFIED,
                    "no mapping of the process could be attributed to %s: none is named after its QEMU backend '%s' and no %s mapping is %s",
                    region->id, graph->qemu_id, kind, size);
        else if (graph && graph->cmdline_known)
                add(ret, NP_VERDICT_UNVERIFIED,
                    "no mapping of the process could be attributed to %s: no QEMU backend on the command line holds it, none is named after it and no %s mapping is %s",
                    region->id, kind, size);
        else
                add(ret, NP_VERDICT_UNVERIFIED,
                    "no mapping of the process could be attributed to %s: none is named after it and no %s mapping is %s",
                    region->id, kind, size);
}

/* The figures of @ret from the region's mappings: walked, or sampled
 * when any mapping carries a sample.  Returns whether it was sampled. */
static bool gather_any(const np_region *region, const np_mapping *const *maps, size_t n_maps,
                       const np_check_options *options, np_region_result *ret)
{
        bool sampled = false;

        for (size_t i = 0; i < n_maps; i++)
                sampled |= maps[i]->sample != NULL;
        gather(region, maps, n_maps, ret);
        if (sampled) {
                memset(ret->pages_kib, 0, sizeof(ret->pages_kib));
                np_bitmap_clear(&ret->nodes_seen);
                ret->total_kib = ret->off_node_kib = 0;
                gather_sampled(region, maps, n_maps, options ? options->sample_pages : 0, ret);
        }
        return sampled;
}

/* maps and numa_maps list the same mappings: one missing from numa_maps
 * was not read, and no pages is no proof (a sampled mapping reads no
 * numa_maps: its sample is what was read).  Says so and returns true
 * when a mapping's pages are unknown. */
static bool pages_unread(const np_mapping *const *maps, size_t n_maps, np_region_result *ret)
{
        for (size_t i = 0; i < n_maps; i++)
                if (!maps[i]->has_numa && !maps[i]->sample) {
                        add(ret, NP_VERDICT_UNVERIFIED,
                            "mapping %llx is in maps but not in numa_maps: its pages could not be read",
                            (unsigned long long)maps[i]->start);
                        return true;
                }
        return false;
}

/* What a bound region's judgement is made of, worked out once for every
 * mode. */
typedef struct region_facts {
        bool estimate;          /* sampled, not every page asked: figures are estimates */
        bool by_policy;         /* every mapping carries the binding's policy */
        bool by_cgroup;         /* cpuset.mems confines it to its nodes */
        bool from_cmdline;      /* the policy is what QEMU was told, not what numa_maps shows */
        np_verdict soft;        /* a preferred binding that fell back */
        char want[64];          /* the policy numa_maps should show */
        char total[32];         /* the memory found */
        char offsize[32];       /* the part of it off the nodes */
        char off[512];          /* where that part is */
        char count[64];         /* estimates: "7 of 700 sampled pages" */
        char wanted[300];       /* "node 1", "nodes 0-1" */
        char mems[300];         /* cpuset.mems, or "unknown" */
        char told[400];         /* "policy is 'bind:1'" */
        char note[600];         /* " (each of its N pages asked)", or "" */
} region_facts;

static void find_facts(const np_region *region, const np_mapping *const *maps, size_t n_maps,
                       bool sampled, const np_bitmap *cgroup_mems, const np_check_options *options,
                       const np_region_result *ret, region_facts *f)
{
        memset(f, 0, sizeof(*f));
        /* estimates say so; a region asked about page by page is exact */
        f->estimate = sampled && !ret->sample.exhaustive;
        f->from_cmdline = ret->policy_source == NP_POLICY_SOURCE_CMDLINE;
        if (sampled && ret->sample.exhaustive)
                snprintf(f->note, sizeof(f->note), " (each of its %" PRIu64 " pages asked)", ret->sample.drawn);
        np_format_kib(ret->total_kib, f->total, sizeof(f->total));
        f->by_policy = n_maps > 0;
        for (size_t i = 0; i < n_maps; i++)
                if (!policy_in_force(region, maps[i]))
                        f->by_policy = false;
        f->by_cgroup = cgroup_mems && !np_bitmap_is_empty(cgroup_mems) &&
                       np_bitmap_is_subset(cgroup_mems, &region->nodes);
        np_bitmap_nodes_phrase(&region->nodes, f->wanted, sizeof(f->wanted));
        if (cgroup_mems)
                np_bitmap_format(cgroup_mems, f->mems, sizeof(f->mems));
        else
                snprintf(f->mems, sizeof(f->mems), "unknown");
        expected_policy(region, f->want, sizeof(f->want));
        f->soft = options && options->preferred_is_violation ? NP_VERDICT_VIOLATION : NP_VERDICT_WARNING;
        /* what the policy is, as far as this check can know it */
        if (f->from_cmdline)
                snprintf(f->told, sizeof(f->told), "QEMU was given policy '%s'", ret->policy_seen);
        else
                snprintf(f->told, sizeof(f->told), "policy is '%s'", ret->policy_seen);
        if (f->estimate && ret->off_node_kib)
                sampled_off_phrase(region, ret, f->count, sizeof(f->count), f->off, sizeof(f->off));
        else if (ret->off_node_kib)
                off_node_phrase(region, ret, f->off, sizeof(f->off));
        np_format_kib(ret->off_node_kib, f->offsize, sizeof(f->offsize));
}

/* The compliant sentences every mode ends with: no pages yet, and
 * (estimates) what the sample bounds, @where naming the nodes the way
 * the mode does ("off node 1"). */
static void no_pages_yet(const region_facts *f, const char *how, np_region_result *ret)
{
        add(ret, NP_VERDICT_COMPLIANT, "no pages yet%s; %s", f->estimate ? " in the sample" : "", how);
}

static void sample_bound(const char *where, const char *more, np_region_result *ret)
{
        char bound[512];

        sampled_bound_phrase(ret, where, bound, sizeof(bound));
        add(ret, NP_VERDICT_COMPLIANT, "%s%s", bound, more);
}

/* Placed before the binding, or moved since: the pages cannot tell. */
#define LATE_BIND " (placed before the binding was set, or moved since)"
#define LATE_PREFER "; placed while it was full, before the policy was set, or moved since"

/* strict and restrictive */
static void judge_bound(const np_region *region, const np_bitmap *cgroup_mems, const region_facts *f,
                        np_region_result *ret)
{
        char how[400], where[340];

        if (ret->off_node_kib && f->estimate) {
                add(ret, NP_VERDICT_VIOLATION, "%s off its nodes (%s)%s %s: about %s of %s%s",
                    f->count, f->off, f->by_policy ? " although bound to" : ", bound to", f->wanted,
                    f->offsize, f->total, f->by_policy ? LATE_BIND : "");
        } else if (ret->off_node_kib && f->by_policy) {
                /* With the binding in force the kernel places no new
                 * page off it, but pages faulted before it was set stay,
                 * and move_pages(2)/migrate_pages(2) move bound pages
                 * freely (they check the cpuset, not the policy). */
                add(ret, NP_VERDICT_VIOLATION, "%s although bound to %s" LATE_BIND "%s", f->off, f->wanted, f->note);
        } else if (ret->off_node_kib) {
                add(ret, NP_VERDICT_VIOLATION, "%s of %s off its nodes (%s), bound to %s%s",
                    f->offsize, f->total, f->off, f->wanted, f->note);
        } else if (!f->by_policy && !f->by_cgroup) {
                if (region->mode == NP_MODE_RESTRICTIVE && !cgroup_mems)
                        add(ret, NP_VERDICT_UNVERIFIED,
                            "restrictive mode relies on the cgroup's cpuset.mems, which could not be read");
                else
                        add(ret, NP_VERDICT_VIOLATION,
                            "binding not in force: %s where %s was expected, and cpuset.mems %s does not confine it%s",
                            f->told, region->mode == NP_MODE_RESTRICTIVE ? "cpuset.mems" : f->want, f->mems,
                            ret->total_kib ? "" : " (no pages yet)");
        } else if (!ret->total_kib) {
                snprintf(how, sizeof(how), "%s confines it to %s",
                         f->by_policy ? (f->from_cmdline ? "the command line's policy" : "the policy") : "cpuset.mems",
                         f->wanted);
                no_pages_yet(f, how, ret);
        } else if (f->estimate) {
                snprintf(where, sizeof(where), "off %s", f->wanted);
                sample_bound(where, "", ret);
        } else {
                add(ret, NP_VERDICT_COMPLIANT, "all %s on %s%s", f->total, f->wanted, f->note);
        }
}

static void judge_preferred(const region_facts *f, np_region_result *ret)
{
        char how[400], where[340];

        if (ret->off_node_kib && f->estimate) {
                add(ret, f->soft, "%s off the preferred %s (%s): about %s of %s%s",
                    f->count, f->wanted, f->off, f->offsize, f->total, f->by_policy ? LATE_PREFER : "");
        } else if (ret->off_node_kib) {
                /* with the policy in force: the preferred node was
                 * full, or the pages came before the policy or were
                 * moved; the pages cannot tell which */
                add(ret, f->soft, "%s of %s off the preferred %s (%s%s)%s",
                    f->offsize, f->total, f->wanted, f->off, f->by_policy ? LATE_PREFER : "", f->note);
        } else if (!f->by_policy) {
                add(ret, f->soft, "preferred policy not in force: %s where %s was expected", f->told, f->want);
        } else if (!ret->total_kib) {
                snprintf(how, sizeof(how), "the policy prefers %s", f->wanted);
                no_pages_yet(f, how, ret);
        } else if (f->estimate) {
                snprintf(where, sizeof(where), "off the preferred %s", f->wanted);
                sample_bound(where, "", ret);
        } else {
                add(ret, NP_VERDICT_COMPLIANT, "all %s on the preferred %s%s", f->total, f->wanted, f->note);
        }
}

static void judge_interleave(const np_region *region, const region_facts *f,
                             const np_check_options *options, np_region_result *ret)
{
        char how[400], where[340], more[128], margin[32];

        if (ret->off_node_kib && f->estimate) {
                add(ret, NP_VERDICT_VIOLATION, "%s outside the interleave set %s (%s): about %s of %s",
                    f->count, f->wanted, f->off, f->offsize, f->total);
        } else if (ret->off_node_kib) {
                add(ret, NP_VERDICT_VIOLATION, "%s of %s outside the interleave set %s (%s)%s",
                    f->offsize, f->total, f->wanted, f->off, f->note);
        } else if (!f->by_policy) {
                add(ret, NP_VERDICT_VIOLATION, "interleave not in force: %s where %s was expected", f->told, f->want);
        } else if (!ret->total_kib) {
                snprintf(how, sizeof(how), "the policy interleaves over %s", f->wanted);
                no_pages_yet(f, how, ret);
        } else {
                judge_interleave_balance(region, options, ret);
                if (ret->verdict != NP_VERDICT_COMPLIANT)
                        return;
                if (!f->estimate) {
                        add(ret, NP_VERDICT_COMPLIANT, "%s interleaved over %s%s", f->total, f->wanted, f->note);
                        return;
                }
                snprintf(where, sizeof(where), "outside the interleave set %s", f->wanted);
                snprintf(more, sizeof(more), "; about %s interleaved, each node's share within %s",
                         f->total, np_format_pct_ceil(ret->sample.margin, margin, sizeof(margin)));
                sample_bound(where, more, ret);
        }
}

void np_verdict_for_region_in(const np_region *region, const np_region_graph *graph,
                              const np_mapping *const *maps, size_t n_maps, np_match how,
                              const np_bitmap *cgroup_mems, const np_check_options *options,
                              np_region_result *ret)
{
        region_facts f;
        char nodes[64];
        bool sampled;

        memset(ret, 0, sizeof(*ret));
        ret->region = region;
        ret->verdict = NP_VERDICT_COMPLIANT;
        ret->n_mappings = n_maps;
        ret->attributed = n_maps > 0;
        snprintf(ret->how, sizeof(ret->how), "%s", np_match_to_string(how));
        sampled = gather_any(region, maps, n_maps, options, ret);
        if (graph && graph->has_backend)
                snprintf(ret->qemu_id, sizeof(ret->qemu_id), "%s", graph->qemu_id);
        if (!n_maps) {
                unattributed(region, graph, ret);
                return;
        }
        if (pages_unread(maps, n_maps, ret))
                return;
        judge_pagesize(region, maps, n_maps, ret);
        find_facts(region, maps, n_maps, sampled, cgroup_mems, options, ret, &f);

        if (region->mode == NP_MODE_NONE) {
                if (ret->total_kib)
                        add(ret, NP_VERDICT_COMPLIANT, "not bound by the configuration; %s%s on %s%s",
                            f.estimate ? "about " : "", f.total,
                            np_bitmap_nodes_phrase(&ret->nodes_seen, nodes, sizeof(nodes)), f.note);
                else
                        add(ret, NP_VERDICT_COMPLIANT, "not bound by the configuration; no pages yet");
                return;
        }
        if (!region->has_nodes) {
                add(ret, NP_VERDICT_UNVERIFIED,
                    "placement is auto and numad's nodeset is unknown (no status XML to read it from)");
                return;
        }
        /* Sampling takes the policy from the command line; without it
         * (an argv numaplace cannot read) nothing says a binding is in
         * force, but nothing says it is not either. */
        if (sampled && ret->policy_source == NP_POLICY_SOURCE_NONE && !f.by_cgroup && !ret->off_node_kib) {
                add(ret, NP_VERDICT_UNVERIFIED,
                    "no backend '%s' on QEMU's command line to take the policy from (sampling reads no numa_maps), and cpuset.mems %s does not confine it",
                    region->id, f.mems);
                return;
        }
        switch (region->mode) {
        case NP_MODE_STRICT:
        case NP_MODE_RESTRICTIVE:
                judge_bound(region, cgroup_mems, &f, ret);
                break;
        case NP_MODE_PREFERRED:
                judge_preferred(&f, ret);
                break;
        case NP_MODE_INTERLEAVE:
                judge_interleave(region, &f, options, ret);
                break;
        default:
                break;
        }
}

void np_verdict_for_missing_thread(const np_pin *pin, np_thread_result *ret)
{
        memset(ret, 0, sizeof(*ret));
        ret->kind = pin->kind;
        ret->id = (int)pin->id;
        ret->has_wanted = true;
        ret->cpus_wanted = pin->cpus;
        ret->verdict = NP_VERDICT_UNVERIFIED;
        if (pin->kind == NP_THREAD_VCPU) {
                snprintf(ret->name, sizeof(ret->name), "CPU %u", pin->id);
                snprintf(ret->reason, sizeof(ret->reason),
                         "no thread named 'CPU %u/KVM' or 'CPU %u/TCG' (QEMU names them only with debug-threads=on, and an unplugged vCPU has none)",
                         pin->id, pin->id);
        } else {
                snprintf(ret->name, sizeof(ret->name), "IO iothread%u", pin->id);
                snprintf(ret->reason, sizeof(ret->reason), "no thread named 'IO iothread%u'", pin->id);
        }
}

static const np_pin *find_pin(const np_intent *intent, np_thread_kind kind, unsigned id)
{
        for (size_t i = 0; i < intent->n_pins; i++)
                if (intent->pins[i].kind == kind && (kind == NP_THREAD_EMULATOR || intent->pins[i].id == id))
                        return &intent->pins[i];
        return NULL;
}

void np_verdict_for_thread(const np_task *task, const np_intent *intent,
                           np_thread_result *ret)
{
        static const np_thread_kind kinds[NP_TASK__COUNT] = {
                [NP_TASK_VCPU] = NP_THREAD_VCPU,
                [NP_TASK_EMULATOR] = NP_THREAD_EMULATOR,
                [NP_TASK_IOTHREAD] = NP_THREAD_IOTHREAD,
                [NP_TASK_THREAD_CONTEXT] = NP_THREAD_EMULATOR,
        };
        char want[300], seen[300];
        const np_pin *pin;

        memset(ret, 0, sizeof(*ret));
        ret->tid = task->tid;
        snprintf(ret->name, sizeof(ret->name), "%s", task->comm);
        ret->kind = kinds[task->role];
        ret->id = task->id;
        ret->cpus_seen = task->cpus_allowed;
        pin = find_pin(intent, ret->kind, task->id < 0 ? 0 : (unsigned)task->id);
        if (!pin) {
                ret->verdict = NP_VERDICT_COMPLIANT;
                snprintf(ret->reason, sizeof(ret->reason), "not pinned by the configuration");
                return;
        }
        ret->has_wanted = true;
        ret->cpus_wanted = pin->cpus;
        np_bitmap_format(&pin->cpus, want, sizeof(want));
        np_bitmap_format(&task->cpus_allowed, seen, sizeof(seen));
        if (np_bitmap_is_subset(&task->cpus_allowed, &pin->cpus)) {
                ret->verdict = NP_VERDICT_COMPLIANT;
                snprintf(ret->reason, sizeof(ret->reason), "runs only on CPUs %s as pinned", seen);
        } else {
                ret->verdict = NP_VERDICT_VIOLATION;
                snprintf(ret->reason, sizeof(ret->reason), "may run on CPUs %s, pinned to %s", seen, want);
        }
}

np_verdict np_verdict_for_cgroup(const np_intent *intent, const char *cgroup_path,
                                 const np_bitmap *cgroup_mems,
                                 char *reason, size_t len)
{
        np_bitmap bound;
        bool relies = false;
        char mems[300], set[300];

        np_bitmap_clear(&bound);
        for (size_t i = 0; i < intent->n_regions; i++) {
                const np_region *r = &intent->regions[i];

                if (!r->has_nodes || (r->mode != NP_MODE_STRICT && r->mode != NP_MODE_RESTRICTIVE))
                        continue;
                np_bitmap_or(&bound, &r->nodes);
                if (r->enforcement == NP_ENFORCE_CGROUP)
                        relies = true;
        }
        if (!cgroup_mems) {
                snprintf(reason, len, "no cpuset cgroup could be read");
                return relies ? NP_VERDICT_UNVERIFIED : NP_VERDICT_COMPLIANT;
        }
        np_bitmap_format(cgroup_mems, mems, sizeof(mems));
        if (np_bitmap_is_empty(&bound)) {
                snprintf(reason, len, "cpuset.mems %s; no strict or restrictive binding to compare", mems);
                return NP_VERDICT_COMPLIANT;
        }
        np_bitmap_format(&bound, set, sizeof(set));
        if (np_bitmap_is_subset(cgroup_mems, &bound)) {
                snprintf(reason, len, "cpuset.mems %s within the bound nodes %s", mems, set);
                return NP_VERDICT_COMPLIANT;
        }
        if (relies) {
                snprintf(reason, len, "cpuset.mems %s is wider than the restrictive nodeset %s", mems, set);
                return NP_VERDICT_VIOLATION;
        }
        if (!cgroup_path || strcmp(cgroup_path, "/") == 0) {
                snprintf(reason, len, "not confined by a cpuset cgroup (cpuset.mems %s); the binding rests on the memory policy", mems);
                return NP_VERDICT_COMPLIANT;
        }
        /* libvirt 9.0 writes cpuset.mems (beyond what a new cgroup
         * inherits) only for a domain-wide <numatune><memory> in strict
         * or restrictive mode, from numad's advice with placement='auto':
         * started here with TCG, the emulator and vCPU cgroups got the
         * nodeset for those, and nothing for preferred, interleave or a
         * <memnode> alone, whose cells mbind their backends instead.  So
         * a cgroup wider than a memnode binding is as configured. */
        if (!intent->has_numatune ||
            (intent->mode != NP_MODE_STRICT && intent->mode != NP_MODE_RESTRICTIVE)) {
                snprintf(reason, len, "cpuset.mems %s; no confinement asked (only a domain-wide strict or restrictive <memory> asks it); the binding rests on the memory policy",
                         mems);
                return NP_VERDICT_COMPLIANT;
        }
        snprintf(reason, len, "cpuset.mems %s is wider than the bound nodes %s; the binding rests on the memory policy alone", mems, set);
        return NP_VERDICT_WARNING;
}

/* A row's figures outside @allowed, largest node first in the order the
 * file lists them, as "64 MiB on node 0, 2 MiB on node 2". */
static uint64_t outside_phrase(const np_stat_row *row, const np_bitmap *allowed, char *buf, size_t len)
{
        uint64_t sum = 0;
        size_t used = 0;

        buf[0] = '\0';
        for (unsigned i = 0; i < row->n_nodes; i++) {
                char size[32];

                if (np_bitmap_test(allowed, row->nodes[i].node) || !row->nodes[i].kib)
                        continue;
                sum += row->nodes[i].kib;
                if (used < len)
                        used += (size_t)snprintf(buf + used, len - used, "%s%s on node %u", used ? ", " : "",
                                                 np_format_kib(row->nodes[i].kib, size, sizeof(size)),
                                                 row->nodes[i].node);
        }
        return sum;
}

/* "N0=0 KiB N1=64 MiB" for the nodes either row lists. */
static void nodes_phrase(const np_stat_row *a, const np_stat_row *b, char *buf, size_t len)
{
        np_bitmap nodes;
        size_t used = 0;

        np_bitmap_clear(&nodes);
        for (unsigned i = 0; a && i < a->n_nodes; i++)
                np_bitmap_set(&nodes, a->nodes[i].node);
        for (unsigned i = 0; b && i < b->n_nodes; i++)
                np_bitmap_set(&nodes, b->nodes[i].node);
        buf[0] = '\0';
        for (int n = np_bitmap_next(&nodes, 0); n >= 0 && used < len; n = np_bitmap_next(&nodes, (unsigned)n + 1)) {
                char size[32];

                used += (size_t)snprintf(buf + used, len - used, "%sN%d=%s", used ? " " : "", n,
                                         np_format_kib(a ? np_stat_row_kib(a, (unsigned)n) : 0, size, sizeof(size)));
        }
        if (!used)
                snprintf(buf, len, "none");
}

/* add_sentence() to the cgroup statistics' result. */
__attribute__((format(printf, 3, 4)))
static void add_stat(np_numa_stat_result *ret, np_verdict v, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        add_sentence(ret->reason, sizeof(ret->reason), &ret->verdict, v, fmt, ap);
        va_end(ap);
}

/* Whether every region asking for @pagesize_kib pages prefers its nodes
 * rather than binding them (and one does). */
static bool hugepages_only_preferred(const np_intent *intent, uint64_t pagesize_kib)
{
        bool any = false;

        for (size_t i = 0; i < intent->n_regions; i++) {
                const np_region *r = &intent->regions[i];

                if (r->pagesize_kib != pagesize_kib)
                        continue;
                if (r->mode != NP_MODE_PREFERRED)
                        return false;
                any = true;
        }
        return any;
}

static void cross_check(np_numa_stat_result *ret)
{
        const np_cgroup_stat *stat = ret->stat;

        for (size_t w = 0; w < ret->n_walk; w++) {
                const np_stat_row *walk = &ret->walk[w], *cg = NULL;
                char a[256], b[256], size[16];
                bool differ = false;

                for (size_t i = 0; i < stat->n_rows; i++)
                        if (stat->rows[i].kind == NP_STAT_HUGETLB && stat->rows[i].pagesize_kib == walk->pagesize_kib)
                                cg = &stat->rows[i];
                if (!cg) {
                        bool any_hugetlb = false;

                        for (size_t i = 0; i < stat->n_rows; i++)
                                any_hugetlb = any_hugetlb || stat->rows[i].kind == NP_STAT_HUGETLB;
                        /* without hugetlb statistics at all (cgroup v1
                         * without the controller, kernels before 5.14)
                         * there is nothing to compare */
                        if (any_hugetlb && walk->total_kib) {
                                ret->walk_disagrees = true;
                                add_stat(ret, NP_VERDICT_WARNING,
                                         "the process maps %s of %s huge pages the cgroup has no hugetlb figure for",
                                         np_format_kib(walk->total_kib, a, sizeof(a)),
                                         np_format_pagesize(walk->pagesize_kib, size, sizeof(size)));
                        }
                        continue;
                }
                for (unsigned i = 0; i < cg->n_nodes && !differ; i++)
                        differ = np_stat_row_kib(walk, cg->nodes[i].node) != cg->nodes[i].kib;
                for (unsigned i = 0; i < walk->n_nodes && !differ; i++)
                        differ = np_stat_row_kib(cg, walk->nodes[i].node) != walk->nodes[i].kib;
                if (!differ)
                        continue;
                ret->walk_disagrees = true;
                nodes_phrase(cg, walk, a, sizeof(a));
                nodes_phrase(walk, cg, b, sizeof(b));
                add_stat(ret, NP_VERDICT_WARNING,
                         "the cgroup's %s huge pages (%s) differ from those the process maps (%s): another task in the cgroup, or accounting numaplace does not understand",
                         np_format_pagesize(cg->pagesize_kib, size, sizeof(size)), a, b);
        }
}

void np_verdict_for_numa_stat(const np_intent *intent, const np_check_options *options,
                              np_numa_stat_result *ret)
{
        const np_cgroup_stat *stat = ret->stat;
        const char *unbound = NULL;
        char set[300], off[512], size[32], page[16], soft_text[512] = "";
        uint64_t inside = 0, soft_kib = 0;
        np_verdict soft = options && options->preferred_is_violation ? NP_VERDICT_VIOLATION : NP_VERDICT_WARNING;

        ret->verdict = NP_VERDICT_COMPLIANT;
        ret->reason[0] = '\0';
        ret->walk_disagrees = false;
        ret->has_allowed = false;
        np_bitmap_clear(&ret->allowed);
        memset(ret->outside_kib, 0, sizeof(ret->outside_kib));
        if (!stat)
                return;

        for (size_t i = 0; i < intent->n_regions; i++) {
                const np_region *r = &intent->regions[i];

                if (r->mode == NP_MODE_NONE || !r->has_nodes) {
                        unbound = r->id;
                        break;
                }
                np_bitmap_or(&ret->allowed, &r->nodes);
        }
        ret->has_allowed = intent->n_regions && !unbound;
        if (!ret->has_allowed) {
                uint64_t total = 0;

                for (size_t i = 0; i < stat->n_rows; i++)
                        total += stat->rows[i].total_kib;
                add_stat(ret, NP_VERDICT_COMPLIANT, "cgroup holds %s; no allowed nodes to compare (%s)",
                         np_format_kib(total, size, sizeof(size)),
                         unbound ? "a region is not bound to known nodes" : "no memory region");
                if (unbound)
                        snprintf(ret->reason + strlen(ret->reason), sizeof(ret->reason) - strlen(ret->reason),
                                 ": %s", unbound);
                if (ret->walked)
                        cross_check(ret);
                return;
        }
        np_bitmap_nodes_phrase(&ret->allowed, set, sizeof(set));
        for (size_t i = 0; i < stat->n_rows; i++) {
                const np_stat_row *row = &stat->rows[i];
                uint64_t out = outside_phrase(row, &ret->allowed, off, sizeof(off));

                ret->outside_kib[i] = out;
                inside += row->total_kib - out;
                if (out && row->kind == NP_STAT_HUGETLB)
                        add_stat(ret, hugepages_only_preferred(intent, row->pagesize_kib) ? soft : NP_VERDICT_VIOLATION,
                                 "%s of %s huge pages outside %s (%s); QEMU's own allocations never use huge pages",
                                 np_format_kib(out, size, sizeof(size)),
                                 np_format_pagesize(row->pagesize_kib, page, sizeof(page)), set, off);
        }
        /* anon and file in one sentence: the same explanation holds */
        for (size_t i = 0, used = 0; i < stat->n_rows; i++) {
                const np_stat_row *row = &stat->rows[i];

                if (row->kind == NP_STAT_HUGETLB || !ret->outside_kib[i])
                        continue;
                outside_phrase(row, &ret->allowed, off, sizeof(off));
                if (used < sizeof(soft_text))
                        used += (size_t)snprintf(soft_text + used, sizeof(soft_text) - used, "%s%s %s", used ? "; " : "",
                                                 row->name, off);
                soft_kib += ret->outside_kib[i];
        }
        if (soft_kib)
                add_stat(ret, NP_VERDICT_WARNING,
                         "%s of anon and file memory outside %s (%s): QEMU's heap and the page cache may sit there when only the backends are bound",
                         np_format_kib(soft_kib, size, sizeof(size)), set, soft_text);
        if (!ret->reason[0])
                add_stat(ret, NP_VERDICT_COMPLIANT, "all %s the cgroup holds on %s",
                         np_format_kib(inside, size, sizeof(size)), set);
        if (ret->walked)
                cross_check(ret);
}

/* Whether the cgroup holds, for every huge page size the regions ask
 * for, at least the pages they need (libvirt and QEMU preallocate huge
 * pages), and no huge pages of a size nobody asked for: a VM backed by
 * the wrong page size is not compliant by its totals. */
bool np_verdict_hugepages_as_asked(const np_intent *intent, const np_cgroup_stat *stat)
{
        for (size_t i = 0; i < intent->n_regions; i++) {
                uint64_t size = intent->regions[i].pagesize_kib, need = 0;
                const np_stat_row *row = NULL;

                if (size <= 4)
                        continue;
                for (size_t k = 0; k < intent->n_regions; k++)
                        if (intent->regions[k].pagesize_kib == size)
                                need += intent->regions[k].size_kib;
                for (size_t k = 0; k < stat->n_rows; k++)
                        if (stat->rows[k].kind == NP_STAT_HUGETLB && stat->rows[k].pagesize_kib == size)
                                row = &stat->rows[k];
                if (!row || row->total_kib < need)
                        return false;
        }
        for (size_t k = 0; k < stat->n_rows; k++) {
                bool asked = false;

                if (stat->rows[k].kind != NP_STAT_HUGETLB || !stat->rows[k].total_kib)
                        continue;
                for (size_t i = 0; i < intent->n_regions && !asked; i++)
                        asked = intent->regions[i].pagesize_kib == stat->rows[k].pagesize_kib;
                if (!asked)
                        return false;
        }
        return true;
}

void np_verdict_for_device(bool present, int node, const np_bitmap *wanted,
                           const np_check_options *options, np_device_result *ret)
{
        np_device_policy policy = options ? options->device_policy : NP_DEVICE_POLICY_PREFERRED;
        const char *word = np_device_policy_to_string(policy);
        char want[256];

        ret->node = present ? node : -1;
        ret->has_wanted = wanted != NULL;
        if (wanted)
                ret->nodes_wanted = *wanted;
        else
                np_bitmap_clear(&ret->nodes_wanted);
        ret->reason[0] = '\0';
        if (wanted)
                np_bitmap_nodes_phrase(wanted, want, sizeof(want));

        if (!present) {
                ret->locality = NP_LOCALITY_ABSENT;
                ret->verdict = NP_VERDICT_WARNING;
                snprintf(ret->reason, sizeof(ret->reason),
                         "no such PCI device on this host; its node cannot be checked");
        } else if (node < 0) {
                ret->locality = NP_LOCALITY_UNKNOWN;
                ret->verdict = policy == NP_DEVICE_POLICY_REQUIRED ? NP_VERDICT_WARNING : NP_VERDICT_COMPLIANT;
                snprintf(ret->reason, sizeof(ret->reason),
                         "the kernel does not know the device's node (numa_node -1)%s",
                         policy == NP_DEVICE_POLICY_REQUIRED ? "; the required policy cannot be proven" : "");
        } else if (!wanted) {
                ret->locality = NP_LOCALITY_UNBOUND;
                ret->verdict = NP_VERDICT_COMPLIANT;
                snprintf(ret->reason, sizeof(ret->reason),
                         "on node %d; the VM's memory and vCPUs are bound to no node", node);
        } else if ((unsigned)node < NP_NODE_MAX && np_bitmap_test(wanted, (unsigned)node)) {
                ret->locality = NP_LOCALITY_LOCAL;
                ret->verdict = NP_VERDICT_COMPLIANT;
                snprintf(ret->reason, sizeof(ret->reason), "on node %d, where the VM is bound", node);
        } else {
                ret->locality = NP_LOCALITY_REMOTE;
                ret->verdict = policy == NP_DEVICE_POLICY_PREFERRED ? NP_VERDICT_WARNING : NP_VERDICT_VIOLATION;
                snprintf(ret->reason, sizeof(ret->reason),
                         "on node %d, but the VM is bound to %s: its DMA and interrupts cross nodes (policy %s)",
                         node, want, word);
        }
}

np_verdict np_verdict_for_shortfall(const np_shortfall *shortfall, bool preferred_is_violation)
{
        if (shortfall->preferred_only && !preferred_is_violation)
                return NP_VERDICT_WARNING;
        return NP_VERDICT_VIOLATION;
}

np_verdict np_verdict_for_preflight(const np_preflight *preflight, bool preferred_is_violation)
{
        np_verdict v = NP_VERDICT_COMPLIANT;

        for (size_t i = 0; i < preflight->n_items; i++)
                v = np_verdict_worst(v, np_verdict_for_shortfall(&preflight->items[i], preferred_is_violation));
        return v;
}

void np_verdict_for_unreadable_device(const char *why, np_device_result *ret)
{
        /* judged like unknown locality, and said why */
        ret->locality = NP_LOCALITY_UNKNOWN;
        snprintf(ret->reason, sizeof(ret->reason), "%s", why);
        ret->verdict = NP_VERDICT_UNVERIFIED;
}

np_verdict np_verdict_for_lxd_binding(const np_region *r, const np_qemu_backend *b, const char *source,
                                      char *reason, size_t len)
{
        const char *want_policy = np_mode_qemu_policy(r->mode);
        char want[200], have[200];

        reason[0] = '\0';
        if (r->mode == NP_MODE_NONE)
                return NP_VERDICT_COMPLIANT;
        np_bitmap_nodes_phrase(&r->nodes, want, sizeof(want));
        if (!b->has_host_nodes) {
                snprintf(reason, len, "%s has no host-nodes although %s", r->id, source);
        } else if (!np_bitmap_is_subset(&b->host_nodes, &r->nodes)) {
                np_bitmap_format(&b->host_nodes, have, sizeof(have));
                snprintf(reason, len, "%s has host-nodes %s although %s", r->id, have, source);
        } else if (strcmp(b->policy, want_policy) != 0) {
                snprintf(reason, len, "%s has %s%s%s where policy '%s' would bind it to %s (%s)",
                         r->id, b->policy[0] ? "policy '" : "no policy", b->policy,
                         b->policy[0] ? "'" : "", want_policy, want, source);
        } else {
                return NP_VERDICT_COMPLIANT;
        }
        return NP_VERDICT_VIOLATION;
}

np_verdict np_verdict_for_lxd_hugepages(const np_region *r, const np_qemu_backend *b, bool hugepages,
                                        char *reason, size_t len)
{
        reason[0] = '\0';
        if (!hugepages || b->hugetlb || (b->backing == NP_BACKING_FILE && b->mem_path))
                return NP_VERDICT_COMPLIANT;
        snprintf(reason, len, "%s is not backed by huge pages although limits.memory.hugepages is true", r->id);
        return NP_VERDICT_VIOLATION;
}

np_verdict np_verdict_for_lxd_without_config(const char *problem, char *reason, size_t len)
{
        if (problem)
                snprintf(reason, len,
                         "the instance config could not be read (%s): checked against qemu.conf alone, which cannot show a binding LXD left out",
                         problem);
        else
                snprintf(reason, len,
                         "the instance config could not be read: checked against qemu.conf alone, which cannot show a binding LXD left out");
        return NP_VERDICT_UNVERIFIED;
}

np_verdict np_verdict_for_lxd_no_backend(const char *source, char *reason, size_t len)
{
        snprintf(reason, len, "qemu.conf has no memory backend although %s: the guest RAM is bound to nothing", source);
        return NP_VERDICT_VIOLATION;
}

np_verdict np_verdict_for_lxd_memory(uint64_t conf_bytes, size_t n_backends, uint64_t want_bytes,
                                     const char *limit, char *reason, size_t len)
{
        reason[0] = '\0';
        /* LXD divides the memory among the node backends in whole MiB */
        if (!n_backends || (conf_bytes <= want_bytes && want_bytes - conf_bytes < (uint64_t)n_backends << 20))
                return NP_VERDICT_COMPLIANT;
        snprintf(reason, len, "qemu.conf's memory backends hold %" PRIu64 " MiB, limits.memory is %s (%" PRIu64 " MiB)",
                 conf_bytes >> 20, limit ? limit : "the 1GiB default", want_bytes >> 20);
        return NP_VERDICT_WARNING;
}
