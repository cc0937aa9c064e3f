package search

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/nhsx/kb/internal/search/analysis"
)

// A new index's segments are merged ten at a time as they come, but no
// segment scorch made is merged again until the final merge, which takes
// all of them in one go (scorch's own plans merge them again and again).
func TestNewIndexMergesMergedSegmentsOnlyAtTheEnd(t *testing.T) {
	const batch, n = 10, 115 // more segments left for the final merge than scorch merges at once
	bi, sizes := batchedIndex(t, batch, n)
	merged := 0
	for _, size := range sizes {
		if size > perMerge*batch {
			t.Errorf("scorch made a segment of %d documents while the index was written, more than the %d of a merge of %d batches: segments %v", size, perMerge*batch, perMerge, sizes)
		}
		if size > batch {
			merged++
		}
	}
	if merged == 0 {
		t.Errorf("scorch merged none of the %d segments while the index was written: %v", n, sizes)
	}
	before, _ := mergeStats(t, bi)
	if err := mergeToOne(bi); err != nil {
		t.Fatal(err)
	}
	if sizes := segmentSizes(t, bi); len(sizes) != 1 || sizes[0] != n*batch {
		t.Errorf("after the final merge the index has segments of %v documents, want one of %d", sizes, n*batch)
	}
	if after, _ := mergeStats(t, bi); after != before+1 {
		t.Errorf("the final merge of %d segments took %d merges, want 1", len(sizes), after-before)
	}
}

// The final merge of a new index merges only the batches scorch has not
// merged: the segments it merged as the index was written are left as they
// are, and the small ones become one.
func TestFinalMergeLeavesMergedSegments(t *testing.T) {
	const batch, n = 10, 115
	bi, sizes := batchedIndex(t, batch, n)
	big, small := split(sizes, perMerge*batch)
	if big == 0 || small < 2 {
		t.Fatalf("want merged segments and at least two batches left before the final merge: %v", sizes)
	}
	if err := mergeSmall(bi, batch, 1); err != nil {
		t.Fatal(err)
	}
	after := segmentSizes(t, bi)
	if b, s := split(after, perMerge*batch); b != big || s != 1 || total(after) != n*batch {
		t.Errorf("after the final merge: segments of %v documents (%d merged, %d small), want the %d merged ones and one small one, %d documents in all; before: %v", after, b, s, big, n*batch, sizes)
	}
	// An update's own small segments are merged only past mostSegments.
	addSegments(t, bi, "update", mostSegments-1, 1)
	persisted(t, bi)
	before := len(segmentSizes(t, bi))
	if err := mergeSmall(bi, batch, mostSegments); err != nil {
		t.Fatal(err)
	}
	if got := len(segmentSizes(t, bi)); got != before {
		t.Errorf("with %d small segments, at most %d, the update merged: %d segments, were %d", mostSegments, mostSegments, got, before)
	}
}

// batchedIndex writes a new index of n batches of batch documents, each a
// segment, and returns it once scorch has merged them as they came (the
// index is closed when the test ends), with the sizes of its segments.
func batchedIndex(t *testing.T, batch, n int) (bleve.Index, []uint64) {
	t.Helper()
	bi, err := bleve.NewUsing(filepath.Join(t.TempDir(), "index"), newMapping(), scorch.Name, scorch.Name, newIndexConfig(batch))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bi.Close() })
	addSegments(t, bi, "new", n, batch)
	var sizes []uint64
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		persisted(t, bi)
		if sizes = segmentSizes(t, bi); len(sizes) <= 2*perMerge {
			break
		}
	}
	return bi, sizes
}

// split counts the segments of at least limit documents and those of fewer.
func split(sizes []uint64, limit int) (big, small int) {
	for _, n := range sizes {
		if n >= uint64(limit) {
			big++
		} else {
			small++
		}
	}
	return big, small
}

func total(sizes []uint64) int {
	n := 0
	for _, s := range sizes {
		n += int(s)
	}
	return n
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
	addSegments(t, x.bi, "update", 12, 1)
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

// addSegments indexes n batches of documents, each a segment of its own,
// waiting for each to reach the disk so that scorch's persister never
// merges two on the way.
func addSegments(t *testing.T, bi bleve.Index, prefix string, n, batch int) {
	t.Helper()
	for i := range n {
		b := bi.NewBatch()
		for j := range batch {
			if err := b.Index(fmt.Sprintf("/%s/%d-%d/", prefix, i, j), map[string]any{"title": fmt.Sprintf("Wombat %d", j)}); err != nil {
				t.Fatal(err)
			}
		}
		if err := bi.Batch(b); err != nil {
			t.Fatal(err)
		}
		persisted(t, bi)
	}
}

// segmentSizes lists how many documents each segment of the index holds.
func segmentSizes(t *testing.T, bi bleve.Index) []uint64 {
	t.Helper()
	var sizes []uint64
	if err := eachSegment(bi, func(ss *scorch.SegmentSnapshot) { sizes = append(sizes, ss.Count()) }); err != nil {
		t.Fatal(err)
	}
	return sizes
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
