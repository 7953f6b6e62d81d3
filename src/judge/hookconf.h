/* hookconf.h: the libvirt hook's configuration file.
 *
 * A small keyfile (NP_SYSCONFDIR/numaplace/numaplace.conf): `key = value`
 * lines, `#` and `;` comment lines, and at most one `[numaplace]` section
 * header.  libvirt runs its hooks with an emptied environment, so the file
 * is the only way to configure the hook; a mistake in it is reported with
 * the file and line, never silently guessed around. */
#pragma once

#include "check.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct np_error;

#define NP_HOOKCONF_PATH NP_SYSCONFDIR "/numaplace/numaplace.conf"
#define NP_HOOKCONF_MAX (64u << 10)   /* larger files are refused */
#define NP_HOOK_TIMEOUT_MS_DEFAULT 5000u
#define NP_HOOK_TIMEOUT_MS_MAX 600000u

typedef enum np_hook_mode {
        NP_HOOK_MODE_OFF,     /* do nothing */
        NP_HOOK_MODE_WARN,    /* check and log, never refuse */
        NP_HOOK_MODE_ENFORCE, /* refuse what the check finds wrong */
        NP_HOOK_MODE__COUNT,
} np_hook_mode;

typedef enum np_require_binding {
        NP_REQUIRE_BINDING_NO,
        NP_REQUIRE_BINDING_MULTI_NODE, /* only on hosts with several nodes */
        NP_REQUIRE_BINDING_ALWAYS,
        NP_REQUIRE_BINDING__COUNT,
} np_require_binding;

typedef struct np_hookconf {
        np_hook_mode mode;
        bool preferred_is_violation;   /* preferred = violation */
        np_device_policy device_policy; /* device_policy = required|preferred|legacy */
        np_require_binding require_binding;
        bool unverified_refuse;        /* unverified = refuse */
        unsigned timeout_ms;
        bool on_error_refuse;          /* on_error = refuse */
        char *log_json;                /* absolute path, or NULL */
        unsigned sample_pages;         /* sample = N|auto|off (sample.h) */
        uint64_t sample_above_kib;
        char *sysroot;                 /* testing aid: read /proc, /sys and
                                        * /run below this directory; NULL
                                        * means "/" */
} np_hookconf;

/* Fill @conf with the defaults: mode warn, preferred warning,
 * device_policy preferred,
 * require_binding multi-node, unverified allow, timeout_ms 5000,
 * on_error allow, no JSON log, sample auto, sysroot "/".  Cannot fail. */
void np_hookconf_init(np_hookconf *conf);

/* Parse a configuration text held in memory over the values already in
 * @conf.  @filename is only used in messages.  All or nothing: on error
 * @conf is left as it was and -EINVAL comes back with "FILE:LINE: ..." in
 * @err (unknown keys, bad values, a key given twice, a section other than
 * [numaplace]).  Returns 0 or -EINVAL or -ENOMEM. */
int np_hookconf_parse(const char *text, size_t len, const char *filename,
                      np_hookconf *conf, struct np_error *err);

/* Read and parse the file at @path.  A missing file is not an error: it
 * returns -ENOENT with @conf untouched, so the caller can keep the
 * defaults.  Other errors are -errno with @err naming the file. */
int np_hookconf_read(const char *path, np_hookconf *conf,
                     struct np_error *err);

/* Free what @conf owns (not @conf itself); safe on an initialised or a
 * zeroed record. */
void np_hookconf_done(np_hookconf *conf);

/* "off", "warn", "enforce". */
const char *np_hook_mode_to_string(np_hook_mode mode);

/* Parse a mode word.  Returns 0 or -EINVAL; reports nothing. */
int np_hook_mode_from_string(const char *s, np_hook_mode *ret);

/* "no", "multi-node", "always". */
const char *np_require_binding_to_string(np_require_binding r);
