package serve

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"testing"
	"time"
)

// corpus returns a generated knowledge base of n pages, made once with the
// project's generator and kept in the temporary folder between runs.
func corpus(b *testing.B, n int) string {
	script, _ := filepath.Abs("../../../shared/bench/gencorpus.py")
	if s := os.Getenv("KB_GENCORPUS"); s != "" {
		script = s
	}
	if env := os.Getenv(map[int]string{1000: "KB_CORPUS_1K", 10000: "KB_CORPUS_10K"}[n]); env != "" {
		return env // make corpora's, shared with the other benchmarks
	}
	dir := filepath.Join(os.TempDir(), "kb-serve-bench-"+strconv.Itoa(n))
	if _, err := os.Stat(filepath.Join(dir, "content")); err == nil {
		return dir
	}
	if _, err := os.Stat(script); err != nil {
		b.Skipf("corpus generator not found at %s (set KB_GENCORPUS)", script)
	}
	out, err := exec.Command("python3", script, "--pages", strconv.Itoa(n), "--out", dir, "--force").CombinedOutput()
	if err != nil {
		b.Fatalf("gencorpus: %v\n%s", err, out)
	}
	return dir
}

// BenchmarkEditToReload measures what a contributor waits for: from a saved
// one-page edit to the reload message reaching the tab showing that page,
// through the real watcher, incremental build and event stream. The search
// index is brought up to date after the reload is sent: searchable-ms is the
// time from the edit until it has been.
// A body edit changes the text; a title edit changes front matter, which the
// page's lists, measure and topic pages show too.
func BenchmarkEditToReload(b *testing.B) {
	edits := map[string]func(orig []byte, i int) []byte{
		"body": func(orig []byte, i int) []byte {
			return append(append([]byte{}, orig...), fmt.Sprintf("\nEdit number %d.\n", i)...)
		},
		"title": func(orig []byte, i int) []byte {
			return bytes.Replace(orig, []byte("\ntitle: "), []byte(fmt.Sprintf("\ntitle: Edit %d of ", i)), 1)
		},
	}
	for _, n := range []int{1000, 10000} {
		for _, kind := range []string{"body", "title"} {
			b.Run(fmt.Sprintf("pages=%d/edit=%s", n, kind), func(b *testing.B) { benchEdit(b, n, edits[kind]) })
		}
	}
}

func benchEdit(b *testing.B, n int, change func(orig []byte, i int) []byte) {
	dir := privateCopy(b, corpus(b, n))
	ts := startBench(b, dir)
	guides, _ := filepath.Glob(filepath.Join(dir, "content", "guides", "*.md"))
	file := guides[len(guides)/2]
	rel, _ := filepath.Rel(dir, file)
	orig, _ := os.ReadFile(file)
	b.Cleanup(func() { os.WriteFile(file, orig, 0o644) })
	tab := ts.open(pageURL(rel))
	defer debug.SetGCPercent(debug.SetGCPercent(400)) // as kb serve runs
	var waits, builds, searchable []time.Duration
	b.ResetTimer()
	for i := range b.N {
		edit := change(orig, i)
		start := time.Now()
		if err := os.WriteFile(file, edit, 0o644); err != nil {
			b.Fatal(err)
		}
		for e := tab.next(b); e.Name != "reload"; e = tab.next(b) {
		}
		waits = append(waits, time.Since(start))
		if r := ts.waitBuild(); r.Update != nil {
			builds = append(builds, r.Update.Elapsed)
			searchable = append(searchable, time.Since(start))
		}
		tab.close()
		tab = ts.connect(pageURL(rel), "")
	}
	b.StopTimer()
	slices.Sort(waits)
	b.ReportMetric(ms(waits[len(waits)/2]), "ms-p50")
	b.ReportMetric(ms(waits[len(waits)*9/10]), "ms-p90")
	b.ReportMetric(ms(waits[len(waits)-1]), "ms-max")
	slices.Sort(builds)
	b.ReportMetric(ms(builds[len(builds)/2]), "build-ms-p50")
	slices.Sort(searchable)
	b.ReportMetric(ms(searchable[len(searchable)/2]), "searchable-ms-p50")
}

// privateCopy copies a corpus into a temporary folder for a benchmark that
// edits it: the corpora are shared, and another engineer's run must never
// read a page mid-edit, nor one left edited by a run that was stopped.
func privateCopy(b *testing.B, dir string) string {
	b.Helper()
	dst := b.TempDir()
	if err := os.CopyFS(dst, os.DirFS(dir)); err != nil {
		b.Fatal(err)
	}
	return dst
}

// pageURL is the URL of a guide from its source path.
func pageURL(rel string) string {
	base := filepath.Base(rel)
	return "/guides/" + base[:len(base)-len(filepath.Ext(base))] + "/"
}

func startBench(b *testing.B, dir string) *testServer {
	return startServerAt(b, dir, nil, func(o *Options) { o.Search = NewSearch() })
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
