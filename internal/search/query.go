package search

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/nhsx/kb/internal/search/analysis"
)

// Weights of what a word stands for beside the word itself: its nearest
// spellings (the fewest edits away), those further, and a completion of the
// last word typed. Near spellings are only tried for words no page holds, so
// they never compete with an exact match of the same word; the nearest
// stand for the word meant and weigh as it would, so that a misspelt word
// does not count for less than its correctly spelt neighbours in the query.
const (
	nearestWeight = 1.0
	furtherWeight = 0.25
	prefixWeight  = 0.5
)

// expand finds out, for each word, whether a page holds it and, if not, its
// near spellings and (for the last word typed) the words it starts. It
// stops looking, with what it has, when ctx is done.
func (x *Index) expand(ctx context.Context, units []unit) {
	voc := x.vocabulary()
	for i := range units {
		u := &units[i]
		if u.phrase || len(u.alts) > 0 {
			continue
		}
		if !x.analyses(u.text) {
			u.stop = true
			continue
		}
		if u.known = x.known(u.text); u.known {
			continue
		}
		u.near = voc.Near(ctx, u.text, analysis.Allowance(u.text), maxNear)
		if u.last && utf8.RuneCountInString(u.text) >= 3 {
			u.prefix = voc.Prefixed(u.text, maxPrefixed)
		}
	}
}

// matchesNothing reports whether some word can match no page: no page holds
// it, and it has no synonyms, near spellings or completions. Every word
// must match, so the query then matches nothing and need not be run.
func matchesNothing(units []unit) bool {
	for _, u := range units {
		if !u.phrase && len(u.alts) == 0 && !u.stop && !u.known && len(u.near) == 0 && len(u.prefix) == 0 {
			return true
		}
	}
	return false
}

// textQuery builds the bleve query for the expanded units: every unit must
// match somewhere; each unit matches in any text field, by its synonyms, by a
// near spelling if no page holds it, or by a completion if it is the word
// being typed. Stop words alone give nil.
func (x *Index) textQuery(units []unit) query.Query {
	var must []query.Query
	for _, u := range units {
		if uq := x.unitQuery(u); uq != nil {
			must = append(must, uq)
		}
	}
	switch len(must) {
	case 0:
		return nil // only stop words: nothing to search for
	case 1:
		return must[0]
	}
	return bleve.NewConjunctionQuery(must...)
}

func (x *Index) unitQuery(u unit) query.Query {
	var any []query.Query
	fields := textFields
	if groups := x.synonyms.ConceptGroups(u.text); len(u.alts) > 0 && len(groups) > 0 {
		for _, g := range groups {
			tq := bleve.NewTermQuery(analysis.ConceptToken(g))
			tq.SetField(fConcepts)
			tq.SetBoost(1.5)
			any = append(any, tq)
		}
		fields = textFields[:len(textFields)-1] // the concept stands for the body
	}
	if x.analyses(u.text) && len(u.near)+len(u.prefix) == 0 {
		weight := x.perTerm(u, u.text)
		for _, f := range fields {
			any = append(any, x.matchQuery(u.text, u.phrase, f.name, f.boost*weight))
		}
	}
	for _, alt := range u.alts {
		if !x.analyses(alt) {
			continue
		}
		weight := 0.9 * x.perTerm(u, alt)
		for _, f := range fields {
			any = append(any, x.matchQuery(alt, strings.Contains(alt, " "), f.name, f.boost*weight))
		}
	}
	for _, tq := range x.standIns(u) {
		any = append(any, tq)
	}
	if len(any) == 0 {
		return nil
	}
	return bleve.NewDisjunctionQuery(any...)
}

// standIns are the term queries for a word no page holds: its near
// spellings and, for the word being typed, its completions. Nothing matches
// the word itself, so they take its place; and because bleve scales a
// disjunction by the share of its clauses that match, their boosts are
// scaled back up by how many there are, so a misspelt word counts in the
// query as much as its correct spelling would (without it, "interoperabilty
// standards" ranked pages by "standards" alone).
func (x *Index) standIns(u unit) []*query.TermQuery {
	seen := map[string]bool{}
	nearest := 0
	for _, n := range u.near {
		if nearest == 0 || n.Dist < nearest {
			nearest = n.Dist
		}
	}
	var out []*query.TermQuery
	for _, n := range u.near {
		weight := nearestWeight
		if n.Dist > nearest {
			weight = furtherWeight
		}
		out = append(out, x.termQueries(n.Word, textFields, weight, seen)...)
	}
	for _, p := range u.prefix {
		out = append(out, x.termQueries(p.Word, textFields[:2], prefixWeight, seen)...)
	}
	scale := float64(len(out)) / float64(len(textFields))
	for _, tq := range out {
		tq.SetBoost(tq.Boost() * scale)
	}
	return out
}

// termQueries searches the fields for word as the index has it (its stem),
// unless seen already has that stem: near spellings are often forms of one
// word ("security", "securities").
func (x *Index) termQueries(word string, fields []textField, weight float64, seen map[string]bool) []*query.TermQuery {
	terms := x.terms(word)
	if len(terms) != 1 || seen[terms[0]] {
		return nil // a stop word, or not one word to the index
	}
	seen[terms[0]] = true
	out := make([]*query.TermQuery, 0, len(fields))
	for _, f := range fields {
		tq := bleve.NewTermQuery(terms[0])
		tq.SetField(f.name)
		tq.SetBoost(f.boost * weight)
		out = append(out, tq)
	}
	return out
}

func (x *Index) matchQuery(text string, phrase bool, field string, boost float64) query.Query {
	if phrase && field == fBody {
		return &bodyPhrase{x: x, text: text, boost: boost}
	}
	if phrase {
		q := bleve.NewMatchPhraseQuery(text)
		q.SetField(field)
		q.SetBoost(boost)
		return q
	}
	q := bleve.NewMatchQuery(text)
	q.SetField(field)
	q.SetBoost(boost)
	q.SetOperator(query.MatchQueryOperatorAnd)
	return q
}

// bodyPhrase is a phrase searched for in the body, which keeps no
// positions: bleve finds the pages that hold all its terms and scores them
// as its phrase query would (the sum of the terms' scores), and a page is
// kept if its code shows the terms side by side (see lexicon). Pages that
// hold the words apart are many more than those with the phrase, but
// checking one is a pass over its code (see phraseMatcher).
type bodyPhrase struct {
	x     *Index
	text  string
	boost float64
}

func (q *bodyPhrase) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	a := q.x.mapping.AnalyzerNamed(analysis.TextAnalyzer)
	tokens := a.Analyze([]byte(q.text))
	if len(tokens) == 0 {
		return searcher.NewMatchNoneSearcher(i)
	}
	first, last := tokens[0].Position, tokens[0].Position
	for _, t := range tokens {
		first, last = min(first, t.Position), max(last, t.Position)
	}
	if last-first >= maxPhrase {
		// Longer than a matcher takes (a query is at most MaxQueryLen
		// bytes): its first words stand for it.
		last = first + maxPhrase - 1
	}
	terms := make([]string, last-first+1) // "" for a stop word: any word
	for _, t := range tokens {
		if t.Position <= last {
			terms[t.Position-first] = string(t.Term)
		}
	}
	var must []bsearch.Searcher
	for _, t := range terms {
		if t == "" {
			continue
		}
		ts, err := searcher.NewTermSearcher(ctx, i, t, fBody, q.boost, options)
		if err != nil {
			for _, s := range must {
				s.Close()
			}
			return nil, err
		}
		must = append(must, ts)
	}
	all, err := searcher.NewConjunctionSearcher(ctx, i, must, options)
	if err != nil || len(terms) == 1 {
		return all, err
	}
	tbl, err := q.x.table()
	if err != nil {
		all.Close()
		return nil, err
	}
	pieceTerms, ids := q.x.lex.termsOf(a)
	phrase := make([]int32, len(terms))
	for j, t := range terms {
		id, ok := ids[t]
		switch {
		case t == "":
			id = anyTerm
		case !ok:
			id = anyTerm - 1 // in no page's body
		}
		phrase[j] = id
	}
	pm := newPhraseMatcher(phrase, pieceTerms)
	return searcher.NewFilteringSearcher(ctx, all, func(_ *bsearch.SearchContext, d *bsearch.DocumentMatch) bool {
		r, ok := tbl.rowOf(i, d)
		return ok && pm.in(tbl.rows[r].code)
	}), nil
}

// perTerm scales the weight of one form of a vocabulary term by its length:
// a match scores the sum of its words, so without it "electronic patient
// record" would outweigh "EPR" three to one, and a page would rank by which
// form of the name it happens to use rather than by how much it is about it.
// Words outside the vocabulary keep their weight.
func (x *Index) perTerm(u unit, form string) float64 {
	if len(u.alts) == 0 {
		return 1
	}
	if n := len(x.terms(form)); n > 1 {
		return 1 / float64(n)
	}
	return 1
}

// terms analyses text as the index's text fields do.
func (x *Index) terms(text string) []string {
	a := x.mapping.AnalyzerNamed(analysis.TextAnalyzer)
	if a == nil {
		return nil
	}
	var out []string
	for _, t := range a.Analyze([]byte(text)) {
		out = append(out, string(t.Term))
	}
	return out
}

// analyses reports whether text leaves any terms after English analysis (a
// query of stop words alone has none, and would match nothing).
func (x *Index) analyses(text string) bool { return len(x.terms(text)) > 0 }

// known reports whether every term of text, as analysed, is in some page's
// searched text; text without terms is not known (callers ask only of text
// that analyses).
func (x *Index) known(text string) bool {
	terms := x.terms(text)
	adv, err := x.bi.Advanced()
	if len(terms) == 0 || err != nil {
		return false
	}
	reader, err := adv.Reader()
	if err != nil {
		return false
	}
	defer reader.Close()
	for _, term := range terms {
		found := false
		for _, f := range textFields {
			tfr, err := reader.TermFieldReader(context.Background(), []byte(term), f.name, false, false, false)
			if err != nil {
				return false
			}
			found = tfr.Count() > 0
			tfr.Close()
			if found {
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
