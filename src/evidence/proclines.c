/* proclines.c: line streaming for /proc/PID files. */
#include "proclines.h"
#include "error.h"
#include "process.h"
#include "sysroot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int np_proc_lines_read(const np_sysroot *root, pid_t pid, const char *file,
                       np_lines_cb cb, void *userdata, np_error *err)
{
        char path[64], shown[PATH_MAX];
        np_error sub = { "" };
        size_t have = 0, used = 0;
        unsigned lineno = 0;
        bool eof = false;
        char *buf;
        int fd, r = 0;

        snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
        np_sysroot_display(root, path, shown, sizeof(shown));
        fd = np_sysroot_openat(root, path, O_RDONLY);
        if (fd < 0) {
                if ((fd == -ENOENT || fd == -ESRCH) && np_process_is_gone(root, pid))
                        return np_err(err, ESRCH, "%s: process %d is not running", shown, (int)pid);
                return np_err(err, -fd, "%s: %s", shown, np_strerror(-fd));
        }
        buf = malloc(NP_PROC_LINE_MAX + 1);
        if (!buf) {
                close(fd);
                return np_err(err, ENOMEM, "out of memory");
        }

        /* buf[used, have) is read but not yet handed out */
        for (;;) {
                char *line = buf + used, *nl = memchr(line, '\n', have - used);
                size_t n;

                if (!nl && !eof) {
                        ssize_t got;

                        if (used) {
                                memmove(buf, buf + used, have - used);
                                have -= used;
                                used = 0;
                                continue;
                        }
                        if (have == NP_PROC_LINE_MAX) {
                                r = np_err(err, E2BIG, "%s: line %u: longer than %u bytes",
                                           shown, lineno + 1, NP_PROC_LINE_MAX);
                                goto out;
                        }
                        got = read(fd, buf + have, NP_PROC_LINE_MAX - have);
                        if (got < 0 && errno == EINTR)
                                continue;
                        if (got < 0) {
                                int e = errno;

                                /* never an end of file: what was not read
                                 * cannot be judged */
                                if (e == ESRCH || e == ENOENT)
                                        r = np_err(err, ESRCH, "%s: line %u: process %d exited while reading",
                                                   shown, lineno + 1, (int)pid);
                                else
                                        r = np_err(err, e, "%s: line %u: %s", shown, lineno + 1, strerror(e));
                                goto out;
                        }
                        if (got == 0)
                                eof = true;
                        have += (size_t)got;
                        continue;
                }
                if (!nl) {
                        if (have == used)
                                break;
                        /* The kernel ends every line; a last line without
                         * one is a file cut short. */
                        r = np_err(err, EINVAL, "%s: line %u: truncated (no end of line)", shown, lineno + 1);
                        goto out;
                }
                lineno++;
                n = (size_t)(nl - line);
                *nl = '\0';
                used += n + 1;
                if (memchr(line, '\0', n)) {
                        r = np_err(err, EINVAL, "%s: line %u: contains a NUL byte", shown, lineno);
                        goto out;
                }
                sub.msg[0] = '\0';
                r = cb(line, userdata, &sub);
                if (r < 0) {
                        if (sub.msg[0]) {
                                if (err)
                                        *err = sub;
                                np_err_prefix(err, -r, "%s: line %u", shown, lineno);
                        }
                        goto out;
                }
        }

        /* A process that exits while its file is open reads as a clean
         * but short end of file; only its state tells. */
        if (root->live && np_process_is_gone(root, pid))
                r = np_err(err, ESRCH, "%s: process %d exited while reading (after %u lines)",
                           shown, (int)pid, lineno);
        else if (lineno == 0 && np_process_is_gone(root, pid))
                r = np_err(err, ESRCH, "%s: process %d is not running", shown, (int)pid);
        else if (lineno == 0)
                /* Every process with memory has mappings; only kernel
                 * threads show none, and those are no QEMU. */
                r = np_err(err, ENODATA, "%s: empty: process %d has no mappings (a kernel thread, or the file was not read in full)",
                           shown, (int)pid);
        else
                r = 0;
out:
        free(buf);
        close(fd);
        return r;
}
