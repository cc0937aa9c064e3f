package analysis

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
)

func tokenTerms(ts analysis.TokenStream) []string {
	var out []string
	for _, t := range ts {
		out = append(out, string(t.Term))
	}
	return out
}

func TestWordsSplitsAsUnicodeWordBoundariesDo(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Hull's EPR, and GP-led care.", "Hull's EPR and GP led care"},
		{"e.g. 1.5 million or 10,000 beds; ratio 3:1", "e.g 1.5 million or 10,000 beds ratio 3 1"},
		{"  dm+d_v2 (SNOMED CT) — café naïve", "dm d_v2 SNOMED CT café naïve"},
		{"trusts’ plans", "trusts plans"},
		{"end.", "end"},
		{"病院のEPR", "病 院 の EPR"},
		{"", ""},
	} {
		got := strings.Join(tokenTerms(words{}.Tokenize([]byte(tc.in))), " ")
		if got != tc.want {
			t.Errorf("Tokenize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTextAnalyzerStemsAndDropsStopWords(t *testing.T) {
	a := testMapping(t).AnalyzerNamed(TextAnalyzer)
	for _, tc := range []struct{ in, want string }{
		{"The trust's Electronic Patient Records", "trust electron patient record"},
		{"prescribing and prescriptions", "prescrib prescript"},
		{"Integrating integrated integration", "integr integr integr"},
	} {
		// twice: the second answer comes from the stemmer's memory
		for range 2 {
			if got := strings.Join(tokenTerms(a.Analyze([]byte(tc.in))), " "); got != tc.want {
				t.Errorf("Analyze(%q) = %q, want %q", tc.in, got, tc.want)
			}
		}
	}
}

// FuzzWords checks the splitter's promises on any input: each token is the
// input between its offsets, tokens are in order without overlap, and
// positions count up from one.
func FuzzWords(f *testing.F) {
	for _, s := range []string{"Hull's EPR", "1.5,2", "a.'b", "x:", "\xff\xfe", "病院", "a\u0301b", "_"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in := []byte(s)
		end := 0
		for i, tok := range (words{}).Tokenize(in) {
			if tok.Start < end || tok.End <= tok.Start || tok.End > len(in) {
				t.Fatalf("token %d at %d:%d after %d in %q", i, tok.Start, tok.End, end, s)
			}
			if string(tok.Term) != s[tok.Start:tok.End] || tok.Position != i+1 {
				t.Fatalf("token %d = %q at position %d, input there is %q", i, tok.Term, tok.Position, s[tok.Start:tok.End])
			}
			if utf8.ValidString(s) && !utf8.ValidString(string(tok.Term)) {
				t.Fatalf("token %q splits a character", tok.Term)
			}
			end = tok.End
		}
	})
}

// BenchmarkTokenize compares the word splitter with bleve's Unicode one on
// the bundled knowledge base's pages.
func BenchmarkTokenize(b *testing.B) {
	files, _ := filepath.Glob("../../../content/*/*.md")
	var text []byte
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		text = append(text, body...)
	}
	if len(text) == 0 {
		b.Skip("no content to split")
	}
	for _, tk := range []struct {
		name string
		t    analysis.Tokenizer
	}{{"kb", words{}}, {"unicode", unicode.NewUnicodeTokenizer()}} {
		b.Run(tk.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				tk.t.Tokenize(text)
			}
		})
	}
}

func TestConceptWordsLowerCaseAndSingular(t *testing.T) {
	got := strings.Join(conceptWords("EPRs and e-Prescribing, Dm+d; ÉCOLE records 10,000 ss"), "|")
	want := "epr|and|e|prescribing|dm|d|école|record|10|000|ss"
	if got != want {
		t.Errorf("conceptWords = %q, want %q", got, want)
	}
}

// BenchmarkFindConcepts scans the bundled knowledge base's pages for the
// vocabulary's terms, as indexing does for every page.
func BenchmarkFindConcepts(b *testing.B) {
	files, _ := filepath.Glob("../../../content/*/*.md")
	var text strings.Builder
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		text.Write(body)
	}
	syn, err := ReadSynonyms("../..")
	if err != nil || text.Len() == 0 {
		b.Skipf("no content or vocabulary: %v", err)
	}
	b.SetBytes(int64(text.Len()))
	b.ReportAllocs()
	for b.Loop() {
		syn.concepts.find([]string{text.String()})
	}
}

// find names a group for each mention, taking the longest term at each
// place, whatever the case or a plural s, and reads on after a term that
// only began to match.
func TestFindConcepts(t *testing.T) {
	syn, err := ParseSynonyms("epr, electronic patient record\nepr system, electronic record system\npatient portal, patient app\n", "synonyms.txt")
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]string{
		"Electronic Patient Records and EPRs":  "c1 c1",
		"the EPR system went live":             "c2",
		"patient records, then a patient app":  "c3",
		"electronic patient portal":            "c3",
		"an electronic record system, an EPR.": "c2 c1",
		"nothing here":                         "",
		"patient":                              "",
	} {
		if got := syn.Concepts(text); got != want {
			t.Errorf("find(%q) = %q, want %q", text, got, want)
		}
	}
}

// A page's fields are scanned as the one text they make joined by line
// breaks, terms across two of them included, without being joined.
func FuzzConceptsOfFields(f *testing.F) {
	syn, err := ParseSynonyms("epr, electronic patient record\nepr system, electronic record system\npatient portal, patient app\nnaïve, ŝtrange wörd\n", "synonyms.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add("Electronic", "patient records", "", "EPR system")
	f.Add("an electronic record", "system", "electronic\npatient", "record.")
	f.Add("", "", "", "")
	f.Add("naïve ŝtrange", "wörd", "x", "patient portal")
	f.Fuzz(func(t *testing.T, a, b, c, d string) {
		want := syn.Concepts(strings.Join([]string{a, b, c, d}, "\n"))
		if got := syn.Concepts(a, b, c, d); got != want {
			t.Errorf("Concepts(%q, %q, %q, %q) = %q, joined %q", a, b, c, d, got, want)
		}
	})
}

// chainAnalyzers returns kb's English analyser and bleve's filters and
// Porter stemmer one after the other, on the same word splitter.
func chainAnalyzers(tb testing.TB) (ours, theirs analysis.Analyzer) {
	m := testMapping(tb)
	if err := m.AddCustomAnalyzer("chain", map[string]any{"type": custom.Name, "tokenizer": wordTokenizer,
		"token_filters": []any{en.PossessiveName, lowercase.Name, en.StopName, porter.Name}}); err != nil {
		tb.Fatal(err)
	}
	return m.AnalyzerNamed(TextAnalyzer), m.AnalyzerNamed("chain")
}

// sameTokens fails unless both analysers give the same tokens for text.
func sameTokens(tb testing.TB, ours, theirs analysis.Analyzer, name string, text []byte) {
	got, want := ours.Analyze(text), theirs.Analyze(append([]byte(nil), text...))
	if len(got) != len(want) {
		tb.Fatalf("%s: %d tokens, want %d", name, len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if string(g.Term) != string(w.Term) || g.Position != w.Position || g.Start != w.Start || g.End != w.End {
			tb.Fatalf("%s: token %d = %q at %d (%d:%d), want %q at %d (%d:%d)", name, i,
				g.Term, g.Position, g.Start, g.End, w.Term, w.Position, w.Start, w.End)
		}
	}
}

// The English filter, with its memory, gives exactly what bleve's filters
// and Porter stemmer give one after the other, on every page of the bundled
// knowledge base and twice over (the second time from memory).
func TestEnglishFilterMatchesBlevesChain(t *testing.T) {
	ours, theirs := chainAnalyzers(t)
	files, _ := filepath.Glob("../../../content/*/*.md")
	if len(files) == 0 {
		t.Fatal("no content to analyse")
	}
	for range 2 {
		for _, f := range files {
			text, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			sameTokens(t, ours, theirs, f, text)
		}
	}
}

// FuzzEnglishFilter: the same on any input.
func FuzzEnglishFilter(f *testing.F) {
	for _, s := range []string{"The Trust's EPRs", "THE", "it's its", "Hull’s records", "İstanbul", "a\u0301b's", "\xff's"} {
		f.Add(s)
	}
	ours, theirs := chainAnalyzers(f)
	f.Fuzz(func(t *testing.T, s string) {
		sameTokens(t, ours, theirs, "input", []byte(s))
	})
}

// testMapping is an index mapping with kb's analysers, as search's has them.
func testMapping(tb testing.TB) *mapping.IndexMappingImpl {
	m := mapping.NewIndexMapping()
	if err := AddTextAnalyzers(m); err != nil {
		tb.Fatal(err)
	}
	return m
}

func TestConceptsFindEveryMentionLongestFirst(t *testing.T) {
	syn, err := ParseSynonyms("epr, electronic patient record, ehr\nepma, e-prescribing\nrecord, records management\n", "test")
	if err != nil {
		t.Fatal(err)
	}
	text := "Our EPRs: an Electronic Patient Records system; e-prescribing (EPMA) and records."
	got := syn.Concepts(text)
	// EPRs → group 1; "electronic patient records" → group 1 (not "record",
	// group 3, because the longest term wins); e-prescribing and EPMA → 2;
	// the last "records" → 3.
	if want := "c1 c1 c2 c2 c3"; got != want {
		t.Errorf("find = %q, want %q", got, want)
	}
	if g := syn.concepts.groupsOf("E-Prescribing"); !slices.Equal(g, []int{2}) {
		t.Errorf("groupsOf(E-Prescribing) = %v", g)
	}
	if g := syn.concepts.groupsOf("records"); !slices.Equal(g, []int{3}) {
		t.Errorf("groupsOf(records) = %v", g)
	}
	if g := syn.concepts.groupsOf("cardiology"); g != nil {
		t.Errorf("groupsOf(cardiology) = %v", g)
	}
}
