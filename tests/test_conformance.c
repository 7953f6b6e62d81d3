/* test_conformance.c: the intent parser against libvirt's own test pairs.
 *
 * ../shared/conformance/libvirt-xml2argv/ holds 52 domain XMLs from
 * libvirt's QEMU test suite with the memory backends libvirt's command line
 * builder made of them (expected.tsv, one row per -object memory-backend-*).
 * Every case becomes one test: each expected backend must exist among our
 * regions under the same id and agree on size, backing, policy and host
 * nodes, page size, sharing and guest cell; we must have no region libvirt
 * did not create.  Every disagreement of a case is reported, not only the
 * first.
 *
 * Cases written for a later libvirt that libvirt 9.0 refuses to define
 * are listed in tests/conformance/refused.tsv: those must be refused, with
 * the message given there.
 *
 * The directory is found through NP_CONFORMANCE_DIR, else NP_TOP (set by
 * tests/run-all) as $NP_TOP/../shared/conformance/libvirt-xml2argv.  It is
 * not part of the project: when it is not there, a '#' line says so and
 * nothing is run (tests/conformance/run holds numaplace against the real
 * libvirt with the project's own XML either way). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bitmap.h"
#include "error.h"
#include "intent.h"

#define MAX_COLUMNS 32
#define MAX_ROWS_PER_CASE 16

enum column {
        COL_CASE,
        COL_BACKEND_ID,
        COL_QOM_TYPE,
        COL_SIZE_BYTES,
        COL_HOST_NODES,
        COL_POLICY,
        COL_MEM_PATH,
        COL_GUEST_NUMA_NODE,
        COL_SHARE,
        COL_HUGETLBSIZE,
        COL_DEVICE_NODE,
        COL__COUNT,
};

static const char *const column_names[COL__COUNT] = {
        [COL_CASE] = "case",
        [COL_BACKEND_ID] = "backend_id",
        [COL_QOM_TYPE] = "qom_type",
        [COL_SIZE_BYTES] = "size_bytes",
        [COL_HOST_NODES] = "host_nodes",
        [COL_POLICY] = "policy",
        [COL_MEM_PATH] = "mem_path",
        [COL_GUEST_NUMA_NODE] = "guest_numa_node",
        [COL_SHARE] = "share",
        [COL_HUGETLBSIZE] = "hugetlbsize",
        [COL_DEVICE_NODE] = "device_node",
};

struct row {
        char *field[COL__COUNT];
};

struct test_case {
        char name[128];
        const char *refused;        /* refused.tsv: what our message says */
        struct row rows[MAX_ROWS_PER_CASE];
        size_t n_rows;
};

static char conformance_dir[PATH_MAX];

/* Cases whose expected values carry an artefact of libvirt's test harness
 * that no reading of the XML can reproduce. */
static bool keeps_unaligned_cells(const char *name)
{
        /* libvirt's harness starts this case as an incoming migration, and
         * libvirt skips aligning cell sizes to 1 MiB then (the migration
         * source has done it).  The XML carries no trace of that, so we
         * align as for every normal start; the expected size, aligned the
         * same way, must then agree. */
        return !strcmp(name, "migrate-numa-unaligned");
}

/* The mocked test host has nodes 0-3 and numad "advises" all of them; with
 * placement='auto' the real nodes are only known once numad has spoken
 * (np_intent_apply_status), so any expected set within 0-3 is accepted. */
static bool harness_numad_nodes(const np_bitmap *nodes)
{
        np_bitmap mock;

        np_bitmap_clear(&mock);
        for (unsigned i = 0; i < 4; i++)
                np_bitmap_set(&mock, i);
        return np_bitmap_equal(nodes, &mock);
}

static uint64_t expected_pagesize_kib(const struct row *row)
{
        const char *path = row->field[COL_MEM_PATH];
        const char *hugetlbsize = row->field[COL_HUGETLBSIZE];

        if (*hugetlbsize)
                return strtoull(hugetlbsize, NULL, 10) / 1024;
        if (!strncmp(path, "/dev/hugepages2M", 16))
                return 2048;
        if (!strncmp(path, "/dev/hugepages1G", 16))
                return 1048576;
        return 4;
}

static bool expected_backing(const char *qom_type, np_backing *ret)
{
        if (!strcmp(qom_type, "memory-backend-ram"))
                *ret = NP_BACKING_ANONYMOUS;
        else if (!strcmp(qom_type, "memory-backend-file"))
                *ret = NP_BACKING_FILE;
        else if (!strcmp(qom_type, "memory-backend-memfd"))
                *ret = NP_BACKING_MEMFD;
        else
                return false;
        return true;
}

/* host_nodes in expected.tsv is a comma-joined list: the kernel list
 * grammar reads it. */
static bool expected_nodes(const char *list, np_bitmap *ret)
{
        return np_bitmap_parse_list(list, NP_NODE_MAX, ret, NULL) == 0;
}

struct report {
        char text[8192];
        size_t len;
        unsigned count;
};

__attribute__((format(printf, 2, 3)))
static void disagree(struct report *rep, const char *fmt, ...)
{
        va_list ap;
        int n;

        rep->count++;
        if (rep->len >= sizeof(rep->text) - 2)
                return;
        va_start(ap, fmt);
        n = vsnprintf(rep->text + rep->len, sizeof(rep->text) - rep->len, fmt, ap);
        va_end(ap);
        if (n > 0)
                rep->len += (size_t)n;
        if (rep->len < sizeof(rep->text) - 1) {
                rep->text[rep->len++] = '\n';
                rep->text[rep->len] = '\0';
        }
}

static const np_region *find_region(const np_intent *in, const char *id)
{
        for (size_t i = 0; i < in->n_regions; i++)
                if (!strcmp(in->regions[i].id, id))
                        return &in->regions[i];
        return NULL;
}

static void check_row(const struct test_case *tc, const struct row *row,
                      const np_region *r, struct report *rep)
{
        const char *id = row->field[COL_BACKEND_ID];
        const char *policy = row->field[COL_POLICY];
        const char *share = row->field[COL_SHARE];
        const char *cell = *row->field[COL_GUEST_NUMA_NODE] ? row->field[COL_GUEST_NUMA_NODE]
                                                            : row->field[COL_DEVICE_NODE];
        uint64_t size_bytes = strtoull(row->field[COL_SIZE_BYTES], NULL, 10);
        uint64_t want_kib = size_bytes / 1024;
        uint64_t want_page = expected_pagesize_kib(row);
        np_backing want_backing;
        np_bitmap want_nodes;
        char ours[256], theirs[256];

        if (keeps_unaligned_cells(tc->name)) {
                /* what the intent says a migrated domain keeps */
                if (r->xml_kib != want_kib)
                        disagree(rep, "%s: size as written %" PRIu64 " KiB, libvirt kept %" PRIu64 " bytes",
                                 id, r->xml_kib, size_bytes);
                want_kib = (want_kib + 1023) / 1024 * 1024;
        }
        if (size_bytes % 1024 || r->size_kib != want_kib)
                disagree(rep, "%s: size %" PRIu64 " KiB, libvirt %" PRIu64 " bytes", id,
                         r->size_kib, size_bytes);

        if (!expected_backing(row->field[COL_QOM_TYPE], &want_backing))
                disagree(rep, "%s: unknown qom-type '%s' in expected.tsv", id,
                         row->field[COL_QOM_TYPE]);
        else if (r->backing != want_backing)
                disagree(rep, "%s: backing %s, libvirt %s", id, np_backing_to_string(r->backing),
                         row->field[COL_QOM_TYPE]);

        if (r->pagesize_kib != want_page)
                disagree(rep, "%s: page size %" PRIu64 " KiB, libvirt %" PRIu64 " KiB (mem-path '%s')",
                         id, r->pagesize_kib, want_page, row->field[COL_MEM_PATH]);

        if (!expected_nodes(row->field[COL_HOST_NODES], &want_nodes)) {
                disagree(rep, "%s: unreadable host_nodes '%s' in expected.tsv", id,
                         row->field[COL_HOST_NODES]);
        } else if (!*policy) {
                /* no host-nodes and no policy: restrictive (cgroup only) or nothing */
                if (r->mode != NP_MODE_RESTRICTIVE && r->mode != NP_MODE_NONE)
                        disagree(rep, "%s: mode %s, libvirt sets no policy", id,
                                 np_mode_to_string(r->mode));
                if (!np_bitmap_is_empty(&want_nodes))
                        disagree(rep, "%s: libvirt has host-nodes '%s' without policy", id,
                                 row->field[COL_HOST_NODES]);
        } else {
                np_mode want_mode = !strcmp(policy, "bind") ? NP_MODE_STRICT
                                  : !strcmp(policy, "preferred") ? NP_MODE_PREFERRED
                                  : !strcmp(policy, "interleave") ? NP_MODE_INTERLEAVE
                                  : NP_MODE__COUNT;

                if (r->mode != want_mode)
                        disagree(rep, "%s: mode %s, libvirt policy %s", id,
                                 np_mode_to_string(r->mode), policy);
                if (r->enforcement != NP_ENFORCE_MBIND)
                        disagree(rep, "%s: enforcement %s, libvirt binds with host-nodes", id,
                                 np_enforcement_to_string(r->enforcement));
                if (r->placement_auto) {
                        if (r->has_nodes || !harness_numad_nodes(&want_nodes))
                                disagree(rep, "%s: placement auto, libvirt's harness gave host-nodes '%s'",
                                         id, row->field[COL_HOST_NODES]);
                } else if (!r->has_nodes || !np_bitmap_equal(&r->nodes, &want_nodes)) {
                        np_bitmap_format(&r->nodes, ours, sizeof(ours));
                        np_bitmap_format(&want_nodes, theirs, sizeof(theirs));
                        disagree(rep, "%s: host nodes '%s'%s, libvirt '%s'", id, ours,
                                 r->has_nodes ? "" : " (none)", theirs);
                }
        }

        if (r->shared != !strcmp(share, "true"))
                disagree(rep, "%s: shared %s, libvirt share '%s'", id,
                         r->shared ? "yes" : "no", share);

        if (*cell ? r->cell != atoi(cell) : r->cell != -1)
                disagree(rep, "%s: guest cell %d, libvirt '%s'", id, r->cell, cell);
}

static void test_case(void **state)
{
        const struct test_case *tc = *state;
        char path[PATH_MAX + 160];
        struct report rep = { .len = 0 };
        np_error err = { "" };
        np_intent *in = NULL;
        int r;

        snprintf(path, sizeof(path), "%s/%s.xml", conformance_dir, tc->name);
        r = np_intent_read_domxml(path, &in, &err);
        if (tc->refused) {
                if (r == 0)
                        fail_msg("%s: accepted, but libvirt 9.0 refuses it", tc->name);
                if (r != -EINVAL || !strstr(err.msg, tc->refused) || strchr(err.msg, '\n'))
                        fail_msg("%s: refused with '%s', want one line with '%s'", tc->name,
                                 err.msg, tc->refused);
                return;
        }
        if (r < 0)
                fail_msg("%s: the parser refused it: %s", tc->name, err.msg);

        for (size_t i = 0; i < tc->n_rows; i++) {
                const struct row *row = &tc->rows[i];
                const np_region *reg = find_region(in, row->field[COL_BACKEND_ID]);

                if (!reg)
                        disagree(&rep, "%s: no such region", row->field[COL_BACKEND_ID]);
                else
                        check_row(tc, row, reg, &rep);
        }
        for (size_t i = 0; i < in->n_regions; i++) {
                bool expected = false;

                for (size_t j = 0; j < tc->n_rows && !expected; j++)
                        expected = !strcmp(in->regions[i].id, tc->rows[j].field[COL_BACKEND_ID]);
                if (!expected)
                        disagree(&rep, "%s: libvirt creates no such backend", in->regions[i].id);
        }
        np_intent_free(in);
        if (rep.count)
                fail_msg("%s: %u disagreement(s) with libvirt:\n%s", tc->name, rep.count, rep.text);
}

/* Split @line at tabs into at most @max fields, in place. */
static size_t split_tabs(char *line, char **fields, size_t max)
{
        size_t n = 0;

        line[strcspn(line, "\r\n")] = '\0';
        while (n < max) {
                char *tab = strchr(line, '\t');

                fields[n++] = line;
                if (!tab)
                        break;
                *tab = '\0';
                line = tab + 1;
        }
        return n;
}

static char *dup_or_die(const char *s)
{
        char *d = strdup(s);

        if (!d) {
                fprintf(stderr, "out of memory\n");
                exit(2);
        }
        return d;
}

/* Read expected.tsv into cases, in file order; NULL when it cannot be read. */
static struct test_case *read_cases(const char *file, size_t *ret_n)
{
        struct test_case *cases = NULL;
        size_t n = 0, cap = 0;
        int index[COL__COUNT];
        char line[4096];
        char *fields[MAX_COLUMNS];
        FILE *f = fopen(file, "re");
        size_t nf;

        if (!f)
                return NULL;
        if (!fgets(line, sizeof(line), f)) {
                fclose(f);
                return NULL;
        }
        nf = split_tabs(line, fields, MAX_COLUMNS);
        for (int c = 0; c < COL__COUNT; c++) {
                index[c] = -1;
                for (size_t i = 0; i < nf; i++)
                        if (!strcmp(fields[i], column_names[c]))
                                index[c] = (int)i;
                if (index[c] < 0) {
                        fprintf(stderr, "%s: no column '%s'\n", file, column_names[c]);
                        exit(2);
                }
        }

        while (fgets(line, sizeof(line), f)) {
                struct test_case *tc;
                struct row *row;

                nf = split_tabs(line, fields, MAX_COLUMNS);
                if (nf < 2)
                        continue;
                if (!n || strcmp(cases[n - 1].name, fields[index[COL_CASE]])) {
                        if (n == cap) {
                                cap = cap ? 2 * cap : 64;
                                cases = realloc(cases, cap * sizeof(*cases));
                                if (!cases) {
                                        fprintf(stderr, "out of memory\n");
                                        exit(2);
                                }
                        }
                        tc = &cases[n++];
                        memset(tc, 0, sizeof(*tc));
                        snprintf(tc->name, sizeof(tc->name), "%s", fields[index[COL_CASE]]);
                }
                tc = &cases[n - 1];
                if (tc->n_rows == MAX_ROWS_PER_CASE) {
                        fprintf(stderr, "%s: case %s has more than %d rows\n", file, tc->name,
                                MAX_ROWS_PER_CASE);
                        exit(2);
                }
                row = &tc->rows[tc->n_rows++];
                for (int c = 0; c < COL__COUNT; c++)
                        row->field[c] = dup_or_die((size_t)index[c] < nf ? fields[index[c]] : "");
        }
        fclose(f);
        *ret_n = n;
        return cases;
}

/* refused.tsv: mark the cases libvirt 9.0 refuses. */
static void read_refused(const char *file, struct test_case *cases, size_t n)
{
        char line[1024];
        FILE *f = fopen(file, "re");

        if (!f) {
                fprintf(stderr, "%s: %s\n", file, strerror(errno));
                exit(2);
        }
        while (fgets(line, sizeof(line), f)) {
                char *fields[3];
                size_t i;

                if (line[0] == '#' || line[0] == '\n')
                        continue;
                if (split_tabs(line, fields, 3) != 3) {
                        fprintf(stderr, "%s: not three tab-separated fields: %s\n", file, line);
                        exit(2);
                }
                for (i = 0; i < n && strcmp(cases[i].name, fields[0]); i++)
                        ;
                if (i == n) {
                        fprintf(stderr, "%s: no case '%s' in expected.tsv\n", file, fields[0]);
                        exit(2);
                }
                cases[i].refused = dup_or_die(fields[1]);
        }
        fclose(f);
}

int main(void)
{
        const char *dir = getenv("NP_CONFORMANCE_DIR");
        const char *top = getenv("NP_TOP");
        const char *tests_dir = getenv("NP_TESTS");
        char tsv[PATH_MAX + 32];
        struct test_case *cases = NULL;
        struct CMUnitTest *tests;
        size_t n = 0;
        int failed;

        if (dir && *dir)
                snprintf(conformance_dir, sizeof(conformance_dir), "%s", dir);
        else if (top && *top)
                snprintf(conformance_dir, sizeof(conformance_dir),
                         "%s/../shared/conformance/libvirt-xml2argv", top);
        if (conformance_dir[0]) {
                snprintf(tsv, sizeof(tsv), "%s/expected.tsv", conformance_dir);
                cases = read_cases(tsv, &n);
        }
        if (!cases || n == 0) {
                printf("# conformance: libvirt's own test pairs are not here (%s); not used\n",
                       conformance_dir[0] ? conformance_dir : "set NP_CONFORMANCE_DIR or NP_TOP");
                return 0;
        }
        if (tests_dir && *tests_dir)
                snprintf(tsv, sizeof(tsv), "%s/conformance/refused.tsv", tests_dir);
        else if (top && *top)
                snprintf(tsv, sizeof(tsv), "%s/tests/conformance/refused.tsv", top);
        else
                snprintf(tsv, sizeof(tsv), "tests/conformance/refused.tsv");
        read_refused(tsv, cases, n);

        tests = calloc(n, sizeof(*tests));
        if (!tests) {
                fprintf(stderr, "out of memory\n");
                return 2;
        }
        for (size_t i = 0; i < n; i++) {
                tests[i].name = cases[i].name;
                tests[i].test_func = test_case;
                tests[i].initial_state = &cases[i];
        }
        failed = _cmocka_run_group_tests("conformance", tests, n, NULL, NULL);

        for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < cases[i].n_rows; j++)
                        for (int c = 0; c < COL__COUNT; c++)
                                free(cases[i].rows[j].field[c]);
        for (size_t i = 0; i < n; i++)
                free((char *)cases[i].refused);
        free(cases);
        free(tests);
        return failed;
}
