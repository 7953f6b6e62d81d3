/* attribute.c: match the QEMU process's mappings to guest RAM regions. */
#include "attribute.h"
#include "enum.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const match_names[NP_MATCH__COUNT] = {
        [NP_MATCH_NONE] = "",
        [NP_MATCH_NAME] = "name",
        [NP_MATCH_SIZE_POLICY] = "size+policy",
        [NP_MATCH_SIZE] = "size",
};

NP_ENUM_TO_STRING(np_match_to_string, np_match, match_names, "")

static const struct {
        const char *qemu;            /* the backend's policy= */
        np_policy_kind kernel;       /* what mbind(2) with it shows */
        np_policy_kind holds[2];     /* kernel policies that keep the
                                      * binding; default: none */
} mode_policies[NP_MODE__COUNT] = {
        [NP_MODE_NONE] = { "default", NP_POLICY_DEFAULT, { NP_POLICY_DEFAULT, NP_POLICY_DEFAULT } },
        [NP_MODE_STRICT] = { "bind", NP_POLICY_BIND, { NP_POLICY_BIND, NP_POLICY_DEFAULT } },
        [NP_MODE_PREFERRED] = { "preferred", NP_POLICY_PREFERRED,
                                { NP_POLICY_PREFERRED, NP_POLICY_PREFERRED_MANY } },
        [NP_MODE_INTERLEAVE] = { "interleave", NP_POLICY_INTERLEAVE,
                                 { NP_POLICY_INTERLEAVE, NP_POLICY_WEIGHTED_INTERLEAVE } },
        [NP_MODE_RESTRICTIVE] = { "default", NP_POLICY_DEFAULT, { NP_POLICY_BIND, NP_POLICY_DEFAULT } },
};

const char *np_mode_qemu_policy(np_mode mode)
{
        return (unsigned)mode < NP_MODE__COUNT ? mode_policies[mode].qemu : "default";
}

np_mode np_mode_of_qemu_policy(const char *policy)
{
        /* restrictive shares "default" with no mode: never taken from a word */
        for (unsigned m = 0; m < NP_MODE__COUNT; m++)
                if (m != NP_MODE_RESTRICTIVE && strcmp(policy, mode_policies[m].qemu) == 0)
                        return (np_mode)m;
        return NP_MODE_NONE;
}

np_policy_kind np_mode_kernel_policy(np_mode mode, unsigned n_nodes)
{
        if ((unsigned)mode >= NP_MODE__COUNT)
                return NP_POLICY_DEFAULT;
        if (mode == NP_MODE_PREFERRED && n_nodes > 1)
                return NP_POLICY_PREFERRED_MANY;
        return mode_policies[mode].kernel;
}

bool np_mode_policy_holds(np_mode mode, np_policy_kind kind)
{
        if ((unsigned)mode >= NP_MODE__COUNT || kind == NP_POLICY_DEFAULT)
                return false;
        return kind == mode_policies[mode].holds[0] || kind == mode_policies[mode].holds[1];
}

static bool is_id_char(char c)
{
        return isalnum((unsigned char)c) || c == '-';
}

#define BACK_MEM_PREFIX "qemu_back_mem."

bool np_path_names_backend(const char *path, const char *id)
{
        const char *base = strrchr(path, '/');
        size_t n = strlen(id);

        base = base ? base + 1 : path;
        /* QEMU's own temporary file (system/physmem.c file_ram_open):
         * "qemu_back_mem.<name>.XXXXXX", <name> the backend id ('/' made
         * '_', so "_objects_<id>" with x-use-canonical-path-for-ramblock-id).
         * Taken exactly: id "mem" must not match "qemu_back_mem.mem0". */
        if (strncmp(base, BACK_MEM_PREFIX, strlen(BACK_MEM_PREFIX)) == 0) {
                const char *name = base + strlen(BACK_MEM_PREFIX);
                const char *dot = strrchr(name, '.');
                size_t len = dot ? (size_t)(dot - name) : strlen(name);

                if (len == n && strncmp(name, id, n) == 0)
                        return true;
                return len == n + 9 && strncmp(name, "_objects_", 9) == 0 &&
                       strncmp(name + 9, id, n) == 0;
        }
        /* QEMU names temporary hugetlbfs files "qemu_back_mem.<id>.XXXXXX"
         * (older machine types "_objects_<id>"), libvirt names RAM files
         * after the id itself; in every case the id stands as a whole
         * token, so "ram-node1" must not match "ram-node10". */
        for (const char *p = strstr(base, id); p; p = strstr(p + 1, id)) {
                if ((p == base || !is_id_char(p[-1])) && !is_id_char(p[n]))
                        return true;
        }
        return false;
}

static bool is_memfd(const char *path)
{
        return strncmp(path, "/memfd:", 7) == 0;
}

bool np_mapping_is_candidate(const char *path, const char *perms, uint64_t size_kib)
{
        if (perms[0] != 'r' || perms[1] != 'w')
                return false;
        if (path[0] == '[')
                return false; /* [heap], [stack], [vdso] ... */
        return size_kib >= NP_CANDIDATE_MIN_KIB;
}

/* The size QEMU gave the backend, else what the XML implies. */
static uint64_t region_size_kib(const np_region *region, const np_qemu_backend *b)
{
        if (b && b->size_bytes)
                return b->size_bytes / 1024;
        return region->size_kib;
}

/* Whether the mapping carries the policy the region's backend was given. */
static bool policy_matches(const np_region *region, const np_mapping *m)
{
        if (!m->has_numa)
                return false;
        if (region->enforcement != NP_ENFORCE_MBIND || !region->has_nodes)
                return m->policy == NP_POLICY_DEFAULT;
        return np_mode_policy_holds(region->mode, m->policy) && m->has_policy_nodes &&
               np_bitmap_equal(&m->policy_nodes, &region->nodes);
}

/* Whether the mapping carries the policy QEMU was told to give the
 * backend (policy=, host-nodes=). */
static bool backend_policy_matches(const np_qemu_backend *b, const np_mapping *m)
{
        if (!m->has_numa)
                return false;
        if (!b->policy[0] || strcmp(b->policy, "default") == 0)
                return m->policy == NP_POLICY_DEFAULT;
        /* an unknown word gives no mode, which nothing holds */
        return np_mode_policy_holds(np_mode_of_qemu_policy(b->policy), m->policy) &&
               b->has_host_nodes && m->has_policy_nodes && np_bitmap_equal(&m->policy_nodes, &b->host_nodes);
}

typedef struct graph_ctx {
        const np_region *regions;
        size_t n_regions;
        const np_qemu_cmdline *cmdline;
        const np_qemu_backend **backend;
} graph_ctx;

/* Whether a file mapping's name says which backend it is: it names a
 * backend of the graph, or a region the graph could not place. */
static bool names_known(const graph_ctx *g, const char *path)
{
        const np_qemu_cmdline *cl = g->cmdline;

        if (cl) {
                for (size_t i = 0; i < cl->n_backends; i++)
                        if (np_path_names_backend(path, cl->backends[i].id) ||
                            (cl->backends[i].mem_path && strcmp(cl->backends[i].mem_path, path) == 0))
                                return true;
                if (cl->has_implicit_ram && np_path_names_backend(path, cl->implicit_ram.id))
                        return true;
        }
        for (size_t r = 0; r < g->n_regions; r++)
                if (!g->backend[r] && np_path_names_backend(path, g->regions[r].id))
                        return true;
        return false;
}

/* Whether the mapping is of the kind the region's backend creates and
 * says nothing else about itself, so size can identify it: anonymous
 * memory, a memfd, or a hugetlbfs or shared file (QEMU's temporary
 * "qemu_back_mem." files among them) whose name is no known backend's. */
static bool kind_matches(const graph_ctx *g, size_t r, const np_mapping *m)
{
        np_backing backing = g->backend[r] ? g->backend[r]->backing : g->regions[r].backing;
        const char *base;

        /* Without the process's word for it the intent's backing is only
         * what libvirt would have made: any hugetlb mapping naming no
         * known backend is guest RAM as much as anonymous memory is. */
        if (!g->backend[r] && m->huge && m->path[0] && !names_known(g, m->path))
                return true;
        switch (backing) {
        case NP_BACKING_MEMFD:
                return is_memfd(m->path);
        case NP_BACKING_ANONYMOUS:
                return m->path[0] == '\0';
        case NP_BACKING_FILE:
                if (!m->path[0] || is_memfd(m->path))
                        return false;
                base = strrchr(m->path, '/');
                base = base ? base + 1 : m->path;
                if (!m->huge && !m->shared && strncmp(base, BACK_MEM_PREFIX, strlen(BACK_MEM_PREFIX)) != 0)
                        return false;
                return !names_known(g, m->path);
        default:
                return false;
        }
}

static int pick_by_size(const graph_ctx *g, size_t r, np_mapping *maps, size_t n_maps,
                        bool want_policy)
{
        const np_region *region = &g->regions[r];
        const np_qemu_backend *b = g->backend[r];
        uint64_t size_kib = region_size_kib(region, b);
        int best = -1;

        /* QEMU maps backends in command line order and mmap hands out
         * addresses top down, so among equals the highest address is the
         * earliest backend: regions are visited in that order too. */
        for (size_t i = 0; i < n_maps; i++) {
                np_mapping *m = &maps[i];

                if (m->region >= 0 || !kind_matches(g, r, m))
                        continue;
                if ((m->end - m->start) / 1024 != size_kib)
                        continue;
                if (want_policy && !policy_matches(region, m) && !(b && backend_policy_matches(b, m)))
                        continue;
                if (best < 0 || m->start > maps[best].start)
                        best = (int)i;
        }
        return best;
}

/* Which of the cmdline's backends (index; n_backends for the implicit
 * RAM) are taken. */
typedef struct taken {
        bool *used;
        size_t n;
} taken;

static bool take(const np_qemu_cmdline *cl, taken *t, const np_qemu_backend *b)
{
        size_t i = b == &cl->implicit_ram ? cl->n_backends : (size_t)(b - cl->backends);

        if (i >= t->n || t->used[i])
                return false;
        t->used[i] = true;
        return true;
}

static const np_qemu_backend *by_structure(const np_region *regions, size_t n_regions, size_t r,
                                           const np_qemu_cmdline *cl, taken *t)
{
        const np_region *region = &regions[r];
        size_t cells = 0, nth = 0, linked = 0;
        const np_qemu_backend *one = NULL;

        for (size_t k = 0; k < n_regions; k++) {
                if (regions[k].kind == NP_REGION_CELL)
                        cells++;
                if (k < r && regions[k].kind == region->kind)
                        nth++;
        }
        for (size_t i = 0; i < cl->n_backends; i++) {
                const np_qemu_backend *b = &cl->backends[i];

                if (b->guest_node >= 0) {
                        linked++;
                        one = b;
                }
                switch (region->kind) {
                case NP_REGION_CELL:
                        if (b->guest_node >= 0 && b->guest_node == region->cell && take(cl, t, b))
                                return b;
                        break;
                case NP_REGION_MACHINE:
                        if (b->is_machine_ram && take(cl, t, b))
                                return b;
                        break;
                default:
                        if (b->has_device && b->device_kind == region->kind && b->device_index == nth &&
                            take(cl, t, b))
                                return b;
                        break;
                }
        }
        /* One guest RAM block for one region: the machine's RAM (a plain
         * -m, legacy -numa node,mem=, -machine memory-backend=) holds a
         * lone cell, and a guest QEMU gave one cell holds the RAM of an
         * intent without cells. */
        if (region->kind == NP_REGION_CELL && cells == 1) {
                if (cl->has_implicit_ram && take(cl, t, &cl->implicit_ram))
                        return &cl->implicit_ram;
                for (size_t i = 0; i < cl->n_backends; i++)
                        if (cl->backends[i].is_machine_ram && take(cl, t, &cl->backends[i]))
                                return &cl->backends[i];
        }
        if (region->kind == NP_REGION_MACHINE) {
                if (cl->has_implicit_ram && take(cl, t, &cl->implicit_ram))
                        return &cl->implicit_ram;
                if (cells == 0 && linked == 1 && take(cl, t, one))
                        return one;
        }
        return NULL;
}

void np_graph_map(const np_region *regions, size_t n_regions,
                  const np_qemu_cmdline *cmdline, const np_qemu_backend **ret)
{
        taken t = { 0 };

        for (size_t r = 0; r < n_regions; r++)
                ret[r] = NULL;
        if (!cmdline)
                return;
        t.n = cmdline->n_backends + 1;
        t.used = calloc(t.n, sizeof(*t.used));
        if (!t.used)
                return; /* names and sizes still attribute */
        /* the same id first: libvirt's regions are named as its backends */
        for (size_t r = 0; r < n_regions; r++) {
                const np_qemu_backend *b = np_qemu_cmdline_find(cmdline, regions[r].id);

                if (b && take(cmdline, &t, b))
                        ret[r] = b;
        }
        for (size_t r = 0; r < n_regions; r++)
                if (!ret[r])
                        ret[r] = by_structure(regions, n_regions, r, cmdline, &t);
        free(t.used);
}

void np_attribute(const np_region *regions, size_t n_regions,
                  const np_qemu_cmdline *cmdline, np_mapping *maps,
                  size_t n_maps, np_match *ret_how)
{
        np_attribute_graph(regions, n_regions, cmdline, maps, n_maps, ret_how, NULL);
}

void np_attribute_graph(const np_region *regions, size_t n_regions,
                        const np_qemu_cmdline *cmdline, np_mapping *maps,
                        size_t n_maps, np_match *ret_how,
                        const np_qemu_backend **ret_backend)
{
        const np_qemu_backend **backend = ret_backend;
        graph_ctx g;

        if (!backend)
                backend = calloc(n_regions ? n_regions : 1, sizeof(*backend));
        for (size_t r = 0; r < n_regions; r++)
                ret_how[r] = NP_MATCH_NONE;
        for (size_t i = 0; i < n_maps; i++)
                maps[i].region = -1;
        if (!backend)
                return;
        np_graph_map(regions, n_regions, cmdline, backend);
        g = (graph_ctx){ regions, n_regions, cmdline, backend };

        /* Names first: a named mapping can belong to one region only. */
        for (size_t i = 0; i < n_maps; i++) {
                if (!maps[i].path[0] || is_memfd(maps[i].path))
                        continue;
                for (size_t r = 0; r < n_regions; r++) {
                        const np_qemu_backend *b = backend[r];
                        bool named;

                        if (b)
                                named = (b->mem_path && strcmp(b->mem_path, maps[i].path) == 0) ||
                                        np_path_names_backend(maps[i].path, b->id);
                        else
                                named = np_path_names_backend(maps[i].path, regions[r].id);
                        if (named) {
                                maps[i].region = (int)r;
                                ret_how[r] = NP_MATCH_NAME;
                                break;
                        }
                }
        }

        for (int pass = 0; pass < 2; pass++) {
                for (size_t r = 0; r < n_regions; r++) {
                        int i;

                        if (ret_how[r] != NP_MATCH_NONE)
                                continue;
                        i = pick_by_size(&g, r, maps, n_maps, pass == 0);
                        if (i < 0)
                                continue;
                        maps[i].region = (int)r;
                        ret_how[r] = pass == 0 ? NP_MATCH_SIZE_POLICY : NP_MATCH_SIZE;
                }
        }
        if (backend != ret_backend)
                free(backend);
}
