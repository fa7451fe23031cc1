package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/consentry/consentry/consent"
)

func init() {
	register("check", command{
		summary: "validate policy files",
		run:     func(args []string) int { return runCheck(args, os.Stdout, os.Stderr) },
	})
}

// runCheck loads each policy file and reports it valid, or reports every problem in it, one a line,
// as "FILE: field.path: what is wrong". It returns 1 if any file failed, 2 for a usage error.
func runCheck(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("check", flag.ContinueOnError)
	flags.SetOutput(stderr)
	quiet := flags.Bool("q", false, "quiet: print only the problems, not the files that are ok")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: consentry check [-q] POLICY...\n\nValidates policy files; each problem is printed as FILE: field.path: message.")
		flags.PrintDefaults()
	}
	files, err := parseInterspersed(flags, args)
	if err != nil {
		return usageStatus(err)
	}
	if len(files) == 0 {
		flags.Usage()
		return 2
	}
	status := 0
	for _, file := range files {
		p, err := consent.LoadFile(file)
		if err != nil {
			for _, line := range problems(file, err) {
				fmt.Fprintln(stderr, line)
			}
			status = 1
			continue
		}
		if !*quiet {
			// Services[0] is the built-in service of the consent cookie; the file declares the rest.
			fmt.Fprintf(stdout, "ok  %s (revision %s, %s, %s)\n", file, p.Revision,
				count(len(p.Categories), "category", "categories"), count(len(p.Services)-1, "service", "services"))
		}
	}
	return status
}

// problems turns an error of consent.LoadFile into lines "FILE: field.path: message" (or
// "FILE: message" for a file that could not be read).
func problems(file string, err error) []string {
	var es consent.Errors
	var fe *consent.FieldError
	var pe *fs.PathError
	switch {
	case errors.As(err, &es):
		lines := make([]string, len(es))
		for i, e := range es {
			lines[i] = e.Error() // LoadFile prefixed the file name
		}
		return lines
	case errors.As(err, &fe):
		return []string{fe.Error()}
	case errors.As(err, &pe):
		return []string{file + ": " + pe.Err.Error()}
	}
	return []string{file + ": " + err.Error()}
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// usageStatus is the exit status for an error of parseInterspersed: 0 when help was asked for
// (the usage is printed), 2 otherwise (the flag package printed what was wrong).
func usageStatus(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 2
}

// parseInterspersed parses flags that come before, between or after the positional arguments,
// which flag.FlagSet.Parse alone does not: it stops at the first non-flag, and
// "consentry declare huma.json --lang nb" would take "--lang" and "nb" for files. A "--" ends the
// flags: everything after it is positional, even if it starts with "-". The commands share it.
func parseInterspersed(flags *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := flags.Parse(args); err != nil {
			return nil, err
		}
		rest := flags.Args()
		if endedByDashDash(flags, args, len(args)-len(rest)) {
			return append(positional, rest...), nil
		}
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// endedByDashDash reports whether Parse stopped at a "--" terminator, the last of the consumed
// arguments, rather than at a positional argument; a "--" that is the value of a flag ("-o --")
// is no terminator.
func endedByDashDash(flags *flag.FlagSet, args []string, consumed int) bool {
	if consumed == 0 || args[consumed-1] != "--" {
		return false
	}
	if consumed >= 2 {
		prev := args[consumed-2]
		name := strings.TrimLeft(prev, "-")
		if strings.HasPrefix(prev, "-") && !strings.Contains(name, "=") {
			if f := flags.Lookup(name); f != nil && !isBoolFlag(f) {
				return false
			}
		}
	}
	return true
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
