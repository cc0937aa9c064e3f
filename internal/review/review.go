// Package review makes the editor's report: every page by the date its review
// is due, overdue first, with who owns it, when it was last reviewed and when
// its sources were last read, so that a knowledge base people rely on is
// checked on time. It reads the site model and writes text; kb review wires it.
package review

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/nhsx/kb/internal/site"
)

// Entry is one page of the report.
type Entry struct {
	Path      string      `json:"path"` // the source file, content/...
	URL       string      `json:"url"`
	Title     string      `json:"title"`
	Type      string      `json:"type,omitempty"`
	ReviewDue string      `json:"review_due,omitempty"` // YYYY-MM-DD; absent when the page sets none
	Status    string      `json:"status"`               // "overdue by 3 days", "due in 10 days", "no review date"
	Days      *int        `json:"days,omitempty"`       // days until due; negative when overdue
	Reviewed  string      `json:"reviewed,omitempty"`
	Owner     string      `json:"owner,omitempty"`
	Sources   []SourceRow `json:"sources"`
	// OldestAccessed is the earliest accessed date among the sources: the
	// fact most likely to have gone out of date.
	OldestAccessed string `json:"oldest_accessed,omitempty"`

	due time.Time
}

// SourceRow is one source of a page, with the day it was last read.
type SourceRow struct {
	Title    string `json:"title"`
	URL      string `json:"url"`
	Accessed string `json:"accessed"`
}

// Report lists the site's pages by review date, most overdue first; pages
// with no review date come last. With within > 0 only pages due before
// or on today+within (overdue ones included) are listed.
func Report(s *site.Site, today time.Time, within time.Duration) []Entry {
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	var out []Entry
	for _, p := range s.BySource {
		if within > 0 && (p.ReviewDue.IsZero() || p.ReviewDue.After(today.Add(within))) {
			continue
		}
		e := Entry{Path: p.Path, URL: p.URL, Title: p.Title, Type: p.Type, Owner: p.Owner,
			ReviewDue: day(p.ReviewDue), Reviewed: day(p.Reviewed), Sources: []SourceRow{}, due: p.ReviewDue}
		e.Status = "no review date"
		if !p.ReviewDue.IsZero() {
			n := int(p.ReviewDue.Sub(today).Hours() / 24)
			e.Days = &n
			e.Status = status(n)
		}
		var oldest time.Time
		for _, src := range p.Sources {
			e.Sources = append(e.Sources, SourceRow{Title: src.Title, URL: src.URL, Accessed: day(src.Accessed)})
			if !src.Accessed.IsZero() && (oldest.IsZero() || src.Accessed.Before(oldest)) {
				oldest = src.Accessed
			}
		}
		e.OldestAccessed = day(oldest)
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Entry) int {
		if a.due.IsZero() != b.due.IsZero() {
			if a.due.IsZero() {
				return 1
			}
			return -1
		}
		return cmp.Or(a.due.Compare(b.due), cmp.Compare(a.Path, b.Path))
	})
	return out
}

func status(days int) string {
	switch {
	case days < 0:
		return "overdue by " + plural(-days, "day")
	case days == 0:
		return "due today"
	}
	return "due in " + plural(days, "day")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// accessed lists a page's sources' accessed dates, in the page's order.
func (e Entry) accessed() string {
	dates := make([]string, len(e.Sources))
	for i, s := range e.Sources {
		dates[i] = s.Accessed
	}
	return strings.Join(dates, " ")
}

// Formats are the report's output formats, the first the default.
var Formats = []string{"table", "csv", "json"}

// Write writes the report in format (one of Formats).
func Write(w io.Writer, format string, today time.Time, entries []Entry) error {
	switch format {
	case "table":
		return writeTable(w, entries)
	case "csv":
		return writeCSV(w, entries)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if entries == nil {
			entries = []Entry{}
		}
		return enc.Encode(struct {
			Today string  `json:"today"`
			Pages []Entry `json:"pages"`
		}{day(today), entries})
	}
	return fmt.Errorf("unknown format %q: use one of %s", format, strings.Join(Formats, ", "))
}

var columns = []string{"review_due", "status", "reviewed", "owner", "oldest_accessed", "accessed", "path", "title"}

func (e Entry) row() []string {
	return []string{e.ReviewDue, e.Status, e.Reviewed, e.Owner, e.OldestAccessed, e.accessed(), e.Path, e.Title}
}

// writeTable aligns the columns for a terminal; empty cells show a dash so
// that the columns stay readable.
func writeTable(w io.Writer, entries []Entry) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.ToUpper(strings.ReplaceAll(strings.Join(columns, "\t"), "_", " ")))
	for _, e := range entries {
		cells := e.row()
		for i, c := range cells {
			if c == "" {
				cells[i] = "-"
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// writeCSV writes one row a page, for a spreadsheet; accessed holds the
// sources' dates separated by spaces.
func writeCSV(w io.Writer, entries []Entry) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(columns); err != nil {
		return err
	}
	for _, e := range entries {
		if err := cw.Write(e.row()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
