/* test_decide.c: the libvirt hook's rules and decision table (decide.h).
 *
 * Every expected action and note below is written out by hand from the
 * hook's documented behaviour (README, FACTS.md section 1): enforce
 * refuses, warn never does, reconnect never does, on_error and
 * unverified say what happens to an error and an unverified placement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "decide.h"
#include "preflight.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define ENF NP_HOOK_MODE_ENFORCE
#define WRN NP_HOOK_MODE_WARN
#define OFF NP_HOOK_MODE_OFF
#define PRE NP_HOOK_OP_PREPARE
#define STA NP_HOOK_OP_STARTED
#define REC NP_HOOK_OP_RECONNECT
#define ALLOW NP_HOOK_ACTION_ALLOW
#define WARN NP_HOOK_ACTION_WARN
#define REFUSE NP_HOOK_ACTION_REFUSE
#define C NP_VERDICT_COMPLIANT
#define W NP_VERDICT_WARNING
#define U NP_VERDICT_UNVERIFIED
#define V NP_VERDICT_VIOLATION
#define E NP_VERDICT_ERROR

/* the notes, as the logs say them */
#define OER "on_error = refuse"
#define OEA "on_error = allow"
#define WNR "warn mode never refuses"
#define RNR "reconnect never refuses: the guest is already running"

typedef struct outcome {
        np_hook_action action;
        const char *note;             /* NULL: none */
} outcome;

/* One mode, operation and check result; the outcome for each setting
 * of on_error and unverified, in the order
 * (allow, allow), (allow, refuse), (refuse, allow), (refuse, refuse). */
typedef struct decide_case {
        np_hook_mode mode;
        np_hook_op op;
        int status;                   /* -errno: the check could not be done */
        np_verdict verdict;
        np_verdict want_verdict;
        outcome want[4];
} decide_case;

#define ALL4(a, n) { { a, n }, { a, n }, { a, n }, { a, n } }

static const decide_case cases[] = {
        /* enforce */
        { ENF, PRE, 0, C, C, ALL4(ALLOW, NULL) },
        { ENF, STA, 0, C, C, ALL4(ALLOW, NULL) },
        { ENF, REC, 0, C, C, ALL4(ALLOW, NULL) },
        { ENF, PRE, 0, W, W, ALL4(WARN, NULL) },
        { ENF, STA, 0, W, W, ALL4(WARN, NULL) },
        { ENF, REC, 0, W, W, ALL4(WARN, NULL) },
        { ENF, PRE, 0, U, U, { { WARN, NULL }, { REFUSE, NULL }, { WARN, NULL }, { REFUSE, NULL } } },
        { ENF, STA, 0, U, U, { { WARN, NULL }, { REFUSE, NULL }, { WARN, NULL }, { REFUSE, NULL } } },
        { ENF, REC, 0, U, U, { { WARN, NULL }, { WARN, RNR }, { WARN, NULL }, { WARN, RNR } } },
        { ENF, PRE, 0, V, V, ALL4(REFUSE, NULL) },
        { ENF, STA, 0, V, V, ALL4(REFUSE, NULL) },
        { ENF, REC, 0, V, V, ALL4(WARN, RNR) },
        { ENF, PRE, 0, E, E, { { ALLOW, OEA }, { ALLOW, OEA }, { REFUSE, OER }, { REFUSE, OER } } },
        { ENF, STA, 0, E, E, { { ALLOW, OEA }, { ALLOW, OEA }, { REFUSE, OER }, { REFUSE, OER } } },
        { ENF, REC, 0, E, E, { { ALLOW, OEA }, { ALLOW, OEA }, { ALLOW, RNR }, { ALLOW, RNR } } },
        /* the check could not be done: whatever verdict came with it */
        { ENF, PRE, -ETIMEDOUT, C, E, { { ALLOW, OEA }, { ALLOW, OEA }, { REFUSE, OER }, { REFUSE, OER } } },
        { ENF, STA, -ESRCH, V, E, { { ALLOW, OEA }, { ALLOW, OEA }, { REFUSE, OER }, { REFUSE, OER } } },
        { ENF, REC, -EIO, U, E, { { ALLOW, OEA }, { ALLOW, OEA }, { ALLOW, RNR }, { ALLOW, RNR } } },
        /* warn */
        { WRN, PRE, 0, C, C, ALL4(ALLOW, NULL) },
        { WRN, STA, 0, C, C, ALL4(ALLOW, NULL) },
        { WRN, REC, 0, C, C, ALL4(ALLOW, NULL) },
        { WRN, PRE, 0, W, W, ALL4(WARN, NULL) },
        { WRN, STA, 0, W, W, ALL4(WARN, NULL) },
        { WRN, REC, 0, W, W, ALL4(WARN, NULL) },
        { WRN, PRE, 0, U, U, ALL4(WARN, NULL) },
        { WRN, STA, 0, U, U, ALL4(WARN, NULL) },
        { WRN, REC, 0, U, U, ALL4(WARN, NULL) },
        { WRN, PRE, 0, V, V, ALL4(WARN, NULL) },
        { WRN, STA, 0, V, V, ALL4(WARN, NULL) },
        { WRN, REC, 0, V, V, ALL4(WARN, NULL) },
        { WRN, PRE, 0, E, E, ALL4(ALLOW, WNR) },
        { WRN, STA, 0, E, E, ALL4(ALLOW, WNR) },
        { WRN, REC, 0, E, E, ALL4(ALLOW, WNR) },
        { WRN, PRE, -ETIMEDOUT, C, E, ALL4(ALLOW, WNR) },
        { WRN, STA, -ESRCH, V, E, ALL4(ALLOW, WNR) },
        { WRN, REC, -EIO, U, E, ALL4(ALLOW, WNR) },
};

static void check_outcome(const char *what, np_hook_decision d, np_verdict want_verdict,
                          const outcome *want, bool want_silent)
{
        if (d.verdict != want_verdict || d.action != want->action || d.silent != want_silent ||
            (d.note == NULL) != (want->note == NULL) || (d.note && strcmp(d.note, want->note) != 0))
                fail_msg("%s: got %s/%s/%s%s, want %s/%s/%s%s", what,
                         np_verdict_to_string(d.verdict), np_hook_action_to_string(d.action),
                         d.note ? d.note : "(no note)", d.silent ? " silent" : "",
                         np_verdict_to_string(want_verdict), np_hook_action_to_string(want->action),
                         want->note ? want->note : "(no note)", want_silent ? " silent" : "");
}

static void test_table(void **state)
{
        (void)state;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                const decide_case *c = &cases[i];

                for (int k = 0; k < 4; k++) {
                        bool on_error_refuse = k >= 2, unverified_refuse = k & 1;
                        char what[160];

                        snprintf(what, sizeof(what), "mode %s, %s, status %d, %s, on_error %s, unverified %s",
                                 np_hook_mode_to_string(c->mode), np_hook_op_to_string(c->op), c->status,
                                 np_verdict_to_string(c->verdict), on_error_refuse ? "refuse" : "allow",
                                 unverified_refuse ? "refuse" : "allow");
                        check_outcome(what, np_hook_decide(c->mode, c->op, c->status, c->verdict,
                                                           on_error_refuse, unverified_refuse),
                                      c->want_verdict, &c->want[k], false);
                }
        }
}

/* mode off decides nothing, even with every refusing setting */
static void test_off_is_silent(void **state)
{
        static const struct {
                np_hook_op op;
                int status;
                np_verdict verdict;
        } off[] = {
                { PRE, 0, C }, { STA, 0, W }, { STA, 0, U }, { PRE, 0, V }, { STA, 0, V },
                { REC, 0, V }, { STA, 0, E }, { PRE, -ETIMEDOUT, C },
        };
        static const outcome allow = { ALLOW, NULL };

        (void)state;
        for (size_t i = 0; i < sizeof(off) / sizeof(off[0]); i++) {
                char what[64];

                snprintf(what, sizeof(what), "mode off, case %zu", i);
                check_outcome(what, np_hook_decide(OFF, off[i].op, off[i].status, off[i].verdict, true, true),
                              off[i].verdict, &allow, true);
        }
}

static void test_binding_rule(void **state)
{
        static const struct {
                np_require_binding rule;
                bool has_numatune;
                size_t n_nodes;
                np_verdict verdict;
                const char *text;
        } rules[] = {
                { NP_REQUIRE_BINDING_NO, false, 1, C, "" },
                { NP_REQUIRE_BINDING_NO, false, 4, C, "" },
                { NP_REQUIRE_BINDING_NO, true, 4, C, "" },
                { NP_REQUIRE_BINDING_MULTI_NODE, false, 0, C, "" },
                { NP_REQUIRE_BINDING_MULTI_NODE, false, 1, C, "" },
                { NP_REQUIRE_BINDING_MULTI_NODE, false, 2, V,
                  "no <numatune> binding on a host with 2 NUMA nodes (require_binding = multi-node)" },
                { NP_REQUIRE_BINDING_MULTI_NODE, true, 2, C, "" },
                { NP_REQUIRE_BINDING_ALWAYS, false, 1, V, "no <numatune> binding (require_binding = always)" },
                { NP_REQUIRE_BINDING_ALWAYS, false, 8, V, "no <numatune> binding (require_binding = always)" },
                { NP_REQUIRE_BINDING_ALWAYS, true, 1, C, "" },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
                char buf[256] = "leftover";

                assert_int_equal(np_hook_binding_rule(rules[i].rule, rules[i].has_numatune, rules[i].n_nodes,
                                                      buf, sizeof(buf)),
                                 rules[i].verdict);
                assert_string_equal(buf, rules[i].text);
        }
}

static void test_prepare_verdict(void **state)
{
        np_shortfall items[2];
        np_preflight none = { .n_items = 0 }, preferred = { .items = items, .n_items = 1 },
                     strict = { .items = items + 1, .n_items = 1 }, both = { .items = items, .n_items = 2 };

        (void)state;
        memset(items, 0, sizeof(items));
        items[0].preferred_only = true;
        items[1].preferred_only = false;

        /* binding rule passed */
        assert_int_equal(np_hook_prepare_verdict(C, &none, false), C);
        assert_int_equal(np_hook_prepare_verdict(C, &none, true), C);
        assert_int_equal(np_hook_prepare_verdict(C, &preferred, false), W);
        assert_int_equal(np_hook_prepare_verdict(C, &preferred, true), V);
        assert_int_equal(np_hook_prepare_verdict(C, &strict, false), V);
        assert_int_equal(np_hook_prepare_verdict(C, &strict, true), V);
        assert_int_equal(np_hook_prepare_verdict(C, &both, false), V);
        /* binding rule failed: a violation whatever the host has */
        assert_int_equal(np_hook_prepare_verdict(V, &none, false), V);
        assert_int_equal(np_hook_prepare_verdict(V, &preferred, false), V);

        assert_int_equal(np_verdict_for_shortfall(&items[0], false), W);
        assert_int_equal(np_verdict_for_shortfall(&items[0], true), V);
        assert_int_equal(np_verdict_for_shortfall(&items[1], false), V);
        assert_int_equal(np_verdict_for_preflight(&none, true), C);
}

static void test_check_verdict(void **state)
{
        (void)state;
        /* the binding rule makes anything short of a violation one, an
         * error stays an error */
        assert_int_equal(np_hook_check_verdict(C, C), C);
        assert_int_equal(np_hook_check_verdict(W, C), W);
        assert_int_equal(np_hook_check_verdict(U, C), U);
        assert_int_equal(np_hook_check_verdict(C, V), V);
        assert_int_equal(np_hook_check_verdict(W, V), V);
        assert_int_equal(np_hook_check_verdict(U, V), V);
        assert_int_equal(np_hook_check_verdict(V, V), V);
        assert_int_equal(np_hook_check_verdict(E, V), E);
}

static void test_names(void **state)
{
        (void)state;
        assert_string_equal(np_hook_op_to_string(NP_HOOK_OP_OTHER), "other");
        assert_string_equal(np_hook_op_to_string(PRE), "prepare");
        assert_string_equal(np_hook_op_to_string(STA), "started");
        assert_string_equal(np_hook_op_to_string(REC), "reconnect");
        assert_string_equal(np_hook_action_to_string(ALLOW), "allow");
        assert_string_equal(np_hook_action_to_string(WARN), "warn");
        assert_string_equal(np_hook_action_to_string(REFUSE), "refuse");
}

/* The operations libvirt names, as the hook reads them. */
static void test_op_from_string(void **state)
{
        static const struct {
                const char *s;
                int rc;
                np_hook_op want;
        } t[] = {
                { "prepare", 0, PRE },
                { "started", 0, STA },
                { "reconnect", 0, REC },
                { "release", -EINVAL, NP_HOOK_OP__COUNT },
                { "Started", -EINVAL, NP_HOOK_OP__COUNT },
                { "", -EINVAL, NP_HOOK_OP__COUNT },
        };

        (void)state;
        for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
                np_hook_op op = NP_HOOK_OP__COUNT;

                assert_int_equal(np_hook_op_from_string(t[i].s, &op), t[i].rc);
                assert_int_equal(op, t[i].want);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_table),
                cmocka_unit_test(test_off_is_silent),
                cmocka_unit_test(test_binding_rule),
                cmocka_unit_test(test_prepare_verdict),
                cmocka_unit_test(test_check_verdict),
                cmocka_unit_test(test_names),
                cmocka_unit_test(test_op_from_string),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
