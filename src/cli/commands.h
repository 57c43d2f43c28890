/* cli/commands.h — the subcommands of the ganrepro executable.
 *
 * Each subcommand is `int gr_cmd_NAME(int argc, char **argv)` in cli/cmd_NAME.c, where
 * argv[0] is the subcommand's name; it returns the process exit status (0 ok, 1 a
 * negative verdict such as a failed claim, 2 usage or input error). Only cli/ exits.
 * To add one: write the file, declare it here, add a row to the table in main.c.
 */
#ifndef GR_CLI_COMMANDS_H
#define GR_CLI_COMMANDS_H

typedef struct gr_command {
    const char *name;
    const char *summary; /* one line for `ganrepro --help` */
    int (*run)(int argc, char **argv);
} gr_command;

int gr_cmd_distance(int argc, char **argv);
int gr_cmd_list(int argc, char **argv);
int gr_cmd_run(int argc, char **argv);
int gr_cmd_merge(int argc, char **argv);
int gr_cmd_verify(int argc, char **argv);
int gr_cmd_table(int argc, char **argv);
int gr_cmd_plot(int argc, char **argv);
int gr_cmd_classifier(int argc, char **argv);

/* Exit statuses shared by all subcommands. */
enum { GR_EXIT_OK = 0, GR_EXIT_FAIL = 1, GR_EXIT_USAGE = 2 };

/* The table of subcommands (main.c), terminated by a row with name == NULL. */
extern const gr_command gr_commands[];

#endif
