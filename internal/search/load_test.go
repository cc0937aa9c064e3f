package search_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
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
// KB_LOAD_FOR (such as 3s) shortens each run while iterating.
const (
	loadClients    = 100
	hostileClients = 200
)

// loadDuration is how long each load runs: 10 s, or $KB_LOAD_FOR.
func loadDuration() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("KB_LOAD_FOR")); err == nil && d > 0 {
		return d
	}
	return 10 * time.Second
}

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
	took   []time.Duration // every request answered, sorted
	normal []time.Duration // the normal queries among them, sorted
	status map[int]int     // answers by status
	errors int             // answers with a status the target does not allow, and failed requests
	first  string          // the first error, to show
}

// loadTarget is one request of a load and the statuses it may answer with.
type loadTarget struct {
	url    string
	normal bool // one of benchQueries
	ok     []int
}

// normalTargets are the benchmark queries, half to the API and half to the
// results page; under overload a 503 is an allowed answer.
func normalTargets(base string, busyOK bool) []loadTarget {
	ok := []int{http.StatusOK}
	if busyOK {
		ok = append(ok, http.StatusServiceUnavailable)
	}
	var ts []loadTarget
	for i, q := range benchQueries {
		for j, front := range []string{search.APIPath + "?", search.PagePath + "?"} {
			if (i+j)%2 == 0 {
				ts = append(ts, loadTarget{url: base + front + q, normal: true, ok: ok})
			}
		}
	}
	return ts
}

// hostileTargets are the requests issue 11's probes found expensive: a
// comma list of 100,000 topics (590 KB, under Go's 1 MB header limit), 10,001
// parameters, 500 characters of misspelled words, and 500 characters of
// hyphen-joined nonsense. The first two must be refused (400); the last two
// may be answered or shed (503).
func hostileTargets(base string) []loadTarget {
	var topics, params strings.Builder
	for i := range 100_000 {
		if i > 0 {
			topics.WriteByte(',')
		}
		topics.WriteString(strconv.Itoa(i))
	}
	params.WriteString("measure=bogus")
	for i := range 10_000 {
		fmt.Fprintf(&params, "&x%d=%d", i, i)
	}
	misspelled := longText("remot monitring portl sepsys alrets theater schedling perscribing cybr ")
	nonsense := longText("qzx-vvbn-plok-wuzz-frem-tobl-snarg-yipp-kwon-drel-")
	bad := []int{http.StatusBadRequest}
	slow := []int{http.StatusOK, http.StatusServiceUnavailable}
	var ts []loadTarget
	for _, front := range []string{search.APIPath + "?", search.PagePath + "?"} {
		ts = append(ts,
			loadTarget{url: base + front + "topic=" + topics.String(), ok: bad},
			loadTarget{url: base + front + params.String(), ok: bad},
			loadTarget{url: base + front + "q=" + url.QueryEscape(misspelled), ok: slow},
			loadTarget{url: base + front + "q=" + url.QueryEscape(nonsense), ok: slow})
	}
	return ts
}

// longText repeats s to the longest query allowed, ending on a whole word.
func longText(s string) string {
	t := strings.Repeat(s, search.MaxQueryLen/len(s)+1)[:search.MaxQueryLen]
	return strings.TrimRight(t[:strings.LastIndexAny(t, " -")], " -")
}

// load runs clients concurrent clients against targets for d, each sending
// the targets in turn from its own starting point.
func load(targets []loadTarget, clients int, d time.Duration) loadStats {
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	var mu sync.Mutex
	st := loadStats{status: map[int]int{}}
	var wg sync.WaitGroup
	end := time.Now().Add(d)
	for c := range clients {
		wg.Go(func() {
			var took, normal []time.Duration
			for i := c; time.Now().Before(end); i++ {
				t := targets[i%len(targets)]
				start := time.Now()
				code, err := fetch(client, t.url)
				d := time.Since(start)
				mu.Lock()
				st.status[code]++
				if err == nil && !slices.Contains(t.ok, code) {
					err = fmt.Errorf("status %d, want one of %v", code, t.ok)
				}
				if err != nil {
					st.errors++
					if st.first == "" {
						st.first = truncate(t.url, 100) + ": " + err.Error()
					}
				}
				mu.Unlock()
				took = append(took, d)
				if t.normal {
					normal = append(normal, d)
				}
			}
			mu.Lock()
			st.took = append(st.took, took...)
			st.normal = append(st.normal, normal...)
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(st.took)
	slices.Sort(st.normal)
	return st
}

// fetch GETs target and reads the whole body, returning the status.
func fetch(client *http.Client, target string) (int, error) {
	res, err := client.Get(target)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	_, err = io.Copy(io.Discard, res.Body)
	return res.StatusCode, err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func percentile(took []time.Duration, p int) time.Duration {
	if len(took) == 0 {
		return 0
	}
	return took[(len(took)-1)*p/100]
}

// BenchmarkLoad runs two loads over loopback, each once whatever b.N is (use
// -benchtime 1x): 100 clients sending normal queries, which must all succeed,
// and 200 clients sending a pathological mix (hostileTargets, interleaved
// with normal queries), which must be refused or shed quickly while the
// process's resident memory grows by at most a fifth.
func BenchmarkLoad(b *testing.B) {
	srv := loadSite(b)
	d := loadDuration()
	b.Run("normal", func(b *testing.B) {
		var st loadStats
		for b.Loop() {
			st = load(normalTargets(srv.URL, false), loadClients, d)
		}
		if st.errors > 0 {
			b.Fatalf("%d of %d requests failed; first: %s", st.errors, len(st.took), st.first)
		}
		b.ReportMetric(ms(percentile(st.took, 50)), "p50-ms")
		b.ReportMetric(ms(percentile(st.took, 99)), "p99-ms")
		b.ReportMetric(float64(len(st.took))/d.Seconds(), "req/s")
	})
	b.Run("hostile", func(b *testing.B) {
		targets := append(hostileTargets(srv.URL), normalTargets(srv.URL, true)...)
		var st loadStats
		var before, peak uint64
		for b.Loop() {
			before = resetPeakRSS(b)
			st = load(targets, hostileClients, d)
			peak = peakRSS(b)
		}
		growth := 100 * (float64(peak) - float64(before)) / float64(before)
		b.Logf("%d requests: %v by status; RSS %.0f MB before, peak %.0f MB (%+.0f%%)",
			len(st.took), st.status, float64(before)/1e6, float64(peak)/1e6, growth)
		b.ReportMetric(ms(percentile(st.took, 50)), "p50-ms")
		b.ReportMetric(ms(percentile(st.took, 99)), "p99-ms")
		b.ReportMetric(ms(percentile(st.normal, 99)), "normal-p99-ms")
		b.ReportMetric(float64(st.status[http.StatusServiceUnavailable]), "503s")
		b.ReportMetric(float64(len(st.took))/d.Seconds(), "req/s")
		b.ReportMetric(float64(peak)/1e6, "peak-RSS-MB")
		b.ReportMetric(growth, "RSS-growth-%")
		if st.errors > 0 {
			b.Errorf("%d of %d requests failed; first: %s", st.errors, len(st.took), st.first)
		}
		if growth > 20 {
			b.Errorf("resident memory grew by %.0f%% under the hostile load; the limit is 20%%", growth)
		}
	})
}

// resetPeakRSS returns the process's resident memory once the garbage is
// returned to the system, and restarts the kernel's high-water mark from it.
func resetPeakRSS(tb testing.TB) uint64 {
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		tb.Skipf("cannot reset the peak resident memory (Linux only): %v", err)
	}
	return procStatus(tb, "VmRSS")
}

// peakRSS is the process's resident high-water mark since resetPeakRSS.
func peakRSS(tb testing.TB) uint64 { return procStatus(tb, "VmHWM") }

// procStatus reads one "kB" line of /proc/self/status, in bytes.
func procStatus(tb testing.TB, key string) uint64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		tb.Skipf("no /proc/self/status: %v", err)
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, key+":"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				tb.Fatalf("%s: %v", line, err)
			}
			return kb << 10
		}
	}
	tb.Fatalf("no %s in /proc/self/status", key)
	return 0
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
		st := load(normalTargets(srv.URL, false), loadClients, loadDuration())
		if st.errors > 0 {
			t.Fatalf("round %d: %d requests failed; first: %s", round, st.errors, st.first)
		}
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		t.Logf("round %d: %d requests, p50 %.1f ms, p99 %.1f ms, heap %.1f MB, goroutines %d",
			round, len(st.took), ms(percentile(st.took, 50)), ms(percentile(st.took, 99)), float64(m.HeapAlloc)/1e6, runtime.NumGoroutine())
		if round == 1 {
			first = m.HeapAlloc
		} else if m.HeapAlloc > first*3/2+16<<20 {
			t.Fatalf("round %d: heap %d bytes, up from %d after round 1: memory is not flat", round, m.HeapAlloc, first)
		}
	}
}
