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
                /* one decimal, rounded to nearest */
                uint64_t tenths = (kib * 10 + unit / 2) / unit;

                if (tenths % 10 == 0)
                        snprintf(buf, len, "%llu %s", (unsigned long long)(tenths / 10), names[i]);
                else
                        snprintf(buf, len, "%llu.%llu %s", (unsigned long long)(tenths / 10),
                                 (unsigned long long)(tenths % 10), names[i]);
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
