package search

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	banalysis "github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/nhsx/kb/internal/search/analysis"
)

// An index whose bodies are counted from their codes holds what bleve's
// own analysis of the text gives: the same terms in the body's dictionary,
// on as many pages, and the same score for every page a term finds, which
// BM25 makes from each page's count of the term and its body's length. The
// bodies are the knowledge base's own Markdown sources, with the lexicon
// texts' odd cases.
func TestCountedBodyEqualsBleveAnalysis(t *testing.T) {
	texts := append([]string(nil), lexiconTexts...)
	files, _ := filepath.Glob("../../content/*/*.md")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	if len(files) < 20 {
		t.Fatalf("found %d pages of the knowledge base, want its sources", len(files))
	}
	pages := make([]Page, len(texts))
	for i, text := range texts {
		pages[i] = Page{URL: "/p/" + strings.Repeat("x", i%3) + string(rune('a'+i%26)) + "/" + string(rune('0'+i/26)), Title: "page", Prose: text}
	}
	analysed := analysedIndex(t, pages)
	defer analysed.Close()
	counted, err := NewMemory(pages, nil) // through bleveDoc; it lets go of the pages' text
	if err != nil {
		t.Fatal(err)
	}
	defer counted.Close()

	if n, _ := analysed.DocCount(); n != uint64(len(pages)) {
		t.Fatalf("%d pages indexed by bleve, want %d", n, len(pages))
	}
	want := bodyDict(t, analysed)
	got := bodyDict(t, counted.bi)
	if len(want) < 1000 {
		t.Fatalf("bleve's analysis gave %d terms, want the sources' thousands", len(want))
	}
	for term, n := range want {
		if got[term] != n {
			t.Errorf("term %q is on %d pages counted from codes, %d by bleve's analysis", term, got[term], n)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d terms counted from codes, %d by bleve's analysis", len(got), len(want))
	}
	checked := 0
	for term := range want {
		if checked++; checked > 300 {
			break
		}
		q := query.NewTermQuery(term)
		q.SetField(fBody)
		a, b := hitsOf(t, analysed, q), hitsOf(t, counted.bi, q)
		for id, score := range a {
			if b[id] != score {
				t.Errorf("term %q scores page %s %v counted from codes, %v by bleve's analysis", term, id, b[id], score)
			}
		}
	}
}

// analysedIndex indexes the pages' documents as bleve maps and analyses them.
func analysedIndex(t *testing.T, pages []Page) bleve.Index {
	t.Helper()
	bi, err := bleve.NewUsing("", newMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := bi.NewBatch()
	for i := range pages {
		if err := b.Index(pages[i].URL, docFrom(&pages[i], nil)); err != nil {
			t.Fatal(err)
		}
	}
	if err := bi.Batch(b); err != nil {
		t.Fatal(err)
	}
	return bi
}

func bodyDict(t *testing.T, bi bleve.Index) map[string]uint64 {
	t.Helper()
	adv, err := bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	d, err := r.FieldDict(fBody)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	out := map[string]uint64{}
	for e, err := d.Next(); e != nil || err != nil; e, err = d.Next() {
		if err != nil {
			t.Fatal(err)
		}
		out[e.Term] = e.Count
	}
	return out
}

func hitsOf(t *testing.T, bi bleve.Index, q query.Query) map[string]float64 {
	t.Helper()
	req := bleve.NewSearchRequestOptions(q, 1000, 0, false)
	res, err := bi.Search(req)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, h := range res.Hits {
		out[h.ID] = h.Score
	}
	return out
}

// The same, word for word on any text: the terms counted from a code are
// bleve's analysis of the text, with the same counts and length.
func FuzzCountedBody(f *testing.F) {
	for _, text := range lexiconTexts {
		f.Add(text)
	}
	f.Add("The NHS's trusts’ 1.5 x.y ab-cd e.g. 日本 naïve")
	m := newMapping()
	indexing := m.AnalyzerNamed(analysis.IndexAnalyzer)
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return // pages are UTF-8: content.Clean refuses others
		}
		tokens := indexing.Analyze([]byte(text))
		want := banalysis.TokenFrequency(tokens, nil, index.IndexField)
		lex := newLexicon()
		counts, n := lex.bodyTerms(lex.encode(text), m.AnalyzerNamed(analysis.TextAnalyzer))
		got := counts.freqs
		if n != len(tokens) {
			t.Errorf("%q: %d words with a term counted, bleve analyses %d", text, n, len(tokens))
		}
		for term, tf := range want {
			if g := got[term]; g == nil || g.Frequency() != tf.Frequency() {
				t.Errorf("%q: term %q counted %v, bleve %d", text, term, g, tf.Frequency())
			}
		}
		if len(got) != len(want) {
			t.Errorf("%q: %d terms counted, bleve %d", text, len(got), len(want))
		}
	})
}

// The concepts field counted by conceptTerms holds what the mapping's
// whitespace analyser gives: the same terms with the same counts, and the
// same length, up to the first byte that is not UTF-8 as bleve's tokenizer
// stops there.
func FuzzConceptTerms(f *testing.F) {
	for _, s := range []string{"", "c1", "c1 c2 c1", "  c3\tc4\nc3  ", "c1\u00a0c2\u2003c1", "c1 \xff c2", "c5 \ufffd c6", "c1 日本 c1"} {
		f.Add(s)
	}
	ws := newMapping().AnalyzerNamed(whitespaceAnalyzer)
	f.Fuzz(func(t *testing.T, text string) {
		tokens := ws.Analyze([]byte(text))
		want := banalysis.TokenFrequency(tokens, nil, index.IndexField)
		got, n := conceptTerms([]byte(text), true)
		if n != len(tokens) {
			t.Errorf("%q: %d tokens counted, bleve analyses %d", text, n, len(tokens))
		}
		for term, tf := range want {
			if g := got[term]; g == nil || g.Frequency() != tf.Frequency() || string(g.Term) != term {
				t.Errorf("%q: term %q counted %v, bleve %d", text, term, g, tf.Frequency())
			}
		}
		if len(got) != len(want) {
			t.Errorf("%q: %d terms counted, bleve %d", text, len(got), len(want))
		}
	})
}
