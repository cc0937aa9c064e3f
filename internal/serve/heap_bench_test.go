package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"testing"
)

// BenchmarkPreviewHeap reports the heap the preview keeps live at 10,000
// pages (KB_CORPUS_10K, else a generated corpus): once its first build is
// served, and again after three one-page edits, since a rebuild that kept
// old models alive would show only then. Each figure is the heap in use
// right after a forced collection, in MB (10^6 bytes), which is what the
// issue's target (≤ 600 MB) and make bench speak of.
func BenchmarkPreviewHeap(b *testing.B) {
	dir := privateCopy(b, corpus(b, 10000))
	defer debug.SetGCPercent(debug.SetGCPercent(400)) // as kb serve runs
	guides, _ := filepath.Glob(filepath.Join(dir, "content", "guides", "*.md"))
	file := guides[len(guides)/2]
	rel, _ := filepath.Rel(dir, file)
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.WriteFile(file, orig, 0o644) })
	var first, edited float64
	for range b.N {
		ts := startBench(b, dir)
		first = max(first, liveMB())
		for i := range 3 {
			write(b, dir, filepath.ToSlash(rel), string(orig)+fmt.Sprintf("\nHeap edit %d.\n", i))
			if r := ts.waitBuild(); r.Update == nil {
				b.Fatalf("edit %d did not rebuild: %+v", i, r)
			}
		}
		edited = max(edited, liveMB())
		ts.stop()
	}
	b.ReportMetric(first, "live-MB")
	b.ReportMetric(edited, "live-MB-edited")
}

// liveMB collects garbage twice (the first may leave finalised objects for
// the second) and returns the heap still in use.
func liveMB() float64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / 1e6
}
