/* proclines.h: stream a /proc/PID file line by line.
 *
 * numa_maps and maps are read the same way: one line at a time (memory
 * stays flat), a last line without its newline is a file cut short, and
 * a process that exits mid-read must be told apart from a bad file. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct np_error;
struct np_sysroot;

/* Called with each line, its newline removed (the buffer may be
 * modified).  Return 0 to go on.  To stop, return a negative errno: when
 * the callback filled @err, the reader prefixes that message with the
 * file and line number; when it left @err empty, the code is passed
 * back as is (the caller's own failure). */
typedef int (*np_lines_cb)(char *line, void *userdata, struct np_error *err);

/* The longest line accepted, from the kernel's own formats: a numa_maps
 * line is an address, a policy (at most 64 bytes), a path of at most
 * PATH_MAX bytes escaped to at most 4 bytes each (16 KiB), and one
 * "N<node>=<pages>" token of at most 27 bytes per node (1024 nodes:
 * 27 KiB) beside a few counters; a maps line is shorter.  64 KiB holds
 * all of it; a longer line is no kernel's output. */
#define NP_PROC_LINE_MAX (64u << 10)

/* Stream /proc/PID/@file below @root.  Returns 0, the callback's code,
 * -ESRCH when the process is not running or exited while being read, or
 * -errno; @err names the file (and line).  A line longer than
 * NP_PROC_LINE_MAX is -E2BIG; a read error is an error, never an end of
 * file; an empty file is -ENODATA (maps and numa_maps of a process that
 * runs are never empty). */
int np_proc_lines_read(const struct np_sysroot *root, pid_t pid, const char *file,
                       np_lines_cb cb, void *userdata, struct np_error *err);
