package markdown

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
)

// SearchText returns the document's plain text for search, one block a line
// (a paragraph, heading, list item or table cell each ends its line), as
// PlainText does, but with the navigation moved to the end: text[:prose] is
// the prose a reader reads, and text[prose:] the lists and paragraphs made
// only of links (contents lists, "Related pages") and the headings over
// nothing else. The index searches all of it; snippets come from the prose.
//
// d must be whole (see Whole).
func (d *Doc) SearchText() (text string, prose int) {
	var main, nav strings.Builder
	main.Grow(len(d.Source))
	for n := d.root.FirstChild(); n != nil; n = n.NextSibling() {
		b := &main
		if isNav(n, d.Source) {
			b = &nav
		}
		writePlain(b, n, d.Source)
	}
	prose = main.Len()
	main.WriteString(nav.String())
	return main.String(), prose
}

// isNav reports whether the top-level block n is navigation: a list whose
// every item is made only of links, a paragraph made only of links, or a
// heading whose section, up to the next heading, holds only such blocks.
func isNav(n ast.Node, src []byte) bool {
	switch n := n.(type) {
	case *ast.List:
		for item := n.FirstChild(); item != nil; item = item.NextSibling() {
			if !onlyLinks(item, src) {
				return false
			}
		}
		return n.HasChildren()
	case *ast.Paragraph:
		return onlyLinks(n, src)
	case *ast.Heading:
		c := n.NextSibling()
		if c == nil || c.Kind() == ast.KindHeading {
			return false
		}
		for ; c != nil && c.Kind() != ast.KindHeading; c = c.NextSibling() {
			if !isNav(c, src) {
				return false
			}
		}
		return true
	}
	return false
}

// onlyLinks reports whether n holds at least one link and no words outside
// links: spaces and punctuation between links do not count.
func onlyLinks(n ast.Node, src []byte) bool {
	links, words := 0, false
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := c.(type) {
		case *ast.Link, *ast.AutoLink, *ast.Image:
			links++
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			words = hasWord(v.Segment.Value(src))
		case *ast.String:
			words = hasWord(v.Value)
		}
		if words {
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return links > 0 && !words
}

// hasWord reports whether b holds a letter or a digit.
func hasWord(b []byte) bool {
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
		b = b[size:]
	}
	return false
}
