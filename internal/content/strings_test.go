package content

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/markdown"
)

// vocab knows every topic and asks for no sources.
type vocab struct{}

func (vocab) TopicKnown(string) (bool, string) { return true, "" }
func (vocab) SourcesRequired(string) bool      { return false }

// Pages parsed, or restored, with one Strings share one copy of each value
// they repeat, and keep their own titles; the values read the same.
func TestPagesShareRepeatedValues(t *testing.T) {
	dir := t.TempDir()
	conv := markdown.New()
	v := Interning(vocab{}, &Strings{})
	var pages []*Page
	for _, name := range []string{"a", "b"} {
		file := filepath.Join(dir, name+".md")
		src := "---\ntitle: Page " + name + "\nsummary: S.\nmeasures: [well-led]\ntopics: [records]\norganisations: [NHS Example Trust]\nowner: Team\n---\nBody.\n"
		if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		p := &Page{Path: "content/guides/" + name + ".md", File: file}
		var errs diag.List
		if !Parse(p, conv, v, &errs) || len(errs) > 0 {
			t.Fatalf("parse: %v", errs)
		}
		pages = append(pages, p)
	}
	r := pages[1].Record()
	r.Topics, r.Organisations = []string{string([]byte("records"))}, []string{string([]byte("NHS Example Trust"))}
	r.Share(v)
	restored := &Page{Path: "content/guides/b.md", File: pages[1].File}
	Restore(restored, pages[1].Sum(), conv, r)
	a := pages[0]
	for _, b := range []*Page{pages[1], restored} {
		for name, pair := range map[string][2]string{
			"measure": {a.Measures[0], b.Measures[0]}, "topic": {a.Topics()[0], b.Topics()[0]},
			"organisation": {a.Organisations()[0], b.Organisations()[0]}, "owner": {a.Owner, b.Owner}, "type": {a.Type, b.Type},
			"section": {a.Section, b.Section},
		} {
			if pair[0] != pair[1] || unsafe.StringData(pair[0]) != unsafe.StringData(pair[1]) {
				t.Errorf("%s: %q and %q are two copies", name, pair[0], pair[1])
			}
		}
		if unsafe.SliceData(a.Measures) != unsafe.SliceData(b.Measures) {
			t.Errorf("the lists of measures %v and %v are two copies", a.Measures, b.Measures)
		}
	}
	if a.Title == pages[1].Title || a.Topics()[0] != "records" || a.Organisations()[0] != "NHS Example Trust" {
		t.Errorf("values changed: %q %q %v %v", a.Title, pages[1].Title, a.Topics(), a.Organisations())
	}
}

// CompareTitles orders titles as their lower-case forms do, without making
// them: ASCII, letters with a lower case elsewhere in Unicode, and bytes
// that are not UTF-8.
func TestCompareTitlesOrdersAsLowerCase(t *testing.T) {
	titles := []string{"", "a", "A", "ab", "Ab", "aB", "b", "B", "Virtual wards", "virtual Wards", "Virtual ward",
		"Érable", "érable", "Erable", "ΣΊΣΥΦΟΣ", "σίσυφος", "İstanbul", "istanbul", "K", "\u212a", "k", "\xff", "\ufffd", "a\xffb", "Straße", "STRASSE"}
	for _, a := range titles {
		for _, b := range titles {
			want := strings.Compare(strings.ToLower(a), strings.ToLower(b))
			if got := CompareTitles(&Page{Title: a}, &Page{Title: b}); got != want {
				t.Errorf("CompareTitles(%q, %q) = %d, want %d", a, b, got, want)
			}
		}
	}
}
