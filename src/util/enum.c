/* enum.c: names of enumerations (enum.h). */
#include "enum.h"

#include <errno.h>
#include <string.h>

const char *np_enum_name(const char *const *names, size_t n, unsigned v, const char *fallback)
{
        return v < n && names[v] ? names[v] : fallback;
}

int np_enum_index(const char *const *names, size_t n, const char *s, unsigned *ret)
{
        if (!s)
                return -EINVAL;
        for (size_t i = 0; i < n; i++)
                if (names[i] && strcmp(s, names[i]) == 0) {
                        *ret = (unsigned)i;
                        return 0;
                }
        return -EINVAL;
}
