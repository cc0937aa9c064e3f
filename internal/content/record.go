package content

import (
	"slices"
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
	// Where each source and download is written, for messages the site
	// model gives about them: finding them again means parsing the front
	// matter with yaml.v3, which costs more than the rest of a restore.
	SourcesAt, DownloadsAt []ItemPositions
	// At holds the positions of the fields the site model's warnings
	// point at on every build (see warnedPositions), so that a restored
	// page's file is not read again for them.
	At map[string]diag.Pos
}

// warnedPositions are the positions every build's warnings may ask of any
// page (a title shared with another page, a review overdue), by the key
// KeyPos and ValuePos look them up with (see Page.known).
func (p *Page) warnedPositions() map[string]diag.Pos {
	at := map[string]diag.Pos{"review_due": short(p.Path, p.KeyPos("review_due"))}
	if p.Title != "" {
		at["title\x00"+p.Title] = short(p.Path, p.ValuePos("title", p.Title))
	}
	return at
}

// restoreWarned takes the warned positions from a record's, kept in short
// form; one it cannot hold is found again from the file when asked for.
func (p *Page) restoreWarned(at map[string]diag.Pos) {
	p.warned = warnedAt{}
	if pos, ok := at["review_due"]; ok && pos.File == "" {
		p.warned.due = ownLineCol(p.Path, full(p.Path, pos))
	}
	if pos, ok := at["title\x00"+p.Title]; ok && p.Title != "" && pos.File == "" {
		p.warned.title = ownLineCol(p.Path, full(p.Path, pos))
	}
}

// ItemPositions is fieldPositions in a form encoding/gob can keep. Its
// positions leave out their file when it is the page's own, which would
// otherwise be most of the record.
type ItemPositions struct {
	Item         diag.Pos
	Keys, Values map[string]diag.Pos
}

func keepPositions[T any](file string, items []T, at func(T) fieldPositions) []ItemPositions {
	out := make([]ItemPositions, len(items))
	for i, it := range items {
		f := at(it)
		out[i] = ItemPositions{Item: short(file, f.item), Keys: shortAll(file, f.keys), Values: shortAll(file, f.values)}
	}
	return out
}

// short leaves out a position's file when it is file; in full, it is
// marked as not short by a file of "" being kept as "\x00".
func short(file string, p diag.Pos) diag.Pos {
	switch p.File {
	case file:
		p.File = ""
	case "":
		p.File = "\x00"
	}
	return p
}

func full(file string, p diag.Pos) diag.Pos {
	switch p.File {
	case "":
		p.File = file
	case "\x00":
		p.File = ""
	}
	return p
}

func shortAll(file string, m map[string]diag.Pos) map[string]diag.Pos {
	out := make(map[string]diag.Pos, len(m))
	for k, p := range m {
		out[k] = short(file, p)
	}
	return out
}

func fullAll(file string, m map[string]diag.Pos) map[string]diag.Pos {
	out := make(map[string]diag.Pos, len(m))
	for k, p := range m {
		out[k] = full(file, p)
	}
	return out
}

// positions returns at's i'th item's positions, or the page's key's when
// there are none (as decoder.groups gives an item it cannot place).
func (p *Page) positions(at []ItemPositions, i int, key string) fieldPositions {
	if i >= len(at) {
		return fieldPositions{item: p.KeyPos(key)}
	}
	return fieldPositions{item: full(p.Path, at[i].Item), keys: fullAll(p.Path, at[i].Keys), values: fullAll(p.Path, at[i].Values)}
}

// Record returns what p's parse found, for Restore.
func (p *Page) Record() *Record {
	return &Record{Title: p.Title, Type: p.Type, Summary: p.Summary, Measures: p.Measures, Topics: p.Topics(),
		Organisations: p.Organisations(), Aliases: p.Aliases, Programme: p.Programme, Date: p.Date,
		Reviewed: p.Reviewed, ReviewDue: p.ReviewDue, Draft: p.Draft, Weight: p.Weight, Owner: p.Owner,
		Sources: p.Sources, DownloadInfo: p.DownloadInfo, Doc: p.Doc.Record(), At: p.warnedPositions(),
		SourcesAt:   keepPositions(p.Path, p.Sources, func(s Source) fieldPositions { return s.at }),
		DownloadsAt: keepPositions(p.Path, p.DownloadInfo, func(d DownloadInfo) fieldPositions { return d.at })}
}

// Restore fills in p from r, recorded by a parse of the file's bytes whose
// SHA-256 is sum, with the same settings, as Parse would have; the file is
// not read. Its source is read again, and checked against sum, only when
// it is rendered or a message needs a line of it (see Source).
func Restore(p *Page, sum [32]byte, conv *markdown.Converter, r *Record) {
	p.classify()
	p.fm, p.sum, p.given, p.checked = nil, sum, nil, bodyUnchecked
	p.Type = r.Type
	p.Title, p.Summary = together(r.Title, r.Summary)
	p.restoreWarned(r.At)
	p.Measures, p.Aliases = r.Measures, r.Aliases
	p.SetTags(r.Topics, r.Organisations)
	p.Programme, p.Date, p.Reviewed, p.ReviewDue = r.Programme, r.Date, r.Reviewed, r.ReviewDue
	p.Draft, p.Weight, p.Owner = r.Draft, r.Weight, r.Owner
	p.Sources, p.DownloadInfo = slices.Clone(r.Sources), slices.Clone(r.DownloadInfo)
	for i := range p.Sources {
		p.Sources[i].at = p.positions(r.SourcesAt, i, "sources")
	}
	for i := range p.DownloadInfo {
		p.DownloadInfo[i].at = p.positions(r.DownloadsAt, i, "downloads")
	}
	p.Doc = conv.RestoreInto(&p.facts, r.Doc, (*loader)(p))
}
