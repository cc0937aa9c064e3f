package search

import (
	"unicode"
	"unicode/utf8"

	bdoc "github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/nhsx/kb/internal/search/analysis"
)

// countedField is a text field whose terms kb counts itself, rather than
// bleve analysing the text: the body, from the page's lexicon code (see
// lexicon.bodyTerms), and the concepts, split on spaces (see conceptTerms).
// Splitting, filtering and stemming every word of every body, and making a
// token of each, were a sixth of what a 10,000-page build allocated; the
// pieces' terms are worked out once for the site. Neither field keeps
// positions, so counts are all the index takes from them.
//
// The counting waits for Analyze, which bleve calls when it indexes the
// batch: until then the body's field holds only its code, a few bytes a
// word and no pointers, not its text or a map of its terms. A build's
// writer holds two batches' worth of documents (one queued, one filling),
// which with the counts made up front were some 30 to 60 MB of maps at any
// time of a 10,000-page build.
type countedField struct {
	*bdoc.TextField
	count  func() (index.TokenFrequencies, int) // nil once counted
	freqs  index.TokenFrequencies
	length int
	// lent holds the body's counts, the lexicon's to lend again once bleve
	// has indexed the batch (see giveBack).
	lent *termCounts
}

func (f *countedField) Analyze() {
	if f.count != nil {
		f.freqs, f.length = f.count()
		f.count = nil
	}
}
func (f *countedField) AnalyzedLength() int                              { return f.length }
func (f *countedField) AnalyzedTokenFrequencies() index.TokenFrequencies { return f.freqs }

// bleveDoc makes page url's bleve document from d as the index mapping
// does, with the body's terms to be counted from code, its lexicon code,
// and without its text, which the body's field neither stores nor needs;
// the concepts' are counted as the mapping's whitespace analyser would. It
// is safe to call from several goroutines.
func (x *Index) bleveDoc(url string, d *document, code []byte) (*bdoc.Document, error) {
	doc := bdoc.NewDocument(url)
	bodyless := *d
	bodyless.Body = ""
	if err := x.mapping.MapDocument(doc, &bodyless); err != nil {
		return nil, err
	}
	for i, f := range doc.Fields {
		tf, ok := f.(*bdoc.TextField)
		if !ok {
			continue
		}
		switch f.Name() {
		case fBody:
			an := x.mapping.AnalyzerNamed(analysis.TextAnalyzer)
			cf := &countedField{TextField: tf}
			cf.count = func() (index.TokenFrequencies, int) {
				c, n := x.lex.bodyTerms(code, an)
				cf.lent = c
				return c.freqs, n
			}
			doc.Fields[i] = cf
		case fConcepts:
			norm := !tf.Options().SkipFreqNorm()
			doc.Fields[i] = &countedField{TextField: tf, count: func() (index.TokenFrequencies, int) { return conceptTerms(tf.Value(), norm) }}
		}
	}
	return doc, nil
}

// giveBack lends again the term counts of documents bleve has indexed: it
// reads them once, as it makes the batch's segment, and keeps none.
func (x *Index) giveBack(docs []*bdoc.Document) {
	for _, doc := range docs {
		for _, f := range doc.Fields {
			if cf, ok := f.(*countedField); ok && cf.lent != nil {
				cf.freqs = nil
				x.lex.counts.put(cf.lent)
				cf.lent = nil
			}
		}
	}
}

// conceptTerms counts the tokens of a concepts field as bleve's whitespace
// tokenizer splits it (runs of anything but spaces, up to the first byte
// that is not UTF-8) and returns them with how many there were. The
// tokenizer made room for a thousand tokens for every page, where a page
// mentions a few dozen concepts, and a token for each mention: those were a
// twentieth of what a 10,000-page build allocated. The terms are value's
// own bytes.
func conceptTerms(value []byte, count bool) (index.TokenFrequencies, int) {
	var terms [][]byte
	for at, start := 0, -1; ; {
		r, size := utf8.DecodeRune(value[at:])
		if r == utf8.RuneError || unicode.IsSpace(r) {
			if start >= 0 {
				terms = append(terms, value[start:at])
				start = -1
			}
			if r == utf8.RuneError {
				break
			}
		} else if start < 0 {
			start = at
		}
		at += size
	}
	freqs := make(index.TokenFrequencies, len(terms))
	tfs := make([]index.TokenFreq, 0, len(terms))
	for _, t := range terms {
		tf := freqs[string(t)]
		if tf == nil {
			tfs = append(tfs, index.TokenFreq{Term: t})
			tf = &tfs[len(tfs)-1]
			freqs[string(t)] = tf
		}
		if count {
			tf.SetFrequency(tf.Frequency() + 1)
		}
	}
	return freqs, len(terms)
}
