// Command kb builds the WGLL knowledge base: a static site from Markdown, a
// search index over it, and a live preview for contributors.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
)

func main() {
	ctx, stop := notifyContext(context.Background())
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// command is one kb sub-command.
type command struct {
	name, args, help string
	run              func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"build", "[--source DIR] [--out DIR] [--drafts] [--base-url URL]", "build the site into public/", runBuild},
		{"assess", assessArgs, "where each measure stands and what to read next, from self-assessment answers", runAssess},
		{"search", "[--measure SLUG]… [--type TYPE] [--json] QUERY", "search the built site's index", runSearch},
		{"check", checkArgs, "check all content and templates, writing nothing; --external also checks web links", runCheck},
		{"review", reviewArgs, "list pages by review date, overdue first, with owners and source dates", runReview},
		{"serve", serveArgs, "preview the site while you edit, reloading the browser on every save", runServe},
		{"new", newArgs, "start a new page (a draft) with its front matter filled in", runNew},
		{"mv", mvArgs, "rename a page or bundle, keeping its old URL as an alias and fixing links to it", runMv},
		{"schema", schemaArgs, "write JSON Schemas of front matter, site.yaml and topics.yaml for editors", runSchema},
		{"version", "", "print kb's version", runVersion},
	}
}

// run is the whole program, minus the process: tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "kb: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "kb builds the What Good Looks Like knowledge base.")
	fmt.Fprintln(w, "\nUsage:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  kb %-8s %s\n      %s\n", c.name, c.args, c.help)
	}
	fmt.Fprintln(w, "\nRun kb <command> --help for a command's options; flags may come before or after")
	fmt.Fprintln(w, "the other arguments, and -- ends them.")
	fmt.Fprintln(w, "\nkb is ./bin/kb after make, and kb by name after make install (which puts it")
	fmt.Fprintln(w, "in $(go env GOBIN), else $(go env GOPATH)/bin: that folder must be on your PATH).")
}
