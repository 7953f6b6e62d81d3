/* qemu_cmdline.c: reading a QEMU process's command line, with the
 * -readconfig files it names, from /proc below a root; the parsing is
 * qemu_argv.c's and qemu_readconfig.c's. */
#include "qemu_cmdline.h"
#include "error.h"
#include "process.h"
#include "sysroot.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#define CMDLINE_MAX (4u << 20)
#define READCONFIG_MAX (1u << 20)

typedef struct readconfig_ctx {
        const np_sysroot *root;
        pid_t pid;
} readconfig_ctx;

/* A -readconfig file as the process sees it: relative names from its
 * working directory. */
static int read_config_file(const char *path, char **ret, size_t *ret_len, void *userdata)
{
        const readconfig_ctx *c = userdata;
        char full[PATH_MAX];
        np_error ignored;

        if (path[0] == '/')
                snprintf(full, sizeof(full), "%s", path);
        else if ((size_t)snprintf(full, sizeof(full), "/proc/%d/cwd/%s", (int)c->pid, path) >= sizeof(full))
                return -ENAMETOOLONG;
        return np_sysroot_read_file(c->root, full, READCONFIG_MAX, ret, ret_len, &ignored);
}

int np_qemu_cmdline_read(const np_sysroot *root, pid_t pid, np_qemu_cmdline **ret,
                         np_error *err)
{
        readconfig_ctx ctx = { .root = root, .pid = pid };
        char path[64], shown[PATH_MAX], *buf;
        np_error sub;
        size_t len;
        int r;

        snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
        np_sysroot_display(root, path, shown, sizeof(shown));
        r = np_sysroot_read_file(root, path, CMDLINE_MAX, &buf, &len, &sub);
        if (r == -ENOENT || r == -ESRCH) {
                if (np_process_is_gone(root, pid))
                        return np_err(err, ESRCH, "process %d is not running", (int)pid);
        }
        if (r < 0) {
                if (err)
                        *err = sub;
                return r;
        }
        if (len == 0) {
                /* zombies and kernel threads show an empty command line */
                free(buf);
                if (np_process_is_gone(root, pid))
                        return np_err(err, ESRCH, "process %d is not running", (int)pid);
                return np_err(err, ESRCH, "%s: empty: process %d is a kernel thread or no QEMU", shown, (int)pid);
        }
        r = np_qemu_cmdline_parse_full(buf, len, read_config_file, &ctx, ret, err);
        free(buf);
        if (r < 0)
                return np_err_prefix(err, -r, "%s", shown);
        return 0;
}
