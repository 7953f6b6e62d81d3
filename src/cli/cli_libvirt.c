/* cli_libvirt.c: what the front end asks of libvirt, read-only: a running
 * domain's live XML, and the pid libvirt recorded for it.
 *
 * libvirt is opened with dlopen() when a DOMAIN is named, not linked:
 * linking it pulls some sixty shared libraries into every run, which cost
 * about 40 ms before main() even on `check --xml --pid`, three times the
 * kernel's own page walk for a mid-sized guest. */
#include "cli_libvirt.h"
#include "cli.h"
#include "error.h"
#include "libvirt_run.h"
#include "sysroot.h"

#include <limits.h>
#include <dlfcn.h>
#include <errno.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
        void *handle;
        __typeof__(virConnectOpenReadOnly) *open_read_only;
        __typeof__(virConnectClose) *close;
        __typeof__(virDomainLookupByName) *lookup_by_name;
        __typeof__(virDomainLookupByUUIDString) *lookup_by_uuid;
        __typeof__(virDomainIsActive) *is_active;
        __typeof__(virDomainGetXMLDesc) *get_xml;
        __typeof__(virDomainFree) *free_domain;
        __typeof__(virGetLastError) *last_error;
        __typeof__(virSetErrorFunc) *set_error_func;
        __typeof__(virConnectListAllDomains) *list_all;
        __typeof__(virDomainGetName) *get_name;
        __typeof__(virDomainGetAutostart) *get_autostart;
} lv;

static int load_libvirt(np_error *err)
{
        if (lv.handle)
                return 0;
        lv.handle = dlopen("libvirt.so.0", RTLD_NOW | RTLD_LOCAL);
        if (!lv.handle)
                return np_err(err, ENOENT, "cannot load libvirt (libvirt.so.0): %s; install libvirt0 or give --xml and --pid",
                              dlerror());
#define SYM(field, name) \
        if (!(*(void **)&lv.field = dlsym(lv.handle, name))) \
                return np_err(err, ENOENT, "libvirt.so.0 lacks %s", name)
        SYM(open_read_only, "virConnectOpenReadOnly");
        SYM(close, "virConnectClose");
        SYM(lookup_by_name, "virDomainLookupByName");
        SYM(lookup_by_uuid, "virDomainLookupByUUIDString");
        SYM(is_active, "virDomainIsActive");
        SYM(get_xml, "virDomainGetXMLDesc");
        SYM(free_domain, "virDomainFree");
        SYM(last_error, "virGetLastError");
        SYM(set_error_func, "virSetErrorFunc");
        SYM(list_all, "virConnectListAllDomains");
        SYM(get_name, "virDomainGetName");
        SYM(get_autostart, "virDomainGetAutostart");
#undef SYM
        return 0;
}

/* libvirt prints its own errors to stderr unless told otherwise; numaplace
 * reports them itself in one line. */
static void quiet_errors(void *userdata, virErrorPtr error)
{
        (void)userdata;
        (void)error;
}

static int libvirt_error(np_error *err, const char *what)
{
        virErrorPtr e = lv.last_error();

        return np_err(err, EIO, "%s: %s", what, e && e->message ? e->message : "unknown libvirt error");
}

/* A read-only connection to @uri (NULL: libvirt's default), libvirt's
 * own error printing silenced. */
static int connect_read_only(const char *uri, virConnectPtr *ret, np_error *err)
{
        int r = load_libvirt(err);

        if (r < 0)
                return r;
        lv.set_error_func(NULL, quiet_errors);
        *ret = lv.open_read_only(uri);
        if (!*ret)
                return libvirt_error(err, uri ? uri : "libvirt");
        return 0;
}

int np_libvirt_domain_xml(const char *uri, const char *domain, char **ret_xml,
                          np_error *err)
{
        virConnectPtr conn;
        virDomainPtr dom;
        char *xml;
        int active;
        int r = connect_read_only(uri, &conn, err);

        if (r < 0)
                return r;
        dom = lv.lookup_by_name(conn, domain);
        if (!dom)
                dom = lv.lookup_by_uuid(conn, domain);
        if (!dom) {
                lv.close(conn);
                return np_err(err, ENOENT, "domain '%s' not found", domain);
        }
        active = lv.is_active(dom);
        if (active != 1) {
                lv.free_domain(dom);
                lv.close(conn);
                return np_err(err, ESRCH, "domain '%s' is not running", domain);
        }
        xml = lv.get_xml(dom, 0);
        lv.free_domain(dom);
        lv.close(conn);
        if (!xml)
                return libvirt_error(err, domain);
        *ret_xml = xml;
        return 0;
}

/* The domains that @flags select, each with its XML as @xml_flags gives
 * it; @defined also reads the autostart flag. */
static int list_domains(const char *uri, unsigned flags, unsigned xml_flags,
                        bool defined, np_libvirt_domain **ret, size_t *ret_n,
                        np_error *err)
{
        virConnectPtr conn;
        virDomainPtr *doms = NULL;
        np_libvirt_domain *list;
        int n, r = connect_read_only(uri, &conn, err);

        if (r < 0)
                return r;
        n = lv.list_all(conn, &doms, flags);
        if (n < 0) {
                r = libvirt_error(err, uri ? uri : "libvirt");
                lv.close(conn);
                return r;
        }
        list = calloc((size_t)n + 1, sizeof(*list));
        for (int i = 0; i < n; i++) {
                const char *name = lv.get_name(doms[i]);
                int autostart = 0;

                if (list) {
                        list[i].name = strdup(name ? name : "");
                        /* a running domain that stopped meanwhile has no
                         * XML: the scan reports it as not checked */
                        list[i].xml = lv.get_xml(doms[i], xml_flags);
                        if (defined)
                                list[i].autostart = lv.get_autostart(doms[i], &autostart) == 0 && autostart;
                }
                lv.free_domain(doms[i]);
        }
        free(doms);
        lv.close(conn);
        if (!list)
                return np_err(err, ENOMEM, "out of memory");
        *ret = list;
        *ret_n = (size_t)n;
        return 0;
}

int np_libvirt_running_domains(const char *uri, np_libvirt_domain **ret, size_t *ret_n,
                               np_error *err)
{
        return list_domains(uri, VIR_CONNECT_LIST_DOMAINS_ACTIVE, 0, false, ret, ret_n, err);
}

int np_libvirt_defined_domains(const char *uri, np_libvirt_domain **ret, size_t *ret_n,
                               np_error *err)
{
        /* the inactive XML: what the domain will be when it next starts */
        return list_domains(uri, VIR_CONNECT_LIST_DOMAINS_PERSISTENT, VIR_DOMAIN_XML_INACTIVE,
                            true, ret, ret_n, err);
}

int np_libvirt_pid(const np_sysroot *root, const char *name, pid_t *ret,
                   np_error *err)
{
        char shown[PATH_MAX], path[PATH_MAX];
        int r = np_libvirt_run_pid(root, name, ret, err);

        if (r != -ENOENT)
                return r;
        np_libvirt_run_file(name, ".pid", path, sizeof(path));
        return np_err(err, ENOENT, "%s: no such file: is domain '%s' running under qemu:///system? (give --pid)",
                      np_sysroot_display(root, path, shown, sizeof(shown)), name);
}
