package main

import (
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/aws/aws-lambda-go/events"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/frame"
	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/secure"
	"github.com/nhsx/kb/internal/sitetest"
)

// bundleFor does what make netlify does for a test site (kb build
// --function): builds the site in root/site, and its index, the search
// page's frame and the self-assessment's into root/bundle. extra files are
// added to the site first, by path.
func bundleFor(t *testing.T, archive string, extra map[string]string) (root string, m *build.Model) {
	t.Helper()
	root = t.TempDir()
	data, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	site := filepath.Join(root, "site")
	sitetest.WriteTo(t, data, site)
	for name, text := range extra {
		if err := os.WriteFile(filepath.Join(site, filepath.FromSlash(name)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m, _, err = build.Build(build.Options{Source: site, Out: filepath.Join(root, "public"), ThemeDir: sitetest.ThemeDir(t),
		IndexDir: filepath.Join(root, "index.bleve"), BaseURL: "https://kb.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	if err := build.WriteFunction(m, filepath.Join(root, "bundle")); err != nil {
		t.Fatal(err)
	}
	return root, m
}

const miniArchive = "../../../internal/search/testdata/mini.txtar"

func handle(t *testing.T, h http.Handler, ev events.APIGatewayProxyRequest) events.APIGatewayProxyResponse {
	t.Helper()
	res, err := adapt(h)(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestFunctionAnswersAnAPIGatewayEvent(t *testing.T) {
	root, _ := bundleFor(t, miniArchive, nil)
	h, done, err := open(os.DirFS(root), "bundle")
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	var ev events.APIGatewayProxyRequest
	data, err := os.ReadFile("testdata/api-event.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &ev); err != nil {
		t.Fatal(err)
	}
	res := handle(t, h, ev)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, res.Body)
	}
	for _, hd := range secure.Headers() {
		if got := res.Headers[hd.Name]; got != hd.Value {
			t.Errorf("header %s = %q, want %q", hd.Name, got, hd.Value)
		}
	}
	var body search.Result
	if err := json.Unmarshal([]byte(res.Body), &body); err != nil {
		t.Fatal(err)
	}
	// Both measure values arrive (multi-value parameters), so both portal pages match.
	if body.Total != 2 || body.Query != "portal" {
		t.Errorf("total %d for %q: %s", body.Total, body.Query, res.Body)
	}

	// The results page, reached through the function's own path.
	ev.Path = functionPath + "/search/"
	ev.MultiValueQueryStringParameters = map[string][]string{"q": {"portal"}, "measure": {"empower-citizens"}}
	res = handle(t, h, ev)
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "2 results for ‘portal’") ||
		!strings.Contains(res.Body, "Search test KB") {
		t.Errorf("/search/: %d\n%s", res.StatusCode, res.Body)
	}
	if res.Headers["Content-Security-Policy"] != secure.Policy {
		t.Error("the results page lacks the security policy")
	}

	// Bad input through the function is still a 400, with the headers.
	ev.Path = "/api/search"
	ev.MultiValueQueryStringParameters = map[string][]string{"page": {"-1"}}
	res = handle(t, h, ev)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, `page must be a whole number from 1 to 500, not \"-1\"`) {
		t.Errorf("bad page: %d %s", res.StatusCode, res.Body)
	}
}

// Every answer of the function carries the security headers, even the 400
// for a method that is not HTTP at all, which the adapter gives without the
// handler; it says what is wrong in the handler's JSON style.
func TestFunctionMalformedMethodIs400WithHeaders(t *testing.T) {
	reached := false
	h := secure.Middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached = true }))
	res := handle(t, h, events.APIGatewayProxyRequest{HTTPMethod: "GE T", Path: "/api/search"})
	var e search.BadRequest
	if err := json.Unmarshal([]byte(res.Body), &e); res.StatusCode != http.StatusBadRequest || reached || err != nil ||
		e.Param != "method" || e.Message != "the request's method is not valid HTTP: use GET" {
		t.Errorf("%d (handler reached: %v): %s", res.StatusCode, reached, res.Body)
	}
	for _, hd := range secure.Headers() {
		if got := res.Headers[hd.Name]; got != hd.Value {
			t.Errorf("header %s = %q, want %q", hd.Name, got, hd.Value)
		}
	}
	if ct := res.Headers["Content-Type"]; ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
}

// The function refuses what the limits refuse, whichever way the event
// carries the parameters: 10,001 of them are a 400, not a search of every page.
func TestFunctionRefusesTooManyParameters(t *testing.T) {
	root, _ := bundleFor(t, miniArchive, nil)
	h, done, err := open(os.DirFS(root), "bundle")
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	params := map[string][]string{"measure": {"bogus"}}
	for i := range 10_000 {
		params["x"+strconv.Itoa(i)] = []string{"1"}
	}
	res := handle(t, h, events.APIGatewayProxyRequest{HTTPMethod: "GET", Path: "/api/search", MultiValueQueryStringParameters: params})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, `"param":"query"`) ||
		res.Headers["Content-Security-Policy"] != secure.Policy {
		t.Errorf("%d: %.200s", res.StatusCode, res.Body)
	}
	if res.Headers["Cache-Control"] != "" {
		t.Errorf("a refusal is cached: %q", res.Headers["Cache-Control"])
	}
}

func TestFunctionWithoutIndexFailsAtStart(t *testing.T) {
	fsys := fstest.MapFS{"bundle/README.md": {Data: []byte("empty")}}
	_, _, err := open(fsys, "bundle")
	want := "the function was compiled without a search index in bundle/index.bleve: run make netlify before building it"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

func TestFunctionWithCorruptIndexFailsAtStart(t *testing.T) {
	fsys := fstest.MapFS{"bundle/index.bleve/index_meta.json": {Data: []byte(`{"storage":"nonsense"}`)},
		"bundle/search.html": {Data: []byte("<main>" + string(frame.Main) + "</main>")}}
	_, _, err := open(fsys, "bundle")
	if err == nil || !strings.Contains(err.Error(), "cannot be opened") || !strings.HasSuffix(err.Error(), "delete it and run kb build again") {
		t.Errorf("got %v", err)
	}
}

// TestFunctionRendersTheSitesOwnSearchPage: the function's results page,
// from the bundle alone, is byte for byte the one the whole site renders
// (kb serve's), header, navigation and footer included.
func TestFunctionRendersTheSitesOwnSearchPage(t *testing.T) {
	// A plain page, which the footer lists (the index holds only items).
	about := "---\ntitle: About this test KB\nsummary: Who runs it.\n---\nText that links to [a blueprint](blueprints/patient-portal.md).\n"
	root, _ := bundleFor(t, miniArchive, map[string]string{"content/about.md": about})
	h, done, err := open(os.DirFS(root), "bundle")
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	whole, err := build.Load(build.Options{Source: filepath.Join(root, "site"), ThemeDir: sitetest.ThemeDir(t), BaseURL: "https://kb.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	idx, err := search.Open(filepath.Join(root, "index.bleve"))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	serve, err := whole.SearchHandler(idx)
	if err != nil {
		t.Fatal(err)
	}
	for target, status := range map[string]int{
		"/search/?q=portal&measure=empower-citizens": http.StatusOK, "/search/": http.StatusOK, "/search/?q=nothing+like+it": http.StatusOK,
		"/search/?size=1&page=2&type=blueprint": http.StatusOK, "/search/?q=portal&page=99": http.StatusNotFound,
		"/search/?q=portal&measure=citizens": http.StatusBadRequest, "/search/?q=%3Cb%3E%26%22x%22": http.StatusOK,
	} {
		got, want := httptest.NewRecorder(), httptest.NewRecorder()
		h.ServeHTTP(got, httptest.NewRequest(http.MethodGet, target, nil))
		serve.ServeHTTP(want, httptest.NewRequest(http.MethodGet, target, nil))
		if got.Code != status || want.Code != status || got.Body.String() != want.Body.String() {
			t.Errorf("%s: the function answers %d (the preview %d, want %d) and differs from the whole site's page:\n%s\n---\n%s", target, got.Code, want.Code, status, got.Body, want.Body)
		}
		if !strings.Contains(got.Body.String(), "Search test KB") || !strings.Contains(got.Body.String(), "About this test KB") {
			t.Errorf("%s: no site header or footer in\n%s", target, got.Body)
		}
	}
}

// TestBundleHoldsTheIndexAndFramesAlone: kb build --function writes the
// index, the search page's frame and the self-assessment's data, and
// nothing of the site's sources or theme.
func TestBundleHoldsTheIndexAndFramesAlone(t *testing.T) {
	root, _ := bundleFor(t, "../../../internal/assess/testdata/recommend.txtar", nil)
	var files []string
	err := filepath.WalkDir(filepath.Join(root, "bundle"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(filepath.Join(root, "bundle"), p)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f != "search.html" && f != "assessment.json" && !strings.HasPrefix(f, "index.bleve/") {
			t.Errorf("the bundle holds %s", f)
		}
	}
	for _, want := range []string{"search.html", "assessment.json", "index.bleve/index_meta.json"} {
		if !slices.Contains(files, want) {
			t.Errorf("the bundle lacks %s: %v", want, files)
		}
	}
}

// TestFunctionWithoutFrameFailsAtStart: an index without its frame (a
// bundle from before frames, or copied by hand) says how to make both.
func TestFunctionWithoutFrameFailsAtStart(t *testing.T) {
	fsys := fstest.MapFS{"bundle/index.bleve/index_meta.json": {Data: []byte(`{"storage":"scorch"}`)}}
	_, _, err := open(fsys, "bundle")
	want := "the function was compiled without the search page's frame in bundle/search.html: run make netlify before building it"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}
