package web_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/nhsx/kb/internal/search"
)

// FuzzHandler sends arbitrary query strings to both fronts: every answer must
// be a 200 or a 400, and a 400 from the API must be JSON saying what is
// wrong. The seeds run on every go test; go test -fuzz=FuzzHandler explores.
func FuzzHandler(f *testing.F) {
	for _, seed := range []string{
		"", "q=epr", "q=%22remote+monitoring%22", "q=%22unclosed", "q=%E2%80%9Ccurly%E2%80%9D",
		"q=a&measure=empower-citizens&measure=improve-care&type=blueprint", "measure=nope",
		"page=0", "page=-1", "page=99999999999999999999", "size=0", "size=51", "sort=oldest",
		"q=%ff%fe", "q=%00%01", "q=*", "q=title:epr", "q=+-&|!(){}[]^~*?:\\/", "q=a~2+b^3",
		"topic=epr&organisation=x", "q=monitring+portl", "q=%22%22", "q=%22+%22", "measure=,,,",
		"q=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"q=%3Cscript%3Ealert(1)%3C/script%3E", "q;=x", "%zz", "q=e-prescribing&page=2&size=1",
	} {
		f.Add(seed)
	}
	s := buildSite(f, miniArchive)
	f.Fuzz(func(t *testing.T, raw string) {
		w := s.Get(t, "/api/search?"+escapeTarget(raw))
		switch w.Code {
		case http.StatusOK:
			var res search.Result
			if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
				t.Fatalf("%q: 200 but not a result: %v", raw, err)
			}
		case http.StatusBadRequest:
			var e search.BadRequest
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Message == "" || e.Param == "" {
				t.Fatalf("%q: 400 without a JSON error naming its parameter: %s", raw, w.Body)
			}
		default:
			t.Fatalf("%q: status %d: %s", raw, w.Code, w.Body)
		}
		if p := s.Get(t, "/search/?"+escapeTarget(raw)); p.Code != http.StatusOK && p.Code != http.StatusBadRequest && p.Code != http.StatusNotFound {
			t.Fatalf("%q: results page status %d", raw, p.Code) // 404: a page past the last
		}
	})
}

// escapeTarget keeps the raw query as given but makes it a valid request
// target: httptest.NewRequest panics on spaces, control bytes and '#'.
func escapeTarget(raw string) string {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c <= ' ' || c == '#' || c >= 0x7f {
			out = append(out, '%', "0123456789ABCDEF"[c>>4], "0123456789ABCDEF"[c&15])
			continue
		}
		out = append(out, c)
	}
	return string(out)
}
