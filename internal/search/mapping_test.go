package search

import (
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/nhsx/kb/internal/search/analysis"
)

// TestLeanMapping: the index keeps only what queries and hits read. Phrases
// need positions in every field searched by words but the body, whose
// phrases are checked against the lexicon's codes, which also give the
// prose for snippets; hits read the title, summary and sources; nothing
// sorts or facets through bleve.
func TestLeanMapping(t *testing.T) {
	type kept struct{ index, store, positions bool }
	want := map[string]kept{
		fTitle:    {true, true, true},
		fSummary:  {true, true, true},
		fHeadings: {true, false, true},
		fBody:     {true, false, false},
		fTags:     {true, false, true},
		fConcepts: {true, false, false},
		fSources:  {false, true, false},
	}
	m := newMapping().(*mapping.IndexMappingImpl)
	got := map[string]kept{}
	for name, dm := range m.DefaultMapping.Properties {
		if !dm.Enabled {
			continue
		}
		for _, f := range dm.Fields {
			if f.DocValues || f.IncludeInAll {
				t.Errorf("%s keeps doc values or goes into _all", name)
			}
			if f.Index && f.Analyzer != analysis.IndexAnalyzer && name != fConcepts {
				t.Errorf("%s is analysed with %s, want %s (positions without offsets)", name, f.Analyzer, analysis.IndexAnalyzer)
			}
			got[name] = kept{f.Index, f.Store, f.IncludeTermVectors}
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("mapping keeps %v\nwant %v", got, want)
	}
	for _, f := range textFields {
		if !got[f.name].positions && f.name != fBody {
			t.Errorf("%s is searched by phrases but keeps no positions", f.name)
		}
	}
}

// The index's analyser gives the terms and positions the query analyser
// does, without offsets.
func TestIndexAnalyzerKeepsPositionsOnly(t *testing.T) {
	m := newMapping()
	const text = "The trust's electronic patient records, e.g. EPR 1.5"
	q, ix := m.AnalyzerNamed(analysis.TextAnalyzer).Analyze([]byte(text)), m.AnalyzerNamed(analysis.IndexAnalyzer).Analyze([]byte(text))
	if len(q) != len(ix) || len(q) == 0 {
		t.Fatalf("%d terms, want %d", len(ix), len(q))
	}
	for i := range q {
		if string(q[i].Term) != string(ix[i].Term) || q[i].Position != ix[i].Position || ix[i].Start != 0 || ix[i].End != 0 {
			t.Errorf("token %d: index %+v, query %+v", i, *ix[i], *q[i])
		}
	}
}
