/* intent_lxd.c: LXD and Incus VMs: their run directories, and the
 * intent and findings derived from an instance config (read by
 * lxd_config.c) and qemu.conf.
 *
 * What LXD writes into qemu.conf (lxd/instance/drivers/driver_qemu*.go):
 * with pinned CPUs (limits.cpu a CPU set) one backend "memN" per host
 * node of those CPUs, each `policy = "bind"` and `host-nodes.0 = "<node>"`;
 * otherwise a single "mem0" (share = "on"), bound to limits.cpu.nodes
 * (Incus: volatile.cpu.nodes, which "balanced" resolves to) since the fix
 * of #15082, unbound before it.  Hugepages make it memory-backend-file
 * with mem-path on hugetlbfs.  raw.qemu.conf overrides sections of the
 * generated file (so qemu.conf already shows its effect); raw.qemu adds
 * QEMU arguments. */
#include "intent_lxd.h"
#include "attribute.h"
#include "bitmap.h"
#include "error.h"
#include "array.h"
#include "host.h"
#include "ini.h"
#include "number.h"
#include "process.h"
#include "qemu_cmdline.h"
#include "sysroot.h"
#include "verdict.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- run directories ------------------------------------------------------ */

static const struct {
        np_lxd_flavor flavor;
        const char *dir;
} run_dirs[] = {
        { NP_LXD_SNAP, "/var/snap/lxd/common/lxd/logs" },
        { NP_LXD_DEB, "/var/log/lxd" },
        { NP_INCUS, "/run/incus" },
};

const char *np_lxd_flavor_to_string(np_lxd_flavor flavor)
{
        return flavor == NP_INCUS ? "incus" : "lxd";
}

const char *np_lxd_display_name(const np_lxd_instance *inst, char *buf, size_t len)
{
        if (strcmp(inst->project, "default") == 0)
                snprintf(buf, len, "%s", inst->name);
        else
                snprintf(buf, len, "%s_%s", inst->project, inst->name);
        return buf;
}

/* Whether @pid's argv[0] names a QEMU binary: a pid file left by a QEMU
 * that died may name an unrelated process by now. */
static bool is_qemu(const np_sysroot *root, pid_t pid)
{
        char path[64], *argv = NULL;
        const char *base;
        bool yes;

        snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
        if (np_sysroot_read_file(root, path, 1u << 20, &argv, NULL, NULL) < 0)
                return false;
        base = strrchr(argv, '/');
        base = base ? base + 1 : argv;
        yes = strstr(base, "qemu") != NULL;
        free(argv);
        return yes;
}

/* Fill @inst from the run directory @dir/@entry. */
static void read_instance(const np_sysroot *root, np_lxd_flavor flavor, const char *dir,
                          const char *entry, np_lxd_instance *inst)
{
        char path[NP_LXD_PATH_MAX + 16], *text = NULL;
        const char *us = strchr(entry, '_');
        np_error err;

        memset(inst, 0, sizeof(*inst));
        inst->flavor = flavor;
        /* instance names cannot hold '_', so the first one ends the project */
        if (us) {
                snprintf(inst->project, sizeof(inst->project), "%.*s", (int)(us - entry), entry);
                snprintf(inst->name, sizeof(inst->name), "%s", us + 1);
        } else {
                snprintf(inst->project, sizeof(inst->project), "default");
                snprintf(inst->name, sizeof(inst->name), "%s", entry);
        }
        snprintf(inst->dir, sizeof(inst->dir), "%s/%s", dir, entry);
        snprintf(path, sizeof(path), "%s/qemu.pid", inst->dir);
        if (np_sysroot_read_string(root, path, &text, &err) < 0) {
                snprintf(inst->problem, sizeof(inst->problem), "%s", err.msg);
                return;
        }
        if (np_parse_pid(text, &inst->pid) < 0) {
                snprintf(inst->problem, sizeof(inst->problem), "%s: expected a pid, found '%.20s'", path, text);
                free(text);
                return;
        }
        free(text);
        if (np_process_is_gone(root, inst->pid))
                snprintf(inst->problem, sizeof(inst->problem), "%s: process %d is not running", path, (int)inst->pid);
        else if (!is_qemu(root, inst->pid))
                snprintf(inst->problem, sizeof(inst->problem), "%s: process %d is not QEMU (a stale pid file)", path,
                         (int)inst->pid);
        else
                inst->running = true;
}

static int cmp_instance(const void *a, const void *b)
{
        const np_lxd_instance *x = a, *y = b;

        if (x->flavor != y->flavor)
                return x->flavor < y->flavor ? -1 : 1;
        return strcmp(x->dir, y->dir);
}

static int scan_dir(const np_sysroot *root, np_lxd_flavor flavor, const char *dir,
                    np_lxd_instance **list, size_t *n, size_t *cap, np_error *err)
{
        char shown[NP_LXD_PATH_MAX], path[NP_LXD_PATH_MAX + 300];
        struct dirent *de;
        DIR *d;
        int e;

        d = np_sysroot_opendir(root, dir);
        e = d ? 0 : errno;
        if ((e == ENOENT || e == ENOTDIR))
                return 0;
        if (e)
                return np_err(err, e, "%s: %s", np_sysroot_display(root, dir, shown, sizeof(shown)),
                              np_strerror(e));
        while ((de = readdir(d))) {
                if (de->d_name[0] == '.' || strlen(de->d_name) >= NP_LXD_NAME_MAX)
                        continue;
                snprintf(path, sizeof(path), "%s/%s/qemu.conf", dir, de->d_name);
                if (!np_sysroot_exists(root, path))
                        continue;
                snprintf(path, sizeof(path), "%s/%s/qemu.pid", dir, de->d_name);
                if (!np_sysroot_exists(root, path))
                        continue; /* a stopped VM keeps its logs, not its pid file */
                if (np_array_reserve(list, cap, *n + 1) < 0) {
                        closedir(d);
                        return np_err(err, ENOMEM, "out of memory");
                }
                read_instance(root, flavor, dir, de->d_name, &(*list)[*n]);
                (*n)++;
        }
        closedir(d);
        return 0;
}

int np_lxd_find_instances(const np_sysroot *root, const char *const *lxd_dirs, size_t n_lxd_dirs,
                          np_lxd_instance **ret, size_t *ret_n, np_error *err)
{
        np_lxd_instance *list = NULL;
        size_t n = 0, cap = 0;
        int r = 0;

        for (size_t i = 0; r == 0 && i < sizeof(run_dirs) / sizeof(run_dirs[0]); i++)
                r = scan_dir(root, run_dirs[i].flavor, run_dirs[i].dir, &list, &n, &cap, err);
        for (size_t i = 0; r == 0 && i < n_lxd_dirs; i++) {
                char logs[NP_LXD_PATH_MAX];
                size_t len = strlen(lxd_dirs[i]);

                while (len > 1 && lxd_dirs[i][len - 1] == '/')
                        len--;
                if (len + sizeof("/logs") > sizeof(logs)) {
                        r = np_err(err, ENAMETOOLONG, "%s: the path is too long", lxd_dirs[i]);
                        break;
                }
                snprintf(logs, sizeof(logs), "%.*s/logs", (int)len, lxd_dirs[i]);
                r = scan_dir(root, NP_LXD_SNAP, logs, &list, &n, &cap, err);
        }
        if (r < 0) {
                free(list);
                return r;
        }
        if (n)
                qsort(list, n, sizeof(*list), cmp_instance);
        *ret = list;
        *ret_n = n;
        return 0;
}

/* ---- findings -------------------------------------------------------------- */

void np_findings_free(np_findings *findings)
{
        free(findings->items);
        findings->items = NULL;
        findings->n = 0;
        findings->cap = 0;
}

np_verdict np_findings_verdict(const np_findings *findings)
{
        np_verdict v = NP_VERDICT_COMPLIANT;

        for (size_t i = 0; i < findings->n; i++)
                v = np_verdict_worst(v, findings->items[i].verdict);
        return v;
}

__attribute__((format(printf, 4, 5)))
static int add_finding(np_findings *f, np_verdict verdict, const char *subject, const char *fmt, ...)
{
        np_finding *nf;
        va_list ap;

        if (np_array_reserve(&f->items, &f->cap, f->n + 1) < 0)
                return -ENOMEM;
        nf = &f->items[f->n++];
        memset(nf, 0, sizeof(*nf));
        nf->verdict = verdict;
        snprintf(nf->subject, sizeof(nf->subject), "%s", subject);
        va_start(ap, fmt);
        vsnprintf(nf->reason, sizeof(nf->reason), fmt, ap);
        va_end(ap);
        return 0;
}

/* ---- values of the config -------------------------------------------------- */

/* LXD's boolean spellings (shared.IsTrue). */
static bool is_true(const char *v)
{
        return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0 || strcmp(v, "yes") == 0 ||
                     strcmp(v, "on") == 0);
}

/* Whether @s is a plain count (limits.cpu "4"), as opposed to a CPU set. */
static bool is_count(const char *s)
{
        if (!*s)
                return false;
        for (; *s; s++)
                if (!isdigit((unsigned char)*s))
                        return false;
        return true;
}

/* Split raw.qemu into a NUL-separated argv as a shell would (quotes and
 * backslashes), the form np_qemu_cmdline_parse() takes, after a program
 * name as /proc/PID/cmdline has it. */
static int split_args(const char *s, char **ret, size_t *ret_len)
{
        static const char prog[] = "raw.qemu";
        size_t n = strlen(s), o = sizeof(prog);
        char *out = malloc(sizeof(prog) + n + 2), quote = 0;
        bool in_word = false;

        if (!out)
                return -ENOMEM;
        memcpy(out, prog, sizeof(prog));
        for (const char *p = s; *p; p++) {
                if (quote) {
                        if (*p == quote)
                                quote = 0;
                        else if (*p == '\\' && quote == '"' && p[1])
                                out[o++] = *++p;
                        else
                                out[o++] = *p;
                        continue;
                }
                if (*p == ' ' || *p == '\t' || *p == '\n') {
                        if (in_word)
                                out[o++] = '\0';
                        in_word = false;
                        continue;
                }
                in_word = true;
                if (*p == '\'' || *p == '"')
                        quote = *p;
                else if (*p == '\\' && p[1])
                        out[o++] = *++p;
                else
                        out[o++] = *p;
        }
        if (quote) {
                free(out);
                return -EINVAL;
        }
        if (in_word)
                out[o++] = '\0';
        *ret = out;
        *ret_len = o;
        return 0;
}

/* Bindings raw.qemu.conf gives memory objects: "[object "ID"]" sections
 * with policy and host-nodes keys (LXD merges them into qemu.conf). */
typedef struct raw_binding {
        char id[NP_ID_MAX];
        np_qemu_backend b;
} raw_binding;

static void free_raws(raw_binding *list, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(list[i].b.mem_path);
        free(list);
}

static int parse_raw_conf(const char *text, raw_binding **ret, size_t *ret_n, np_error *err)
{
        raw_binding *list = NULL;
        size_t n = 0, cap = 0;
        char *copy = strdup(text), *cursor = copy, *p;
        int current = -1, r = 0;
        unsigned lineno = 0;

        if (!copy)
                return np_err(err, ENOMEM, "out of memory");
        while ((p = np_ini_next_line(&cursor, &lineno))) {
                char *key, *value;

                if (!*p)
                        continue;
                if (*p == '[') {
                        char *group, *id;

                        /* other sections, and headers QEMU would refuse, hold no binding */
                        current = -1;
                        if (np_qemu_readconfig_header(p, &group, &id, NULL) == 0 &&
                            strcmp(group, "object") == 0 && *id) {
                                if (np_array_reserve(&list, &cap, n + 1) < 0) {
                                        r = np_err(err, ENOMEM, "out of memory");
                                        break;
                                }
                                memset(&list[n], 0, sizeof(list[n]));
                                snprintf(list[n].id, sizeof(list[n].id), "%s", id);
                                current = (int)n++;
                        }
                        continue;
                }
                if (current < 0 || !np_ini_split(p, &key, &value))
                        continue;
                if (*value == '"') {
                        size_t vl = strlen(++value);

                        if (vl && value[vl - 1] == '"')
                                value[vl - 1] = '\0';
                }
                if (!*value || (strcmp(key, "policy") != 0 && strncmp(key, "host-nodes", 10) != 0))
                        continue;
                r = np_qemu_backend_set(&list[current].b, key, value, err);
                if (r < 0) {
                        np_err_prefix(err, -r, "raw.qemu.conf: line %u", lineno);
                        break;
                }
        }
        free(copy);
        if (r < 0) {
                free_raws(list, n);
                return r;
        }
        *ret = list;
        *ret_n = n;
        return 0;
}

static const raw_binding *find_raw(const raw_binding *list, size_t n, const char *id)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(list[i].id, id) == 0 && (list[i].b.has_host_nodes || list[i].b.policy[0]))
                        return &list[i];
        return NULL;
}

/* A region for backend @b; binding left to the caller. */
static void region_of_backend(const np_qemu_backend *b, bool hugepages, np_region *r)
{
        memset(r, 0, sizeof(*r));
        snprintf(r->id, sizeof(r->id), "%s", b->id);
        r->kind = b->is_machine_ram || b->guest_node < 0 ? NP_REGION_MACHINE : NP_REGION_CELL;
        r->cell = b->guest_node;
        r->size_kib = b->size_bytes / 1024;
        r->backing = b->backing;
        r->shared = b->share;
        r->mode = NP_MODE_NONE;
        r->enforcement = NP_ENFORCE_NONE;
        if (b->hugetlb && b->hugetlbsize) {
                r->pagesize_kib = b->hugetlbsize / 1024;
        } else if (hugepages || b->hugetlb) {
                r->pagesize_kib = 2048;
                r->pagesize_default = true;
        } else {
                r->pagesize_kib = 4;
        }
}

static void bind_region(np_region *r, np_mode mode, const np_bitmap *nodes)
{
        r->mode = mode;
        if (mode == NP_MODE_NONE)
                return;
        r->has_nodes = true;
        r->nodes = *nodes;
        r->enforcement = NP_ENFORCE_MBIND;
}

/* What the config demands of memory placement, and in whose words. */
typedef struct demand {
        bool has;
        np_bitmap nodes;
        char source[160];       /* "limits.cpu.nodes is 1" */
} demand;

/* Nodes holding the CPUs of @cpus. */
static void nodes_of_cpus(const np_host *host, const np_bitmap *cpus, np_bitmap *ret)
{
        np_bitmap_clear(ret);
        for (size_t i = 0; host && i < host->n_nodes; i++) {
                np_bitmap both = host->nodes[i].cpus;

                np_bitmap_and(&both, cpus);
                if (!np_bitmap_is_empty(&both))
                        np_bitmap_set(ret, host->nodes[i].id);
        }
}

/* What np_lxd_intent() builds, and frees on its one way out. */
typedef struct lxd_build {
        np_intent *intent;
        size_t regions_cap;
        np_findings findings;
        raw_binding *raws;           /* raw.qemu.conf's bindings */
        size_t n_raws;
        np_qemu_cmdline *raw_cl;     /* raw.qemu, parsed */
        bool hugepages;              /* limits.memory.hugepages */
        demand mem;
} lxd_build;

static int add_region(lxd_build *b, const np_region *r)
{
        np_intent *intent = b->intent;

        if (np_array_reserve(&intent->regions, &b->regions_cap, intent->n_regions + 1) < 0)
                return -ENOMEM;
        intent->regions[intent->n_regions++] = *r;
        return 0;
}

static int out_of_memory(np_error *err)
{
        return np_err(err, ENOMEM, "out of memory");
}

/* The config's demands: vCPU pins and the memory nodes. */
static int read_demands(const np_lxd_config *config, const np_host *host, np_intent *intent,
                        demand *mem, np_error *err)
{
        const char *cpu = np_lxd_config_get(config, "limits.cpu");
        const char *nodes = np_lxd_config_get(config, "limits.cpu.nodes");
        const char *vnodes = np_lxd_config_get(config, "volatile.cpu.nodes");
        np_error sub;

        memset(mem, 0, sizeof(*mem));
        intent->vcpus = 1;
        if (cpu && *cpu && is_count(cpu)) {
                if (np_parse_uint(cpu, &intent->vcpus) < 0)
                        return np_err(err, EINVAL, "limits.cpu '%s': too many CPUs", cpu);
        } else if (cpu && *cpu) {
                np_bitmap set, on;
                char words[200], cpus[200];

                if (np_bitmap_parse(cpu, NP_BITMAP_MAX, &set, &sub) < 0)
                        return np_err(err, EINVAL, "limits.cpu: %s", sub.msg);
                /* LXD pins vCPU n to the n-th CPU of the set through QMP
                 * thread ids; its QEMU names no threads (no debug-threads),
                 * so the pins cannot be tied to threads here: the nodes of
                 * those CPUs are what the memory must sit on */
                intent->vcpus = np_bitmap_count(&set);
                nodes_of_cpus(host, &set, &on);
                if (!np_bitmap_is_empty(&on)) {
                        np_bitmap_format(&set, cpus, sizeof(cpus));
                        mem->has = true;
                        mem->nodes = on;
                        snprintf(mem->source, sizeof(mem->source), "limits.cpu pins CPUs %s (%s)", cpus,
                                 np_bitmap_nodes_phrase(&on, words, sizeof(words)));
                }
        }
        /* Without pinned CPUs, limits.cpu.nodes names the nodes;
         * "balanced" (Incus) leaves the choice to the daemon, which
         * records it in volatile.cpu.nodes.  With pinned CPUs LXD binds
         * each backend to its CPUs' node and ignores these. */
        if (mem->has)
                return 0;
        if (nodes && *nodes && strcmp(nodes, "balanced") != 0) {
                if (np_bitmap_parse(nodes, NP_NODE_MAX, &mem->nodes, &sub) < 0)
                        return np_err(err, EINVAL, "limits.cpu.nodes: %s", sub.msg);
                mem->has = true;
                snprintf(mem->source, sizeof(mem->source), "limits.cpu.nodes is %s", nodes);
        } else if (vnodes && *vnodes) {
                if (np_bitmap_parse(vnodes, NP_NODE_MAX, &mem->nodes, &sub) < 0)
                        return np_err(err, EINVAL, "volatile.cpu.nodes: %s", sub.msg);
                mem->has = true;
                snprintf(mem->source, sizeof(mem->source), "volatile.cpu.nodes is %s", vnodes);
        }
        return 0;
}

/* Compare what the config demands of region @r with what qemu.conf told
 * QEMU about it (@b): a finding for each thing the decider finds wrong. */
static int judge_backend(const np_region *r, const np_qemu_backend *b, const char *source,
                         bool hugepages, np_findings *f)
{
        char reason[NP_REASON_MAX];
        np_verdict v;

        v = np_verdict_for_lxd_binding(r, b, source, reason, sizeof(reason));
        if (v != NP_VERDICT_COMPLIANT && add_finding(f, v, r->id, "%s", reason) < 0)
                return -ENOMEM;
        v = np_verdict_for_lxd_hugepages(r, b, hugepages, reason, sizeof(reason));
        if (v != NP_VERDICT_COMPLIANT)
                return add_finding(f, v, r->id, "%s", reason);
        return 0;
}

/* A region for each backend of @cl, bound as QEMU was told: without a
 * config (or for raw.qemu) that is all there is to hold it to.  Skips
 * the backends @skip also has. */
static int regions_as_told(lxd_build *b, const np_qemu_cmdline *cl, const np_qemu_cmdline *skip)
{
        for (size_t i = 0; i < cl->n_backends; i++) {
                const np_qemu_backend *be = &cl->backends[i];
                np_region reg;

                if (skip && np_qemu_cmdline_find(skip, be->id))
                        continue;
                region_of_backend(be, false, &reg);
                if (be->has_host_nodes)
                        bind_region(&reg, np_mode_of_qemu_policy(be->policy), &be->host_nodes);
                if (add_region(b, &reg) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int intent_from_qemu_conf(lxd_build *b, const np_qemu_cmdline *qemu_conf,
                                 const char *config_problem, np_error *err)
{
        char reason[NP_REASON_MAX];
        np_verdict v;

        if (regions_as_told(b, qemu_conf, NULL) < 0)
                return out_of_memory(err);
        b->intent->vcpus = 1;
        v = np_verdict_for_lxd_without_config(config_problem, reason, sizeof(reason));
        if (add_finding(&b->findings, v, "config", "%s", reason) < 0)
                return out_of_memory(err);
        return 0;
}

/* qemu.conf's backends, each bound as the config demands (raw.qemu.conf
 * first, then limits.cpu or limits.cpu.nodes) and judged against what
 * qemu.conf gave it.  Adds their sizes to @conf_bytes. */
static int regions_of_backends(lxd_build *b, const np_qemu_cmdline *qemu_conf, uint64_t *conf_bytes,
                               np_error *err)
{
        for (size_t i = 0; i < qemu_conf->n_backends; i++) {
                const np_qemu_backend *be = &qemu_conf->backends[i];
                const raw_binding *raw = find_raw(b->raws, b->n_raws, be->id);
                char source[200], set[160];
                np_region reg;

                region_of_backend(be, b->hugepages, &reg);
                *conf_bytes += be->size_bytes;
                if (raw && raw->b.has_host_nodes) {
                        np_bitmap_format(&raw->b.host_nodes, set, sizeof(set));
                        bind_region(&reg, raw->b.policy[0] ? np_mode_of_qemu_policy(raw->b.policy) : NP_MODE_STRICT,
                                    &raw->b.host_nodes);
                        snprintf(source, sizeof(source), "raw.qemu.conf binds it to %s", set);
                } else if (b->mem.has) {
                        np_bitmap within = b->mem.nodes;

                        /* with CPUs pinned across nodes LXD gives each
                         * node its own backend: one bound to a node of
                         * the set is where it should be */
                        if (be->has_host_nodes && np_bitmap_is_subset(&be->host_nodes, &b->mem.nodes))
                                within = be->host_nodes;
                        bind_region(&reg, NP_MODE_STRICT, &within);
                        snprintf(source, sizeof(source), "%s", b->mem.source);
                }
                if (add_region(b, &reg) < 0 || judge_backend(&reg, be, source, b->hugepages, &b->findings) < 0)
                        return out_of_memory(err);
        }
        if (b->mem.has && qemu_conf->n_backends == 0) {
                char reason[NP_REASON_MAX];
                np_verdict v = np_verdict_for_lxd_no_backend(b->mem.source, reason, sizeof(reason));

                if (add_finding(&b->findings, v, "qemu.conf", "%s", reason) < 0)
                        return out_of_memory(err);
        }
        return 0;
}

/* limits.memory: the size LXD gave the backends together (@conf_bytes) */
static int judge_memory_limit(lxd_build *b, const np_lxd_config *config, const np_qemu_cmdline *qemu_conf,
                              uint64_t conf_bytes, np_error *err)
{
        const char *limit = np_lxd_config_get(config, "limits.memory");
        uint64_t want = 1ull << 30; /* LXD's default for VMs */
        int pr = limit ? np_parse_lxd_size(limit, &want) : 0;
        char reason[NP_REASON_MAX];
        np_verdict v;

        if (pr == -EINVAL || pr == -ERANGE)
                return np_err(err, EINVAL, "limits.memory '%s': expected a size such as 4GiB or 512MB", limit);
        if (pr != 0)
                return 0;
        b->intent->memory_kib = want / 1024;
        v = np_verdict_for_lxd_memory(conf_bytes, qemu_conf->n_backends, want, limit, reason, sizeof(reason));
        if (v != NP_VERDICT_COMPLIANT && add_finding(&b->findings, v, "limits.memory", "%s", reason) < 0)
                return out_of_memory(err);
        return 0;
}

/* raw.qemu: backends given on QEMU's command line; their own host-nodes
 * and policy are what the user asked for */
static int regions_of_raw_qemu(lxd_build *b, const char *raw_qemu, const np_qemu_cmdline *qemu_conf,
                               np_error *err)
{
        char *argv = NULL;
        size_t len = 0;
        np_error sub;
        int r;

        r = split_args(raw_qemu, &argv, &len);
        if (r == -EINVAL)
                return np_err(err, EINVAL, "raw.qemu: a quote is not closed");
        if (r < 0)
                return out_of_memory(err);
        r = np_qemu_cmdline_parse(argv, len, &b->raw_cl, &sub);
        free(argv);
        if (r < 0)
                return np_err(err, -r, "raw.qemu: %s", sub.msg);
        if (regions_as_told(b, b->raw_cl, qemu_conf) < 0)
                return out_of_memory(err);
        return 0;
}

static int intent_from_config(lxd_build *b, const np_lxd_config *config, const np_qemu_cmdline *qemu_conf,
                              const np_host *host, np_error *err)
{
        const char *uuid = np_lxd_config_get(config, "volatile.uuid");
        const char *raw_conf = np_lxd_config_get(config, "raw.qemu.conf");
        const char *raw_qemu = np_lxd_config_get(config, "raw.qemu");
        uint64_t conf_bytes = 0;
        int r;

        if (uuid && !(b->intent->uuid = strdup(uuid)))
                return out_of_memory(err);
        r = read_demands(config, host, b->intent, &b->mem, err);
        if (r == 0 && raw_conf)
                r = parse_raw_conf(raw_conf, &b->raws, &b->n_raws, err);
        if (r == 0)
                r = regions_of_backends(b, qemu_conf, &conf_bytes, err);
        if (r == 0)
                r = judge_memory_limit(b, config, qemu_conf, conf_bytes, err);
        if (r == 0 && raw_qemu)
                r = regions_of_raw_qemu(b, raw_qemu, qemu_conf, err);
        return r;
}

int np_lxd_intent(const char *name, const np_lxd_config *config, const char *config_problem,
                  const np_qemu_cmdline *qemu_conf, const np_host *host, np_intent **ret,
                  np_findings *ret_findings, np_error *err)
{
        lxd_build b = {
                .hugepages = config && is_true(np_lxd_config_get(config, "limits.memory.hugepages")),
        };
        int r;

        b.intent = calloc(1, sizeof(*b.intent));
        if (!b.intent || !(b.intent->name = strdup(name ? name : "")))
                r = out_of_memory(err);
        else if (!config)
                r = intent_from_qemu_conf(&b, qemu_conf, config_problem, err);
        else
                r = intent_from_config(&b, config, qemu_conf, host, err);
        free_raws(b.raws, b.n_raws);
        np_qemu_cmdline_free(b.raw_cl);
        if (r < 0) {
                np_findings_free(&b.findings);
                np_intent_free(b.intent);
                return r;
        }
        *ret = b.intent;
        *ret_findings = b.findings;
        return 0;
}
