package main

import (
	"flag"
	"fmt"
)

// parseNoArgs parses the flags of a command that takes no other arguments,
// and refuses a stray word (such as "kb build public", meant as --out public)
// rather than silently ignoring it.
func parseNoArgs(fs *flag.FlagSet, args []string) int {
	if code := parse(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q: this command takes only options, such as --source DIR (see %s --help)\n", fs.Name(), fs.Arg(0), fs.Name())
		return 2
	}
	return -1
}
