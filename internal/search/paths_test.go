package search_test

import (
	"context"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/search/analysis"
)

// TestMemoryAndDiskIndexesAgree: kb serve searches an in-memory index that
// finds rows by URL, kb build's read-only index finds them by internal
// document number; both must give the same answers.
func TestMemoryAndDiskIndexesAgree(t *testing.T) {
	s := buildSite(t, "testdata/mini.txtar")
	mem, _ := memoryIndex(t, s)
	for _, q := range []string{"", "q=epr", "q=records&sort=newest", "measure=improve-care", "q=remote&page=2&size=1", "q=portal&type=guide&type=blueprint",
		`q="upgraded networks"`, `q="connect the portal"`} {
		a, b := run(t, s.Idx, q), run(t, mem, q)
		if q != "q=remote&page=2&size=1" && a.Total == 0 {
			t.Errorf("%s: no results, so the comparison shows nothing", q)
		}
		a.Took, b.Took = 0, 0
		for i := range a.Results {
			a.Results[i].Score, b.Results[i].Score = 0, 0
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: disk and memory indexes differ:\n%+v\n%+v", q, a, b)
		}
	}
}

// TestMemoryIndexSearchesWhileUpdated: the preview re-indexes pages as they
// are saved while searches run; the pages' text and its lexicon change
// under phrase searches and snippets (go test -race checks the sharing).
func TestMemoryIndexSearchesWhileUpdated(t *testing.T) {
	s := buildSite(t, "testdata/mini.txtar")
	mem, m := memoryIndex(t, s)
	r := request(t, `q="upgraded networks"`)
	done := make(chan error)
	go func() {
		for range 20 {
			res, err := mem.Search(context.Background(), r)
			if err == nil && (len(res.Results) != 1 || !strings.Contains(res.Results[0].Snippet, "<mark>upgraded</mark> <mark>networks</mark>")) {
				err = fmt.Errorf("found %+v, want the one page, its snippet marking the phrase", res.Results)
			}
			if err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for range 3 {
		if err := mem.Upsert(searchPages(t, m.Site.Items)...); err != nil {
			t.Fatal(err)
		}
	}
	if err := <-done; err != nil {
		t.Error(err)
	}
}

func mustQuery(t *testing.T, q string) url.Values {
	t.Helper()
	v, err := url.ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// memoryIndex is the preview's index of s, made from a model of its own
// (kb build lets go of its model's text), and that model; it is closed when
// t ends.
func memoryIndex(t *testing.T, s *site) (*search.Index, *build.Model) {
	t.Helper()
	syn, err := analysis.ReadSynonyms(s.Root)
	if err != nil {
		t.Fatal(err)
	}
	m, err := build.Load(s.Model.Options)
	if err != nil {
		t.Fatal(err)
	}
	mem, err := search.NewMemory(searchPages(t, m.Site.Items), syn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mem.Close() })
	return mem, m
}

// request is the search request a query string makes.
func request(t *testing.T, q string) search.Request {
	t.Helper()
	r, err := search.ParseRequest(mustQuery(t, q))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// run answers the query string q from idx.
func run(t *testing.T, idx *search.Index, q string) *search.Result {
	t.Helper()
	res, err := idx.Search(context.Background(), request(t, q))
	if err != nil {
		t.Fatal(err)
	}
	return res
}
