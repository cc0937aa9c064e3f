package search_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/search/analysis"
)

// The Writer takes search.Pages: those handed to Add as they render, and at
// Close those it was not handed, whose text it asks the caller for. The
// index then answers from both, with the rows (titles, labels) of every page.
func TestWriterAddsThePagesNotHandedToItAtClose(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	w := newWriter(t, dir)
	topic := []search.Label{{Slug: "digital-records", Name: "Digital records"}}
	a := search.Page{URL: "/guides/a/", Path: "content/guides/a.md", Type: "guide", Title: "Alpha",
		Topics: topic, Headings: []string{"Wombat care"}, Prose: "Feeding the wombats on the ward."}
	b := search.Page{URL: "/guides/b/", Path: "content/guides/b.md", Type: "guide", Title: "Beta",
		Prose: "Axolotl husbandry.", Nav: "Related pages Alpha"}
	w.Add(a)
	rows := []search.Page{a, b}
	rows[0].Headings, rows[0].Prose = nil, "" // the rows need no text
	rows[1].Prose, rows[1].Nav = "", ""
	var asked []string
	n, err := w.Close(rows, func(i int) (search.Page, error) {
		asked = append(asked, rows[i].URL)
		return b, nil
	})
	if err != nil || n != 2 {
		t.Fatalf("Close: %d indexed, %v; want 2", n, err)
	}
	if !slices.Equal(asked, []string{"/guides/b/"}) {
		t.Errorf("Close asked for the text of %v, want only the page not added", asked)
	}
	idx, err := search.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	for q, want := range map[string]string{"q=axolotl": "/guides/b/", "q=wombat": "/guides/a/", "q=husbandry&topic=digital-records": "", "q=wombat&topic=digital-records": "/guides/a/"} {
		res := run(t, idx, q)
		var wantURLs []string
		if want != "" {
			wantURLs = []string{want}
		}
		if got := urls(*res); !slices.Equal(got, wantURLs) {
			t.Errorf("%s: %v, want %v", q, got, wantURLs)
		}
	}
}

// A build hands the writer more pages than one batch holds, and the term
// counts of each batch's bodies are lent again to the next (see countPool):
// each page must be found by the word only it has, and by no other's, in
// every batch, and every page by the word they all share.
func TestWriterBatchesKeepEachPagesOwnTerms(t *testing.T) {
	const pages = 2500 // three batches
	dir := filepath.Join(t.TempDir(), "index")
	w := newWriter(t, dir)
	rows := make([]search.Page, pages)
	for i := range rows {
		rows[i] = search.Page{URL: fmt.Sprintf("/guides/p%d/", i), Path: fmt.Sprintf("content/guides/p%d.md", i),
			Type: "guide", Title: fmt.Sprintf("Guide %d", i),
			Prose: "Shared wording about patient records. " + marker(i) + " appears here alone."}
		w.Add(rows[i])
	}
	if n, err := w.Close(rows, nil); err != nil || n != pages {
		t.Fatalf("Close: %d indexed, %v; want %d", n, err, pages)
	}
	idx, err := search.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if res := run(t, idx, "q=wording"); res.Total != pages {
		t.Errorf("q=wording: %d pages, want all %d", res.Total, pages)
	}
	for i := range rows {
		res := run(t, idx, "q="+marker(i))
		if got := urls(*res); res.Total != 1 || !slices.Equal(got, []string{rows[i].URL}) {
			t.Fatalf("q=%s: %d pages %v, want only %s", marker(i), res.Total, got, rows[i].URL)
		}
	}
}

// marker is a word for page i alone, three letters from any other page's
// (so that no typo-tolerant match finds another), made of consonants that
// no stemmer trims.
func marker(i int) string {
	const letters = "bcdfghjklmnpqrtvwxz"
	var b strings.Builder
	b.WriteString("zz")
	for range 3 {
		c := letters[i%len(letters)]
		b.WriteString(strings.Repeat(string(c), 3))
		i /= len(letters)
	}
	return b.String()
}

// newWriter starts a new index in dir with the repository's synonyms.
func newWriter(t *testing.T, dir string) *search.Writer {
	t.Helper()
	syn, err := analysis.ReadSynonyms("../..")
	if err != nil {
		t.Fatal(err)
	}
	w, err := search.NewWriter(dir, "", syn)
	if err != nil {
		t.Fatal(err)
	}
	return w
}
