package search

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/search/analysis"
)

// benchPages are made-up page bodies whose words follow a Zipf law over a
// vocabulary of 20,000, as prose does: most pieces recur, some are new.
func benchPages(n, words int) []string {
	r := rand.New(rand.NewPCG(1, 2))
	z := rand.NewZipf(r, 1.1, 1, 19999)
	punct := []string{" ", " ", " ", " ", ", ", ". ", " (", ") "}
	pages := make([]string, n)
	for i := range pages {
		var b strings.Builder
		for range words {
			b.WriteString("w")
			b.WriteString(strings.Repeat("ab", int(z.Uint64()%3)))
			b.WriteString(string(rune('a' + z.Uint64()%26)))
			b.WriteString(string(rune('a' + z.Uint64()%26)))
			b.WriteString(punct[r.IntN(len(punct))])
		}
		pages[i] = b.String()
	}
	return pages
}

// BenchmarkPageCounts times what the index writer does with each page's
// body on the lexicon: encode it, list its words and count its terms.
func BenchmarkPageCounts(b *testing.B) {
	pages := benchPages(2000, 800)
	a := newMapping().AnalyzerNamed(analysis.TextAnalyzer)
	b.ReportAllocs()
	for b.Loop() {
		lex := newLexicon()
		for _, p := range pages {
			code := lex.encode(p)
			lex.pageWords(code, nil)
			lex.bodyTerms(code, a)
		}
	}
}
