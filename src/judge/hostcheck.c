/* hostcheck.c: read and judge the host settings that undo NUMA bindings.
 *
 * Why each setting matters, in the advice the checks print:
 * - kernel.numa_balancing moves pages and unpinned threads between nodes
 *   behind a VM's static placement (within what its binding allows);
 * - KSM with merge_across_nodes=1 folds identical pages of VMs bound to
 *   different nodes into one page on one node;
 * - numad re-places the processes it manages, whatever libvirt bound;
 * - vm.zone_reclaim_mode makes unbound VMs stall reclaiming page cache
 *   on their node before they may use another;
 * - THP "never" leaves guest RAM on 4 KiB pages, "always" defrag makes
 *   its faults stall in compaction;
 * - huge page pools too small for the domains that start at boot make
 *   those starts fail (strict) or land elsewhere (preferred);
 * - numa_miss / numa_foreign show allocations that landed off the node
 *   they were meant for. */
#include "hostcheck.h"
#include "enum.h"
#include "array.h"
#include "error.h"
#include "host.h"
#include "json.h"
#include "json_read.h"
#include "number.h"
#include "sysroot.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SHARE_WARN_BP 100 /* warn above 1% of allocations, in 1/10000 */

static const char *const status_names[NP_HOSTCHECK__COUNT] = {
        [NP_HOSTCHECK_PASS] = "pass",
        [NP_HOSTCHECK_SKIP] = "skip",
        [NP_HOSTCHECK_WARN] = "warn",
        [NP_HOSTCHECK_FAIL] = "fail",
};

NP_ENUM_TO_STRING(np_hostcheck_status_to_string, np_hostcheck_status, status_names, "fail")

/* ---- reading ------------------------------------------------------------- */

/* A small setting, 0 to 1000000 (read_int() makes a missing file -1). */
static int parse_small(const char *text, void *ret)
{
        uint64_t v;

        if (np_parse_u64_max(text, 1000000, &v) < 0)
                return -EINVAL;
        *(int *)ret = (int)v;
        return 0;
}

static int read_int(const np_sysroot *root, const char *path, int *ret, np_error *err)
{
        int r;

        *ret = -1;
        r = np_sysroot_read_value(root, path, "a small number", parse_small, ret, err);
        if (r == -ENOENT || r == -EACCES || r == -EPERM)
                return 0;
        return r;
}

/* The bracketed word of a THP setting ("always [madvise] never"). */
static int read_choice(const np_sysroot *root, const char *path, char *buf, size_t len,
                       np_error *err)
{
        char *text = NULL, *open, *close, shown[512];
        int r;

        buf[0] = '\0';
        r = np_sysroot_read_string(root, path, &text, err);
        if (r == -ENOENT || r == -EACCES || r == -EPERM)
                return 0;
        if (r < 0)
                return r;
        open = strchr(text, '[');
        close = open ? strchr(open, ']') : NULL;
        if (!close || close == open + 1 || (size_t)(close - open - 1) >= len) {
                r = np_err(err, EINVAL, "%s: no [chosen] word in '%.60s'",
                           np_sysroot_display(root, path, shown, sizeof(shown)), text);
                free(text);
                return r;
        }
        memcpy(buf, open + 1, (size_t)(close - open - 1));
        buf[close - open - 1] = '\0';
        free(text);
        return 0;
}

/* The pid of a process named numad, or 0.  Processes that end while
 * they are read are no trouble. */
static int find_numad(const np_sysroot *root)
{
        DIR *d = np_sysroot_opendir(root, "/proc");
        struct dirent *de;
        int found = 0;

        if (!d)
                return 0;
        while (!found && (de = readdir(d))) {
                char path[64], *comm = NULL;
                pid_t pid;

                if (np_parse_pid(de->d_name, &pid) < 0)
                        continue;
                snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
                if (np_sysroot_read_string(root, path, &comm, NULL) == 0 && !strcmp(comm, "numad"))
                        found = (int)pid;
                free(comm);
        }
        closedir(d);
        return found;
}

/* "numa_hit 123\nnuma_miss 4\n..." */
static int parse_numastat(const char *text, np_numastat *ret)
{
        const char *p = text;
        int seen = 0;

        while (*p) {
                char key[32];
                uint64_t v = 0;
                size_t k = 0;

                while (*p && !isspace((unsigned char)*p) && k + 1 < sizeof(key))
                        key[k++] = *p++;
                key[k] = '\0';
                if (*p != ' ')
                        return -EINVAL;
                p++;
                if (!isdigit((unsigned char)*p))
                        return -EINVAL;
                for (; isdigit((unsigned char)*p); p++) {
                        if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
                                return -EINVAL;
                        v = v * 10 + (uint64_t)(*p - '0');
                }
                if (*p && *p != '\n')
                        return -EINVAL;
                if (*p)
                        p++;
                if (!strcmp(key, "numa_hit"))
                        ret->hit = v, seen |= 1;
                else if (!strcmp(key, "numa_miss"))
                        ret->miss = v, seen |= 2;
                else if (!strcmp(key, "numa_foreign"))
                        ret->foreign = v, seen |= 4;
        }
        return seen == 7 ? 0 : -EINVAL;
}

int np_hostcheck_read(const np_sysroot *root, const np_host *host,
                      np_hostcheck_values **ret, np_error *err)
{
        np_hostcheck_values *v = calloc(1, sizeof(*v));
        int r;

        if (!v)
                return np_err(err, ENOMEM, "out of memory");
        v->host = host;
        v->ksm_pages_shared = -1;
        r = read_int(root, "/proc/sys/kernel/numa_balancing", &v->numa_balancing, err);
        if (r == 0)
                r = read_int(root, "/proc/sys/vm/zone_reclaim_mode", &v->zone_reclaim_mode, err);
        if (r == 0)
                r = read_int(root, "/sys/kernel/mm/ksm/run", &v->ksm_run, err);
        if (r == 0)
                r = read_int(root, "/sys/kernel/mm/ksm/merge_across_nodes", &v->ksm_merge_across_nodes, err);
        if (r == 0) {
                int shared;

                r = read_int(root, "/sys/kernel/mm/ksm/pages_shared", &shared, err);
                v->ksm_pages_shared = shared;
        }
        if (r == 0)
                r = read_choice(root, "/sys/kernel/mm/transparent_hugepage/enabled",
                                v->thp_enabled, sizeof(v->thp_enabled), err);
        if (r == 0)
                r = read_choice(root, "/sys/kernel/mm/transparent_hugepage/defrag",
                                v->thp_defrag, sizeof(v->thp_defrag), err);
        if (r < 0)
                goto fail;
        v->numad_pid = find_numad(root);

        v->numastat = calloc(host->n_nodes ? host->n_nodes : 1, sizeof(*v->numastat));
        if (!v->numastat) {
                r = np_err(err, ENOMEM, "out of memory");
                goto fail;
        }
        for (size_t i = 0; i < host->n_nodes; i++) {
                np_numastat *s = &v->numastat[v->n_numastat];
                char path[96], shown[512], *text = NULL;

                snprintf(path, sizeof(path), "/sys/devices/system/node/node%u/numastat", host->nodes[i].id);
                r = np_sysroot_read_file(root, path, 4096, &text, NULL, err);
                if (r == -ENOENT) {
                        r = 0;
                        continue;
                }
                if (r < 0)
                        goto fail;
                s->node = host->nodes[i].id;
                r = parse_numastat(text, s);
                free(text);
                if (r < 0) {
                        r = np_err(err, EINVAL, "%s: expected 'numa_hit N', 'numa_miss N' and 'numa_foreign N' lines",
                                   np_sysroot_display(root, path, shown, sizeof(shown)));
                        goto fail;
                }
                v->n_numastat++;
        }
        *ret = v;
        return 0;
fail:
        np_hostcheck_values_free(v);
        return r;
}

void np_hostcheck_values_free(np_hostcheck_values *values)
{
        if (!values)
                return;
        free(values->numastat);
        free(values);
}

/* ---- what the VMs ask for -------------------------------------------------- */

static int add_demand(np_hostcheck_vms *vms, int node, uint64_t size_kib, uint64_t pages,
                      bool autostart)
{
        np_hugepage_demand *d = NULL;

        for (size_t i = 0; i < vms->n_demand && !d; i++)
                if (vms->demand[i].node == node && vms->demand[i].size_kib == size_kib)
                        d = &vms->demand[i];
        if (!d) {
                if (np_array_reserve(&vms->demand, &vms->cap_demand, vms->n_demand + 1) < 0)
                        return -ENOMEM;
                d = &vms->demand[vms->n_demand++];
                memset(d, 0, sizeof(*d));
                d->node = node;
                d->size_kib = size_kib;
        }
        d->pages += pages;
        if (autostart)
                d->autostart_pages += pages;
        return 0;
}

int np_hostcheck_vms_add(np_hostcheck_vms *vms, const np_intent *intent, bool autostart)
{
        bool bound = false, small = false;

        vms->n_domains++;
        for (size_t i = 0; i < intent->n_pins; i++)
                bound |= intent->pins[i].kind == NP_THREAD_VCPU;
        for (size_t i = 0; i < intent->n_regions; i++) {
                const np_region *r = &intent->regions[i];
                int node = -1;

                if (r->has_nodes && r->mode != NP_MODE_NONE && !r->placement_auto)
                        bound = true;
                if (r->pagesize_kib <= 4) {
                        small = true;
                        continue;
                }
                if (r->has_nodes && r->mode != NP_MODE_NONE && np_bitmap_count(&r->nodes) == 1)
                        node = np_bitmap_next(&r->nodes, 0);
                if (add_demand(vms, node, r->pagesize_kib,
                               (r->size_kib + r->pagesize_kib - 1) / r->pagesize_kib, autostart) < 0)
                        return -ENOMEM;
        }
        if (bound)
                vms->n_bound++;
        if (intent->placement_auto)
                vms->n_auto++;
        if (small)
                vms->n_small_pages++;
        return 0;
}

void np_hostcheck_vms_done(np_hostcheck_vms *vms)
{
        if (!vms)
                return;
        free(vms->demand);
        vms->demand = NULL;
        vms->n_demand = vms->cap_demand = 0;
}

/* ---- the previous report ----------------------------------------------------
 *
 * Read with the one JSON reader; only checks[].counters are kept and
 * everything else is checked and dropped. */

/* A non-negative integer member value into *@ret. */
static int read_count(np_json_reader *jr, uint64_t *ret)
{
        int c = np_json_read_peek(jr), r;
        size_t start = jr->pos;
        char *text = NULL;

        if (c != '-' && (c < '0' || c > '9'))
                return np_json_read_fail(jr, "expected a non-negative integer");
        r = np_json_read_scalar(jr, &text, NULL);
        if (r == 0 && np_parse_u64_max(text, UINT64_MAX, ret) < 0) {
                bool digits = text[strspn(text, "0123456789")] == '\0';

                jr->pos = start;
                r = np_json_read_fail(jr, digits ? "number too large" : "expected a non-negative integer");
        }
        free(text);
        return r;
}

/* {"node": N, "numa_hit": N, "numa_miss": N, "numa_foreign": N} */
static int read_counters(np_json_reader *jr, np_numastat *ret)
{
        static const char *const keys[] = { "node", "numa_hit", "numa_miss", "numa_foreign" };
        uint64_t v[4] = { 0 };
        unsigned seen = 0;
        size_t count = 0;
        char *key = NULL;
        int r;

        if (np_json_read_peek(jr) != '{')
                return np_json_read_fail(jr, "expected an object for 'counters'");
        r = np_json_read_object_begin(jr);
        while (r == 0 && (r = np_json_read_object_next(jr, &count, &key)) == 1) {
                size_t i = 0;

                while (i < 4 && strcmp(key, keys[i]) != 0)
                        i++;
                free(key);
                key = NULL;
                if (i == 4) {
                        r = np_json_read_skip(jr);
                        continue;
                }
                r = read_count(jr, &v[i]);
                if (r == 0 && i == 0 && v[0] >= 4096)
                        r = np_json_read_fail(jr, "node number too large");
                seen |= 1u << i;
        }
        if (r < 0)
                return r;
        if (count == 0)
                return np_json_read_fail(jr, "'counters' is empty");
        if (seen != 15)
                return np_json_read_fail(jr, "'counters' needs node, numa_hit, numa_miss and numa_foreign");
        ret->node = (unsigned)v[0];
        ret->hit = v[1];
        ret->miss = v[2];
        ret->foreign = v[3];
        return 0;
}

static int read_check(np_json_reader *jr, np_hostcheck_previous *prev)
{
        np_numastat s = { 0 };
        bool has = false;
        size_t count = 0;
        char *key = NULL;
        int r;

        if (np_json_read_peek(jr) != '{')
                return np_json_read_fail(jr, "expected an object in 'checks'");
        r = np_json_read_object_begin(jr);
        while (r == 0 && (r = np_json_read_object_next(jr, &count, &key)) == 1) {
                if (strcmp(key, "counters") == 0) {
                        r = read_counters(jr, &s);
                        has = true;
                } else {
                        r = np_json_read_skip(jr);
                }
                free(key);
                key = NULL;
        }
        if (r < 0 || !has)
                return r;
        if (np_array_reserve(&prev->numastat, &prev->cap_numastat, prev->n_numastat + 1) < 0)
                return np_err(jr->err, ENOMEM, "out of memory");
        prev->numastat[prev->n_numastat++] = s;
        return 0;
}

static int read_checks(np_json_reader *jr, np_hostcheck_previous *prev)
{
        size_t count = 0;
        int r;

        if (np_json_read_peek(jr) != '[')
                return np_json_read_fail(jr, "expected an array for 'checks'");
        r = np_json_read_array_begin(jr);
        while (r == 0 && (r = np_json_read_array_next(jr, &count)) == 1)
                r = read_check(jr, prev);
        return r;
}

static int read_previous(np_json_reader *jr, np_hostcheck_previous *prev)
{
        bool checks = false;
        size_t count = 0;
        char *key = NULL;
        int r;

        if (np_json_read_peek(jr) != '{')
                return np_json_read_fail(jr, "expected a JSON object (a 'numaplace host --check --json' report)");
        r = np_json_read_object_begin(jr);
        while (r == 0 && (r = np_json_read_object_next(jr, &count, &key)) == 1) {
                if (strcmp(key, "checks") == 0) {
                        checks = true;
                        r = read_checks(jr, prev);
                } else {
                        r = np_json_read_skip(jr);
                }
                free(key);
                key = NULL;
        }
        if (r == 0)
                r = np_json_read_end(jr);
        if (r == 0 && !checks)
                r = np_json_read_fail(jr, "no 'checks' array: not a 'numaplace host --check --json' report");
        return r;
}

int np_hostcheck_previous_parse(const char *text, size_t len, const char *filename,
                                np_hostcheck_previous *ret, np_error *err)
{
        np_hostcheck_previous prev = { 0 };
        np_json_reader jr;
        int r;

        np_json_reader_init(&jr, text, len, filename ? filename : "previous report", err);
        r = read_previous(&jr, &prev);
        if (r < 0) {
                np_hostcheck_previous_done(&prev);
                return r;
        }
        *ret = prev;
        return 0;
}

void np_hostcheck_previous_done(np_hostcheck_previous *prev)
{
        if (!prev)
                return;
        free(prev->numastat);
        prev->numastat = NULL;
        prev->n_numastat = prev->cap_numastat = 0;
}

/* ---- judging ------------------------------------------------------------------ */

typedef struct judge {
        np_hostcheck_report *report;
        bool oom;
} judge;

__attribute__((format(printf, 6, 7)))
static np_hostcheck *add(judge *jd, const char *name, np_hostcheck_status status,
                         const char *file, const char *advice, const char *fmt, ...)
{
        np_hostcheck_report *rp = jd->report;
        np_hostcheck *c;
        va_list ap;

        if (np_array_reserve(&rp->checks, &rp->cap_checks, rp->n_checks + 1) < 0) {
                jd->oom = true;
                return NULL;
        }
        c = &rp->checks[rp->n_checks++];
        memset(c, 0, sizeof(*c));
        snprintf(c->name, sizeof(c->name), "%s", name);
        c->status = status;
        snprintf(c->file, sizeof(c->file), "%s", file ? file : "");
        snprintf(c->advice, sizeof(c->advice), "%s", advice ? advice : "");
        va_start(ap, fmt);
        vsnprintf(c->value, sizeof(c->value), fmt, ap);
        va_end(ap);
        return c;
}

#define ONE_NODE "one NUMA node: does not apply"

/* "2 bound VMs", or why the VMs are not known. */
static void vms_phrase(const np_hostcheck_vms *vms, char *buf, size_t len)
{
        if (!vms->known)
                snprintf(buf, len, "the VMs are not known: %s", vms->why_unknown);
        else
                snprintf(buf, len, "%zu of %zu domain%s bound", vms->n_bound, vms->n_domains,
                         vms->n_domains == 1 ? "" : "s");
}

static void judge_balancing(judge *jd, const np_hostcheck_values *v, const np_hostcheck_vms *vms,
                            bool multi)
{
        static const char file[] = "/proc/sys/kernel/numa_balancing";
        char who[320];

        vms_phrase(vms, who, sizeof(who));
        if (!multi)
                add(jd, "numa_balancing", NP_HOSTCHECK_SKIP, file, ONE_NODE, "%d", v->numa_balancing);
        else if (v->numa_balancing < 0)
                add(jd, "numa_balancing", NP_HOSTCHECK_SKIP, file,
                    "the kernel has no automatic NUMA balancing", "-");
        else if (v->numa_balancing == 0)
                add(jd, "numa_balancing", NP_HOSTCHECK_PASS, file, "", "0 (off)");
        else if (vms->known && vms->n_bound == 0)
                add(jd, "numa_balancing", NP_HOSTCHECK_PASS, file,
                    "no domain is bound statically; balancing only helps unbound ones", "%d (%s)",
                    v->numa_balancing, who);
        else
                add(jd, "numa_balancing", NP_HOSTCHECK_WARN, file,
                    "automatic NUMA balancing moves pages and unpinned threads of VMs behind their static "
                    "placement: sysctl -w kernel.numa_balancing=0, and set it in /etc/sysctl.d",
                    "%d (%s)", v->numa_balancing, who);
}

static void judge_ksm(judge *jd, const np_hostcheck_values *v, const np_hostcheck_vms *vms, bool multi)
{
        static const char file[] = "/sys/kernel/mm/ksm/merge_across_nodes";
        static const char advice[] =
                "KSM merges identical pages of VMs bound to different nodes into one page on one node, "
                "so a bound VM reads memory from another node: echo 2 > /sys/kernel/mm/ksm/run; "
                "echo 0 > /sys/kernel/mm/ksm/merge_across_nodes; echo 1 > /sys/kernel/mm/ksm/run";
        char who[320];

        vms_phrase(vms, who, sizeof(who));
        if (!multi)
                add(jd, "ksm_merge_across_nodes", NP_HOSTCHECK_SKIP, file, ONE_NODE, "%d",
                    v->ksm_merge_across_nodes);
        else if (v->ksm_run < 0 || v->ksm_merge_across_nodes < 0)
                add(jd, "ksm_merge_across_nodes", NP_HOSTCHECK_SKIP, file, "the kernel has no KSM", "-");
        else if (v->ksm_run != 1)
                add(jd, "ksm_merge_across_nodes", NP_HOSTCHECK_PASS, file, "",
                    "run=%d (not merging), merge_across_nodes=%d", v->ksm_run, v->ksm_merge_across_nodes);
        else if (v->ksm_merge_across_nodes == 0)
                add(jd, "ksm_merge_across_nodes", NP_HOSTCHECK_PASS, file, "",
                    "run=1, merge_across_nodes=0 (merges within a node only)");
        else
                add(jd, "ksm_merge_across_nodes",
                    vms->known && vms->n_bound == 0 ? NP_HOSTCHECK_WARN : NP_HOSTCHECK_FAIL, file, advice,
                    "run=1, merge_across_nodes=1, pages_shared=%" PRId64 " (%s)", v->ksm_pages_shared, who);
}

static void judge_numad(judge *jd, const np_hostcheck_values *v, const np_hostcheck_vms *vms, bool multi)
{
        char file[64], who[320];

        vms_phrase(vms, who, sizeof(who));
        snprintf(file, sizeof(file), v->numad_pid ? "/proc/%d/comm" : "/proc/*/comm", v->numad_pid);
        if (!multi)
                add(jd, "numad", NP_HOSTCHECK_SKIP, file, ONE_NODE, v->numad_pid ? "running" : "not running");
        else if (!v->numad_pid)
                add(jd, "numad", NP_HOSTCHECK_PASS, file, "", "not running");
        else if (vms->known && vms->n_bound == 0)
                add(jd, "numad", NP_HOSTCHECK_PASS, file, "no domain is placed statically",
                    "running (pid %d; %s)", v->numad_pid, who);
        else
                add(jd, "numad", vms->known ? NP_HOSTCHECK_FAIL : NP_HOSTCHECK_WARN, file,
                    "numad moves the memory and CPUs of the processes it manages, against libvirt's static "
                    "placement: systemctl disable --now numad, or give those domains placement='auto'",
                    "running (pid %d; %s)", v->numad_pid, who);
}

static void judge_zone_reclaim(judge *jd, const np_hostcheck_values *v, bool multi)
{
        static const char file[] = "/proc/sys/vm/zone_reclaim_mode";

        if (!multi)
                add(jd, "zone_reclaim_mode", NP_HOSTCHECK_SKIP, file, ONE_NODE, "%d", v->zone_reclaim_mode);
        else if (v->zone_reclaim_mode < 0)
                add(jd, "zone_reclaim_mode", NP_HOSTCHECK_SKIP, file, "the kernel has no vm.zone_reclaim_mode", "-");
        else if (v->zone_reclaim_mode == 0)
                add(jd, "zone_reclaim_mode", NP_HOSTCHECK_PASS, file, "", "0");
        else
                add(jd, "zone_reclaim_mode", NP_HOSTCHECK_WARN, file,
                    "the kernel reclaims page cache on a node before it allocates on another, so VMs that "
                    "are not bound stall in reclaim: sysctl -w vm.zone_reclaim_mode=0 unless every "
                    "workload is partitioned by node",
                    "%d", v->zone_reclaim_mode);
}

static void judge_thp(judge *jd, const np_hostcheck_values *v, const np_hostcheck_vms *vms)
{
        static const char enabled[] = "/sys/kernel/mm/transparent_hugepage/enabled";
        static const char defrag[] = "/sys/kernel/mm/transparent_hugepage/defrag";
        bool small = !vms->known || vms->n_small_pages > 0;
        char who[320];

        if (vms->known)
                snprintf(who, sizeof(who), "%zu of %zu domain%s on ordinary pages", vms->n_small_pages,
                         vms->n_domains, vms->n_domains == 1 ? "" : "s");
        else
                vms_phrase(vms, who, sizeof(who));
        if (!v->thp_enabled[0])
                add(jd, "thp_enabled", NP_HOSTCHECK_SKIP, enabled, "the kernel has no transparent huge pages", "-");
        else if (!strcmp(v->thp_enabled, "never") && small)
                add(jd, "thp_enabled", NP_HOSTCHECK_WARN, enabled,
                    "guest RAM on ordinary pages gets no 2 MiB pages (QEMU asks for them with madvise): "
                    "echo madvise > /sys/kernel/mm/transparent_hugepage/enabled",
                    "%s (%s)", v->thp_enabled, who);
        else
                add(jd, "thp_enabled", NP_HOSTCHECK_PASS, enabled, "", "%s (%s)", v->thp_enabled, who);

        if (!v->thp_defrag[0])
                add(jd, "thp_defrag", NP_HOSTCHECK_SKIP, defrag, "the kernel has no transparent huge pages", "-");
        else if (!strcmp(v->thp_defrag, "always") && small && strcmp(v->thp_enabled, "never"))
                add(jd, "thp_defrag", NP_HOSTCHECK_WARN, defrag,
                    "every fault of guest RAM may stall in direct compaction on its node: "
                    "echo madvise > /sys/kernel/mm/transparent_hugepage/defrag (or defer+madvise)",
                    "%s (%s)", v->thp_defrag, who);
        else
                add(jd, "thp_defrag", NP_HOSTCHECK_PASS, defrag, "", "%s (%s)", v->thp_defrag, who);
}

static uint64_t pool_total(const np_host *host, int node, uint64_t size_kib)
{
        uint64_t total = 0;

        for (size_t i = 0; i < host->n_nodes; i++) {
                const np_hugepool *p;

                if (node >= 0 && host->nodes[i].id != (unsigned)node)
                        continue;
                p = np_host_node_pool(&host->nodes[i], size_kib);
                if (p)
                        total += p->total;
        }
        return total;
}

static int demand_order(const void *a, const void *b)
{
        const np_hugepage_demand *x = a, *y = b;

        if (x->size_kib != y->size_kib)
                return x->size_kib < y->size_kib ? -1 : 1;
        return (x->node > y->node) - (x->node < y->node);
}

static void judge_pools(judge *jd, const np_hostcheck_values *v, const np_hostcheck_vms *vms)
{
        np_hugepage_demand *d;

        if (!vms->known) {
                add(jd, "hugepages", NP_HOSTCHECK_SKIP, "", vms->why_unknown, "-");
                return;
        }
        if (!vms->n_demand) {
                add(jd, "hugepages", NP_HOSTCHECK_PASS, "", "", "no domain asks for huge pages (%zu domain%s)",
                    vms->n_domains, vms->n_domains == 1 ? "" : "s");
                return;
        }
        d = malloc(vms->n_demand * sizeof(*d));
        if (!d) {
                jd->oom = true;
                return;
        }
        memcpy(d, vms->demand, vms->n_demand * sizeof(*d));
        qsort(d, vms->n_demand, sizeof(*d), demand_order);
        for (size_t i = 0; i < vms->n_demand; i++) {
                uint64_t need = d[i].pages, autostart = d[i].autostart_pages;
                uint64_t have = pool_total(v->host, d[i].node, d[i].size_kib);
                np_hostcheck_status st = NP_HOSTCHECK_PASS;
                char name[NP_HOSTCHECK_NAME_MAX], file[160], advice[NP_HOSTCHECK_TEXT_MAX] = "";
                unsigned long long size = (unsigned long long)d[i].size_kib;

                if (d[i].node >= 0) {
                        snprintf(name, sizeof(name), "hugepages_node%d_%llukB", d[i].node, size);
                        snprintf(file, sizeof(file), "/sys/devices/system/node/node%d/hugepages/hugepages-%llukB/nr_hugepages",
                                 d[i].node, size);
                } else {
                        /* bound to several nodes or none: any node's pool,
                         * after what single-node domains take from it */
                        for (size_t k = 0; k < vms->n_demand; k++)
                                if (d[k].size_kib == d[i].size_kib && d[k].node >= 0) {
                                        need += d[k].pages;
                                        autostart += d[k].autostart_pages;
                                }
                        snprintf(name, sizeof(name), "hugepages_%llukB", size);
                        snprintf(file, sizeof(file), "/sys/kernel/mm/hugepages/hugepages-%llukB/nr_hugepages", size);
                }
                if (autostart > have) {
                        st = NP_HOSTCHECK_FAIL;
                        snprintf(advice, sizeof(advice),
                                 "the domains that start at boot cannot all start (strict) or land on other "
                                 "nodes (preferred): echo %llu > %s, or reserve them at boot",
                                 (unsigned long long)autostart, file);
                } else if (need > have) {
                        st = NP_HOSTCHECK_WARN;
                        snprintf(advice, sizeof(advice),
                                 "not every defined domain can run at once: echo %llu > %s when they must",
                                 (unsigned long long)need, file);
                }
                add(jd, name, st, file, advice,
                    "%llu pages needed by all defined domains, %llu by the autostart ones; %llu in the pool",
                    (unsigned long long)need, (unsigned long long)autostart, (unsigned long long)have);
        }
        free(d);
}

static const np_numastat *previous_for(const np_hostcheck_previous *prev, unsigned node)
{
        for (size_t i = 0; prev && i < prev->n_numastat; i++)
                if (prev->numastat[i].node == node)
                        return &prev->numastat[i];
        return NULL;
}

/* @part of @whole in hundredths of a percent. */
static uint64_t share_bp(uint64_t part, uint64_t whole)
{
        if (!whole)
                return 0;
        if (part > UINT64_MAX / 10000)
                return part / (whole / 10000 ? whole / 10000 : 1);
        return part * 10000 / whole;
}

static void judge_numastat(judge *jd, const np_hostcheck_values *v, const np_hostcheck_previous *prev,
                           bool multi)
{
        if (!multi) {
                add(jd, "numastat", NP_HOSTCHECK_SKIP, "/sys/devices/system/node/node0/numastat", ONE_NODE, "-");
                return;
        }
        if (!v->n_numastat) {
                add(jd, "numastat", NP_HOSTCHECK_SKIP, "/sys/devices/system/node/node*/numastat",
                    "the kernel shows no per-node allocation counters", "-");
                return;
        }
        for (size_t i = 0; i < v->n_numastat; i++) {
                const np_numastat *s = &v->numastat[i], *p = previous_for(prev, s->node);
                uint64_t hit = s->hit, miss = s->miss, foreign = s->foreign, miss_bp, foreign_bp;
                const char *since = "since boot";
                char name[NP_HOSTCHECK_NAME_MAX], file[96];
                bool warn;
                np_hostcheck *c;

                if (p && p->hit <= hit && p->miss <= miss && p->foreign <= foreign) {
                        hit -= p->hit;
                        miss -= p->miss;
                        foreign -= p->foreign;
                        since = "since the previous report";
                } else if (p) {
                        since = "since boot (the counters went back: rebooted since the previous report?)";
                }
                miss_bp = share_bp(miss, hit + miss);
                foreign_bp = share_bp(foreign, hit + foreign);
                warn = miss_bp > SHARE_WARN_BP || foreign_bp > SHARE_WARN_BP;
                snprintf(name, sizeof(name), "numastat_node%u", s->node);
                snprintf(file, sizeof(file), "/sys/devices/system/node/node%u/numastat", s->node);
                c = add(jd, name, warn ? NP_HOSTCHECK_WARN : NP_HOSTCHECK_PASS, file,
                        warn ? "allocations meant for one node land on another: a node runs short (see its free "
                               "memory and huge page pools, and bindings that put too much on it)" : "",
                        "numa_miss %" PRIu64 ".%02" PRIu64 "%%, numa_foreign %" PRIu64 ".%02" PRIu64
                        "%% of %" PRIu64 " allocations %s",
                        miss_bp / 100, miss_bp % 100, foreign_bp / 100, foreign_bp % 100, hit + miss, since);
                if (c) {
                        c->has_counters = true;
                        c->counters = *s;
                }
        }
}

int np_hostcheck_judge(const np_hostcheck_values *values, const np_hostcheck_vms *vms,
                       const np_hostcheck_previous *prev, np_hostcheck_report **ret)
{
        judge jd = { .report = calloc(1, sizeof(*jd.report)) };
        bool multi;

        if (!jd.report)
                return -ENOMEM;
        multi = values->host && values->host->n_nodes > 1;
        judge_balancing(&jd, values, vms, multi);
        judge_ksm(&jd, values, vms, multi);
        judge_numad(&jd, values, vms, multi);
        judge_zone_reclaim(&jd, values, multi);
        judge_thp(&jd, values, vms);
        judge_pools(&jd, values, vms);
        judge_numastat(&jd, values, prev, multi);
        if (jd.oom) {
                np_hostcheck_report_free(jd.report);
                return -ENOMEM;
        }
        *ret = jd.report;
        return 0;
}

void np_hostcheck_report_free(np_hostcheck_report *report)
{
        if (!report)
                return;
        free(report->checks);
        free(report);
}

np_hostcheck_status np_hostcheck_worst(const np_hostcheck_report *report)
{
        np_hostcheck_status worst = NP_HOSTCHECK_PASS;

        /* a check that cannot apply neither passes nor worries */
        for (size_t i = 0; report && i < report->n_checks; i++)
                if (report->checks[i].status != NP_HOSTCHECK_SKIP && report->checks[i].status > worst)
                        worst = report->checks[i].status;
        return worst;
}

int np_hostcheck_exit_code(const np_hostcheck_report *report)
{
        return np_hostcheck_worst(report) == NP_HOSTCHECK_FAIL ? 1 : 0;
}

void np_hostcheck_checks_json(np_json *j, const np_hostcheck_report *report)
{
        np_json_array_begin(j);
        for (size_t i = 0; i < report->n_checks; i++) {
                const np_hostcheck *c = &report->checks[i];

                np_json_object_begin(j);
                np_json_kv_string(j, "name", c->name);
                np_json_kv_string(j, "status", np_hostcheck_status_to_string(c->status));
                np_json_kv_string(j, "value", c->value);
                np_json_kv_string(j, "file", c->file[0] ? c->file : NULL);
                np_json_kv_string(j, "advice", c->advice[0] ? c->advice : NULL);
                if (c->has_counters) {
                        np_json_key(j, "counters");
                        np_json_object_begin(j);
                        np_json_kv_u64(j, "node", c->counters.node);
                        np_json_kv_u64(j, "numa_hit", c->counters.hit);
                        np_json_kv_u64(j, "numa_miss", c->counters.miss);
                        np_json_kv_u64(j, "numa_foreign", c->counters.foreign);
                        np_json_object_end(j);
                }
                np_json_object_end(j);
        }
        np_json_array_end(j);
}

int np_hostcheck_report_json(FILE *out, const np_hostcheck_report *report, bool pretty)
{
        np_json j;

        np_json_init(&j, out, pretty);
        np_json_object_begin(&j);
        np_json_kv_string(&j, "status", np_hostcheck_status_to_string(np_hostcheck_worst(report)));
        np_json_key(&j, "checks");
        np_hostcheck_checks_json(&j, report);
        np_json_object_end(&j);
        return np_json_finish(&j);
}
