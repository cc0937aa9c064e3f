package search

import (
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"github.com/blevesearch/bleve/v2/analysis"

	kbanalysis "github.com/nhsx/kb/internal/search/analysis"
)

// A page's body text is kept as the numbers of its pieces in a lexicon
// rather than as text: a piece is a word as written with the spaces and
// punctuation up to the next word ("records, "), numbered most used first.
// Each number takes two bytes (see appendPiece): varints took a quarter less
// room, but a phrase is checked by reading every number of thousands of
// pages, and with fixed widths the phrase queries of the 10,000-page
// benchmarks took half the time. The numbers give back the text exactly,
// for snippets, and each piece's word has one term (or none, for a stop
// word) at one position, so they also show where each term stands: a
// phrase in the body is checked against them, and the index keeps no
// positions for the body, which were the largest part of it (see
// BenchmarkIndexSize10k).

// lexicon numbers pieces. It is safe for concurrent use.
type lexicon struct {
	mu      sync.RWMutex
	pieces  []string // by number
	words   []int32  // the length of each piece's word
	numbers map[string]int32

	// The terms of the pieces' words, worked out when a phrase is first
	// checked (an index that answers no phrase never analyses them).
	terms     []int32 // by piece: its word's term number, or noTerm
	termIDs   map[string]int32
	termNames [][]byte // by term number
	termKeys  []string // the same as strings, the keys of a page's term counts

	// The vocabulary word of each piece's word, worked out as pieces are
	// first seen in a page's words (see pageWords).
	vocab      []int32 // by piece: the word's number in vocabNames, or noTerm
	vocabNames []string
	vocabIDs   map[string]int32

	tallies tallies // for counting a page's words and terms by number
	counts  countPool
	// scratch lends encode the numbers of a text's pieces, before they
	// are written as its code: made afresh, they were most of what
	// encoding a page's body allocated.
	scratch sync.Pool
}

// noTerm marks a piece whose word has no term (a stop word); anyTerm, in a
// phrase, a word that may be anything (a stop word of the phrase).
const (
	noTerm  = -1
	anyTerm = -2
)

func newLexicon() *lexicon { return &lexicon{} }

// numbered returns the numbers of the pieces, making them after an opened
// lexicon's first change; l.mu is held.
func (l *lexicon) numbered() map[string]int32 {
	if l.numbers == nil {
		l.numbers = make(map[string]int32, len(l.pieces))
		for i, p := range l.pieces {
			l.numbers[p] = int32(i)
		}
	}
	return l.numbers
}

// eachPiece calls visit with the pieces of text in order: first what
// precedes the first word (often ""), with a word length of 0, then each
// word with what follows it. The words are those the text analyser finds.
func eachPiece(text string, visit func(piece string, word int)) {
	start, end, first := 0, 0, true
	kbanalysis.Split(unsafe.Slice(unsafe.StringData(text), len(text)), func(from, to int) {
		if first {
			visit(text[:from], 0)
			first = false
		} else {
			visit(text[start:from], end-start)
		}
		start, end = from, to
	})
	if first {
		visit(text, 0)
		return
	}
	visit(text[start:], end-start)
}

// addAll numbers the pieces of texts not yet numbered, most used first.
func (l *lexicon) addAll(texts []string) {
	count := map[string]int{}
	word := map[string]int{}
	l.mu.Lock()
	defer l.mu.Unlock()
	numbers := l.numbered()
	for _, t := range texts {
		eachPiece(t, func(p string, w int) {
			if _, ok := numbers[p]; !ok {
				count[p]++
				word[p] = w
			}
		})
	}
	fresh := make([]string, 0, len(count))
	for p := range count {
		fresh = append(fresh, p)
	}
	slices.SortFunc(fresh, func(a, b string) int {
		if count[a] != count[b] {
			return count[b] - count[a]
		}
		return compareStrings(a, b)
	})
	for _, p := range fresh {
		l.add(p, word[p])
	}
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// add numbers one piece; l.mu is held.
func (l *lexicon) add(p string, word int) int32 {
	// A piece is cut from a page's text: kept as it is, it would keep the
	// whole text alive, and nearly every page brings some piece of its own
	// (0.44 GB of page texts at 100,000 pages).
	p = strings.Clone(p)
	n := int32(len(l.pieces))
	l.pieces = append(l.pieces, p)
	l.words = append(l.words, int32(word))
	l.numbered()[p] = n
	return n
}

// encode returns text as the numbers of its pieces, numbering any new ones
// (which addAll has numbered already when texts are encoded side by side).
// The text is split once: the pieces not yet numbered are noted as they are
// met and numbered afterwards, under the write lock, in the order met.
func (l *lexicon) encode(text string) []byte {
	held, _ := l.scratch.Get().(*[]int32)
	if held == nil {
		held = new([]int32)
	}
	nums := (*held)[:0]
	defer func() { *held = nums[:0]; l.scratch.Put(held) }()
	var fresh []freshPiece
	l.mu.RLock()
	eachPiece(text, func(p string, w int) {
		n, ok := l.numbers[p]
		if !ok {
			fresh = append(fresh, freshPiece{at: len(nums), piece: p, word: w})
		}
		nums = append(nums, n)
	})
	l.mu.RUnlock()
	if len(fresh) > 0 {
		l.mu.Lock()
		numbers := l.numbered()
		for _, f := range fresh {
			n, ok := numbers[f.piece]
			if !ok {
				n = l.add(f.piece, f.word)
			}
			nums[f.at] = n
		}
		l.mu.Unlock()
	}
	out := make([]byte, 0, 2*len(nums))
	for _, n := range nums {
		out = appendPiece(out, n)
	}
	return out
}

// freshPiece is a piece encode met that was not numbered then: the
// number's place in the code, the piece and the length of its word.
type freshPiece struct {
	at    int
	piece string
	word  int
}

// A piece's number is two bytes, little-endian, or for numbers from
// escape up the two bytes of escape and four of the number.
const escape = 0xffff

func appendPiece(code []byte, n int32) []byte {
	if n < escape {
		return binary.LittleEndian.AppendUint16(code, uint16(n))
	}
	code = binary.LittleEndian.AppendUint16(code, escape)
	return binary.LittleEndian.AppendUint32(code, uint32(n))
}

// nextPiece reads the number at code[i:] and says where the next one
// starts; a damaged code gives -1.
func nextPiece(code []byte, i int) (n int, next int) {
	if i+2 > len(code) {
		return -1, len(code)
	}
	n = int(binary.LittleEndian.Uint16(code[i:]))
	if n != escape {
		return n, i + 2
	}
	if i+6 > len(code) {
		return -1, len(code)
	}
	return int(binary.LittleEndian.Uint32(code[i+2:])), i + 6
}

// decode gives back the text of a code, cut after limit bytes (all of it
// when limit is negative). It measures the text first, to make it in one
// allocation: a results page decodes the prose of each hit shown.
func (l *lexicon) decode(code []byte, limit int) string {
	if limit == 0 {
		return ""
	}
	l.mu.RLock()
	pieces := l.pieces // never changes below its length
	l.mu.RUnlock()
	size, end := 0, 0
	for end < len(code) && (limit < 0 || size < limit) {
		n, next := nextPiece(code, end)
		if n < 0 || n >= len(pieces) {
			break // damaged: the text up to there
		}
		end = next
		size += len(pieces[n])
	}
	if limit >= 0 {
		size = min(size, limit)
	}
	var b strings.Builder
	b.Grow(size)
	for i := 0; i < end && b.Len() < size; {
		var n int
		n, i = nextPiece(code, i)
		p := pieces[n]
		b.WriteString(p[:min(len(p), size-b.Len())])
	}
	return b.String()
}

// pageWords returns the vocabulary words of the text a code stands for,
// each once, as analysis.PageWords finds them in the text, followed by
// those of also (the words of the page's other fields, as PageWords lists
// them) that the text does not have: each piece's word was split and looked
// at when the piece was first numbered, so a page's words cost a look-up a
// word rather than splitting its text again, and the words are made
// distinct by their numbers, not by a map of strings.
func (l *lexicon) pageWords(code []byte, also []string) []string {
	l.mu.RLock()
	ready := len(l.vocab) == len(l.pieces)
	l.mu.RUnlock()
	if !ready {
		l.learnVocab()
	}
	t := l.tallies.get()
	defer l.tallies.put(t)
	l.mu.RLock()
	defer l.mu.RUnlock()
	t.size(len(l.vocabNames))
	for i := 0; i < len(code); {
		var n int
		n, i = nextPiece(code, i)
		if n < 0 || n >= len(l.vocab) {
			break
		}
		if v := l.vocab[n]; v != noTerm {
			t.add(v)
		}
	}
	var unknown []string // words of also that no piece has yet
	for _, w := range also {
		if id, ok := l.vocabIDs[w]; ok {
			t.add(id)
		} else if !slices.Contains(unknown, w) {
			unknown = append(unknown, w)
		}
	}
	out := make([]string, len(t.seen), len(t.seen)+len(unknown))
	for i, id := range t.seen {
		out[i] = l.vocabNames[id]
	}
	for _, w := range unknown {
		// also's words are cut from one text of the page's fields: the
		// site's word counts keep this one, and must not keep that text.
		out = append(out, strings.Clone(w))
	}
	return out
}

// learnVocab works out the vocabulary word of the pieces numbered since.
func (l *lexicon) learnVocab() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.vocabIDs == nil {
		l.vocabIDs = map[string]int32{}
	}
	for i := len(l.vocab); i < len(l.pieces); i++ {
		v := int32(noTerm)
		if w, ok := kbanalysis.VocabWord(l.pieces[i][:l.words[i]]); ok {
			id, seen := l.vocabIDs[w]
			if !seen {
				id = int32(len(l.vocabNames))
				l.vocabIDs[w] = id
				l.vocabNames = append(l.vocabNames, w)
			}
			v = id
		}
		l.vocab = append(l.vocab, v)
	}
}

// bodyTerms counts the terms of the text a code stands for, as bleve's
// analysis of the text would find them (a is the text analyser): each piece's
// word has one term or none, worked out once for the whole site, so a page's
// body is counted without splitting, filtering or stemming its words again.
// It returns the terms with their counts, lent (see countPool), and how many
// words had a term.
func (l *lexicon) bodyTerms(code []byte, a analysis.Analyzer) (*termCounts, int) {
	l.termsOf(a)
	t := l.tallies.get()
	defer l.tallies.put(t)
	words := 0
	l.mu.RLock()
	t.size(len(l.termNames))
	for i := 0; i < len(code); {
		var n int
		n, i = nextPiece(code, i)
		if n < 0 || n >= len(l.terms) {
			break
		}
		if id := l.terms[n]; id >= 0 {
			t.add(id)
			words++
		}
	}
	names, keys := l.termNames, l.termKeys // never change below their length
	l.mu.RUnlock()
	c := l.counts.get(len(t.seen))
	c.tfs = c.tfs[:len(t.seen)]
	for i, id := range t.seen {
		tf := &c.tfs[i]
		tf.Term = names[id]
		tf.SetFrequency(int(t.counts[id]))
		c.freqs[keys[id]] = tf
	}
	return c, words
}

// termsOf gives the term number of each piece, analysing the words of the
// pieces added since the last call.
func (l *lexicon) termsOf(a analysis.Analyzer) ([]int32, map[string]int32) {
	l.mu.RLock()
	if len(l.terms) == len(l.pieces) && l.termIDs != nil {
		defer l.mu.RUnlock()
		return l.terms, l.termIDs
	}
	l.mu.RUnlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.termIDs == nil {
		l.termIDs = map[string]int32{}
	}
	for i := len(l.terms); i < len(l.pieces); i++ {
		t := int32(noTerm)
		if w := l.pieces[i][:l.words[i]]; w != "" {
			if term, ok := kbanalysis.WordTerm(a, w); ok {
				id, ok := l.termIDs[term]
				if !ok {
					id = int32(len(l.termIDs))
					l.termIDs[term] = id
					l.termNames = append(l.termNames, []byte(term))
					l.termKeys = append(l.termKeys, term)
				}
				t = id
			}
		}
		l.terms = append(l.terms, t)
	}
	return l.terms, l.termIDs
}

// phraseMatcher finds a phrase in codes by shift-and: bit j of the state
// says the words read so far end with the phrase's first j+1 terms, and
// each word's piece gives, ready made, the bits of the places in the phrase
// its term may stand. Checking a page is then a few operations a word: the
// pages holding a phrase's words apart can be thousands. Phrases of up to
// eight words, nearly all, take a byte a piece, so that the table stays in
// the processor's nearest cache.
type phraseMatcher struct {
	small []uint8  // by piece, for phrases of up to 8 words
	bits  []uint64 // by piece, for longer ones
	done  uint64   // the bit of the phrase's last word
}

// maxPhrase is the longest phrase a matcher takes: one bit a word.
const maxPhrase = 64

// newPhraseMatcher makes a matcher of a phrase of at most maxPhrase terms
// (anyTerm for any word), given the pieces' term numbers.
func newPhraseMatcher(phrase, terms []int32) *phraseMatcher {
	var any uint64
	for j, t := range phrase {
		if t == anyTerm {
			any |= 1 << j
		}
	}
	m := &phraseMatcher{done: 1 << (len(phrase) - 1)}
	if len(phrase) <= 8 {
		m.small = make([]uint8, len(terms))
	} else {
		m.bits = make([]uint64, len(terms))
	}
	for n, t := range terms {
		b := any
		for j, p := range phrase {
			if p == t {
				b |= 1 << j
			}
		}
		if m.small != nil {
			m.small[n] = uint8(b)
		} else {
			m.bits[n] = b
		}
	}
	return m
}

// in reports whether a code holds the phrase.
func (m *phraseMatcher) in(code []byte) bool {
	_, next := nextPiece(code, 0) // what precedes the first word
	code = code[next:]
	if m.small != nil {
		return shiftAnd(code, m.small, uint8(m.done))
	}
	return shiftAnd(code, m.bits, m.done)
}

// shiftAnd runs the matcher's state over the pieces of code.
func shiftAnd[T uint8 | uint64](code []byte, bits []T, done T) bool {
	var state T
	for i := 0; i+1 < len(code); i += 2 {
		n := int(code[i]) | int(code[i+1])<<8
		if n == escape {
			var next int
			if n, next = nextPiece(code, i); n < 0 {
				return false
			}
			i = next - 2
		}
		if n >= len(bits) {
			return false // a piece numbered after the matcher was made
		}
		if state = (state<<1 | 1) & bits[n]; state&done != 0 {
			return true
		}
	}
	return false
}

// The lexicon is saved as a varint count, then each piece as the varint
// length of its word, the varint length of the piece and the piece; then,
// if termsOf has analysed every piece, a varint 1, the count of terms and
// each as its varint length and bytes, in number order, and each piece's
// term number plus one (0 for none), as varints; else a varint 0. An index
// opened to answer one phrase then need not analyse every piece first.

func (l *lexicon) marshal() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := binary.AppendUvarint(nil, uint64(len(l.pieces)))
	for i, p := range l.pieces {
		out = binary.AppendUvarint(out, uint64(l.words[i]))
		out = binary.AppendUvarint(out, uint64(len(p)))
		out = append(out, p...)
	}
	if len(l.terms) != len(l.pieces) || len(l.pieces) == 0 {
		return binary.AppendUvarint(out, 0)
	}
	out = binary.AppendUvarint(out, 1)
	terms := make([]string, len(l.termIDs))
	for t, id := range l.termIDs {
		terms[id] = t
	}
	out = binary.AppendUvarint(out, uint64(len(terms)))
	for _, t := range terms {
		out = binary.AppendUvarint(out, uint64(len(t)))
		out = append(out, t...)
	}
	for _, t := range l.terms {
		out = binary.AppendUvarint(out, uint64(t+1))
	}
	return out
}

// unmarshalTerms reads the terms section marshal wrote, if any, with r;
// piece takes the text of a term of n bytes.
func (l *lexicon) unmarshalTerms(r *textReader, piece func(n uint64) string) {
	if r.uint() == 0 {
		return
	}
	count := r.uint()
	if count > uint64(len(r.b)) {
		r.fail()
		return
	}
	l.termIDs = make(map[string]int32, count)
	for id := range count {
		t := piece(r.uint())
		l.termIDs[t] = int32(id)
		l.termNames = append(l.termNames, []byte(t))
		l.termKeys = append(l.termKeys, t)
	}
	l.terms = make([]int32, len(l.pieces))
	for i := range l.terms {
		t := r.uint()
		if t > count {
			r.fail()
		}
		l.terms[i] = int32(t) - 1
	}
}

var errLexicon = errors.New("damaged lexicon")

func unmarshalLexicon(b []byte) (*lexicon, error) {
	text := string(b) // one allocation for all the pieces and terms
	r := &textReader{b: b}
	piece := func(n uint64) string {
		at := len(text) - len(r.b)
		return text[at : at+len(r.bytes(n))]
	}
	count := r.uint()
	if count > uint64(len(r.b)) {
		return nil, errLexicon
	}
	l := &lexicon{pieces: make([]string, 0, count), words: make([]int32, 0, count)}
	for range count {
		w, n := r.uint(), r.uint()
		if w > n {
			r.fail()
		}
		l.pieces = append(l.pieces, piece(n))
		l.words = append(l.words, int32(w))
	}
	l.unmarshalTerms(r, piece)
	if r.err != nil {
		return nil, r.err
	}
	return l, nil
}
