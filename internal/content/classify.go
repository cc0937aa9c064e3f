package content

// Classify returns a page with the Kind, Section and Slug that a file at rel
// (slash-separated, such as content/guides/a.md or content/standards/x/index.md)
// would have, without reading it: for tools that plan changes to the tree,
// such as kb mv, which needs a page's URL before and after a move.
func Classify(rel string) *Page {
	p := &Page{Path: rel}
	p.classify()
	return p
}
