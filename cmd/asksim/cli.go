package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/pflag"
)

// Exit codes, as godog's: 0 success, 1 failure, 2 usage or configuration.
const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2
	programName = "asksim"
)

// command is one subcommand. Each lives in its own file and registers itself
// from init, so subcommands do not touch each other's code.
type command struct {
	// name is the words after "asksim", e.g. "envelope" or "token decode".
	name     string
	summary  string
	usage    string // arguments after the name, e.g. "<request> [flags]"
	long     string
	examples string
	// setup registers the command's flags on fs and returns the function that
	// runs it with the positional arguments.
	setup func(fs *pflag.FlagSet) func(ctx context.Context, st *stdio, args []string) error
	// hidden keeps the command out of the overview.
	hidden bool
}

type stdio struct {
	in       io.Reader
	out, err io.Writer
}

var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

// usageError is a mistake in how asksim was called: exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

// configError is a problem with the input files rather than with how
// asksim was called: exit 2, without the usage hint.
type configError struct{ msg string }

func (e *configError) Error() string { return e.msg }

// exitError carries an exit code chosen by the command (e.g. 1 when a
// feature failed) after the command has already reported why.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func run(ctx context.Context, args []string, in io.Reader, out, errw io.Writer) int {
	st := &stdio{in: in, out: out, err: errw}
	if len(args) == 0 || args[0] == "help" && len(args) == 1 || args[0] == "-h" || args[0] == "--help" {
		printOverview(out)
		return exitOK
	}
	if args[0] == "help" {
		args = append(args[1:], "--help")
	}
	if args[0] == "--version" {
		args[0] = "version"
	}
	cmd, rest := lookup(args)
	if cmd == nil {
		return noCommand(out, errw, args)
	}
	fs := pflag.NewFlagSet(programName+" "+cmd.name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	runFn := cmd.setup(fs)
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			printHelp(out, cmd, fs)
			return exitOK
		}
		fmt.Fprintf(errw, "%s %s: %v\nRun '%s %s --help' for usage.\n", programName, cmd.name, err, programName, cmd.name)
		return exitUsage
	}
	err := runFn(ctx, st, fs.Args())
	var ue *usageError
	var ee *exitError
	var ce *configError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &ce):
		fmt.Fprintf(errw, "%s %s: %s\n", programName, cmd.name, ce.msg)
		return exitUsage
	case errors.As(err, &ue):
		fmt.Fprintf(errw, "%s %s: %s\nRun '%s %s --help' for usage.\n", programName, cmd.name, ue.msg, programName, cmd.name)
		return exitUsage
	default:
		fmt.Fprintf(errw, "%s %s: %v\n", programName, cmd.name, err)
		return exitFailed
	}
}

// noCommand answers args that name no command: the overview of a group
// such as "token" when asked for help, else a usage error saying what is
// missing or unknown.
func noCommand(out, errw io.Writer, args []string) int {
	word := args[0]
	if subs := subcommands(word); len(subs) > 0 {
		switch {
		case len(args) > 1 && (args[1] == "--help" || args[1] == "-h"):
			printGroup(out, word)
			return exitOK
		case len(args) > 1 && !strings.HasPrefix(args[1], "-"):
			fmt.Fprintf(errw, "%s %s: unknown subcommand %q: want one of %s\n", programName, word, args[1], strings.Join(subs, ", "))
		default:
			fmt.Fprintf(errw, "%s %s: missing subcommand: one of %s\n", programName, word, strings.Join(subs, ", "))
		}
		fmt.Fprintf(errw, "Run '%s %s --help' for usage.\n", programName, word)
		return exitUsage
	}
	if strings.HasPrefix(word, "-") {
		fmt.Fprintf(errw, "%s: unknown flag %q: flags go after the command\n", programName, word)
	} else {
		fmt.Fprintf(errw, "%s: unknown command %q\n", programName, word)
		if s := suggest(word); s != "" {
			fmt.Fprintf(errw, "Did you mean %q?\n", s)
		}
	}
	fmt.Fprintf(errw, "Run '%s help' for the list of commands.\n", programName)
	return exitUsage
}

// lookup finds the longest command name that prefixes args, so that
// "token decode" wins over a hypothetical "token".
func lookup(args []string) (*command, []string) {
	if len(args) >= 2 {
		if c, ok := commands[args[0]+" "+args[1]]; ok {
			return c, args[2:]
		}
	}
	if c, ok := commands[args[0]]; ok {
		return c, args[1:]
	}
	return nil, nil
}

func names() []string {
	var ns []string
	for n, c := range commands {
		if !c.hidden {
			ns = append(ns, n)
		}
	}
	sort.Strings(ns)
	return ns
}

// subcommands lists the second words of the commands that start with word.
func subcommands(word string) []string {
	var subs []string
	for _, n := range names() {
		if rest, ok := strings.CutPrefix(n, word+" "); ok {
			subs = append(subs, rest)
		}
	}
	return subs
}

// suggest finds the command word that word is a start or an extension of:
// "tok" and "tokens" both suggest "token", the group, not one of its
// subcommands.
func suggest(word string) string {
	if word == "" {
		return ""
	}
	for _, n := range names() {
		first, _, _ := strings.Cut(n, " ")
		if strings.HasPrefix(first, word) || strings.HasPrefix(word, first) {
			return first
		}
	}
	return ""
}

func printOverview(w io.Writer) {
	fmt.Fprintf(w, "%s plays Alexa's side of a custom skill: envelopes, signed apiAccessTokens,\n", programName)
	fmt.Fprintf(w, "fake Alexa APIs, an OAuth account-linking server, and Gherkin features.\n\n")
	fmt.Fprintf(w, "Usage:\n  %s <command> [arguments] [flags]\n\nCommands:\n", programName)
	for _, n := range names() {
		fmt.Fprintf(w, "  %-16s %s\n", n, commands[n].summary)
	}
	fmt.Fprintf(w, "\nRun '%s <command> --help' for a command's flags and examples.\n", programName)
}

// printGroup lists the subcommands of a group such as "token".
func printGroup(w io.Writer, word string) {
	fmt.Fprintf(w, "Usage:\n  %s %s <subcommand> [arguments] [flags]\n\nSubcommands:\n", programName, word)
	for _, sub := range subcommands(word) {
		fmt.Fprintf(w, "  %-10s %s\n", sub, commands[word+" "+sub].summary)
	}
	fmt.Fprintf(w, "\nRun '%s %s <subcommand> --help' for its flags and examples.\n", programName, word)
}

func printHelp(w io.Writer, c *command, fs *pflag.FlagSet) {
	fmt.Fprintf(w, "%s\n\nUsage:\n  %s %s %s\n", c.summary, programName, c.name, c.usage)
	if c.long != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.long))
	}
	if fs.HasFlags() {
		fmt.Fprintf(w, "\nFlags:\n%s", fs.FlagUsages())
	}
	if c.examples != "" {
		fmt.Fprintf(w, "\nExamples:\n%s\n", strings.TrimRight(c.examples, "\n"))
	}
}
