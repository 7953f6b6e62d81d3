/* error.h: the one error record library code fills in.
 *
 * Library functions return 0 or a negative errno and, when given an
 * np_error, leave one human sentence in it that names the file, line or
 * field at fault.  They never print and never exit; the command line front
 * end prints the sentence and picks the exit code. */
#pragma once

#include <errno.h>
#include <stddef.h>

#define NP_ERROR_MAX 512

typedef struct np_error {
        char msg[NP_ERROR_MAX];
} np_error;

/* Fill @err (may be NULL) from a printf format and return -@errnum
 * (errnum is a positive errno value). */
int np_err(np_error *err, int errnum, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Prefix the message already in @err with "PREFIX: ".  Returns -@errnum. */
int np_err_prefix(np_error *err, int errnum, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Returned (negated) for a file that is read but is not a regular file:
 * a FIFO, a device or a socket could block forever or never end.  No
 * open(2) of a file returns it otherwise. */
#define NP_ENOTREG ENOSTR

/* strerror() that also names numaplace's own meanings: NP_ENOTREG is
 * "not a regular file", EXDEV "leads outside the root" (a path below a
 * replayed root that resolves outside it). */
const char *np_strerror(int errnum);

/* Copy at most @max bytes of @s into @buf as a quoted-safe excerpt:
 * control characters as \xHH, "..." when cut.  For messages that show
 * content read from a file.  Returns @buf. */
const char *np_excerpt(const char *s, size_t max, char *buf, size_t len);

/* How much of a field read from a file a message quotes: enough to
 * recognise it, never a whole hostile line.  For "%.*s". */
#define NP_QUOTE_MAX 64
#define NP_QUOTE_LEN(n) ((int)((size_t)(n) > NP_QUOTE_MAX ? NP_QUOTE_MAX : (size_t)(n)))
