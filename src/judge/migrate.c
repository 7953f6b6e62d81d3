/* migrate.c: decide which misplaced pages move where (see migrate.h). */
#include "migrate.h"
#include "enum.h"
#include "array.h"
#include "attribute.h"
#include "error.h"
#include "host.h"
#include "numamaps.h"
#include "units.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const action_names[NP_MIGRATE__COUNT] = {
        [NP_MIGRATE_NOTHING] = "nothing",
        [NP_MIGRATE_MOVE] = "move",
        [NP_MIGRATE_NO_BINDING] = "refused: no binding",
        [NP_MIGRATE_NO_TARGET] = "refused: no target",
        [NP_MIGRATE_NO_ROOM] = "refused: no room",
        [NP_MIGRATE_UNKNOWN] = "unknown",
};

NP_ENUM_TO_STRING(np_migrate_action_to_string, np_migrate_action, action_names, "unknown")

__attribute__((format(printf, 2, 3)))
static void say(np_migrate_region *mr, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(mr->reason, sizeof(mr->reason), fmt, ap);
        va_end(ap);
}

/* Whether what confines the region's new pages is there: a memory
 * policy on every mapping within its nodes, or a cpuset.mems within
 * them.  Without either, pages moved back would not stay. */
static bool binding_present(const np_region *region, const np_mapping *maps, size_t n_maps,
                            size_t index, const np_check_result *result)
{
        bool by_policy = region->enforcement == NP_ENFORCE_MBIND, any = false;

        for (size_t i = 0; i < n_maps; i++) {
                const np_mapping *m = &maps[i];

                if (m->region != (int)index)
                        continue;
                any = true;
                if (!m->has_numa || !m->has_policy_nodes ||
                    m->policy == NP_POLICY_DEFAULT || m->policy == NP_POLICY_LOCAL ||
                    !np_bitmap_is_subset(&m->policy_nodes, &region->nodes))
                        by_policy = false;
        }
        if (any && by_policy)
                return true;
        return result->has_cgroup_mems && !np_bitmap_is_empty(&result->cgroup_mems) &&
               np_bitmap_is_subset(&result->cgroup_mems, &region->nodes);
}

static void explain_missing_binding(const np_region *region, const np_check_result *result,
                                    np_migrate_region *mr)
{
        static const char *const policies[NP_MODE__COUNT] = {
                [NP_MODE_STRICT] = "bind",
                [NP_MODE_PREFERRED] = "preferred",
                [NP_MODE_INTERLEAVE] = "interleave",
        };
        char set[256], mems[256], xml[400];

        np_bitmap_format(&region->nodes, set, sizeof(set));
        if (result->has_cgroup_mems)
                np_bitmap_format(&result->cgroup_mems, mems, sizeof(mems));
        else
                snprintf(mems, sizeof(mems), "unknown");
        if (region->enforcement == NP_ENFORCE_CGROUP || region->mode == NP_MODE_RESTRICTIVE) {
                say(mr, "the binding is missing: cpuset.mems is %s, which does not confine %s to %s, "
                        "so moved pages would not stay; set the cgroup's cpuset.mems to %s "
                        "(libvirt: <numatune><memory mode='restrictive' nodeset='%s'/>) and run migrate again",
                    mems, region->id, set, set, set);
                return;
        }
        if (region->cell >= 0)
                snprintf(xml, sizeof(xml), "<memnode cellid='%d' mode='%s' nodeset='%s'/>", region->cell,
                         np_mode_to_string(region->mode), set);
        else
                snprintf(xml, sizeof(xml), "<memory mode='%s' nodeset='%s'/>", np_mode_to_string(region->mode), set);
        say(mr, "the binding is missing: %s has no memory policy (numa_maps shows '%s') and cpuset.mems %s "
                "does not confine it, so moved pages would not stay and new ones would land anywhere; "
                "the QEMU memory backend %s needs host-nodes=%s and policy=%s (libvirt writes them from "
                "<numatune>%s; LXD and Incus from limits.cpu.nodes only in releases that pass it to the backend), "
                "then a restart of the guest",
            region->id, result->regions[mr->index].policy_seen[0] ? result->regions[mr->index].policy_seen : "default",
            mems, region->id, set, policies[region->mode] ? policies[region->mode] : "bind", xml);
}

static int add_move(np_migrate_region *mr, unsigned from, unsigned to, uint64_t pages)
{
        if (mr->n_moves && mr->moves[mr->n_moves - 1].from == from &&
            mr->moves[mr->n_moves - 1].to == to) {
                mr->moves[mr->n_moves - 1].pages += pages;
                return 0;
        }
        for (size_t i = 0; i < mr->n_moves; i++)
                if (mr->moves[i].from == from && mr->moves[i].to == to) {
                        mr->moves[i].pages += pages;
                        return 0;
                }
        if (np_array_reserve(&mr->moves, &mr->cap_moves, mr->n_moves + 1) < 0)
                return -ENOMEM;
        mr->moves[mr->n_moves++] = (np_migrate_move){ from, to, pages };
        return 0;
}

/* Pages of @pagesize_kib node @node can still take: its free huge pages
 * of that size, or MemFree, less what regions planned before take. */
static uint64_t room_pages(const np_host *host, const np_migrate_plan *plan, size_t n_done,
                           unsigned node, bool huge, uint64_t pagesize_kib)
{
        const np_host_node *hn = np_host_node_get(host, node);
        uint64_t room, taken = 0;

        if (!hn)
                return 0;
        if (huge) {
                const np_hugepool *pool = np_host_node_pool(hn, pagesize_kib);

                room = pool ? pool->free : 0;
        } else {
                room = hn->mem_free_kib / pagesize_kib;
        }
        for (size_t r = 0; r < n_done; r++) {
                const np_migrate_region *o = &plan->regions[r];

                if (o->action != NP_MIGRATE_MOVE || o->huge != huge || (huge && o->pagesize_kib != pagesize_kib))
                        continue;
                for (size_t i = 0; i < o->n_moves; i++)
                        if (o->moves[i].to == node)
                                taken += huge ? o->moves[i].pages : o->moves[i].pages * o->pagesize_kib / pagesize_kib;
        }
        return room > taken ? room - taken : 0;
}

/* Spread @need pages from @from over the targets, most room first (see
 * migrate.h), lowering @room.  Returns the pages that found no room, or
 * -ENOMEM as a negative value. */
static int64_t spread(np_migrate_region *mr, unsigned from, uint64_t need, uint64_t *room)
{
        while (need) {
                uint64_t top = 0, next = 0, k = 0, take, share, rest;

                for (int n = np_bitmap_next(&mr->targets, 0); n >= 0; n = np_bitmap_next(&mr->targets, (unsigned)n + 1))
                        if (room[n] > top)
                                top = room[n];
                if (!top)
                        break;
                for (int n = np_bitmap_next(&mr->targets, 0); n >= 0; n = np_bitmap_next(&mr->targets, (unsigned)n + 1)) {
                        if (room[n] == top)
                                k++;
                        else if (room[n] > next)
                                next = room[n];
                }
                take = k * (top - next) < need ? k * (top - next) : need;
                share = take / k;
                rest = take % k;
                for (int n = np_bitmap_next(&mr->targets, 0); n >= 0; n = np_bitmap_next(&mr->targets, (unsigned)n + 1)) {
                        uint64_t give;

                        if (room[n] != top)
                                continue;
                        give = share + (rest ? 1 : 0);
                        if (rest)
                                rest--;
                        if (!give)
                                continue;
                        if (add_move(mr, from, (unsigned)n, give) < 0)
                                return -1;
                        room[n] -= give;
                }
                need -= take;
        }
        return (int64_t)need;
}

static void explain_no_room(const np_region *region, const np_host *host, const np_migrate_plan *plan,
                            size_t n_done, np_migrate_region *mr)
{
        char set[256], have[32], want[32], page[16];
        uint64_t free_pages = 0;
        unsigned count = np_bitmap_count(&mr->targets);

        (void)region;
        for (int n = np_bitmap_next(&mr->targets, 0); n >= 0; n = np_bitmap_next(&mr->targets, (unsigned)n + 1))
                free_pages += room_pages(host, plan, n_done, (unsigned)n, mr->huge, mr->pagesize_kib);
        np_bitmap_nodes_phrase(&mr->targets, set, sizeof(set));
        np_format_pagesize(mr->pagesize_kib, page, sizeof(page));
        if (mr->huge)
                say(mr, "%s %s %" PRIu64 " free %s huge page%s%s, %" PRIu64 " needed; nothing of this region moves",
                    set, count == 1 ? "has" : "have", free_pages, page, free_pages == 1 ? "" : "s",
                    count == 1 ? "" : " between them", mr->off_pages);
        else
                say(mr, "%s %s %s free%s, %s needed; nothing of this region moves",
                    set, count == 1 ? "has" : "have", np_format_kib(free_pages * mr->pagesize_kib, have, sizeof(have)),
                    count == 1 ? "" : " between them",
                    np_format_kib(mr->off_pages * mr->pagesize_kib, want, sizeof(want)));
}

static int plan_region(const np_intent *intent, const np_check_result *result,
                       const np_mapping *maps, size_t n_maps, const np_bitmap *mems_allowed,
                       const np_host *host, np_migrate_plan *plan, size_t index)
{
        const np_region *region = &intent->regions[index];
        const np_region_result *rr = &result->regions[index];
        np_migrate_region *mr = &plan->regions[index];
        static uint64_t room[NP_NODE_MAX];
        char set[256], mems[256];

        mr->index = index;
        mr->pagesize_kib = rr->seen_pagesize_kib ? rr->seen_pagesize_kib : 4;
        for (size_t i = 0; i < n_maps; i++)
                if (maps[i].region == (int)index && maps[i].huge)
                        mr->huge = true;
        if (region->mode == NP_MODE_NONE) {
                say(mr, "not bound by the configuration: nothing to move");
                return 0;
        }
        if (!rr->attributed) {
                mr->action = NP_MIGRATE_UNKNOWN;
                say(mr, "no mapping of the process could be attributed to it: nothing to move");
                return 0;
        }
        if (!region->has_nodes) {
                mr->action = NP_MIGRATE_UNKNOWN;
                say(mr, "placement is auto and numad's nodeset is unknown: nothing to move");
                return 0;
        }
        for (unsigned n = 0; n < NP_NODE_MAX; n++)
                if (rr->pages_kib[n] && !np_bitmap_test(&region->nodes, n))
                        mr->off_pages += rr->pages_kib[n] / mr->pagesize_kib;
        if (!mr->off_pages) {
                if (rr->verdict == NP_VERDICT_COMPLIANT || rr->verdict == NP_VERDICT_WARNING)
                        say(mr, "%s: nothing to move", np_verdict_to_string(rr->verdict));
                else
                        say(mr, "no page off its nodes, so moving pages cannot help: %s", rr->reason);
                return 0;
        }
        if (!binding_present(region, maps, n_maps, index, result)) {
                mr->action = NP_MIGRATE_NO_BINDING;
                explain_missing_binding(region, result, mr);
                plan->n_refused++;
                return 0;
        }
        mr->targets = region->nodes;
        np_bitmap_and(&mr->targets, mems_allowed);
        if (np_bitmap_is_empty(&mr->targets)) {
                mr->action = NP_MIGRATE_NO_TARGET;
                np_bitmap_format(&region->nodes, set, sizeof(set));
                np_bitmap_format(mems_allowed, mems, sizeof(mems));
                say(mr, "the process may use only nodes %s (Mems_allowed_list), none of its nodes %s; "
                        "its cpuset.mems must allow them first", mems, set);
                plan->n_refused++;
                return 0;
        }
        memset(room, 0, sizeof(room));
        for (int n = np_bitmap_next(&mr->targets, 0); n >= 0; n = np_bitmap_next(&mr->targets, (unsigned)n + 1))
                room[n] = room_pages(host, plan, index, (unsigned)n, mr->huge, mr->pagesize_kib);
        for (unsigned n = 0; n < NP_NODE_MAX; n++) {
                uint64_t need;
                int64_t left;

                if (!rr->pages_kib[n] || np_bitmap_test(&region->nodes, n))
                        continue;
                need = rr->pages_kib[n] / mr->pagesize_kib;
                left = spread(mr, n, need, room);
                if (left < 0)
                        return -ENOMEM;
                if (left > 0) {
                        free(mr->moves);
                        mr->moves = NULL;
                        mr->n_moves = mr->cap_moves = 0;
                        mr->action = NP_MIGRATE_NO_ROOM;
                        explain_no_room(region, host, plan, index, mr);
                        plan->n_refused++;
                        return 0;
                }
        }
        mr->action = NP_MIGRATE_MOVE;
        plan->pages_to_move += mr->off_pages;
        plan->kib_to_move += mr->off_pages * mr->pagesize_kib;
        return 0;
}

int np_migrate_plan_make(const np_intent *intent, const np_check_result *result,
                         const np_mapping *maps, size_t n_maps,
                         const np_bitmap *mems_allowed, const np_host *host,
                         np_migrate_plan **ret, np_error *err)
{
        np_migrate_plan *plan = calloc(1, sizeof(*plan));

        if (!plan)
                return np_err(err, ENOMEM, "out of memory");
        plan->regions = calloc(result->n_regions ? result->n_regions : 1, sizeof(*plan->regions));
        if (!plan->regions) {
                free(plan);
                return np_err(err, ENOMEM, "out of memory");
        }
        plan->n_regions = result->n_regions;
        for (size_t i = 0; i < result->n_regions && i < intent->n_regions; i++)
                if (plan_region(intent, result, maps, n_maps, mems_allowed, host, plan, i) < 0) {
                        np_migrate_plan_free(plan);
                        return np_err(err, ENOMEM, "out of memory");
                }
        *ret = plan;
        return 0;
}

void np_migrate_plan_free(np_migrate_plan *plan)
{
        if (!plan)
                return;
        for (size_t i = 0; i < plan->n_regions; i++)
                free(plan->regions[i].moves);
        free(plan->regions);
        free(plan);
}
