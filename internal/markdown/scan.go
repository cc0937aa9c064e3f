package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// A build parses each page twice: once in its first pass, for the facts
// other pages need (links, headings, anchors) and the checks of its body,
// and once to render it. The facts of a paragraph come only from its links
// and images, and from what was meant as a link and left as text: all
// begin with "[". goldmark's inline parse of the other paragraphs (their
// emphasis, quotes, dashes, bare addresses) was most of what the first pass
// allocated, for nothing, so Scan leaves them out.

// Scan is Parse for a first pass: the same tree, but without the
// paragraphs that hold no "[" (nor enough emphasis marks to go past
// MaxDelimiters). What Scan's Doc gives — its links, links left as text,
// headings, anchors, level-1 headings, Limit, Renamed, Meta and MetaErr —
// is what Parse's gives; take its Facts, or ask it for those. It is not
// for anything that reads a paragraph's text (PlainText, SearchText,
// ExternalLinks): Whole, and so Render, parse the source again in full.
func (c *Converter) Scan(src []byte) *Doc {
	d := c.parseWith(c.scan, src)
	d.scanned = true
	return d
}

// scanOptions are what Scan's goldmark adds to Parse's: plainParagraphs
// runs before every other paragraph transformer (goldmark runs the lowest
// priority first), so a table with no link is left out too.
var scanOptions = parser.WithParagraphTransformers(util.Prioritized(plainParagraphs{}, 0))

// plainParagraphs takes out each paragraph that holds nothing a fact is
// made of, as goldmark's own transformer does a paragraph of link
// reference definitions.
type plainParagraphs struct{}

func (plainParagraphs) Transform(node *ast.Paragraph, reader text.Reader, _ parser.Context) {
	// A paragraph is also closed when the line after it underlines it as a
	// heading (=== or ---): goldmark makes the heading only if no
	// transformer took the paragraph.
	if next, _ := reader.PeekLine(); mayUnderline(next) {
		return
	}
	lines, src, marks := node.Lines(), reader.Source(), 0
	for i := range lines.Len() {
		seg := lines.At(i)
		line := seg.Value(src)
		if bytes.IndexByte(line, '[') >= 0 {
			return
		}
		// Past the bound, the delimiter limiter reports the paragraph
		// (Doc.Limit): only a parse can say where.
		if marks += countMarks(line); marks >= MaxDelimiters {
			return
		}
	}
	node.Parent().RemoveChild(node.Parent(), node)
}

// mayUnderline reports whether line could make the paragraph above it a
// setext heading: it holds only = or - and spaces (more lines than goldmark
// takes as one, which only means a few paragraphs parsed in full).
func mayUnderline(line []byte) bool {
	bar := false
	for _, b := range line {
		switch b {
		case '=', '-':
			bar = true
		case ' ', '\t', '\r', '\n':
		default:
			return false
		}
	}
	return bar
}

// countMarks counts the bytes delimLimiter is triggered by: at least as many
// as the runs it counts.
func countMarks(line []byte) int {
	n := 0
	for _, b := range line {
		switch b {
		case '*', '_', '~', '\'', '"':
			n++
		}
	}
	return n
}
