package search

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/nhsx/kb/internal/search/analysis"
)

// lexiconTexts are bodies with what the word splitter treats specially:
// leading punctuation, joined words, numbers, ideographs, no words at all.
var lexiconTexts = []string{
	"",
	"   ",
	"— (see below)",
	"The trust's EPR, e.g. 1.5 and 10,000 records.\nSecond block: done!",
	"Records records RECORDS records, records.",
	"日本語のテキスト and café naïve",
	"end with a word",
	"\n\nstarts after blank lines\n",
}

// The lexicon's codes give back each text exactly, and so does a lexicon
// saved and read again, whatever order the texts came in.
func TestLexiconGivesBackTheText(t *testing.T) {
	lex := newLexicon()
	lex.addAll(lexiconTexts[:4])
	codes := make([][]byte, len(lexiconTexts))
	for i, text := range lexiconTexts {
		codes[i] = lex.encode(text) // the last ones add pieces as they go
	}
	again, err := unmarshalLexicon(lex.marshal())
	if err != nil {
		t.Fatal(err)
	}
	// Saved after its pieces' terms are known, it keeps them.
	a := newMapping().AnalyzerNamed(analysis.TextAnalyzer)
	terms, ids := lex.termsOf(a)
	withTerms, err := unmarshalLexicon(lex.marshal())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(withTerms.terms, terms) || len(withTerms.termIDs) != len(ids) || withTerms.termIDs["record"] != ids["record"] {
		t.Errorf("terms read back as %v %v, want %v %v", withTerms.terms, withTerms.termIDs, terms, ids)
	}
	for i, text := range lexiconTexts {
		for _, l := range []*lexicon{lex, again} {
			if got := l.decode(codes[i], -1); got != text {
				t.Errorf("text %d decodes to %q, want %q", i, got, text)
			}
		}
		if n := len(text) / 2; len(text) > 0 {
			if got := lex.decode(codes[i], n); got != text[:n] {
				t.Errorf("text %d cut at %d decodes to %q, want %q", i, n, got, text[:n])
			}
		}
	}
	if got := lex.decode(codes[3], 0); got != "" {
		t.Errorf("cut at 0, text 3 decodes to %q", got)
	}
	// The most used piece, what precedes the first word ("" in most texts),
	// takes the first number.
	if c := lex.encode("records "); len(c) != 4 || c[0] != 0 || c[1] != 0 {
		t.Errorf(`"records " is coded % x, want the lead ("") numbered 0 and one more piece`, c)
	}
}

// Pieces numbered past what two bytes hold take six, and read back and
// match phrases as the others do.
func TestLexiconPastTwoBytes(t *testing.T) {
	lex := newLexicon()
	var many []string
	for i := range escape + 10 {
		many = append(many, fmt.Sprintf("w%d ", i))
	}
	lex.addAll(many)
	text := "w1 w65540 w2 w70000 w3"
	code := lex.encode(text)
	if got := lex.decode(code, -1); got != text {
		t.Fatalf("decodes to %q, want %q", got, text)
	}
	terms, ids := lex.termsOf(newMapping().AnalyzerNamed(analysis.TextAnalyzer))
	for phrase, want := range map[[2]string]bool{{"w65540", "w2"}: true, {"w1", "w65540"}: true, {"w2", "w70000"}: true, {"w65540", "w70000"}: false} {
		m := newPhraseMatcher([]int32{ids[phrase[0]], ids[phrase[1]]}, terms)
		if got := m.in(code); got != want {
			t.Errorf("%v: found %v, want %v", phrase, got, want)
		}
	}
}

// The text file keeps each page's row, code and prose with its URL, whether
// the code was in memory or spilled to disk by a Writer, and a damaged one
// is an error, not a wrong answer.
func TestTextFileRoundTrip(t *testing.T) {
	lex := newLexicon()
	rows, written := map[string]row{}, map[string]row{}
	sp, err := newSpill(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer sp.remove()
	for i, text := range lexiconTexts {
		u := fmt.Sprintf("/p%d/", i)
		r := row{URL: u, Type: "guide", Measures: []string{"well-led"}, Date: int64(i) * 86400, Sum: uint64(i) << 40,
			pageText: pageText{code: lex.encode(text), prose: len(text) / 2}}
		if i%2 == 1 {
			r.Type, r.Measures, r.Topics, r.Orgs, r.Date = "standard", []string{"well-led", "safe-practice"}, []string{"records"}, []string{"nhs-x"}, -86400
		}
		rows[u] = r.prepare()
		if i%3 != 0 { // most of them as a Writer keeps them
			r.pageText = sp.put(r.pageText)
		}
		written[u] = r.prepare()
	}
	if err := sp.flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := writeText(&buf, lex, written, sp); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	again, read, err := unmarshalText(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(read) != len(rows) {
		t.Errorf("%d rows read back, want %d", len(read), len(rows))
	}
	for u, r := range rows {
		if !reflect.DeepEqual(read[u], r) {
			t.Errorf("%s reads back as %+v, want %+v", u, read[u], r)
		}
		if again.decode(read[u].code, -1) != lex.decode(r.code, -1) {
			t.Errorf("%s decodes differently after reading", u)
		}
	}
	for _, bad := range [][]byte{nil, []byte("kb-text 0\n"), b[:len(b)-3], append([]byte(textMagic), 0xff)} {
		if _, _, err := unmarshalText(bad); err == nil {
			t.Errorf("%.20q… reads without an error", bad)
		}
	}
}

// A phrase in the body matches as bleve's phrase query on a body with
// positions did: the same pages, with the same scores, stop words in the
// phrase standing for any one word.
func TestBodyPhraseMatchesAsAPhraseQuery(t *testing.T) {
	bodies := map[string]string{
		"/a/": "The test results came back on Tuesday.",
		"/b/": "A test of the results, and results of a test.",
		"/c/": "Results of the test; test results, and more test results.",
		"/d/": "The board of directors met. Test results were shared.",
		"/e/": "The board and the directors met.",
		"/f/": "Board's directors: nothing else.",
		"/g/": "Nothing to see here at all.",
	}
	positional := newMapping().(*mapping.IndexMappingImpl)
	for _, f := range positional.DefaultMapping.Properties[fBody].Fields {
		f.IncludeTermVectors = true
	}
	lean := newMapping()
	open := func(m mapping.IndexMapping) bleve.Index {
		bi, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { bi.Close() })
		for u, body := range bodies {
			if err := bi.Index(u, document{Body: body}); err != nil {
				t.Fatal(err)
			}
		}
		return bi
	}
	was, x := open(positional), &Index{mapping: lean, lex: newLexicon(), rows: map[string]row{}, labels: newLabels()}
	x.bi = open(lean)
	for u, body := range bodies {
		x.rows[u] = row{URL: u, pageText: pageText{code: x.lex.encode(body)}}
	}
	hits := func(bi bleve.Index, q query.Query) []string {
		res, err := bi.Search(bleve.NewSearchRequestOptions(q, 20, 0, false))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range res.Hits {
			out = append(out, fmt.Sprintf("%s %.6f", h.ID, h.Score))
		}
		slices.Sort(out)
		return out
	}
	for _, phrase := range []string{"test results", "results test", "board of directors", "board directors",
		"the test results", "test", "results of the test", "directors met", "zebra results"} {
		want := bleve.NewMatchPhraseQuery(phrase)
		want.SetField(fBody)
		want.SetBoost(1.5)
		w, g := hits(was, want), hits(x.bi, &bodyPhrase{x: x, text: phrase, boost: 1.5})
		if !slices.Equal(g, w) {
			t.Errorf("%q finds %v, want %v", phrase, g, w)
		}
	}
}

// BenchmarkHasPhrase is the check of one page's body for a phrase it does
// not hold, the common case: about a thousand words.
func BenchmarkHasPhrase(b *testing.B) {
	var text []byte
	for i := range 1000 {
		text = fmt.Appendf(text, "word%d, ", i%300)
	}
	lex := newLexicon()
	code := lex.encode(string(text))
	terms, ids := lex.termsOf(newMapping().AnalyzerNamed(analysis.TextAnalyzer))
	m := newPhraseMatcher([]int32{ids["word1"], ids["word3"]}, terms)
	for b.Loop() {
		if m.in(code) {
			b.Fatal("found")
		}
	}
}

// A page's vocabulary words read from its code are those the analysis
// package finds in its text: a build counts the body's words from the code
// it has made anyway, and a difference would change spelling suggestions.
func TestPageWordsFromCode(t *testing.T) {
	lex := newLexicon()
	texts := append(slices.Clone(lexiconTexts), "The NHS's trusts’ and Trust's a i xyzzy 12345 ab-cd x.y")
	for i, text := range texts {
		checkPageWords(t, lex, text)
		if i == 3 { // words of pieces numbered before and after a reload
			again, err := unmarshalLexicon(lex.marshal())
			if err != nil {
				t.Fatal(err)
			}
			lex = again
		}
	}
}

func FuzzPageWordsFromCode(f *testing.F) {
	for _, text := range lexiconTexts {
		f.Add(text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkPageWords(t, newLexicon(), text)
	})
}

func checkPageWords(t *testing.T, lex *lexicon, text string) {
	t.Helper()
	want := slices.Compact(slices.Sorted(slices.Values(analysis.PageWords(text))))
	got := lex.pageWords(lex.encode(text), nil)
	if slices.Sort(got); !slices.Equal(got, want) {
		t.Errorf("words of %q from its code: %q, want %q", text, got, want)
	}
}

// The lexicon keeps copies of the pieces it numbers, never pieces of the
// page's text: one such piece would keep the whole text of its page alive
// for as long as the index is being built.
func TestLexiconKeepsNoPageText(t *testing.T) {
	text := strings.Repeat("word ", 1000) + "unusual-piece!"
	lex := newLexicon()
	lex.encode(text)
	start := uintptr(unsafe.Pointer(unsafe.StringData(text)))
	for _, p := range lex.pieces {
		if p == "" {
			continue
		}
		if at := uintptr(unsafe.Pointer(unsafe.StringData(p))); at >= start && at < start+uintptr(len(text)) {
			t.Errorf("piece %q points into the page's text", p)
		}
	}
}

// A damaged lexicon is refused or read into one whose words lie within
// their pieces and whose pieces' terms are known: never a panic, however
// the bytes are cut or changed.
func FuzzUnmarshalLexicon(f *testing.F) {
	lex := newLexicon()
	for _, text := range lexiconTexts {
		lex.encode(text)
	}
	f.Add(lex.marshal())
	lex.termsOf(newMapping().AnalyzerNamed(analysis.TextAnalyzer))
	f.Add(lex.marshal())
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := unmarshalLexicon(b)
		if err != nil {
			return
		}
		for i, p := range l.pieces {
			if int(l.words[i]) > len(p) {
				t.Fatalf("piece %d %q has a word of %d bytes", i, p, l.words[i])
			}
		}
		for _, term := range l.terms {
			if int(term) >= len(l.termNames) {
				t.Fatalf("term %d of %d known", term, len(l.termNames))
			}
		}
	})
}

// A page's words are those of its body and of its other fields, each
// once: a word in both is not counted twice for the page, and a word only
// in a title, never seen in any body, still counts.
func TestPageWordsAddsOtherFieldsOnce(t *testing.T) {
	lex := newLexicon()
	body := "Patient records are shared. Records, once shared, stay shared."
	title, summary := "Shared records zyxwv", "Zyxwv handovers between records teams"
	got := lex.pageWords(lex.encode(body), analysis.PageWords(title, summary))
	want := slices.Compact(slices.Sorted(slices.Values(analysis.PageWords(body, title, summary))))
	if slices.Sort(got); !slices.Equal(got, want) {
		t.Errorf("words %q, want %q", got, want)
	}
}
