package build

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/markdown"
)

// record is a file's record with facts that use every field the codec
// writes.
func record(title string, size int64) fileRecord {
	at := time.Date(2026, 2, 1, 10, 0, 0, 0, time.FixedZone("", 3600))
	pos := diag.Pos{Line: 3, Col: 5}
	return fileRecord{Sum: [32]byte{byte(size)}, Res: "data.csv\x003\x00", Size: size, Mod: 17, Change: 18,
		Facts: &content.Record{Title: title, Type: "guide", Summary: "S.", Measures: []string{"well-led"}, Topics: []string{"records"},
			Organisations: []string{"NHS X"}, Aliases: []string{"/old/"}, Programme: "P", Date: at, Reviewed: at.UTC(), Draft: true, Weight: -3, Owner: "Team",
			Sources:      []content.Source{{Title: "A", URL: "https://example.org/", Publisher: "NHS", Accessed: at}},
			DownloadInfo: []content.DownloadInfo{{File: "data.csv", Title: "Data", Description: "D."}},
			Doc: markdown.Record{Links: []markdown.Link{{Dest: "b.md", Offset: 40}}, Raw: []markdown.RawLink{{Offset: 9, Text: "t", Dest: "a b", Closed: true}},
				Headings: []markdown.Heading{{Level: 2, ID: "main", Text: "Main", Offset: 30}}, IDs: []string{"fn:1"}, NotIDs: []string{"x"},
				Renamed: map[string]string{"search": "search-1"}},
			SourcesAt: []content.ItemPositions{{Item: pos, Keys: map[string]diag.Pos{"url": pos}, Values: map[string]diag.Pos{"url": {File: "\x00", Line: 4}}}},
			At:        map[string]diag.Pos{"title\x00" + title: pos}}}
}

// The records read back as they were written: the rest whole, the files'
// from a log that later builds append to, where a later entry replaces an
// earlier one, a file gone ends its record, bytes past what the records
// cover are ignored, a log the records do not name is refused, and the log
// is written anew once it is mostly replaced entries.
func TestRecordsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	files := map[string]fileRecord{"content/a.md": record("Alpha", 100), "content/b.md": record("Beta", 200), "content/c.md": {Sum: [32]byte{3}, Size: 3}}
	st := &state{Key: "k", Settings: [32]byte{1}, Layouts: map[string][32]byte{"single.html": {2}}, Static: map[string][32]byte{},
		Sigs: map[string]uint64{"a/index.html": 7, "404.html": 9}, Sums: map[string][32]byte{"a/index.html": {4}, "style.css": {5}},
		URLs: map[string]string{"content/a.md": "/a/"}, Kinds: map[string]content.Kind{"content/a.md": content.Plain},
		Orgs: map[string]string{"nhs-x": "NHS X"}, Content: "x", Stamp: 11, Marker: 12, files: files}
	if err := writeState(dir, st, nil); err != nil {
		t.Fatal(err)
	}
	got := readState(dir, "k")
	if got == nil {
		t.Fatal("the records do not read back")
	}
	if readState(dir, "another") != nil {
		t.Error("records made for another key are read")
	}
	same := func(when string, got *state, want map[string]fileRecord) {
		t.Helper()
		if len(got.files) != len(want) {
			t.Errorf("%s: %d files, want %d", when, len(got.files), len(want))
		}
		for path, r := range want {
			g := got.files[path]
			if !g.same(r) || !reflect.DeepEqual(g.decodeFacts(), r.decodeFacts()) {
				t.Errorf("%s: %s reads back as %+v\n%+v, want %+v\n%+v", when, path, g, g.decodeFacts(), r, r.decodeFacts())
			}
		}
	}
	same("written whole", got, files)
	head := *got
	head.files = nil
	want := *st
	want.files, want.Version = nil, stateVersion
	if !reflect.DeepEqual(head, want) {
		t.Errorf("the rest reads back as\n%+v\nwant\n%+v", head, want)
	}

	// The next build: a changed, a gone, d new.
	next := map[string]fileRecord{"content/a.md": record("Alpha two", 101), "content/b.md": got.files["content/b.md"], "content/d.md": {Sum: [32]byte{4}}}
	before, _ := os.Stat(filepath.Join(dir, filesLog))
	st2 := *st
	st2.files = next
	if err := writeState(dir, &st2, got); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(filepath.Join(dir, filesLog))
	if st2.Log.ID != got.Log.ID || after.Size() <= before.Size() || after.Size()-before.Size() > 1000 {
		t.Errorf("the log was not appended to: %d bytes, were %d", after.Size(), before.Size())
	}
	again := readState(dir, "k")
	same("appended", again, next)

	// A build that died after appending, before its records were written.
	f, err := os.OpenFile(filepath.Join(dir, filesLog), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("\x05garbage"))
	f.Close()
	same("after a torn append", readState(dir, "k"), next)

	// A log that is not the one the records name.
	if _, err := newLog(t.TempDir(), next); err != nil {
		t.Fatal(err)
	}
	other, _ := os.ReadFile(filepath.Join(dir, filesLog))
	copy(other[len(filesMagic):], "12345678")
	os.WriteFile(filepath.Join(dir, filesLog), other, 0o644)
	if readState(dir, "k") != nil {
		t.Error("a log with another id is read")
	}

	// Mostly replaced: written anew. Each record of a is 100 kB, so forty
	// of them are far past the megabyte of slack.
	ref, err := newLog(dir, next)
	if err != nil {
		t.Fatal(err)
	}
	prev, long := next, strings.Repeat("x", 100_000)
	for i := range 40 {
		cur := map[string]fileRecord{"content/a.md": record(long, int64(1000+i)), "content/b.md": prev["content/b.md"], "content/d.md": prev["content/d.md"]}
		if ref, err = writeLog(dir, cur, prev, ref, false); err != nil {
			t.Fatal(err)
		}
		if prev, err = readLog(dir, ref); err != nil { // as the next build reads them
			t.Fatal(err)
		}
	}
	if fi, _ := os.Stat(filepath.Join(dir, filesLog)); fi.Size() > 2*ref.Live+1<<20 || ref.Len != fi.Size() || fi.Size() > 1500_000 {
		t.Errorf("the log is %d bytes for %d live (records say %d)", fi.Size(), ref.Live, ref.Len)
	}
	read, err := readLog(dir, ref)
	if err != nil {
		t.Fatal(err)
	}
	same("after many appends", &state{files: read}, prev)
}
