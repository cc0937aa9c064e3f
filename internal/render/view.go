// Package render turns the site model and a theme into the site's files:
// every page, list, taxonomy page, feed and sitemap. It does no I/O; it hands
// back outputs for the publisher (or the preview server) to keep.
package render

import (
	"bytes"
	"html/template"

	"github.com/nhsx/kb/internal/site"
)

// View is what every layout is executed with.
type View struct {
	Site        *site.Site
	Layout      string // the layout's name: home, section, single, measure…
	Title       string
	Description string
	URL         string // site path, such as /guides/x/
	Canonical   string // absolute URL, when the site has a base URL
	Breadcrumbs []Crumb
	Page        *site.Page    // the page shown, for single and plain pages
	Content     template.HTML // its rendered Markdown
	Items       []*site.Page  // a list's items on this page of it
	Groups      []Group       // a measure's items by type
	Term        *site.Term    // the measure, topic or organisation shown
	Terms       []*site.Term  // every term of a taxonomy, for index pages
	Taxonomy    string        // "topics" or "organisations", on their pages
	Section     *site.Section
	Pager       *Pager
	Latest      []*site.Page
	Nav         []Crumb // the header's navigation
	// Search is filled in by the search package for the results page.
	Search any
	// Assess is filled in by the assess package for the self-assessment.
	Assess any
	// Dev is set by the preview server, which adds its reload script.
	Dev bool
	// Redirect is the target of an alias page.
	Redirect string

	// unread is why a page's source could not be read again for its
	// render (it changed or went during the build): the output fails.
	unread error
	// body is the buffer Content is, lent by the renderer until the view's
	// page is executed (nil when Content is not lent).
	body *bytes.Buffer
	// memo is the renderer's, for partialCached.
	memo *memo
}

// Crumb is a link in breadcrumbs or navigation.
type Crumb struct {
	Title, URL string
	Current    bool
}

// Group is a heading and the items under it.
type Group struct {
	Title, Type string
	Items       []*site.Page
	Total       int
	MoreURL     string // where to see all of them when Items is cut short
}

// Pager links the pages of a long list.
type Pager struct {
	Current, Total int
	Prev, Next     string
	PrevN, NextN   int
}

// Absolute makes a site path absolute from the site's base URL.
func Absolute(s *site.Site, path string) string {
	base := s.Config.BaseURL
	if base == "" {
		return ""
	}
	for len(base) > 0 && base[len(base)-1] == '/' {
		base = base[:len(base)-1]
	}
	return base + path
}
