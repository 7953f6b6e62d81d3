/* number.c: checked number parsers (number.h). */
#include "number.h"

#include <errno.h>
#include <limits.h>
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

/* Append decimal digit @c to *v unless the result would exceed @max. */
static bool dec_step(uint64_t *v, char c, uint64_t max)
{
        unsigned d;

        if (c < '0' || c > '9')
                return false;
        d = (unsigned)(c - '0');
        if (*v > (max - d) / 10)
                return false;
        *v = *v * 10 + d;
        return true;
}

int np_parse_u64(const char *s, size_t len, uint64_t *ret)
{
        uint64_t v = 0;

        if (len == 0)
                return -EINVAL;
        for (size_t i = 0; i < len; i++)
                if (!dec_step(&v, s[i], UINT64_MAX))
                        return -EINVAL;
        *ret = v;
        return 0;
}

int np_parse_u64_max(const char *s, uint64_t max, uint64_t *ret)
{
        uint64_t v = 0;

        if (!*s)
                return -EINVAL;
        for (; *s; s++)
                if (!dec_step(&v, *s, max))
                        return -EINVAL;
        *ret = v;
        return 0;
}

int np_parse_uint(const char *s, unsigned *ret)
{
        uint64_t v;

        if (np_parse_u64_max(s, UINT_MAX, &v) < 0)
                return -EINVAL;
        *ret = (unsigned)v;
        return 0;
}

int np_parse_dec_prefix(const char **pp, uint64_t *ret)
{
        const char *p = *pp;
        uint64_t v = 0;

        if (*p < '0' || *p > '9')
                return -EINVAL;
        for (; *p >= '0' && *p <= '9'; p++)
                if (!dec_step(&v, *p, UINT64_MAX))
                        return -EINVAL;
        *ret = v;
        *pp = p;
        return 0;
}

int np_parse_hex(const char **pp, char stop, uint64_t *ret)
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
        if (n == 0)
                return -EINVAL;
        *ret = v;
        *pp = p;
        return 0;
}

int np_parse_pid(const char *s, pid_t *ret)
{
        size_t len = strlen(s);
        uint64_t v;

        if (len && s[len - 1] == '\n')
                len--;
        if (len == 0 || len > 10 || np_parse_u64(s, len, &v) < 0 || v == 0 || v > INT_MAX)
                return -EINVAL;
        *ret = (pid_t)v;
        return 0;
}
