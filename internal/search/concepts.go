package search

import (
	"sort"
	"strconv"
	"strings"
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

// conceptToken names a group in the concepts field.
func conceptToken(group int) string { return "c" + strconv.Itoa(group) }

// conceptWords splits text into lower-case words of letters and digits, with
// a plural s dropped, so "EPRs", "e-prescribing" and "Dm+d" compare with the
// vocabulary the same way at index and at query time.
func conceptWords(text string) []string {
	words := make([]string, 0, len(text)/6+1)
	start, lower := -1, true // the word being read, and whether it is lower case already
	for i := 0; i < len(text); {
		c, size := rune(text[i]), 1
		if c >= utf8.RuneSelf {
			c, size = utf8.DecodeRuneInString(text[i:])
		}
		if isLetter(c) || isDigit(c) {
			if start < 0 {
				start, lower = i, true
			}
			lower = lower && (c < utf8.RuneSelf && !('A' <= c && c <= 'Z'))
		} else if start >= 0 {
			words = append(words, conceptWord(text[start:i], lower))
			start = -1
		}
		i += size
	}
	if start >= 0 {
		words = append(words, conceptWord(text[start:], lower))
	}
	return words
}

// conceptWord lower-cases a word only when it needs it: most words do not,
// and lower-casing a whole page's text was much of the cost of the scan.
func conceptWord(w string, lower bool) string {
	if !lower {
		w = strings.ToLower(w)
	}
	return singular(w)
}

func singular(w string) string {
	if len(w) > 3 && w[len(w)-1] == 's' && w[len(w)-2] != 's' {
		return w[:len(w)-1]
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

// find lists a token for every mention of a vocabulary term in text, taking
// the longest term at each place.
func (c *concepts) find(text string) string {
	words := conceptWords(text)
	var out []string
	for i := 0; i < len(words); i++ {
		for _, t := range c.first[words[i]] {
			if i+len(t.tokens) <= len(words) && equal(words[i:i+len(t.tokens)], t.tokens) {
				for _, g := range t.groups {
					out = append(out, conceptToken(g))
				}
				i += len(t.tokens) - 1
				break
			}
		}
	}
	return strings.Join(out, " ")
}

func equal(a, b []string) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
