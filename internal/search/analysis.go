package search

import (
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	porterstemmer "github.com/blevesearch/go-porterstemmer"
)

// English text analysis, as bleve's "en" analyser does it (words, possessive
// 's dropped, lower case, stop words, Porter stems), with two cheaper parts:
// a word splitter that handles ASCII without the full Unicode segmentation
// state machine, and a stemmer that remembers the stems it has made. On a
// 10,000-page site those two were a third of the time spent indexing, and
// most words recur thousands of times.
const (
	textAnalyzer  = "kb-en"
	wordTokenizer = "kb-words"
	stemFilter    = "kb-stem"
)

func init() {
	if err := registry.RegisterTokenizer(wordTokenizer, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return words{}, nil
	}); err != nil {
		panic(err)
	}
	if err := registry.RegisterTokenFilter(stemFilter, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return &stems{m: map[string][]byte{}}, nil
	}); err != nil {
		panic(err)
	}
}

// addTextAnalyzer defines the English analyser in m; the definition is saved
// with the index, so a reader analyses queries exactly as the writer did.
func addTextAnalyzer(m *mapping.IndexMappingImpl) error {
	return m.AddCustomAnalyzer(textAnalyzer, map[string]any{
		"type":          custom.Name,
		"tokenizer":     wordTokenizer,
		"token_filters": []any{en.PossessiveName, lowercase.Name, en.StopName, stemFilter},
	})
}

// words splits text into words: runs of letters, digits, marks and
// underscores. An apostrophe, full stop or colon between two letters stays
// inside the word ("trust's", "e.g"), and a full stop or comma between two
// digits inside the number ("1.5", "10,000"), as Unicode word boundaries
// have it. Each ideograph is a word of its own.
type words struct{}

func (words) Tokenize(input []byte) analysis.TokenStream {
	// Two passes, counting then filling, so that a page's tokens take one
	// allocation of the right size: tokens were a fifth of what indexing
	// allocated, and the garbage collector's work grows with it.
	n := 0
	split(input, func(int, int) { n++ })
	toks := make([]analysis.Token, n)
	out := make(analysis.TokenStream, n)
	i := 0
	split(input, func(from, to int) {
		toks[i] = analysis.Token{Term: input[from:to], Start: from, End: to, Position: i + 1, Type: tokenType(input[from:to])}
		out[i] = &toks[i]
		i++
	})
	return out
}

// split calls word with the offsets of each word of input, in order.
func split(input []byte, word func(from, to int)) {
	start := -1 // start of the word being read, or -1
	for i := 0; i < len(input); {
		r, size := rune(input[i]), 1
		if r < utf8.RuneSelf && asciiWord[r] { // most of English text
			if start < 0 {
				start = i
			}
			i++
			continue
		}
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(input[i:])
		}
		switch {
		case isIdeograph(r):
			if start >= 0 {
				word(start, i)
				start = -1
			}
			word(i, i+size)
		case isWordRune(r):
			if start < 0 {
				start = i
			}
		case start >= 0 && joins(input, start, i, r, size):
			// stays inside the word
		default:
			if start >= 0 {
				word(start, i)
				start = -1
			}
		}
		i += size
	}
	if start >= 0 {
		word(start, len(input))
	}
}

// asciiWord marks the ASCII characters words are made of.
var asciiWord = func() (w [utf8.RuneSelf]bool) {
	for c := range w {
		w[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
	}
	return w
}()

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord[r]
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

func isIdeograph(r rune) bool {
	return r >= 0x2E80 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r))
}

// joins reports whether the punctuation r at input[i:] sits between two
// letters (apostrophe, full stop, colon) or two digits (full stop, comma) of
// the word that began at start.
func joins(input []byte, start, i int, r rune, size int) bool {
	letters := r == '\'' || r == '’' || r == '.' || r == ':'
	digits := r == '.' || r == ','
	if !letters && !digits || i+size >= len(input) {
		return false
	}
	before, _ := utf8.DecodeLastRune(input[start:i])
	after, _ := utf8.DecodeRune(input[i+size:])
	return letters && isLetter(before) && isLetter(after) || digits && isDigit(before) && isDigit(after)
}

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r)
}

func isDigit(r rune) bool {
	if r < utf8.RuneSelf {
		return '0' <= r && r <= '9'
	}
	return unicode.IsDigit(r)
}

func tokenType(term []byte) analysis.TokenType {
	for _, c := range term {
		if c < '0' || c > '9' {
			return analysis.AlphaNumeric
		}
	}
	return analysis.Numeric
}

// maxStems bounds the stemmer's memory: a site's vocabulary is a few tens
// of thousands of words, and past the bound words are stemmed every time.
const maxStems = 1 << 18

// stems is the Porter stemmer with a memory. Stems handed out are shared
// between tokens and never written to: no filter runs after this one.
type stems struct {
	mu sync.RWMutex
	m  map[string][]byte
}

func (s *stems) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, t := range input {
		if t.KeyWord {
			continue
		}
		s.mu.RLock()
		stem, ok := s.m[string(t.Term)]
		s.mu.RUnlock()
		if !ok {
			stem = stemOf(t.Term)
			s.mu.Lock()
			if len(s.m) < maxStems {
				s.m[string(t.Term)] = stem
			}
			s.mu.Unlock()
		}
		t.Term = stem
	}
	return input
}

func stemOf(term []byte) []byte {
	return analysis.BuildTermFromRunes(porterstemmer.StemWithoutLowerCasing([]rune(string(term))))
}
