/* host.c: the host's NUMA nodes, read from /sys/devices/system/node.
 *
 * Per node: CPUs (cpulist), distances (distance), memory (meminfo) and
 * every huge page pool (hugepages/hugepages-<size>kB).  A kernel without
 * NUMA has no node directory at all; the host is then one node 0 with
 * every online CPU, all of /proc/meminfo and the global pools under
 * /sys/kernel/mm/hugepages, so callers never special-case it. */
#include "host.h"
#include "array.h"
#include "error.h"
#include "number.h"
#include "proclines.h"
#include "sysroot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NODE_DIR "/sys/devices/system/node"
#define MEMINFO_MAX (256u << 10)

static int pass_err(np_error *err, const np_error *sub, int r)
{
        if (err)
                *err = *sub;
        return r;
}

/* Find "KEY:   <n> kB" in a meminfo text, where lines of a node's
 * meminfo carry a "Node <id> " prefix (@node >= 0) and /proc/meminfo
 * none (@node < 0).  -ENOENT when absent, -EINVAL with @err when the
 * line is malformed. */
static int meminfo_kib(const char *text, int node, const char *key, uint64_t *ret,
                       np_error *err)
{
        size_t klen = strlen(key);
        const char *line = text;

        while (line && *line) {
                const char *eol = strchr(line, '\n');
                size_t len = eol ? (size_t)(eol - line) : strlen(line);
                const char *p = line, *end = line + len, *num;

                if (node >= 0) {
                        /* "Node <id> KEY: ..." and the id must be ours: a
                         * node directory holding another node's meminfo
                         * is a broken capture. */
                        size_t nd = len > 5 && strncmp(p, "Node ", 5) == 0 ? strspn(p + 5, "0123456789") : 0;
                        uint64_t id;

                        if (nd == 0 || p[5 + nd] != ' ') {
                                line = eol ? eol + 1 : NULL;
                                continue;
                        }
                        if (np_parse_u64(p + 5, nd, &id) < 0 || id != (uint64_t)node)
                                return np_err(err, EINVAL, "'%.*s': expected node %d", (int)len, line, node);
                        p += 5 + nd + 1;
                }
                if ((size_t)(end - p) > klen && strncmp(p, key, klen) == 0 && p[klen] == ':') {
                        p += klen + 1;
                        while (p < end && *p == ' ')
                                p++;
                        num = p;
                        p += strspn(p, "0123456789");
                        if (p > end || np_parse_u64(num, (size_t)(p - num), ret) < 0 ||
                            (size_t)(end - p) != 3 || strncmp(p, " kB", 3) != 0)
                                return np_err(err, EINVAL, "'%.*s': expected '%s: <number> kB'",
                                              (int)len, line, key);
                        return 0;
                }
                line = eol ? eol + 1 : NULL;
        }
        return -ENOENT;
}

/* Read a meminfo file and take MemTotal and MemFree from it. */
static int read_meminfo(const np_sysroot *root, const char *path, int node,
                        uint64_t *total, uint64_t *free_kib, np_error *err)
{
        char shown[PATH_MAX], *text;
        static const char *const keys[] = { "MemTotal", "MemFree" };
        uint64_t *out[] = { total, free_kib };
        int r;

        r = np_sysroot_read_file(root, path, MEMINFO_MAX, &text, NULL, err);
        if (r < 0)
                return r;
        np_sysroot_display(root, path, shown, sizeof(shown));
        for (size_t i = 0; i < 2; i++) {
                r = meminfo_kib(text, node, keys[i], out[i], err);
                if (r == -ENOENT)
                        r = np_err(err, EINVAL, "%s: no %s line", shown, keys[i]);
                else if (r < 0)
                        np_err_prefix(err, -r, "%s", shown);
                if (r < 0)
                        break;
        }
        free(text);
        return r < 0 ? r : 0;
}

static int read_list(const np_sysroot *root, const char *path, unsigned max,
                     np_bitmap *ret, np_error *err)
{
        char shown[PATH_MAX], *s;
        np_error sub;
        int r;

        r = np_sysroot_read_string(root, path, &s, err);
        if (r < 0)
                return r;
        r = np_bitmap_parse_list(s, max, ret, &sub);
        free(s);
        if (r < 0)
                return np_err(err, EINVAL, "%s: %s", np_sysroot_display(root, path, shown, sizeof(shown)),
                              sub.msg);
        return 0;
}

static int cmp_pool(const void *a, const void *b)
{
        const np_hugepool *x = a, *y = b;

        return (x->size_kib > y->size_kib) - (x->size_kib < y->size_kib);
}

/* Every hugepages-<size>kB below @dir; a missing @dir means no pools. */
static int read_pools(const np_sysroot *root, const char *dir_path,
                      np_hugepool **ret, size_t *ret_n, np_error *err)
{
        char shown[PATH_MAX];
        np_hugepool *pools = NULL;
        size_t n = 0, cap = 0;
        struct dirent *de;
        DIR *dir;
        int e, r = 0;

        *ret = NULL;
        *ret_n = 0;
        dir = np_sysroot_opendir(root, dir_path);
        e = dir ? 0 : errno;
        if (e == ENOENT)
                return 0;
        if (e)
                return np_err(err, e, "%s: %s", np_sysroot_display(root, dir_path, shown, sizeof(shown)),
                              np_strerror(e));
        while ((de = readdir(dir))) {
                static const char *const files[] = { "nr_hugepages", "free_hugepages", "surplus_hugepages" };
                const char *name = de->d_name, *digits;
                size_t nd, len = strlen(name);
                np_hugepool pool;
                uint64_t *fields[3];

                if (strncmp(name, "hugepages-", 10) != 0)
                        continue;
                digits = name + 10;
                nd = strspn(digits, "0123456789");
                if (nd == 0 || strcmp(digits + nd, "kB") != 0 || len != 10 + nd + 2 ||
                    np_parse_u64(digits, nd, &pool.size_kib) < 0)
                        continue;
                fields[0] = &pool.total;
                fields[1] = &pool.free;
                fields[2] = &pool.surplus;
                for (size_t i = 0; i < 3 && r == 0; i++) {
                        char path[PATH_MAX];

                        snprintf(path, sizeof(path), "%s/%s/%s", dir_path, name, files[i]);
                        r = np_sysroot_read_u64(root, path, fields[i], err);
                }
                if (r < 0)
                        break;
                if (np_array_reserve(&pools, &cap, n + 1) < 0) {
                        r = np_err(err, ENOMEM, "out of memory");
                        break;
                }
                pools[n++] = pool;
        }
        closedir(dir);
        if (r < 0) {
                free(pools);
                return r;
        }
        qsort(pools, n, sizeof(*pools), cmp_pool);
        *ret = pools;
        *ret_n = n;
        return 0;
}

static int read_distances(const np_sysroot *root, const char *path, size_t expected,
                          unsigned **ret, size_t *ret_n, np_error *err)
{
        char shown[PATH_MAX], *s, *p;
        unsigned *d;
        size_t n = 0;
        int r;

        r = np_sysroot_read_string(root, path, &s, err);
        if (r < 0)
                return r;
        np_sysroot_display(root, path, shown, sizeof(shown));
        d = calloc(expected ? expected : 1, sizeof(*d));
        if (!d) {
                free(s);
                return np_err(err, ENOMEM, "out of memory");
        }
        /* One distance per online node, in node order (drivers/base/node.c) */
        for (p = s; *p;) {
                size_t len;
                uint64_t v;

                p += strspn(p, " ");
                if (!*p)
                        break;
                len = strcspn(p, " ");
                if (np_parse_u64(p, len, &v) < 0 || v > UINT_MAX) {
                        r = np_err(err, EINVAL, "%s: '%.*s': expected a distance", shown, (int)len, p);
                        goto fail;
                }
                if (n == expected) {
                        r = np_err(err, EINVAL, "%s: more distances than the %zu online nodes", shown, expected);
                        goto fail;
                }
                d[n++] = (unsigned)v;
                p += len;
        }
        if (n != expected) {
                r = np_err(err, EINVAL, "%s: %zu distances for %zu online nodes", shown, n, expected);
                goto fail;
        }
        free(s);
        *ret = d;
        *ret_n = n;
        return 0;
fail:
        free(d);
        free(s);
        return r;
}

static int read_numa(const np_sysroot *root, np_host *host, np_error *err)
{
        size_t count;
        int r, id;

        r = read_list(root, NODE_DIR "/online", NP_NODE_MAX, &host->online, err);
        if (r < 0)
                return r;
        count = np_bitmap_count(&host->online);
        host->nodes = calloc(count ? count : 1, sizeof(*host->nodes));
        if (!host->nodes)
                return np_err(err, ENOMEM, "out of memory");

        for (id = np_bitmap_next(&host->online, 0); id >= 0; id = np_bitmap_next(&host->online, (unsigned)id + 1)) {
                np_host_node *node = &host->nodes[host->n_nodes++];
                char path[PATH_MAX];

                node->id = (unsigned)id;
                snprintf(path, sizeof(path), NODE_DIR "/node%d/cpulist", id);
                r = read_list(root, path, NP_BITMAP_MAX, &node->cpus, err);
                if (r < 0)
                        return r;
                snprintf(path, sizeof(path), NODE_DIR "/node%d/distance", id);
                r = read_distances(root, path, count, &node->distances, &node->n_distances, err);
                if (r < 0)
                        return r;
                snprintf(path, sizeof(path), NODE_DIR "/node%d/meminfo", id);
                r = read_meminfo(root, path, id, &node->mem_total_kib, &node->mem_free_kib, err);
                if (r < 0)
                        return r;
                snprintf(path, sizeof(path), NODE_DIR "/node%d/hugepages", id);
                r = read_pools(root, path, &node->pools, &node->n_pools, err);
                if (r < 0)
                        return r;
        }

        if (np_sysroot_exists(root, NODE_DIR "/has_memory"))
                return read_list(root, NODE_DIR "/has_memory", NP_NODE_MAX, &host->with_memory, err);
        /* Kernels before 2.6.35 lack has_memory: go by the node's memory */
        np_bitmap_clear(&host->with_memory);
        for (size_t i = 0; i < host->n_nodes; i++)
                if (host->nodes[i].mem_total_kib)
                        np_bitmap_set(&host->with_memory, host->nodes[i].id);
        return 0;
}

static int read_flat(const np_sysroot *root, np_host *host, np_error *err)
{
        np_host_node *node;
        int r;

        host->nodes = calloc(1, sizeof(*host->nodes));
        if (!host->nodes)
                return np_err(err, ENOMEM, "out of memory");
        host->n_nodes = 1;
        node = &host->nodes[0];
        node->id = 0;
        r = read_list(root, "/sys/devices/system/cpu/online", NP_BITMAP_MAX, &node->cpus, err);
        if (r < 0)
                return r;
        r = read_meminfo(root, "/proc/meminfo", -1, &node->mem_total_kib, &node->mem_free_kib, err);
        if (r < 0)
                return r;
        r = read_pools(root, "/sys/kernel/mm/hugepages", &node->pools, &node->n_pools, err);
        if (r < 0)
                return r;
        node->distances = calloc(1, sizeof(*node->distances));
        if (!node->distances)
                return np_err(err, ENOMEM, "out of memory");
        node->distances[0] = 10; /* LOCAL_DISTANCE */
        node->n_distances = 1;
        np_bitmap_clear(&host->online);
        np_bitmap_set(&host->online, 0);
        np_bitmap_clear(&host->with_memory);
        if (node->mem_total_kib)
                np_bitmap_set(&host->with_memory, 0);
        return 0;
}

/* Hugepagesize from /proc/meminfo; 0 when the file or line is absent
 * (a kernel without hugetlbfs). */
static int read_default_hugepage(const np_sysroot *root, uint64_t *ret, np_error *err)
{
        char shown[PATH_MAX], *text;
        np_error sub;
        int r;

        *ret = 0;
        r = np_sysroot_read_file(root, "/proc/meminfo", MEMINFO_MAX, &text, NULL, &sub);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return pass_err(err, &sub, r);
        r = meminfo_kib(text, -1, "Hugepagesize", ret, err);
        free(text);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return np_err_prefix(err, -r, "%s", np_sysroot_display(root, "/proc/meminfo", shown, sizeof(shown)));
        return 0;
}

int np_host_read(const np_sysroot *root, np_host **ret, np_error *err)
{
        np_host *host;
        int r;

        host = calloc(1, sizeof(*host));
        if (!host)
                return np_err(err, ENOMEM, "out of memory");
        if (np_sysroot_exists(root, NODE_DIR))
                r = read_numa(root, host, err);
        else
                r = read_flat(root, host, err);
        if (r == 0)
                r = read_default_hugepage(root, &host->default_hugepage_kib, err);
        if (r < 0) {
                np_host_free(host);
                return r;
        }
        *ret = host;
        return 0;
}

const np_host_node *np_host_node_get(const np_host *host, unsigned id)
{
        for (size_t i = 0; i < host->n_nodes; i++)
                if (host->nodes[i].id == id)
                        return &host->nodes[i];
        return NULL;
}

const np_hugepool *np_host_node_pool(const np_host_node *node, uint64_t size_kib)
{
        for (size_t i = 0; i < node->n_pools; i++)
                if (node->pools[i].size_kib == size_kib)
                        return &node->pools[i];
        return NULL;
}

void np_host_free(np_host *host)
{
        if (!host)
                return;
        for (size_t i = 0; i < host->n_nodes; i++) {
                free(host->nodes[i].pools);
                free(host->nodes[i].distances);
        }
        free(host->nodes);
        free(host);
}
