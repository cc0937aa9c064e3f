package content

import (
	"bytes"
	"encoding/gob"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/markdown"
)

// A page restored from its record, after a trip through encoding/gob as
// kb build keeps it, is the page a parse of the same bytes makes: every
// field, the document's facts, and the positions messages point at.
func TestRestoreIsParse(t *testing.T) {
	src := "\xEF\xBB\xBF---\r\ntitle: Virtual wards\r\nsummary: S.\r\ntype: guide\r\nmeasures: [well-led]\r\ntopics: [records]\r\n" +
		"organisations: [NHS Example]\r\naliases: [/old/]\r\nprogramme: P\r\ndate: 2026-01-05\r\nreviewed: 2026-02-01T10:00:00+01:00\r\n" +
		"review_due: 2027-01-01\r\ndraft: true\r\nweight: 3\r\nowner: Team\r\n" +
		"sources:\r\n  - title: A report\r\n    url: https://example.org/r\r\n    publisher: NHS\r\n    published: 2025-01-01\r\n    accessed: 2026-01-01\r\n" +
		"downloads:\r\n  - file: data.csv\r\n    title: Data\r\n---\r\n" +
		"## Main\r\n\r\nSee [b](b.md#x) and ![i](i.png) and [left](as text.\r\n\r\n## Main\r\n\r\n## Contents\r\n\r\nNote[^1].\r\n\r\n[^1]: A footnote.\r\n"
	file := filepath.Join(t.TempDir(), "a.md")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	conv := markdown.New()
	parsed := &Page{Path: "content/guides/a.md", File: file}
	var errs diag.List
	if !Parse(parsed, conv, nil, &errs) || len(errs) > 0 {
		t.Fatalf("parse: %v", errs)
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(parsed.Record()); err != nil {
		t.Fatal(err)
	}
	var r Record
	if err := gob.NewDecoder(&buf).Decode(&r); err != nil {
		t.Fatal(err)
	}
	restored := &Page{Path: parsed.Path, File: file}
	Restore(restored, parsed.Sum(), conv, &r)
	pd, rd := parsed.Doc, restored.Doc
	if pd.Source != nil || rd.Source != nil {
		t.Error("a page of facts keeps its source")
	}
	ph, perr := conv.Render(pd, nil)
	rh, rerr := conv.Render(rd, nil)
	if perr != nil || rerr != nil || !bytes.Equal(ph, rh) {
		t.Errorf("restored renders %q (%v), parsed %q (%v)", rh, rerr, ph, perr)
	}
	for name, pair := range map[string][2]any{
		"links":    {pd.Links(), rd.Links()},
		"raw":      {pd.RawLinks(), rd.RawLinks()},
		"headings": {pd.Headings(), rd.Headings()},
		"ids":      {pd.IDs(), rd.IDs()},
		"renamed":  {pd.Renamed, rd.Renamed},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("%s: restored %v, parsed %v", name, pair[1], pair[0])
		}
	}
	if len(pd.Renamed) == 0 || len(pd.Links()) == 0 || len(pd.RawLinks()) == 0 {
		t.Errorf("the page does not exercise every fact: %+v", pd.Record())
	}
	// The positions every build's warnings ask for are kept in the record:
	// the restored page answers them with its file gone.
	os.Rename(file, file+".gone")
	if a, b := parsed.ValuePos("title", "Virtual wards"), restored.ValuePos("title", "Virtual wards"); a != b || a.Line != 2 {
		t.Errorf("the title's position %v, want %v", b, a)
	}
	if a, b := parsed.KeyPos("review_due"), restored.KeyPos("review_due"); a != b || a.Line != 12 {
		t.Errorf("review_due's position %v, want %v", b, a)
	}
	os.Rename(file+".gone", file)
	for _, key := range []string{"title", "reviewed", "sources"} {
		if a, b := parsed.KeyPos(key), restored.KeyPos(key); a != b {
			t.Errorf("KeyPos(%s) %v, want %v", key, b, a)
		}
	}
	if a, b := parsed.ValuePos("topics", "records"), restored.ValuePos("topics", "records"); a != b {
		t.Errorf("ValuePos %v, want %v", b, a)
	}
	// A restored page was never checked in this process: its render checks
	// the source it reads (see body).
	if parsed.checked != bodyFits || restored.checked != bodyUnchecked {
		t.Errorf("checked %d when parsed, %d when restored: want %d and %d", parsed.checked, restored.checked, bodyFits, bodyUnchecked)
	}
	restored.checked = parsed.checked
	p, q := *parsed, *restored
	p.Doc, q.Doc = nil, nil
	p.fm, q.fm = nil, nil
	if !reflect.DeepEqual(p, q) {
		t.Errorf("restored\n%+v\nwant\n%+v", q, p)
	}
	if p.Reviewed.Format("2006-01-02T15:04:05Z07:00") != q.Reviewed.Format("2006-01-02T15:04:05Z07:00") {
		t.Errorf("reviewed %v, want %v", q.Reviewed, p.Reviewed)
	}
}

// A page keeps neither its source nor its front matter's lines:
// its render reads the file again, and a file changed since its facts were
// taken is refused with a message saying to build again, for the render and
// for the positions of messages alike.
func TestPageReadsItsSourceAgain(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a.md")
	src := "---\ntitle: A\nsummary: S.\nmeasures: [well-led]\n---\n## Risks\n\nSee [b](b.md).\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	conv := markdown.New()
	p := &Page{Path: "content/guides/a.md", File: file}
	var errs diag.List
	if !Parse(p, conv, nil, &errs) || len(errs) > 0 {
		t.Fatalf("parse: %v", errs)
	}
	if p.Doc.Source != nil || p.given != nil || p.fm != nil {
		t.Fatalf("the page keeps its source (%d bytes) or its front matter's lines", len(p.Doc.Source))
	}
	if got := p.Positions().At(strings.Index(src, "[b]")); got.String() != "content/guides/a.md:8:5" {
		t.Errorf("the link is at %v", got)
	}
	html, err := conv.Render(p.Doc, nil)
	if err != nil || !strings.Contains(string(html), `<a href="b.md">b</a>`) {
		t.Errorf("render: %s, %v", html, err)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(src, "Risks", "Risk", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	const changed = "content/guides/a.md: changed during the build; run kb build again"
	if _, err := conv.Render(p.Doc, nil); err == nil || err.Error() != changed {
		t.Errorf("a changed file renders with %v, want %q", err, changed)
	}
	if got := p.Positions().At(10); got.String() != "content/guides/a.md" {
		t.Errorf("a position in a changed file is %v, want the file alone", got)
	}
	os.Remove(file)
	if _, err := conv.Render(p.Doc, nil); err == nil || !strings.HasPrefix(err.Error(), "content/guides/a.md: cannot be read again (") {
		t.Errorf("a deleted file renders with %v", err)
	}
}
