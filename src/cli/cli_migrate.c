/* cli_migrate.c: `numaplace migrate`: move a running VM's misplaced
 * pages back onto the nodes its configuration binds them to.
 *
 * The plan comes from migrate.c; this file asks the kernel where each
 * page of a region is (move_pages(2) without nodes, which moves
 * nothing), moves the off-node ones in bounded batches, and checks the
 * VM again.  A dry run (the default) reads numa_maps only, so it also
 * runs on a captured tree (--sysroot). */
#include "attribute.h"
#include "check.h"
#include "cli.h"
#include "cli_target.h"
#include "error.h"
#include "host.h"
#include "intent.h"
#include "migrate.h"
#include "number.h"
#include "process.h"
#include "units.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <numaif.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One move_pages(2) call moves at most this many pages and bytes, so a
 * large guest is moved in steps the kernel (and the guest, whose vCPUs
 * fault on pages under migration) can take, and --rate can pace. */
#define MOVE_BATCH_PAGES 512u
#define MOVE_BATCH_BYTES (64ull << 20)

enum { OPT_APPLY = 0x100, OPT_RATE };

typedef struct migrate_args {
        np_target_args target;
        bool apply;
        uint64_t rate_bytes;     /* per second; 0: as fast as the kernel moves */
} migrate_args;

static void usage(FILE *f)
{
        fputs("Usage:\n"
              " numaplace migrate [options] DOMAIN\n"
              " numaplace migrate [options] --xml FILE [--pid PID]\n"
              "\nMove a running VM's pages that sit off the NUMA nodes its domain XML binds\n"
              "them to back onto those nodes.  Without --apply, print the plan only.\n"
              "\nOptions:\n"
              "     --apply              move the pages (move_pages(2)), then check again\n"
              "     --rate MIB           move at most MIB MiB per second\n"
              " -c, --connect URI        libvirt URI (read-only connection)\n"
              " -x, --xml FILE           domain XML ('-' for stdin)\n"
              " -p, --pid PID            the QEMU process (default: /run/libvirt/qemu/NAME.pid)\n"
              "     --status-xml FILE    libvirt status XML for placement='auto'\n"
              "     --sysroot DIR        read /proc, /sys and /run below DIR (plan only)\n"
              " -h, --help               this help\n"
              " -V, --version            version\n"
              "\nCompliant regions are never touched.  A region whose binding is missing (no\n"
              "memory policy, no confining cpuset.mems) is refused with what to change in\n"
              "the configuration; a region whose target nodes lack free pages (huge pages:\n"
              "free_hugepages of the target's pool) is refused whole, never half-moved.\n"
              "With several allowed nodes, pages go to the node with the most room first.\n"
              "\nExit status: 0 everything moved (or nothing to move) and compliant,\n"
              "1 something not moved or still not compliant (a dry run: 1 when pages are\n"
              "off their nodes), 2 trouble.\n", f);
}

static int parse_args(int argc, char **argv, migrate_args *a, int *ret_exit)
{
        static const struct option longopts[] = {
                NP_TARGET_LONGOPTS,
                { "apply", no_argument, NULL, OPT_APPLY },
                { "rate", required_argument, NULL, OPT_RATE },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },
                { NULL, 0, NULL, 0 },
        };
        int c, r;

        optind = 1;
        *ret_exit = NP_EXIT_TROUBLE;
        while ((c = getopt_long(argc, argv, "c:x:p:hV", longopts, NULL)) != -1) {
                uint64_t v;

                r = np_target_option(&a->target, c, optarg);
                if (r < 0)
                        return -1;
                if (r > 0)
                        continue;
                if (c == OPT_APPLY) {
                        a->apply = true;
                } else if (c == OPT_RATE) {
                        if (np_parse_u64_max(optarg, 1u << 30, &v) < 0 || !v) {
                                np_warnx("--rate: '%s' is not a number of MiB per second", optarg);
                                return -1;
                        }
                        a->rate_bytes = v << 20;
                } else {
                        return np_cli_common_option(c, "migrate", usage, ret_exit);
                }
        }
        return np_target_operands(&a->target, "migrate", argc, argv, optind);
}

static const char *pages_phrase(uint64_t pages, uint64_t pagesize_kib, char *buf, size_t len)
{
        char size[32], page[16];

        snprintf(buf, len, "%s (%" PRIu64 " %s page%s)", np_format_kib(pages * pagesize_kib, size, sizeof(size)),
                 pages, np_format_pagesize(pagesize_kib, page, sizeof(page)), pages == 1 ? "" : "s");
        return buf;
}

static void print_plan(const np_intent *intent, const np_migrate_plan *plan, bool apply)
{
        char buf[128], set[256];

        for (size_t i = 0; i < plan->n_regions; i++) {
                const np_migrate_region *mr = &plan->regions[i];
                const np_region *r = &intent->regions[mr->index];

                if (mr->action != NP_MIGRATE_MOVE) {
                        printf("%s: %s%s\n", r->id,
                               mr->action == NP_MIGRATE_NOTHING || mr->action == NP_MIGRATE_UNKNOWN ? "" : "refused: ",
                               mr->reason);
                        continue;
                }
                np_bitmap_nodes_phrase(&r->nodes, set, sizeof(set));
                printf("%s: %s off %s (%s)\n", r->id, pages_phrase(mr->off_pages, mr->pagesize_kib, buf, sizeof(buf)),
                       set, np_mode_to_string(r->mode));
                for (size_t m = 0; m < mr->n_moves; m++)
                        printf("  node %u -> node %u: %s\n", mr->moves[m].from, mr->moves[m].to,
                               pages_phrase(mr->moves[m].pages, mr->pagesize_kib, buf, sizeof(buf)));
        }
        if (!plan->pages_to_move && !plan->n_refused)
                printf("Nothing to move.\n");
        else if (!plan->pages_to_move)
                printf("Nothing will move: %zu region%s refused.\n", plan->n_refused, plan->n_refused == 1 ? "" : "s");
        else if (!apply)
                printf("Dry run: %s would move%s; nothing moved (--apply moves them).\n",
                       np_format_kib(plan->kib_to_move, buf, sizeof(buf)), plan->n_refused ? ", the rest is refused" : "");
}

/* ---- moving ---------------------------------------------------------- */

#define MAX_ERRNOS 8

typedef struct outcome {
        uint64_t moved, not_moved;
        int errnos[MAX_ERRNOS];  /* why pages did not move, most first seen first */
        uint64_t errno_pages[MAX_ERRNOS];
        size_t n_errnos;
        uint64_t stayed;         /* the kernel left them where they were, no error */
} outcome;

typedef struct mover {
        pid_t pid;
        int flags;               /* MPOL_MF_MOVE_ALL; MPOL_MF_MOVE without CAP_SYS_NICE */
        uint64_t rate_bytes;
        uint64_t bytes_moved;    /* for the rate */
        struct timespec start;
        void *pages[MOVE_BATCH_PAGES];
        void *off[MOVE_BATCH_PAGES];
        int status[MOVE_BATCH_PAGES];
        int nodes[MOVE_BATCH_PAGES];
} mover;

static void note_errno(outcome *o, int e)
{
        for (size_t i = 0; i < o->n_errnos; i++)
                if (o->errnos[i] == e) {
                        o->errno_pages[i]++;
                        return;
                }
        if (o->n_errnos < MAX_ERRNOS) {
                o->errnos[o->n_errnos] = e;
                o->errno_pages[o->n_errnos++] = 1;
        }
}

static void pace(mover *mv, uint64_t bytes)
{
        struct timespec now, wait;
        uint64_t due_ns, spent_ns;

        mv->bytes_moved += bytes;
        if (!mv->rate_bytes)
                return;
        clock_gettime(CLOCK_MONOTONIC, &now);
        spent_ns = (uint64_t)(now.tv_sec - mv->start.tv_sec) * 1000000000ull +
                   (uint64_t)now.tv_nsec - (uint64_t)mv->start.tv_nsec;
        due_ns = mv->bytes_moved / mv->rate_bytes * 1000000000ull +
                 mv->bytes_moved % mv->rate_bytes * 1000000000ull / mv->rate_bytes;
        if (due_ns <= spent_ns)
                return;
        wait.tv_sec = (time_t)((due_ns - spent_ns) / 1000000000ull);
        wait.tv_nsec = (long)((due_ns - spent_ns) % 1000000000ull);
        while (nanosleep(&wait, &wait) < 0 && errno == EINTR)
                ;
}

/* Where an off-node page on @node goes: the plan's share for its node
 * while it lasts, then any share left, then the first target. */
static int pick_target(np_migrate_move *quota, size_t n, const np_bitmap *targets, unsigned node)
{
        for (size_t i = 0; i < n; i++)
                if (quota[i].from == node && quota[i].pages) {
                        quota[i].pages--;
                        return (int)quota[i].to;
                }
        for (size_t i = 0; i < n; i++)
                if (quota[i].pages) {
                        quota[i].pages--;
                        return (int)quota[i].to;
                }
        return np_bitmap_next(targets, 0);
}

/* Move the off-node pages of one mapping.  Returns 0, or -errno when
 * the kernel refused to look at the process at all. */
static int move_mapping(mover *mv, const np_region *region, const np_migrate_region *mr,
                        const np_mapping *m, np_migrate_move *quota, outcome *o, np_error *err)
{
        uint64_t psz = (m->pagesize_kib ? m->pagesize_kib : 4) * 1024;
        uint64_t batch = MOVE_BATCH_BYTES / psz, addr = m->start;

        if (batch > MOVE_BATCH_PAGES)
                batch = MOVE_BATCH_PAGES;
        if (!batch)
                batch = 1;
        while (addr < m->end) {
                unsigned long n = 0, k = 0;
                long r;

                for (; n < batch && addr < m->end; n++, addr += psz)
                        mv->pages[n] = (void *)(uintptr_t)addr;
                if (move_pages(mv->pid, n, mv->pages, NULL, mv->status, 0) < 0)
                        return np_err(err, errno, "move_pages(%d) asking where %s's pages are: %s",
                                      (int)mv->pid, region->id, strerror(errno));
                for (unsigned long i = 0; i < n; i++) {
                        if (mv->status[i] < 0 || np_bitmap_test(&region->nodes, (unsigned)mv->status[i]))
                                continue; /* absent, or where it belongs */
                        mv->off[k] = mv->pages[i];
                        mv->nodes[k] = pick_target(quota, mr->n_moves, &mr->targets, (unsigned)mv->status[i]);
                        k++;
                }
                if (!k)
                        continue;
                for (;;) {
                        r = move_pages(mv->pid, k, mv->off, mv->nodes, mv->status, mv->flags);
                        if (r < 0 && errno == EPERM && mv->flags == MPOL_MF_MOVE_ALL) {
                                mv->flags = MPOL_MF_MOVE; /* pages shared with other processes stay */
                                continue;
                        }
                        break;
                }
                if (r < 0) {
                        int e = errno;

                        if (e == ESRCH)
                                return np_err(err, e, "process %d exited while its pages were moved", (int)mv->pid);
                        for (unsigned long i = 0; i < k; i++)
                                note_errno(o, e);
                        o->not_moved += k;
                        continue;
                }
                for (unsigned long i = 0; i < k; i++) {
                        if (mv->status[i] == mv->nodes[i]) {
                                o->moved++;
                        } else {
                                o->not_moved++;
                                if (mv->status[i] < 0)
                                        note_errno(o, -mv->status[i]);
                                else
                                        o->stayed++;
                        }
                }
                pace(mv, k * psz);
        }
        return 0;
}

static int move_region(mover *mv, const np_intent *intent, const np_migrate_region *mr,
                       const np_mapping *maps, size_t n_maps, outcome *o, np_error *err)
{
        const np_region *region = &intent->regions[mr->index];
        np_migrate_move *quota = malloc((mr->n_moves ? mr->n_moves : 1) * sizeof(*quota));
        int r = 0;

        if (!quota)
                return np_err(err, ENOMEM, "out of memory");
        memcpy(quota, mr->moves, mr->n_moves * sizeof(*quota));
        for (size_t i = 0; i < n_maps && r == 0; i++)
                if (maps[i].region == (int)mr->index && maps[i].n_nodes)
                        r = move_mapping(mv, region, mr, &maps[i], quota, o, err);
        free(quota);
        return r;
}

static void print_outcome(const np_region *region, const np_migrate_region *mr, const outcome *o)
{
        char moved[128], left[128];

        printf("%s: moved %s", region->id, pages_phrase(o->moved, mr->pagesize_kib, moved, sizeof(moved)));
        if (!o->not_moved) {
                printf(", all of it\n");
                return;
        }
        printf("; not moved %s:", pages_phrase(o->not_moved, mr->pagesize_kib, left, sizeof(left)));
        for (size_t i = 0; i < o->n_errnos; i++)
                printf("%s %" PRIu64 " %s", i ? "," : "", o->errno_pages[i],
                       o->errnos[i] == ENOMEM ? "for want of free memory on the target (ENOMEM)" :
                       o->errnos[i] == EBUSY ? "busy (EBUSY, pinned or under I/O)" :
                       o->errnos[i] == EACCES ? "shared with another process (EACCES)" :
                       strerror(o->errnos[i]));
        if (o->stayed)
                printf("%s %" PRIu64 " left where they were by the kernel", o->n_errnos ? "," : "", o->stayed);
        printf("\n");
}

/* ---- after ------------------------------------------------------------ */

static void print_recheck(const np_check_result *res)
{
        printf("After moving:\n");
        for (size_t i = 0; i < res->n_regions; i++) {
                const np_region_result *rr = &res->regions[i];
                char pages[512], size[32];
                size_t used = 0;

                pages[0] = '\0';
                for (int n = np_bitmap_next(&rr->nodes_seen, 0); n >= 0 && n < (int)NP_NODE_MAX;
                     n = np_bitmap_next(&rr->nodes_seen, (unsigned)n + 1)) {
                        used += (size_t)snprintf(pages + used, used < sizeof(pages) ? sizeof(pages) - used : 0,
                                                 "%sN%d=%s", used ? " " : "", n,
                                                 np_format_kib(rr->pages_kib[n], size, sizeof(size)));
                        if (used >= sizeof(pages))
                                break;
                }
                printf("  %-12s %-10s %-24s %s\n", rr->region->id, np_verdict_to_string(rr->verdict),
                       pages[0] ? pages : "-", rr->reason);
        }
        /* what else keeps the verdict from compliant: pins, the cgroup */
        for (size_t i = 0; i < res->n_threads; i++)
                if (res->threads[i].verdict != NP_VERDICT_COMPLIANT)
                        printf("  %-12s %-10s %-24s %s\n", res->threads[i].name,
                               np_verdict_to_string(res->threads[i].verdict), "-", res->threads[i].reason);
        if (res->cgroup_verdict != NP_VERDICT_COMPLIANT)
                printf("  %-12s %-10s %-24s %s\n", "cgroup", np_verdict_to_string(res->cgroup_verdict), "-",
                       res->cgroup_reason);
        printf("Verdict: %s\n", np_verdict_to_string(res->verdict));
}

typedef struct judged {
        np_evidence *ev;
        np_check_result *res;
        np_mapping *maps;
        size_t n_maps;
} judged;

static void judged_clear(judged *j)
{
        free(j->maps);
        np_check_result_free(j->res);
        np_evidence_free(j->ev);
        memset(j, 0, sizeof(*j));
}

static int judge(const np_target *t, judged *j, np_error *err)
{
        int r;

        memset(j, 0, sizeof(*j));
        r = np_evidence_read(t->root, t->pid, &j->ev, err);
        if (r < 0)
                return r;
        /* never move another guest's pages */
        r = np_evidence_check_guest(t->intent, j->ev, err);
        if (r < 0)
                return r;
        r = np_check_judge(t->intent, j->ev, NULL, &j->res, err);
        if (r < 0)
                return r;
        r = np_evidence_attribute(t->intent, j->ev, &j->maps, &j->n_maps);
        if (r < 0)
                return np_err(err, -r, "out of memory");
        return 0;
}

int np_cmd_migrate(int argc, char **argv)
{
        migrate_args a = { 0 };
        np_target t = { 0 };
        judged before = { 0 }, after = { 0 };
        np_migrate_plan *plan = NULL;
        np_host *host = NULL;
        np_error err = { "" };
        bool all_moved = true;
        int code = NP_EXIT_TROUBLE;

        if (parse_args(argc, argv, &a, &code) < 0)
                return code;
        if (np_target_load(&a.target, &t, &err) < 0)
                goto fail;
        if (a.apply && !t.root->live) {
                np_err(&err, EINVAL, "--apply moves pages of a running process: it cannot go with --sysroot");
                goto fail;
        }
        if (judge(&t, &before, &err) < 0 || np_host_read(t.root, &host, &err) < 0)
                goto fail;
        if (np_migrate_plan_make(t.intent, before.res, before.maps, before.n_maps,
                                 &np_evidence_process(before.ev)->mems_allowed, host, &plan, &err) < 0)
                goto fail;
        printf("%s (pid %d), %s:\n", t.intent->name ? t.intent->name : "domain", (int)t.pid,
               a.apply ? "moving" : "plan");
        print_plan(t.intent, plan, a.apply);
        if (!a.apply) {
                code = np_verdict_exit_code(before.res->verdict);
                if (code == NP_EXIT_OK && (plan->pages_to_move || plan->n_refused))
                        code = NP_EXIT_VIOLATION;
                goto out;
        }
        if (plan->pages_to_move) {
                mover *mv = calloc(1, sizeof(*mv));

                if (!mv) {
                        np_err(&err, ENOMEM, "out of memory");
                        goto fail;
                }
                mv->pid = t.pid;
                mv->flags = MPOL_MF_MOVE_ALL;
                mv->rate_bytes = a.rate_bytes;
                clock_gettime(CLOCK_MONOTONIC, &mv->start);
                for (size_t i = 0; i < plan->n_regions; i++) {
                        const np_migrate_region *mr = &plan->regions[i];
                        outcome o = { 0 };

                        if (mr->action != NP_MIGRATE_MOVE)
                                continue;
                        if (move_region(mv, t.intent, mr, before.maps, before.n_maps, &o, &err) < 0) {
                                free(mv);
                                goto fail;
                        }
                        print_outcome(&t.intent->regions[mr->index], mr, &o);
                        if (o.not_moved)
                                all_moved = false;
                }
                free(mv);
        }
        if (judge(&t, &after, &err) < 0)
                goto fail;
        print_recheck(after.res);
        code = np_verdict_exit_code(after.res->verdict);
        if (code == NP_EXIT_OK && (!all_moved || plan->n_refused))
                code = NP_EXIT_VIOLATION;
        goto out;
fail:
        fflush(stdout);
        np_warnx("%s", err.msg);
        code = NP_EXIT_TROUBLE;
out:
        if (fflush(stdout) != 0 && code != NP_EXIT_TROUBLE) {
                np_warnx("cannot write the output");
                code = NP_EXIT_TROUBLE;
        }
        np_migrate_plan_free(plan);
        np_host_free(host);
        judged_clear(&before);
        judged_clear(&after);
        np_target_clear(&t);
        return code;
}
