/* sysroot.c: the path context for /proc, /sys and /run reads. */
#include "sysroot.h"
#include "array.h"
#include "number.h"
#include "error.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
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

/* The jail for a replayed root, where the kernel lacks openat2(): walk
 * @path one component at a time with O_NOFOLLOW, following symbolic
 * links by hand.  An absolute link, or a ".." above the root, is -EXDEV.
 * The same rules as RESOLVE_BENEATH; magic links (/proc/PID/exe) are
 * symbolic links to the walk, so they resolve like any other or fail. */
/* Where np_sysroot_walk_beneath() is: @cur is the directory reached by
 * the components in @done (joined by '/'); @todo is what is left, with
 * the symbolic links met so far spliced in. */
typedef struct walk {
        int root_fd;
        int cur;
        char done[PATH_MAX];
        size_t done_len;
        char todo[PATH_MAX * 2];
        int links;
} walk;

/* Take the next component off @todo into @comp.  Returns its length (0:
 * none is left, the path named a directory), or -ENAMETOOLONG. */
static int take_component(walk *w, char comp[NAME_MAX + 1])
{
        const char *p = w->todo, *rest;
        size_t n;

        while (*p == '/')
                p++;
        n = strcspn(p, "/");
        rest = p + n;
        while (*rest == '/')
                rest++;
        if (n > NAME_MAX)
                return -ENAMETOOLONG;
        memcpy(comp, p, n);
        comp[n] = '\0';
        memmove(w->todo, rest, strlen(rest) + 1);
        return (int)n;
}

/* "..": back to the parent of @done, by walking down to it again (every
 * component of @done is a directory, no link); above the root is
 * -EXDEV. */
static int walk_up(walk *w)
{
        char *slash;

        if (w->done_len == 0)
                return -EXDEV;
        slash = strrchr(w->done, '/');
        w->done_len = slash ? (size_t)(slash - w->done) : 0;
        w->done[w->done_len] = '\0';
        close(w->cur);
        w->cur = np_sysroot_walk_beneath(w->root_fd, w->done_len ? w->done : ".", O_PATH | O_DIRECTORY);
        if (w->cur < 0)
                return w->cur;
        if (!*w->todo)
                strcpy(w->todo, ".");
        return 1;
}

/* A symbolic link (@fd, closed here): todo = its target "/" todo.  An
 * absolute target leads out of the root: -EXDEV. */
static int splice_link(walk *w, int fd)
{
        char target[PATH_MAX];
        ssize_t tl = readlinkat(fd, "", target, sizeof(target) - 1);
        int e = errno;

        close(fd);
        if (tl < 0)
                return -e;
        if (++w->links > 40)
                return -ELOOP;
        target[tl] = '\0';
        if (target[0] == '/')
                return -EXDEV;
        if ((size_t)tl + 1 + strlen(w->todo) + 1 > sizeof(w->todo))
                return -ENAMETOOLONG;
        memmove(w->todo + tl + 1, w->todo, strlen(w->todo) + 1);
        memcpy(w->todo, target, (size_t)tl);
        w->todo[tl] = '/';
        return 1;
}

/* Into the directory @fd, component @comp of @n bytes. */
static int walk_down(walk *w, int fd, const char *comp, size_t n)
{
        close(w->cur);
        w->cur = fd;
        if (w->done_len + 1 + n + 1 > sizeof(w->done))
                return -ENAMETOOLONG;
        if (w->done_len)
                w->done[w->done_len++] = '/';
        memcpy(w->done + w->done_len, comp, n + 1);
        w->done_len += n;
        return 1;
}

static int open_at(int dir_fd, const char *name, int flags, int *ret)
{
        int fd = openat(dir_fd, name, flags | O_CLOEXEC);

        if (fd < 0)
                return -errno;
        *ret = fd;
        return 0;
}

/* Resolve one component.  Returns 1 to go on, 0 with the file opened
 * with @flags in *@ret, or -errno. */
static int walk_step(walk *w, int flags, int *ret)
{
        char comp[NAME_MAX + 1];
        struct stat st;
        int n = take_component(w, comp), fd;

        if (n < 0)
                return n;
        if (n == 0 || (strcmp(comp, ".") == 0 && !*w->todo))
                return open_at(w->cur, ".", flags, ret);
        if (strcmp(comp, ".") == 0)
                return 1;
        if (strcmp(comp, "..") == 0)
                return walk_up(w);
        fd = openat(w->cur, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) < 0) {
                int e = errno;

                if (fd >= 0)
                        close(fd);
                return -e;
        }
        if (S_ISLNK(st.st_mode))
                return splice_link(w, fd);
        if (!*w->todo) {
                close(fd);
                return open_at(w->cur, comp, flags | O_NOFOLLOW, ret);
        }
        if (!S_ISDIR(st.st_mode)) {
                close(fd);
                return -ENOTDIR;
        }
        return walk_down(w, fd, comp, (size_t)n);
}

int np_sysroot_walk_beneath(int root_fd, const char *path, int flags)
{
        walk w;         /* 12 KiB of buffers: set field by field, not zeroed */
        int r, fd = -1;

        if (strlen(path) >= sizeof(w.todo))
                return -ENAMETOOLONG;
        w.root_fd = root_fd;
        w.done[0] = '\0';
        w.done_len = 0;
        w.links = 0;
        strcpy(w.todo, path);
        w.cur = fcntl(root_fd, F_DUPFD_CLOEXEC, 3);
        if (w.cur < 0)
                return -errno;
        while ((r = walk_step(&w, flags, &fd)) > 0)
                ;
        if (w.cur >= 0)
                close(w.cur);
        return r < 0 ? r : fd;
}

/* Resolve @path (no leading '/') below the root.  Live, the path is the
 * machine's own; replayed, it must stay beneath the root. */
static int sysroot_resolve(const np_sysroot *root, const char *path, int flags)
{
        static bool no_openat2;
        struct open_how how = {
                .flags = (uint64_t)(flags | O_CLOEXEC),
                .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
        };
        int fd;

        if (root->live) {
                fd = openat(root->fd, path, flags | O_CLOEXEC);
                return fd < 0 ? -errno : fd;
        }
        if (!no_openat2) {
                fd = (int)syscall(SYS_openat2, root->fd, path, &how, sizeof(how));
                if (fd >= 0)
                        return fd;
                if (errno != ENOSYS && errno != EPERM && errno != E2BIG)
                        return -errno;
                no_openat2 = true;
        }
        return np_sysroot_walk_beneath(root->fd, path, flags);
}

int np_sysroot_openat(const np_sysroot *root, const char *path, int flags)
{
        struct stat st;
        int fd;

        while (*path == '/')
                path++;
        if (!*path)
                path = ".";
        /* A FIFO would block the open itself; O_NONBLOCK is a no-op for
         * the regular files (and procfs/sysfs entries) read here. */
        if (!(flags & (O_DIRECTORY | O_PATH)))
                flags |= O_NONBLOCK | O_NOCTTY;
        fd = sysroot_resolve(root, path, flags);
        if (fd < 0)
                return fd;
        if ((flags & (O_DIRECTORY | O_PATH)) && !root->record)
                return fd;
        if (fstat(fd, &st) < 0) {
                int e = errno;

                close(fd);
                return -e;
        }
        if (root->record && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
                root->record(path, S_ISDIR(st.st_mode), root->record_userdata);
        if (flags & (O_DIRECTORY | O_PATH))
                return fd;
        if (!S_ISREG(st.st_mode)) {
                close(fd);
                return -NP_ENOTREG;
        }
        return fd;
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
        size_t cap = 0, len = 0;
        char *buf = NULL;

        for (;;) {
                ssize_t n;

                if (len + 1 >= cap) {
                        if (cap > max + 1) {
                                free(buf);
                                return np_err(err, EFBIG, "%s: larger than %zu bytes", name, max);
                        }
                        if (np_array_reserve(&buf, &cap, cap ? cap * 2 : 4096) < 0) {
                                free(buf);
                                return np_err(err, ENOMEM, "out of memory");
                        }
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

int np_fd_regular(int fd, const char *path, np_error *err)
{
        struct stat st;

        if (fstat(fd, &st) < 0) {
                int e = errno;

                close(fd);
                return np_err(err, e, "%s: %s", path, strerror(e));
        }
        if (!S_ISREG(st.st_mode)) {
                close(fd);
                return np_err(err, NP_ENOTREG, "%s: not a regular file (%s)", path,
                              np_file_type_name(st.st_mode));
        }
        return fd;
}

int np_file_open(const char *path, int flags, np_error *err)
{
        int fd;

        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | flags);
        if (fd < 0) {
                int e = errno;

                if (e == ELOOP && (flags & O_NOFOLLOW))
                        return np_err(err, e, "%s: cannot open: a symbolic link, not followed", path);
                return np_err(err, e, "%s: cannot open: %s", path, strerror(e));
        }
        return np_fd_regular(fd, path, err);
}

const char *np_file_type_name(unsigned mode)
{
        switch (mode & S_IFMT) {
        case S_IFREG: return "a regular file";
        case S_IFDIR: return "a directory";
        case S_IFIFO: return "a FIFO";
        case S_IFCHR: return "a character device";
        case S_IFBLK: return "a block device";
        case S_IFSOCK: return "a socket";
        case S_IFLNK: return "a symbolic link";
        default: return "an unknown kind of file";
        }
}

int np_file_read(const char *path, size_t max, char **ret, size_t *ret_len, np_error *err)
{
        int fd = np_file_open(path, 0, err);
        int r;

        if (fd < 0)
                return fd;
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
                return np_err(err, -fd, "%s: %s", name, np_strerror(-fd));
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

int np_sysroot_read_value(const np_sysroot *root, const char *path, const char *what,
                          int (*parse)(const char *text, void *ret), void *ret, np_error *err)
{
        char shown[PATH_MAX], quoted[64], *s;
        int r;

        r = np_sysroot_read_string(root, path, &s, err);
        if (r < 0)
                return r;
        if (parse(s, ret) < 0)
                r = np_err(err, EINVAL, "%s: expected %s, found '%s'",
                           np_sysroot_display(root, path, shown, sizeof(shown)), what,
                           np_excerpt(s, 40, quoted, sizeof(quoted)));
        free(s);
        return r;
}

static int parse_u64(const char *text, void *ret)
{
        return np_parse_u64_max(text, UINT64_MAX, ret);
}

int np_sysroot_read_u64(const np_sysroot *root, const char *path,
                        uint64_t *ret, np_error *err)
{
        return np_sysroot_read_value(root, path, "a number", parse_u64, ret, err);
}

DIR *np_sysroot_opendir(const np_sysroot *root, const char *path)
{
        int fd = np_sysroot_openat(root, path, O_RDONLY | O_DIRECTORY);
        DIR *d;

        if (fd < 0) {
                errno = -fd;
                return NULL;
        }
        d = fdopendir(fd);
        if (!d) {
                int e = errno;

                close(fd);
                errno = e;
        }
        return d;
}

bool np_sysroot_exists(const np_sysroot *root, const char *path)
{
        int fd = np_sysroot_openat(root, path, O_PATH);

        if (fd < 0)
                return false;
        close(fd);
        return true;
}
