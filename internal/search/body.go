package search

import (
	"unicode"
	"unicode/utf8"

	bdoc "github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/nhsx/kb/internal/search/analysis"
)

// countedField is a text field with its terms counted already, rather than
// by bleve analysing the text when the batch is indexed: the body, from the
// page's lexicon code (see lexicon.bodyTerms), and the concepts, split on
// spaces (see conceptTerms). Splitting, filtering and stemming every word
// of every body, and making a token of each, were a sixth of what a
// 10,000-page build allocated; the pieces' terms are worked out once for
// the site. Neither field keeps positions, so counts are all the index
// takes from them.
type countedField struct {
	*bdoc.TextField
	freqs  index.TokenFrequencies
	length int
}

func (f *countedField) Analyze()                                         {}
func (f *countedField) AnalyzedLength() int                              { return f.length }
func (f *countedField) AnalyzedTokenFrequencies() index.TokenFrequencies { return f.freqs }

// bleveDoc makes page url's bleve document from d as the index mapping
// does, with the body's terms counted from code, its lexicon code, and the
// concepts' counted as the mapping's whitespace analyser would. It is safe
// to call from several goroutines.
func (x *Index) bleveDoc(url string, d *document, code []byte) (*bdoc.Document, error) {
	doc := bdoc.NewDocument(url)
	if err := x.mapping.MapDocument(doc, d); err != nil {
		return nil, err
	}
	for i, f := range doc.Fields {
		tf, ok := f.(*bdoc.TextField)
		if !ok {
			continue
		}
		switch f.Name() {
		case fBody:
			freqs, n := x.lex.bodyTerms(code, x.mapping.AnalyzerNamed(analysis.TextAnalyzer))
			doc.Fields[i] = &countedField{TextField: tf, freqs: freqs, length: n}
		case fConcepts:
			freqs, n := conceptTerms(tf.Value(), !tf.Options().SkipFreqNorm())
			doc.Fields[i] = &countedField{TextField: tf, freqs: freqs, length: n}
		}
	}
	return doc, nil
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
