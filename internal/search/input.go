package search

import "time"

// Page is one page of the site as the index takes it in: the words searched,
// the values filtered and faceted on, and what a hit shows. The build turns
// its site model into Pages in one place (as kb build renders each page, and
// build.SearchPages for an index in memory), which also decides which pages
// are searchable; so the index, and the function that opens it, need none
// of the site's own packages.
type Page struct {
	URL  string
	Path string // the source file, for error messages
	Type string
	Date time.Time // zero when undated

	Title, Summary string
	Measures       []Label // in framework order
	Topics         []Label
	Organisations  []Label
	Programme      string
	Sources        []Source
	Headings       []string
	// Prose is the text of the page's body, which snippets are cut from;
	// Nav the text of its navigation parts, searched but never shown.
	Prose, Nav string
}

func slugsOf(ls []Label) []string {
	if len(ls) == 0 {
		return nil
	}
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.Slug
	}
	return out
}
