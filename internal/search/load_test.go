package search_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
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
	"github.com/nhsx/kb/internal/search/web"
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
	tb.Logf("loading %s: %d items indexed", root, s.Idx.Len())
	// Configured as kb serve's server is: a longer request line is a 431
	// before the handler sees it.
	srv := httptest.NewUnstartedServer(secure.Middleware(s.Handler))
	srv.Config.MaxHeaderBytes = web.MaxHeaderBytes
	srv.Start()
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
	url    string // path and query
	normal bool   // one of benchQueries
	ok     []int
	raw    []byte // the request as sent, made once
}

// normalTargets are the benchmark queries, half to the API and half to the
// results page; under overload a 503 is an allowed answer.
func normalTargets(busyOK bool) []loadTarget {
	ok := []int{http.StatusOK}
	if busyOK {
		ok = append(ok, http.StatusServiceUnavailable)
	}
	var ts []loadTarget
	for i, q := range benchQueries {
		for j, front := range []string{web.APIPath + "?", web.PagePath + "?"} {
			if (i+j)%2 == 0 {
				ts = append(ts, loadTarget{url: front + q, normal: true, ok: ok})
			}
		}
	}
	return ts
}

// hostileTargets are the requests issue 11's probes found expensive: a
// comma list of topics as long as the server lets through (12,000 of them, a
// quadratic 72 million comparisons before the fix), 10,001 parameters, 500
// characters of misspelled words, and 500 characters of hyphen-joined
// nonsense, which are refused for having more than 16 words (before that
// limit, the nonsense allocated 300 MB a search in near-spelling automata),
// and the longest misspelled and nonsense queries within that limit. The
// first four must be refused (400); the last two may be answered or shed
// (503).
func hostileTargets() []loadTarget {
	var topics, params strings.Builder
	for i := 0; topics.Len() < web.MaxHeaderBytes-1024; i++ {
		if i > 0 {
			topics.WriteByte(',')
		}
		topics.WriteString(strconv.Itoa(i))
	}
	params.WriteString("measure=bogus" + strings.Repeat("&x=1", 10_000))
	misspelled := longText("remot monitring portl sepsys alrets theater schedling perscribing cybr ", search.MaxQueryLen)
	nonsense := longText("qzx-vvbn-plok-wuzz-frem-tobl-snarg-yipp-kwon-drel-", search.MaxQueryLen)
	// As many words as q may have, each long enough for two typos.
	misspelledMax := longText("remotte monitrring portall sepsyss alrettss theaterr schedlingg perscribingg ", search.MaxQueryWords)
	nonsenseMax := longText("qzxvvbnplo-wuzzfremto-blsnargyip-pkwondrelx-", search.MaxQueryWords)
	bad := []int{http.StatusBadRequest}
	slow := []int{http.StatusOK, http.StatusServiceUnavailable}
	var ts []loadTarget
	for _, front := range []string{web.APIPath + "?", web.PagePath + "?"} {
		ts = append(ts,
			loadTarget{url: front + "topic=" + topics.String(), ok: bad},
			loadTarget{url: front + params.String(), ok: bad},
			loadTarget{url: front + "q=" + url.QueryEscape(misspelled), ok: bad},
			loadTarget{url: front + "q=" + url.QueryEscape(nonsense), ok: bad},
			loadTarget{url: front + "q=" + url.QueryEscape(misspelledMax), ok: slow},
			loadTarget{url: front + "q=" + url.QueryEscape(nonsenseMax), ok: slow})
	}
	return ts
}

// longText repeats s to the longest query allowed (search.MaxQueryLen
// characters), ending on a whole word, with at most words words.
func longText(s string, words int) string {
	t := strings.Repeat(s, search.MaxQueryLen/len(s)+1)[:search.MaxQueryLen]
	t = t[:strings.LastIndexAny(t, " -")]
	n := 0
	for i, c := range t {
		if (c == ' ' || c == '-') && i > 0 && t[i-1] != ' ' && t[i-1] != '-' {
			if n++; n == words {
				t = t[:i]
				break
			}
		}
	}
	return strings.TrimRight(t, " -")
}

// load runs clients concurrent clients against the server at addr for d,
// each sending the targets in turn from its own starting point.
func load(addr string, targets []loadTarget, clients int, d time.Duration) loadStats {
	for i := range targets {
		targets[i].raw = []byte("GET " + targets[i].url + " HTTP/1.1\r\nHost: " + addr + "\r\n\r\n")
	}
	var mu sync.Mutex
	st := loadStats{status: map[int]int{}}
	var wg sync.WaitGroup
	end := time.Now().Add(d)
	for c := range clients {
		wg.Go(func() {
			rc := &rawClient{addr: addr}
			defer rc.close()
			var took, normal []time.Duration
			for i := c; time.Now().Before(end); i++ {
				t := targets[i%len(targets)]
				start := time.Now()
				code, err := rc.do(t.raw)
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

// rawClient sends ready-made requests over one keep-alive connection, so
// that the load's own memory (it runs in the server's process) stays out of
// the figures: an http.Client would copy a 590 KB URL several times a request.
type rawClient struct {
	addr string
	conn net.Conn
	br   *bufio.Reader
}

// do sends req and reads the whole answer, returning its status. A
// connection the server closed while idle is dialled again once.
func (c *rawClient) do(req []byte) (int, error) {
	for attempt := 0; ; attempt++ {
		if c.conn == nil {
			conn, err := net.Dial("tcp", c.addr)
			if err != nil {
				return 0, err
			}
			c.conn, c.br = conn, bufio.NewReaderSize(conn, 32<<10)
		}
		c.conn.SetDeadline(time.Now().Add(60 * time.Second))
		_, err := c.conn.Write(req)
		var res *http.Response
		if err == nil {
			res, err = http.ReadResponse(c.br, nil)
		}
		if err != nil {
			c.close()
			if attempt == 0 {
				continue
			}
			return 0, err
		}
		_, err = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if err != nil || res.Close {
			c.close()
		}
		return res.StatusCode, err
	}
}

func (c *rawClient) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
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
// -benchtime 1x): 100 clients sending normal queries, which must all succeed
// or, where the machine cannot keep up, be shed with a 503 (counted), and 200 clients sending a pathological mix (hostileTargets, interleaved
// with normal queries), which must be refused or shed quickly while the
// process's peak resident memory stays within a fifth of its peak under the
// normal load.
func BenchmarkLoad(b *testing.B) {
	srv := loadSite(b)
	d := loadDuration()
	var normalPeak uint64
	normal := func(b *testing.B) loadStats {
		resetPeakRSS(b)
		st := load(srv.Listener.Addr().String(), normalTargets(true), loadClients, d)
		normalPeak = peakRSS(b)
		return st
	}
	b.Run("normal", func(b *testing.B) {
		var st loadStats
		for b.Loop() {
			st = normal(b)
		}
		if st.errors > 0 {
			b.Fatalf("%d of %d requests failed; first: %s", st.errors, len(st.took), st.first)
		}
		b.ReportMetric(ms(percentile(st.took, 50)), "p50-ms")
		b.ReportMetric(ms(percentile(st.took, 99)), "p99-ms")
		b.ReportMetric(float64(st.status[http.StatusServiceUnavailable]), "503s")
		b.ReportMetric(float64(len(st.took))/d.Seconds(), "req/s")
		b.ReportMetric(float64(normalPeak)/1e6, "peak-RSS-MB")
	})
	b.Run("hostile", func(b *testing.B) {
		if normalPeak == 0 { // run alone: the normal load first, for the baseline
			normal(b)
		}
		targets := append(hostileTargets(), normalTargets(true)...)
		var st loadStats
		var peak uint64
		for b.Loop() {
			resetPeakRSS(b)
			st = load(srv.Listener.Addr().String(), targets, hostileClients, d)
			peak = peakRSS(b)
		}
		growth := 100 * (float64(peak) - float64(normalPeak)) / float64(normalPeak)
		b.Logf("%d requests: %v by status; p50 %.0f ms, p99 %.0f ms (ordinary queries: %.0f ms); peak RSS %.0f MB under the normal load, %.0f MB under this one (%+.0f%%)",
			len(st.took), st.status, ms(percentile(st.took, 50)), ms(percentile(st.took, 99)), ms(percentile(st.normal, 99)),
			float64(normalPeak)/1e6, float64(peak)/1e6, growth)
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
			b.Errorf("peak resident memory grew by %.0f%% over the normal load's; the limit is 20%%", growth)
		}
	})
}

// resetPeakRSS returns the garbage to the system and restarts the kernel's
// high-water mark of the process's resident memory from there.
func resetPeakRSS(tb testing.TB) {
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		tb.Skipf("cannot reset the peak resident memory (Linux only): %v", err)
	}
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
		st := load(srv.Listener.Addr().String(), normalTargets(false), loadClients, loadDuration())
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
