/* procmaps.c: parse and stream /proc/PID/maps.
 *
 * Line format (fs/proc/task_mmu.c show_vma_header_prefix):
 * "START-END PERMS OFFSET MAJOR:MINOR INODE", then padding and the path.
 * Unlike numa_maps, the path is escaped only for newlines, so it may hold
 * spaces and ends in a literal " (deleted)" when the file was removed; it
 * is kept as printed, because maps is only read for sizes. */
#include "procmaps.h"
#include "error.h"
#include "process.h"
#include "sysroot.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
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

/* A hexadecimal number ending at @stop; advances *pp past it (not past
 * @stop).  -EINVAL when empty, too long or not hexadecimal. */
static int parse_hex(const char **pp, char stop, uint64_t *ret)
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
        if (n == 0 || *p != stop)
                return -EINVAL;
        *ret = v;
        *pp = p;
        return 0;
}

static int parse_dec(const char **pp, uint64_t *ret)
{
        const char *p = *pp;
        uint64_t v = 0;

        if (*p < '0' || *p > '9')
                return -EINVAL;
        while (*p >= '0' && *p <= '9') {
                unsigned d = (unsigned)(*p - '0');

                if (v > (UINT64_MAX - d) / 10)
                        return -EINVAL;
                v = v * 10 + d;
                p++;
        }
        *ret = v;
        *pp = p;
        return 0;
}

int np_maps_parse_line(char *line, np_maps_entry *ret, np_error *err)
{
        const char *p = line, *field;
        uint64_t major, minor;

        memset(ret, 0, sizeof(*ret));
        if (parse_hex(&p, '-', &ret->start) < 0)
                return np_err(err, EINVAL, "'%.*s': expected START-END addresses",
                              (int)strcspn(line, " "), line);
        p++;
        if (parse_hex(&p, ' ', &ret->end) < 0)
                return np_err(err, EINVAL, "'%.*s': expected START-END addresses",
                              (int)strcspn(line, " "), line);
        if (ret->end < ret->start)
                return np_err(err, EINVAL, "'%.*s': mapping ends before it starts",
                              (int)strcspn(line, " "), line);
        p++;

        /* strlen first: strchr() also finds the terminating NUL */
        if (strlen(p) < 5 || !strchr("r-", p[0]) || !strchr("w-", p[1]) ||
            !strchr("x-", p[2]) || !strchr("ps-", p[3]) || p[4] != ' ')
                return np_err(err, EINVAL, "'%.*s': expected permissions like 'rw-p'",
                              (int)strcspn(p, " "), p);
        memcpy(ret->perms, p, 4);
        ret->perms[4] = '\0';
        p += 5;

        if (parse_hex(&p, ' ', &ret->offset) < 0)
                return np_err(err, EINVAL, "'%.*s': expected a hexadecimal offset",
                              (int)strcspn(p, " "), p);
        p++;
        field = p;
        if (parse_hex(&p, ':', &major) < 0)
                return np_err(err, EINVAL, "'%.*s': expected a device MAJOR:MINOR",
                              (int)strcspn(field, " "), field);
        p++;
        if (parse_hex(&p, ' ', &minor) < 0)
                return np_err(err, EINVAL, "'%.*s': expected a device MAJOR:MINOR",
                              (int)strcspn(field, " "), field);
        p++;
        field = p;
        if (parse_dec(&p, &ret->inode) < 0 || (*p && *p != ' '))
                return np_err(err, EINVAL, "'%.*s': expected an inode number",
                              (int)strcspn(field, " "), field);
        /* The path starts after the padding; anonymous mappings end with
         * the inode and a single space. */
        while (*p == ' ')
                p++;
        ret->path = p;
        return 0;
}

int np_maps_read(const np_sysroot *root, pid_t pid, np_maps_cb cb,
                 void *userdata, np_error *err)
{
        char path[64], shown[PATH_MAX];
        char *line = NULL;
        size_t cap = 0;
        unsigned lineno = 0;
        np_maps_entry entry;
        FILE *f;
        int r = 0;

        snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
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
                        r = np_err(err, EINVAL, "%s: line %u: truncated (no end of line)", shown, lineno);
                        goto out;
                }
                line[--n] = '\0';
                if (strlen(line) != (size_t)n) {
                        r = np_err(err, EINVAL, "%s: line %u: contains a NUL byte", shown, lineno);
                        goto out;
                }
                r = np_maps_parse_line(line, &entry, err);
                if (r < 0) {
                        np_err_prefix(err, -r, "%s: line %u", shown, lineno);
                        goto out;
                }
                r = cb(&entry, userdata);
                if (r < 0)
                        goto out;
        }

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
