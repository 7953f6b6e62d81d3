/* decide.h: what the libvirt hook does about a verdict.
 *
 * The hook (hooks/numaplace-hook.c) gathers; this decides.  Its rules:
 * the require_binding rule, the verdict of a pre-flight or a check with
 * that rule folded in, and the decision table that turns mode, operation,
 * verdict and the on_error and unverified settings into allow, warn or
 * refuse.  Pure functions; this header includes verdict.h, so it reaches
 * every decision numaplace makes. */
#pragma once

#include "hookconf.h"
#include "verdict.h"

#include <stdbool.h>
#include <stddef.h>

/* The hook operations that get work (FACTS.md section 1). */
typedef enum np_hook_op {
        NP_HOOK_OP_OTHER,
        NP_HOOK_OP_PREPARE,     /* prepare begin: pre-flight, no QEMU yet */
        NP_HOOK_OP_STARTED,     /* started begin: the guest runs */
        NP_HOOK_OP_RECONNECT,   /* reconnect begin: libvirtd restarted */
        NP_HOOK_OP__COUNT,
} np_hook_op;

/* "other", "prepare", "started", "reconnect". */
const char *np_hook_op_to_string(np_hook_op op);
/* The operation @s names (as libvirt passes it), or -EINVAL. */
int np_hook_op_from_string(const char *s, np_hook_op *ret);

typedef enum np_hook_action {
        NP_HOOK_ACTION_ALLOW,   /* compliant, or an error with on_error = allow */
        NP_HOOK_ACTION_WARN,    /* something is wrong; allowed and logged */
        NP_HOOK_ACTION_REFUSE,  /* exit 1 */
        NP_HOOK_ACTION__COUNT,
} np_hook_action;

/* "allow", "warn", "refuse". */
const char *np_hook_action_to_string(np_hook_action action);

/* The require_binding rule: a VM without <numatune> (@has_numatune
 * false) on a host with @n_nodes nodes.  Returns a violation with the
 * sentence in @buf, or compliant with "" in @buf when the VM passes. */
np_verdict np_hook_binding_rule(np_require_binding rule, bool has_numatune, size_t n_nodes,
                                char *buf, size_t len);

/* The verdict of `prepare`: the binding rule's (@binding) and the
 * pre-flight's shortfalls, a preferred-only one a warning unless
 * @preferred_is_violation. */
np_verdict np_hook_prepare_verdict(np_verdict binding, const struct np_preflight *preflight,
                                   bool preferred_is_violation);

/* The verdict of `started` and `reconnect`: the check's, made at least
 * a violation by the binding rule's (@binding). */
np_verdict np_hook_check_verdict(np_verdict check, np_verdict binding);

typedef struct np_hook_decision {
        np_verdict verdict;     /* error when the check could not be done */
        np_hook_action action;
        bool silent;            /* mode off: nothing is logged or refused */
        const char *note;       /* why the action differs from the verdict, or NULL */
} np_hook_decision;

/* What the hook does at @op in @mode with the check's @status (0, or
 * -errno when it could not be done) and @verdict.  Enforce refuses a
 * violation, an unverified placement when @unverified_refuse and an
 * error when @on_error_refuse; warn never refuses; reconnect never
 * refuses (a failing hook there kills the running guest), it warns
 * instead, or allows an error; off decides nothing. */
np_hook_decision np_hook_decide(np_hook_mode mode, np_hook_op op, int status, np_verdict verdict,
                                bool on_error_refuse, bool unverified_refuse);
