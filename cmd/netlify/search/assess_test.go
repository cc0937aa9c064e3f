package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/assess"
	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/sitetest"
)

// TestFunctionAssessmentEqualsTheWholeSites: the function's self-assessment
// results, made from the index, are byte for byte those of the handler kb
// serve runs over the whole site, for good answers, the CSV and bad answers.
func TestFunctionAssessmentEqualsTheWholeSites(t *testing.T) {
	root, _ := bundleFor(t, "../../../internal/assess/testdata/recommend.txtar", nil)
	h, done, err := open(os.DirFS(root), "bundle")
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	whole, err := build.Load(build.Options{Source: filepath.Join(root, "site"), ThemeDir: sitetest.ThemeDir(t), BaseURL: "https://kb.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	src, err := whole.AssessSource(whole.Assessment)
	if err != nil {
		t.Fatal(err)
	}
	serve := assess.Handler(func() (*assess.Source, error) { return src, nil })
	for _, target := range []string{
		"/self-assessment/results/?audience=organisation&SP1=0&SP2=3&IC1=1",
		"/self-assessment/results/?audience=organisation&SP1=0&SP2=3&IC1=1&format=csv",
		"/self-assessment/results/?audience=ics&SP3=dk",
		"/self-assessment/results/?audience=organisation&SP1=9&ZZ1=0",
		"/self-assessment/organisation/",
	} {
		got, want := httptest.NewRecorder(), httptest.NewRecorder()
		h.ServeHTTP(got, httptest.NewRequest(http.MethodGet, target, nil))
		serve.ServeHTTP(want, httptest.NewRequest(http.MethodGet, target, nil))
		if got.Code != want.Code || got.Body.String() != want.Body.String() {
			t.Errorf("%s: the function answers %d, the whole site %d, and they differ:\n%s\n---\n%s", target, got.Code, want.Code, got.Body, want.Body)
		}
		if got.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", target, got.Header().Get("Cache-Control"))
		}
	}
	got := httptest.NewRecorder()
	h.ServeHTTP(got, httptest.NewRequest(http.MethodGet, "/.netlify/functions/search/self-assessment/results/?audience=organisation&SP1=0", nil))
	if got.Code != http.StatusOK || !strings.Contains(got.Body.String(), "/case-studies/cyber-exercise/") {
		t.Errorf("through the function's own path: %d\n%s", got.Code, got.Body)
	}
}
