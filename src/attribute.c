/* attribute.c: match the QEMU process's mappings to guest RAM regions. */
#include "attribute.h"

#include <ctype.h>
#include <string.h>

static const char *const match_names[NP_MATCH__COUNT] = {
        [NP_MATCH_NONE] = "",
        [NP_MATCH_NAME] = "name",
        [NP_MATCH_SIZE_POLICY] = "size+policy",
        [NP_MATCH_SIZE] = "size",
};

const char *np_match_to_string(np_match how)
{
        return how < NP_MATCH__COUNT ? match_names[how] : "";
}

static bool is_id_char(char c)
{
        return isalnum((unsigned char)c) || c == '-';
}

bool np_path_names_backend(const char *path, const char *id)
{
        const char *base = strrchr(path, '/');
        size_t n = strlen(id);

        base = base ? base + 1 : path;
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
static uint64_t region_size_kib(const np_region *region,
                                const np_qemu_cmdline *cmdline)
{
        const np_qemu_backend *b = cmdline ? np_qemu_cmdline_find(cmdline, region->id) : NULL;

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
        switch (region->mode) {
        case NP_MODE_STRICT:
                if (m->policy != NP_POLICY_BIND)
                        return false;
                break;
        case NP_MODE_PREFERRED:
                if (m->policy != NP_POLICY_PREFERRED && m->policy != NP_POLICY_PREFERRED_MANY)
                        return false;
                break;
        case NP_MODE_INTERLEAVE:
                if (m->policy != NP_POLICY_INTERLEAVE && m->policy != NP_POLICY_WEIGHTED_INTERLEAVE)
                        return false;
                break;
        default:
                return false;
        }
        return m->has_policy_nodes && np_bitmap_equal(&m->policy_nodes, &region->nodes);
}

/* Whether the mapping is of the kind (anonymous or memfd) the region's
 * backend creates, so size can identify it. */
static bool kind_matches(const np_region *region, const np_mapping *m)
{
        if (region->backing == NP_BACKING_MEMFD)
                return is_memfd(m->path);
        if (region->backing == NP_BACKING_ANONYMOUS)
                return m->path[0] == '\0';
        return false;
}

static int pick_by_size(const np_region *region, uint64_t size_kib,
                        np_mapping *maps, size_t n_maps, bool want_policy)
{
        int best = -1;

        /* QEMU maps backends in command line order and mmap hands out
         * addresses top down, so among equals the highest address is the
         * earliest backend: regions are visited in that order too. */
        for (size_t i = 0; i < n_maps; i++) {
                np_mapping *m = &maps[i];

                if (m->region >= 0 || !kind_matches(region, m))
                        continue;
                if ((m->end - m->start) / 1024 != size_kib)
                        continue;
                if (want_policy && !policy_matches(region, m))
                        continue;
                if (best < 0 || m->start > maps[best].start)
                        best = (int)i;
        }
        return best;
}

void np_attribute(const np_region *regions, size_t n_regions,
                  const np_qemu_cmdline *cmdline, np_mapping *maps,
                  size_t n_maps, np_match *ret_how)
{
        for (size_t r = 0; r < n_regions; r++)
                ret_how[r] = NP_MATCH_NONE;
        for (size_t i = 0; i < n_maps; i++)
                maps[i].region = -1;

        /* Names first: a named mapping can belong to one region only. */
        for (size_t i = 0; i < n_maps; i++) {
                if (!maps[i].path[0] || is_memfd(maps[i].path))
                        continue;
                for (size_t r = 0; r < n_regions; r++) {
                        const np_qemu_backend *b = cmdline ? np_qemu_cmdline_find(cmdline, regions[r].id) : NULL;
                        bool exact = b && b->mem_path && strcmp(b->mem_path, maps[i].path) == 0;

                        if (exact || np_path_names_backend(maps[i].path, regions[r].id)) {
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
                        i = pick_by_size(&regions[r], region_size_kib(&regions[r], cmdline),
                                         maps, n_maps, pass == 0);
                        if (i < 0)
                                continue;
                        maps[i].region = (int)r;
                        ret_how[r] = pass == 0 ? NP_MATCH_SIZE_POLICY : NP_MATCH_SIZE;
                }
        }
}
