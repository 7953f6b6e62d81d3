/* cli_options.c: the options several commands share, parsed and worded
 * once: -h, -V and an unknown option, --pid, and the check options. */
#include "check.h"
#include "cli.h"
#include "error.h"
#include "number.h"
#include "sample.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

int np_cli_common_option(int c, const char *command, void (*usage)(FILE *), int *ret_exit)
{
        switch (c) {
        case 'h':
                usage(stdout);
                *ret_exit = NP_EXIT_OK;
                break;
        case 'V':
                printf("numaplace %s\n", NP_VERSION);
                *ret_exit = NP_EXIT_OK;
                break;
        default:
                fprintf(stderr, "Try 'numaplace %s --help' for more information.\n", command);
                *ret_exit = NP_EXIT_TROUBLE;
                break;
        }
        return -1;
}

int np_cli_pid_arg(const char *arg, pid_t *ret)
{
        uint64_t v;

        /* digits only: strtol() would also take " 5", "+5" and "5 " */
        if (np_parse_u64_max(arg, INT_MAX, &v) < 0 || v == 0) {
                np_warnx("--pid: '%s' is not a process id", arg);
                return -1;
        }
        *ret = (pid_t)v;
        return 0;
}

int np_check_option(np_check_options *o, int c, const char *arg)
{
        np_error err = { "" };

        switch (c) {
        case NP_OPT_PREFERRED:
                if (strcmp(arg, "violation") && strcmp(arg, "warning")) {
                        np_warnx("--preferred: expected 'warning' or 'violation', not '%s'", arg);
                        return -1;
                }
                o->preferred_is_violation = strcmp(arg, "violation") == 0;
                return 1;
        case NP_OPT_DEVICE_POLICY:
                if (np_device_policy_from_string(arg, &o->device_policy) < 0) {
                        np_warnx("--device-policy: expected 'required', 'preferred' or 'legacy', not '%s'", arg);
                        return -1;
                }
                return 1;
        case NP_OPT_SAMPLE:
                if (np_sample_setting_parse(arg, &o->sample_pages, &o->sample_above_kib, &err) < 0) {
                        np_warnx("--sample: %s", err.msg);
                        return -1;
                }
                return 1;
        default:
                return 0;
        }
}
