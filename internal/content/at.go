package content

// At returns a page that is not read, only placed: its Kind, Section and Slug
// follow from rel (content/standards/dtac.md) alone. It says which URL a file
// would have, for messages about a link to a file that does not exist.
func At(rel string) *Page {
	p := &Page{Path: rel}
	p.classify()
	return p
}
