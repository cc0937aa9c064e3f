package search_test

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRelevance runs the judged queries in testdata/relevance.txt against the
// real knowledge base: each named page must be among the first three results.
func TestRelevance(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "content")); err != nil {
		t.Skip("no knowledge base content in the repository")
	}
	s := buildAt(t, root)
	f, err := os.Open("testdata/relevance.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for line := 1; sc.Scan(); line++ {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		params, want, ok := strings.Cut(l, "\t")
		if !ok {
			t.Fatalf("relevance.txt:%d: want parameters, a tab, then a URL", line)
		}
		n++
		top := urls(s.api(t, params+"&size=3"))
		if !slices.Contains(top, want) {
			t.Errorf("relevance.txt:%d: %s: %s is not in the top 3 %v", line, params, want, top)
		}
	}
	if n < 25 {
		t.Errorf("only %d judged queries; keep at least 25", n)
	}
}
