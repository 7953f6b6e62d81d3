/* bitmap.c: node and CPU sets; parser for libvirt's nodeset grammar.
 *
 * libnuma's nodestring parser is deliberately not used: it reads the live
 * /sys when loaded and rejects nodes the running host does not have, while
 * numaplace must judge XML written for other hosts and replayed trees. */
#include "bitmap.h"
#include "error.h"
#include "number.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void np_bitmap_clear(np_bitmap *b) { memset(b, 0, sizeof(*b)); }

void np_bitmap_set(np_bitmap *b, unsigned bit)
{
        if (bit < NP_BITMAP_MAX)
                b->w[bit / 64] |= UINT64_C(1) << (bit % 64);
}

void np_bitmap_unset(np_bitmap *b, unsigned bit)
{
        if (bit < NP_BITMAP_MAX)
                b->w[bit / 64] &= ~(UINT64_C(1) << (bit % 64));
}

bool np_bitmap_test(const np_bitmap *b, unsigned bit)
{
        return bit < NP_BITMAP_MAX && (b->w[bit / 64] >> (bit % 64)) & 1;
}

bool np_bitmap_is_empty(const np_bitmap *b)
{
        for (size_t i = 0; i < NP_BITMAP_MAX / 64; i++)
                if (b->w[i])
                        return false;
        return true;
}

unsigned np_bitmap_count(const np_bitmap *b)
{
        unsigned n = 0;

        for (size_t i = 0; i < NP_BITMAP_MAX / 64; i++)
                n += (unsigned)__builtin_popcountll(b->w[i]);
        return n;
}

bool np_bitmap_equal(const np_bitmap *a, const np_bitmap *b)
{
        return memcmp(a->w, b->w, sizeof(a->w)) == 0;
}

bool np_bitmap_is_subset(const np_bitmap *a, const np_bitmap *b)
{
        for (size_t i = 0; i < NP_BITMAP_MAX / 64; i++)
                if (a->w[i] & ~b->w[i])
                        return false;
        return true;
}

void np_bitmap_or(np_bitmap *dst, const np_bitmap *src)
{
        for (size_t i = 0; i < NP_BITMAP_MAX / 64; i++)
                dst->w[i] |= src->w[i];
}

void np_bitmap_and(np_bitmap *dst, const np_bitmap *src)
{
        for (size_t i = 0; i < NP_BITMAP_MAX / 64; i++)
                dst->w[i] &= src->w[i];
}

int np_bitmap_next(const np_bitmap *b, unsigned from)
{
        for (unsigned i = from; i < NP_BITMAP_MAX; i++) {
                uint64_t word = b->w[i / 64] >> (i % 64);

                if (!word) {
                        i |= 63; /* skip to the end of this word */
                        continue;
                }
                return (int)(i + (unsigned)__builtin_ctzll(word));
        }
        return -1;
}

/* Read an unsigned decimal below @max at *p, an item of the set @s;
 * advance *p.  Reports what is wrong. */
static int parse_number(const char *s, const char **p, unsigned max, unsigned *ret,
                        np_error *err)
{
        uint64_t v;

        if (**p < '0' || **p > '9')
                return np_err(err, EINVAL, "nodeset '%s': expected a number at '%s'", s, *p);
        if (np_parse_dec_prefix(p, &v) < 0 || v >= max)
                return np_err(err, ERANGE, "nodeset '%s': number out of range (limit %u)", s, max - 1);
        *ret = (unsigned)v;
        return 0;
}

static int parse_common(const char *s, unsigned max, bool allow_empty,
                        np_bitmap *ret, np_error *err)
{
        np_bitmap set;
        const char *p = s;
        bool any_item = false;

        if (!s)
                return np_err(err, EINVAL, "missing nodeset");
        np_bitmap_clear(&set);

        for (;;) {
                bool neg = false;
                unsigned a, b;
                int r;

                while (isspace((unsigned char)*p))
                        p++;
                if (!*p && !any_item && allow_empty)
                        break;
                if (*p == '^') {
                        neg = true;
                        p++;
                }
                r = parse_number(s, &p, max, &a, err);
                if (r < 0)
                        return r;
                b = a;
                if (!neg && *p == '-') {
                        p++;
                        r = parse_number(s, &p, max, &b, err);
                        if (r < 0)
                                return r;
                        if (b < a)
                                return np_err(err, EINVAL, "nodeset '%s': range %u-%u runs backwards", s, a, b);
                }
                /* Each item applies where it stands, as libvirt's
                 * virBitmapParse() applies it: "^1,0-2" is 0-2 and
                 * "0-3,^1,1" is 0-3 (checked with virsh define +
                 * dumpxml on libvirt 9.0). */
                for (unsigned i = a; i <= b; i++) {
                        if (neg)
                                np_bitmap_unset(&set, i);
                        else
                                np_bitmap_set(&set, i);
                }
                any_item = true;
                while (isspace((unsigned char)*p))
                        p++;
                if (!*p)
                        break;
                if (*p != ',')
                        return np_err(err, EINVAL, "nodeset '%s': unexpected '%c'", s, *p);
                p++;
        }

        if (any_item && np_bitmap_is_empty(&set))
                return np_err(err, EINVAL, "nodeset '%s' is empty", s);
        *ret = set;
        return 0;
}

int np_bitmap_parse(const char *s, unsigned max, np_bitmap *ret, np_error *err)
{
        return parse_common(s, max, false, ret, err);
}

int np_bitmap_parse_list(const char *s, unsigned max, np_bitmap *ret,
                         np_error *err)
{
        return parse_common(s, max, true, ret, err);
}

size_t np_bitmap_format(const np_bitmap *b, char *buf, size_t len)
{
        size_t used = 0;
        int i = np_bitmap_next(b, 0);

        if (len)
                buf[0] = '\0';
        while (i >= 0) {
                int j = i;
                char item[32];
                int n;

                while (j + 1 < (int)NP_BITMAP_MAX && np_bitmap_test(b, (unsigned)j + 1))
                        j++;
                if (j == i)
                        n = snprintf(item, sizeof(item), "%s%d", used ? "," : "", i);
                else
                        n = snprintf(item, sizeof(item), "%s%d-%d", used ? "," : "", i, j);
                if (used + (size_t)n < len)
                        memcpy(buf + used, item, (size_t)n + 1);
                used += (size_t)n;
                i = np_bitmap_next(b, (unsigned)j + 1);
        }
        if (len && used >= len)
                buf[len - 1] = '\0';
        return used;
}

const char *np_bitmap_nodes_phrase(const np_bitmap *nodes, char *buf, size_t len)
{
        char set[256];

        np_bitmap_format(nodes, set, sizeof(set));
        snprintf(buf, len, "node%s %s", np_bitmap_count(nodes) == 1 ? "" : "s", set);
        return buf;
}
