package search_test

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/search/analysis"
)

// A small update to a large index (a page or two of many) is left as a
// segment of its own rather than merged into the rest; the index answers,
// scores included, exactly as one merged into a single segment does. (Scorch
// merges the small segments among themselves, so they stay few.)
func TestSmallUpdatesKeepSegmentsAndAnswerAlike(t *testing.T) {
	syn, err := analysis.ReadSynonyms("../..")
	if err != nil {
		t.Fatal(err)
	}
	pages := make([]search.Page, 2500) // past the size under which scorch merges segments on its own
	for i := range pages {
		pages[i] = search.Page{URL: fmt.Sprintf("/guides/p%02d/", i), Path: fmt.Sprintf("content/guides/p%02d.md", i), Type: "guide",
			Title: fmt.Sprintf("Page %d on wards", i), Prose: fmt.Sprintf("Wombats and records, note %d. %s", i, []string{"Axolotl husbandry.", "Ward rounds.", "Remote monitoring of wombats."}[i%3])}
	}
	write := func(dir, previous string, add []search.Page, keep bool) {
		t.Helper()
		w, err := search.NewWriter(dir, previous, syn)
		if err != nil {
			t.Fatal(err)
		}
		if keep {
			if err := w.Keep(); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range add {
			w.Add(p)
		}
		if _, err := w.Close(pages, func(i int) (search.Page, error) { return pages[i], nil }); err != nil {
			t.Fatal(err)
		}
	}
	zaps := func(dir string) int {
		files, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
		return len(files)
	}
	root := t.TempDir()
	prev := filepath.Join(root, "index-0")
	write(prev, "", pages, false)
	most := 0
	for i := 1; i <= 12; i++ {
		p := &pages[(i*7)%len(pages)]
		p.Prose += fmt.Sprintf(" Edit %d: quokkas on the ward.", i)
		dir := filepath.Join(root, fmt.Sprintf("index-%d", i))
		write(dir, prev, []search.Page{*p}, true)
		most, prev = max(most, zaps(dir)), dir
		if i == 1 && zaps(dir) != 2 {
			t.Errorf("after a one-page update the index has %d segment files, want 2", zaps(dir))
		}
	}
	if most > 8 {
		t.Errorf("small updates left up to %d segment files, want at most 8", most)
	}
	merged := filepath.Join(root, "merged")
	write(merged, "", pages, false)
	if n := zaps(merged); n != 1 {
		t.Fatalf("a new index has %d segment files", n)
	}
	for _, q := range []string{"q=wombats", "q=quokkas", "q=ward", "q=axolotl+husbandry", `q="remote monitoring"`, "q=records&sort=newest", "size=50"} {
		if a, b := answer(t, prev, q), answer(t, merged, q); !reflect.DeepEqual(a, b) {
			t.Errorf("%s: the updated index answers\n%+v\na merged one\n%+v", q, a, b)
		}
	}
}

// answer is what the index in dir finds for q, without the time it took.
func answer(t *testing.T, dir, q string) search.Result {
	t.Helper()
	idx, err := search.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	res := run(t, idx, q)
	res.Took = 0
	if res.Total == 0 {
		t.Errorf("%s finds nothing", q)
	}
	return *res
}
