package content

import (
	"slices"
	"strings"
	"time"

	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/markdown"
)

// Record is what parsing a page found: its decoded front matter and its
// document's facts. kb build keeps it between runs (in .kb/build/), so that a
// page whose bytes and settings did not change is not parsed again. Only
// pages parsed without a problem are recorded, so restoring one reports
// nothing, as parsing it again would.
type Record struct {
	Title, Type, Summary                     string
	Measures, Topics, Organisations, Aliases []string
	Programme                                string
	Date, Reviewed, ReviewDue                time.Time
	Draft                                    bool
	Weight                                   int
	Owner                                    string
	Sources                                  []Source
	DownloadInfo                             []DownloadInfo
	Doc                                      markdown.Record
}

// groupPositions is where each of the first n items of the list of groups
// key is written, as decoder.groups finds them.
func (p *Page) groupPositions(key string, n int) []fieldPositions {
	found := p.fm.itemPositions(key)
	out := make([]fieldPositions, n)
	for i := range out {
		out[i] = fieldPositions{item: p.KeyPos(key)}
		if i < len(found) {
			out[i] = found[i]
		}
	}
	return out
}

// Record returns what p's parse found, for Restore.
func (p *Page) Record() *Record {
	return &Record{Title: p.Title, Type: p.Type, Summary: p.Summary, Measures: p.Measures, Topics: p.Topics,
		Organisations: p.Organisations, Aliases: p.Aliases, Programme: p.Programme, Date: p.Date,
		Reviewed: p.Reviewed, ReviewDue: p.ReviewDue, Draft: p.Draft, Weight: p.Weight, Owner: p.Owner,
		Sources: p.Sources, DownloadInfo: p.DownloadInfo, Doc: p.Doc.Record()}
}

// Restore fills in p from raw, the bytes of p.File, and r, recorded by a
// parse of the same bytes with the same settings, as Parse would have. It
// reports false, leaving p for Parse, when raw does not clean up as a page
// that parsed could have.
func Restore(p *Page, raw []byte, conv *markdown.Converter, r *Record) bool {
	src, err := Clean(p.Path, raw)
	if err != nil {
		return false
	}
	var errs diag.List
	p.classify()
	p.fm = splitFrontMatter(p.Path, src, &errs)
	if len(errs) > 0 || !p.fm.has() {
		return false
	}
	p.Title, p.Type, p.Summary = r.Title, r.Type, r.Summary
	p.Measures, p.Topics, p.Organisations, p.Aliases = r.Measures, r.Topics, r.Organisations, r.Aliases
	p.Programme, p.Date, p.Reviewed, p.ReviewDue = r.Programme, r.Date, r.Reviewed, r.ReviewDue
	p.Draft, p.Weight, p.Owner = r.Draft, r.Weight, r.Owner
	p.Sources, p.DownloadInfo = slices.Clone(r.Sources), slices.Clone(r.DownloadInfo)
	// Where each source and download is written is not recorded: the
	// front matter, split again above, says, as the parse found it (a
	// recorded page has no item the parse left out).
	at := p.groupPositions("sources", len(p.Sources))
	for i := range p.Sources {
		p.Sources[i].at = at[i]
	}
	at = p.groupPositions("downloads", len(p.DownloadInfo))
	for i := range p.DownloadInfo {
		p.DownloadInfo[i].at = at[i]
	}
	p.sortTitle = strings.ToLower(p.Title)
	p.Doc = conv.Restore(src, r.Doc)
	return true
}
