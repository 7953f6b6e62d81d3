/* sample.h: where a region's memory is, from a uniform sample of its pages.
 *
 * Instead of walking every page (numa_maps), draw N addresses uniformly
 * over the bytes of the region's mappings and ask the kernel which node
 * holds the page at each one (page_nodes.h).  What that can prove:
 *   - one sampled page off the allowed nodes is a page off them: a fact;
 *   - none of n present samples off them bounds the fraction f of the
 *     region's resident memory that is off them: if f were p or more,
 *     seeing none would happen with probability at most (1 - p)^n, so
 *     f < 1 - alpha^(1/n) at confidence 1 - alpha;
 *   - hits per node estimate each node's share of the region within
 *     +- sqrt(ln(2k / alpha) / (2n)) for all k shown nodes at once
 *     (Hoeffding's inequality with a union bound).
 * A region with no more pages than N is asked about page by page, and
 * its figures are then exact.  Counts are integers; only the bounds are
 * real numbers. */
#pragma once

#include "bitmap.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct np_mapping;

/* What the samples of one mapping found. */
typedef struct np_sample_tally {
        uint64_t drawn;              /* addresses asked about */
        uint64_t not_present;        /* no page there (or only the zero page) */
        uint64_t errors;             /* the kernel could not say */
        uint64_t hits[NP_NODE_MAX];  /* present pages per node */
} np_sample_tally;

/* The defaults of scan and the hook ("auto"): sample 4096 pages per
 * region (a bound of 0.17 %) of guests with 16 GiB of RAM or more,
 * where the full walk of 4 KiB pages costs half a second and grows
 * with the guest while the sample stays at tens of milliseconds
 * (README, "Sampled checks"; make bench). */
#define NP_SAMPLE_AUTO_PAGES 4096u
#define NP_SAMPLE_AUTO_ABOVE_KIB (UINT64_C(16) << 20)

/* Confidence of every bound numaplace states: 99.9 %. */
#define NP_SAMPLE_ALPHA 0.001
#define NP_SAMPLE_MAX 1000000u   /* largest N accepted */

/* Asks where @n pages are: fills @status as np_page_nodes() does and
 * returns 0 or -errno. */
typedef int (*np_page_query)(void *userdata, void **pages, size_t n, int *status);

/* Sample the region made of @maps (each with its start, end and
 * pagesize_kib; 0 is taken as 4): @n_samples byte offsets drawn uniformly
 * over all of them, each rounded down to its page, or every page once
 * when there are no more than @n_samples.  @seed 0 takes a seed from
 * getrandom(2).  Fills @tallies[i] for @maps[i] and sets *@ret_exhaustive
 * when every page was asked about.  Returns 0, -ENOMEM, or the query's
 * error. */
int np_sample_mappings(const struct np_mapping *const *maps, size_t n_maps,
                       unsigned n_samples, uint64_t seed, np_page_query query,
                       void *userdata, np_sample_tally *tallies, bool *ret_exhaustive);

/* The query for a live process: np_page_nodes() on the pid in
 * *(pid_t *)@userdata. */
int np_page_query_pid(void *userdata, void **pages, size_t n, int *status);

struct np_error;

/* Parse a sampling setting (--sample, the hook's "sample" key): "off"
 * (walk every page: 0 pages), "auto" (NP_SAMPLE_AUTO_PAGES above
 * NP_SAMPLE_AUTO_ABOVE_KIB) or a number of pages from 1 to
 * NP_SAMPLE_MAX (every guest).  Returns 0 or -EINVAL with @err saying
 * what is allowed. */
int np_sample_setting_parse(const char *text, unsigned *ret_pages,
                            uint64_t *ret_above_kib, struct np_error *err);

/* Upper bound on the fraction of a region off its nodes when none of
 * @present sampled present pages were: 1 - alpha^(1/present) (1 when
 * nothing was present). */
double np_sample_off_node_bound(uint64_t present, double alpha);

/* Half-width, as a fraction of the region, within which every one of
 * @n_estimates per-node shares estimated from @drawn samples lies at
 * confidence 1 - alpha: sqrt(ln(2 k / alpha) / (2 n)) (1 when nothing
 * was drawn). */
double np_sample_margin(uint64_t drawn, unsigned n_estimates, double alpha);

/* A fraction as a percentage rounded UP to two significant digits, for
 * "less than ...": 0.00982 -> "0.99%", 0.0000421 -> "0.0043%",
 * 0.0772 -> "7.8%".  Returns @buf. */
char *np_format_pct_ceil(double fraction, char *buf, size_t len);
