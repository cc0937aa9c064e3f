package a11y

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nhsx/kb/internal/assess"
	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/hosting"
	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/secure"
)

// env is what every browser test shares: one Chromium, one build of the real
// knowledge base served as production serves it (static files, the search
// handler, the security headers), and axe-core's source.
type env struct {
	browser context.Context // a chromedp context; each test opens its own tab
	url     string          // the server's base URL
	model   *build.Model
	axe     string
	// results counts the requests the server answered with results made
	// from answers: the browser's own results must not add to it.
	results *atomic.Int64
}

// shared is set up once by TestMain; skip is why the browser tests cannot run.
var (
	shared *env
	skip   string
)

func TestMain(m *testing.M) {
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "a11y:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

// run sets up the shared browser and site, runs the tests, and tears down.
func run(m *testing.M) (int, error) {
	exe := FindChromium()
	axe, axeErr := os.ReadFile(filepath.Join("testdata", "node_modules", "axe-core", "axe.min.js"))
	switch {
	case exe == "":
		skip = "no Chromium found (install the chromium package, or set CHROME): browser tests skipped"
	case axeErr != nil:
		skip = "axe-core is not installed: run make deps-test (npm ci in internal/a11y/testdata)"
	}
	if skip != "" {
		return m.Run(), nil
	}
	tmp, err := os.MkdirTemp("", "kb-a11y-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	e, stop, err := start(exe, tmp)
	if err != nil {
		return 0, err
	}
	defer stop()
	e.axe = string(axe)
	shared = e
	return m.Run(), nil
}

// start builds the knowledge base, serves it and starts the browser.
func start(exe, tmp string) (*env, func(), error) {
	root, err := repoRoot()
	if err != nil {
		return nil, nil, err
	}
	out := filepath.Join(tmp, "public")
	opt := build.Options{Source: root, Out: out, ThemeDir: filepath.Join(root, "themes", "default"),
		IndexDir: filepath.Join(tmp, "index.bleve")}
	m, _, err := build.Build(opt)
	if err != nil {
		return nil, nil, fmt.Errorf("building the knowledge base: %w", err)
	}
	idx, err := search.Open(opt.IndexDir)
	if err != nil {
		return nil, nil, err
	}
	h, err := m.SearchHandler(idx)
	if err != nil {
		idx.Close()
		return nil, nil, err
	}
	results := new(atomic.Int64)
	all, err := withAssessment(m, results, hosting.Site(out, h))
	if err != nil {
		idx.Close()
		return nil, nil, err
	}
	srv := httptest.NewServer(secure.Middleware(all))
	browser, cancel := Browser(context.Background(), exe, filepath.Join(tmp, "profile"))
	stop := func() { cancel(); srv.Close(); idx.Close() }
	if err := chromedp.Do(browser); err != nil { // start Chromium now, once
		stop()
		return nil, nil, fmt.Errorf("starting %s: %w", exe, err)
	}
	return &env{browser: browser, url: srv.URL, model: m, results: results}, stop, nil
}

// withAssessment serves the self-assessment's results as kb serve and the
// function do, counting them; its forms are among the built pages.
func withAssessment(m *build.Model, count *atomic.Int64, site http.Handler) (http.Handler, error) {
	src, err := m.AssessSource(m.Assessment)
	if err != nil {
		return nil, err
	}
	results := assess.Handler(func() (*assess.Source, error) { return src, nil })
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == assess.ResultsPath && r.URL.RawQuery != "" {
			count.Add(1)
			results.ServeHTTP(w, r)
			return
		}
		site.ServeHTTP(w, r)
	}), nil
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// repoRoot finds the folder holding go.mod, as sitetest does, without a
// testing.TB (TestMain has none).
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for !exists(filepath.Join(dir, "go.mod")) {
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
		dir = parent
	}
	return dir, nil
}

// need returns the shared environment, skipping the test when there is none.
func need(t *testing.T) *env {
	t.Helper()
	if shared == nil {
		t.Skip(skip)
	}
	return shared
}

// tab opens a new browser tab for one test, closed when the test ends.
func (e *env) tab(t *testing.T) context.Context {
	t.Helper()
	tab, closeTab := chromedp.NewContext(e.browser)
	ctx, cancel := context.WithTimeout(tab, 2*time.Minute)
	t.Cleanup(func() { cancel(); closeTab() })
	return ctx
}
