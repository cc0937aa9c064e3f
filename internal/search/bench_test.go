package search_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/search"
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
	benchModel *build.Model
)

// index10k builds the corpus's index once per run, into a folder TestMain removes.
func index10k(b *testing.B) (string, *build.Model) {
	src := corpus10k(b)
	benchOnce.Do(func() {
		m, err := build.Load(build.Options{Source: src})
		if err != nil {
			b.Fatal(err)
		}
		dir, err := os.MkdirTemp("", "kb-bench-index-")
		if err != nil {
			b.Fatal(err)
		}
		tempDirs = append(tempDirs, dir)
		start := time.Now()
		if _, err := search.Build(m.Site, filepath.Join(dir, "index.bleve"), mustSynonyms(b), ""); err != nil {
			b.Fatal(err)
		}
		b.Logf("indexed %d pages in %s", len(m.Site.Items), time.Since(start).Round(time.Millisecond))
		benchIndex, benchModel = filepath.Join(dir, "index.bleve"), m
	})
	if benchModel == nil {
		b.Fatal("the corpus index did not build")
	}
	return benchIndex, benchModel
}

func mustSynonyms(b *testing.B) *search.Synonyms {
	syn, err := search.ReadSynonyms("../..")
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
// percentiles the targets are set in.
func BenchmarkHandler10k(b *testing.B) {
	dir, m := index10k(b)
	idx, err := search.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close()
	h := search.Handler(idx, m.Renderer)
	for _, front := range []string{"/api/search?", "/search/?"} {
		b.Run(front[1:4], func(b *testing.B) {
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
		})
	}
}

// BenchmarkOpen10k is the cold start: opening the built index.
func BenchmarkOpen10k(b *testing.B) {
	dir, _ := index10k(b)
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
	_, m := index10k(b)
	syn := mustSynonyms(b)
	for b.Loop() {
		dir := filepath.Join(b.TempDir(), "index.bleve")
		if _, err := search.Build(m.Site, dir, syn, ""); err != nil {
			b.Fatal(err)
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
