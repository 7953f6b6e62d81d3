/* atomic_file.c: write-to-temporary, sync, rename. */
#include "atomic_file.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int np_atomic_file_open(const char *path, np_atomic_file *ret, np_error *err)
{
        size_t n = strlen(path);
        int fd;

        memset(ret, 0, sizeof(*ret));
        ret->path = strdup(path);
        ret->tmp_path = malloc(n + sizeof(".tmpXXXXXX"));
        if (!ret->path || !ret->tmp_path) {
                np_atomic_file_abort(ret);
                return np_err(err, ENOMEM, "out of memory");
        }
        /* a dot file beside the target: same filesystem, so rename is
         * atomic; ".tmp" so a textfile collector skips it (*.prom only) */
        memcpy(ret->tmp_path, path, n);
        memcpy(ret->tmp_path + n, ".tmpXXXXXX", sizeof(".tmpXXXXXX"));
        fd = mkostemp(ret->tmp_path, O_CLOEXEC);
        if (fd < 0) {
                int e = errno;

                free(ret->tmp_path);
                ret->tmp_path = NULL;
                np_atomic_file_abort(ret);
                return np_err(err, e, "%s: cannot create a file beside it: %s", path, strerror(e));
        }
        /* reports are for collectors running as other users */
        if (fchmod(fd, 0644) < 0) {
                int e = errno;

                close(fd);
                np_atomic_file_abort(ret);
                return np_err(err, e, "%s: %s", path, strerror(e));
        }
        ret->f = fdopen(fd, "w");
        if (!ret->f) {
                int e = errno;

                close(fd);
                np_atomic_file_abort(ret);
                return np_err(err, e, "%s: %s", path, strerror(e));
        }
        return 0;
}

int np_atomic_file_commit(np_atomic_file *af, np_error *err)
{
        char *dir_copy;
        int dfd, e = 0;

        if (fflush(af->f) != 0 || ferror(af->f) || fsync(fileno(af->f)) != 0)
                e = errno ? errno : EIO;
        if (fclose(af->f) != 0 && !e)
                e = errno ? errno : EIO;
        af->f = NULL;
        if (!e && rename(af->tmp_path, af->path) != 0)
                e = errno;
        if (e) {
                int r = np_err(err, e, "%s: not written: %s (the previous file is kept)", af->path, strerror(e));

                np_atomic_file_abort(af);
                return r;
        }
        free(af->tmp_path);
        af->tmp_path = NULL;
        /* the rename itself must reach the disk */
        dir_copy = strdup(af->path);
        if (dir_copy) {
                dfd = open(dirname(dir_copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (dfd >= 0) {
                        fsync(dfd);
                        close(dfd);
                }
                free(dir_copy);
        }
        free(af->path);
        af->path = NULL;
        return 0;
}

void np_atomic_file_abort(np_atomic_file *af)
{
        if (af->f) {
                fclose(af->f);
                af->f = NULL;
        }
        if (af->tmp_path) {
                unlink(af->tmp_path);
                free(af->tmp_path);
                af->tmp_path = NULL;
        }
        free(af->path);
        af->path = NULL;
}
