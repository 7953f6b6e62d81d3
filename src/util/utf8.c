/* utf8.c: text that must come out as valid UTF-8. */
#include "utf8.h"

size_t np_utf8_char_len_n(const char *s, size_t avail)
{
        const unsigned char *p = (const unsigned char *)s;
        size_t n;
        unsigned cp;

        if (avail == 0)
                return 0;
        if (p[0] < 0x80)
                return 1;
        if (p[0] >= 0xc2 && p[0] <= 0xdf) {
                n = 2;
                cp = p[0] & 0x1fu;
        } else if (p[0] >= 0xe0 && p[0] <= 0xef) {
                n = 3;
                cp = p[0] & 0x0fu;
        } else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
                n = 4;
                cp = p[0] & 0x07u;
        } else {
                return 0;
        }
        if (avail < n)
                return 0;
        for (size_t i = 1; i < n; i++) {
                if ((p[i] & 0xc0) != 0x80)
                        return 0;
                cp = cp << 6 | (p[i] & 0x3fu);
        }
        /* overlong forms, surrogates and beyond U+10FFFF are not UTF-8 */
        if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
                return 0;
        return n;
}

size_t np_utf8_char_len(const char *s)
{
        /* a NUL ends any sequence early: it is no continuation byte */
        return np_utf8_char_len_n(s, 4);
}

size_t np_utf8_encode(unsigned cp, char out[4])
{
        if (cp < 0x80) {
                out[0] = (char)cp;
                return 1;
        }
        if (cp < 0x800) {
                out[0] = (char)(0xc0 | cp >> 6);
                out[1] = (char)(0x80 | (cp & 0x3f));
                return 2;
        }
        if (cp < 0x10000) {
                out[0] = (char)(0xe0 | cp >> 12);
                out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
                out[2] = (char)(0x80 | (cp & 0x3f));
                return 3;
        }
        out[0] = (char)(0xf0 | cp >> 18);
        out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
        out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
        out[3] = (char)(0x80 | (cp & 0x3f));
        return 4;
}

void np_utf8_write(FILE *out, const char *s, const char *(*escape)(unsigned char c))
{
        while (s && *s) {
                size_t n = np_utf8_char_len(s);
                const char *e = n == 1 ? escape((unsigned char)*s) : NULL;

                if (n == 0) {
                        fputs("\xef\xbf\xbd", out);
                        s++;
                        continue;
                }
                if (e)
                        fputs(e, out);
                else
                        fwrite(s, 1, n, out);
                s += n;
        }
}
