/* np-fakeqemu: a process shaped like QEMU for live tests and benchmarks.
 *
 * It takes QEMU's own memory options, so /proc/PID/cmdline reads like
 * QEMU's, and does with its memory what QEMU does: one mapping per
 * backend (anonymous, memfd or a file in mem-path), the backend's
 * policy applied with mbind(2), pages touched, and vCPU threads named
 * "CPU n/TCG".  It prints "ready" when set up and sleeps until killed.
 *
 *   np-fakeqemu [--touch PCT] [--late-bind] [--smp N]
 *               -object memory-backend-ram,id=ram-node0,size=64M,host-nodes=0,policy=bind
 *               [-numa node,nodeid=0,memdev=ram-node0] ...
 *
 * --late-bind touches the pages before applying the policy (without
 * MPOL_MF_MOVE), as a policy set after the first touch leaves them.
 * --extra-maps N adds N small separate mappings (benchmarks: cost per
 * mapping, and that memory stays flat however many there are).
 * --thp asks for transparent huge pages (madvise MADV_HUGEPAGE) on
 * anonymous backends before they are touched, as QEMU does.
 * Only the key=value form of -object is understood. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MPOL_PREFERRED 1
#define MPOL_BIND 2
#define MPOL_INTERLEAVE 3

static unsigned touch_pct = 100;
static int late_bind, thp;

static void die(const char *what)
{
        fprintf(stderr, "np-fakeqemu: %s: %s\n", what, strerror(errno));
        exit(2);
}

static uint64_t parse_size(const char *s)
{
        char *end;
        uint64_t v = strtoull(s, &end, 10);

        switch (*end) {
        case 'k': case 'K': return v << 10;
        case 'M': return v << 20;
        case 'G': return v << 30;
        case 'T': return v << 40;
        default: return v;
        }
}

static void set_nodes(unsigned long *mask, const char *list)
{
        unsigned a, b;
        int n;

        while (*list && sscanf(list, "%u%n", &a, &n) == 1) {
                list += n;
                b = a;
                if (*list == '-' && sscanf(list + 1, "%u%n", &b, &n) == 1)
                        list += 1 + n;
                for (unsigned i = a; i <= b && i < 64; i++)
                        *mask |= 1UL << i;
                if (*list == ',' || *list == ':')
                        list++;
        }
}

static void *map_backend(const char *type, const char *id, uint64_t size, const char *mem_path, int share)
{
        uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
        uint8_t *guard, *p;
        int fd = -1, flags;
        struct stat st;

        flags = MAP_FIXED;
        if (strcmp(type, "memory-backend-memfd") == 0) {
                fd = (int)syscall(SYS_memfd_create, "memory-backend-memfd", 0);
                if (fd < 0 || ftruncate(fd, (off_t)size) < 0)
                        die("memfd");
                flags |= MAP_SHARED;
        } else if (strcmp(type, "memory-backend-file") == 0) {
                char path[4096];

                snprintf(path, sizeof(path), "%s/qemu_back_mem.%s.XXXXXX", mem_path, id);
                fd = mkstemp(path);
                if (fd < 0)
                        die(path);
                unlink(path);
                if (ftruncate(fd, (off_t)size) < 0)
                        die("ftruncate");
                flags |= share ? MAP_SHARED : MAP_PRIVATE;
        } else {
                flags |= MAP_PRIVATE | MAP_ANONYMOUS;
        }
        /* a hugetlbfs file maps only at its page size's boundaries */
        if (fd >= 0 && fstat(fd, &st) == 0 && (uint64_t)st.st_blksize > page)
                page = (uint64_t)st.st_blksize;
        /* guard pages on both sides keep the kernel from merging the
         * mapping with its neighbours, as QEMU's own guards do */
        guard = mmap(NULL, size + 3 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (guard == MAP_FAILED)
                die("mmap guard");
        p = (uint8_t *)(((uintptr_t)guard + 2 * page - 1) / page * page);
        if (mmap(p, size, PROT_READ | PROT_WRITE, flags, fd, 0) == MAP_FAILED)
                die("mmap backend");
        if (thp && fd < 0 && madvise(p, size, MADV_HUGEPAGE) < 0)
                die("madvise");
        if (fd >= 0)
                close(fd);
        return p;
}

static void touch(uint8_t *p, uint64_t size)
{
        uint64_t n = size / 100 * touch_pct;

        for (uint64_t off = 0; off < n; off += 4096)
                p[off] = 1;
}

static void backend(char *spec)
{
        char *type = strtok(spec, ","), *kv;
        char id[64] = "", mem_path[4096] = "/tmp", policy[16] = "";
        unsigned long mask = 0;
        uint64_t size = 0;
        int share = 0, mode = 0;
        uint8_t *p;

        while ((kv = strtok(NULL, ","))) {
                if (strncmp(kv, "id=", 3) == 0)
                        snprintf(id, sizeof(id), "%s", kv + 3);
                else if (strncmp(kv, "size=", 5) == 0)
                        size = parse_size(kv + 5);
                else if (strncmp(kv, "host-nodes=", 11) == 0)
                        set_nodes(&mask, kv + 11);
                else if (strncmp(kv, "policy=", 7) == 0)
                        snprintf(policy, sizeof(policy), "%s", kv + 7);
                else if (strncmp(kv, "mem-path=", 9) == 0)
                        snprintf(mem_path, sizeof(mem_path), "%s", kv + 9);
                else if (strcmp(kv, "share=on") == 0)
                        share = 1;
        }
        if (!size)
                die("backend without size");
        if (strcmp(policy, "bind") == 0)
                mode = MPOL_BIND;
        else if (strcmp(policy, "preferred") == 0)
                mode = MPOL_PREFERRED;
        else if (strcmp(policy, "interleave") == 0)
                mode = MPOL_INTERLEAVE;
        p = map_backend(type, id, size, mem_path, share);
        if (late_bind)
                touch(p, size);
        if (mode && syscall(SYS_mbind, p, size, mode, &mask, 64, 0) < 0)
                die("mbind");
        if (!late_bind)
                touch(p, size);
}

static void *vcpu(void *arg)
{
        char name[16];

        snprintf(name, sizeof(name), "CPU %d/TCG", (int)(intptr_t)arg);
        pthread_setname_np(pthread_self(), name);
        for (;;)
                pause();
        return NULL;
}

int main(int argc, char **argv)
{
        int smp = 1, extra = 0;

        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "--touch") == 0 && i + 1 < argc)
                        touch_pct = (unsigned)atoi(argv[++i]);
                else if (strcmp(argv[i], "--late-bind") == 0)
                        late_bind = 1;
                else if (strcmp(argv[i], "--thp") == 0)
                        thp = 1;
                else if (strcmp(argv[i], "--smp") == 0 && i + 1 < argc)
                        smp = atoi(argv[++i]);
                else if (strcmp(argv[i], "--extra-maps") == 0 && i + 1 < argc)
                        extra = atoi(argv[++i]);
        }
        for (int i = 1; i < argc; i++) {
                if (strcmp(argv[i], "-object") == 0 && i + 1 < argc) {
                        char *spec = strdup(argv[i + 1]);

                        if (!spec)
                                die("strdup");
                        backend(spec);
                        free(spec);
                }
        }
        for (int i = 0; i < extra; i++) {
                /* alternate protections so neighbours never merge */
                uint8_t *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

                if (p == MAP_FAILED)
                        die("mmap extra");
                p[0] = 1;
                if (mprotect(p + 4096, 4096, PROT_READ) < 0)
                        die("mprotect");
        }
        for (int i = 0; i < smp; i++) {
                pthread_t t;

                if (pthread_create(&t, NULL, vcpu, (void *)(intptr_t)i) != 0)
                        die("pthread_create");
        }
        printf("ready\n");
        fflush(stdout);
        for (;;)
                pause();
}
