package search

import (
	bdoc "github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/nhsx/kb/internal/search/analysis"
)

// countedBody is a page's body field with its terms counted already, from
// the page's lexicon code (see lexicon.bodyTerms), rather than by bleve
// analysing the text when the batch is indexed. Splitting, filtering and
// stemming every word of every body, and making a token of each, were a
// sixth of what a 10,000-page build allocated; the pieces' terms are worked
// out once for the site. The body keeps no positions, so counts are all the
// index takes from it.
type countedBody struct {
	*bdoc.TextField
	freqs  index.TokenFrequencies
	length int
}

func (f *countedBody) Analyze()                                         {}
func (f *countedBody) AnalyzedLength() int                              { return f.length }
func (f *countedBody) AnalyzedTokenFrequencies() index.TokenFrequencies { return f.freqs }

// bleveDoc makes page url's bleve document from d as the index mapping
// does, with the body's terms counted from code, its lexicon code. It is
// safe to call from several goroutines.
func (x *Index) bleveDoc(url string, d *document, code []byte) (*bdoc.Document, error) {
	doc := bdoc.NewDocument(url)
	if err := x.mapping.MapDocument(doc, d); err != nil {
		return nil, err
	}
	for i, f := range doc.Fields {
		if tf, ok := f.(*bdoc.TextField); ok && f.Name() == fBody {
			freqs, n := x.lex.bodyTerms(code, x.mapping.AnalyzerNamed(analysis.TextAnalyzer))
			doc.Fields[i] = &countedBody{TextField: tf, freqs: freqs, length: n}
		}
	}
	return doc, nil
}
