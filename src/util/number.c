/* number.c: checked number parsers (number.h). */
#include "number.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

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

/* Append digit @d in @base to *v unless the result would exceed @max. */
static bool step(uint64_t *v, unsigned d, unsigned base, uint64_t max)
{
        if (*v > (max - d) / base)
                return false;
        *v = *v * base + d;
        return true;
}

static bool dec_step(uint64_t *v, char c, uint64_t max)
{
        return c >= '0' && c <= '9' && step(v, (unsigned)(c - '0'), 10, max);
}

/* Digits in @base at *pp, at least one, the value no larger than @max;
 * advances *pp past them. */
static int parse_digits(const char **pp, unsigned base, uint64_t max, uint64_t *ret)
{
        const char *p = *pp;
        uint64_t v = 0;
        int d;

        for (; (d = hex_digit(*p)) >= 0 && (unsigned)d < base; p++)
                if (!step(&v, (unsigned)d, base, max))
                        return -EINVAL;
        if (p == *pp)
                return -EINVAL;
        *ret = v;
        *pp = p;
        return 0;
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
        const char *p = s;
        uint64_t v;

        if (parse_digits(&p, 10, max, &v) < 0 || *p)
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
        return parse_digits(pp, 10, UINT64_MAX, ret);
}

int np_parse_u64_base0(const char *s, uint64_t max, uint64_t *ret)
{
        const char *p = s;
        unsigned base = 10;
        uint64_t v;

        if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
                base = 16;
                p += 2;
        } else if (p[0] == '0') {
                base = 8;
        }
        if (parse_digits(&p, base, max, &v) < 0 || *p)
                return -EINVAL;
        *ret = v;
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

/* The fraction of a QEMU size: digits after the '.', at most 17 of them
 * counted (beyond a byte of an exbibyte), as @frac / @div. */
static int qemu_fraction(const char **pp, uint64_t *frac, uint64_t *div)
{
        const char *p = *pp;

        if (*p < '0' || *p > '9')
                return -EINVAL;
        for (; *p >= '0' && *p <= '9'; p++) {
                if (*div >= UINT64_C(100000000000000000))
                        continue;
                *frac = *frac * 10 + (uint64_t)(*p - '0');
                *div *= 10;
        }
        *pp = p;
        return 0;
}

int np_parse_qemu_size(const char *s, uint64_t *ret)
{
        static const char suffixes[] = "bkmgtpe";
        uint64_t whole, frac = 0, frac_div = 1, mul = 1;
        const char *p = s;
        unsigned __int128 total;

        if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
                p += 2;
                if (parse_digits(&p, 16, UINT64_MAX, &whole) < 0)
                        return -EINVAL;
        } else {
                if (parse_digits(&p, 10, UINT64_MAX, &whole) < 0)
                        return -EINVAL;
                if (*p == '.') {
                        p++;
                        if (qemu_fraction(&p, &frac, &frac_div) < 0)
                                return -EINVAL;
                }
        }
        if (*p) {
                const char *suf = strchr(suffixes, *p | 0x20);

                if (!suf || p[1])
                        return -EINVAL;
                mul = UINT64_C(1) << (10 * (suf - suffixes));
        }
        if (frac_div > 1 && mul == 1)
                return -EINVAL;
        total = (unsigned __int128)whole * mul + (unsigned __int128)frac * mul / frac_div;
        if (total > UINT64_MAX)
                return -EINVAL;
        *ret = (uint64_t)total;
        return 0;
}

int np_parse_libvirt_unit(const char *unit, uint64_t *ret)
{
        static const char letters[] = "kmgtpe";
        const char *at;
        uint64_t base, scale = 1;

        if (!strcasecmp(unit, "b") || !strcasecmp(unit, "byte") || !strcasecmp(unit, "bytes")) {
                *ret = 1;
                return 0;
        }
        if (!unit[0] || !(at = strchr(letters, tolower((unsigned char)unit[0]))))
                return -EINVAL;
        if (!unit[1] || !strcasecmp(unit + 1, "ib"))
                base = 1024;
        else if ((unit[1] == 'b' || unit[1] == 'B') && !unit[2])
                base = 1000;
        else
                return -EINVAL;
        for (const char *l = letters; l <= at; l++)
                scale *= base;
        *ret = scale;
        return 0;
}

int np_parse_lxd_size(const char *s, uint64_t *ret)
{
        static const struct {
                const char *unit;
                uint64_t mul;
        } units[] = {
                { "", 1 }, { "B", 1 },
                { "kB", 1000ull }, { "MB", 1000000ull }, { "GB", 1000000000ull },
                { "TB", 1000000000000ull }, { "PB", 1000000000000000ull }, { "EB", 1000000000000000000ull },
                { "KiB", 1ull << 10 }, { "MiB", 1ull << 20 }, { "GiB", 1ull << 30 },
                { "TiB", 1ull << 40 }, { "PiB", 1ull << 50 }, { "EiB", 1ull << 60 },
        };
        const char *p = s;
        uint64_t v;

        if (strchr(s, '%'))
                return -ENODATA;
        if (*p < '0' || *p > '9')
                return -EINVAL;
        if (parse_digits(&p, 10, UINT64_MAX, &v) < 0)
                return -ERANGE;
        while (*p == ' ')
                p++;
        for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
                if (strcmp(p, units[i].unit) == 0) {
                        if (v > UINT64_MAX / units[i].mul)
                                return -ERANGE;
                        *ret = v * units[i].mul;
                        return 0;
                }
        }
        return -EINVAL;
}
