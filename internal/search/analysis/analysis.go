// Package analysis is how kb reads words, at index and at query time alike:
// the word splitter and English filter bleve indexes with, the vocabulary of
// words as written that near spellings are found in, and the NHS synonyms.
// It is a leaf: it knows bleve's analysis interfaces and nothing of kb's
// index, site or web pages.
package analysis

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
// state machine, and one filter that runs bleve's filters and the stemmer
// once for each word as written and remembers the outcome. On a
// 10,000-page site the splitting and the filters were most of the time
// spent analysing, and most words recur thousands of times.
const (
	TextAnalyzer  = "kb-en"
	wordTokenizer = "kb-words"
	englishFilter = "kb-english"
)

// The text fields are indexed with the same analysis, less the words' byte
// offsets: phrases need each word's position, but nothing reads where it
// stands in the text (snippets analyse the stored prose again), and zeros
// take a byte each in the index where offsets took two or three.
const (
	IndexAnalyzer  = "kb-en-positions"
	indexTokenizer = "kb-words-positions"
)

func init() {
	if err := registry.RegisterTokenizer(wordTokenizer, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return words{}, nil
	}); err != nil {
		panic(err)
	}
	if err := registry.RegisterTokenizer(indexTokenizer, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return words{noOffsets: true}, nil
	}); err != nil {
		panic(err)
	}
	if err := registry.RegisterTokenFilter(englishFilter, newEnglish); err != nil {
		panic(err)
	}
}

// AddTextAnalyzers defines the English analysers in m; the definitions are
// saved with the index, so a reader analyses queries exactly as the writer did.
func AddTextAnalyzers(m *mapping.IndexMappingImpl) error {
	for name, tokenizer := range map[string]string{TextAnalyzer: wordTokenizer, IndexAnalyzer: indexTokenizer} {
		if err := m.AddCustomAnalyzer(name, map[string]any{
			"type":          custom.Name,
			"tokenizer":     tokenizer,
			"token_filters": []any{englishFilter},
		}); err != nil {
			return err
		}
	}
	return nil
}

// words splits text into words: runs of letters, digits, marks and
// underscores. An apostrophe, full stop or colon between two letters stays
// inside the word ("trust's", "e.g"), and a full stop or comma between two
// digits inside the number ("1.5", "10,000"), as Unicode word boundaries
// have it. Each ideograph is a word of its own. With noOffsets set, tokens
// carry their positions only.
type words struct{ noOffsets bool }

func (w words) Tokenize(input []byte) analysis.TokenStream {
	// The words are counted first, then made in one slab with the stream
	// of pointers to them at its exact length: tokens were a fifth of what
	// indexing allocated, and the garbage collector's work grows with it.
	// Sized from the text's length instead, a page's title, summary, tags
	// and headings each took room for about twice their words, and more
	// than a kilobyte spare; counting costs a second pass over a few
	// hundred bytes.
	n := 0
	Split(input, func(int, int) { n++ })
	out := make(analysis.TokenStream, n)
	slab := make([]analysis.Token, n)
	i := 0
	Split(input, func(from, to int) {
		term := input[from:to]
		if w.noOffsets {
			from, to = 0, 0
		}
		slab[i] = analysis.Token{Term: term, Start: from, End: to, Position: i + 1, Type: tokenType(term)}
		out[i] = &slab[i]
		i++
	})
	return out
}

// Split calls word with the offsets of each word of input, in order.
func Split(input []byte, word func(from, to int)) {
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

// WordTerm returns the term a word as Split found it in a text has under a,
// one of the analysers above, and false for a word that has none (a stop
// word). The word is filtered as it stands, never split again: alone, a
// word can split otherwise than in its text ("A'" before an ideograph keeps
// its apostrophe, and alone loses it), and its term must be the one bleve
// indexed.
func WordTerm(a analysis.Analyzer, word string) (string, bool) {
	da, ok := a.(*analysis.DefaultAnalyzer)
	if !ok {
		tokens := a.Analyze([]byte(word))
		if len(tokens) != 1 {
			return "", false
		}
		return string(tokens[0].Term), true
	}
	term := []byte(word)
	stream := analysis.TokenStream{{Term: term, End: len(term), Position: 1, Type: tokenType(term)}}
	for _, f := range da.TokenFilters {
		if stream = f.Filter(stream); len(stream) == 0 {
			return "", false
		}
	}
	return string(stream[0].Term), len(stream) == 1
}

// maxWords bounds the filter's memory: a site's vocabulary, as written, is
// a few tens of thousands of words; past the bound words are worked out
// every time.
const maxWords = 1 << 18

// english drops possessive 's, lower-cases, drops stop words and stems, as
// bleve's English filters and the Porter stemmer do one after the other,
// remembering what became of each word as written. Terms handed out are
// shared between tokens and never written to: no filter runs after this one.
type english struct {
	chain []analysis.TokenFilter // possessive, lower case, stop words
	mu    sync.RWMutex
	m     map[string][]byte // word as written → its term; nil: a stop word
}

func newEnglish(_ map[string]any, cache *registry.Cache) (analysis.TokenFilter, error) {
	f := &english{m: map[string][]byte{}}
	for _, name := range []string{en.PossessiveName, lowercase.Name, en.StopName} {
		tf, err := cache.TokenFilterNamed(name)
		if err != nil {
			return nil, err
		}
		f.chain = append(f.chain, tf)
	}
	return f, nil
}

func (f *english) Filter(input analysis.TokenStream) analysis.TokenStream {
	// One read lock for the whole stream: taking it for each word cost a
	// third as much as the lookups, with the analysis workers contending.
	var misses []int
	f.mu.RLock()
	for i, t := range input {
		if term, ok := f.m[string(t.Term)]; ok {
			input[i].Term = term
		} else {
			misses = append(misses, i)
		}
	}
	f.mu.RUnlock()
	if len(misses) > 0 {
		f.learn(input, misses)
	}
	out := input[:0]
	for _, t := range input {
		if t.Term != nil {
			out = append(out, t)
		}
	}
	return out
}

// learn works out the words at the positions given, and remembers them.
func (f *english) learn(input analysis.TokenStream, at []int) {
	terms := make([][]byte, len(at))
	for n, i := range at {
		terms[n] = f.work(input[i].Term)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for n, i := range at {
		if len(f.m) < maxWords {
			f.m[string(input[i].Term)] = terms[n]
		}
		input[i].Term = terms[n]
	}
}

// work runs one word through the filters and the stemmer; nil means the
// word is dropped.
func (f *english) work(word []byte) []byte {
	one := analysis.TokenStream{{Term: append([]byte(nil), word...), Type: tokenType(word)}}
	for _, tf := range f.chain {
		if one = tf.Filter(one); len(one) == 0 {
			return nil
		}
	}
	return stemOf(one[0].Term)
}

func stemOf(term []byte) []byte {
	return analysis.BuildTermFromRunes(porterstemmer.StemWithoutLowerCasing([]rune(string(term))))
}
