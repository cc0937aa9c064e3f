package search

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/nhsx/kb/internal/search/analysis"
)

// A new index is merged once: scorch merges none of its segments while the
// build writes them, and the final merge takes them all in one go, rather
// than ten at a time and the results again.
func TestNewIndexMergesEachSegmentOnce(t *testing.T) {
	syn := readSynonyms(t)
	x, _, err := startBuild(filepath.Join(t.TempDir(), "index"), syn, "")
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	const n = 12 // more than scorch merges at once unless told
	addSegments(t, x.bi, "new", n)
	files := persisted(t, x.bi)
	if len(files) != n {
		t.Fatalf("before the final merge the index has %d segment files, want the %d written (none merged)", len(files), n)
	}
	if err := mergeToOne(x.bi); err != nil {
		t.Fatal(err)
	}
	if files := persisted(t, x.bi); len(files) != 1 {
		t.Errorf("after the final merge the index has %d segments, want 1", len(files))
	}
	merges, inputs := mergeStats(t, x.bi)
	if merges != 1 || inputs != n {
		t.Errorf("the index was merged %d times from %d segments, want once from %d", merges, inputs, n)
	}
}

// An index copied from an earlier one is opened with scorch's own merge
// plan, not the no-merges one stored with the new index: the segments that
// small updates add are merged among themselves as they come.
func TestReusedIndexMergesItsNewSegments(t *testing.T) {
	syn := readSynonyms(t)
	root := t.TempDir()
	first := filepath.Join(root, "first")
	w, err := NewWriter(first, "", syn)
	if err != nil {
		t.Fatal(err)
	}
	pages := []Page{{URL: "/guides/a/", Path: "content/guides/a.md", Type: "guide", Title: "Wombats", Prose: "Wombats on the ward."}}
	if _, err := w.Close(pages, func(i int) (Page, error) { return pages[i], nil }); err != nil {
		t.Fatal(err)
	}
	x, _, err := reuse(filepath.Join(root, "second"), syn, first)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	addSegments(t, x.bi, "update", 12)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if merges, _ := mergeStats(t, x.bi); merges > 0 {
			return
		}
	}
	files := persisted(t, x.bi)
	t.Errorf("scorch merged none of the %d segments of an updated index", len(files))
}

func readSynonyms(t *testing.T) *analysis.Synonyms {
	t.Helper()
	syn, err := analysis.ReadSynonyms("../..")
	if err != nil {
		t.Fatal(err)
	}
	return syn
}

// addSegments indexes n documents one at a time, each a segment of its
// own, waiting for each to reach the disk so that scorch's persister never
// merges two on the way.
func addSegments(t *testing.T, bi bleve.Index, prefix string, n int) {
	t.Helper()
	for i := range n {
		if err := bi.Index(fmt.Sprintf("/%s/%d/", prefix, i), map[string]any{"title": fmt.Sprintf("Wombat %d", i)}); err != nil {
			t.Fatal(err)
		}
		persisted(t, bi)
	}
}

// persisted waits until every segment of the index is on disk, and lists
// their files.
func persisted(t *testing.T, bi bleve.Index) map[string]bool {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(time.Millisecond) {
		files, inMemory, err := segments(bi)
		if err != nil {
			t.Fatal(err)
		}
		if inMemory == 0 {
			return files
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d segments still in memory", inMemory)
		}
	}
}

// mergeStats reports how many merges of segment files scorch has done on
// the index since it was opened, and how many segments they took in.
func mergeStats(t *testing.T, bi bleve.Index) (merges, inputs uint64) {
	t.Helper()
	sc, ok := indexImpl(bi)
	if !ok {
		t.Fatal("not a scorch index")
	}
	m := sc.StatsMap()
	return m["TotFileMergeZapEnd"].(uint64), m["TotFileMergeSegments"].(uint64)
}
