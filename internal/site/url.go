package site

import "github.com/nhsx/kb/internal/content"

// URLOf is the URL a page gets from its place in the source tree (see
// content.Classify), or "" for a measure introduction not named after a
// measure.
func URLOf(p *content.Page) string { return urlOf(p) }
