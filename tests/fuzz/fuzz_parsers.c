/* fuzz_parsers.c: libFuzzer target for every parser that reads text an
 * attacker or a broken kernel could hand numaplace: a numa_maps line, a
 * maps line, a QEMU argv, a status text, a cgroup text, a nodeset and a
 * domain XML.  The first input byte picks the parser.
 *
 *   make fuzz FUZZ_SECONDS=60     (clang with libFuzzer, ASan and UBSan) */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bitmap.h"
#include "error.h"
#include "intent.h"
#include "numamaps.h"
#include "process.h"
#include "procmaps.h"
#include "qemu_cmdline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static np_numamaps_entry entry;
        np_error err;
        char *text;

        if (size < 1)
                return 0;
        text = malloc(size);
        if (!text)
                return 0;
        memcpy(text, data + 1, size - 1);
        text[size - 1] = '\0';

        switch (data[0] % 7) {
        case 0:
                np_numamaps_parse_line(text, &entry, &err);
                break;
        case 1: {
                np_maps_entry m;

                np_maps_parse_line(text, &m, &err);
                break;
        }
        case 2: {
                np_qemu_cmdline *c = NULL;

                /* argv: NUL separated, as /proc/PID/cmdline */
                if (np_qemu_cmdline_parse((const char *)data + 1, size - 1, &c, &err) == 0)
                        np_qemu_cmdline_free(c);
                break;
        }
        case 3: {
                np_bitmap a, b;

                np_status_parse(text, &a, &b, &err);
                break;
        }
        case 4: {
                char *path = NULL;
                bool v2;

                if (np_cgroup_parse(text, &path, &v2, &err) == 0)
                        free(path);
                break;
        }
        case 5: {
                np_bitmap b;

                np_bitmap_parse(text, NP_NODE_MAX, &b, &err);
                break;
        }
        case 6: {
                np_intent *intent = NULL;

                if (np_intent_from_domxml(text, size - 1, "fuzz.xml", &intent, &err) == 0) {
                        np_intent_apply_status(intent, text, size - 1, "fuzz.xml", &err);
                        np_intent_free(intent);
                }
                break;
        }
        }
        free(text);
        return 0;
}
