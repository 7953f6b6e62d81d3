/* units.c: sizes for people. */
#include "units.h"

#include <stdio.h>

char *np_format_kib(uint64_t kib, char *buf, size_t len)
{
        static const char *const names[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
        uint64_t unit = 1;
        size_t i = 0;

        while (i + 1 < sizeof(names) / sizeof(names[0]) && kib >= unit * 1024) {
                unit *= 1024;
                i++;
        }
        if (kib % unit == 0) {
                snprintf(buf, len, "%llu %s", (unsigned long long)(kib / unit), names[i]);
        } else {
                /* one decimal, rounded to nearest; the whole part and
                 * the rest apart, as kib * 10 may not fit */
                uint64_t whole = kib / unit, tenth = (kib % unit * 10 + unit / 2) / unit;

                if (tenth == 10) {
                        whole++;
                        tenth = 0;
                }
                if (tenth == 0)
                        snprintf(buf, len, "%llu %s", (unsigned long long)whole, names[i]);
                else
                        snprintf(buf, len, "%llu.%llu %s", (unsigned long long)whole,
                                 (unsigned long long)tenth, names[i]);
        }
        return buf;
}

char *np_format_pagesize(uint64_t kib, char *buf, size_t len)
{
        if (kib >= 1024 * 1024 && kib % (1024 * 1024) == 0)
                snprintf(buf, len, "%lluG", (unsigned long long)(kib / (1024 * 1024)));
        else if (kib >= 1024 && kib % 1024 == 0)
                snprintf(buf, len, "%lluM", (unsigned long long)(kib / 1024));
        else
                snprintf(buf, len, "%lluK", (unsigned long long)kib);
        return buf;
}
