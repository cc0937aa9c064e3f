package search_test

import (
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/search/analysis"
	"github.com/nhsx/kb/internal/search/web"
)

// The benchmarks run on the shared 10,000-page corpus:
//
//	python3 ../shared/bench/gencorpus.py --pages 10000 --out /tmp/kb10k
//	KB_CORPUS_10K=/tmp/kb10k go test -run '^$' -bench . ./internal/search
//
// (make bench sets KB_CORPUS_10K). Targets: handler p50 ≤ 5 ms and p99 ≤ 20 ms,
// Open ≤ 300 ms.
func corpus10k(b *testing.B) string {
	dir := os.Getenv("KB_CORPUS_10K")
	if dir == "" {
		dir = "/tmp/kb10k"
	}
	if _, err := os.Stat(filepath.Join(dir, "content")); err != nil {
		b.Skipf("no 10,000-page corpus at %s: generate it with gencorpus.py --pages 10000 --out %s", dir, dir)
	}
	return dir
}

var (
	benchOnce  sync.Once
	benchIndex string
)

// index10k builds the corpus's index once per run, into a folder TestMain
// removes. The site model it was built from is not kept: what stays in
// memory around a search is up to each benchmark. KB_INDEX_10K names an
// index kb build wrote from the corpus, to use instead: building one takes
// minutes on a busy machine.
func index10k(b *testing.B) string {
	src := corpus10k(b)
	if dir := os.Getenv("KB_INDEX_10K"); dir != "" {
		return dir
	}
	benchOnce.Do(func() {
		m := load10k(b, build.Load)
		dir, err := os.MkdirTemp("", "kb-bench-index-")
		if err != nil {
			b.Fatal(err)
		}
		tempDirs = append(tempDirs, dir)
		start := time.Now()
		if _, err := search.Build(search.Prepare(searchPages(b, m.Site.Items), mustSynonyms(b)), filepath.Join(dir, "index.bleve"), ""); err != nil {
			b.Fatal(err)
		}
		b.Logf("indexed %d pages of %s in %s", len(m.Site.Items), src, time.Since(start).Round(time.Millisecond))
		benchIndex = filepath.Join(dir, "index.bleve")
		logIndexSize(b, benchIndex)
	})
	if benchIndex == "" {
		b.Fatal("the corpus index did not build")
	}
	return benchIndex
}

// logIndexSize logs the index's size on disk and the part of it that is
// the vocabulary of words as written (see vocab.go).
func logIndexSize(b *testing.B, dir string) {
	var size int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				size += info.Size()
			}
		}
		return nil
	})
	bi, err := bleve.OpenUsing(dir, map[string]any{"read_only": true})
	if err != nil {
		b.Fatal(err)
	}
	defer bi.Close()
	voc, _ := bi.GetInternal([]byte("kb:vocabulary"))
	b.Logf("index %.1f MB on disk, of which the vocabulary %.2f MB (%d words)",
		float64(size)/1e6, float64(len(voc))/1e6, strings.Count(string(voc), "\n"))
}

// load10k loads the corpus's site model, whole (build.Load) or its frame
// alone (build.LoadFrame).
func load10k(b *testing.B, load func(build.Options) (*build.Model, error)) *build.Model {
	m, err := load(build.Options{Source: corpus10k(b)})
	if err != nil {
		b.Fatal(err)
	}
	return m
}

func mustSynonyms(b *testing.B) *analysis.Synonyms {
	syn, err := analysis.ReadSynonyms("../..")
	if err != nil {
		b.Fatal(err)
	}
	return syn
}

// benchQueries are what people type: single words, acronyms with synonyms,
// phrases, typos, half-typed words, filters, paging and the empty search.
var benchQueries = []string{
	"q=remote+monitoring", "q=EPR", "q=camhs", "q=e-prescribing", "q=%22patient+portal%22",
	"q=wifi&measure=smart-foundations", "q=monitring", "q=sepsis+alerts", "q=theatre+sched",
	"q=cyber&type=standard", "q=wearables&measure=empower-citizens&measure=improve-care",
	"", "measure=well-led&page=3", "q=health&sort=newest", "q=digital+strategy+board",
	"q=identity+access&topic=wearables", "q=procurement+business+case",
}

// BenchmarkHandler10k times whole requests through the handler, with the
// percentiles the targets are set in, in the two places it runs: the Netlify
// function, which holds the index and the search page's frame (rendered
// once, as kb build does for it), and the preview, which also holds the whole site model and so runs with
// the garbage collector's target raised as kb serve sets it: a gigabyte of
// model makes each collection long, and requests that overlap one slower.
func BenchmarkHandler10k(b *testing.B) {
	dir := index10k(b)
	idx, err := search.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close()
	for _, host := range []struct {
		name  string
		load  func(build.Options) (*build.Model, error)
		gcPct int
	}{{"function", build.LoadFrame, 100}, {"preview", build.Load, 400}} {
		b.Run(host.name, func(b *testing.B) {
			defer debug.SetGCPercent(debug.SetGCPercent(host.gcPct))
			m := load10k(b, host.load)
			f, err := m.Renderer.SearchFrame()
			if err != nil {
				b.Fatal(err)
			}
			if host.name == "function" {
				m = nil // the function holds the frame alone
			}
			runtime.GC()
			h := web.Handler(idx, f)
			for _, front := range []string{"/api/search?", "/search/?"} {
				b.Run(front[1:4], func(b *testing.B) { benchFront(b, h, front) })
			}
			runtime.KeepAlive(m)
		})
	}
}

func benchFront(b *testing.B, h http.Handler, front string) {
	var took []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		q := benchQueries[i%len(benchQueries)]
		w := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, front+q, nil))
		took = append(took, time.Since(start))
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", q, w.Code, w.Body)
		}
	}
	slices.Sort(took)
	b.ReportMetric(ms(took[len(took)/2]), "p50-ms")
	b.ReportMetric(ms(took[len(took)*99/100]), "p99-ms")
}

// BenchmarkOpen10k is the cold start: opening the built index.
func BenchmarkOpen10k(b *testing.B) {
	dir := index10k(b)
	for b.Loop() {
		idx, err := search.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		idx.Close()
	}
}

// BenchmarkBuild10k is the time kb build spends on the index.
func BenchmarkBuild10k(b *testing.B) {
	m := load10k(b, build.Load)
	syn := mustSynonyms(b)
	for b.Loop() {
		dir := filepath.Join(b.TempDir(), "index.bleve")
		if _, err := search.Build(search.Prepare(searchPages(b, m.Site.Items), syn), dir, ""); err != nil {
			b.Fatal(err)
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// adversarialQueries are built to be slow: many misspelt long words, words
// joined by punctuation, a prefix that starts thousands of words, every
// filter at once. Target: the slowest ≤ 50 ms on 10,000 pages.
var adversarialQueries = func() []string {
	misspelt := []string{"interoperabilty", "populaton", "accessibilty", "managment", "infrastructre",
		"transfromation", "organisaton", "procurment", "clinicla", "saftey", "monitring", "presribing"}
	long := strings.Join(misspelt, " ")
	for len(long) < search.MaxQueryLen-20 {
		long += " " + long
	}
	long = long[:strings.LastIndex(long[:search.MaxQueryLen-5], " ")]
	var nonsense []string
	for i := range 50 {
		nonsense = append(nonsense, fmt.Sprintf("zq%cx%cv", 'a'+i%26, 'a'+i/26))
	}
	every := "&measure=well-led,smart-foundations,safe-practice,support-people,empower-citizens,improve-care,healthy-populations" +
		"&type=blueprint,standard,template,case-study,guide"
	return []string{
		"q=" + url.QueryEscape(long),
		"q=" + url.QueryEscape(strings.Join(nonsense, "-")),
		"q=" + url.QueryEscape(strings.Join(misspelt, "-")),
		"q=" + url.QueryEscape(strings.Join(misspelt[:6], "/")+" con"),
		"q=helth+cair+managment" + every,
		"q=con" + every + "&sort=newest",
		"q=the+a+of+pa",
		"q=" + url.QueryEscape(strings.Repeat("a-", 240)+"a"),
	}
}()

// BenchmarkAdversarial10k times each adversarial query five times through
// the JSON API, whatever b.N (it runs beside BenchmarkHandler10k's 300x), and
// reports the slowest run of the slowest query.
func BenchmarkAdversarial10k(b *testing.B) {
	idx, err := search.Open(index10k(b))
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close()
	h := web.Handler(idx, nil)
	worst := time.Duration(0)
	for _, q := range adversarialQueries {
		var took []time.Duration
		for range 5 {
			w := httptest.NewRecorder()
			start := time.Now()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/api/search?"+q, nil))
			took = append(took, time.Since(start))
			if w.Code != http.StatusOK {
				b.Fatalf("%s: %d %s", q, w.Code, w.Body)
			}
		}
		slices.Sort(took)
		b.Logf("%6.1f ms median, %6.1f ms max: %.60s", ms(took[len(took)/2]), ms(took[len(took)-1]), q)
		worst = max(worst, took[len(took)-1])
	}
	for b.Loop() {
	}
	b.ReportMetric(ms(worst), "worst-ms")
}
