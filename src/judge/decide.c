/* decide.c: the libvirt hook's rules and decision table (decide.h). */
#include "decide.h"
#include "enum.h"
#include "preflight.h"

#include <stdio.h>

static const char *const op_names[NP_HOOK_OP__COUNT] = {
        [NP_HOOK_OP_OTHER] = "other",
        [NP_HOOK_OP_PREPARE] = "prepare",
        [NP_HOOK_OP_STARTED] = "started",
        [NP_HOOK_OP_RECONNECT] = "reconnect",
};

NP_ENUM_TO_STRING(np_hook_op_to_string, np_hook_op, op_names, "other")
NP_ENUM_FROM_STRING(np_hook_op_from_string, np_hook_op, op_names)

static const char *const action_names[NP_HOOK_ACTION__COUNT] = {
        [NP_HOOK_ACTION_ALLOW] = "allow",
        [NP_HOOK_ACTION_WARN] = "warn",
        [NP_HOOK_ACTION_REFUSE] = "refuse",
};

NP_ENUM_TO_STRING(np_hook_action_to_string, np_hook_action, action_names, "refuse")

np_verdict np_hook_binding_rule(np_require_binding rule, bool has_numatune, size_t n_nodes,
                                char *buf, size_t len)
{
        buf[0] = '\0';
        if (has_numatune)
                return NP_VERDICT_COMPLIANT;
        switch (rule) {
        case NP_REQUIRE_BINDING_ALWAYS:
                snprintf(buf, len, "no <numatune> binding (require_binding = always)");
                return NP_VERDICT_VIOLATION;
        case NP_REQUIRE_BINDING_MULTI_NODE:
                if (n_nodes <= 1)
                        return NP_VERDICT_COMPLIANT;
                snprintf(buf, len,
                         "no <numatune> binding on a host with %zu NUMA nodes (require_binding = multi-node)",
                         n_nodes);
                return NP_VERDICT_VIOLATION;
        default:
                return NP_VERDICT_COMPLIANT;
        }
}

np_verdict np_hook_prepare_verdict(np_verdict binding, const np_preflight *preflight,
                                   bool preferred_is_violation)
{
        return np_verdict_worst(binding, np_verdict_for_preflight(preflight, preferred_is_violation));
}

np_verdict np_hook_check_verdict(np_verdict check, np_verdict binding)
{
        return np_verdict_worst(check, binding);
}

/* An error: refused only when enforcing with on_error = refuse. */
static np_hook_decision decide_error(bool enforce, bool on_error_refuse)
{
        np_hook_decision d = { .verdict = NP_VERDICT_ERROR };

        if (enforce && on_error_refuse) {
                d.action = NP_HOOK_ACTION_REFUSE;
                d.note = "on_error = refuse";
        } else {
                d.action = NP_HOOK_ACTION_ALLOW;
                d.note = enforce ? "on_error = allow" : "warn mode never refuses";
        }
        return d;
}

static np_hook_action action_for(np_verdict verdict, bool enforce, bool unverified_refuse)
{
        switch (verdict) {
        case NP_VERDICT_COMPLIANT:
                return NP_HOOK_ACTION_ALLOW;
        case NP_VERDICT_UNVERIFIED:
                return enforce && unverified_refuse ? NP_HOOK_ACTION_REFUSE : NP_HOOK_ACTION_WARN;
        case NP_VERDICT_VIOLATION:
                return enforce ? NP_HOOK_ACTION_REFUSE : NP_HOOK_ACTION_WARN;
        default:
                return NP_HOOK_ACTION_WARN;
        }
}

np_hook_decision np_hook_decide(np_hook_mode mode, np_hook_op op, int status, np_verdict verdict,
                                bool on_error_refuse, bool unverified_refuse)
{
        bool enforce = mode == NP_HOOK_MODE_ENFORCE;
        np_hook_decision d = { .verdict = verdict };

        if (mode == NP_HOOK_MODE_OFF) {
                d.action = NP_HOOK_ACTION_ALLOW;
                d.silent = true;
                return d;
        }
        if (status < 0 || verdict == NP_VERDICT_ERROR)
                d = decide_error(enforce, on_error_refuse);
        else
                d.action = action_for(verdict, enforce, unverified_refuse);
        if (op == NP_HOOK_OP_RECONNECT && d.action == NP_HOOK_ACTION_REFUSE) {
                d.action = d.verdict == NP_VERDICT_ERROR ? NP_HOOK_ACTION_ALLOW : NP_HOOK_ACTION_WARN;
                d.note = "reconnect never refuses: the guest is already running";
        }
        return d;
}
