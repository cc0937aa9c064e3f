package markdown

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// keepAttrs drops every attribute written in the content ({style="..."} after
// a heading, say) except id and class. goldmark already refuses event
// handlers, but a style attribute would be blocked by the site's
// Content-Security-Policy and lets a page restyle the design system.
type keepAttrs struct{}

func (keepAttrs) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && !onlyKept(n.Attributes()) {
			attrs := n.Attributes()
			n.RemoveAttributes()
			for _, a := range attrs {
				if kept(a.Name) {
					n.SetAttribute(a.Name, a.Value)
				}
			}
		}
		return ast.WalkContinue, nil
	})
}

// onlyKept reports whether attrs has nothing to drop. Every heading has an
// id, which goldmark sets: rebuilding its attributes anyway was 1.4% of
// what a 100,000-page build allocated.
func onlyKept(attrs []ast.Attribute) bool {
	for _, a := range attrs {
		if !kept(a.Name) {
			return false
		}
	}
	return true
}

func kept(name []byte) bool { return string(name) == "id" || string(name) == "class" }
