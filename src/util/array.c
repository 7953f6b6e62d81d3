/* array.c: growing arrays (array.h). */
#include "array.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

int np_array_reserve_(void **array, size_t *cap, size_t need, size_t size)
{
        size_t ncap = *cap ? *cap : 8;
        void *na;

        if (need <= *cap)
                return 0;
        while (ncap < need) {
                if (ncap > SIZE_MAX / 2)
                        return -ENOMEM;
                ncap *= 2;
        }
        if (size && ncap > SIZE_MAX / size)
                return -ENOMEM;
        na = realloc(*array, ncap * size);
        if (!na)
                return -ENOMEM;
        *array = na;
        *cap = ncap;
        return 0;
}
