package search

import (
	bleveanalysis "github.com/blevesearch/bleve/v2/analysis"
	bdoc "github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/nhsx/kb/internal/search/analysis"
)

// countedBody is a page's body field with its terms counted from the page's
// lexicon code (see lexicon.bodyTerms), rather than by bleve analysing the
// text. Splitting, filtering and stemming every word of every body, and
// making a token of each, were a sixth of what a 10,000-page build
// allocated; the pieces' terms are worked out once for the site. The body
// keeps no positions, so counts are all the index takes from it.
//
// The counting waits for Analyze, which bleve calls when it indexes the
// batch: until then the field holds only the code, a few bytes a word and
// no pointers, not the text or a map of its terms. A build's writer holds
// two batches' worth of documents (one queued, one filling), which with the
// counts made up front were some 70 MB of maps at any time.
type countedBody struct {
	*bdoc.TextField
	code []byte
	lex  *lexicon
	an   bleveanalysis.Analyzer

	freqs  index.TokenFrequencies
	length int
}

func (f *countedBody) Analyze() {
	if f.code != nil {
		f.freqs, f.length = f.lex.bodyTerms(f.code, f.an)
		f.code = nil
	}
}
func (f *countedBody) AnalyzedLength() int                              { return f.length }
func (f *countedBody) AnalyzedTokenFrequencies() index.TokenFrequencies { return f.freqs }

// bleveDoc makes page url's bleve document from d as the index mapping
// does, with the body's terms to be counted from code, its lexicon code,
// and without its text, which the body's field neither stores nor needs
// once counted. It is safe to call from several goroutines.
func (x *Index) bleveDoc(url string, d *document, code []byte) (*bdoc.Document, error) {
	doc := bdoc.NewDocument(url)
	bodyless := *d
	bodyless.Body = ""
	if err := x.mapping.MapDocument(doc, &bodyless); err != nil {
		return nil, err
	}
	for i, f := range doc.Fields {
		if tf, ok := f.(*bdoc.TextField); ok && f.Name() == fBody {
			doc.Fields[i] = &countedBody{TextField: tf, code: code, lex: x.lex, an: x.mapping.AnalyzerNamed(analysis.TextAnalyzer)}
		}
	}
	return doc, nil
}
