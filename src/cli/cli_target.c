/* cli_target.c: read the VM a command acts on (see cli_target.h). */
#include "cli.h"
#include "cli_libvirt.h"
#include "cli_target.h"
#include "error.h"
#include "host.h"
#include "intent.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int np_target_option(np_target_args *a, int c, const char *arg)
{
        switch (c) {
        case 'c': a->uri = arg; return 1;
        case 'x': a->xml = arg; return 1;
        case 'p': return np_cli_pid_arg(arg, &a->pid) < 0 ? -1 : 1;
        case NP_TARGET_OPT_STATUS_XML: a->status_xml = arg; return 1;
        case NP_TARGET_OPT_SYSROOT: a->sysroot = arg; return 1;
        default: return 0;
        }
}

int np_target_operands(np_target_args *a, const char *command, int argc, char **argv, int optind_)
{
        if (optind_ < argc)
                a->domain = argv[optind_++];
        if (optind_ < argc) {
                np_warnx("unexpected argument '%s'", argv[optind_]);
                return -1;
        }
        if (!a->domain == !a->xml) {
                np_warnx("%s needs either a DOMAIN or --xml FILE", command);
                return -1;
        }
        return 0;
}

int np_target_load(const np_target_args *a, np_target *t, np_error *err)
{
        np_host *host = NULL;
        int r;

        memset(t, 0, sizeof(*t));
        r = np_sysroot_open(a->sysroot, &t->root, err);
        if (r < 0)
                return r;
        t->root->record = a->record;
        t->root->record_userdata = a->record_userdata;
        if (a->domain && !t->root->live)
                return np_err(err, EINVAL, "a DOMAIN needs the live system; with --sysroot give --xml and --pid");
        if (a->xml && strcmp(a->xml, "-") == 0)
                r = np_fd_read_all(STDIN_FILENO, "<stdin>", NP_DOMXML_MAX, &t->xml, &t->xml_len, err);
        else if (a->xml)
                r = np_file_read(a->xml, NP_DOMXML_MAX, &t->xml, &t->xml_len, err);
        else if ((r = np_libvirt_domain_xml(a->uri, a->domain, &t->xml, err)) == 0)
                t->xml_len = strlen(t->xml);
        if (r < 0)
                return r;
        r = np_intent_from_domxml(t->xml, t->xml_len, a->xml ? (strcmp(a->xml, "-") ? a->xml : "<stdin>") : a->domain, &t->intent, err);
        if (r < 0)
                return r;
        if (np_host_read(t->root, &host, NULL) < 0)
                host = NULL;
        r = np_cli_complete_intent(t->root, host, t->intent, a->status_xml, err);
        np_host_free(host);
        if (r < 0)
                return r;
        t->pid = a->pid;
        if (!t->pid) {
                if (!t->intent->name)
                        return np_err(err, EINVAL, "%s: the domain has no <name>; give --pid", a->xml);
                r = np_libvirt_pid(t->root, t->intent->name, &t->pid, err);
                if (r < 0)
                        return r;
        }
        return 0;
}

void np_target_clear(np_target *t)
{
        np_intent_free(t->intent);
        np_sysroot_free(t->root);
        free(t->xml);
        memset(t, 0, sizeof(*t));
}
