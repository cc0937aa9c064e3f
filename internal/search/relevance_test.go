package search_test

import (
	"bufio"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRelevance runs the judged queries in testdata/relevance.txt against the
// real knowledge base: each named page must be among the first three results,
// and a query judged (none) must find nothing. It logs success at 1 and 3
// and the mean reciprocal rank in the first five (go test -v -run
// TestRelevance ./internal/search).
func TestRelevance(t *testing.T) {
	s := realKB(t)
	f, err := os.Open("testdata/relevance.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n, at1, at3, rr := 0, 0, 0, 0.0
	for line := 1; sc.Scan(); line++ {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		params, want, ok := strings.Cut(l, "\t")
		if !ok {
			t.Fatalf("relevance.txt:%d: want parameters, a tab, then a URL", line)
		}
		res := s.API(t, params+"&size=5")
		if want == "(none)" {
			if res.Total != 0 {
				t.Errorf("relevance.txt:%d: %s: want nothing, got %d results %v", line, params, res.Total, urls(res))
			}
			continue
		}
		n++
		top := urls(res)
		rank := slices.Index(top, want) + 1
		if rank == 0 || rank > 3 {
			t.Errorf("relevance.txt:%d: %s: %s is not in the top 3 %v", line, params, want, top)
		}
		if rank == 1 {
			at1++
		}
		if rank > 0 && rank <= 3 {
			at3++
		}
		if rank > 0 {
			rr += 1 / float64(rank)
		}
	}
	if n < 60 {
		t.Errorf("only %d judged queries; keep at least 60", n)
	}
	t.Logf("%d judged queries: success@1 %.3f, success@3 %.3f, MRR@5 %.3f",
		n, float64(at1)/float64(n), float64(at3)/float64(n), rr/float64(n))
}

// TestMisspeltRanksAsSpelt checks the misspellings against the real
// knowledge base: each finds the same first three pages, in the same order,
// as the word spelt right. A misspelt word's stand-ins must weigh in the
// query as the word itself would, not be outweighed by the other words.
func TestMisspeltRanksAsSpelt(t *testing.T) {
	s := realKB(t)
	for misspelt, spelt := range map[string]string{
		"cyber secuirty":            "cyber security",
		"securty":                   "security",
		"interoperabilty standards": "interoperability standards",
		"populaton health":          "population health",
		"clinicla safety":           "clinical safety",
		"caldicot":                  "caldicott",
	} {
		got := urls(s.API(t, "size=3&q="+url.QueryEscape(misspelt)))
		want := urls(s.API(t, "size=3&q="+url.QueryEscape(spelt)))
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%q: first three %v, want those of %q: %v", misspelt, got, spelt, want)
		}
	}
}

// realKB builds the knowledge base at the repository's root, with its index.
func realKB(t *testing.T) *site {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "content")); err != nil {
		t.Skip("no knowledge base content in the repository")
	}
	return buildAt(t, root)
}
