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
			if t = normPhrase(t); t != "" {
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

// alternatives returns the other terms of the group(s) a normalised term
// belongs to, or nil.
func (s *Synonyms) alternatives(term string) []string {
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

// normWord lowercases a word and trims the punctuation people type around
// words, keeping what is inside them (e-prescribing, a&e, dm+d).
func normWord(w string) string {
	return strings.Trim(strings.ToLower(w), wordTrim)
}

// wordTrim is the punctuation people type around words.
const wordTrim = `.,;:!?()[]{}"'“”‘’`

// normPhrase normalises each word of a multi-word term.
func normPhrase(p string) string {
	ws := strings.Fields(p)
	for i, w := range ws {
		ws[i] = normWord(w)
	}
	return strings.Join(ws, " ")
}
