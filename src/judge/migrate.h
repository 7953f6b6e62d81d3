/* migrate.h: the plan that moves a VM's misplaced pages back onto the
 * nodes its configuration binds them to.
 *
 * Pure: from a check's result, the attributed mappings, the process's
 * Mems_allowed and the host's free memory it decides, per region, how
 * many pages go from which node to which.  It never plans for a
 * compliant region, nor for one whose binding is missing (moved pages
 * would not stay, new ones would land anywhere): that needs a change of
 * configuration, which the plan names.  Moving them (move_pages(2)) is
 * the front end's job (cli_migrate.c). */
#pragma once

#include "bitmap.h"
#include "check.h"
#include "intent.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct np_error;
struct np_host;
struct np_mapping;

typedef enum np_migrate_action {
        NP_MIGRATE_NOTHING,    /* compliant, or no page off its nodes */
        NP_MIGRATE_MOVE,       /* move as the plan says */
        NP_MIGRATE_NO_BINDING, /* refused: the binding itself is missing */
        NP_MIGRATE_NO_TARGET,  /* refused: the process may use none of the allowed nodes */
        NP_MIGRATE_NO_ROOM,    /* refused: the allowed nodes lack free pages */
        NP_MIGRATE_UNKNOWN,    /* the pages could not be found or judged */
        NP_MIGRATE__COUNT,
} np_migrate_action;

/* @pages pages go from node @from to node @to. */
typedef struct np_migrate_move {
        unsigned from, to;
        uint64_t pages;
} np_migrate_move;

typedef struct np_migrate_region {
        size_t index;            /* into intent->regions and result->regions */
        np_migrate_action action;
        uint64_t pagesize_kib;   /* the pages found, 4 when ordinary */
        bool huge;               /* hugetlb: moves need free pages in the target's pool */
        np_bitmap targets;       /* allowed nodes the process may use */
        uint64_t off_pages;      /* pages off the allowed nodes */
        np_migrate_move *moves;  /* sources ascending, then targets ascending */
        size_t n_moves, cap_moves;
        char reason[NP_REASON_MAX]; /* why nothing moves, or what to change */
} np_migrate_region;

typedef struct np_migrate_plan {
        np_migrate_region *regions; /* one per region of the intent, in order */
        size_t n_regions;
        uint64_t pages_to_move;
        uint64_t kib_to_move;
        size_t n_refused;        /* regions with pages off their nodes that will not move */
} np_migrate_plan;

/* Make the plan.  @maps are the evidence's mappings attributed to
 * @intent (np_evidence_attribute()); @mems_allowed the process's
 * Mems_allowed_list (move_pages(2) may only move into it); @host the
 * free memory and huge page pools per node.
 *
 * Target nodes: a region's pages go to its allowed nodes that the
 * process may use.  With one such node that is the target; with several,
 * each page goes to the node with the most room left at that point (free
 * huge pages of the region's size, or MemFree for ordinary pages, less
 * what earlier regions of the plan take), ties to the lowest node id.
 * So a plan fills the emptiest nodes first, evens them out, and is the
 * same for the same inputs.  When the allowed nodes cannot take every
 * off-node page of a region, nothing of that region is planned.
 *
 * Returns 0 or -ENOMEM with @err. */
int np_migrate_plan_make(const np_intent *intent, const np_check_result *result,
                         const struct np_mapping *maps, size_t n_maps,
                         const np_bitmap *mems_allowed, const struct np_host *host,
                         np_migrate_plan **ret, struct np_error *err);

void np_migrate_plan_free(np_migrate_plan *plan);

/* "nothing", "move", "refused: no binding", "refused: no target", "refused: no room", "unknown" */
const char *np_migrate_action_to_string(np_migrate_action action);
