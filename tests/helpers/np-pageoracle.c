/* np-pageoracle: where the pages of one mapping of a process really are.
 *
 * The multi-node tests judge numaplace against this program, so it shares
 * nothing with numaplace: it finds the mapping in /proc/PID/smaps with its
 * own few lines of parsing and asks the kernel for the node of every page
 * with move_pages(2) and a NULL node list (query only, nothing moves).
 *
 *   np-pageoracle --pid PID (--range START-END | --path TEXT | --size SIZE)... [--move-to NODE] [-J]
 *
 * --path (a substring of the mapped file's name) and --size (the mapping's
 * exact length; K, M, G suffixes) may be combined; exactly one mapping must
 * match.  Prints per-node page counts, or with -J one JSON object:
 *   {"start":"0x..","end":"0x..","path":"..","pagesize_kib":2048,
 *    "pages":32,"absent":0,"errors":0,"kib":{"1":65536}}
 * Exit 0 on success, 2 when the mapping cannot be found or queried.
 *
 * --move-to NODE first moves every page of the mapping to NODE (also
 * against the mapping's policy: move_pages(2) checks only the cpuset),
 * which is how the tests misplace pages after a start; the counts are
 * then taken afresh and "move_failed" says how many pages did not move.
 *
 * Plain libc, no libnuma, so it can be linked statically for an initramfs. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_NODES 1024
#define BATCH 4096

struct mapping {
        uint64_t start, end;
        uint64_t pagesize;     /* bytes, from KernelPageSize */
        char path[4096];
};

struct filter {
        bool by_range, by_path, by_size;
        uint64_t start, end, size;
        const char *path;
};

struct tally {
        uint64_t pages, absent, errors;
        uint64_t per_node[MAX_NODES];
};

static int parse_size(const char *text, uint64_t *ret)
{
        char *end;
        unsigned long long v;

        errno = 0;
        v = strtoull(text, &end, 0);
        if (errno || end == text)
                return -EINVAL;
        switch (*end) {
        case 'k': case 'K': v <<= 10; end++; break;
        case 'm': case 'M': v <<= 20; end++; break;
        case 'g': case 'G': v <<= 30; end++; break;
        default: break;
        }
        if (*end == 'i' && end[1] == 'B')
                end += 2;
        else if (*end == 'B')
                end++;
        if (*end)
                return -EINVAL;
        *ret = v;
        return 0;
}

static int parse_range(const char *text, uint64_t *start, uint64_t *end)
{
        char *dash;

        errno = 0;
        *start = strtoull(text, &dash, 16);
        if (errno || *dash != '-')
                return -EINVAL;
        *end = strtoull(dash + 1, NULL, 16);
        if (errno || *end <= *start)
                return -EINVAL;
        return 0;
}

/* A smaps header looks like "START-END PERMS OFFSET DEV INODE   PATH". */
static bool parse_header(const char *line, struct mapping *m)
{
        unsigned long long start, end;
        char perms[8];
        int pathpos = 0;
        size_t len;

        if (sscanf(line, "%llx-%llx %7s %*s %*s %*s %n", &start, &end, perms, &pathpos) < 3)
                return false;
        m->start = start;
        m->end = end;
        m->pagesize = 0;
        m->path[0] = '\0';
        if (pathpos > 0) {
                snprintf(m->path, sizeof(m->path), "%s", line + pathpos);
                len = strlen(m->path);
                if (len && m->path[len - 1] == '\n')
                        m->path[len - 1] = '\0';
        }
        return true;
}

static bool matches(const struct mapping *m, const struct filter *f)
{
        if (f->by_range && (f->start < m->start || f->start >= m->end))
                return false;
        if (f->by_path && !strstr(m->path, f->path))
                return false;
        if (f->by_size && m->end - m->start != f->size)
                return false;
        return true;
}

/* Find the one mapping the filter names.  Returns 0, -ENOENT when none
 * matches, -EEXIST when several do (all are listed on stderr). */
static int find_mapping(pid_t pid, const struct filter *f, struct mapping *ret)
{
        char file[64], line[8192];
        struct mapping cur;
        bool have = false;
        unsigned long long kib;
        int found = 0;
        FILE *in;

        snprintf(file, sizeof(file), "/proc/%d/smaps", (int)pid);
        in = fopen(file, "re");
        if (!in) {
                fprintf(stderr, "np-pageoracle: %s: %s\n", file, strerror(errno));
                return -errno;
        }
        while (fgets(line, sizeof(line), in)) {
                if (parse_header(line, &cur)) {
                        have = matches(&cur, f);
                        if (have) {
                                found++;
                                if (found == 2)
                                        fprintf(stderr, "np-pageoracle: matches %" PRIx64 "-%" PRIx64 " '%s'\n",
                                                ret->start, ret->end, ret->path);
                                if (found > 1)
                                        fprintf(stderr, "np-pageoracle: matches %" PRIx64 "-%" PRIx64 " '%s'\n",
                                                cur.start, cur.end, cur.path);
                                else
                                        *ret = cur;
                        }
                        continue;
                }
                if (have && found == 1 && sscanf(line, "KernelPageSize: %llu kB", &kib) == 1)
                        ret->pagesize = kib * 1024;
        }
        fclose(in);
        if (found == 0)
                return -ENOENT;
        if (found > 1)
                return -EEXIST;
        if (ret->pagesize == 0)
                ret->pagesize = (uint64_t)sysconf(_SC_PAGESIZE);
        if (f->by_range) {
                /* a range may cover part of a mapping */
                ret->start = f->start;
                if (f->end < ret->end)
                        ret->end = f->end;
        }
        return 0;
}

/* Ask the kernel for the node of every page in [start, end). */
static int count_pages(pid_t pid, const struct mapping *m, struct tally *t)
{
        static void *pages[BATCH];
        static int status[BATCH];
        uint64_t addr = m->start;
        unsigned long n, i;

        memset(t, 0, sizeof(*t));
        while (addr < m->end) {
                for (n = 0; n < BATCH && addr < m->end; n++, addr += m->pagesize)
                        pages[n] = (void *)(uintptr_t)addr;
                if (syscall(SYS_move_pages, pid, n, pages, NULL, status, 0) < 0) {
                        fprintf(stderr, "np-pageoracle: move_pages(%d): %s\n", (int)pid, strerror(errno));
                        return -errno;
                }
                for (i = 0; i < n; i++) {
                        t->pages++;
                        if (status[i] >= 0 && status[i] < MAX_NODES)
                                t->per_node[status[i]]++;
                        else if (status[i] == -ENOENT)
                                t->absent++;
                        else
                                t->errors++;
                }
        }
        return 0;
}

/* Move every page in [start, end) to @node; returns the pages that did
 * not get there, or -errno. */
static long move_all(pid_t pid, const struct mapping *m, int node)
{
        static void *pages[BATCH];
        static int nodes[BATCH], status[BATCH];
        uint64_t addr = m->start;
        unsigned long n, i;
        long failed = 0;

        while (addr < m->end) {
                for (n = 0; n < BATCH && addr < m->end; n++, addr += m->pagesize) {
                        pages[n] = (void *)(uintptr_t)addr;
                        nodes[n] = node;
                }
                if (syscall(SYS_move_pages, pid, n, pages, nodes, status, 4 /* MPOL_MF_MOVE_ALL */) < 0) {
                        fprintf(stderr, "np-pageoracle: move_pages(%d, to %d): %s\n", (int)pid, node, strerror(errno));
                        return -errno;
                }
                for (i = 0; i < n; i++)
                        if (status[i] != node)
                                failed++;
        }
        return failed;
}

static void print_json_string(const char *s)
{
        putchar('"');
        for (; *s; s++) {
                if (*s == '"' || *s == '\\')
                        printf("\\%c", *s);
                else if ((unsigned char)*s < 0x20)
                        printf("\\u%04x", *s);
                else
                        putchar(*s);
        }
        putchar('"');
}

static long move_failed = -1;

static void print_json(const struct mapping *m, const struct tally *t)
{
        uint64_t kib = m->pagesize / 1024;
        const char *sep = "";
        int node;

        printf("{\"start\":\"0x%" PRIx64 "\",\"end\":\"0x%" PRIx64 "\",\"path\":", m->start, m->end);
        print_json_string(m->path);
        printf(",\"pagesize_kib\":%" PRIu64 ",\"pages\":%" PRIu64 ",\"absent\":%" PRIu64
               ",\"errors\":%" PRIu64 ",\"kib\":{", kib, t->pages, t->absent, t->errors);
        for (node = 0; node < MAX_NODES; node++) {
                if (!t->per_node[node])
                        continue;
                printf("%s\"%d\":%" PRIu64, sep, node, t->per_node[node] * kib);
                sep = ",";
        }
        printf("}");
        if (move_failed >= 0)
                printf(",\"move_failed\":%ld", move_failed);
        printf("}\n");
}

static void print_text(const struct mapping *m, const struct tally *t)
{
        uint64_t kib = m->pagesize / 1024;
        int node;

        printf("mapping %" PRIx64 "-%" PRIx64 " %s\n", m->start, m->end, m->path);
        printf("pagesize_kib %" PRIu64 " pages %" PRIu64 " absent %" PRIu64 " errors %" PRIu64 "\n",
               kib, t->pages, t->absent, t->errors);
        for (node = 0; node < MAX_NODES; node++)
                if (t->per_node[node])
                        printf("node %d pages %" PRIu64 " kib %" PRIu64 "\n",
                               node, t->per_node[node], t->per_node[node] * kib);
}

static void usage(FILE *out)
{
        fprintf(out, "Usage: np-pageoracle --pid PID (--range START-END | --path TEXT | --size SIZE)... [--move-to NODE] [-J]\n");
}

int main(int argc, char **argv)
{
        static const struct option options[] = {
                { "pid", required_argument, NULL, 'p' },
                { "range", required_argument, NULL, 'r' },
                { "path", required_argument, NULL, 'f' },
                { "size", required_argument, NULL, 's' },
                { "json", no_argument, NULL, 'J' },
                { "move-to", required_argument, NULL, 'm' },
                { "help", no_argument, NULL, 'h' },
                {}
        };
        static struct tally tally;
        struct filter filter = {};
        struct mapping mapping;
        bool json = false;
        pid_t pid = 0;
        int c, r, move_to = -1;

        while ((c = getopt_long(argc, argv, "p:r:f:s:m:Jh", options, NULL)) != -1) {
                switch (c) {
                case 'p':
                        pid = (pid_t)atoi(optarg);
                        break;
                case 'r':
                        if (parse_range(optarg, &filter.start, &filter.end) < 0) {
                                fprintf(stderr, "np-pageoracle: bad range '%s'\n", optarg);
                                return 2;
                        }
                        filter.by_range = true;
                        break;
                case 'f':
                        filter.path = optarg;
                        filter.by_path = true;
                        break;
                case 's':
                        if (parse_size(optarg, &filter.size) < 0) {
                                fprintf(stderr, "np-pageoracle: bad size '%s'\n", optarg);
                                return 2;
                        }
                        filter.by_size = true;
                        break;
                case 'J':
                        json = true;
                        break;
                case 'm':
                        move_to = atoi(optarg);
                        if (move_to < 0 || move_to >= MAX_NODES) {
                                fprintf(stderr, "np-pageoracle: bad node '%s'\n", optarg);
                                return 2;
                        }
                        break;
                case 'h':
                        usage(stdout);
                        return 0;
                default:
                        usage(stderr);
                        return 2;
                }
        }
        if (pid <= 0 || !(filter.by_range || filter.by_path || filter.by_size)) {
                usage(stderr);
                return 2;
        }
        r = find_mapping(pid, &filter, &mapping);
        if (r == -ENOENT)
                fprintf(stderr, "np-pageoracle: no mapping of pid %d matches\n", (int)pid);
        else if (r == -EEXIST)
                fprintf(stderr, "np-pageoracle: several mappings of pid %d match\n", (int)pid);
        if (r < 0)
                return 2;
        if (move_to >= 0 && (move_failed = move_all(pid, &mapping, move_to)) < 0)
                return 2;
        if (count_pages(pid, &mapping, &tally) < 0)
                return 2;
        if (json)
                print_json(&mapping, &tally);
        else
                print_text(&mapping, &tally);
        return 0;
}
