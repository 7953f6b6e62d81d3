/* libvirt_run.c: libvirt's run files for a domain: its pid and status XML. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "error.h"
#include "intent.h"
#include "libvirt_run.h"
#include "number.h"
#include "sysroot.h"

const char *np_libvirt_run_file(const char *name, const char *suffix, char *buf, size_t len)
{
        snprintf(buf, len, NP_LIBVIRT_RUN_DIR "/%s%s", name, suffix);
        return buf;
}

static int parse_pid(const char *text, void *ret)
{
        return np_parse_pid(text, ret);
}

int np_libvirt_run_pid(const np_sysroot *root, const char *name, pid_t *ret,
                       np_error *err)
{
        char path[PATH_MAX];

        return np_sysroot_read_value(root, np_libvirt_run_file(name, ".pid", path, sizeof(path)), "a pid",
                                     parse_pid, ret, err);
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
        np_libvirt_run_file(name, ".xml", path, sizeof(path));
        r = np_sysroot_read_file(root, path, NP_DOMXML_MAX, &buf, &len, err);
        if (r < 0)
                return r;
        r = np_intent_apply_status(intent, buf, len, path, err);
        free(buf);
        return r < 0 ? r : 1;
}
