/* intent.c: the intent model (intent.h) whatever source filled it: its
 * names, its defaults and its release.  The domain XML parser
 * (intent_domxml.c) and the LXD path (intent_lxd.c) both build on it. */
#include "intent.h"
#include "enum.h"

#include <stdlib.h>

static const char *const mode_names[NP_MODE__COUNT] = {
        [NP_MODE_NONE] = "none",
        [NP_MODE_STRICT] = "strict",
        [NP_MODE_PREFERRED] = "preferred",
        [NP_MODE_INTERLEAVE] = "interleave",
        [NP_MODE_RESTRICTIVE] = "restrictive",
};

static const char *const backing_names[NP_BACKING__COUNT] = {
        [NP_BACKING_ANONYMOUS] = "anonymous",
        [NP_BACKING_FILE] = "file",
        [NP_BACKING_MEMFD] = "memfd",
};

static const char *const enforcement_names[NP_ENFORCE__COUNT] = {
        [NP_ENFORCE_NONE] = "none",
        [NP_ENFORCE_MBIND] = "mbind",
        [NP_ENFORCE_CGROUP] = "cgroup",
};

static const char *const thread_kind_names[NP_THREAD__COUNT] = {
        [NP_THREAD_VCPU] = "vcpu",
        [NP_THREAD_EMULATOR] = "emulator",
        [NP_THREAD_IOTHREAD] = "iothread",
};

NP_ENUM_TO_STRING(np_mode_to_string, np_mode, mode_names, "?")

NP_ENUM_TO_STRING(np_backing_to_string, np_backing, backing_names, "?")

NP_ENUM_TO_STRING(np_enforcement_to_string, np_enforcement, enforcement_names, "?")

NP_ENUM_TO_STRING(np_thread_kind_to_string, np_thread_kind, thread_kind_names, "?")

void np_intent_set_default_hugepage(np_intent *intent, uint64_t size_kib)
{
        if (!intent || !size_kib)
                return;
        for (size_t i = 0; i < intent->n_regions; i++)
                if (intent->regions[i].pagesize_default)
                        intent->regions[i].pagesize_kib = size_kib;
}

void np_intent_free(np_intent *intent)
{
        if (!intent)
                return;
        free(intent->name);
        free(intent->uuid);
        free(intent->regions);
        free(intent->pins);
        free(intent->nova_uuid);
        free(intent->nova_flavor);
        free(intent->override_mode);
        free(intent->hostdevs);
        for (size_t i = 0; i < intent->n_notes; i++)
                free(intent->notes[i]);
        free(intent->notes);
        free(intent);
}
