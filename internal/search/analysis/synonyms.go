package analysis

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/nhsx/kb/internal/diag"
)

// SynonymsFile is the knowledge base's NHS vocabulary, at the source root:
// one group of equivalent terms a line, separated by commas; # starts a comment.
const SynonymsFile = "synonyms.txt"

// Synonyms maps each term of the NHS vocabulary to its group. Each page's
// mentions of the groups are indexed as concept tokens (see concepts); a
// query expands a term to its group's concept and, in the short fields, to
// its alternatives. The index stores the list it was built with.
type Synonyms struct {
	text     string              // the file as read, kept in the index so an opened index has it
	groups   map[string][]string // normalised term → every term of its group
	longest  int                 // the most words in one term, for longest-match lookup
	concepts concepts            // the groups again, for finding them in pages' text
}

// ReadSynonyms reads <source>/synonyms.txt. A site without one gets an empty
// vocabulary; a malformed line is an error naming its line.
func ReadSynonyms(source string) (*Synonyms, error) {
	path := filepath.Join(source, SynonymsFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return ParseSynonyms("", path)
	}
	if err != nil {
		return nil, err
	}
	return ParseSynonyms(string(data), SynonymsFile)
}

// ParseSynonyms parses the vocabulary; name is used in error messages, which
// list every bad line at once.
func ParseSynonyms(text, name string) (*Synonyms, error) {
	var errs diag.List
	s := &Synonyms{text: text, groups: map[string][]string{},
		concepts: concepts{byKey: map[string][]int{}, first: map[string][]cand{}}}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		var group []string
		for _, t := range strings.Split(l, ",") {
			if t = NormPhrase(t); t != "" {
				group = append(group, t)
			}
		}
		if len(group) < 2 {
			errs.Addf(diag.Pos{File: name, Line: line, Col: 1}, "a synonym group needs at least two terms separated by commas, such as: epr, electronic patient record")
			continue
		}
		for _, t := range group {
			s.groups[t] = append(s.groups[t], group...)
			s.longest = max(s.longest, len(strings.Fields(t)))
			s.concepts.add(t, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// Len is the number of terms with synonyms.
func (s *Synonyms) Len() int { return len(s.groups) }

// Text is the vocabulary as it was read, which an index stores so that it
// can be opened without the site, and which tells two vocabularies apart.
func (s *Synonyms) Text() string { return s.text }

// Longest is the most words in one term, for longest-match look-ups.
func (s *Synonyms) Longest() int { return s.longest }

// Has reports whether a normalised term belongs to a group.
func (s *Synonyms) Has(term string) bool { return s.groups[term] != nil }

// Concepts lists a concept token for every mention of a vocabulary term in
// texts, read as one text with a line break between each (see concepts), to
// be indexed with the page: a page's fields are scanned without joining them.
func (s *Synonyms) Concepts(texts ...string) string { return s.concepts.find(texts) }

// ConceptGroups returns the groups a query term belongs to, each searched
// for as its ConceptToken.
func (s *Synonyms) ConceptGroups(term string) []int { return s.concepts.groupsOf(term) }

// Alternatives returns the other terms of the group(s) a normalised term
// belongs to, or nil.
func (s *Synonyms) Alternatives(term string) []string {
	var alts []string
	seen := map[string]bool{term: true}
	for _, t := range s.groups[term] {
		if !seen[t] {
			seen[t] = true
			alts = append(alts, t)
		}
	}
	return alts
}

// NormWord lowercases a word and trims the punctuation people type around
// words, keeping what is inside them (e-prescribing, a&e, dm+d).
func NormWord(w string) string {
	return strings.Trim(strings.ToLower(w), WordTrim)
}

// WordTrim is the punctuation people type around words.
const WordTrim = `.,;:!?()[]{}"'“”‘’`

// NormPhrase normalises each word of a multi-word term.
func NormPhrase(p string) string {
	ws := strings.Fields(p)
	for i, w := range ws {
		ws[i] = NormWord(w)
	}
	return strings.Join(ws, " ")
}
