/* testutil.h: what the cmocka programs share: finding the fixture trees
 * under tests/data/ and opening one as a sysroot.  Include after
 * <cmocka.h>. */
#pragma once

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bitmap.h"
#include "error.h"
#include "sysroot.h"

/* Fixture trees: NP_TESTS (set by tests/run-all) names the tests
 * directory; without it, the directory this file sits in (the build
 * compiles tests from absolute paths). */
static inline const char *data_dir(const char *tree, char *buf, size_t len)
{
        const char *tests = getenv("NP_TESTS");

        if (tests && *tests) {
                snprintf(buf, len, "%s/data/%s", tests, tree);
        } else {
                const char *slash = strrchr(__FILE__, '/');

                snprintf(buf, len, "%.*s/data/%s", slash ? (int)(slash - __FILE__) : 1,
                         slash ? __FILE__ : ".", tree);
        }
        return buf;
}

static inline np_sysroot *open_tree(const char *tree)
{
        char dir[PATH_MAX];
        np_sysroot *root = NULL;
        np_error err = { { 0 } };

        if (np_sysroot_open(data_dir(tree, dir, sizeof(dir)), &root, &err) < 0)
                fail_msg("%s", err.msg);
        return root;
}

static inline const char *fmt(const np_bitmap *b, char *buf, size_t len)
{
        np_bitmap_format(b, buf, len);
        return buf;
}

/* Remove a scratch tree a test made (every test that builds one below
 * /tmp).  Returns 0, or -1 when rm failed. */
static inline int remove_tree(const char *dir)
{
        char cmd[PATH_MAX + 16];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        return system(cmd) == 0 ? 0 : -1;
}
