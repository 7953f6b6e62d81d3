/* cli_target.h: the VM a command acts on, named the way `check` names
 * it: a libvirt DOMAIN, or --xml FILE with --pid PID (or the pid file
 * libvirt keeps for the XML's <name>), read through a sysroot. */
#pragma once

#include "sysroot.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct np_error;
struct np_intent;

typedef struct np_target_args {
        const char *uri;         /* -c */
        const char *xml;         /* -x, "-" for standard input */
        const char *status_xml;  /* --status-xml */
        const char *sysroot;     /* --sysroot */
        const char *domain;      /* the operand */
        pid_t pid;               /* -p, 0 when not given */
        np_sysroot_recorder record; /* set on the root before the first read */
        void *record_userdata;
} np_target_args;

typedef struct np_target {
        np_sysroot *root;
        struct np_intent *intent;
        char *xml;               /* the domain XML text as read (libvirt's form has no secrets) */
        size_t xml_len;
        pid_t pid;
} np_target;

/* The long options np_target_option() takes, for getopt_long(); their
 * short forms are "c:x:p:". */
enum { NP_TARGET_OPT_SYSROOT = 0x180, NP_TARGET_OPT_STATUS_XML };
#define NP_TARGET_LONGOPTS \
        { "connect", required_argument, NULL, 'c' }, \
        { "xml", required_argument, NULL, 'x' }, \
        { "pid", required_argument, NULL, 'p' }, \
        { "status-xml", required_argument, NULL, NP_TARGET_OPT_STATUS_XML }, \
        { "sysroot", required_argument, NULL, NP_TARGET_OPT_SYSROOT }

/* Take getopt's @c into @a when it is one of the target options.
 * Returns 1 when taken, 0 when not one of them, -1 after printing an
 * error line for a bad value. */
int np_target_option(np_target_args *a, int c, const char *arg);

/* Take the operands left after getopt: at most one DOMAIN, and either it
 * or --xml.  Prints an error line and returns -1 when they do not fit. */
int np_target_operands(np_target_args *a, const char *command, int argc, char **argv, int optind_);

/* Open the root, read and complete the intent, find the pid.  Returns 0
 * or -errno with @err; @ret is cleared either way first. */
int np_target_load(const np_target_args *a, np_target *ret, struct np_error *err);

void np_target_clear(np_target *target);
