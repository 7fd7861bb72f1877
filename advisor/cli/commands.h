/* One function per subcommand; argv[0] is the subcommand's name.  Each
 * returns the process exit code (exitcodes.h). */
#ifndef ADVISOR_COMMANDS_H
#define ADVISOR_COMMANDS_H

int cmd_collect(int argc, char **argv);
int cmd_facts(int argc, char **argv);
int cmd_watermarks(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_recommend(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_fleet(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_whatif(int argc, char **argv);

#endif
