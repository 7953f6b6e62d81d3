/* procmaps.c: parse and stream /proc/PID/maps.
 *
 * Line format (fs/proc/task_mmu.c show_vma_header_prefix):
 * "START-END PERMS OFFSET MAJOR:MINOR INODE", then padding and the path.
 * Unlike numa_maps, the path is escaped only for newlines, so it may hold
 * spaces and ends in a literal " (deleted)" when the file was removed; it
 * is kept as printed, because maps is only read for sizes. */
#include "procmaps.h"
#include "error.h"
#include "number.h"
#include "proclines.h"
#include "sysroot.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int np_maps_parse_line(char *line, np_maps_entry *ret, np_error *err)
{
        const char *p = line, *field;
        uint64_t major, minor;

        memset(ret, 0, sizeof(*ret));
        if (np_parse_hex(&p, '-', &ret->start) < 0 || *p != '-')
                return np_err(err, EINVAL, "'%.*s': expected START-END addresses",
                              NP_QUOTE_LEN(strcspn(line, " ")), line);
        p++;
        if (np_parse_hex(&p, ' ', &ret->end) < 0 || *p != ' ')
                return np_err(err, EINVAL, "'%.*s': expected START-END addresses",
                              NP_QUOTE_LEN(strcspn(line, " ")), line);
        if (ret->end < ret->start)
                return np_err(err, EINVAL, "'%.*s': mapping ends before it starts",
                              NP_QUOTE_LEN(strcspn(line, " ")), line);
        p++;

        /* strlen first: strchr() also finds the terminating NUL */
        if (strlen(p) < 5 || !strchr("r-", p[0]) || !strchr("w-", p[1]) ||
            !strchr("x-", p[2]) || !strchr("ps-", p[3]) || p[4] != ' ')
                return np_err(err, EINVAL, "'%.*s': expected permissions like 'rw-p'",
                              NP_QUOTE_LEN(strcspn(p, " ")), p);
        memcpy(ret->perms, p, 4);
        ret->perms[4] = '\0';
        p += 5;

        if (np_parse_hex(&p, ' ', &ret->offset) < 0 || *p != ' ')
                return np_err(err, EINVAL, "'%.*s': expected a hexadecimal offset",
                              NP_QUOTE_LEN(strcspn(p, " ")), p);
        p++;
        field = p;
        if (np_parse_hex(&p, ':', &major) < 0 || *p != ':')
                return np_err(err, EINVAL, "'%.*s': expected a device MAJOR:MINOR",
                              NP_QUOTE_LEN(strcspn(field, " ")), field);
        p++;
        if (np_parse_hex(&p, ' ', &minor) < 0 || *p != ' ')
                return np_err(err, EINVAL, "'%.*s': expected a device MAJOR:MINOR",
                              NP_QUOTE_LEN(strcspn(field, " ")), field);
        p++;
        field = p;
        if (np_parse_dec_prefix(&p, &ret->inode) < 0 || (*p && *p != ' '))
                return np_err(err, EINVAL, "'%.*s': expected an inode number",
                              NP_QUOTE_LEN(strcspn(field, " ")), field);
        /* The path starts after the padding; anonymous mappings end with
         * the inode and a single space. */
        while (*p == ' ')
                p++;
        ret->path = p;
        return 0;
}

typedef struct maps_state {
        np_maps_cb cb;
        void *userdata;
} maps_state;

static int maps_line(char *line, void *userdata, np_error *err)
{
        maps_state *st = userdata;
        np_maps_entry entry;
        int r = np_maps_parse_line(line, &entry, err);

        if (r < 0)
                return r;
        return st->cb(&entry, st->userdata);
}

int np_maps_read(const np_sysroot *root, pid_t pid, np_maps_cb cb,
                 void *userdata, np_error *err)
{
        maps_state st = { .cb = cb, .userdata = userdata };

        return np_proc_lines_read(root, pid, "maps", maps_line, &st, err);
}
