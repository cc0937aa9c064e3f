package search_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/search"
)

func TestBadInputIs400WithAMessage(t *testing.T) {
	s := mini(t)
	long := strings.Repeat("a", 501)
	for _, c := range []struct{ params, param, msg string }{
		{"q=" + long, "q", "q is 501 characters long; the limit is 500"},
		{"q=%22open+quote", "q", "the quote at character 1 of q is never closed: add a closing quote after the phrase, or remove it"},
		{"q=a+%22b", "q", "the quote at character 3 of q is never closed: add a closing quote after the phrase, or remove it"},
		{"q=%ff", "q", "q is not valid UTF-8 text"},
		{"page=0", "page", `page must be a whole number from 1 to 500, not "0"`},
		{"page=two", "page", `page must be a whole number from 1 to 500, not "two"`},
		{"page=501", "page", `page must be a whole number from 1 to 500, not "501"`},
		{"size=51", "size", `size must be a whole number from 1 to 50, not "51"`},
		{"sort=oldest", "sort", `unknown sort "oldest"; use relevance or newest`},
		{"measure=empower-citizen", "measure", `unknown measure "empower-citizen"; valid measures are well-led, smart-foundations, safe-practice, support-people, empower-citizens, improve-care, healthy-populations (did you mean "empower-citizens"?)`},
		{"type=blueprints", "type", `unknown type "blueprints"; valid types are blueprint, standard, template, case-study, guide (did you mean "blueprint"?)`},
		{"topic=mental", "topic", `unknown topic "mental": no page has it (did you mean "mental-health"?)`},
		{"organisation=nhs-x", "organisation", `unknown organisation "nhs-x": no page has it`},
	} {
		w := s.Get(t, "/api/search?"+c.params)
		if w.Code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", c.params, w.Code)
			continue
		}
		var e search.BadRequest
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
			t.Fatalf("%s: %v: %s", c.params, err, w.Body)
		}
		if e.Param != c.param || e.Message != c.msg {
			t.Errorf("%s:\n got %s: %s\nwant %s: %s", c.params, e.Param, e.Message, c.param, c.msg)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "none.bleve")
	_, err := search.Open(missing)
	if want := "no search index at " + missing + ": run kb build to create it"; err == nil || err.Error() != want {
		t.Errorf("missing: %v, want %s", err, want)
	}
	corrupt := filepath.Join(dir, "corrupt.bleve")
	if err := os.MkdirAll(corrupt, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(corrupt, "index_meta.json"), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = search.Open(corrupt)
	if err == nil || !strings.HasPrefix(err.Error(), "search index "+corrupt+" cannot be opened (") ||
		!strings.HasSuffix(err.Error(), "): delete it and run kb build again") {
		t.Errorf("corrupt: %v", err)
	}
}
