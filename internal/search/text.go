package search

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// unit is one thing the searcher asked for: a word, a quoted phrase, or a run
// of words that is a term of the NHS vocabulary (with its synonyms).
type unit struct {
	text   string
	phrase bool
	last   bool     // the last word typed, which may be unfinished
	alts   []string // equivalent terms from the vocabulary
}

// parseQuery splits q into words and "quoted phrases". An unclosed quote is
// the only malformed syntax: kb has no operators to get wrong.
func parseQuery(q string) ([]unit, error) {
	var units []unit
	for i := 0; i < len(q); {
		r, size := utf8.DecodeRuneInString(q[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case isQuote(r):
			end := strings.IndexFunc(q[i+size:], isQuote)
			if end < 0 {
				col := utf8.RuneCountInString(q[:i]) + 1
				return nil, bad("q", "the quote at character %d of q is never closed: add a closing quote after the phrase, or remove it", col)
			}
			if p := strings.TrimSpace(q[i+size : i+size+end]); p != "" {
				units = append(units, unit{text: p, phrase: true})
			}
			_, qs := utf8.DecodeRuneInString(q[i+size+end:])
			i += size + end + qs
		default:
			end := strings.IndexFunc(q[i:], func(r rune) bool { return unicode.IsSpace(r) || isQuote(r) })
			if end < 0 {
				end = len(q) - i
			}
			if w := normWord(q[i : i+end]); w != "" {
				units = append(units, unit{text: w})
			}
			i += end
		}
	}
	if n := len(units); n > 0 && !units[n-1].phrase && !endsWithSpace(q) {
		units[n-1].last = true
	}
	return units, nil
}

func isQuote(r rune) bool { return r == '"' || r == '“' || r == '”' }

func endsWithSpace(q string) bool {
	r, _ := utf8.DecodeLastRuneInString(q)
	return unicode.IsSpace(r)
}

// applySynonyms merges runs of words that form a vocabulary term, longest
// first, into one unit carrying the term's synonyms. Phrases match whole.
func (s *Synonyms) apply(units []unit) []unit {
	var out []unit
	for i := 0; i < len(units); {
		u := units[i]
		if u.phrase {
			u.alts = s.alternatives(normPhrase(u.text))
			out = append(out, u)
			i++
			continue
		}
		n := s.longestMatch(units[i:])
		if n == 0 {
			out = append(out, u)
			i++
			continue
		}
		words := make([]string, n)
		for j := range n {
			words[j] = units[i+j].text
		}
		term := strings.Join(words, " ")
		out = append(out, unit{text: term, phrase: n > 1, alts: s.alternatives(term)})
		i += n
	}
	return out
}

// longestMatch is how many leading words of us form a vocabulary term.
func (s *Synonyms) longestMatch(us []unit) int {
	for n := min(s.longest, len(us)); n > 0; n-- {
		words := make([]string, 0, n)
		for _, u := range us[:n] {
			if u.phrase {
				break
			}
			words = append(words, u.text)
		}
		if len(words) == n && s.groups[strings.Join(words, " ")] != nil {
			return n
		}
	}
	return 0
}

// textQuery builds the bleve query for q: every unit must match somewhere;
// each unit matches in any text field, by its synonyms, by a near spelling
// if it is long, or as a prefix if it is the word being typed.
//
// With full set, a vocabulary term is also searched for, with every
// alternative, through the body, and the body's phrases as plain words: that
// only serves to highlight the few hits shown (which already matched), whose
// snippets need the words, and a phrase search would cost as much as a match.
func (x *Index) textQuery(q string, full bool) (query.Query, error) {
	units, err := parseQuery(q)
	if err != nil {
		return nil, err
	}
	units = x.synonyms.apply(units)
	var must []query.Query
	for _, u := range units {
		if uq := x.unitQuery(u, full); uq != nil {
			must = append(must, uq)
		}
	}
	switch len(must) {
	case 0:
		return nil, nil // only stop words: nothing to search for
	case 1:
		return must[0], nil
	}
	return bleve.NewConjunctionQuery(must...), nil
}

func (x *Index) unitQuery(u unit, full bool) query.Query {
	var any []query.Query
	fields := textFields
	if groups := x.synonyms.concepts.groupsOf(u.text); len(u.alts) > 0 && len(groups) > 0 {
		for _, g := range groups {
			tq := bleve.NewTermQuery(conceptToken(g))
			tq.SetField(fConcepts)
			tq.SetBoost(1.5)
			any = append(any, tq)
		}
		if !full {
			fields = textFields[:len(textFields)-1] // the concept stands for the body
		}
	}
	searchable := x.analyses(u.text)
	// Near spellings and prefixes help with typos and unfinished words; a
	// word the index already has needs neither, and they are what make a
	// query slow (a fuzzy or prefix search walks the whole term dictionary).
	known := searchable && x.known(u.text)
	if searchable {
		weight := x.perTerm(u, u.text)
		for _, f := range fields {
			any = append(any, matchQuery(u.text, u.phrase && !(full && f.name == fBody), f.name, f.boost*weight))
			// Near spellings only where a page says what it is about: in the
			// body, with its long tail of rare words, they cost much and find noise.
			if fz := fuzziness(u); fz > 0 && f.name != fBody && !known {
				mq := bleve.NewMatchQuery(u.text)
				mq.SetField(f.name)
				mq.SetFuzziness(fz)
				mq.SetBoost(f.boost * 0.4)
				any = append(any, mq)
			}
		}
	}
	for _, alt := range u.alts {
		if !x.analyses(alt) {
			continue
		}
		weight := 0.9 * x.perTerm(u, alt)
		for _, f := range fields {
			phrase := strings.Contains(alt, " ") && !(full && f.name == fBody)
			any = append(any, matchQuery(alt, phrase, f.name, f.boost*weight))
		}
	}
	if u.last && !known && utf8.RuneCountInString(u.text) >= 3 {
		for _, f := range textFields[:2] {
			pq := bleve.NewPrefixQuery(u.text)
			pq.SetField(f.name)
			pq.SetBoost(f.boost * 0.5)
			any = append(any, pq)
		}
	}
	if len(any) == 0 {
		return nil
	}
	return bleve.NewDisjunctionQuery(any...)
}

func matchQuery(text string, phrase bool, field string, boost float64) query.Query {
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

// fuzziness allows one typo in words of five letters or more and two from
// nine; shorter words and acronyms must be spelt right, or they match noise.
func fuzziness(u unit) int {
	if u.phrase || len(u.alts) > 0 {
		return 0
	}
	switch n := utf8.RuneCountInString(u.text); {
	case n >= 9:
		return 2
	case n >= 5:
		return 1
	}
	return 0
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
	a := x.mapping.AnalyzerNamed(textAnalyzer)
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
// body or title; text without terms is not known (callers ask only of text
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
		for _, field := range []string{fBody, fTitle} {
			tfr, err := reader.TermFieldReader(context.Background(), []byte(term), field, false, false, false)
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
