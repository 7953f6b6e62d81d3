/* cli_libvirt.c: what the front end asks of libvirt, read-only: a running
 * domain's live XML, and the pid libvirt recorded for it. */
#include "cli_libvirt.h"
#include "cli.h"
#include "error.h"
#include "sysroot.h"

#include <ctype.h>
#include <errno.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libvirt prints its own errors to stderr unless told otherwise; numaplace
 * reports them itself in one line. */
static void quiet_errors(void *userdata, virErrorPtr error)
{
        (void)userdata;
        (void)error;
}

static int libvirt_error(np_error *err, const char *what)
{
        virErrorPtr e = virGetLastError();

        return np_err(err, EIO, "%s: %s", what, e && e->message ? e->message : "unknown libvirt error");
}

int np_libvirt_domain_xml(const char *uri, const char *domain, char **ret_xml,
                          np_error *err)
{
        virConnectPtr conn;
        virDomainPtr dom;
        char *xml;
        int active;

        virSetErrorFunc(NULL, quiet_errors);
        conn = virConnectOpenReadOnly(uri);
        if (!conn)
                return libvirt_error(err, uri ? uri : "libvirt");
        dom = virDomainLookupByName(conn, domain);
        if (!dom)
                dom = virDomainLookupByUUIDString(conn, domain);
        if (!dom) {
                virConnectClose(conn);
                return np_err(err, ENOENT, "domain '%s' not found", domain);
        }
        active = virDomainIsActive(dom);
        if (active != 1) {
                virDomainFree(dom);
                virConnectClose(conn);
                return np_err(err, ESRCH, "domain '%s' is not running", domain);
        }
        xml = virDomainGetXMLDesc(dom, 0);
        virDomainFree(dom);
        virConnectClose(conn);
        if (!xml)
                return libvirt_error(err, domain);
        *ret_xml = xml;
        return 0;
}

int np_libvirt_pid(const np_sysroot *root, const char *name, pid_t *ret,
                   np_error *err)
{
        char path[512], *text, *end;
        long v;
        int r;

        snprintf(path, sizeof(path), "/run/libvirt/qemu/%s.pid", name);
        r = np_sysroot_read_string(root, path, &text, err);
        if (r == -ENOENT)
                return np_err(err, ENOENT, "%s: no such file: is domain '%s' running under qemu:///system? (give --pid)",
                              path, name);
        if (r < 0)
                return r;
        errno = 0;
        v = strtol(text, &end, 10);
        if (!isdigit((unsigned char)text[0]) || *end || errno || v <= 0 || v > 0x7fffffff) {
                r = np_err(err, EINVAL, "%s: expected a pid, found '%.20s'", path, text);
                free(text);
                return r;
        }
        free(text);
        *ret = (pid_t)v;
        return 0;
}
