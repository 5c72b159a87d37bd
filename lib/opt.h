/*
 * opt: command lines parsed from one table of options, the table that
 * also prints --help and finds the option meant by a misspelt one, so the
 * three cannot drift apart. analyze and every bench subcommand use it.
 *
 * getopt_long was not used: it is a GNU extension, it accepts
 * abbreviations (which break scripts when an option is added later), and
 * it cannot suggest the option that was meant.
 *
 * Accepted forms: "--name", "--name=VALUE", "--name VALUE", "-x", "-xVALUE",
 * "-x VALUE", clusters of flags "-qv"; a value may start with '-'. "-" is
 * an operand (standard input); "--" ends the options, every later word is
 * an operand.
 *
 * Owns: nothing (the parser points into argv and the tables). Must not:
 * print, exit, or apply an option: the caller switches on opt->id.
 */
#ifndef LIB_OPT_H
#define LIB_OPT_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"

struct opt_spec {
	int id;			/* the caller's, what it switches on */
	char short_name;	/* 0: long form only */
	const char *long_name;	/* without the "--" */
	const char *metavar;	/* NULL: a flag, which takes no value */
	const char *help;	/* '\n' starts a continuation line */
};

/* One table: the options of a program, or those several share. */
struct opt_table {
	const struct opt_spec *items;
	size_t n;
};

#define OPT_TABLE(a) { (a), sizeof(a) / sizeof((a)[0]) }

/* What opt_next() found. */
enum opt_event {
	OPT_END = 0,		/* no more words */
	OPT_OPTION,		/* an option: p->opt, p->value */
	OPT_OPERAND		/* a word that is no option: p->value */
};

struct opt_parser {
	int argc;
	char **argv;
	int i;			/* index of the next word */
	const struct opt_table *tables;	/* searched in order */
	size_t n_tables;
	const char *cluster;	/* the rest of "-abc" after 'a', or NULL */
	int is_after_dashdash;	/* "--" was seen */
	const struct opt_spec *opt;	/* OUT: the option found */
	char name[64];		/* OUT: the option as typed, "--name" (no
				 * "=VALUE") or "-x", for messages */
	const char *value;	/* OUT: its value (NULL for a flag), or the
				 * operand */
};

/* Start at argv[1] (argv[0] is the program). */
void opt_init(struct opt_parser *p, int argc, char **argv,
	      const struct opt_table *tables, size_t n_tables);

/*
 * The next option or operand, or OPT_END; STATUS_BADINPUT with err set
 * (no file: "unknown option '--x' (did you mean '--y'?)", "option '--x'
 * needs a value (METAVAR)", "option '--x' takes no value").
 */
int opt_next(struct opt_parser *p, struct diag *err);

/*
 * The option whose long name is nearest to name (suggest.h's rule: a few
 * edits away, or name a prefix of it), NULL when none is near.
 */
const struct opt_spec *opt_suggest(const struct opt_table *tables,
				   size_t n_tables, const char *name);

enum opt_help_flags {
	/* A left column longer than col ends its line; the help starts
	 * on the next one, at col. Without: two spaces, then the help. */
	OPT_HELP_WRAP = 1 << 0
};

/*
 * The options of t in two columns: "  -x, --name METAVAR" or "      --name
 * METAVAR" padded to col, then the help, its continuation lines indented
 * to col. flags: enum opt_help_flags.
 */
void opt_help(FILE *f, const struct opt_table *t, int col, unsigned flags);

#endif
