package main

import (
	"context"
	"fmt"
	"io"
	"sort"

	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/linkcheck"
	"github.com/nhsx/kb/internal/site"
)

const checkArgs = "[--source DIR] [--base-url URL] [--external [--timeout 15s]]"

// checkExternal asks the network about every source url and web link of the
// checked site, printing each broken one as an error and each moved one as a
// warning, at the line and column where it is written. It fails only when
// one is broken: a moved address still reaches its page.
func checkExternal(ctx context.Context, s *site.Site, e linkcheck.External, stdout, stderr io.Writer) int {
	targets, err := externalTargets(s)
	if err != nil {
		fmt.Fprintf(stderr, "kb: %v\n", err)
		return 1
	}
	var broken, moved int
	for _, o := range e.Check(ctx, targets) {
		switch {
		case o.Broken():
			broken++
			fmt.Fprintf(stderr, "%s: %s is broken: %s: fix the address or remove the link\n", o.Pos, o.URL, o.Err)
		case o.Moved():
			moved++
			fmt.Fprintf(stderr, "%s: warning: %s has moved to %s: link to the new address\n", o.Pos, o.URL, o.Final)
		}
	}
	fmt.Fprintf(stdout, "kb: checked %d web %s: %d broken, %d moved\n", len(targets), plural(len(targets), "address", "addresses"), broken, moved)
	if broken > 0 {
		return 1
	}
	return 0
}

// externalTargets lists each page's source urls and web links in the order
// of the files and of the text, so that the report reads top to bottom. Each
// page is read and parsed again (the model keeps no source): a page changed
// since the model was made is an error.
func externalTargets(s *site.Site) ([]linkcheck.Target, error) {
	paths := make([]string, 0, len(s.BySource))
	for p := range s.BySource {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var out []linkcheck.Target
	for _, path := range paths {
		p := s.BySource[path]
		for _, src := range p.Sources {
			out = append(out, linkcheck.Target{URL: src.URL, Pos: src.Pos("url")})
		}
		if p.Doc == nil {
			continue
		}
		whole, err := p.Doc.Whole()
		if err != nil {
			return nil, err
		}
		for _, l := range whole.ExternalLinks() {
			out = append(out, linkcheck.Target{URL: l.Dest, Pos: diag.At(p.Path, whole.Source, l.Offset)})
		}
	}
	return out, nil
}
