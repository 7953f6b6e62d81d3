/* main.c: the numaplace command: subcommand dispatch. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
        const char *help;
} commands[] = {
        { "check", np_cmd_check, "check a running VM against its domain XML" },
        { "intent", np_cmd_intent, "show what a domain XML demands of NUMA placement" },
        { "host", np_cmd_host, "show the host's NUMA nodes and huge page pools" },
        { "scan", np_cmd_scan, "check every running VM on this host; fleet reports" },
        { "preflight", np_cmd_preflight, "check before a start that the host can satisfy a domain XML's bindings" },
        { "migrate", np_cmd_migrate, "move a running VM's misplaced pages back onto its nodes" },
        { "capture", np_cmd_capture, "write what a check reads, secrets redacted, for replay elsewhere" },
};

static void usage(FILE *f)
{
        fputs("Usage:\n"
              " numaplace COMMAND [options]\n"
              "\nProve that every VM's memory and vCPUs sit on the NUMA nodes its\n"
              "configuration binds them to.\n"
              "\nCommands:\n", f);
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                fprintf(f, " %-10s %s\n", commands[i].name, commands[i].help);
        fputs("\nOptions:\n"
              " -h, --help       this help\n"
              " -V, --version    version\n"
              "\nRun 'numaplace COMMAND --help' for a command's options.\n"
              "Exit status: 0 compliant, 1 violation found, 2 trouble.\n", f);
}

int main(int argc, char **argv)
{
        if (argc < 2) {
                usage(stderr);
                return NP_EXIT_TROUBLE;
        }
        if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
                usage(stdout);
                return NP_EXIT_OK;
        }
        if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
                printf("numaplace %s\n", NP_VERSION);
                return NP_EXIT_OK;
        }
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                if (strcmp(argv[1], commands[i].name) == 0)
                        return commands[i].run(argc - 1, argv + 1);
        np_warnx("unknown command '%s'", argv[1]);
        fputs("Try 'numaplace --help' for more information.\n", stderr);
        return NP_EXIT_TROUBLE;
}
