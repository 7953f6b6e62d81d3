/* preflight.c: the start-time comparison of a VM's demands with the host.
 *
 * Huge pages are the case that matters: hugetlbfs pages are reserved in
 * per-node pools, so "enough memory" is a question with an exact answer
 * before QEMU starts.  Several regions of one VM compete for the same
 * pools, and a region bound to several nodes may take pages from any of
 * them; the demand is therefore checked as a transportation problem:
 * for every union T of the regions' allowed node sets, the regions whose
 * sets lie inside T must fit into the free pages of T (Hall's condition,
 * which is also sufficient because pages are interchangeable). */
#include "preflight.h"
#include "array.h"
#include "enum.h"
#include "error.h"
#include "host.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Above this many distinct node sets per page size (2^N unions), only
 * each set alone and all of them together are tried. */
#define UNION_SETS_MAX 10

static const char *const shortfall_kind_names[NP_SHORTFALL__COUNT] = {
        [NP_SHORTFALL_NO_SUCH_NODE] = "no-such-node",
        [NP_SHORTFALL_NO_MEMORY] = "no-memory",
        [NP_SHORTFALL_NO_PAGESIZE] = "no-pagesize",
        [NP_SHORTFALL_UNALIGNED] = "unaligned",
        [NP_SHORTFALL_HUGEPAGES] = "hugepages",
};

NP_ENUM_TO_STRING(np_shortfall_kind_to_string, np_shortfall_kind, shortfall_kind_names, "?")

void np_preflight_free(np_preflight *preflight)
{
        if (!preflight)
                return;
        free(preflight->items);
        free(preflight);
}

size_t np_preflight_summary(const np_preflight *preflight, char *buf, size_t len)
{
        size_t used = 0;

        if (len)
                buf[0] = '\0';
        for (size_t i = 0; preflight && i < preflight->n_items; i++) {
                const char *sep = i ? "; " : "";
                size_t n = strlen(sep) + strlen(preflight->items[i].message);

                if (used < len)
                        snprintf(buf + used, len - used, "%s%s", sep, preflight->items[i].message);
                used += n;
        }
        return used;
}

static np_shortfall *add_item(np_preflight *p, np_shortfall_kind kind)
{
        np_shortfall *s;

        if (np_array_reserve(&p->items, &p->cap_items, p->n_items + 1) < 0)
                return NULL;
        s = &p->items[p->n_items++];
        memset(s, 0, sizeof(*s));
        s->kind = kind;
        return s;
}

static void host_node_set(const np_host *host, np_bitmap *ret)
{
        np_bitmap_clear(ret);
        for (size_t i = 0; i < host->n_nodes; i++)
                np_bitmap_set(ret, host->nodes[i].id);
}

static const np_host_node *find_node(const np_host *host, unsigned id)
{
        for (size_t i = 0; i < host->n_nodes; i++)
                if (host->nodes[i].id == id)
                        return &host->nodes[i];
        return NULL;
}

static const np_hugepool *find_pool(const np_host_node *node, uint64_t size_kib)
{
        for (size_t i = 0; node && i < node->n_pools; i++)
                if (node->pools[i].size_kib == size_kib)
                        return &node->pools[i];
        return NULL;
}

static void append_region(char *list, size_t len, const char *id)
{
        size_t used = strlen(list);

        if (used + 2 + strlen(id) + 4 >= len) {
                if (used + 4 < len && !strstr(list, ", ..."))
                        strcat(list, ", ...");
                return;
        }
        if (used)
                strcat(list, ", ");
        strcat(list, id);
}

/* A shortfall of region @r on @nodes, said by @fmt. */
__attribute__((format(printf, 5, 6)))
static int add_node_item(np_preflight *p, np_shortfall_kind kind, const np_region *r,
                         const np_bitmap *nodes, const char *fmt, ...)
{
        np_shortfall *s = add_item(p, kind);
        va_list ap;

        if (!s)
                return -ENOMEM;
        snprintf(s->regions, sizeof(s->regions), "%s", r->id);
        s->preferred_only = r->mode == NP_MODE_PREFERRED;
        s->nodes = *nodes;
        va_start(ap, fmt);
        vsnprintf(s->message, sizeof(s->message), fmt, ap);
        va_end(ap);
        return 0;
}

/* Bindings to nodes the host lacks or that hold no memory. */
static int check_nodes(const np_intent *intent, const np_host *host,
                       const np_bitmap *present, np_preflight *p)
{
        for (size_t i = 0; i < intent->n_regions; i++) {
                const np_region *r = &intent->regions[i];
                np_bitmap missing, memoryless;
                char phrase[128];

                if (!r->has_nodes)
                        continue;
                missing = r->nodes;
                memoryless = r->nodes;
                for (size_t w = 0; w < NP_BITMAP_MAX / 64; w++) {
                        missing.w[w] &= ~present->w[w];
                        memoryless.w[w] &= present->w[w] & ~host->with_memory.w[w];
                }
                np_bitmap_nodes_phrase(&missing, phrase, sizeof(phrase));
                if (!np_bitmap_is_empty(&missing) &&
                    add_node_item(p, NP_SHORTFALL_NO_SUCH_NODE, r, &missing, "%s is bound to %s, which this host does not have",
                                  r->id, phrase) < 0)
                        return -ENOMEM;
                np_bitmap_nodes_phrase(&memoryless, phrase, sizeof(phrase));
                if (!np_bitmap_is_empty(&memoryless) &&
                    add_node_item(p, NP_SHORTFALL_NO_MEMORY, r, &memoryless, "%s is bound to %s, which %s no memory",
                                  r->id, phrase, np_bitmap_count(&memoryless) == 1 ? "has" : "have") < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* One hugepage-backed region as the pools see it. */
typedef struct demand {
        const np_region *region;
        uint64_t pagesize_kib;
        uint64_t pages;
        np_bitmap allowed;  /* existing nodes with memory it may use */
} demand;

static int collect_demands(const np_intent *intent, const np_host *host,
                           const np_bitmap *present, np_preflight *p,
                           demand **ret, size_t *ret_n)
{
        demand *d = calloc(intent->n_regions ? intent->n_regions : 1, sizeof(*d));
        size_t n = 0;
        np_bitmap usable = *present;

        if (!d)
                return -ENOMEM;
        np_bitmap_and(&usable, &host->with_memory);

        for (size_t i = 0; i < intent->n_regions; i++) {
                const np_region *r = &intent->regions[i];
                uint64_t ps = r->pagesize_kib;
                np_shortfall *s;

                if (r->pagesize_default) {
                        ps = host->default_hugepage_kib;
                        if (!ps) {
                                s = add_item(p, NP_SHORTFALL_NO_PAGESIZE);
                                if (!s)
                                        goto oom;
                                snprintf(s->regions, sizeof(s->regions), "%s", r->id);
                                s->preferred_only = r->mode == NP_MODE_PREFERRED;
                                snprintf(s->message, sizeof(s->message),
                                         "%s asks for the default huge page size, and this host has no huge pages",
                                         r->id);
                                continue;
                        }
                }
                if (ps <= 4)
                        continue;
                if (r->size_kib % ps) {
                        s = add_item(p, NP_SHORTFALL_UNALIGNED);
                        if (!s)
                                goto oom;
                        snprintf(s->regions, sizeof(s->regions), "%s", r->id);
                        s->preferred_only = r->mode == NP_MODE_PREFERRED;
                        s->pagesize_kib = ps;
                        snprintf(s->message, sizeof(s->message),
                                 "%s is %" PRIu64 " KiB, not a whole number of %" PRIu64 " kB pages",
                                 r->id, r->size_kib, ps);
                }
                d[n].region = r;
                d[n].pagesize_kib = ps;
                d[n].pages = (r->size_kib + ps - 1) / ps;
                d[n].allowed = usable;
                if (r->has_nodes)
                        np_bitmap_and(&d[n].allowed, &r->nodes);
                if (np_bitmap_is_empty(&d[n].allowed))
                        continue; /* reported by check_nodes() */
                if (d[n].pages)
                        n++;
        }
        *ret = d;
        *ret_n = n;
        return 0;
oom:
        free(d);
        return -ENOMEM;
}

typedef struct node_union {
        np_bitmap nodes;
        uint64_t needed, available;
        bool short_of_pages;
} node_union;

static uint64_t free_pages(const np_host *host, const np_bitmap *nodes,
                           uint64_t ps, bool *ret_any_pool)
{
        uint64_t total = 0;

        *ret_any_pool = false;
        for (int n = np_bitmap_next(nodes, 0); n >= 0; n = np_bitmap_next(nodes, (unsigned)n + 1)) {
                const np_hugepool *pool = find_pool(find_node(host, (unsigned)n), ps);

                if (pool) {
                        total += pool->free;
                        *ret_any_pool = true;
                }
        }
        return total;
}

/* Check the regions of one page size. */
static int check_pagesize(const np_host *host, demand *d, size_t n, uint64_t ps,
                          np_preflight *p)
{
        const np_bitmap **sets = NULL;
        node_union *unions = NULL;
        size_t n_sets = 0, n_unions = 0, n_masks;
        int r = -ENOMEM;

        sets = calloc(n, sizeof(*sets));
        if (!sets)
                goto out;
        for (size_t i = 0; i < n; i++) {
                size_t j;

                if (d[i].pagesize_kib != ps)
                        continue;
                for (j = 0; j < n_sets; j++)
                        if (np_bitmap_equal(sets[j], &d[i].allowed))
                                break;
                if (j == n_sets)
                        sets[n_sets++] = &d[i].allowed;
        }

        n_masks = n_sets <= UNION_SETS_MAX ? ((size_t)1 << n_sets) - 1 : n_sets + 1;
        unions = calloc(n_masks ? n_masks : 1, sizeof(*unions));
        if (!unions)
                goto out;
        for (size_t m = 1; m <= n_masks; m++) {
                np_bitmap u;
                size_t k;

                np_bitmap_clear(&u);
                if (n_sets <= UNION_SETS_MAX) {
                        for (size_t s = 0; s < n_sets; s++)
                                if (m & ((size_t)1 << s))
                                        np_bitmap_or(&u, sets[s]);
                } else if (m <= n_sets) {
                        u = *sets[m - 1];
                } else {
                        for (size_t s = 0; s < n_sets; s++)
                                np_bitmap_or(&u, sets[s]);
                }
                for (k = 0; k < n_unions; k++)
                        if (np_bitmap_equal(&unions[k].nodes, &u))
                                break;
                if (k < n_unions)
                        continue;
                unions[n_unions++].nodes = u;
        }

        for (size_t k = 0; k < n_unions; k++) {
                node_union *u = &unions[k];
                bool any_pool;

                for (size_t i = 0; i < n; i++)
                        if (d[i].pagesize_kib == ps && np_bitmap_is_subset(&d[i].allowed, &u->nodes))
                                u->needed += d[i].pages;
                u->available = free_pages(host, &u->nodes, ps, &any_pool);
                u->short_of_pages = u->needed > u->available;
        }

        for (size_t k = 0; k < n_unions; k++) {
                node_union *u = &unions[k];
                char phrase[128], sizes[64];
                bool minimal = true, any_pool, preferred_only = true, many = false;
                np_shortfall *s;

                if (!u->short_of_pages)
                        continue;
                for (size_t o = 0; o < n_unions && minimal; o++)
                        if (o != k && unions[o].short_of_pages &&
                            np_bitmap_is_subset(&unions[o].nodes, &u->nodes) &&
                            !np_bitmap_equal(&unions[o].nodes, &u->nodes))
                                minimal = false;
                if (!minimal)
                        continue;

                s = add_item(p, NP_SHORTFALL_HUGEPAGES);
                if (!s)
                        goto out;
                for (size_t i = 0; i < n; i++) {
                        if (d[i].pagesize_kib != ps || !np_bitmap_is_subset(&d[i].allowed, &u->nodes))
                                continue;
                        if (s->regions[0])
                                many = true;
                        append_region(s->regions, sizeof(s->regions), d[i].region->id);
                        if (d[i].region->mode != NP_MODE_PREFERRED)
                                preferred_only = false;
                }
                s->preferred_only = preferred_only;
                s->nodes = u->nodes;
                s->pagesize_kib = ps;
                s->needed = u->needed;
                s->available = u->available;
                free_pages(host, &u->nodes, ps, &any_pool);
                np_bitmap_nodes_phrase(&u->nodes, phrase, sizeof(phrase));
                snprintf(sizes, sizeof(sizes), "%" PRIu64 " kB", ps);
                if (any_pool)
                        snprintf(s->message, sizeof(s->message),
                                 "%s %s %" PRIu64 " x %s hugepages on %s, %s %s %" PRIu64 " free",
                                 s->regions, many ? "need" : "needs", s->needed, sizes,
                                 phrase, phrase, np_bitmap_count(&u->nodes) == 1 ? "has" : "have",
                                 s->available);
                else
                        snprintf(s->message, sizeof(s->message),
                                 "%s %s %" PRIu64 " x %s hugepages on %s, %s %s no %s pool",
                                 s->regions, many ? "need" : "needs", s->needed, sizes,
                                 phrase, phrase, np_bitmap_count(&u->nodes) == 1 ? "has" : "have",
                                 sizes);
        }
        r = 0;
out:
        free(sets);
        free(unions);
        return r;
}

static int compare_u64(const void *a, const void *b)
{
        uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

        return x < y ? -1 : x > y;
}

int np_preflight_run(const np_intent *intent, const np_host *host,
                     np_preflight **ret, np_error *err)
{
        np_preflight *p = calloc(1, sizeof(*p));
        uint64_t *sizes = NULL;
        size_t n_demands = 0, n_sizes = 0;
        demand *demands = NULL;
        np_bitmap present;
        int r;

        if (!p)
                return np_err(err, ENOMEM, "out of memory");
        host_node_set(host, &present);

        r = check_nodes(intent, host, &present, p);
        if (r < 0)
                goto fail;
        r = collect_demands(intent, host, &present, p, &demands, &n_demands);
        if (r < 0)
                goto fail;

        r = -ENOMEM;
        sizes = calloc(n_demands ? n_demands : 1, sizeof(*sizes));
        if (!sizes)
                goto fail;
        for (size_t i = 0; i < n_demands; i++) {
                size_t j;

                for (j = 0; j < n_sizes; j++)
                        if (sizes[j] == demands[i].pagesize_kib)
                                break;
                if (j == n_sizes)
                        sizes[n_sizes++] = demands[i].pagesize_kib;
        }
        qsort(sizes, n_sizes, sizeof(*sizes), compare_u64);
        for (size_t j = 0; j < n_sizes; j++) {
                r = check_pagesize(host, demands, n_demands, sizes[j], p);
                if (r < 0)
                        goto fail;
        }

        free(sizes);
        free(demands);
        *ret = p;
        return 0;
fail:
        free(sizes);
        free(demands);
        np_preflight_free(p);
        return np_err(err, -r, "out of memory");
}
