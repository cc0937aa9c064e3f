package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nhsx/kb/internal/search/analysis"
)

// unit is one thing the searcher asked for: a word, a quoted phrase, or a run
// of words that is a term of the NHS vocabulary (with its synonyms).
type unit struct {
	text   string
	phrase bool
	last   bool     // the last word typed, which may be unfinished
	alts   []string // equivalent terms from the vocabulary
	// from and to are the word's place in the query, to replace it in a
	// suggestion; both 0 where it has none (phrases, merged terms).
	from, to int

	// What expand found out about a word.
	stop   bool            // a stop word, which is not searched for
	known  bool            // some page holds the word (its stem) in a searched field
	near   []analysis.Near // near spellings, for a word no page holds
	prefix []analysis.Near // words it starts, if it is the last word typed
}

// MaxQueryWords bounds the words of a query that are searched for: each costs a
// lookup in every field and, if no page has it, a pass over the vocabulary.
// Stop words do not count, and are not searched for; later words are left
// out, and the answer says so.
const MaxQueryWords = 12

// Limits on what one word may stand for: near spellings and completions
// beyond these are the least used and the furthest, and each costs a term
// lookup in every field.
const (
	maxNear     = 8
	maxPrefixed = 8
)

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
			raw := q[i : i+end]
			trimmed := strings.TrimLeft(raw, analysis.WordTrim)
			from := i + len(raw) - len(trimmed)
			trimmed = strings.TrimRight(trimmed, analysis.WordTrim)
			if w := analysis.NormWord(trimmed); w != "" {
				u := unit{text: w}
				if len(w) == len(trimmed) { // offsets into w are offsets into q
					u.from, u.to = from, from+len(trimmed)
				}
				units = append(units, u)
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

// units reads q as the words to search for: vocabulary terms found first
// as typed ("e-prescribing"), then the other words split where punctuation
// joins them, each part a word that must match ("long-covid" is "long" and
// "covid"), and the parts looked up as vocabulary terms again ("hospital at
// home"). Words past MaxQueryWords are left out, and dropped says so.
func (x *Index) units(q string) (units []unit, dropped bool, err error) {
	units, err = parseQuery(q)
	if err != nil {
		return nil, false, err
	}
	units, dropped = x.splitJoined(applySynonyms(x.synonyms, units))
	units = applySynonyms(x.synonyms, units)
	// Stop words have done their part, joining vocabulary terms.
	kept := units[:0]
	for _, u := range units {
		if !x.analyses(u.text) {
			continue
		}
		if len(kept) == MaxQueryWords {
			return kept, true, nil
		}
		kept = append(kept, u)
	}
	return kept, dropped, nil
}

// splitJoined splits each word that is not a vocabulary term into the parts
// the index has as words, and those again at full stops, apostrophes and
// colons (which the index keeps inside a word, as in "e.g") unless a page
// has the whole. A possessive 's is no part of its own.
func (x *Index) splitJoined(units []unit) (out []unit, dropped bool) {
	voc := x.vocabulary()
	for _, u := range units {
		if len(out) >= maxParts {
			return out, true
		}
		if u.phrase || len(u.alts) > 0 {
			out = append(out, u)
			continue
		}
		var parts []unit
		add := func(from, to int) {
			p := unit{text: u.text[from:to]}
			if u.to > 0 {
				p.from, p.to = u.from+from, u.from+to
			}
			parts = append(parts, p)
		}
		analysis.Split([]byte(u.text), func(from, to int) {
			w := u.text[from:to]
			if strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "’s") {
				w = w[:strings.LastIndexAny(w, "'’")]
				to = from + len(w)
			}
			if !strings.ContainsAny(w, ".:'’") || voc.Count(w) > 0 || x.known(w) {
				add(from, to)
				return
			}
			for i := 0; i < len(w); {
				n := strings.IndexAny(w[i:], ".:'’")
				if n < 0 {
					n = len(w) - i
				}
				if n > 0 {
					add(from+i, from+i+n)
				}
				_, size := utf8.DecodeRuneInString(w[i+n:])
				i += n + size
			}
		})
		if len(parts) == 0 {
			continue
		}
		if len(parts) == 1 && parts[0].text == u.text {
			out = append(out, u)
			continue
		}
		parts[len(parts)-1].last = u.last
		out = append(out, parts...)
	}
	if len(out) > maxParts {
		return out[:maxParts], true
	}
	return out, false
}

// maxParts bounds the words and parts of words (stop words included) that
// are looked up as vocabulary terms, before stop words are dropped.
const maxParts = 4 * MaxQueryWords

// applySynonyms merges runs of words that form a vocabulary term, longest
// first, into one unit carrying the term's synonyms. Phrases match whole.
func applySynonyms(s *analysis.Synonyms, units []unit) []unit {
	var out []unit
	for i := 0; i < len(units); {
		u := units[i]
		if u.phrase {
			u.alts = s.Alternatives(analysis.NormPhrase(u.text))
			out = append(out, u)
			i++
			continue
		}
		n := longestMatch(s, units[i:])
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
		out = append(out, unit{text: term, phrase: n > 1, alts: s.Alternatives(term)})
		i += n
	}
	return out
}

// longestMatch is how many leading words of us form a vocabulary term.
func longestMatch(s *analysis.Synonyms, us []unit) int {
	for n := min(s.Longest(), len(us)); n > 0; n-- {
		words := make([]string, 0, n)
		for _, u := range us[:n] {
			if u.phrase {
				break
			}
			words = append(words, u.text)
		}
		if len(words) == n && s.Has(strings.Join(words, " ")) {
			return n
		}
	}
	return 0
}
