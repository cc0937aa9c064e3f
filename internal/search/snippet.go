package search

import (
	"html"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/blevesearch/bleve/v2/analysis"

	kbanalysis "github.com/nhsx/kb/internal/search/analysis"
)

// Snippets are made here, from the prose the index stores for each page
// (markdown's SearchText: one block a line, navigation left out), rather than
// by bleve's highlighter from term vectors: a snippet then never runs a
// heading into a list item or a table cell into the next, and the index need
// not keep where each word stands in the text.

// snippetLen is about how many characters of text a snippet shows.
const snippetLen = 200

// ellipsis marks where a snippet cuts a sentence.
const ellipsis = "…"

// wanted is a word of the text whose term the query asked for.
type wanted struct {
	from, to int // byte offsets in the text
	term     string
}

// sentence is a run of text that ends at a full stop, question or
// exclamation mark followed by a space, or at the end of its block (line).
type sentence struct {
	from, to int // without the spaces around it
	block    int // the line it is on
}

// snippet returns the passage of text that best shows the terms, as HTML:
// escaped, with each word of a wanted term in <mark>, starting and ending at
// a word, with "…" where it cuts a sentence. It stays within one block. It is
// "" when text holds no wanted term.
func (x *Index) snippet(text string, terms map[string]bool) string {
	return x.marker(terms).snippet(text)
}

// marker finds the words of some terms in texts: the hits of a results page
// share one, so each word as written is analysed once a page, not once a hit.
type marker struct {
	analyzer analysis.Analyzer
	terms    map[string]bool
	ascii    [utf8.RuneSelf]bool // the terms' first letters, either case
	firsts   []rune              // the terms' first letters beyond ASCII
	seen     map[string]string   // word as written → its wanted term, or ""
	// heads are the terms' first letters but the last, at most three, when
	// all are ASCII (else nil): the stemmer changes only a word's ending, so
	// a word has a term only if it starts with that term's head.
	heads []string
}

func (x *Index) marker(terms map[string]bool) *marker {
	m := &marker{analyzer: x.mapping.AnalyzerNamed(kbanalysis.TextAnalyzer), terms: terms, seen: map[string]string{}}
	ascii := true
	for t := range terms {
		h := t[:min(len(t), 3, max(1, len(t)-1))]
		for i := range len(h) {
			ascii = ascii && h[i] < utf8.RuneSelf
		}
		m.heads = append(m.heads, h)
		r, _ := utf8.DecodeRuneInString(t)
		m.firsts = append(m.firsts, r)
		if r < utf8.RuneSelf && unicode.ToLower(r) == r {
			m.ascii[r] = true
			m.ascii[unicode.ToUpper(r)] = true
		}
	}
	if !ascii {
		m.heads = nil
	}
	return m
}

// headed reports whether word could have one of m's terms by its first
// letters: whether it starts with a head, ignoring ASCII case, or has a
// letter beyond ASCII there (which may lower-case to ASCII).
func (m *marker) headed(word string) bool {
	if m.heads == nil {
		return true
	}
	for _, h := range m.heads {
		if len(word) < len(h) {
			continue
		}
		i := 0
		for ; i < len(h); i++ {
			c := word[i]
			if c >= utf8.RuneSelf {
				return true
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != h[i] {
				break
			}
		}
		if i == len(h) {
			return true
		}
	}
	return false
}

// snippet is Index.snippet with m's terms.
func (m *marker) snippet(text string) string {
	if len(m.terms) == 0 {
		return ""
	}
	words := m.wanted(text)
	if len(words) == 0 {
		return ""
	}
	ss := sentences(text, words)
	best := bestSentence(ss, words)
	from, to := widen(ss, best)
	if to-from > snippetLen {
		from, to = cut(text, ss[best], words)
	}
	var b strings.Builder
	if !startsSentence(ss, from) {
		b.WriteString(ellipsis)
	}
	at := from
	for _, w := range words {
		if w.from < from || w.to > to {
			continue
		}
		b.WriteString(html.EscapeString(text[at:w.from]))
		b.WriteString("<mark>" + html.EscapeString(text[w.from:w.to]) + "</mark>")
		at = w.to
	}
	b.WriteString(html.EscapeString(text[at:to]))
	if !endsSentence(ss, to) {
		b.WriteString(ellipsis)
	}
	return b.String()
}

// wanted lists the words of text whose terms are among m's terms, in order.
// Analysing all of a page's text for each hit shown cost more than the rest
// of a search, so only the words that start as some term does (a stem keeps
// its word's first letter) are analysed, one by one, and each only once.
func (m *marker) wanted(text string) []wanted {
	if m.analyzer == nil {
		return nil
	}
	var out []wanted
	base := 0 // where the input split reads starts in text
	visit := func(from, to int) {
		from, to = base+from, base+to
		word := text[from:to]
		if word == "" {
			return
		}
		if c := word[0]; c < utf8.RuneSelf {
			if !m.ascii[c] {
				return
			}
		} else if r, _ := utf8.DecodeRuneInString(word); !slices.Contains(m.firsts, unicode.ToLower(r)) {
			return
		}
		if !m.headed(word) {
			return
		}
		term, ok := m.seen[word]
		if !ok {
			for _, t := range m.analyzer.Analyze([]byte(word)) {
				if m.terms[string(t.Term)] {
					term = string(t.Term)
				}
			}
			m.seen[word] = term // the page's text outlives m
		}
		if term != "" {
			out = append(out, wanted{from: from, to: to, term: term})
		}
	}
	// split only reads its input: text's bytes need no copy.
	bytes := unsafe.Slice(unsafe.StringData(text), len(text))
	if m.heads == nil {
		kbanalysis.Split(bytes, visit)
		return out
	}
	// No word runs over a space or a line's end, so the text is split only
	// in the runs between them where a head, or a letter beyond ASCII,
	// could start a word: few, and finding them is cheaper than splitting.
	var class [256]uint8 // 1 for the ends of runs, 2 for a word's possible start
	class[' '], class['\n'] = 1, 1
	for c := range 256 {
		if c >= utf8.RuneSelf || m.ascii[c] {
			class[c] = 2
		}
	}
	start, could := 0, false
	for i := 0; i < len(text); i++ {
		switch class[text[i]] {
		case 1:
			if could {
				base = start
				kbanalysis.Split(bytes[start:i], visit)
			}
			start, could = i+1, false
		case 2:
			could = could || text[i] >= utf8.RuneSelf || m.headed(text[i:])
		}
	}
	if could {
		base = start
		kbanalysis.Split(bytes[start:], visit)
	}
	return out
}

// sentences splits text into its sentences, block by block, in the blocks
// that hold a wanted word of words (in order): a snippet stays within one.
func sentences(text string, words []wanted) []sentence {
	var out []sentence
	add := func(from, to, block int) {
		for from < to && text[from] == ' ' {
			from++
		}
		for to > from && text[to-1] == ' ' {
			to--
		}
		if from < to {
			out = append(out, sentence{from, to, block})
		}
	}
	block, w := 0, 0
	for start := 0; start < len(text); block++ {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		for w < len(words) && words[w].from < start {
			w++
		}
		if w == len(words) {
			break
		}
		if words[w].from >= end {
			start = end + 1
			continue
		}
		from := start
		for i := start; i+1 < end; i++ {
			if c := text[i]; (c == '.' || c == '?' || c == '!') && text[i+1] == ' ' && startsUpper(text[i+2:end]) {
				add(from, i+1, block)
				from = i + 1
			}
		}
		add(from, end, block)
		start = end + 1
	}
	return out
}

// startsUpper reports whether s, after spaces, starts with a capital letter
// or a digit: what follows the full stop of a sentence rather than of "e.g.".
func startsUpper(s string) bool {
	s = strings.TrimLeft(s, " ")
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// bestSentence picks the sentence with the most different wanted terms,
// then one long enough to read as a sentence (not a heading or a table
// cell), then the most wanted words; the first of equals.
func bestSentence(ss []sentence, words []wanted) int {
	best, bestScore := 0, [3]int{-1}
	var seen []string // the terms in the sentence: few, so a slice
	w := 0
	for i, s := range ss {
		for w < len(words) && words[w].from < s.from {
			w++
		}
		seen = seen[:0]
		count := 0
		for j := w; j < len(words) && words[j].to <= s.to; j++ {
			if !slices.Contains(seen, words[j].term) {
				seen = append(seen, words[j].term)
			}
			count++
		}
		if count == 0 {
			continue
		}
		long := 0
		if s.to-s.from >= snippetLen/4 {
			long = 1
		}
		if score := [3]int{len(seen), long, count}; greater(score, bestScore) {
			best, bestScore = i, score
		}
	}
	return best
}

func greater(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] > b[i]
		}
	}
	return false
}

// widen adds to sentence i the sentences after it in its block, then those
// before it, while the whole stays within snippetLen.
func widen(ss []sentence, i int) (from, to int) {
	from, to = ss[i].from, ss[i].to
	for j := i + 1; j < len(ss) && ss[j].block == ss[i].block && ss[j].to-from <= snippetLen; j++ {
		to = ss[j].to
	}
	for j := i - 1; j >= 0 && ss[j].block == ss[i].block && to-ss[j].from <= snippetLen; j-- {
		from = ss[j].from
	}
	return from, to
}

// cut takes about snippetLen characters of a long sentence s, from its start
// if its first wanted word is near enough, or else from a word shortly before
// that word (or further back, to end with the sentence), ending at a word.
func cut(text string, s sentence, words []wanted) (from, to int) {
	first := s.from
	for _, w := range words {
		if w.from >= s.from {
			first = w.from
			break
		}
	}
	from = s.from
	if first+snippetLen/4 > s.from+snippetLen {
		from = wordAfter(text, max(s.from, min(first-snippetLen/4, s.to-snippetLen)), first)
	}
	to = s.to
	if to-from > snippetLen {
		to = wordBefore(text, from+snippetLen, from)
	}
	return from, to
}

// wordAfter returns the start of the first word at or after i (no further
// than limit, a word's start): i itself when a word starts there.
func wordAfter(text string, i, limit int) int {
	if i == 0 || text[i-1] == ' ' {
		return i
	}
	if j := strings.IndexByte(text[i:limit], ' '); j >= 0 {
		return i + j + 1
	}
	return limit
}

// wordBefore returns the end of the last word that ends at or before i and
// after floor, or, if a word runs from floor past i, that word's end.
func wordBefore(text string, i, floor int) int {
	if i < len(text) && text[i] != ' ' && text[i] != '\n' {
		if j := strings.LastIndexByte(text[floor:i], ' '); j > 0 {
			i = floor + j
		} else if j := strings.IndexAny(text[i:], " \n"); j >= 0 {
			i += j
		} else {
			i = len(text)
		}
	}
	return floor + len(strings.TrimRight(text[floor:i], " "))
}

// startsSentence reports whether a sentence starts at byte i.
func startsSentence(ss []sentence, i int) bool {
	j := sort.Search(len(ss), func(j int) bool { return ss[j].from >= i })
	return j < len(ss) && ss[j].from == i
}

// endsSentence reports whether a sentence ends at byte i.
func endsSentence(ss []sentence, i int) bool {
	j := sort.Search(len(ss), func(j int) bool { return ss[j].to >= i })
	return j < len(ss) && ss[j].to == i
}

// markTerms is the set of terms a snippet marks for the units: those of each
// word and phrase, of its vocabulary alternatives and of its near spellings
// and, with prefixes (the title and summary match completions of the last
// word, the body does not), of its completions. Words that count only as
// part of a phrase are unmarked afterwards where they stand alone (see
// unmarkStray).
func (x *Index) markTerms(units []unit, prefixes bool) map[string]bool {
	out := map[string]bool{}
	add := func(text string) {
		for _, t := range x.terms(text) {
			out[t] = true
		}
	}
	for _, u := range units {
		if u.stop {
			continue
		}
		add(u.text)
		for _, alt := range u.alts {
			add(alt)
		}
		for _, n := range u.near {
			add(n.Word)
		}
		if prefixes {
			for _, p := range u.prefix {
				add(p.Word)
			}
		}
	}
	return out
}
