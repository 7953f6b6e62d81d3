/* number.h: the one set of number parsers every reader uses.
 *
 * Each takes exactly the text it is given: no leading blanks, no sign, no
 * base prefix unless it says so, and overflow is an error (strtoul()
 * accepts " +5", wraps "-1" and saturates silently; none of that may
 * reach a verdict).  All return 0 or -EINVAL (unless they say otherwise)
 * and leave *ret untouched on error.
 *
 * Sizes with a unit come in three grammars, one per program whose
 * configuration is read; they share the digits, never the units. */
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

/* A whole unsigned integer in C's base-0 spelling, as strtoull(s, &end,
 * 0) reads it without sign or blanks ("0x21", "041" octal, "33"), no
 * larger than @max.  libvirt's PCI addresses are written so. */
int np_parse_u64_base0(const char *s, uint64_t max, uint64_t *ret);

/* Hexadecimal digits at *pp up to @stop or the end of the string (at
 * most 16); advances *pp to @stop.  -EINVAL when there are none, too
 * many, or a character other than @stop ends them. */
int np_parse_hex(const char **pp, char stop, uint64_t *ret);

/* A process id: decimal digits, 1 to INT_MAX; one trailing newline (as
 * pid files end) is allowed. */
int np_parse_pid(const char *s, pid_t *ret);

/* A size as QEMU's qemu_strtosz() reads it (util/cutils.c): decimal with
 * an optional fraction, or 0x hexadecimal, then an optional binary suffix
 * B, K, M, G, T, P, E in either case; no suffix means bytes and then no
 * fraction.  A fraction is truncated to whole bytes.  In bytes. */
int np_parse_qemu_size(const char *s, uint64_t *ret);

/* Bytes per unit as libvirt's virScaleInteger() reads a "unit" attribute:
 * case does not matter; "b", "byte" and "bytes" are bytes; a letter of
 * KMGTPE alone or followed by "iB" is a power of 1024 (k, KiB = 1024),
 * followed by "B" a power of 1000 (KB = 1000). */
int np_parse_libvirt_unit(const char *unit, uint64_t *ret);

/* A size as LXD's units.ParseByteSizeString() reads limits.memory: a
 * decimal number, optional spaces, and a unit, decimal (kB, MB, GB, TB,
 * PB, EB) or binary (KiB ... EiB), "B" or none for bytes; case matters.
 * In bytes.  -ENODATA for a percentage (containers only), -ERANGE when
 * it does not fit 64 bits, -EINVAL for anything else. */
int np_parse_lxd_size(const char *s, uint64_t *ret);
