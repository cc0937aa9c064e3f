package htmlcheck_test

import (
	"bytes"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/htmlcheck"
	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/search/web"
	"github.com/nhsx/kb/internal/sitetest"
)

// TestKnowledgeBaseIsValid builds the repository's knowledge base with its
// search index and checks every page, and the search page with results,
// with none and with an error, against the checker's rules.
func TestKnowledgeBaseIsValid(t *testing.T) {
	tmp := t.TempDir()
	opt := build.Options{Source: sitetest.RepoRoot(t), Out: filepath.Join(tmp, "public"),
		ThemeDir: sitetest.ThemeDir(t), IndexDir: filepath.Join(tmp, "index.bleve"), BaseURL: "https://kb.example.org"}
	m, _, err := build.Build(opt)
	if err != nil {
		t.Fatal(err)
	}
	probs, err := htmlcheck.Dir(opt.Out)
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
	for _, q := range []string{"?q=epr", "?q=epr&measure=well-led&type=guide", "?q=zzqqxx", "?q=epr&measure=nope", "?page=2", ""} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", web.PagePath+q, nil))
		p, err := htmlcheck.Page(web.PagePath+q, bytes.NewReader(rec.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		probs = append(probs, p...)
	}
	for _, p := range probs {
		t.Error(p)
	}
}
