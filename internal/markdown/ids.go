package markdown

import (
	"strconv"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// reservedIDs are the ids the theme's page frame gives its own elements
// (header, search, contents, downloads, sources, related items). A heading
// whose id would be one of them gets a numbered suffix instead, so every id on
// a page stays unique, and links to the heading follow it (see Doc.Renamed).
var reservedIDs = map[string]bool{
	"maincontent": true, "search": true, "search-field": true, "toggle-menu": true,
	"contents": true, "contents-heading": true, "downloads": true, "downloads-heading": true,
	"kb-sources": true, "sources-heading": true, "related-heading": true, "top": true, "types-heading": true,
	"home-search": true, "home-search-hint": true, "kb-search": true, "search-query": true,
	"search-query-hint": true, "search-query-error": true, "search-status": true,
	"search-filters": true, "search-results": true, "search-sort": true,
}

var renamedKey = parser.NewContextKey()

// unreserve renames heading ids that collide with the page frame's, after
// goldmark has given every heading its id, and records each rename in the
// parser context for Parse to keep.
type unreserve struct{}

func (unreserve) Transform(doc *ast.Document, _ text.Reader, pc parser.Context) {
	var clash []ast.Node
	used := map[string]bool{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if id, ok := n.AttributeString("id"); ok {
			if b, ok := id.([]byte); ok {
				used[string(b)] = true
				if _, h := n.(*ast.Heading); h && reservedIDs[string(b)] {
					clash = append(clash, n)
				}
			}
		}
		return ast.WalkContinue, nil
	})
	if len(clash) == 0 {
		return
	}
	renamed := map[string]string{}
	for _, n := range clash {
		v, _ := n.AttributeString("id")
		id := string(v.([]byte))
		next := id
		for i := 1; used[next] || reservedIDs[next]; i++ {
			next = id + "-" + strconv.Itoa(i)
		}
		used[next] = true
		if _, done := renamed[id]; !done {
			renamed[id] = next
		}
		n.SetAttributeString("id", []byte(next))
	}
	pc.Set(renamedKey, renamed)
}
