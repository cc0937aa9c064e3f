package analysis

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Concepts are the synonym groups found in a page's text, indexed as one
// token per mention ("c12" for the group of EPR, electronic patient record…).
// A query for any term of a group then needs one term lookup instead of a
// phrase search of every alternative through every page's body, which was
// most of the cost of an acronym query on a 10,000-page site.
type concepts struct {
	byKey map[string][]int  // a term's concept key → its groups
	first map[string][]cand // first token → the terms starting with it, longest first
}

type cand struct {
	tokens []string
	groups []int
}

// ConceptToken names a group in the concepts field.
func ConceptToken(group int) string { return string(appendConceptToken(nil, group)) }

func appendConceptToken(b []byte, group int) []byte {
	return strconv.AppendInt(append(b, 'c'), int64(group), 10)
}

// conceptWords splits text into lower-case words of letters and digits, with
// a plural s dropped, so "EPRs", "e-prescribing" and "Dm+d" compare with the
// vocabulary the same way at index and at query time.
func conceptWords(text string) []string {
	var words []string
	sc := wordScanner{text: text}
	for w, ok := sc.next(); ok; w, ok = sc.next() {
		words = append(words, string(w))
	}
	return words
}

// wordScanner reads the words of a text one at a time, normalised as
// conceptWords has them, into a buffer it reuses: scanning every page's
// text for vocabulary terms then allocates nothing for the words that are
// not terms, which are nearly all of them.
type wordScanner struct {
	text string
	pos  int
	// rest are the texts after text, read as if each followed a line
	// break: a page's fields are scanned as one text without being joined.
	rest []string
	buf  []byte
}

// next returns the next word, valid until the following call, or false at
// the end of the text.
func (s *wordScanner) next() ([]byte, bool) {
	s.buf = s.buf[:0]
	for {
		if w, ok := s.word(); ok {
			return w, true
		}
		if len(s.rest) == 0 {
			return nil, false
		}
		s.text, s.pos, s.rest = s.rest[0], 0, s.rest[1:]
	}
}

// word reads the next word of the text at hand, as next does.
func (s *wordScanner) word() ([]byte, bool) {
	for s.pos < len(s.text) {
		c, size := rune(s.text[s.pos]), 1
		if c >= utf8.RuneSelf {
			c, size = utf8.DecodeRuneInString(s.text[s.pos:])
		}
		s.pos += size
		switch {
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			s.buf = append(s.buf, byte(c))
		case 'A' <= c && c <= 'Z':
			s.buf = append(s.buf, byte(c)+'a'-'A')
		case c >= utf8.RuneSelf && (isLetter(c) || isDigit(c)):
			s.buf = utf8.AppendRune(s.buf, unicode.ToLower(c))
		case len(s.buf) > 0:
			return singularBytes(s.buf), true
		}
	}
	if len(s.buf) > 0 {
		return singularBytes(s.buf), true
	}
	return nil, false
}

// singularBytes drops a plural s: "records" is "record", "ss" stays.
func singularBytes(w []byte) []byte {
	if n := len(w); n > 3 && w[n-1] == 's' && w[n-2] != 's' {
		return w[:n-1]
	}
	return w
}

// add records one term of group g.
func (c *concepts) add(term string, g int) {
	words := conceptWords(term)
	if len(words) == 0 {
		return
	}
	key := strings.Join(words, " ")
	for _, have := range c.byKey[key] {
		if have == g {
			return
		}
	}
	c.byKey[key] = append(c.byKey[key], g)
	list := c.first[words[0]]
	for i := range list {
		if strings.Join(list[i].tokens, " ") == key {
			list[i].groups = append(list[i].groups, g)
			return
		}
	}
	list = append(list, cand{tokens: words, groups: []int{g}})
	sort.SliceStable(list, func(i, j int) bool { return len(list[i].tokens) > len(list[j].tokens) })
	c.first[words[0]] = list
}

// groupsOf returns the groups a query term belongs to.
func (c *concepts) groupsOf(term string) []int {
	return c.byKey[strings.Join(conceptWords(term), " ")]
}

// find lists a token for every mention of a vocabulary term in texts (read
// as one text, with a line break between each), taking the longest term at
// each place.
func (c *concepts) find(texts []string) string {
	if len(texts) == 0 {
		return ""
	}
	var out []byte
	sc := wordScanner{text: texts[0], rest: texts[1:]}
	var spare []byte // the look-ahead's buffer
	for w, ok := sc.next(); ok; w, ok = sc.next() {
		for _, t := range c.first[string(w)] {
			ahead, ok := follows(sc, spare, t.tokens[1:])
			if !ok {
				spare = ahead.buf
				continue
			}
			for _, g := range t.groups {
				if len(out) > 0 {
					out = append(out, ' ')
				}
				out = appendConceptToken(out, g)
			}
			sc, spare = ahead, sc.buf // the two buffers trade places
			break
		}
	}
	return string(out)
}

// follows reports whether the words after sc's position are tokens, reading
// them into buf, and returns the scanner past them. sc is a copy: the
// caller's stays put.
func follows(sc wordScanner, buf []byte, tokens []string) (wordScanner, bool) {
	sc.buf = buf
	for _, tok := range tokens {
		if w, ok := sc.next(); !ok || string(w) != tok {
			return sc, false
		}
	}
	return sc, true
}
