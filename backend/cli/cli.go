// Package cli is Tidings' command line: the same services as the window, run
// headless. Its --json output is a contract that users' scripts rely on:
// fields are added, never renamed or removed.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"tidings/backend/inbox"
	"tidings/backend/store"
	"tidings/backend/workspace"
)

// Version is the program's version, set at build time with -ldflags.
var Version = "0.1.0-dev"

// Exit codes.
const (
	ExitOK    = 0
	ExitError = 1
	// ExitUsage is for a bad command line and for commands this build does
	// not offer yet.
	ExitUsage = 2
)

// Env is what a command runs with.
type Env struct {
	Ctx    context.Context
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// DataDir is the data directory chosen by --data, TIDINGS_DATA or the OS
	// default.
	DataDir string
	// CacheMiB, set by bulk commands before the first Workspace call, sizes
	// the store's page cache per connection (0: the store's default).
	CacheMiB int
	ws       *workspace.Workspace
}

// Workspace opens the data directory on first use.
func (e *Env) Workspace() (*workspace.Workspace, error) {
	if e.ws != nil {
		return e.ws, nil
	}
	ws, err := workspace.OpenWith(e.Ctx, e.DataDir, &store.Options{CacheMiB: e.CacheMiB})
	if err != nil {
		return nil, err
	}
	e.ws = ws
	return ws, nil
}

// Command is one subcommand.
type Command struct {
	Name    string
	Args    string // synopsis of the arguments
	Summary string
	Run     func(env *Env, args []string) error
}

// commands is the one registry of subcommands.
var commands = map[string]*Command{}

// register adds a command to the registry; each command's file calls it.
func register(c *Command) { commands[c.Name] = c }

// UsageError is a mistake on the command line; it exits with ExitUsage.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

func usagef(format string, args ...any) error { return &UsageError{Msg: fmt.Sprintf(format, args...)} }

// IsCommand reports whether name is a known subcommand or a global flag of
// the command line, so main can tell a command from the window's own flags.
func IsCommand(args []string) bool {
	if len(args) == 0 {
		return false
	}
	a := args[0]
	if _, ok := commands[a]; ok {
		return true
	}
	switch {
	case a == "help", a == "-h", a == "--help", a == "-help", a == "--version", a == "-version", a == "version":
		return true
	case a == "--data", a == "-data", strings.HasPrefix(a, "--data="), strings.HasPrefix(a, "-data="):
		return true
	}
	return !strings.HasPrefix(a, "-")
}

// Run runs the command line args (without the program name) and returns the
// exit code. openWindow is called when the arguments name no command.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, openWindow func(dataDir string) error) int {
	env := &Env{Ctx: ctx, Stdin: stdin, Stdout: stdout, Stderr: stderr}
	defer func() {
		if env.ws != nil {
			env.ws.Close()
		}
	}()
	err := run(env, args, openWindow)
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	fmt.Fprintln(stderr, "tidings: "+oneLine(err.Error()))
	var ue *UsageError
	if errors.As(err, &ue) || errors.Is(err, inbox.ErrNotAvailable) {
		if ue != nil {
			fmt.Fprintln(stderr, "Run 'tidings --help' for usage.")
		}
		return ExitUsage
	}
	return ExitError
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func run(env *Env, args []string, openWindow func(string) error) error {
	var dataDir string
	var showVersion, showHelp bool
	for len(args) > 0 {
		a := args[0]
		if !strings.HasPrefix(a, "-") || a == "-" {
			break
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch name {
		case "data":
			if !hasVal {
				if len(args) < 2 {
					return usagef("--data needs a directory")
				}
				val, args = args[1], args[1:]
			}
			if val == "" {
				return usagef("--data needs a directory")
			}
			dataDir = val
		case "version":
			showVersion = true
		case "h", "help":
			showHelp = true
		default:
			return usagef("unknown flag %s", a)
		}
		args = args[1:]
	}
	if showVersion {
		fmt.Fprintf(env.Stdout, "tidings %s\n", Version)
		return nil
	}
	if showHelp || (len(args) > 0 && args[0] == "help") {
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				fmt.Fprintf(env.Stdout, "usage: tidings [--data DIR] %s %s\n\n%s\n", c.Name, c.Args, c.Summary)
				return nil
			}
		}
		printUsage(env.Stdout)
		return nil
	}
	if args != nil && len(args) > 0 && args[0] == "version" {
		fmt.Fprintf(env.Stdout, "tidings %s\n", Version)
		return nil
	}
	if dataDir == "" {
		d, err := workspace.DefaultDir()
		if err != nil {
			return err
		}
		dataDir = d
	}
	env.DataDir = dataDir
	if len(args) == 0 {
		if openWindow == nil {
			printUsage(env.Stderr)
			return usagef("no command given")
		}
		return openWindow(dataDir)
	}
	c, ok := commands[args[0]]
	if !ok {
		return usagef("unknown command %q", args[0])
	}
	return c.Run(env, args[1:])
}

func printUsage(w io.Writer) {
	fmt.Fprintf(w, `Tidings %s: one inbox for every conversation with your customers.

usage: tidings [--data DIR] [COMMAND [ARGS]]

With no command, Tidings opens its window. A command runs headless on the
same data. The data directory is --data DIR, else $TIDINGS_DATA, else the
OS user data directory.

Commands:
`, Version)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		c := commands[n]
		fmt.Fprintf(w, "  %-14s %s\n", c.Name, c.Summary)
		fmt.Fprintf(w, "  %-14s   %s %s\n", "", c.Name, c.Args)
	}
	fmt.Fprint(w, `
Global flags:
  --data DIR     use DIR as the data directory
  --version      print the version
  --help         print this help; 'tidings help COMMAND' for one command

Exit codes: 0 success, 1 failure, 2 bad usage or a feature not available yet.
`)
}

// newFlags makes a flag set for a command that reports errors as usage
// errors and prints nothing by itself.
func newFlags(c string) *flag.FlagSet {
	fs := flag.NewFlagSet(c, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parse parses flags and positional arguments in any order and checks the
// number of positional arguments.
func parse(env *Env, fs *flag.FlagSet, args []string, minPos, maxPos int) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				c := commands[fs.Name()]
				fmt.Fprintf(env.Stdout, "usage: tidings %s %s\n\n%s\n\nFlags:\n", c.Name, c.Args, c.Summary)
				fs.SetOutput(env.Stdout)
				fs.PrintDefaults()
				return nil, flag.ErrHelp
			}
			return nil, usagef("%s: %v", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			pos = append(pos, args[1:]...)
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) < minPos {
		return nil, usagef("%s: missing argument (usage: tidings %s %s)", fs.Name(), fs.Name(), commands[fs.Name()].Args)
	}
	if maxPos >= 0 && len(pos) > maxPos {
		return nil, usagef("%s: unexpected argument %q", fs.Name(), pos[maxPos])
	}
	return pos, nil
}
