/* error.c: fill np_error records.
 *
 * Messages often quote what a file held; control characters in them are
 * written as \xHH, so that a hostile file cannot forge lines or terminal
 * escapes in what numaplace prints. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* @src into @dst (size NP_ERROR_MAX) with control characters escaped. */
static void copy_escaped(char *dst, const char *src)
{
        size_t o = 0;

        for (const unsigned char *p = (const unsigned char *)src; *p; p++) {
                if (*p < 0x20 || *p == 0x7f) {
                        if (o + 4 >= NP_ERROR_MAX)
                                break;
                        snprintf(dst + o, 5, "\\x%02x", *p);
                        o += 4;
                } else {
                        if (o + 1 >= NP_ERROR_MAX)
                                break;
                        dst[o++] = (char)*p;
                }
        }
        dst[o] = '\0';
}

int np_err(np_error *err, int errnum, const char *fmt, ...)
{
        if (err) {
                char msg[NP_ERROR_MAX];
                va_list ap;

                va_start(ap, fmt);
                vsnprintf(msg, sizeof(msg), fmt, ap);
                va_end(ap);
                copy_escaped(err->msg, msg);
        }
        return -errnum;
}

int np_err_prefix(np_error *err, int errnum, const char *fmt, ...)
{
        if (err) {
                char prefix[NP_ERROR_MAX], old[NP_ERROR_MAX], msg[NP_ERROR_MAX];
                va_list ap;

                va_start(ap, fmt);
                vsnprintf(prefix, sizeof(prefix), fmt, ap);
                va_end(ap);
                memcpy(old, err->msg, sizeof(old));
                old[sizeof(old) - 1] = '\0';
                snprintf(msg, sizeof(msg), "%s: %s", prefix, old);
                copy_escaped(err->msg, msg);
        }
        return -errnum;
}

const char *np_strerror(int errnum)
{
        if (errnum == NP_ENOTREG)
                return "not a regular file";
        if (errnum == EXDEV)
                return "leads outside the root";
        return strerror(errnum);
}

const char *np_excerpt(const char *s, size_t max, char *buf, size_t len)
{
        size_t o = 0, i;

        if (!len)
                return buf;
        for (i = 0; s[i] && i < max; i++) {
                unsigned char c = (unsigned char)s[i];

                if (c < 0x20 || c == 0x7f) {
                        if (o + 5 > len)
                                break;
                        snprintf(buf + o, 5, "\\x%02x", c);
                        o += 4;
                } else {
                        if (o + 2 > len)
                                break;
                        buf[o++] = (char)c;
                }
        }
        buf[o] = '\0';
        if (s[i] && o + 4 <= len)
                strcpy(buf + o, "...");
        return buf;
}
