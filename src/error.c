/* error.c: fill np_error records. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int np_err(np_error *err, int errnum, const char *fmt, ...)
{
        if (err) {
                va_list ap;

                va_start(ap, fmt);
                vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
                va_end(ap);
        }
        return -errnum;
}

int np_err_prefix(np_error *err, int errnum, const char *fmt, ...)
{
        if (err) {
                char prefix[NP_ERROR_MAX], old[NP_ERROR_MAX];
                va_list ap;

                va_start(ap, fmt);
                vsnprintf(prefix, sizeof(prefix), fmt, ap);
                va_end(ap);
                memcpy(old, err->msg, sizeof(old));
                snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
        }
        return -errnum;
}
