/* intent_notes.c: what an intent assumed, and what this host lacks.
 *
 * A domain XML can be meant for another host, so nodes or huge page
 * sizes this machine does not have are no error: libvirt defines such a
 * domain and only refuses to start it.  The notes say so, and say which
 * sizes were assumed where a configuration does not settle them. */
#include "intent.h"
#include "array.h"
#include "host.h"
#include "units.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int add(np_intent *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int add(np_intent *in, const char *fmt, ...)
{
        va_list ap;
        int n;

        if (np_array_reserve(&in->notes, &in->cap_notes, in->n_notes + 1) < 0)
                return -ENOMEM;
        va_start(ap, fmt);
        n = vasprintf(&in->notes[in->n_notes], fmt, ap);
        va_end(ap);
        if (n < 0)
                return -ENOMEM;
        in->n_notes++;
        return 0;
}

/* A configuration's sizes are those of a new start; an incoming
 * migration keeps the source's (qemuDomainAlignMemorySizes runs only for
 * a new start). */
static int note_sizes(np_intent *in)
{
        const np_region *first = NULL;
        size_t n = 0;

        if (in->live)
                return 0;
        for (size_t i = 0; i < in->n_regions; i++)
                if (in->regions[i].xml_kib != in->regions[i].size_kib && n++ == 0)
                        first = &in->regions[i];
        if (!first)
                return 0;
        return add(in, "sizes assume a new start: libvirt rounds %s up from %" PRIu64 " KiB to %" PRIu64 " KiB%s; a domain started for an incoming migration or from a saved state keeps the sizes as written",
                   first->id, first->xml_kib, first->size_kib,
                   n > 1 ? " (and other regions' sizes too)" : "");
}

static int note_nodes(np_intent *in, const np_host *host)
{
        np_bitmap have, missing;
        const char *first = NULL;
        char set[256], nodes[300];

        np_bitmap_clear(&have);
        np_bitmap_clear(&missing);
        for (size_t i = 0; i < host->n_nodes; i++)
                np_bitmap_set(&have, host->nodes[i].id);
        for (size_t i = 0; i < in->n_regions; i++) {
                const np_region *r = &in->regions[i];

                if (!r->has_nodes || np_bitmap_is_subset(&r->nodes, &have))
                        continue;
                for (int b = np_bitmap_next(&r->nodes, 0); b >= 0;
                     b = np_bitmap_next(&r->nodes, (unsigned)b + 1))
                        if (!np_bitmap_test(&have, (unsigned)b))
                                np_bitmap_set(&missing, (unsigned)b);
                if (!first)
                        first = r->id;
        }
        if (!first)
                return 0;
        np_bitmap_format(&have, set, sizeof(set));
        return add(in, "%s (%s) %s not on this host, whose nodes are %s: libvirt will not start the domain here; the XML may be meant for another host",
                   np_bitmap_nodes_phrase(&missing, nodes, sizeof(nodes)), first,
                   np_bitmap_count(&missing) == 1 ? "is" : "are", set);
}

static bool host_has_pagesize(const np_host *host, uint64_t kib)
{
        for (size_t i = 0; i < host->n_nodes; i++)
                if (np_host_node_pool(&host->nodes[i], kib))
                        return true;
        return false;
}

static int note_pagesizes(np_intent *in, const np_host *host)
{
        for (size_t i = 0; i < in->n_regions; i++) {
                const np_region *r = &in->regions[i];
                bool earlier = false;
                char size[32];

                if (r->pagesize_kib <= 4 || r->pagesize_default || host_has_pagesize(host, r->pagesize_kib))
                        continue;
                for (size_t j = 0; j < i && !earlier; j++)
                        earlier = in->regions[j].pagesize_kib == r->pagesize_kib &&
                                  !in->regions[j].pagesize_default;
                if (earlier)
                        continue;
                if (add(in, "%s pages (%s) are not on this host: libvirt will not start the domain here; the XML may be meant for another host",
                        np_format_kib(r->pagesize_kib, size, sizeof(size)), r->id) < 0)
                        return -ENOMEM;
        }
        return 0;
}

int np_intent_add_notes(np_intent *intent, const np_host *host)
{
        int r = note_sizes(intent);

        if (r == 0 && host && host->n_nodes)
                r = note_nodes(intent, host);
        if (r == 0 && host && host->n_nodes)
                r = note_pagesizes(intent, host);
        return r;
}
