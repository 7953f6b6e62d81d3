/* proclines.c: line streaming for /proc/PID files. */
#include "proclines.h"
#include "error.h"
#include "process.h"
#include "sysroot.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hex_digit(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

int np_parse_hex(const char **pp, char stop, uint64_t *ret)
{
        const char *p = *pp;
        uint64_t v = 0;
        size_t n = 0;

        while (*p && *p != stop) {
                int d = hex_digit(*p);

                if (d < 0 || n == 16)
                        return -EINVAL;
                v = v << 4 | (uint64_t)d;
                n++;
                p++;
        }
        if (n == 0)
                return -EINVAL;
        *ret = v;
        *pp = p;
        return 0;
}

int np_parse_u64(const char *s, size_t len, uint64_t *ret)
{
        uint64_t v = 0;

        if (len == 0)
                return -EINVAL;
        for (size_t i = 0; i < len; i++) {
                unsigned d;

                if (s[i] < '0' || s[i] > '9')
                        return -EINVAL;
                d = (unsigned)(s[i] - '0');
                if (v > (UINT64_MAX - d) / 10)
                        return -EINVAL;
                v = v * 10 + d;
        }
        *ret = v;
        return 0;
}

int np_proc_lines_read(const np_sysroot *root, pid_t pid, const char *file,
                       np_lines_cb cb, void *userdata, np_error *err)
{
        char path[64], shown[PATH_MAX];
        np_error sub = { "" };
        char *line = NULL;
        size_t cap = 0;
        unsigned lineno = 0;
        FILE *f;
        int r = 0;

        snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
        np_sysroot_display(root, path, shown, sizeof(shown));
        f = np_sysroot_fopen(root, path);
        if (!f) {
                int e = errno;

                if ((e == ENOENT || e == ESRCH) && np_process_is_gone(root, pid))
                        return np_err(err, ESRCH, "%s: process %d is not running", shown, (int)pid);
                return np_err(err, e, "%s: %s", shown, strerror(e));
        }

        for (;;) {
                ssize_t n;

                errno = 0;
                n = getline(&line, &cap, f);
                if (n < 0) {
                        int e = errno;

                        if (!ferror(f))
                                break;
                        if (e == ESRCH || e == ENOENT)
                                r = np_err(err, ESRCH, "%s: line %u: process %d exited while reading",
                                           shown, lineno + 1, (int)pid);
                        else
                                r = np_err(err, e ? e : EIO, "%s: line %u: %s", shown, lineno + 1,
                                           strerror(e ? e : EIO));
                        goto out;
                }
                lineno++;
                if (line[n - 1] != '\n') {
                        /* The kernel ends every line; a last line without
                         * one is a file cut short. */
                        r = np_err(err, EINVAL, "%s: line %u: truncated (no end of line)", shown, lineno);
                        goto out;
                }
                line[--n] = '\0';
                if (strlen(line) != (size_t)n) {
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
        else
                r = 0;
out:
        free(line);
        fclose(f);
        return r;
}
