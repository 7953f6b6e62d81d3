/* check.c: gather the evidence for one VM and ask verdict.c about it.
 *
 * /proc/PID/maps is streamed first and only mappings that may hold guest
 * RAM are kept (a few per VM); numa_maps is then streamed and joined on
 * the start address, so memory stays flat however many mappings QEMU
 * has.  In sampled mode numa_maps is not read: the mappings of each
 * region are found first, then a sample of their pages is asked about
 * (sample.c), and the policy is the one the command line gives. */
#include "check.h"
#include "array.h"
#include "attribute.h"
#include "device.h"
#include "error.h"
#include "host.h"
#include "numamaps.h"
#include "process.h"
#include "number.h"
#include "proclines.h"
#include "procmaps.h"
#include "qemu_cmdline.h"
#include "sample.h"
#include "sysroot.h"
#include "verdict.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define HUGETLBFS_MAGIC_NUMBER 0x958458f6 /* <linux/magic.h> */

typedef struct collect {
        np_mapping *maps;
        size_t n_maps, cap;
        np_error why;                /* when a callback returns -ERANGE */
} collect;

struct np_evidence {
        pid_t pid;
        char *guest_name;          /* libvirt's -name guest=NAME, or NULL */
        np_process *proc;
        np_cgroup_stat *stat;      /* NULL when the cgroup has none to read */
        char stat_note[256];       /* why */
        np_qemu_cmdline *cmdline;  /* NULL when the argv could not be parsed */
        collect maps;
        /* sampled mode: one tally per mapping, for the intent it was read for */
        bool sampled;
        unsigned n_samples;
        np_sample_tally *tallies;
};

static int collect_map(const np_maps_entry *e, void *userdata)
{
        collect *c = userdata;
        np_mapping *m;

        if (!np_mapping_is_candidate(e->path, e->perms, (e->end - e->start) / 1024))
                return 0;
        if (np_array_reserve(&c->maps, &c->cap, c->n_maps + 1) < 0)
                return -ENOMEM;
        m = &c->maps[c->n_maps];
        memset(m, 0, sizeof(*m));
        m->start = e->start;
        m->end = e->end;
        m->shared = e->perms[3] == 's';
        m->region = -1;
        m->path = strdup(e->path);
        if (!m->path)
                return -ENOMEM;
        c->n_maps++;
        return 0;
}

static np_mapping *find_map(collect *c, uint64_t start)
{
        /* maps lists mappings in address order, so the kept ones are sorted */
        size_t lo = 0, hi = c->n_maps;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (c->maps[mid].start == start)
                        return &c->maps[mid];
                if (c->maps[mid].start < start)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return NULL;
}

static int collect_numa(const np_numamaps_entry *e, void *userdata)
{
        collect *c = userdata;
        np_mapping *m = find_map(c, e->start);
        uint64_t kib, length_kib;

        if (!m)
                return 0;
        kib = np_numamaps_entry_kib(e);
        length_kib = (m->end - m->start) / 1024;
        if (kib > length_kib)
                return np_err(&c->why, ERANGE,
                              "mapping %llx: %llu KiB of pages, more than its length of %llu KiB in maps",
                              (unsigned long long)e->start, (unsigned long long)kib,
                              (unsigned long long)length_kib);
        m->has_numa = true;
        m->policy_source = NP_POLICY_SOURCE_NUMA_MAPS;
        m->policy = e->policy;
        m->has_policy_nodes = e->has_policy_nodes;
        m->policy_nodes = e->policy_nodes;
        snprintf(m->policy_text, sizeof(m->policy_text), "%s", e->policy_text);
        m->huge = e->huge;
        m->pagesize_kib = e->kernelpagesize_kib;
        free(m->nodes);
        m->nodes = NULL;
        m->n_nodes = 0;
        if (e->n_nodes) {
                m->nodes = malloc(e->n_nodes * sizeof(*m->nodes));
                if (!m->nodes)
                        return -ENOMEM;
                memcpy(m->nodes, e->nodes, e->n_nodes * sizeof(*m->nodes));
                m->n_nodes = e->n_nodes;
        }
        return 0;
}

static void free_maps(collect *c)
{
        for (size_t i = 0; i < c->n_maps; i++) {
                free(c->maps[i].path);
                free(c->maps[i].nodes);
        }
        free(c->maps);
}

static int add_thread(np_check_result *res, const np_thread_result *t)
{
        if (np_array_reserve(&res->threads, &res->cap_threads, res->n_threads + 1) < 0)
                return -ENOMEM;
        res->threads[res->n_threads++] = *t;
        return 0;
}

static int judge_threads(const np_intent *intent, const np_process *proc,
                         np_check_result *res)
{
        for (size_t i = 0; i < proc->n_tasks; i++) {
                np_thread_result t;

                /* prealloc thread contexts are pinned to the memory's nodes
                 * on purpose and live only as long as the prealloc */
                if (proc->tasks[i].role == NP_TASK_THREAD_CONTEXT)
                        continue;
                np_verdict_for_thread(&proc->tasks[i], intent, &t);
                if (add_thread(res, &t) < 0)
                        return -ENOMEM;
        }
        /* A vCPU pinned in the XML but no thread named for it: QEMU runs
         * without debug-threads=on, or the vCPU is not plugged. */
        for (size_t p = 0; p < intent->n_pins; p++) {
                const np_pin *pin = &intent->pins[p];
                bool found = false;
                np_thread_result t;

                if (pin->kind != NP_THREAD_VCPU && pin->kind != NP_THREAD_IOTHREAD)
                        continue;
                for (size_t i = 0; i < proc->n_tasks && !found; i++)
                        found = proc->tasks[i].id == (int)pin->id &&
                                ((pin->kind == NP_THREAD_VCPU && proc->tasks[i].role == NP_TASK_VCPU) ||
                                 (pin->kind == NP_THREAD_IOTHREAD && proc->tasks[i].role == NP_TASK_IOTHREAD));
                if (found)
                        continue;
                np_verdict_for_missing_thread(pin, &t);
                if (add_thread(res, &t) < 0)
                        return -ENOMEM;
        }
        return 0;
}

void np_evidence_free(np_evidence *ev)
{
        if (!ev)
                return;
        free_maps(&ev->maps);
        free(ev->guest_name);
        free(ev->tallies);
        np_cgroup_stat_free(ev->stat);
        np_qemu_cmdline_free(ev->cmdline);
        np_process_free(ev->proc);
        free(ev);
}

/* Field 22 of /proc/PID/stat, the start time in clock ticks since boot:
 * a pid that is reused gets a new one.  The fields follow the last ')'
 * (the name may hold any byte).  -ENOENT when the file is absent (a
 * captured tree may lack it), -ESRCH when the process is gone. */
static int read_starttime(const np_sysroot *root, pid_t pid, uint64_t *ret)
{
        char path[64], *text = NULL, *p;
        int r;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        r = np_sysroot_read_file(root, path, 4096, &text, NULL, NULL);
        if (r < 0)
                return r == -ENOENT && root->live ? -ESRCH : r;
        p = strrchr(text, ')');
        r = -EINVAL;
        for (int field = 2; p && *p; field++) {
                p = strchr(p, ' ');
                if (!p)
                        break;
                p++;
                if (field + 1 == 22) {
                        r = np_parse_u64(p, strcspn(p, " \n"), ret);
                        break;
                }
        }
        free(text);
        return r;
}

/* The guest name libvirt gives QEMU ("-name guest=NAME,debug-threads=on",
 * ",," standing for a comma), or NULL. */
static char *guest_name(const np_sysroot *root, pid_t pid)
{
        char *name = np_process_option_value(root, pid, "-name", "guest="), *o = name;

        /* up to the next option; ",," is a comma of the name */
        for (const char *v = name; v && *v && !(v[0] == ',' && v[1] != ','); v++) {
                if (v[0] == ',')
                        v++;
                *o++ = *v;
        }
        if (o)
                *o = '\0';
        return name;
}

/* "DIR/proc/PID/FILE: WHY" for what a callback found wrong. */
static int evidence_error(const np_sysroot *root, pid_t pid, const char *file,
                          const np_error *why, np_error *err)
{
        char path[64], shown[PATH_MAX];

        snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
        return np_err(err, ERANGE, "%s: %s", np_sysroot_display(root, path, shown, sizeof(shown)),
                      why->msg);
}

/* What both modes read; numa_maps only when @walk. */
static int evidence_read(const np_sysroot *root, pid_t pid, bool walk,
                         np_evidence **ret, np_error *err)
{
        np_evidence *ev = calloc(1, sizeof(*ev));
        uint64_t started = 0, started_after = 0;
        np_error ignored = { "" };
        int r, r_started;

        if (!ev)
                return np_err(err, ENOMEM, "out of memory");
        ev->pid = pid;
        r_started = read_starttime(root, pid, &started);
        if (r_started == -ESRCH) {
                r = np_err(err, ESRCH, "process %d is not running", (int)pid);
                goto fail;
        }
        r = np_process_read(root, pid, &ev->proc, err);
        if (r < 0)
                goto fail;
        /* A QEMU argv numaplace cannot parse costs only the size hints;
         * names and policies still attribute, so go on without it. */
        r = np_qemu_cmdline_read(root, pid, &ev->cmdline, &ignored);
        if (r == -ESRCH || r == -ENOENT) {
                if (np_process_is_gone(root, pid))
                        r = np_err(err, ESRCH, "process %d exited while it was being checked", (int)pid);
                else
                        r = np_err(err, ENOEXEC, "process %d is no QEMU: %s", (int)pid,
                                   ignored.msg[0] ? ignored.msg : "no command line (a kernel thread)");
                goto fail;
        }
        ev->guest_name = guest_name(root, pid);
        r = np_maps_read(root, pid, collect_map, &ev->maps, err);
        if (r == -ENOMEM)
                r = np_err(err, ENOMEM, "out of memory");
        if (r < 0)
                goto fail;
        r = walk ? np_numamaps_read(root, pid, collect_numa, &ev->maps, err) : 0;
        if (r == -ENOMEM)
                r = np_err(err, ENOMEM, "out of memory");
        if (r == -ERANGE)
                r = evidence_error(root, pid, "numa_maps", &ev->maps.why, err);
        if (r < 0)
                goto fail;
        /* right after the walk, so that the two describe one moment as
         * nearly as they can for the cross-check */
        r = np_cgroup_stat_read(root, pid, &ev->stat, ev->stat_note, sizeof(ev->stat_note), err);
        if (r < 0)
                goto fail;
        /* The same process from the first read to the last: a pid that
         * exited and was reused meanwhile has another start time. */
        if (r_started == 0 && (read_starttime(root, pid, &started_after) < 0 || started_after != started)) {
                r = np_err(err, ESRCH, "process %d exited while it was being checked (its pid was %s)", (int)pid,
                           np_process_is_gone(root, pid) ? "freed" : "reused by another process");
                goto fail;
        }
        *ret = ev;
        return 0;
fail:
        np_evidence_free(ev);
        return r;
}

int np_evidence_read(const np_sysroot *root, pid_t pid, np_evidence **ret,
                     np_error *err)
{
        return evidence_read(root, pid, true, ret, err);
}

/* The page size of a mapping, without a page walk: hugetlbfs files (and
 * memfd or anonymous hugetlb memory, which live on an internal hugetlbfs)
 * say theirs in st_blksize; everything else is in base pages, transparent
 * huge pages included (move_pages answers for any address in them). */
static int probe_pagesize(const np_sysroot *root, pid_t pid, np_mapping *m, np_error *err)
{
        char path[128];
        struct statfs sfs;
        struct stat st;
        int fd;

        m->huge = false;
        m->pagesize_kib = (uint64_t)sysconf(_SC_PAGESIZE) / 1024;
        if (!m->path[0])
                return 0; /* anonymous: not in map_files */
        snprintf(path, sizeof(path), "/proc/%d/map_files/%" PRIx64 "-%" PRIx64, (int)pid, m->start, m->end);
        fd = np_sysroot_openat(root, path, O_PATH | O_CLOEXEC);
        if (fd == -ENOENT)
                return 0; /* unmapped since maps was read: its samples find nothing */
        if (fd < 0)
                return np_err(err, -fd, "%s: %s (the page size of '%s' is read there; sampling needs root)",
                              path, strerror(-fd), m->path);
        if (fstatfs(fd, &sfs) == 0 && sfs.f_type == HUGETLBFS_MAGIC_NUMBER && fstat(fd, &st) == 0 &&
            st.st_blksize > 4096) {
                m->huge = true;
                m->pagesize_kib = (uint64_t)st.st_blksize / 1024;
        }
        close(fd);
        return 0;
}

bool np_check_samples(const np_intent *intent, const np_check_options *options)
{
        uint64_t kib = 0;

        if (!options || !options->sample_pages)
                return false;
        for (size_t i = 0; i < intent->n_regions; i++)
                kib += intent->regions[i].size_kib;
        if (intent->memory_kib > kib)
                kib = intent->memory_kib;
        return kib >= options->sample_above_kib;
}

int np_evidence_read_sampled(const np_sysroot *root, pid_t pid,
                             const np_intent *intent, unsigned n_samples,
                             uint64_t seed, np_evidence **ret, np_error *err)
{
        const np_mapping **mine = NULL;
        const np_qemu_backend **backend = NULL;
        np_sample_tally *tallies = NULL;
        np_match *how = NULL;
        np_evidence *ev = NULL;
        size_t n_maps;
        int r;

        if (!root->live)
                return np_err(err, EOPNOTSUPP,
                              "sampling asks the running kernel (move_pages), which a captured tree cannot answer: drop --sample or --sysroot");
        if (!n_samples || n_samples > NP_SAMPLE_MAX)
                return np_err(err, EINVAL, "a sample of %u pages: expected 1 to %u", n_samples, NP_SAMPLE_MAX);
        r = evidence_read(root, pid, false, &ev, err);
        if (r < 0)
                return r;
        n_maps = ev->maps.n_maps;
        ev->sampled = true;
        ev->n_samples = n_samples;
        ev->tallies = calloc(n_maps ? n_maps : 1, sizeof(*ev->tallies));
        how = calloc(intent->n_regions ? intent->n_regions : 1, sizeof(*how));
        mine = calloc(n_maps ? n_maps : 1, sizeof(*mine));
        tallies = calloc(n_maps ? n_maps : 1, sizeof(*tallies));
        backend = calloc(intent->n_regions ? intent->n_regions : 1, sizeof(*backend));
        if (!ev->tallies || !how || !mine || !tallies || !backend) {
                r = np_err(err, ENOMEM, "out of memory");
                goto fail;
        }
        /* the same attribution np_check_judge() makes, to sample the
         * mappings it will judge */
        np_attribute_graph(intent->regions, intent->n_regions, ev->cmdline, ev->maps.maps, n_maps, how, backend);

        for (size_t reg = 0; reg < intent->n_regions; reg++) {
                size_t n = 0;

                for (size_t i = 0; i < n_maps; i++) {
                        np_mapping *m = &ev->maps.maps[i];

                        if (m->region != (int)reg)
                                continue;
                        r = probe_pagesize(root, pid, m, err);
                        if (r < 0)
                                goto fail;
                        mine[n++] = m;
                }
                if (!n)
                        continue;
                r = np_sample_mappings(mine, n, n_samples, seed ? seed + reg : 0, np_page_query_pid,
                                       &ev->pid, tallies, NULL);
                if (r == -ESRCH) {
                        r = np_err(err, ESRCH, "process %d exited while it was being checked", (int)pid);
                        goto fail;
                }
                if (r < 0) {
                        r = np_err(err, -r, "move_pages(2) on process %d: %s%s", (int)pid, strerror(-r),
                                   r == -EPERM ? " (sampling another user's process needs CAP_SYS_NICE)" : "");
                        goto fail;
                }
                /* tallies come back in the order of @mine */
                for (size_t k = 0, i = 0; i < n_maps; i++)
                        if (ev->maps.maps[i].region == (int)reg) {
                                ev->tallies[i] = tallies[k++];
                                ev->maps.maps[i].sample = &ev->tallies[i];
                        }
        }
        free(backend);
        free(tallies);
        free(mine);
        free(how);
        *ret = ev;
        return 0;
fail:
        free(backend);
        free(tallies);
        free(mine);
        free(how);
        np_evidence_free(ev);
        return r;
}

/* Sampled mode reads no numa_maps: the policy is what QEMU was told for
 * the region's backend @b (NULL: none found), which it applies with
 * mbind(2) before the first touch (and refuses to start when that fails). */
static void policy_from_cmdline(np_mapping *m, const np_qemu_backend *b)
{
        char set[256];

        m->policy_source = NP_POLICY_SOURCE_NONE;
        m->has_policy_nodes = false;
        m->policy_text[0] = '\0';
        if (!b)
                return;
        m->policy_source = NP_POLICY_SOURCE_CMDLINE;
        m->policy = NP_POLICY_DEFAULT;
        if (b->has_host_nodes)
                m->policy = np_mode_kernel_policy(np_mode_of_qemu_policy(b->policy),
                                                  np_bitmap_count(&b->host_nodes));
        if (m->policy == NP_POLICY_DEFAULT) {
                snprintf(m->policy_text, sizeof(m->policy_text), "default");
                return;
        }
        m->has_policy_nodes = true;
        m->policy_nodes = b->host_nodes;
        np_bitmap_format(&b->host_nodes, set, sizeof(set));
        snprintf(m->policy_text, sizeof(m->policy_text), "%s:%s", np_policy_kind_to_string(m->policy), set);
}

int np_evidence_attribute(const np_intent *intent, const np_evidence *ev,
                          np_mapping **ret, size_t *ret_n)
{
        size_t n_maps = ev->maps.n_maps;
        np_mapping *maps = malloc((n_maps ? n_maps : 1) * sizeof(*maps));
        np_match *how = calloc(intent->n_regions ? intent->n_regions : 1, sizeof(*how));

        if (!maps || !how) {
                free(maps);
                free(how);
                return -ENOMEM;
        }
        memcpy(maps, ev->maps.maps, n_maps * sizeof(*maps));
        np_attribute(intent->regions, intent->n_regions, ev->cmdline, maps, n_maps, how);
        free(how);
        *ret = maps;
        *ret_n = n_maps;
        return 0;
}

int np_evidence_check_guest(const np_intent *intent, const np_evidence *ev, np_error *err)
{
        /* a pid file that outlived its QEMU may name another guest's */
        if (ev->guest_name && intent->name && *intent->name && strcmp(ev->guest_name, intent->name) != 0)
                return np_err(err, ESRCH, "process %d runs guest '%s', not '%s'", (int)ev->pid,
                              ev->guest_name, intent->name);
        return 0;
}

const np_process *np_evidence_process(const np_evidence *ev)
{
        return ev->proc;
}

/* The huge pages the process maps, per page size and node, for the
 * cross-check with the cgroup's hugetlb figures. */
static int walk_hugepages(const np_mapping *maps, size_t n_maps, np_numa_stat_result *ns)
{
        ns->walked = true;
        for (size_t i = 0; i < n_maps; i++) {
                const np_mapping *m = &maps[i];
                np_stat_row *row = NULL;

                if (!m->huge || !m->pagesize_kib)
                        continue;
                for (size_t w = 0; w < ns->n_walk && !row; w++)
                        if (ns->walk[w].pagesize_kib == m->pagesize_kib)
                                row = &ns->walk[w];
                if (!row) {
                        if (ns->n_walk == NP_STAT_ROWS_MAX)
                                continue;
                        row = &ns->walk[ns->n_walk++];
                        memset(row, 0, sizeof(*row));
                        row->kind = NP_STAT_HUGETLB;
                        row->pagesize_kib = m->pagesize_kib;
                        snprintf(row->name, sizeof(row->name), "hugetlb_%llu", (unsigned long long)m->pagesize_kib);
                }
                for (unsigned k = 0; k < m->n_nodes; k++) {
                        uint64_t kib = m->nodes[k].pages * m->pagesize_kib;
                        unsigned j;

                        for (j = 0; j < row->n_nodes && row->nodes[j].node != m->nodes[k].node; j++)
                                ;
                        if (j == row->n_nodes) {
                                if (np_array_reserve(&row->nodes, &row->cap_nodes, row->n_nodes + 1) < 0)
                                        return -ENOMEM;
                                row->nodes[j].node = m->nodes[k].node;
                                row->nodes[j].kib = 0;
                                row->n_nodes++;
                        }
                        row->nodes[j].kib += kib;
                        row->total_kib += kib;
                }
        }
        return 0;
}

/* The cgroup statistics part of the cgroup row: judged on their own,
 * then folded into the row's verdict and reason. */
static int judge_numa_stat(const np_intent *intent, const np_cgroup_stat *stat, const char *note,
                           const np_check_options *options, np_check_result *res)
{
        np_numa_stat_result *ns = &res->numa_stat;

        snprintf(ns->note, sizeof(ns->note), "%s", note);
        if (stat && !(ns->stat = np_cgroup_stat_dup(stat)))
                return -ENOMEM;
        np_verdict_for_numa_stat(intent, options, ns);
        if (ns->stat) {
                size_t used = strlen(res->cgroup_reason);

                snprintf(res->cgroup_reason + used, sizeof(res->cgroup_reason) - used, "%s%s",
                         used ? "; " : "", ns->reason);
                res->cgroup_verdict = np_verdict_worst(res->cgroup_verdict, ns->verdict);
        }
        return 0;
}

int np_check_judge(const np_intent *intent, const np_evidence *ev,
                   const np_check_options *options, np_check_result **ret,
                   np_error *err)
{
        const np_process *proc = ev->proc;
        np_check_options sampled_options = { 0 };
        size_t n_maps = ev->maps.n_maps;
        np_mapping *maps = NULL;
        const np_mapping **mine = NULL;
        const np_qemu_backend **backend = NULL;
        np_match *how = NULL;
        np_check_result *res;
        int r = -ENOMEM;

        res = calloc(1, sizeof(*res));
        how = calloc(intent->n_regions ? intent->n_regions : 1, sizeof(*how));
        mine = calloc(n_maps ? n_maps : 1, sizeof(*mine));
        backend = calloc(intent->n_regions ? intent->n_regions : 1, sizeof(*backend));
        /* attribution marks mappings; work on a copy so the evidence can
         * be judged again (against another intent) */
        maps = malloc((n_maps ? n_maps : 1) * sizeof(*maps));
        if (!res || !how || !mine || !maps || !backend)
                goto fail;
        memcpy(maps, ev->maps.maps, n_maps * sizeof(*maps));
        res->pid = ev->pid;
        res->regions = calloc(intent->n_regions ? intent->n_regions : 1, sizeof(*res->regions));
        if (!res->regions)
                goto fail;
        np_attribute_graph(intent->regions, intent->n_regions, ev->cmdline, maps, n_maps, how, backend);
        if (ev->sampled)
                for (size_t i = 0; i < n_maps; i++)
                        if (maps[i].region >= 0)
                                policy_from_cmdline(&maps[i], backend[maps[i].region]);

        if (proc->has_cgroup_mems) {
                res->has_cgroup_mems = true;
                res->cgroup_mems = proc->cgroup_mems;
        }
        if (proc->cgroup_path) {
                res->cgroup_path = strdup(proc->cgroup_path);
                if (!res->cgroup_path)
                        goto fail;
        }

        /* the verdict states what was asked for: N of the sample */
        if (ev->sampled) {
                if (options)
                        sampled_options = *options;
                sampled_options.sample_pages = ev->n_samples;
                options = &sampled_options;
        }

        res->verdict = NP_VERDICT_COMPLIANT;
        for (size_t reg = 0; reg < intent->n_regions; reg++) {
                const np_qemu_backend *b = backend[reg];
                np_region_graph graph = {
                        .cmdline_known = ev->cmdline != NULL,
                        .has_backend = b != NULL,
                        .qemu_id = b ? b->id : NULL,
                        .size_kib = b ? b->size_bytes / 1024 : 0,
                        .backing = b ? b->backing : NP_BACKING_ANONYMOUS,
                };
                size_t n = 0;

                for (size_t i = 0; i < n_maps; i++)
                        if (maps[i].region == (int)reg)
                                mine[n++] = &maps[i];
                np_verdict_for_region_in(&intent->regions[reg], &graph, mine, n, how[reg],
                                         proc->has_cgroup_mems ? &proc->cgroup_mems : NULL,
                                         options, &res->regions[reg]);
                res->n_regions++;
                res->verdict = np_verdict_worst(res->verdict, res->regions[reg].verdict);
        }

        if (judge_threads(intent, proc, res) < 0)
                goto fail;
        for (size_t i = 0; i < res->n_threads; i++)
                res->verdict = np_verdict_worst(res->verdict, res->threads[i].verdict);

        res->cgroup_verdict = np_verdict_for_cgroup(intent, proc->cgroup_path,
                                                    proc->has_cgroup_mems ? &proc->cgroup_mems : NULL,
                                                    res->cgroup_reason, sizeof(res->cgroup_reason));
        /* the cross-check needs the walk's huge page counts */
        if ((!ev->sampled && walk_hugepages(maps, n_maps, &res->numa_stat) < 0) ||
            judge_numa_stat(intent, ev->stat, ev->stat_note, options, res) < 0)
                goto fail;
        res->verdict = np_verdict_worst(res->verdict, res->cgroup_verdict);
        *ret = res;
        res = NULL;
        r = 0;
fail:
        if (r < 0)
                np_err(err, ENOMEM, "out of memory");
        free(maps);
        free(mine);
        free(backend);
        free(how);
        np_check_result_free(res);
        return r;
}

/* The nodes a VM is bound to: those of its memory, and those holding
 * the CPUs its vCPUs are pinned to (@host NULL: memory only).  False
 * when nothing binds it. */
static bool vm_nodes(const np_intent *intent, const np_host *host, np_bitmap *ret)
{
        bool any = false;

        np_bitmap_clear(ret);
        if (intent->has_nodes && intent->mode != NP_MODE_NONE) {
                np_bitmap_or(ret, &intent->nodes);
                any = true;
        }
        for (size_t i = 0; i < intent->n_regions; i++) {
                const np_region *r = &intent->regions[i];

                if (r->has_nodes && r->mode != NP_MODE_NONE) {
                        np_bitmap_or(ret, &r->nodes);
                        any = true;
                }
        }
        for (size_t p = 0; host && p < intent->n_pins; p++) {
                if (intent->pins[p].kind != NP_THREAD_VCPU)
                        continue;
                for (size_t n = 0; n < host->n_nodes; n++) {
                        np_bitmap both = host->nodes[n].cpus;

                        np_bitmap_and(&both, &intent->pins[p].cpus);
                        if (!np_bitmap_is_empty(&both)) {
                                np_bitmap_set(ret, host->nodes[n].id);
                                any = true;
                        }
                }
        }
        return any;
}

int np_check_devices(const np_sysroot *root, const np_intent *intent,
                     const np_check_options *options, np_check_result *result,
                     np_error *err)
{
        np_host *host = NULL;
        np_bitmap wanted;
        bool bound, pinned = false;

        if (!intent->n_hostdevs)
                return 0;
        result->devices = calloc(intent->n_hostdevs, sizeof(*result->devices));
        if (!result->devices)
                return np_err(err, ENOMEM, "out of memory");
        for (size_t p = 0; p < intent->n_pins; p++)
                pinned |= intent->pins[p].kind == NP_THREAD_VCPU;
        /* without the CPU-to-node map only the memory's nodes count */
        if (pinned && np_host_read(root, &host, NULL) < 0)
                host = NULL;
        bound = vm_nodes(intent, host, &wanted);
        np_host_free(host);

        for (size_t i = 0; i < intent->n_hostdevs; i++) {
                np_device_result *d = &result->devices[i];
                np_error ignored;
                int node = -1, r;

                r = np_device_node_read(root, intent->hostdevs[i].address, &node, &ignored);
                np_verdict_for_device(r != -ENOENT, r < 0 ? -1 : node, bound ? &wanted : NULL,
                                      options, d);
                if (r < 0 && r != -ENOENT)
                        np_verdict_for_unreadable_device(ignored.msg, d);
                d->device = &intent->hostdevs[i];
                result->n_devices++;
                result->verdict = np_verdict_worst(result->verdict, d->verdict);
        }
        return 0;
}

int np_check_process(const np_sysroot *root, const np_intent *intent,
                     pid_t pid, const np_check_options *options,
                     np_check_result **ret, np_error *err)
{
        np_evidence *ev = NULL;
        int r;

        /* a threshold ('auto') falls back to the walk where sampling
         * cannot work: below a captured root */
        if (np_check_samples(intent, options) && (root->live || !options->sample_above_kib))
                r = np_evidence_read_sampled(root, pid, intent, options->sample_pages,
                                             options->sample_seed, &ev, err);
        else
                r = np_evidence_read(root, pid, &ev, err);
        if (r < 0)
                return r;
        /* only where the pid came from the name: a pid given with an
         * XML is the caller's pairing */
        r = options && options->pid_from_name ? np_evidence_check_guest(intent, ev, err) : 0;
        if (r < 0) {
                np_evidence_free(ev);
                return r;
        }
        r = np_check_judge(intent, ev, options, ret, err);
        np_evidence_free(ev);
        if (r == 0) {
                r = np_check_devices(root, intent, options, *ret, err);
                if (r < 0) {
                        np_check_result_free(*ret);
                        *ret = NULL;
                }
        }
        return r;
}

int np_check_screen(const np_sysroot *root, const np_intent *intent,
                    pid_t pid, const np_check_options *options,
                    np_check_result **ret, np_error *err)
{
        np_process *proc = NULL;
        np_cgroup_stat *stat = NULL;
        np_check_result *res = NULL;
        char note[256];
        int r;

        r = np_process_read(root, pid, &proc, err);
        if (r < 0)
                return r;
        r = np_cgroup_stat_read(root, pid, &stat, note, sizeof(note), err);
        if (r < 0 || !stat || !np_verdict_hugepages_as_asked(intent, stat))
                goto out;
        r = -ENOMEM;
        res = calloc(1, sizeof(*res));
        if (!res)
                goto out;
        res->pid = pid;
        res->by_totals = true;
        if (proc->has_cgroup_mems) {
                res->has_cgroup_mems = true;
                res->cgroup_mems = proc->cgroup_mems;
        }
        if (proc->cgroup_path && !(res->cgroup_path = strdup(proc->cgroup_path)))
                goto out;
        if (judge_threads(intent, proc, res) < 0)
                goto out;
        res->verdict = NP_VERDICT_COMPLIANT;
        for (size_t i = 0; i < res->n_threads; i++)
                res->verdict = np_verdict_worst(res->verdict, res->threads[i].verdict);
        res->cgroup_verdict = np_verdict_for_cgroup(intent, proc->cgroup_path,
                                                    proc->has_cgroup_mems ? &proc->cgroup_mems : NULL,
                                                    res->cgroup_reason, sizeof(res->cgroup_reason));
        if (judge_numa_stat(intent, stat, note, options, res) < 0)
                goto out;
        res->verdict = np_verdict_worst(res->verdict, res->cgroup_verdict);
        r = 0;
        /* anything short of compliant is worth the walk, which says
         * which region and by how much */
        if (res->verdict == NP_VERDICT_COMPLIANT && res->numa_stat.has_allowed) {
                /* the devices' nodes take no walk either */
                if (np_check_devices(root, intent, options, res, err) < 0) {
                        r = -ENOMEM;
                        goto out;
                }
                *ret = res;
                res = NULL;
                r = 1;
        }
out:
        if (r == -ENOMEM)
                np_err(err, ENOMEM, "out of memory");
        np_check_result_free(res);
        np_cgroup_stat_free(stat);
        np_process_free(proc);
        return r;
}

void np_check_result_free(np_check_result *result)
{
        if (!result)
                return;
        free(result->regions);
        free(result->threads);
        free(result->cgroup_path);
        np_cgroup_stat_free(result->numa_stat.stat);
        for (size_t i = 0; i < result->numa_stat.n_walk; i++)
                np_stat_row_clear(&result->numa_stat.walk[i]);
        free(result->devices);
        free(result);
}
