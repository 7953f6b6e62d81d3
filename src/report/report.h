/* report.h: machine-readable documents (JSON, report_json.c) and the
 * one-line summary of a check (report_summary.c), the only core code that
 * prints.  Human tables live in the front end (libsmartcols). */
#pragma once

#include "check.h"
#include "intent.h"

#include <stdbool.h>
#include <stdio.h>

struct np_host;

/* Write the `numaplace intent --json` document: {"regions":[...],...}. */
int np_report_intent_json(FILE *out, const np_intent *intent, bool pretty);

/* Write the `numaplace check --json` document: {"verdict":..,
 * "regions":[..], "threads":[..], ...}.  With @pretty false the document
 * is one line (for JSON-lines logs). */
int np_report_check_json(FILE *out, const np_intent *intent,
                         const np_check_result *result, bool pretty);

/* One short sentence per region that is not compliant, joined with "; ",
 * or the overall verdict when all are: for syslog and hook messages.
 * Returns the length needed (like snprintf). */
size_t np_report_summary(const np_check_result *result, char *buf, size_t len);

/* Append to the summary being built in @buf (@len bytes, *@used of them
 * written so far, or needed: *@used may pass @len, as snprintf's
 * return does, and the text is then cut). */
void np_summary_appendf(char *buf, size_t len, size_t *used, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
