package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/search/web"
)

// commaList is "0,1,2,…" with n numbers.
func commaList(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(i))
	}
	return b.String()
}

// Hostile requests are refused before any work, each with a 400 that names
// the limit, in both the JSON and the HTML styles, and quickly: the comma
// list of issue 11 took 27 s of CPU to refuse.
func TestHostileRequestsAreRefused(t *testing.T) {
	s := mini(t)
	manyParams := "measure=bogus" + strings.Repeat("&x=1", 10_000)
	for _, c := range []struct {
		name, params, param, msg string
	}{
		{"176,000 topics", "topic=" + commaList(176_000), "query",
			"the query is 1120895 bytes long; the limit is 16384"},
		{"10,001 parameters", manyParams, "query",
			"the query is " + strconv.Itoa(len(manyParams)) + " bytes long; the limit is 16384"},
		{"101 short parameters", "q=a" + strings.Repeat("&p", 100), "query",
			"the query has 101 parameters; the limit is 100"},
		{"21 topics", "topic=" + commaList(21), "topic", "too many topic values (21); the limit is 20"},
		{"21 topics, repeated", "topic=a,b,c,d,e,f,g,h,i,j&topic=k,l,m,n,o,p,q,r,s,t,u,a,b", "topic",
			"too many topic values (21); the limit is 20"},
		{"a long topic", "topic=" + strings.Repeat("x", 101), "topic",
			"a topic value is 101 characters long; the limit is 100"},
		{"a bad escape", "q=epr&measure=%zz", "query",
			`the query cannot be read (invalid URL escape "%zz"): encode it as a form does`},
		{"a semicolon", "q=epr;measure=bogus", "query",
			"the query cannot be read (invalid semicolon separator in query): encode it as a form does"},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodGet, "/api/search?"+c.params, nil)
			start := time.Now() // the handler's time, not the test's parsing of the URL
			s.Handler.ServeHTTP(w, req)
			if took := time.Since(start); took > time.Second {
				t.Errorf("took %s to answer", took)
			}
			var e search.BadRequest
			if err := json.Unmarshal(w.Body.Bytes(), &e); w.Code != http.StatusBadRequest || err != nil ||
				e.Param != c.param || e.Message != c.msg {
				t.Errorf("API: %d %s\nwant 400 %s: %s", w.Code, truncate(w.Body.String(), 300), c.param, c.msg)
			}
			// The page says it in a reader's words, not the API's.
			p := s.Get(t, "/search/?"+c.params)
			want := readerWords[c.param]
			if p.Code != http.StatusBadRequest || !strings.Contains(p.Body.String(), want) {
				t.Errorf("page: %d, want 400 saying %s", p.Code, want)
			}
		})
	}
}

// readerWords are what the results page says of a bad parameter.
var readerWords = map[string]string{
	"query": "This search address is too long or cannot be read. Start a new search",
	"topic": "We could not use the topics in this search, so we left them out. Select topics from the list",
}

func htmlEscape(s string) string {
	return strings.NewReplacer(`"`, "&#34;", "'", "&#39;", "&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// Twenty distinct values are allowed however often they repeat, so the
// limit counts what is searched for, not how it was written.
func TestRepeatedValuesCountOnce(t *testing.T) {
	s := mini(t)
	once := s.API(t, "measure=empower-citizens")
	res := s.API(t, "measure="+strings.Repeat("empower-citizens,", 90)+"&measure=empower-citizens")
	if once.Total == 0 || res.Total != once.Total {
		t.Errorf("one measure written 91 times: %d results; once: %d", res.Total, once.Total)
	}
}

// A search that cannot start at once waits briefly for a slot, then is
// answered 503 with Retry-After, in both styles.
func TestBusyIs503WithRetryAfter(t *testing.T) {
	s := mini(t)
	gate := web.NewGate(1, 10*time.Millisecond)
	h := s.handlerWith(t, web.WithGate(gate))
	release := gate.Hold(false)
	defer release()
	for _, target := range []string{"/api/search?q=epr", "/search/?q=epr"} {
		w := serve(h, target)
		if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "1" ||
			!strings.Contains(w.Body.String(), "too many searches at once; try again in a second") {
			t.Errorf("%s: %d Retry-After %q: %s", target, w.Code, w.Header().Get("Retry-After"), truncate(w.Body.String(), 300))
		}
	}
	release()
	if w := serve(h, "/api/search?q=epr"); w.Code != http.StatusOK {
		t.Errorf("after the slot is free: %d %s", w.Code, w.Body)
	}
}

// A long query needs a heavy slot as well: while they are taken, long
// queries are turned away and short ones still run.
func TestHeavyQueriesTakeTurns(t *testing.T) {
	s := mini(t)
	gate := web.NewGate(4, 10*time.Millisecond)
	h := s.handlerWith(t, web.WithGate(gate))
	release := gate.Hold(true)
	defer release()
	long := "/api/search?q=" + strings.Repeat("portal+", 8) + "records"
	if w := serve(h, long); w.Code != http.StatusServiceUnavailable {
		t.Errorf("nine words with the heavy slot taken: %d %s", w.Code, w.Body)
	}
	for _, short := range []string{"/api/search?q=" + strings.Repeat("portal+", 7) + "records", "/api/search?q=e-prescribing"} {
		if w := serve(h, short); w.Code != http.StatusOK {
			t.Errorf("%s with the heavy slot taken: %d %s", short, w.Code, w.Body)
		}
	}
	release()
	if w := serve(h, long); w.Code != http.StatusOK {
		t.Errorf("nine words with the heavy slot free: %d %s", w.Code, w.Body)
	}
}

// A search past its deadline is answered 503 at the deadline.
func TestDeadlineIs503(t *testing.T) {
	s := mini(t)
	h := s.handlerWith(t, web.WithDeadline(time.Nanosecond))
	for _, target := range []string{"/api/search?q=epr", "/search/?q=epr"} {
		w := serve(h, target)
		if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "1" ||
			!strings.Contains(w.Body.String(), "the search took too long and was stopped") {
			t.Errorf("%s: %d Retry-After %q: %s", target, w.Code, w.Header().Get("Retry-After"), truncate(w.Body.String(), 300))
		}
	}
}

// The function's answers may be cached for a minute; the preview's, which
// change with every edit, not at all.
func TestCacheControl(t *testing.T) {
	s := mini(t)
	noStore := s.handlerWith(t, web.WithCacheControl("no-store"))
	for _, target := range []string{"/api/search?q=epr", "/search/?q=epr"} {
		if got := s.Get(t, target).Header().Get("Cache-Control"); got != "public, max-age=60" {
			t.Errorf("%s: Cache-Control %q by default", target, got)
		}
		if got := serve(noStore, target).Header().Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s: Cache-Control %q with no-store", target, got)
		}
	}
}

// FuzzParseQuery: whatever the query string, ParseQuery either refuses it
// with a *BadRequest naming "query", or returns at most MaxParams parameters
// that url.ParseQuery reads the same.
func FuzzParseQuery(f *testing.F) {
	for _, seed := range []string{
		"", "q=epr", "q=a&q=b", "a&&&b", "=", "&", "%zz", "q;=x", "topic=" + commaList(30),
		"q=%E2%80%9C", strings.Repeat("p&", 100), strings.Repeat("x", web.MaxQueryBytes+1),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := web.ParseQuery(raw)
		if err != nil {
			if br, ok := err.(*search.BadRequest); !ok || br.Param != "query" || br.Message == "" {
				t.Fatalf("%q: %#v", raw, err)
			}
			return
		}
		n := 0
		for _, vs := range v {
			n += len(vs)
		}
		if n > web.MaxParams || len(raw) > web.MaxQueryBytes {
			t.Fatalf("%q: accepted %d parameters, %d bytes", raw, n, len(raw))
		}
	})
}

// serve sends a GET to h and returns the recorded answer.
func serve(h http.Handler, target string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
	return w
}
