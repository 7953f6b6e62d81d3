/* atomic_file.c: write beside the target, sync, rename, sync the
 * directory.  Every step works relative to the directory's descriptor,
 * so the file lands in the directory that was checked at open even if
 * the path is renamed meanwhile. */
#include "atomic_file.h"
#include "error.h"
#include "sysroot.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reports are read by collectors running as other users. */
#define REPORT_MODE 0644

static void free_fields(np_atomic_file *af)
{
        /* nothing was opened: do not take a zeroed dir_fd for fd 0 */
        if (!af->path && !af->f)
                return;
        if (af->f)
                fclose(af->f);
        af->f = NULL;
        if (af->dir_fd >= 0)
                close(af->dir_fd);
        af->dir_fd = -1;
        free(af->path);
        free(af->name);
        free(af->tmp_name);
        af->path = af->name = af->tmp_name = NULL;
}

/* A fresh ".NAME.XXXXXX" in af->tmp_name. */
static int new_tmp_name(np_atomic_file *af)
{
        static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
        size_t n = strlen(af->name);
        uint8_t rnd[6];
        char *s;

        if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd)) {
                /* early boot without entropy: uniqueness is all that is
                 * needed, and O_EXCL/linkat refuse a clash anyway */
                uint64_t v = (uint64_t)getpid() * 2654435761u ^ (uint64_t)(uintptr_t)af;

                memcpy(rnd, &v, sizeof(rnd));
        }
        s = malloc(n + 2 + 1 + sizeof(rnd) + 1);
        if (!s)
                return -ENOMEM;
        s[0] = '.';
        memcpy(s + 1, af->name, n);
        s[n + 1] = '.';
        for (size_t i = 0; i < sizeof(rnd); i++)
                s[n + 2 + i] = digits[rnd[i] % (sizeof(digits) - 1)];
        s[n + 2 + sizeof(rnd)] = '\0';
        free(af->tmp_name);
        af->tmp_name = s;
        return 0;
}

/* What is at the target now: 0 nothing or a regular file (replace it),
 * 1 a symbolic link to a regular file, or -NP_ENOTREG for anything else:
 * renaming over a device, a FIFO or a socket would put a regular file
 * where a device was (as root: /dev/null). */
static int check_target(const np_atomic_file *af, const char *path, np_error *err)
{
        struct stat st;
        bool link;

        if (fstatat(af->dir_fd, af->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? 0 : np_err(err, errno, "%s: %s", path, strerror(errno));
        if (S_ISREG(st.st_mode))
                return 0;
        link = S_ISLNK(st.st_mode);
        if (link && fstatat(af->dir_fd, af->name, &st, 0) < 0)
                return np_err(err, errno, "%s: not written: a symbolic link to %s", path,
                              errno == ENOENT ? "nothing" : strerror(errno));
        if (S_ISREG(st.st_mode))
                return 1;
        return np_err(err, NP_ENOTREG, "%s: not written: %s%s, not a regular file (left as it is)", path,
                      link ? "a symbolic link to " : "", np_file_type_name(st.st_mode));
}

/* Split @path into a directory to open and the last component. */
static int split_path(const char *path, char **ret_dir, char **ret_name)
{
        const char *slash = strrchr(path, '/');
        char *dir, *name;

        if (!slash) {
                dir = strdup(".");
                name = strdup(path);
        } else {
                dir = slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
                name = strdup(slash + 1);
        }
        if (!dir || !name) {
                free(dir);
                free(name);
                return -ENOMEM;
        }
        *ret_dir = dir;
        *ret_name = name;
        return 0;
}

int np_atomic_file_open(const char *path, np_atomic_file *ret, np_error *err)
{
        char *dir = NULL;
        int fd = -1, r;

        memset(ret, 0, sizeof(*ret));
        ret->dir_fd = -1;
        if (!path || !*path)
                return np_err(err, EINVAL, "an empty file name");
        ret->path = strdup(path);
        if (!ret->path || split_path(path, &dir, &ret->name) < 0) {
                r = np_err(err, ENOMEM, "out of memory");
                goto fail;
        }
        if (!*ret->name || strcmp(ret->name, ".") == 0 || strcmp(ret->name, "..") == 0) {
                r = np_err(err, EISDIR, "%s: names a directory, not a file", path);
                goto fail;
        }
        ret->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (ret->dir_fd < 0) {
                r = np_err(err, errno, "%s: cannot open its directory %s: %s", path, dir, strerror(errno));
                goto fail;
        }
        r = check_target(ret, path, err);
        if (r < 0)
                goto fail;
        if (r > 0) {
                /* a symbolic link to a regular file: replace that file,
                 * in its own directory, and keep the link */
                char *real = realpath(path, NULL);

                free(dir);
                dir = NULL;
                free(ret->name);
                ret->name = NULL;
                close(ret->dir_fd);
                ret->dir_fd = -1;
                if (!real || split_path(real, &dir, &ret->name) < 0) {
                        r = np_err(err, real ? ENOMEM : errno, "%s: %s", path, strerror(real ? ENOMEM : errno));
                        free(real);
                        goto fail;
                }
                free(real);
                ret->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (ret->dir_fd < 0) {
                        r = np_err(err, errno, "%s: cannot open its directory %s: %s", path, dir, strerror(errno));
                        goto fail;
                }
                r = check_target(ret, path, err);
                if (r != 0) {
                        if (r > 0)
                                r = np_err(err, ELOOP, "%s: not written: the link changed while it was followed", path);
                        goto fail;
                }
        }

        /* An unnamed file needs /proc/self/fd to be given a name later
         * without privileges. */
        if (access("/proc/self/fd", X_OK) == 0) {
                fd = openat(ret->dir_fd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, REPORT_MODE);
                ret->unnamed = fd >= 0;
        }
        for (int tries = 0; fd < 0 && tries < 100; tries++) {
                if (new_tmp_name(ret) < 0) {
                        r = np_err(err, ENOMEM, "out of memory");
                        goto fail;
                }
                fd = openat(ret->dir_fd, ret->tmp_name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, REPORT_MODE);
                if (fd < 0 && errno != EEXIST)
                        break;
        }
        if (fd < 0) {
                int e = errno;

                /* the name, if any, is not ours to remove */
                free(ret->tmp_name);
                ret->tmp_name = NULL;
                errno = e;
                r = np_err(err, errno, "%s: not written: cannot create a file in %s: %s (the previous file is kept)",
                           path, dir, strerror(errno));
                goto fail;
        }
        /* the mode the umask may have narrowed */
        if (fchmod(fd, REPORT_MODE) < 0) {
                r = np_err(err, errno, "%s: %s", path, strerror(errno));
                goto fail;
        }
        ret->f = fdopen(fd, "w");
        if (!ret->f) {
                r = np_err(err, errno, "%s: %s", path, strerror(errno));
                goto fail;
        }
        free(dir);
        return 0;
fail:
        if (fd >= 0 && !ret->f)
                close(fd);
        if (ret->tmp_name)
                unlinkat(ret->dir_fd, ret->tmp_name, 0);
        free_fields(ret);
        free(dir);
        return r;
}

/* Give the unnamed file its temporary name. */
static int link_unnamed(np_atomic_file *af)
{
        char proc[64];

        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fileno(af->f));
        for (int tries = 0; tries < 100; tries++) {
                if (new_tmp_name(af) < 0)
                        return -ENOMEM;
                if (linkat(AT_FDCWD, proc, af->dir_fd, af->tmp_name, AT_SYMLINK_FOLLOW) == 0)
                        return 0;
                if (errno != EEXIST)
                        break;
        }
        free(af->tmp_name);
        af->tmp_name = NULL;
        return -errno;
}

int np_atomic_file_commit(np_atomic_file *af, np_error *err)
{
        int e = 0, r;

        if (!af->f) {
                np_atomic_file_abort(af);
                return np_err(err, EBADF, "the report file was not open");
        }
        if (fflush(af->f) != 0 || ferror(af->f))
                e = errno ? errno : EIO;
        else if (fsync(fileno(af->f)) != 0)
                e = errno;
        if (e) {
                r = np_err(err, e, "%s: not written: %s (the previous file is kept)", af->path, strerror(e));
                np_atomic_file_abort(af);
                return r;
        }
        if (af->before_rename) {
                r = af->before_rename(af->path, af->hook_userdata);
                if (r < 0) {
                        r = np_err(err, -r, "%s: not written: %s (the previous file is kept)", af->path, strerror(-r));
                        np_atomic_file_abort(af);
                        return r;
                }
        }
        /* the target may have been replaced since it was checked */
        r = check_target(af, af->path, err);
        if (r != 0) {
                if (r > 0)
                        r = np_err(err, ELOOP, "%s: not written: it became a symbolic link", af->path);
                np_atomic_file_abort(af);
                return r;
        }
        if (af->unnamed) {
                r = link_unnamed(af);
                if (r < 0) {
                        r = np_err(err, -r, "%s: not written: cannot name the new file: %s (the previous file is kept)",
                                   af->path, strerror(-r));
                        np_atomic_file_abort(af);
                        return r;
                }
        }
        if (renameat(af->dir_fd, af->tmp_name, af->dir_fd, af->name) != 0) {
                e = errno;
                r = np_err(err, e, "%s: not written: %s (the previous file is kept)", af->path, strerror(e));
                np_atomic_file_abort(af);
                return r;
        }
        free(af->tmp_name);
        af->tmp_name = NULL;
        /* the file is in place; the rename itself must reach the disk */
        r = 0;
        if (fsync(af->dir_fd) != 0)
                r = np_err(err, errno, "%s: written, but its directory could not be synced: %s",
                           af->path, strerror(errno));
        if (fclose(af->f) != 0 && r == 0)
                r = np_err(err, errno ? errno : EIO, "%s: %s", af->path, strerror(errno ? errno : EIO));
        af->f = NULL;
        free_fields(af);
        return r;
}

void np_atomic_file_abort(np_atomic_file *af)
{
        if (af->tmp_name && af->dir_fd >= 0)
                unlinkat(af->dir_fd, af->tmp_name, 0);
        free_fields(af);
}

int np_log_file_open(const char *path, np_error *err)
{
        int fd;

        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0640);
        if (fd < 0) {
                int e = errno;

                if (e == ELOOP)
                        return np_err(err, e, "%s: a symbolic link, not followed", path);
                if (e == ENXIO)
                        return np_err(err, NP_ENOTREG, "%s: not a regular file (a FIFO)", path);
                return np_err(err, e, "%s: %s", path, strerror(e));
        }
        return np_fd_regular(fd, path, err);
}
