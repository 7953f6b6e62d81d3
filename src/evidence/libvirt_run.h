/* libvirt_run.h: the files libvirt's QEMU driver keeps for a running
 * domain in /run/libvirt/qemu, read below a sysroot.
 *
 * NAME.pid holds the QEMU pid (present from `started` on, stale after
 * `stopped`); NAME.xml is the status XML, the only place that says which
 * nodes numad chose for placement='auto'.  No libvirt linkage: the hook
 * reads them too, and must not call back into libvirt. */
#pragma once

#include <stddef.h>
#include <sys/types.h>

/* Where libvirt's QEMU driver keeps them. */
#define NP_LIBVIRT_RUN_DIR "/run/libvirt/qemu"

struct np_error;
struct np_intent;
struct np_sysroot;

/* NP_LIBVIRT_RUN_DIR/@name@suffix (".pid", ".xml") into @buf. */
const char *np_libvirt_run_file(const char *name, const char *suffix, char *buf, size_t len);

/* The pid in /run/libvirt/qemu/@name.pid below @root: decimal digits,
 * 1 to INT_MAX, trailing white space ignored.  Returns 0, -ENOENT when
 * there is no such file, -EINVAL when it holds anything else, or another
 * -errno; @err names the file as the root shows it.  *@ret is set only
 * on success. */
int np_libvirt_run_pid(const struct np_sysroot *root, const char *name,
                       pid_t *ret, struct np_error *err);

/* numad's nodeset for a placement='auto' @intent, from the status XML
 * /run/libvirt/qemu/@name.xml below @root, applied with
 * np_intent_apply_status().  Returns 1 when it was applied, 0 when the
 * intent does not need it (static placement), -ENOENT when there is no
 * status XML, or another -errno (unreadable, malformed); @err says
 * which. */
int np_libvirt_run_apply_status(const struct np_sysroot *root, const char *name,
                                struct np_intent *intent, struct np_error *err);
