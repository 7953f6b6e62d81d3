/* sysroot.c: the path context for /proc, /sys and /run reads. */
#include "sysroot.h"
#include "error.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int np_sysroot_open(const char *path, np_sysroot **ret, np_error *err)
{
        np_sysroot *root;
        char real[PATH_MAX];

        if (!path || !*path)
                path = "/";
        root = calloc(1, sizeof(*root));
        if (!root)
                return np_err(err, ENOMEM, "out of memory");
        root->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (root->fd < 0) {
                int e = errno;

                free(root);
                return np_err(err, e, "sysroot '%s': %s", path, strerror(e));
        }
        root->path = strdup(path);
        if (!root->path) {
                np_sysroot_free(root);
                return np_err(err, ENOMEM, "out of memory");
        }
        root->live = realpath(path, real) && strcmp(real, "/") == 0;
        *ret = root;
        return 0;
}

void np_sysroot_free(np_sysroot *root)
{
        if (!root)
                return;
        if (root->fd >= 0)
                close(root->fd);
        free(root->path);
        free(root);
}

int np_sysroot_openat(const np_sysroot *root, const char *path, int flags)
{
        int fd;

        while (*path == '/')
                path++;
        if (!*path)
                path = ".";
        fd = openat(root->fd, path, flags | O_CLOEXEC);
        return fd < 0 ? -errno : fd;
}

FILE *np_sysroot_fopen(const np_sysroot *root, const char *path)
{
        int fd = np_sysroot_openat(root, path, O_RDONLY);
        FILE *f;

        if (fd < 0) {
                errno = -fd;
                return NULL;
        }
        f = fdopen(fd, "re");
        if (!f) {
                int e = errno;

                close(fd);
                errno = e;
        }
        return f;
}

const char *np_sysroot_display(const np_sysroot *root, const char *path,
                               char *buf, size_t len)
{
        size_t n = strlen(root->path);

        if (root->live) {
                snprintf(buf, len, "%s", path);
                return buf;
        }
        while (n > 1 && root->path[n - 1] == '/')
                n--;
        snprintf(buf, len, "%.*s%s%s", (int)n, root->path,
                 path[0] == '/' ? "" : "/", path);
        return buf;
}

int np_fd_read_all(int fd, const char *name, size_t max, char **ret, size_t *ret_len,
                   np_error *err)
{
        size_t cap = 4096, len = 0;
        char *buf = malloc(cap);

        if (!buf)
                return np_err(err, ENOMEM, "out of memory");
        for (;;) {
                ssize_t n;

                if (len + 1 >= cap) {
                        char *nb;

                        if (cap > max + 1) {
                                free(buf);
                                return np_err(err, EFBIG, "%s: larger than %zu bytes", name, max);
                        }
                        cap *= 2;
                        nb = realloc(buf, cap);
                        if (!nb) {
                                free(buf);
                                return np_err(err, ENOMEM, "out of memory");
                        }
                        buf = nb;
                }
                n = read(fd, buf + len, cap - len - 1);
                if (n < 0) {
                        int e = errno;

                        if (e == EINTR)
                                continue;
                        free(buf);
                        return np_err(err, e, "%s: %s", name, strerror(e));
                }
                if (n == 0)
                        break;
                len += (size_t)n;
        }
        if (len > max) {
                free(buf);
                return np_err(err, EFBIG, "%s: larger than %zu bytes", name, max);
        }
        buf[len] = '\0';
        *ret = buf;
        if (ret_len)
                *ret_len = len;
        return 0;
}

int np_file_read(const char *path, size_t max, char **ret, size_t *ret_len, np_error *err)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        int r;

        if (fd < 0)
                return np_err(err, errno, "%s: %s", path, strerror(errno));
        r = np_fd_read_all(fd, path, max, ret, ret_len, err);
        close(fd);
        return r;
}

int np_sysroot_read_file(const np_sysroot *root, const char *path, size_t max,
                         char **ret, size_t *ret_len, np_error *err)
{
        char shown[PATH_MAX];
        /* live, the path is its own name: no formatting on every read */
        const char *name = root->live ? path : np_sysroot_display(root, path, shown, sizeof(shown));
        int fd, r;

        fd = np_sysroot_openat(root, path, O_RDONLY);
        if (fd < 0)
                return np_err(err, -fd, "%s: %s", name, strerror(-fd));
        r = np_fd_read_all(fd, name, max, ret, ret_len, err);
        close(fd);
        return r;
}

int np_sysroot_read_string(const np_sysroot *root, const char *path,
                           char **ret, np_error *err)
{
        size_t len;
        char *s;
        int r;

        r = np_sysroot_read_file(root, path, 1 << 20, &s, &len, err);
        if (r < 0)
                return r;
        while (len && isspace((unsigned char)s[len - 1]))
                s[--len] = '\0';
        *ret = s;
        return 0;
}

int np_sysroot_read_u64(const np_sysroot *root, const char *path,
                        uint64_t *ret, np_error *err)
{
        char shown[PATH_MAX];
        unsigned long long v;
        char *s, *end;
        int r;

        r = np_sysroot_read_string(root, path, &s, err);
        if (r < 0)
                return r;
        errno = 0;
        v = strtoull(s, &end, 10);
        if (!isdigit((unsigned char)s[0]) || *end || errno) {
                r = np_err(err, EINVAL, "%s: expected a number, found '%.40s'",
                           np_sysroot_display(root, path, shown, sizeof(shown)), s);
                free(s);
                return r;
        }
        free(s);
        *ret = v;
        return 0;
}

bool np_sysroot_exists(const np_sysroot *root, const char *path)
{
        struct stat st;

        while (*path == '/')
                path++;
        return fstatat(root->fd, *path ? path : ".", &st, 0) == 0;
}
