/* cgroup_stat.h: what the VM's cgroup says about its memory per node.
 *
 * The kernel keeps per cgroup and per node how much memory the cgroup's
 * tasks were charged: memory.numa_stat (cgroup v1 and v2; anon and file
 * among others) and, since 5.14, hugetlb.<size>.numa_stat (huge pages).
 * Reading them costs a few counters however large the guest is: no page
 * walk, no lock on the process's memory.  The figures cover every task of
 * the cgroup, so they describe the VM only when its cgroup holds nothing
 * else, as libvirt, LXD and Incus arrange it.
 *
 * The parsers take text and do no I/O; np_cgroup_stat_read() finds the
 * files below a sysroot and calls them. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct np_error;
struct np_sysroot;

typedef enum np_stat_kind {
        NP_STAT_ANON,     /* anonymous memory (and shmem on v1's LRU lists) */
        NP_STAT_FILE,     /* page cache, file-backed RAM, memfd without huge pages */
        NP_STAT_HUGETLB,  /* huge pages of one size */
        NP_STAT__COUNT,
} np_stat_kind;

typedef struct np_node_kib {
        unsigned node;
        uint64_t kib;
} np_node_kib;

#define NP_STAT_NAME_MAX 32

/* One kind of memory per node, as one line of a numa_stat file has it. */
typedef struct np_stat_row {
        np_stat_kind kind;
        uint64_t pagesize_kib;         /* huge page size; 0 for anon and file */
        char name[NP_STAT_NAME_MAX];   /* "anon", "file", "hugetlb_2048" */
        char *source;                  /* the file below the root, or NULL */
        np_node_kib *nodes;            /* in the order the file lists them */
        unsigned n_nodes;
        size_t cap_nodes;              /* room for this many in nodes */
        uint64_t total_kib;            /* the sum over the nodes */
} np_stat_row;

/* anon, file and up to six huge page sizes (arm64 has four) */
#define NP_STAT_ROWS_MAX 8

typedef struct np_cgroup_stat {
        char *path;          /* the VM's memory cgroup, as /proc/PID/cgroup names it */
        bool v2;
        np_stat_row rows[NP_STAT_ROWS_MAX];
        size_t n_rows;
} np_cgroup_stat;

/* Parse a numa_stat text and take the line whose key is @key: v2's
 * memory.numa_stat writes "anon N0=BYTES N1=BYTES", v1's "anon=PAGES
 * N0=PAGES ..", hugetlb.<size>.numa_stat "total=BYTES N0=BYTES ..".
 * Figures are multiplied by @unit_bytes (1 for bytes, the page size for
 * pages) and stored in KiB in @ret (its nodes array is allocated; name,
 * kind and source are left alone).  Every line is checked, not only
 * @key's.  Returns 0, -ENOENT when no line has @key, -EINVAL (with the
 * line number and field in @err) when the text is malformed, -ENOMEM. */
int np_numa_stat_parse(const char *text, const char *key, uint64_t unit_bytes,
                       np_stat_row *ret, struct np_error *err);

/* The huge page size of a "hugetlb.<size>.numa_stat" file name ("2MB",
 * "1GB", "64KB", as the kernel names them) in KiB; false for any other
 * name. */
bool np_hugetlb_stat_name(const char *filename, uint64_t *ret_kib);

/* The path of @controller's hierarchy in a /proc/PID/cgroup text (a v1
 * line naming it, else the v2 "0::" line), and whether it is v2.
 * -ENOENT when there is neither, -EINVAL for a malformed line. */
int np_cgroup_parse_controller(const char *text, const char *controller,
                               char **ret_path, bool *ret_v2, struct np_error *err);

/* The VM-level cgroup of a thread-level one: libvirt puts QEMU's threads
 * into emulator/, vcpuN/ and iothreadN/ below the VM's own cgroup, and on
 * v2 those are threaded cgroups without memory files.  Any other path is
 * returned as it is.  Allocated; NULL when out of memory. */
char *np_cgroup_vm_path(const char *path);

/* The figure of @row on @node, 0 when the row does not list it. */
uint64_t np_stat_row_kib(const np_stat_row *row, unsigned node);

/* Read the per-node statistics of process @pid's memory (and hugetlb)
 * cgroup below @root.  Returns 0 with *@ret set, or 0 with *@ret NULL and
 * one sentence in @why when there are none to read (no memory cgroup,
 * the root cgroup, no memory.numa_stat there); -errno with @err naming
 * the file when one is there but cannot be read or parsed (-ESRCH: the
 * process is gone). */
int np_cgroup_stat_read(const struct np_sysroot *root, pid_t pid, np_cgroup_stat **ret,
                        char *why, size_t why_len, struct np_error *err);

void np_stat_row_clear(np_stat_row *row);
void np_cgroup_stat_free(np_cgroup_stat *stat);

/* A deep copy; NULL when out of memory. */
np_cgroup_stat *np_cgroup_stat_dup(const np_cgroup_stat *stat);
