/* libvirt_run.c: libvirt's run files for a domain: its pid and status XML. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "intent.h"
#include "libvirt_run.h"
#include "number.h"
#include "sysroot.h"

/* A pid file is a number; anything much longer is not one. */
#define PID_FILE_MAX 64

int np_libvirt_run_pid(const np_sysroot *root, const char *name, pid_t *ret,
                       np_error *err)
{
        char path[PATH_MAX], shown[PATH_MAX], quoted[64], *text;
        size_t len;
        pid_t pid;
        int r;

        snprintf(path, sizeof(path), "/run/libvirt/qemu/%s.pid", name);
        r = np_sysroot_read_file(root, path, PID_FILE_MAX, &text, &len, err);
        if (r == -EFBIG)
                return np_err(err, EINVAL, "%s: expected a pid, found more than %d bytes",
                              np_sysroot_display(root, path, shown, sizeof(shown)), PID_FILE_MAX);
        if (r < 0)
                return r;
        /* a NUL inside would hide what follows it from the parser */
        if (strlen(text) != len || np_parse_pid(text, &pid) < 0) {
                r = np_err(err, EINVAL, "%s: expected a pid, found '%s'",
                           np_sysroot_display(root, path, shown, sizeof(shown)),
                           np_excerpt(text, 40, quoted, sizeof(quoted)));
                free(text);
                return r;
        }
        free(text);
        *ret = pid;
        return 0;
}

int np_libvirt_run_apply_status(const np_sysroot *root, const char *name,
                                np_intent *intent, np_error *err)
{
        char path[PATH_MAX], *buf = NULL;
        size_t len = 0;
        int r;

        /* a region is auto only when the whole domain is (intent_domxml.c) */
        if (!intent->placement_auto)
                return 0;
        snprintf(path, sizeof(path), "/run/libvirt/qemu/%s.xml", name);
        r = np_sysroot_read_file(root, path, NP_DOMXML_MAX, &buf, &len, err);
        if (r < 0)
                return r;
        r = np_intent_apply_status(intent, buf, len, path, err);
        free(buf);
        return r < 0 ? r : 1;
}
