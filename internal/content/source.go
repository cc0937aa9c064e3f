package content

import (
	"crypto/sha256"
	"fmt"
	"os"

	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/markdown"
)

// A page keeps none of its source once parsed: at 100,000 pages the sources
// alone would be most of a build's memory. What needs the text again (the
// page's render, its search text, the line and column of a message about
// it) reads the file again, and takes it only if its bytes are still those
// the page's facts came from.

// Sum is the SHA-256 of the file's bytes as they were parsed (or as the
// facts restored were recorded from).
func (p *Page) Sum() [32]byte { return p.sum }

// Source returns the page's cleaned source, the text its facts came from:
// read again from its file, or the text it was given (ParseSource). A file
// whose bytes changed since is an error, "path: changed during the build;
// run kb build again", as its offsets and facts would not fit the bytes.
func (p *Page) Source() ([]byte, error) {
	if p.given != nil {
		return *p.given, nil
	}
	raw, err := os.ReadFile(p.File)
	if err != nil {
		return nil, diag.Diagnostic{Pos: diag.Pos{File: p.Path}, Msg: fmt.Sprintf("cannot be read again (%v): run kb build again", err)}
	}
	if sha256.Sum256(raw) != p.sum {
		return nil, diag.Diagnostic{Pos: diag.Pos{File: p.Path}, Msg: "changed during the build; run kb build again"}
	}
	return Clean(p.Path, raw)
}

// loader is a Page as its Doc's Loader (see markdown.Loader), without
// giving Page a Load method that templates could call.
type loader Page

func (l *loader) Load() ([]byte, error) { return (*Page)(l).body() }

// body returns what the page's Doc was parsed from: its source, or only
// its front matter when the body went past what Check accepts (such a page
// is reported, and never rendered by a build that succeeds).
func (p *Page) body() ([]byte, error) {
	src, err := p.Source()
	if err != nil {
		return nil, err
	}
	cut := p.checked == bodyCut
	if p.checked == bodyUnchecked {
		cut = markdown.Check(src) != nil
	}
	if cut {
		var errs diag.List
		src = src[:splitFrontMatter(p.Path, src, &errs).bodyStart()]
	}
	return src, nil
}

// bodyCheck is what markdown.Check said of a page's source when it was
// parsed; a page whose facts were restored from records was never checked
// in this process.
type bodyCheck int8

const (
	bodyUnchecked bodyCheck = iota
	bodyFits                // Check accepted it
	bodyCut                 // Check refused it: the page's Doc is its front matter's
)

// Positions converts byte offsets in the page's source to line and column,
// reading the source once, on the first offset asked for: messages about a
// page's links come long after its text was let go. When the source cannot
// be had, positions name the file alone.
type Positions struct {
	p    *Page
	src  []byte
	read bool
}

// Positions returns the converter of p's offsets.
func (p *Page) Positions() *Positions { return &Positions{p: p} }

// At is the position of offset in the page's source.
func (ps *Positions) At(offset int) diag.Pos {
	if !ps.read {
		ps.src, _ = ps.p.Source()
		ps.read = true
	}
	if ps.src == nil {
		return diag.Pos{File: ps.p.Path}
	}
	return diag.At(ps.p.Path, ps.src, offset)
}

// front returns the page's front matter while it is parsed, else split from
// its source again: a message about one of its fields (other than those
// warned about on every build, see warnedAt) is rare, and keeping every
// page's lines costs memory.
func (p *Page) front() *frontMatter {
	if p.fm != nil {
		return p.fm
	}
	src, err := p.Source()
	if err != nil {
		return &frontMatter{file: p.Path}
	}
	var errs diag.List
	return splitFrontMatter(p.Path, src, &errs)
}
