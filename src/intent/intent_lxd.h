/* intent_lxd.h: LXD and Incus virtual machines: where they run, what
 * their configuration demands, and what LXD told QEMU.
 *
 * LXD and Incus start QEMU with -readconfig on a qemu.conf they generate
 * from the instance config, and keep it with qemu.pid in a per-instance
 * run directory (FACTS.md section 5).  The intent comes from the config
 * (limits.cpu, limits.cpu.nodes, limits.memory.hugepages, raw.qemu,
 * raw.qemu.conf, Incus volatile.cpu.nodes); regions are the memory
 * backends of qemu.conf, so the normal check finds them in the process.
 * Comparing the config with qemu.conf shows a binding LXD left out (LXD
 * #15082) before a page is touched. */
#pragma once

#include "check.h"
#include "intent.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct np_error;
struct np_host;
struct np_qemu_cmdline;
struct np_sysroot;

typedef enum np_lxd_flavor {
        NP_LXD_SNAP,     /* /var/snap/lxd/common/lxd/logs/<project>_<name>/ */
        NP_LXD_DEB,      /* /var/log/lxd/<project>_<name>/ */
        NP_INCUS,        /* /run/incus/<project>_<name>/ */
        NP_LXD__COUNT,
} np_lxd_flavor;

#define NP_LXD_NAME_MAX 128
#define NP_LXD_PATH_MAX 512

typedef struct np_lxd_instance {
        np_lxd_flavor flavor;
        char project[NP_LXD_NAME_MAX];  /* "default" when the directory has no prefix */
        char name[NP_LXD_NAME_MAX];     /* the instance name */
        char dir[NP_LXD_PATH_MAX];      /* the run directory, as below the root */
        pid_t pid;                      /* from qemu.pid; 0 when unreadable */
        bool running;                   /* pid names a live QEMU process */
        char problem[256];            /* why pid is 0 or it is not running, or "" */
} np_lxd_instance;

/* Find every LXD and Incus VM below @root: run directories holding both
 * qemu.conf and qemu.pid (containers have neither) in the places the LXD
 * snap, LXD packages and Incus keep them, and in "<dir>/logs" for each
 * of the @n_lxd_dirs further LXD_DIRs (absolute, as below the root).  A
 * directory that does not exist is no error.  Sorted by flavor, then
 * directory.  Returns 0 or -errno with @err. */
int np_lxd_find_instances(const struct np_sysroot *root, const char *const *lxd_dirs,
                          size_t n_lxd_dirs, np_lxd_instance **ret, size_t *ret_n,
                          struct np_error *err);

/* "lxd" or "incus": the command and the source name in reports. */
const char *np_lxd_flavor_to_string(np_lxd_flavor flavor);

/* The name reports use: the instance name in the default project,
 * "<project>_<name>" otherwise (as LXD names the run directory, so it
 * stays unique on the host). */
const char *np_lxd_display_name(const np_lxd_instance *inst, char *buf, size_t len);

/* An instance config: string keys and values (lxd_config.c). */
typedef struct np_lxd_config {
        char **keys;
        char **values;
        size_t n;
} np_lxd_config;

/* Parse an instance config: the JSON `lxc query /1.0/instances/NAME`
 * (or `incus query`) prints, the instance object or the REST envelope
 * around it ({"metadata": {...}}); or the YAML `lxc config show
 * --expanded NAME` prints.  Its "expanded_config" is the config;
 * lacking that, "config"; lacking both, the top-level entries themselves
 * (a plain {"limits.cpu": "2"} or "limits.cpu: 2" file).  Values that
 * are not strings are ignored.  @filename is for messages.  Returns 0 or
 * -EINVAL with @err naming the file and byte offset (JSON) or line
 * (YAML), or -ENOMEM. */
int np_lxd_config_parse(const char *text, size_t len, const char *filename,
                        np_lxd_config **ret, struct np_error *err);

/* The value of @key, or NULL. */
const char *np_lxd_config_get(const np_lxd_config *config, const char *key);

void np_lxd_config_free(np_lxd_config *config);

/* Something the configuration shows without looking at the memory. */
typedef struct np_finding {
        np_verdict verdict;
        char subject[NP_ID_MAX];        /* "mem0", "limits.cpu", "config" */
        char reason[NP_REASON_MAX];
} np_finding;

typedef struct np_findings {
        np_finding *items;
        size_t n, cap;
} np_findings;

void np_findings_free(np_findings *findings);

/* The worst verdict among @findings (compliant when there are none). */
np_verdict np_findings_verdict(const np_findings *findings);

/* Derive what instance @name demands from @config (NULL when the config
 * could not be had: the intent is then what qemu.conf told QEMU, and a
 * finding says the binding LXD may have left out cannot be seen;
 * @config_problem says why, e.g. "lxc is not installed").  @qemu_conf is
 * the parsed qemu.conf; @host (may be NULL) maps pinned CPUs to nodes.
 * Regions are qemu.conf's memory backends (and raw.qemu's), named by
 * their ids.  Every mismatch between the config and qemu.conf goes to
 * @ret_findings, e.g. "mem0 has no host-nodes although limits.cpu.nodes
 * is 1".  Returns 0, or -EINVAL with @err naming the key whose value is
 * malformed, or -ENOMEM. */
int np_lxd_intent(const char *name, const np_lxd_config *config,
                  const char *config_problem,
                  const struct np_qemu_cmdline *qemu_conf,
                  const struct np_host *host, np_intent **ret,
                  np_findings *ret_findings, struct np_error *err);
