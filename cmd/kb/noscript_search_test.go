package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/sitetest"
)

// TestNoScriptFromContentInSearch indexes the hostile site and checks the
// search JSON carries its values as plain strings, snippets hold no markup but
// <mark>, and the results page adds no script and shows the title as text.
func TestNoScriptFromContentInSearch(t *testing.T) {
	_, root := sitetest.Load(t, "testdata/ok/script-injection.txtar")
	out := t.TempDir()
	opt := build.Options{Source: root, Out: filepath.Join(out, "public"), ThemeDir: sitetest.ThemeDir(t), IndexDir: filepath.Join(out, "index.bleve")}
	m, _, err := build.Build(opt)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := search.Open(opt.IndexDir)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	h, err := m.SearchHandler(idx)
	if err != nil {
		t.Fatal(err)
	}

	var res search.Result
	w := serveGet(h, "/api/search?q=alert")
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || w.Code != http.StatusOK {
		t.Fatalf("API: %d %v: %s", w.Code, err, w.Body)
	}
	if len(res.Results) != 1 || res.Results[0].Title != hostileTitle || res.Results[0].Summary != hostileSummary {
		t.Fatalf("API hits do not carry the hostile values as plain strings: %+v", res.Results)
	}
	snippet, err := goquery.NewDocumentFromReader(strings.NewReader(res.Results[0].Snippet))
	if err != nil {
		t.Fatal(err)
	}
	if n := snippet.Find("body *:not(mark)").Length(); n > 0 {
		t.Errorf("snippet holds %d elements besides <mark>: %s", n, res.Results[0].Snippet)
	}

	page := serveGet(h, "/search/?q=alert")
	doc, err := goquery.NewDocumentFromReader(page.Body)
	if err != nil || page.Code != http.StatusOK {
		t.Fatalf("page: %d %v", page.Code, err)
	}
	for _, v := range scriptIn(doc) {
		t.Errorf("/search/?q=alert: %s", v)
	}
	if got := sitetest.Texts(doc.Find(".kb-result__title")); len(got) != 1 || got[0] != hostileTitle {
		t.Errorf("result titles = %q, want the hostile title as text", got)
	}
}

func serveGet(h http.Handler, target string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
	return w
}
