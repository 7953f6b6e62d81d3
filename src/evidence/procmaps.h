/* procmaps.h: /proc/PID/maps, for mapping sizes.
 *
 * numa_maps gives only start addresses, and a mapping without pages shows
 * nothing but its policy, so sizes come from maps, joined on the start. */
#pragma once

#include <stdint.h>
#include <sys/types.h>

struct np_error;
struct np_sysroot;

typedef struct np_maps_entry {
        uint64_t start, end;
        char perms[5];
        uint64_t offset;
        uint64_t inode;
        const char *path; /* points into the line buffer; "" when anonymous */
} np_maps_entry;

/* Parse one line of maps (without newline).  @line is modified in place
 * (the path is cut at the end of line).  Returns 0 or -EINVAL. */
int np_maps_parse_line(char *line, np_maps_entry *ret, struct np_error *err);

typedef int (*np_maps_cb)(const np_maps_entry *entry, void *userdata);

/* Stream /proc/PID/maps below @root. */
int np_maps_read(const struct np_sysroot *root, pid_t pid, np_maps_cb cb,
                 void *userdata, struct np_error *err);
