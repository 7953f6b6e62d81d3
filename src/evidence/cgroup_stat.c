/* cgroup_stat.c: parse and read a cgroup's per-node memory statistics.
 *
 * Where the files are:
 *   v1: /sys/fs/cgroup/memory/PATH/memory.numa_stat (figures in pages;
 *       the hierarchical_* lines include child cgroups) and
 *       /sys/fs/cgroup/hugetlb/PATH/hugetlb.<size>.numa_stat (bytes);
 *   v2: /sys/fs/cgroup/PATH/memory.numa_stat and hugetlb.<size>.numa_stat
 *       (bytes, always hierarchical).
 * PATH is the VM's own cgroup: the process's, less libvirt's thread-level
 * child (emulator/, vcpuN/, iothreadN/). */
#include "cgroup_stat.h"
#include "array.h"
#include "error.h"
#include "process.h"
#include "sysroot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NUMA_STAT_MAX (256u << 10)
#define CGROUP_FILE_MAX (64u << 10)

static bool is_key_char(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* A decimal at *pp that fits a uint64_t; advances *pp. */
static bool take_u64(const char **pp, const char *end, uint64_t *ret)
{
        const char *p = *pp;
        uint64_t v = 0;

        if (p >= end || *p < '0' || *p > '9')
                return false;
        while (p < end && *p >= '0' && *p <= '9') {
                unsigned d = (unsigned)(*p - '0');

                if (v > (UINT64_MAX - d) / 10)
                        return false;
                v = v * 10 + d;
                p++;
        }
        *pp = p;
        *ret = v;
        return true;
}

/* Bytes (or pages) to KiB, refusing what does not fit. */
static bool to_kib(uint64_t value, uint64_t unit_bytes, uint64_t *ret)
{
        if (unit_bytes && value > UINT64_MAX / unit_bytes)
                return false;
        *ret = value * unit_bytes / 1024;
        return true;
}

/* The length of the field at @p, up to the next blank or @end. */
static size_t field_len(const char *p, const char *end)
{
        const char *q = p;

        while (q < end && *q != ' ')
                q++;
        return (size_t)(q - p);
}

/* Parse one line [line, end): KEY[=TOTAL]( N<node>=<value>)*.  Fills
 * @row when @want is set (it must be empty then). */
static int parse_line(const char *line, const char *end, unsigned lineno, uint64_t unit_bytes,
                      bool want, np_stat_row *row, np_error *err)
{
        const char *p = line;
        uint64_t v;

        while (p < end && is_key_char(*p))
                p++;
        if (p == line)
                return np_err(err, EINVAL, "line %u: '%.*s': expected a key such as 'anon' or 'total'",
                              lineno, (int)(end - line), line);
        if (p < end && *p == '=') {
                p++;
                if (!take_u64(&p, end, &v))
                        return np_err(err, EINVAL, "line %u: '%.*s': the value after '=' is not a number",
                                      lineno, (int)(p - line), line);
        }
        while (p < end) {
                const char *field = p + 1;
                uint64_t node, kib;
                int flen;

                if (*p != ' ')
                        return np_err(err, EINVAL, "line %u: unexpected '%c' after '%.*s'", lineno, *p,
                                      (int)(p - line), line);
                p++;
                if (p < end && *p == ' ')
                        continue;
                if (p >= end)
                        break;
                flen = (int)field_len(field, end);
                if (*p != 'N')
                        return np_err(err, EINVAL, "line %u: field '%.*s': expected N<node>=<value>", lineno,
                                      flen,
                                      field);
                p++;
                if (!take_u64(&p, end, &node) || node >= NP_NODE_MAX || p >= end || *p != '=')
                        return np_err(err, EINVAL, "line %u: field '%.*s': expected N<node>=<value> with a node below %u",
                                      lineno, flen,
                                      field, NP_NODE_MAX);
                p++;
                if (!take_u64(&p, end, &v) || (p < end && *p != ' ') || !to_kib(v, unit_bytes, &kib))
                        return np_err(err, EINVAL, "line %u: field '%.*s': the value is not a decimal number that fits in 64 bits",
                                      lineno, flen,
                                      field);
                if (!want)
                        continue;
                for (unsigned i = 0; i < row->n_nodes; i++)
                        if (row->nodes[i].node == node)
                                return np_err(err, EINVAL, "line %u: node %u listed twice", lineno, (unsigned)node);
                if (np_array_reserve(&row->nodes, &row->cap_nodes, row->n_nodes + 1) < 0)
                        return np_err(err, ENOMEM, "out of memory");
                row->nodes[row->n_nodes].node = (unsigned)node;
                row->nodes[row->n_nodes].kib = kib;
                row->n_nodes++;
                if (row->total_kib > UINT64_MAX - kib)
                        return np_err(err, EINVAL, "line %u: the figures do not fit", lineno);
                row->total_kib += kib;
        }
        return 0;
}

int np_numa_stat_parse(const char *text, const char *key, uint64_t unit_bytes,
                       np_stat_row *ret, np_error *err)
{
        size_t klen = strlen(key);
        np_stat_row row = { 0 };
        unsigned lineno = 0;
        bool found = false;
        int r;

        for (const char *line = text; line && *line;) {
                const char *eol = strchr(line, '\n');
                const char *end = eol ? eol : line + strlen(line);
                size_t n = 0;
                bool want;

                lineno++;
                if (end == line) {
                        line = eol ? eol + 1 : NULL;
                        continue;
                }
                while (line + n < end && is_key_char(line[n]))
                        n++;
                want = !found && n == klen && memcmp(line, key, klen) == 0;
                r = parse_line(line, end, lineno, unit_bytes, want, &row, err);
                if (r < 0) {
                        free(row.nodes);
                        return r;
                }
                found = found || want;
                line = eol ? eol + 1 : NULL;
        }
        if (!found)
                return np_err(err, ENOENT, "no '%s' line", key);
        free(ret->nodes);
        ret->nodes = row.nodes;
        ret->n_nodes = row.n_nodes;
        ret->total_kib = row.total_kib;
        return 0;
}

bool np_hugetlb_stat_name(const char *filename, uint64_t *ret_kib)
{
        static const struct { const char *unit; uint64_t kib; } units[] = {
                { "KB", 1 }, { "MB", 1024 }, { "GB", 1024 * 1024 },
        };
        const char *p, *suffix = ".numa_stat";
        size_t len = strlen(filename), slen = strlen(suffix);
        uint64_t v;

        if (strncmp(filename, "hugetlb.", 8) != 0 || len <= 8 + slen ||
            strcmp(filename + len - slen, suffix) != 0)
                return false;
        p = filename + 8;
        if (!take_u64(&p, filename + len - slen, &v) || v == 0)
                return false;
        for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
                if ((size_t)(filename + len - slen - p) == 2 && memcmp(p, units[i].unit, 2) == 0) {
                        if (v > UINT64_MAX / units[i].kib)
                                return false;
                        *ret_kib = v * units[i].kib;
                        return true;
                }
        }
        return false;
}

/* Whether a controller list ("cpu,cpuacct", "name=systemd") holds @name. */
static bool has_controller(const char *list, size_t len, const char *name)
{
        const char *p = list, *end = list + len;
        size_t nlen = strlen(name);

        while (p < end) {
                const char *comma = memchr(p, ',', (size_t)(end - p));
                size_t n = comma ? (size_t)(comma - p) : (size_t)(end - p);

                if (n == nlen && memcmp(p, name, n) == 0)
                        return true;
                p += n + 1;
        }
        return false;
}

int np_cgroup_parse_controller(const char *text, const char *controller,
                               char **ret_path, bool *ret_v2, np_error *err)
{
        const char *v1 = NULL, *v2 = NULL;
        size_t v1_len = 0, v2_len = 0;
        unsigned lineno = 0;
        char *path;

        for (const char *line = text; line && *line;) {
                const char *eol = strchr(line, '\n');
                size_t len = eol ? (size_t)(eol - line) : strlen(line);
                const char *c1, *c2;

                lineno++;
                if (len == 0) {
                        line = eol ? eol + 1 : NULL;
                        continue;
                }
                /* ID:CONTROLLERS:PATH; the path may itself hold colons */
                c1 = memchr(line, ':', len);
                c2 = c1 ? memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line)) : NULL;
                if (!c1 || !c2 || c1 == line || strspn(line, "0123456789") != (size_t)(c1 - line))
                        return np_err(err, EINVAL, "line %u: '%.*s': expected ID:CONTROLLERS:PATH",
                                      lineno, NP_QUOTE_LEN(len), line);
                if (c2 == c1 + 1 && c1 - line == 1 && line[0] == '0') {
                        if (!v2) {
                                v2 = c2 + 1;
                                v2_len = len - (size_t)(c2 + 1 - line);
                        }
                } else if (!v1 && has_controller(c1 + 1, (size_t)(c2 - c1 - 1), controller)) {
                        v1 = c2 + 1;
                        v1_len = len - (size_t)(c2 + 1 - line);
                }
                line = eol ? eol + 1 : NULL;
        }
        /* On a hybrid host the v2 line names the unified hierarchy, which
         * does not hold a controller v1 mounts. */
        if (!v1 && !v2)
                return np_err(err, ENOENT, "no %s cgroup (neither a v1 %s line nor a v2 '0::' line)",
                              controller, controller);
        path = v1 ? strndup(v1, v1_len) : strndup(v2, v2_len);
        if (!path)
                return np_err(err, ENOMEM, "out of memory");
        *ret_path = path;
        *ret_v2 = !v1;
        return 0;
}

/* Whether @name is one of the thread-level cgroups libvirt makes. */
static bool is_thread_cgroup(const char *name)
{
        static const char *const prefixes[] = { "vcpu", "iothread" };

        if (strcmp(name, "emulator") == 0)
                return true;
        for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
                size_t n = strlen(prefixes[i]);

                if (strncmp(name, prefixes[i], n) == 0 && name[n] &&
                    strspn(name + n, "0123456789") == strlen(name + n))
                        return true;
        }
        return false;
}

char *np_cgroup_vm_path(const char *path)
{
        const char *slash = strrchr(path, '/');

        if (slash && slash != path && is_thread_cgroup(slash + 1))
                return strndup(path, (size_t)(slash - path));
        return strdup(path);
}

uint64_t np_stat_row_kib(const np_stat_row *row, unsigned node)
{
        for (unsigned i = 0; i < row->n_nodes; i++)
                if (row->nodes[i].node == node)
                        return row->nodes[i].kib;
        return 0;
}

void np_stat_row_clear(np_stat_row *row)
{
        free(row->nodes);
        free(row->source);
        memset(row, 0, sizeof(*row));
}

void np_cgroup_stat_free(np_cgroup_stat *stat)
{
        if (!stat)
                return;
        for (size_t i = 0; i < stat->n_rows; i++)
                np_stat_row_clear(&stat->rows[i]);
        free(stat->path);
        free(stat);
}

np_cgroup_stat *np_cgroup_stat_dup(const np_cgroup_stat *stat)
{
        np_cgroup_stat *c = calloc(1, sizeof(*c));

        if (!c)
                return NULL;
        c->v2 = stat->v2;
        c->path = stat->path ? strdup(stat->path) : NULL;
        if (stat->path && !c->path)
                goto fail;
        for (size_t i = 0; i < stat->n_rows; i++) {
                const np_stat_row *s = &stat->rows[i];
                np_stat_row *d = &c->rows[i];

                *d = *s;
                d->nodes = NULL;
                d->cap_nodes = 0;
                d->source = NULL;
                c->n_rows++;
                if (s->source && !(d->source = strdup(s->source)))
                        goto fail;
                if (s->n_nodes) {
                        d->nodes = malloc(s->n_nodes * sizeof(*d->nodes));
                        if (!d->nodes)
                                goto fail;
                        memcpy(d->nodes, s->nodes, s->n_nodes * sizeof(*d->nodes));
                        d->cap_nodes = s->n_nodes;
                }
        }
        return c;
fail:
        np_cgroup_stat_free(c);
        return NULL;
}

/* ---- reading ---------------------------------------------------------------- */

/* Read @file and take the first of @keys it has into a new row.
 * 1 when the file does not exist. */
static int read_row(const np_sysroot *root, const char *file, const char *const *keys, size_t n_keys,
                    uint64_t unit_bytes, np_stat_kind kind, uint64_t pagesize_kib, const char *name,
                    np_cgroup_stat *stat, np_error *err)
{
        char shown[PATH_MAX], *text = NULL;
        np_stat_row *row;
        np_error sub;
        int r;

        r = np_sysroot_read_file(root, file, NUMA_STAT_MAX, &text, NULL, err);
        if (r == -ENOENT)
                return 1;
        if (r < 0)
                return r;
        if (stat->n_rows == NP_STAT_ROWS_MAX) {
                free(text);
                return 0; /* more huge page sizes than any architecture has */
        }
        row = &stat->rows[stat->n_rows];
        memset(row, 0, sizeof(*row));
        r = -ENOENT;
        for (size_t k = 0; k < n_keys && r == -ENOENT; k++)
                r = np_numa_stat_parse(text, keys[k], unit_bytes, row, &sub);
        free(text);
        if (r == -ENOENT)
                r = np_err(err, EINVAL, "%s: no '%s' line", np_sysroot_display(root, file, shown, sizeof(shown)),
                           keys[n_keys - 1]);
        else if (r < 0)
                r = np_err(err, -r, "%s: %s", np_sysroot_display(root, file, shown, sizeof(shown)), sub.msg);
        if (r < 0) {
                np_stat_row_clear(row);
                return r;
        }
        row->kind = kind;
        row->pagesize_kib = pagesize_kib;
        snprintf(row->name, sizeof(row->name), "%s", name);
        row->source = strdup(file);
        stat->n_rows++;
        if (!row->source)
                return np_err(err, ENOMEM, "out of memory");
        return 0;
}

typedef struct hugetlb_file {
        uint64_t kib;
        char name[64];
} hugetlb_file;

static int cmp_size(const void *a, const void *b)
{
        uint64_t x = ((const hugetlb_file *)a)->kib, y = ((const hugetlb_file *)b)->kib;

        return (x > y) - (x < y);
}

/* Every hugetlb.<size>.numa_stat in @dir, smallest size first. */
static int read_hugetlb(const np_sysroot *root, const char *dir, bool v2, np_cgroup_stat *stat,
                        np_error *err)
{
        static const char *const keys_v1[] = { "hierarchical_total", "total" };
        static const char *const keys_v2[] = { "total" };
        hugetlb_file files[NP_STAT_ROWS_MAX];
        size_t n_files = 0;
        struct dirent *de;
        DIR *d = np_sysroot_opendir(root, dir);
        int r = 0;

        if (!d)
                return 0; /* no hugetlb controller there */
        while ((de = readdir(d)) && n_files < NP_STAT_ROWS_MAX - 2) {
                if (strlen(de->d_name) < sizeof(files[n_files].name) &&
                    np_hugetlb_stat_name(de->d_name, &files[n_files].kib)) {
                        snprintf(files[n_files].name, sizeof(files[n_files].name), "%s", de->d_name);
                        n_files++;
                }
        }
        closedir(d);
        qsort(files, n_files, sizeof(*files), cmp_size);
        for (size_t i = 0; i < n_files && r >= 0; i++) {
                char *file, name[NP_STAT_NAME_MAX];

                if (asprintf(&file, "%s/%s", dir, files[i].name) < 0)
                        return np_err(err, ENOMEM, "out of memory");
                snprintf(name, sizeof(name), "hugetlb_%llu", (unsigned long long)files[i].kib);
                r = read_row(root, file, v2 ? keys_v2 : keys_v1, v2 ? 1 : 2, 1, NP_STAT_HUGETLB, files[i].kib,
                             name, stat, err);
                free(file);
        }
        return r < 0 ? r : 0;
}

/* The VM-level path of @controller's cgroup; 0 with NULL and @why when
 * there is none that describes the VM alone. */
static int vm_path(const char *text, const char *controller, char **ret, bool *ret_v2,
                   char *why, size_t why_len, np_error *err)
{
        char *path = NULL;
        np_error sub;
        int r;

        *ret = NULL;
        r = np_cgroup_parse_controller(text, controller, &path, ret_v2, &sub);
        if (r == -ENOENT) {
                snprintf(why, why_len, "the process has no %s cgroup", controller);
                return 0;
        }
        if (r < 0)
                return np_err(err, -r, "%s", sub.msg);
        /* a path outside our cgroup namespace cannot be found below
         * /sys/fs/cgroup */
        if (path[0] != '/' || strstr(path, "/..")) {
                snprintf(why, why_len, "its %s cgroup '%s' is outside this cgroup namespace", controller, path);
                free(path);
                return 0;
        }
        *ret = np_cgroup_vm_path(path);
        free(path);
        if (!*ret)
                return np_err(err, ENOMEM, "out of memory");
        if (strcmp(*ret, "/") == 0) {
                snprintf(why, why_len, "the process is in the root %s cgroup, whose figures are the whole host's",
                         controller);
                free(*ret);
                *ret = NULL;
        }
        return 0;
}

int np_cgroup_stat_read(const np_sysroot *root, pid_t pid, np_cgroup_stat **ret,
                        char *why, size_t why_len, np_error *err)
{
        static const char *const anon_v1[] = { "hierarchical_anon", "anon" };
        static const char *const file_v1[] = { "hierarchical_file", "file" };
        static const char *const anon_v2[] = { "anon" };
        static const char *const file_v2[] = { "file" };
        char path[64], shown[PATH_MAX], *text = NULL, *mem = NULL, *huge = NULL, *dir = NULL, *file = NULL;
        np_cgroup_stat *stat = NULL;
        uint64_t page = 4096;
        long ps = sysconf(_SC_PAGESIZE);
        bool v2 = false, huge_v2 = false;
        int r;

        *ret = NULL;
        why[0] = '\0';
        if (ps > 0)
                page = (uint64_t)ps;
        snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
        r = np_sysroot_read_file(root, path, CGROUP_FILE_MAX, &text, NULL, err);
        if (r == -ENOENT || r == -ESRCH) {
                if (np_process_is_gone(root, pid))
                        return np_err(err, ESRCH, "process %d exited while reading", (int)pid);
                snprintf(why, why_len, "no /proc/%d/cgroup (a kernel without cgroups)", (int)pid);
                return 0;
        }
        if (r < 0)
                return r;
        r = vm_path(text, "memory", &mem, &v2, why, why_len, err);
        if (r == 0 && mem)
                r = vm_path(text, "hugetlb", &huge, &huge_v2, why, why_len, err);
        free(text);
        if (r < 0) {
                np_err_prefix(err, -r, "%s", np_sysroot_display(root, path, shown, sizeof(shown)));
                goto out;
        }
        if (!mem)
                goto out;
        why[0] = '\0';

        stat = calloc(1, sizeof(*stat));
        if (!stat || asprintf(&dir, "/sys/fs/cgroup%s%s", v2 ? "" : "/memory", mem) < 0) {
                dir = NULL;
                r = np_err(err, ENOMEM, "out of memory");
                goto out;
        }
        stat->v2 = v2;
        stat->path = mem;
        mem = NULL;
        if (asprintf(&file, "%s/memory.numa_stat", dir) < 0) {
                file = NULL;
                r = np_err(err, ENOMEM, "out of memory");
                goto out;
        }
        r = read_row(root, file, v2 ? anon_v2 : anon_v1, v2 ? 1 : 2, v2 ? 1 : page, NP_STAT_ANON, 0, "anon",
                     stat, err);
        if (r == 1) {
                snprintf(why, why_len, "no memory.numa_stat in %s (the memory controller is not enabled there)", dir);
                np_cgroup_stat_free(stat);
                stat = NULL;
                r = 0;
                goto out;
        }
        if (r == 0)
                r = read_row(root, file, v2 ? file_v2 : file_v1, v2 ? 1 : 2, v2 ? 1 : page, NP_STAT_FILE, 0,
                             "file", stat, err);
        if (r < 0)
                goto out;
        /* hugetlb counts only where the same cgroup holds the VM alone */
        if (huge) {
                free(dir);
                if (asprintf(&dir, "/sys/fs/cgroup%s%s", huge_v2 ? "" : "/hugetlb", huge) < 0) {
                        dir = NULL;
                        r = np_err(err, ENOMEM, "out of memory");
                        goto out;
                }
                r = read_hugetlb(root, dir, huge_v2, stat, err);
                if (r < 0)
                        goto out;
        }
        r = 0;
        *ret = stat;
        stat = NULL;
out:
        np_cgroup_stat_free(stat);
        free(file);
        free(dir);
        free(huge);
        free(mem);
        return r < 0 ? r : 0;
}
