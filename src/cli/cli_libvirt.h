/* cli_libvirt.h: read-only libvirt access for the front end. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct np_error;
struct np_sysroot;

/* The live XML of running domain @domain (name or UUID) through a
 * read-only connection to @uri (NULL: libvirt's default).  The caller
 * frees *ret_xml.  -ENOENT unknown domain, -ESRCH not running, -EIO
 * libvirt error; @err says which. */
int np_libvirt_domain_xml(const char *uri, const char *domain, char **ret_xml,
                          struct np_error *err);

typedef struct np_libvirt_domain {
        char *name;
        char *xml;   /* live XML; NULL when it could not be had */
        bool autostart; /* np_libvirt_defined_domains() only */
} np_libvirt_domain;

/* Every running domain and its live XML, through a read-only connection.
 * The caller frees each name and xml, then the array. */
int np_libvirt_running_domains(const char *uri, np_libvirt_domain **ret, size_t *ret_n,
                               struct np_error *err);

/* Every defined domain, running or not, with its persistent (inactive)
 * XML and whether libvirt starts it at boot, through a read-only
 * connection.  Freed like np_libvirt_running_domains()'s list. */
int np_libvirt_defined_domains(const char *uri, np_libvirt_domain **ret, size_t *ret_n,
                               struct np_error *err);

/* np_libvirt_run_pid(), and when there is no pid file, a message that
 * says what to do about it. */
int np_libvirt_pid(const struct np_sysroot *root, const char *name,
                   pid_t *ret, struct np_error *err);
