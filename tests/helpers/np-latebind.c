/* np-latebind: a process whose RAM was touched before its NUMA policy was
 * applied, the one misplacement QEMU cannot produce by itself.
 *
 *   np-latebind -object memory-backend-ram,id=ram-node0,size=64M,host-nodes=1,policy=bind \
 *               -numa node,nodeid=0,memdev=ram-node0
 *
 * It takes QEMU's own option syntax so that /proc/PID/cmdline describes the
 * backend as a real QEMU's would, then: runs on CPU $NP_LATEBIND_CPU (0 by
 * default) so that first touch lands on that CPU's node, maps SIZE bytes of
 * anonymous memory, writes every page, and only then mbind()s the range to
 * host-nodes WITHOUT MPOL_MF_MOVE: the policy says one node, the pages sit
 * on another.  Prints "ready START-END" and waits to be killed.
 *
 * Plain libc (raw syscalls, no libnuma) so it can be linked statically. */
#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* From <linux/mempolicy.h>, spelled out to keep the build free of kernel headers. */
#define NP_MPOL_PREFERRED 1
#define NP_MPOL_BIND 2
#define NP_MPOL_INTERLEAVE 3
#define MASK_BITS 1024

struct backend {
        uint64_t size;
        int policy;
        unsigned long nodemask[MASK_BITS / (8 * sizeof(unsigned long))];
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
        case 'K': case 'k': v <<= 10; end++; break;
        case 'M': case 'm': v <<= 20; end++; break;
        case 'G': case 'g': v <<= 30; end++; break;
        default: break;
        }
        if (*end && *end != ',')
                return -EINVAL;
        *ret = v;
        return 0;
}

/* host-nodes=N or N-M, as QEMU's option parser accepts them. */
static int parse_nodes(const char *text, unsigned long *mask)
{
        char *end;
        long first, last, n;

        first = strtol(text, &end, 10);
        last = first;
        if (*end == '-')
                last = strtol(end + 1, &end, 10);
        if (end == text || first < 0 || last < first || last >= MASK_BITS)
                return -EINVAL;
        for (n = first; n <= last; n++)
                mask[n / (8 * sizeof(unsigned long))] |= 1UL << (n % (8 * sizeof(unsigned long)));
        return 0;
}

static int parse_backend(const char *spec, struct backend *b)
{
        const char *p;

        if (strncmp(spec, "memory-backend-ram,", 19) != 0)
                return -EINVAL;
        p = strstr(spec, ",size=");
        if (!p || parse_size(p + 6, &b->size) < 0 || b->size == 0)
                return -EINVAL;
        p = strstr(spec, ",host-nodes=");
        if (!p || parse_nodes(p + 12, b->nodemask) < 0)
                return -EINVAL;
        b->policy = NP_MPOL_BIND;
        if (strstr(spec, ",policy=preferred"))
                b->policy = NP_MPOL_PREFERRED;
        else if (strstr(spec, ",policy=interleave"))
                b->policy = NP_MPOL_INTERLEAVE;
        return 0;
}

static int touch_on_cpu(int cpu, char *mem, uint64_t size)
{
        long page = sysconf(_SC_PAGESIZE);
        cpu_set_t set;
        uint64_t off;

        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        if (sched_setaffinity(0, sizeof(set), &set) < 0)
                return -errno;
        for (off = 0; off < size; off += (uint64_t)page)
                mem[off] = 1;
        return 0;
}

int main(int argc, char **argv)
{
        static struct backend backend;
        const char *cpu_env = getenv("NP_LATEBIND_CPU");
        char *mem;
        int i, r;

        for (i = 1; i + 1 < argc; i++)
                if (strcmp(argv[i], "-object") == 0 && parse_backend(argv[i + 1], &backend) == 0)
                        break;
        if (backend.size == 0) {
                fprintf(stderr, "usage: np-latebind -object memory-backend-ram,id=ID,size=SIZE,host-nodes=N[,policy=bind] [...]\n");
                return 2;
        }
        mem = mmap(NULL, backend.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (mem == MAP_FAILED) {
                fprintf(stderr, "np-latebind: mmap: %s\n", strerror(errno));
                return 2;
        }
        /* counts must be in 4 KiB pages even if THP is on */
        madvise(mem, backend.size, MADV_NOHUGEPAGE);
        r = touch_on_cpu(cpu_env ? atoi(cpu_env) : 0, mem, backend.size);
        if (r < 0) {
                fprintf(stderr, "np-latebind: sched_setaffinity: %s\n", strerror(-r));
                return 2;
        }
        /* flags 0: the policy changes, the pages already there stay */
        if (syscall(SYS_mbind, mem, backend.size, backend.policy, backend.nodemask, MASK_BITS + 1, 0) < 0) {
                fprintf(stderr, "np-latebind: mbind: %s\n", strerror(errno));
                return 2;
        }
        printf("ready %lx-%lx\n", (unsigned long)(uintptr_t)mem, (unsigned long)((uintptr_t)mem + backend.size));
        fflush(stdout);
        for (;;)
                pause();
}
