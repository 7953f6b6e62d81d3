/* sysroot.h: every read of /proc, /sys and /run goes through one root.
 *
 * The root directory is opened once; each read is an openat() relative to
 * it, so a captured tree replays a machine exactly and tests never depend
 * on the host they run on.  A root of "/" is "live": only then do things
 * that cannot come from a dump (the libvirt API, hwloc's own probing of
 * the running system) apply. */
#pragma once

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct np_error;

/* Told of every path a reader opened or found to exist below the root
 * (@directory: it was opened or found as a directory), so that a capture
 * can write exactly what a check reads. */
typedef void (*np_sysroot_recorder)(const char *path, bool directory, void *userdata);

typedef struct np_sysroot {
        int fd;
        char *path;
        bool live;
        np_sysroot_recorder record;  /* NULL unless capturing */
        void *record_userdata;
} np_sysroot;

/* Open @path (NULL means "/") as the root.  Returns 0 or -errno with @err
 * naming the directory. */
int np_sysroot_open(const char *path, np_sysroot **ret, struct np_error *err);
void np_sysroot_free(np_sysroot *root);

/* Open an absolute path ("/proc/1/maps") below the root.  Returns an fd
 * (O_CLOEXEC) or -errno.  The one way every reader gets at a file:
 *   - unless @flags has O_DIRECTORY or O_PATH, the open is O_NONBLOCK and
 *     anything but a regular file (procfs and sysfs entries are regular)
 *     is -NP_ENOTREG, so a FIFO or a device can neither block nor feed
 *     an endless stream;
 *   - a replayed root is a jail: the path is resolved beneath it
 *     (openat2 RESOLVE_BENEATH|RESOLVE_NO_MAGICLINKS, or the walk below
 *     where the kernel lacks it); a symbolic link leading out is -EXDEV.
 *     A live root ("/") is the machine itself and is not confined.
 * np_strerror() words both codes for messages. */
int np_sysroot_openat(const np_sysroot *root, const char *path, int flags);

/* The jail without openat2(): open @path relative to @root_fd one
 * component at a time, following symbolic links by hand and refusing
 * (-EXDEV) those that are absolute or climb above @root_fd.  Returns an
 * fd or -errno.  Exposed so that tests run it on kernels with openat2. */
int np_sysroot_walk_beneath(int root_fd, const char *path, int flags);

/* fopen() for reading below the root; NULL with errno set on failure. */
FILE *np_sysroot_fopen(const np_sysroot *root, const char *path);

/* Read a whole file of at most @max bytes into a NUL-terminated buffer
 * (the caller frees).  -EFBIG when it is larger, -errno on other errors;
 * @err names the file as the root shows it. */
int np_sysroot_read_file(const np_sysroot *root, const char *path, size_t max,
                         char **ret, size_t *ret_len, struct np_error *err);

/* Read what is left of @fd, at most @max bytes, into a NUL-terminated
 * buffer (the caller frees); @fd stays open.  -EFBIG when there is more,
 * -errno on other errors, with @err naming the file as @name. */
int np_fd_read_all(int fd, const char *name, size_t max, char **ret, size_t *ret_len,
                   struct np_error *err);

/* Open a file the user named (relative to the working directory, not
 * below any root) for reading: O_NONBLOCK, and anything but a regular
 * file is -NP_ENOTREG with @err naming it and its kind.  @flags adds
 * to O_RDONLY (O_NOFOLLOW: a symbolic link is refused).  Returns an fd
 * or -errno. */
int np_file_open(const char *path, int flags, struct np_error *err);

/* @fd (opened from @path) when it is a regular file; else close it and
 * return -errno (-NP_ENOTREG naming its kind) with @err naming @path. */
int np_fd_regular(int fd, const char *path, struct np_error *err);

/* "a FIFO", "a character device"...: the kind of file a st_mode is. */
const char *np_file_type_name(unsigned mode);

/* The same for a file the user named (relative to the working
 * directory, not below any root): a domain XML, a config. */
int np_file_read(const char *path, size_t max, char **ret, size_t *ret_len,
                 struct np_error *err);

/* Read a small file and strip trailing white space.  Same returns. */
int np_sysroot_read_string(const np_sysroot *root, const char *path,
                           char **ret, struct np_error *err);

/* Read a small file holding one value: its text, trailing white space
 * stripped, goes to @parse (which fills @ret and returns 0, or < 0).
 * -EINVAL with "FILE: expected @what, found '...'" when it refuses. */
int np_sysroot_read_value(const np_sysroot *root, const char *path, const char *what,
                          int (*parse)(const char *text, void *ret), void *ret,
                          struct np_error *err);

/* Read a file holding one unsigned decimal.  -EINVAL when it holds
 * anything else. */
int np_sysroot_read_u64(const np_sysroot *root, const char *path,
                        uint64_t *ret, struct np_error *err);

/* Open a directory below the root for readdir(); NULL with errno set
 * (as np_sysroot_openat() would return it) on failure. */
DIR *np_sysroot_opendir(const np_sysroot *root, const char *path);

/* Whether a path exists below the root. */
bool np_sysroot_exists(const np_sysroot *root, const char *path);

/* The path as it is on the real filesystem, for messages ("DIR/proc/1/maps"
 * for a replayed root, "/proc/1/maps" when live), written into @buf. */
const char *np_sysroot_display(const np_sysroot *root, const char *path,
                               char *buf, size_t len);
