/* process.h: a QEMU process's threads, affinities and cgroup.
 *
 * Threads are classified by the names QEMU gives them: "CPU n/KVM" or
 * "CPU n/TCG" (vCPUs), "IO iothreadN" (iothreads), "TC tc-ram-nodeN"
 * (prealloc thread contexts); every other thread is the emulator. */
#pragma once

#include "bitmap.h"
#include "intent.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct np_error;
struct np_sysroot;

typedef enum np_task_role {
        NP_TASK_VCPU,
        NP_TASK_EMULATOR,
        NP_TASK_IOTHREAD,
        NP_TASK_THREAD_CONTEXT,
        NP_TASK__COUNT,
} np_task_role;

typedef struct np_task {
        pid_t tid;
        char comm[64];
        np_task_role role;
        int id;                  /* vCPU or iothread number; -1 otherwise */
        np_bitmap cpus_allowed;  /* Cpus_allowed_list */
        np_bitmap mems_allowed;  /* Mems_allowed_list */
} np_task;

typedef struct np_process {
        pid_t pid;
        char comm[64];
        np_bitmap cpus_allowed;
        np_bitmap mems_allowed;
        np_task *tasks;
        size_t n_tasks;
        char *cgroup_path;       /* cpuset cgroup of the process, or NULL */
        bool has_cgroup_mems;
        np_bitmap cgroup_mems;   /* cpuset.mems (v1) / cpuset.mems.effective (v2) */
} np_process;

/* Classify a thread name.  Pure. */
np_task_role np_task_role_from_comm(const char *comm, int *ret_id);

/* Parse a /proc/.../status text: fills Cpus_allowed_list and
 * Mems_allowed_list.  -EINVAL when either is missing or malformed. */
int np_status_parse(const char *text, np_bitmap *ret_cpus, np_bitmap *ret_mems,
                    struct np_error *err);

/* Parse a /proc/PID/cgroup text; return the cpuset cgroup path and
 * whether it is on cgroup v2.  -ENOENT when there is no cpuset line. */
int np_cgroup_parse(const char *text, char **ret_path, bool *ret_v2,
                    struct np_error *err);

/* Read status, every task's comm and status, and the cgroup with its
 * cpuset.mems.  A task that exits during the read is skipped; the process
 * itself exiting is -ESRCH with a clear message. */
int np_process_read(const struct np_sysroot *root, pid_t pid,
                    np_process **ret, struct np_error *err);

void np_process_free(np_process *process);

/* Whether process @pid is gone: its /proc directory is absent or, on a
 * live root, it is a zombie (its memory and threads are already gone,
 * so its /proc files read as empty).  Readers use it to tell "the
 * process exited while I read" from "the file is missing". */
bool np_process_is_gone(const struct np_sysroot *root, pid_t pid);

/* The argument after the first @option in /proc/@pid/cmdline that starts
 * with @prefix, without it ("-uuid", "": the UUID; "-name", "guest=":
 * "NAME,debug-threads=on"), as a new string; NULL when there is none or
 * the command line cannot be read. */
char *np_process_option_value(const struct np_sysroot *root, pid_t pid, const char *option,
                              const char *prefix);

const char *np_task_role_to_string(np_task_role role);
