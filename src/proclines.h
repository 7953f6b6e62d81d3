/* proclines.h: stream a /proc/PID file line by line, and small number
 * parsing shared by the readers.
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

/* Stream /proc/PID/@file below @root.  Returns 0, the callback's code,
 * -ESRCH when the process is not running or exited while being read, or
 * -errno; @err names the file (and line). */
int np_proc_lines_read(const struct np_sysroot *root, pid_t pid, const char *file,
                       np_lines_cb cb, void *userdata, struct np_error *err);

/* Hexadecimal digits at *pp up to @stop or the end of the string (at
 * most 16); advances *pp to the first character that is not part of the
 * number.  -EINVAL when there are none, too many, or a character other
 * than @stop ends them.  The caller checks what ends them. */
int np_parse_hex(const char **pp, char stop, uint64_t *ret);

/* Unsigned decimal of exactly @len characters.  -EINVAL for anything
 * else, including an empty string and overflow. */
int np_parse_u64(const char *s, size_t len, uint64_t *ret);
