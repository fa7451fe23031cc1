// Command consentry builds the page assets of a policy, validates policies, renders the cookie
// declaration, and scans sites. Run "consentry help" for the commands.
package main

import (
	"fmt"
	"os"
	"sort"
)

// command is one subcommand. Each lives in its own file and registers itself in init, so that the
// commands stay independent of each other.
type command struct {
	summary string
	// run gets the arguments after the command name and returns the process exit status.
	run func(args []string) int
}

var commands = map[string]command{}

func register(name string, c command) { commands[name] = c }

func usage() {
	fmt.Fprintln(os.Stderr, "usage: consentry COMMAND [arguments]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(os.Stderr, "\nRun \"consentry COMMAND -h\" for a command's flags.")
}

func main() {
	if len(os.Args) < 2 || os.Args[1] == "help" || os.Args[1] == "-h" || os.Args[1] == "--help" {
		usage()
		if len(os.Args) < 2 {
			os.Exit(2)
		}
		return
	}
	c, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "consentry: unknown command %q\n\n", os.Args[1])
		usage()
		os.Exit(2)
	}
	os.Exit(c.run(os.Args[2:]))
}
