/* fuzz_parsers.c: libFuzzer targets for every parser that reads text an
 * attacker, a careless admin or a broken kernel could hand numaplace.
 * One source, one binary per parser: NP_FUZZ_TARGET names it (see
 * tests/fuzz/run for the list).  Each input is the whole text.
 *
 *   make fuzz FUZZ_SECONDS=60     (clang with libFuzzer, ASan and UBSan) */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bitmap.h"
#include "cgroup_stat.h"
#include "error.h"
#include "hookconf.h"
#include "intent.h"
#include "intent_lxd.h"
#include "numamaps.h"
#include "process.h"
#include "procmaps.h"
#include "qemu_cmdline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TARGET_IS(name) (strcmp(NP_FUZZ_TARGET, name) == 0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static np_numamaps_entry entry;
        np_error err;
        char *text;

        /* NUL-terminated copy: the line parsers take C strings */
        text = malloc(size + 1);
        if (!text)
                return 0;
        memcpy(text, data, size);
        text[size] = '\0';

        if (TARGET_IS("numamaps")) {
                np_numamaps_parse_line(text, &entry, &err);
        } else if (TARGET_IS("maps")) {
                np_maps_entry m;

                np_maps_parse_line(text, &m, &err);
        } else if (TARGET_IS("cmdline")) {
                np_qemu_cmdline *c = NULL;

                /* argv: NUL separated, as /proc/PID/cmdline */
                if (np_qemu_cmdline_parse((const char *)data, size, &c, &err) == 0)
                        np_qemu_cmdline_free(c);
        } else if (TARGET_IS("qemu_conf")) {
                np_qemu_cmdline *c = NULL;

                if (np_qemu_readconfig_parse(text, size, "qemu.conf", &c, &err) == 0)
                        np_qemu_cmdline_free(c);
        } else if (TARGET_IS("status")) {
                np_bitmap a, b;

                np_status_parse(text, &a, &b, &err);
        } else if (TARGET_IS("cgroup")) {
                char *path = NULL;
                bool v2;

                if (np_cgroup_parse(text, &path, &v2, &err) == 0)
                        free(path);
        } else if (TARGET_IS("nodeset")) {
                np_bitmap b;

                np_bitmap_parse(text, NP_NODE_MAX, &b, &err);
        } else if (TARGET_IS("domxml")) {
                np_intent *intent = NULL;

                if (np_intent_from_domxml(text, size, "fuzz.xml", &intent, &err) == 0) {
                        np_intent_apply_status(intent, text, size, "fuzz.xml", &err);
                        np_intent_free(intent);
                }
        } else if (TARGET_IS("lxd_config")) {
                np_lxd_config *c = NULL;

                /* JSON (lxc query) or YAML (lxc config show); then what
                 * the intent makes of it without a qemu.conf backend */
                if (np_lxd_config_parse(text, size, "config", &c, &err) == 0) {
                        np_qemu_cmdline *q = NULL;

                        if (np_qemu_readconfig_parse("", 0, "qemu.conf", &q, &err) == 0) {
                                np_intent *intent = NULL;
                                np_findings f = { 0 };

                                if (np_lxd_intent("vm", c, NULL, q, NULL, &intent, &f, &err) == 0)
                                        np_intent_free(intent);
                                np_findings_free(&f);
                                np_qemu_cmdline_free(q);
                        }
                        np_lxd_config_free(c);
                }
        } else if (TARGET_IS("hookconf")) {
                np_hookconf conf;

                np_hookconf_init(&conf);
                np_hookconf_parse(text, size, "numaplace.conf", &conf, &err);
                np_hookconf_done(&conf);
        } else if (TARGET_IS("numa_stat")) {
                /* v2 and hugetlb figures are bytes, v1's pages */
                static const char *const keys[] = { "anon", "hierarchical_anon", "total" };
                uint64_t kib;

                for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
                        np_stat_row row = { 0 };

                        np_numa_stat_parse(text, keys[k], k == 1 ? 4096 : 1, &row, &err);
                        np_stat_row_clear(&row);
                }
                np_hugetlb_stat_name(text, &kib);
        } else {
                abort(); /* a target the build names but this file lacks */
        }
        free(text);
        return 0;
}
