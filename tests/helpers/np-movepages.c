/* np-movepages: put a known share of one mapping's pages on another node.
 *
 * The multi-node tests use it to make a misplacement that numaplace's
 * sampled check must find at the rate its bound states: every K-th page
 * of the mapping is moved to NODE with move_pages(2) (MPOL_MF_MOVE).  The
 * kernel allows that against a mapping's MPOL_BIND policy: it checks the
 * cpuset, not the policy.  It shares nothing with numaplace.
 *
 *   np-movepages --pid PID --size SIZE --every K --to NODE
 *
 * --size is the mapping's exact length (K, M, G suffixes); exactly one
 * writable mapping of that size must exist.  Base pages only.  Prints
 * {"pages":N,"asked":A,"moved":M} and exits 0 when every page asked
 * about was moved, 2 otherwise.
 *
 * Plain libc (raw syscalls, no libnuma) so it can be linked statically. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NP_MPOL_MF_MOVE 2 /* <linux/mempolicy.h> */

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
        if (*end)
                return -EINVAL;
        *ret = v;
        return 0;
}

/* The one writable mapping of @size in /proc/PID/maps. */
static int find_mapping(pid_t pid, uint64_t size, uint64_t *start)
{
        char file[64], line[8192], perms[8];
        unsigned long long a, b;
        int found = 0;
        FILE *in;

        snprintf(file, sizeof(file), "/proc/%d/maps", (int)pid);
        in = fopen(file, "re");
        if (!in) {
                fprintf(stderr, "np-movepages: %s: %s\n", file, strerror(errno));
                return -1;
        }
        while (fgets(line, sizeof(line), in)) {
                if (sscanf(line, "%llx-%llx %7s", &a, &b, perms) != 3)
                        continue;
                if (b - a != size || perms[1] != 'w')
                        continue;
                *start = a;
                found++;
        }
        fclose(in);
        if (found != 1) {
                fprintf(stderr, "np-movepages: %d writable mappings of %" PRIu64 " bytes in pid %d\n",
                        found, size, (int)pid);
                return -1;
        }
        return 0;
}

int main(int argc, char **argv)
{
        static const struct option options[] = {
                { "pid", required_argument, NULL, 'p' },
                { "size", required_argument, NULL, 's' },
                { "every", required_argument, NULL, 'e' },
                { "to", required_argument, NULL, 't' },
                {}
        };
        uint64_t size = 0, start = 0, page = (uint64_t)sysconf(_SC_PAGESIZE), n, asked = 0, moved = 0;
        long every = 0, node = -1;
        void **pages;
        int *nodes, *status, c;
        pid_t pid = 0;

        while ((c = getopt_long(argc, argv, "p:s:e:t:", options, NULL)) != -1) {
                switch (c) {
                case 'p': pid = (pid_t)atoi(optarg); break;
                case 's':
                        if (parse_size(optarg, &size) < 0) {
                                fprintf(stderr, "np-movepages: bad size '%s'\n", optarg);
                                return 2;
                        }
                        break;
                case 'e': every = atol(optarg); break;
                case 't': node = atol(optarg); break;
                default: return 2;
                }
        }
        if (pid <= 0 || !size || every < 1 || node < 0) {
                fprintf(stderr, "Usage: np-movepages --pid PID --size SIZE --every K --to NODE\n");
                return 2;
        }
        if (find_mapping(pid, size, &start) < 0)
                return 2;
        n = size / page;
        pages = calloc(n / (uint64_t)every + 1, sizeof(*pages));
        nodes = calloc(n / (uint64_t)every + 1, sizeof(*nodes));
        status = calloc(n / (uint64_t)every + 1, sizeof(*status));
        if (!pages || !nodes || !status)
                return 2;
        for (uint64_t i = 0; i < n; i += (uint64_t)every) {
                pages[asked] = (void *)(uintptr_t)(start + i * page);
                nodes[asked++] = (int)node;
        }
        if (syscall(SYS_move_pages, pid, asked, pages, nodes, status, NP_MPOL_MF_MOVE) < 0) {
                fprintf(stderr, "np-movepages: move_pages(%d): %s\n", (int)pid, strerror(errno));
                return 2;
        }
        for (uint64_t i = 0; i < asked; i++)
                if (status[i] == (int)node)
                        moved++;
        printf("{\"pages\":%" PRIu64 ",\"asked\":%" PRIu64 ",\"moved\":%" PRIu64 "}\n", n, asked, moved);
        return moved == asked ? 0 : 2;
}
