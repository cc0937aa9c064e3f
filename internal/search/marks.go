package search

import (
	"html"
	"strings"
)

// Snippets mark every word of a phrase or of a vocabulary term's
// alternatives wherever it stands (see markTerms), so "health" is marked in
// "health IT" when the query was EPR, whose alternatives include "electronic
// health record". partOnly and unmarkStray take such marks away again.

// partOnly lists the terms of the query for q that count only as part of a
// phrase: a quoted phrase, or a vocabulary term or alternative of several
// words. A term that is also a whole unit or alternative is not listed.
func (x *Index) partOnly(q string) map[string]bool {
	units, err := parseQuery(q)
	if err != nil {
		return nil
	}
	whole, parts := map[string]bool{}, map[string]bool{}
	for _, u := range applySynonyms(x.synonyms, units) {
		for _, text := range append([]string{u.text}, u.alts...) {
			terms := x.terms(text)
			if len(terms) == 1 && !u.phrase {
				whole[terms[0]] = true
				continue
			}
			for _, t := range terms {
				parts[t] = true
			}
		}
	}
	for t := range whole {
		delete(parts, t)
	}
	return parts
}

// unmarkStray takes the mark off each marked word of a snippet whose term is
// in partOnly and that stands apart from the other such marks: nothing but
// spaces, punctuation and stop words between two of them makes them one
// phrase.
func (x *Index) unmarkStray(snippet string, partOnly map[string]bool) string {
	if len(partOnly) == 0 || !strings.Contains(snippet, "<mark>") {
		return snippet
	}
	// texts[i] comes before marks[i]; texts has one more, after the last mark.
	var texts, marks []string
	rest := snippet
	for {
		before, after, ok := strings.Cut(rest, "<mark>")
		if !ok {
			break
		}
		word, tail, ok := strings.Cut(after, "</mark>")
		if !ok {
			return snippet // not a snippet's shape: leave it be
		}
		texts, marks = append(texts, before), append(marks, word)
		rest = tail
	}
	texts = append(texts, rest)
	part := make([]bool, len(marks)) // the mark's word counts only as part of a phrase
	for i, word := range marks {
		terms := x.terms(html.UnescapeString(word))
		part[i] = len(terms) == 1 && partOnly[terms[0]]
	}
	// joins reports whether marks i and j, side by side, read as one phrase.
	joins := func(i, j int) bool {
		return j >= 0 && j < len(marks) && part[j] && len(x.terms(html.UnescapeString(texts[max(i, j)]))) == 0
	}
	var b strings.Builder
	for i, word := range marks {
		b.WriteString(texts[i])
		if part[i] && !joins(i, i-1) && !joins(i, i+1) {
			b.WriteString(word)
		} else {
			b.WriteString("<mark>" + word + "</mark>")
		}
	}
	b.WriteString(texts[len(marks)])
	return b.String()
}
