package search

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/nhsx/kb/internal/search/analysis"
)

// fewResults is as many results as a query may find and still be offered a
// suggestion.
const fewResults = 2

// rarer is how many times more pages a near spelling must be on than a word
// some page does hold, to be suggested instead: a name misspelt on one page
// and spelt right on twelve.
const rarer = 5

// suggest returns the query r would be with each word no page holds (or
// very few do) replaced by its nearest spelling, the one most pages hold
// among the nearest, if that finds some pages with r's filters and no fewer
// than total; "" otherwise.
func (x *Index) suggest(ctx context.Context, tbl *table, r Request, units []unit, total int) string {
	voc := x.vocabulary()
	type swap struct {
		from, to int
		word     string
	}
	var swaps []swap
	for _, u := range units {
		if u.to == 0 || u.phrase || len(u.alts) > 0 || u.stop {
			continue
		}
		var cands []analysis.Near
		switch have := voc.Count(u.text); {
		case !u.known && len(u.near) > 0:
			cands = u.near
		case !u.known && utf8.RuneCountInString(u.text) == 3:
			// A hint may allow a three-letter word the one edit a match does
			// not: "ERP" for "EPR". Longer words already had theirs ("covid"
			// is not "could").
			cands = voc.Near(ctx, u.text, 1, maxNear)
		case have <= fewResults:
			for _, n := range voc.Near(ctx, u.text, analysis.Allowance(u.text), maxNear) {
				if n.Pages >= rarer*max(have, 1) {
					cands = append(cands, n)
				}
			}
		}
		if len(cands) > 0 { // nearest first, then the most used
			word := cands[0].Word
			if typed := r.Query[u.from:u.to]; typed == strings.ToUpper(typed) {
				word = strings.ToUpper(word) // an acronym stays one
			}
			swaps = append(swaps, swap{u.from, u.to, word})
		}
	}
	if len(swaps) == 0 {
		return ""
	}
	var b strings.Builder
	at := 0
	for _, s := range swaps {
		b.WriteString(r.Query[at:s.from])
		b.WriteString(s.word)
		at = s.to
	}
	b.WriteString(r.Query[at:])
	sugg := b.String()
	// Near spellings may already have found what the suggestion finds: it
	// still says what was searched for.
	if x.count(ctx, tbl, r, sugg) < max(total, 1) {
		return ""
	}
	return sugg
}

// count is how many pages the query q finds with r's filters.
func (x *Index) count(ctx context.Context, tbl *table, r Request, q string) int {
	units, _, err := x.units(q)
	if err != nil {
		return 0
	}
	x.expand(ctx, units)
	if matchesNothing(units) {
		return 0
	}
	text := x.textQuery(units)
	if text == nil {
		return 0
	}
	matches, err := x.match(ctx, tbl, text, true, true)
	if err != nil {
		return 0
	}
	f := newFilter(r, tbl)
	n := 0
	for _, m := range matches {
		if f.keep(&tbl.rows[m.row], "") {
			n++
		}
	}
	return n
}
