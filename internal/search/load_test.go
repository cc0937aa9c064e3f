package search_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/secure"
)

// The load test drives the search handler over loopback the way Netlify's
// function or kb serve would be driven: many clients at once, real HTTP.
//
//	python3 ../shared/bench/gencorpus.py --pages 1000 --out /tmp/kb1k
//	KB_CORPUS_1K=/tmp/kb1k go test -run '^$' -bench Load -benchtime 1x ./internal/search
//
// (make bench-load does both). Without the corpus it loads the repository's
// own knowledge base. KB_SOAK=5m runs TestSoak, which checks memory stays flat.
const (
	loadClients  = 100
	loadDuration = 10 * time.Second
)

// loadSite builds and serves the index the load runs against.
func loadSite(tb testing.TB) *httptest.Server {
	tb.Helper()
	root := os.Getenv("KB_CORPUS_1K")
	if root == "" {
		root = "/tmp/kb1k"
	}
	if _, err := os.Stat(filepath.Join(root, "content")); err != nil {
		root = "../.."
	}
	s := buildAt(tb, root)
	tb.Logf("loading %s: %d items indexed", root, s.idx.Len())
	srv := httptest.NewServer(secure.Middleware(s.handler))
	tb.Cleanup(srv.Close)
	return srv
}

// loadStats is what one run of the load measured.
type loadStats struct {
	took   []time.Duration // every successful request, sorted
	errors int
	first  string // the first error, to show
}

// load runs clients concurrent clients against base for d, each sending the
// benchmark queries in turn, half to the API and half to the results page.
func load(base string, clients int, d time.Duration) loadStats {
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	var mu sync.Mutex
	var st loadStats
	var wg sync.WaitGroup
	end := time.Now().Add(d)
	for c := range clients {
		wg.Go(func() {
			var took []time.Duration
			for i := c; time.Now().Before(end); i++ {
				target := base + []string{search.APIPath + "?", search.PagePath + "?"}[i%2] + benchQueries[i%len(benchQueries)]
				start := time.Now()
				msg := fetch(client, target)
				mu.Lock()
				if msg != "" {
					st.errors++
					if st.first == "" {
						st.first = msg
					}
				}
				mu.Unlock()
				took = append(took, time.Since(start))
			}
			mu.Lock()
			st.took = append(st.took, took...)
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(st.took)
	return st
}

// fetch GETs target and reads the whole body; "" means a 200.
func fetch(client *http.Client, target string) string {
	res, err := client.Get(target)
	if err != nil {
		return err.Error()
	}
	defer res.Body.Close()
	buf := make([]byte, 32<<10)
	for {
		if _, err := res.Body.Read(buf); err != nil {
			break
		}
	}
	if res.StatusCode != http.StatusOK {
		return target + ": " + res.Status
	}
	return ""
}

func (st loadStats) percentile(p int) time.Duration {
	if len(st.took) == 0 {
		return 0
	}
	return st.took[(len(st.took)-1)*p/100]
}

// BenchmarkLoad: 100 clients for 10 seconds over loopback, no errors allowed.
// It runs the whole load once whatever b.N is; use -benchtime 1x.
func BenchmarkLoad(b *testing.B) {
	srv := loadSite(b)
	var st loadStats
	for b.Loop() {
		st = load(srv.URL, loadClients, loadDuration)
	}
	if st.errors > 0 {
		b.Fatalf("%d of %d requests failed; first: %s", st.errors, len(st.took), st.first)
	}
	b.ReportMetric(ms(st.percentile(50)), "p50-ms")
	b.ReportMetric(ms(st.percentile(99)), "p99-ms")
	b.ReportMetric(float64(len(st.took))/loadDuration.Seconds(), "req/s")
}

// TestSoak runs the load in rounds for $KB_SOAK (such as 5m) and checks the
// heap after each round stays near the first round's: a leak per request
// would grow it round by round.
func TestSoak(t *testing.T) {
	total, err := time.ParseDuration(os.Getenv("KB_SOAK"))
	if err != nil || total <= 0 {
		t.Skip("set KB_SOAK to a duration, such as 5m, to run the soak test")
	}
	srv := loadSite(t)
	var first uint64
	for round, end := 1, time.Now().Add(total); time.Now().Before(end); round++ {
		st := load(srv.URL, loadClients, loadDuration)
		if st.errors > 0 {
			t.Fatalf("round %d: %d requests failed; first: %s", round, st.errors, st.first)
		}
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		t.Logf("round %d: %d requests, p50 %.1f ms, p99 %.1f ms, heap %.1f MB, goroutines %d",
			round, len(st.took), ms(st.percentile(50)), ms(st.percentile(99)), float64(m.HeapAlloc)/1e6, runtime.NumGoroutine())
		if round == 1 {
			first = m.HeapAlloc
		} else if m.HeapAlloc > first*3/2+16<<20 {
			t.Fatalf("round %d: heap %d bytes, up from %d after round 1: memory is not flat", round, m.HeapAlloc, first)
		}
	}
}
