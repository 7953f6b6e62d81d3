/* sample.c: draw page addresses uniformly over a region and tally where
 * the kernel says they are; the bounds that tally supports. */
#include "sample.h"
#include "attribute.h"
#include "error.h"
#include "number.h"
#include "page_nodes.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

/* splitmix64: small, fast and statistically sound for drawing offsets;
 * nothing here needs a cryptographic generator. */
static uint64_t next_random(uint64_t *state)
{
        uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

        z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
        return z ^ (z >> 31);
}

/* Uniform in [0, bound) without modulo bias (Lemire's method). */
static uint64_t random_below(uint64_t *state, uint64_t bound)
{
        unsigned __int128 m = (unsigned __int128)next_random(state) * bound;
        uint64_t low = (uint64_t)m;

        if (low < bound) {
                uint64_t threshold = -bound % bound;

                while (low < threshold) {
                        m = (unsigned __int128)next_random(state) * bound;
                        low = (uint64_t)m;
                }
        }
        return (uint64_t)(m >> 64);
}

static uint64_t page_bytes(const np_mapping *m)
{
        return (m->pagesize_kib ? m->pagesize_kib : 4) * 1024;
}

int np_page_query_pid(void *userdata, void **pages, size_t n, int *status)
{
        return np_page_nodes(*(const pid_t *)userdata, pages, n, status);
}

int np_sample_mappings(const np_mapping *const *maps, size_t n_maps,
                       unsigned n_samples, uint64_t seed, np_page_query query,
                       void *userdata, np_sample_tally *tallies, bool *ret_exhaustive)
{
        uint64_t total_bytes = 0, total_pages = 0, state = seed;
        size_t n = 0, k = 0;
        size_t *owner = NULL;
        void **pages = NULL;
        int *status = NULL;
        bool exhaustive;
        int r = -ENOMEM;

        for (size_t i = 0; i < n_maps; i++) {
                uint64_t size = maps[i]->end - maps[i]->start;

                memset(&tallies[i], 0, sizeof(tallies[i]));
                total_bytes += size;
                total_pages += (size + page_bytes(maps[i]) - 1) / page_bytes(maps[i]);
        }
        exhaustive = total_pages <= n_samples;
        n = exhaustive ? (size_t)total_pages : n_samples;
        if (ret_exhaustive)
                *ret_exhaustive = exhaustive;
        if (!n)
                return 0;
        if (!state && getrandom(&state, sizeof(state), 0) != sizeof(state))
                return -errno;

        pages = malloc(n * sizeof(*pages));
        status = malloc(n * sizeof(*status));
        owner = malloc(n * sizeof(*owner));
        if (!pages || !status || !owner)
                goto out;

        if (exhaustive) {
                for (size_t i = 0; i < n_maps; i++)
                        for (uint64_t a = maps[i]->start; a < maps[i]->end; a += page_bytes(maps[i])) {
                                pages[k] = (void *)(uintptr_t)a;
                                owner[k++] = i;
                        }
        } else {
                for (k = 0; k < n; k++) {
                        uint64_t off = random_below(&state, total_bytes);
                        size_t i = 0;

                        while (off >= maps[i]->end - maps[i]->start) {
                                off -= maps[i]->end - maps[i]->start;
                                i++;
                        }
                        off -= off % page_bytes(maps[i]);
                        pages[k] = (void *)(uintptr_t)(maps[i]->start + off);
                        owner[k] = i;
                }
        }

        r = query(userdata, pages, n, status);
        if (r < 0)
                goto out;
        for (k = 0; k < n; k++) {
                np_sample_tally *t = &tallies[owner[k]];

                t->drawn++;
                if (status[k] >= 0 && status[k] < (int)NP_NODE_MAX)
                        t->hits[status[k]]++;
                else if (status[k] == -ENOENT || status[k] == -EFAULT)
                        t->not_present++;
                else
                        t->errors++;
        }
        r = 0;
out:
        free(pages);
        free(status);
        free(owner);
        return r;
}

double np_sample_off_node_bound(uint64_t present, double alpha)
{
        if (!present)
                return 1.0;
        /* -expm1(log(alpha) / n) is 1 - alpha^(1/n) without the loss of
         * precision of subtracting from 1 when n is large */
        return -expm1(log(alpha) / (double)present);
}

double np_sample_margin(uint64_t drawn, unsigned n_estimates, double alpha)
{
        double m;

        if (!drawn)
                return 1.0;
        if (!n_estimates)
                n_estimates = 1;
        m = sqrt(log(2.0 * n_estimates / alpha) / (2.0 * (double)drawn));
        return m < 1.0 ? m : 1.0;
}

char *np_format_pct_ceil(double fraction, char *buf, size_t len)
{
        double pct = fraction * 100.0, scale = 1.0;
        int decimals = 0;

        if (pct <= 0) {
                snprintf(buf, len, "0%%");
                return buf;
        }
        /* two significant digits: scale so that 10 <= pct * scale < 100 */
        while (pct * scale < 10.0 && decimals < 9) {
                scale *= 10.0;
                decimals++;
        }
        while (pct * scale >= 100.0 && scale > 1.0) {
                scale /= 10.0;
                decimals--;
        }
        /* the bound must not shrink when printed: round up, with a hair
         * of slack so that exact values such as 1% stay 1% */
        pct = ceil(pct * scale * (1.0 - 1e-12)) / scale;
        if (decimals < 0)
                decimals = 0;
        snprintf(buf, len, "%.*f%%", decimals, pct);
        return buf;
}

int np_sample_setting_parse(const char *text, unsigned *ret_pages,
                            uint64_t *ret_above_kib, np_error *err)
{
        uint64_t v;

        if (strcmp(text, "off") == 0) {
                *ret_pages = 0;
                *ret_above_kib = 0;
                return 0;
        }
        if (strcmp(text, "auto") == 0) {
                *ret_pages = NP_SAMPLE_AUTO_PAGES;
                *ret_above_kib = NP_SAMPLE_AUTO_ABOVE_KIB;
                return 0;
        }
        if (np_parse_u64_max(text, NP_SAMPLE_MAX, &v) < 0 || v < 1)
                return np_err(err, EINVAL, "'%s' is not a number of pages from 1 to %u, 'auto' or 'off'",
                              text, NP_SAMPLE_MAX);
        *ret_pages = (unsigned)v;
        *ret_above_kib = 0;
        return 0;
}
