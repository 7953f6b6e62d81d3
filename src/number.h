/* number.h: the one set of number parsers every reader uses.
 *
 * Each takes exactly the text it is given: no leading blanks, no sign, no
 * base prefix unless it says so, and overflow is an error (strtoul()
 * accepts " +5", wraps "-1" and saturates silently; none of that may
 * reach a verdict).  All return 0 or -EINVAL and leave *ret untouched on
 * error. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Unsigned decimal of exactly @len characters. */
int np_parse_u64(const char *s, size_t len, uint64_t *ret);

/* A whole NUL-terminated unsigned decimal no larger than @max. */
int np_parse_u64_max(const char *s, uint64_t max, uint64_t *ret);

/* An unsigned int (decimal, the whole string, at most UINT_MAX). */
int np_parse_uint(const char *s, unsigned *ret);

/* Decimal digits at *pp (at least one); advances *pp past them.  The
 * caller checks what follows. */
int np_parse_dec_prefix(const char **pp, uint64_t *ret);

/* Hexadecimal digits at *pp up to @stop or the end of the string (at
 * most 16); advances *pp to @stop.  -EINVAL when there are none, too
 * many, or a character other than @stop ends them. */
int np_parse_hex(const char **pp, char stop, uint64_t *ret);

/* A process id: decimal digits, 1 to INT_MAX; one trailing newline (as
 * pid files end) is allowed. */
int np_parse_pid(const char *s, pid_t *ret);
