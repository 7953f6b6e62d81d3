/* process.c: read a QEMU process's threads, affinities and cpuset cgroup.
 *
 * Everything comes from /proc/PID (status, task/TID/{comm,status},
 * cgroup) and the cgroup file system, through the sysroot.  Threads come
 * and go while QEMU runs (worker pools, vCPU hotplug), so a thread that
 * vanishes between listing and reading is skipped; only the whole process
 * vanishing is an error. */
#include "process.h"
#include "enum.h"
#include "array.h"
#include "cgroup_stat.h"
#include "error.h"
#include "number.h"
#include "sysroot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STATUS_MAX (64u << 10)
#define CGROUP_MAX (64u << 10)

static const char *const task_role_names[NP_TASK__COUNT] = {
        [NP_TASK_VCPU] = "vcpu",
        [NP_TASK_EMULATOR] = "emulator",
        [NP_TASK_IOTHREAD] = "iothread",
        [NP_TASK_THREAD_CONTEXT] = "thread-context",
};

NP_ENUM_TO_STRING(np_task_role_to_string, np_task_role, task_role_names, "unknown")

/* Digits from *pp up to a non-digit, as an int; advances *pp.  False
 * when there is no digit or the number does not fit. */
static bool take_int(const char **pp, int *ret)
{
        const char *p = *pp;
        long v = 0;

        if (*p < '0' || *p > '9')
                return false;
        while (*p >= '0' && *p <= '9') {
                v = v * 10 + (*p - '0');
                if (v > INT_MAX)
                        return false;
                p++;
        }
        *pp = p;
        *ret = (int)v;
        return true;
}

np_task_role np_task_role_from_comm(const char *comm, int *ret_id)
{
        const char *p;
        int id;

        if (ret_id)
                *ret_id = -1;
        /* "CPU <n>/<accelerator>": KVM, or TCG without /dev/kvm */
        if (strncmp(comm, "CPU ", 4) == 0) {
                p = comm + 4;
                if (take_int(&p, &id) && *p == '/' && p[1]) {
                        if (ret_id)
                                *ret_id = id;
                        return NP_TASK_VCPU;
                }
                return NP_TASK_EMULATOR;
        }
        /* "IO <object id>": libvirt names its iothreads iothread<N>; QEMU's
         * own "IO mon_iothread" serves the monitor and is no iothread the
         * configuration pins. */
        if (strncmp(comm, "IO iothread", 11) == 0) {
                p = comm + 11;
                if (take_int(&p, &id) && !*p) {
                        if (ret_id)
                                *ret_id = id;
                        return NP_TASK_IOTHREAD;
                }
                return NP_TASK_EMULATOR;
        }
        /* "TC <thread-context id>": preallocation threads of a backend */
        if (strncmp(comm, "TC ", 3) == 0 && comm[3])
                return NP_TASK_THREAD_CONTEXT;
        return NP_TASK_EMULATOR;
}

/* The value of "KEY:\tVALUE" in a status text, without surrounding
 * blanks, copied (the caller frees).  NULL with errno ENOENT when the key
 * is absent, ENOMEM when out of memory. */
static char *status_value(const char *text, const char *key)
{
        size_t klen = strlen(key);
        const char *line = text;

        while (line && *line) {
                const char *eol = strchr(line, '\n');
                size_t len = eol ? (size_t)(eol - line) : strlen(line);

                if (len > klen && strncmp(line, key, klen) == 0 && line[klen] == ':') {
                        const char *v = line + klen + 1, *end = line + len;
                        char *s;

                        while (v < end && (*v == ' ' || *v == '\t'))
                                v++;
                        while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
                                end--;
                        s = strndup(v, (size_t)(end - v));
                        if (!s)
                                errno = ENOMEM;
                        return s;
                }
                line = eol ? eol + 1 : NULL;
        }
        errno = ENOENT;
        return NULL;
}

static int status_list(const char *text, const char *key, unsigned max,
                       np_bitmap *ret, np_error *err)
{
        char *v = status_value(text, key);
        np_error sub;
        int r;

        if (!v) {
                if (errno == ENOMEM)
                        return np_err(err, ENOMEM, "out of memory");
                return np_err(err, EINVAL, "no %s line", key);
        }
        r = np_bitmap_parse_list(v, max, ret, &sub);
        if (r < 0)
                r = np_err(err, EINVAL, "%s: %s", key, sub.msg);
        free(v);
        return r;
}

int np_status_parse(const char *text, np_bitmap *ret_cpus, np_bitmap *ret_mems,
                    np_error *err)
{
        np_bitmap cpus, mems;
        int r;

        r = status_list(text, "Cpus_allowed_list", NP_BITMAP_MAX, &cpus, err);
        if (r < 0)
                return r;
        r = status_list(text, "Mems_allowed_list", NP_NODE_MAX, &mems, err);
        if (r < 0)
                return r;
        *ret_cpus = cpus;
        *ret_mems = mems;
        return 0;
}

/* Name: in status is escaped (\n, \t, \\ ...) so that a thread name
 * cannot forge lines; undo that into @out. */
static void status_name(const char *text, char *out, size_t len)
{
        char *v = status_value(text, "Name");
        size_t o = 0;

        out[0] = '\0';
        if (!v)
                return;
        for (const char *p = v; *p && o + 1 < len; p++) {
                char c = *p;

                if (c == '\\' && p[1]) {
                        p++;
                        switch (*p) {
                        case 'n': c = '\n'; break;
                        case 't': c = '\t'; break;
                        case 'v': c = '\v'; break;
                        case 'f': c = '\f'; break;
                        case 'r': c = '\r'; break;
                        default: c = *p; break;
                        }
                }
                out[o++] = c;
        }
        out[o] = '\0';
        free(v);
}

int np_cgroup_parse(const char *text, char **ret_path, bool *ret_v2, np_error *err)
{
        return np_cgroup_parse_controller(text, "cpuset", ret_path, ret_v2, err);
}

bool np_process_is_gone(const np_sysroot *root, pid_t pid)
{
        char path[64], *stat = NULL, *p;
        bool gone;

        snprintf(path, sizeof(path), "/proc/%d", (int)pid);
        if (!np_sysroot_exists(root, path))
                return true;
        if (!root->live)
                return false;
        /* The state follows the last ')': the name may hold parentheses. */
        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        if (np_sysroot_read_file(root, path, 4096, &stat, NULL, NULL) < 0)
                return true;
        p = strrchr(stat, ')');
        gone = !p || p[1] != ' ' || p[2] == 'Z' || p[2] == 'X';
        free(stat);
        return gone;
}

void np_process_free(np_process *process)
{
        if (!process)
                return;
        free(process->tasks);
        free(process->cgroup_path);
        free(process);
}

/* Hand a message read into a scratch record on to the caller's. */
static int pass_err(np_error *err, const np_error *sub, int r)
{
        if (err)
                *err = *sub;
        return r;
}

static int gone_error(const np_sysroot *root, pid_t pid, int errnum, const char *path,
                      np_error *err)
{
        char shown[PATH_MAX];

        if (np_process_is_gone(root, pid))
                return np_err(err, ESRCH, "process %d is not running", (int)pid);
        return np_err(err, errnum, "%s: %s", np_sysroot_display(root, path, shown, sizeof(shown)),
                      np_strerror(errnum));
}

static int cmp_task(const void *a, const void *b)
{
        const np_task *x = a, *y = b;

        return (x->tid > y->tid) - (x->tid < y->tid);
}

/* Read one task; 1 when it vanished meanwhile (skip it). */
static int read_task(const np_sysroot *root, pid_t pid, pid_t tid, np_task *t,
                     np_error *err)
{
        char path[96], shown[PATH_MAX], *comm = NULL, *status = NULL;
        np_error sub;
        int r;

        memset(t, 0, sizeof(*t));
        t->tid = tid;
        snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)pid, (int)tid);
        r = np_sysroot_read_string(root, path, &comm, &sub);
        if (r == -ENOENT || r == -ESRCH)
                return 1;
        if (r < 0)
                return pass_err(err, &sub, r);
        snprintf(t->comm, sizeof(t->comm), "%s", comm);
        free(comm);
        t->role = np_task_role_from_comm(t->comm, &t->id);

        snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)pid, (int)tid);
        r = np_sysroot_read_file(root, path, STATUS_MAX, &status, NULL, &sub);
        if (r == -ENOENT || r == -ESRCH)
                return 1;
        if (r < 0)
                return pass_err(err, &sub, r);
        r = np_status_parse(status, &t->cpus_allowed, &t->mems_allowed, err);
        free(status);
        if (r < 0)
                return np_err_prefix(err, -r, "%s", np_sysroot_display(root, path, shown, sizeof(shown)));
        return 0;
}

static int read_tasks(const np_sysroot *root, np_process *proc, np_error *err)
{
        char path[64];
        size_t cap = 0;
        struct dirent *de;
        DIR *dir;
        int r = 0;

        snprintf(path, sizeof(path), "/proc/%d/task", (int)proc->pid);
        dir = np_sysroot_opendir(root, path);
        if (!dir)
                return gone_error(root, proc->pid, errno, path, err);
        for (;;) {
                pid_t tid;

                errno = 0;
                de = readdir(dir);
                if (!de) {
                        if (errno)
                                r = gone_error(root, proc->pid, errno, path, err);
                        break;
                }
                if (np_parse_pid(de->d_name, &tid) < 0)
                        continue;
                if (np_array_reserve(&proc->tasks, &cap, proc->n_tasks + 1) < 0) {
                        r = np_err(err, ENOMEM, "out of memory");
                        break;
                }
                r = read_task(root, proc->pid, tid, &proc->tasks[proc->n_tasks], err);
                if (r < 0)
                        break;
                if (r == 0)
                        proc->n_tasks++;
                r = 0;
        }
        closedir(dir);
        if (r < 0)
                return r;
        if (proc->n_tasks == 0 || np_process_is_gone(root, proc->pid))
                return np_err(err, ESRCH, "process %d exited while reading its threads", (int)proc->pid);
        qsort(proc->tasks, proc->n_tasks, sizeof(*proc->tasks), cmp_task);
        return 0;
}

/* cpuset.mems of the process's cgroup; absent or empty leaves
 * has_cgroup_mems false (no cpuset controller there, or "not set"). */
static int read_cgroup(const np_sysroot *root, np_process *proc, np_error *err)
{
        char path[64], shown[PATH_MAX], *text = NULL, *mems = NULL, *file;
        np_error sub;
        bool v2;
        int r;

        snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)proc->pid);
        r = np_sysroot_read_file(root, path, CGROUP_MAX, &text, NULL, err);
        if (r == -ENOENT || r == -ESRCH) {
                if (np_process_is_gone(root, proc->pid))
                        return np_err(err, ESRCH, "process %d exited while reading", (int)proc->pid);
                return 0; /* a kernel without cgroups */
        }
        if (r < 0)
                return r;
        r = np_cgroup_parse(text, &proc->cgroup_path, &v2, err);
        free(text);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return np_err_prefix(err, -r, "%s", np_sysroot_display(root, path, shown, sizeof(shown)));

        /* A path outside our cgroup namespace cannot be found below
         * /sys/fs/cgroup. */
        if (strstr(proc->cgroup_path, "/..") || proc->cgroup_path[0] != '/')
                return 0;
        if (asprintf(&file, "/sys/fs/cgroup%s%s/%s", v2 ? "" : "/cpuset",
                     strcmp(proc->cgroup_path, "/") ? proc->cgroup_path : "",
                     v2 ? "cpuset.mems.effective" : "cpuset.mems") < 0)
                return np_err(err, ENOMEM, "out of memory");
        r = np_sysroot_read_string(root, file, &mems, &sub);
        if (r == -ENOENT) {
                free(file);
                return 0;
        }
        if (r < 0) {
                free(file);
                return pass_err(err, &sub, r);
        }
        if (mems[0]) {
                r = np_bitmap_parse_list(mems, NP_NODE_MAX, &proc->cgroup_mems, &sub);
                if (r < 0)
                        r = np_err(err, EINVAL, "%s: %s", np_sysroot_display(root, file, shown, sizeof(shown)),
                                   sub.msg);
                else
                        proc->has_cgroup_mems = true;
        }
        free(mems);
        free(file);
        return r < 0 ? r : 0;
}

int np_process_read(const np_sysroot *root, pid_t pid, np_process **ret, np_error *err)
{
        char path[64], shown[PATH_MAX], *status = NULL;
        np_process *proc;
        np_error sub;
        int r;

        proc = calloc(1, sizeof(*proc));
        if (!proc)
                return np_err(err, ENOMEM, "out of memory");
        proc->pid = pid;

        snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
        r = np_sysroot_read_file(root, path, STATUS_MAX, &status, NULL, &sub);
        if (r == -ENOENT || r == -ESRCH) {
                r = gone_error(root, pid, -r, path, err);
                goto fail;
        }
        if (r < 0) {
                pass_err(err, &sub, r);
                goto fail;
        }
        status_name(status, proc->comm, sizeof(proc->comm));
        r = np_status_parse(status, &proc->cpus_allowed, &proc->mems_allowed, err);
        free(status);
        if (r < 0) {
                np_err_prefix(err, -r, "%s", np_sysroot_display(root, path, shown, sizeof(shown)));
                goto fail;
        }

        r = read_tasks(root, proc, err);
        if (r < 0)
                goto fail;
        r = read_cgroup(root, proc, err);
        if (r < 0)
                goto fail;
        *ret = proc;
        return 0;
fail:
        np_process_free(proc);
        return r;
}

char *np_process_option_value(const np_sysroot *root, pid_t pid, const char *option,
                              const char *prefix)
{
        char path[64], *argv = NULL, *value = NULL;
        size_t len = 0, plen = strlen(prefix);

        snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
        if (np_sysroot_read_file(root, path, 1u << 20, &argv, &len, NULL) < 0)
                return NULL;
        for (size_t i = 0; i < len; i += strlen(argv + i) + 1) {
                size_t next = i + strlen(argv + i) + 1;

                if (strcmp(argv + i, option) == 0 && next < len && strncmp(argv + next, prefix, plen) == 0) {
                        value = strdup(argv + next + plen);
                        break;
                }
        }
        free(argv);
        return value;
}
