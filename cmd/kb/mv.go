package main

import (
	"context"
	"fmt"
	"io"

	"github.com/nhsx/kb/internal/move"
)

const mvArgs = "[--dry-run] [--source DIR] OLD NEW"

func runMv(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flags("mv", mvArgs, "Rename a page or a page bundle: OLD and NEW are content paths, such as\n"+
		"content/standards/dtac.md content/standards/digital-technology-assessment-criteria.md,\n"+
		"or bundle folders. The old URL is added to the page's aliases (so it redirects), and\n"+
		"every Markdown link to the page across content/ is rewritten; each file changed is listed", stderr)
	source := fs.String("source", ".", "the knowledge base `folder`; OLD and NEW are relative to it")
	dry := fs.Bool("dry-run", false, "print what would change and write nothing")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() != 2 {
		fmt.Fprintln(stderr, "kb mv: want the page's path and its new path, such as: kb mv content/standards/dtac.md content/standards/digital-technology-assessment-criteria.md")
		return 2
	}
	plan, err := move.Make(*source, fs.Arg(0), fs.Arg(1))
	if err != nil {
		fmt.Fprintf(stderr, "kb mv: %v\n", err)
		return 1
	}
	verb := map[bool]string{true: "would ", false: ""}[*dry]
	fmt.Fprintf(stdout, "kb: %smove %s to %s (%s)\n", verb, plan.From, plan.To, urlChange(plan))
	for _, e := range plan.Edits {
		var what []string
		if e.Alias != "" {
			what = append(what, "alias "+e.Alias+" added")
		}
		if e.Links > 0 {
			what = append(what, fmt.Sprintf("%d %s rewritten", e.Links, plural(e.Links, "link", "links")))
		}
		fmt.Fprintf(stdout, "kb: %supdate %s: %s\n", verb, e.Path, join(what))
	}
	for _, w := range plan.Warnings {
		fmt.Fprintf(stderr, "%s\n", w)
	}
	if *dry {
		fmt.Fprintln(stdout, "kb: dry run: nothing was written")
		return 0
	}
	if err := plan.Apply(*source); err != nil {
		fmt.Fprintf(stderr, "kb mv: %v\n", err)
		return 1
	}
	return 0
}

func urlChange(p *move.Plan) string {
	if p.OldURL == p.NewURL {
		return "its URL " + p.NewURL + " stays"
	}
	return "URL " + p.OldURL + " becomes " + p.NewURL + ", the old one redirecting"
}

func join(parts []string) string {
	switch len(parts) {
	case 0:
		return "changed"
	case 1:
		return parts[0]
	}
	return parts[0] + ", " + parts[1]
}
