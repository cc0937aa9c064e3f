package analysis

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"maps"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/nhsx/kb/internal/par"
)

// The vocabulary is every word of the pages' searchable text as written
// (lower-cased, possessive 's dropped, not stemmed), with how many pages hold
// it. Near spellings are found in it, so a typed word is compared with words
// people write, not with stems ("securti" is two edits from the stem
// "secur", one from "security"); the words found are then searched as the
// index's stemmed terms. It is built with the index and stored beside it.

// Limits on a word's vocabulary entry: longer words are not words people
// mistype, and words of one letter have no near spellings.
const (
	minVocabWord = 2
	maxVocabWord = 32 // bytes
)

// Vocab is a vocabulary ready to search: its words sorted (for prefixes and
// look-ups) and grouped by length in runes (for near spellings).
type Vocab struct {
	words []string
	pages []int32 // pages holding words[i]
	byLen map[int]*lenBucket
}

// lenBucket holds the words of one length as runes, end to end, so comparing
// a typed word with all of them allocates nothing.
type lenBucket struct {
	runes []rune
	word  []int32  // position in vocab.words of each word in runes
	mask  []uint32 // letterMask of each word
}

// letterMask has a bit for each letter a word holds (digits and other
// characters share a few). One edit changes at most two bits, so words whose
// masks differ in more than 2k bits are more than k edits apart: most of the
// vocabulary is ruled out without working out a distance.
func letterMask(word []rune) uint32 {
	var m uint32
	for _, r := range word {
		switch {
		case 'a' <= r && r <= 'z':
			m |= 1 << (r - 'a')
		case '0' <= r && r <= '9':
			m |= 1 << 26
		default:
			m |= 1 << (27 + r%5)
		}
	}
	return m
}

// NewVocab makes a vocabulary from each word's count of pages.
func NewVocab(counts map[string]int32) *Vocab {
	v := &Vocab{words: make([]string, 0, len(counts))}
	for w := range counts {
		v.words = append(v.words, w)
	}
	slices.Sort(v.words)
	v.pages = make([]int32, len(v.words))
	for i, w := range v.words {
		v.pages[i] = counts[w]
	}
	v.index()
	return v
}

// index groups the words by length, sizing each group first: an opened
// index builds this on its first search, so it is kept cheap.
func (v *Vocab) index() {
	sizes := map[int]int{}
	for _, w := range v.words {
		sizes[utf8.RuneCountInString(w)]++
	}
	v.byLen = make(map[int]*lenBucket, len(sizes))
	for n, count := range sizes {
		v.byLen[n] = &lenBucket{runes: make([]rune, 0, n*count), word: make([]int32, 0, count), mask: make([]uint32, 0, count)}
	}
	for i, w := range v.words {
		b := v.byLen[utf8.RuneCountInString(w)]
		from := len(b.runes)
		for _, r := range w {
			b.runes = append(b.runes, r)
		}
		b.word = append(b.word, int32(i))
		b.mask = append(b.mask, letterMask(b.runes[from:]))
	}
}

// Count is how many pages hold word (0 if none).
func (v *Vocab) Count(word string) int {
	if i, ok := slices.BinarySearch(v.words, word); ok {
		return int(v.pages[i])
	}
	return 0
}

// Allowance is how many edits a typed word may be from a page's word: none
// up to three letters (acronyms and short words match noise), one from four,
// two from eight.
func Allowance(word string) int {
	switch n := utf8.RuneCountInString(word); {
	case n >= 8:
		return 2
	case n >= 4:
		return 1
	}
	return 0
}

// Near is a word of the vocabulary close to a typed one.
type Near struct {
	Word  string
	Dist  int
	Pages int
}

// Near lists at most limit words within k edits of word (not word itself),
// nearest first and then the most used. It stops early, with what it has,
// when ctx is done.
func (v *Vocab) Near(ctx context.Context, word string, k, limit int) []Near {
	if k <= 0 || limit <= 0 {
		return nil
	}
	typed := []rune(word)
	typedMask := letterMask(typed)
	var out []Near
	var rows osaRows
	for n := len(typed) - k; n <= len(typed)+k; n++ {
		b := v.byLen[n]
		if b == nil || n < minVocabWord {
			continue
		}
		for i, w := range b.word {
			if i%1024 == 0 && ctx.Err() != nil {
				return v.best(out, limit)
			}
			if bits.OnesCount32(typedMask^b.mask[i]) > 2*k {
				continue
			}
			if d := rows.distance(typed, b.runes[i*n:(i+1)*n], k); d > 0 && d <= k {
				out = append(out, Near{Word: v.words[w], Dist: d, Pages: int(v.pages[w])})
			}
		}
	}
	return v.best(out, limit)
}

func (v *Vocab) best(ns []Near, limit int) []Near {
	slices.SortFunc(ns, func(a, b Near) int {
		return cmp.Or(cmp.Compare(a.Dist, b.Dist), cmp.Compare(b.Pages, a.Pages), strings.Compare(a.Word, b.Word))
	})
	return ns[:min(len(ns), limit)]
}

// Prefixed lists at most limit words that start with prefix and are longer,
// the most used first.
func (v *Vocab) Prefixed(prefix string, limit int) []Near {
	i, _ := slices.BinarySearch(v.words, prefix)
	var out []Near
	for ; i < len(v.words) && strings.HasPrefix(v.words[i], prefix); i++ {
		if v.words[i] != prefix {
			out = append(out, Near{Word: v.words[i], Pages: int(v.pages[i])})
		}
	}
	return v.best(out, limit)
}

// osaRows are the three rows of the edit-distance table, kept between calls.
type osaRows struct{ prev2, prev, cur []int }

// distance is the optimal-string-alignment distance between a and b (an
// insertion, deletion, substitution or swap of two neighbouring letters is
// one edit), or k+1 once it must exceed k.
func (r *osaRows) distance(a, b []rune, k int) int {
	if len(r.cur) < len(b)+1 {
		r.prev2, r.prev, r.cur = make([]int, len(b)+1), make([]int, len(b)+1), make([]int, len(b)+1)
	}
	prev2, prev, cur := r.prev2[:len(b)+1], r.prev[:len(b)+1], r.cur[:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		lowest := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
			lowest = min(lowest, d)
		}
		if lowest > k {
			return k + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// vocabWords calls add with each vocabulary word of text, lower-cased into a
// buffer valid until the next call.
func vocabWords(text string, buf []byte, add func(w []byte)) []byte {
	Split([]byte(text), func(from, to int) {
		buf = append(buf[:0], text[from:to]...)
		buf = lowerWord(buf)
		if w, ok := vocabWord(buf); ok {
			add(w)
		}
	})
	return buf
}

// lowerWord lower-cases w in place where it can (ASCII), or anew.
func lowerWord(w []byte) []byte {
	for _, c := range w {
		if c >= utf8.RuneSelf {
			return bytes.ToLower(w)
		}
	}
	for i, c := range w {
		if 'A' <= c && c <= 'Z' {
			w[i] = c + 'a' - 'A'
		}
	}
	return w
}

// vocabWord drops a possessive 's and reports whether what is left belongs in
// the vocabulary: it has a letter and is neither too short nor too long.
func vocabWord(w []byte) ([]byte, bool) {
	for _, s := range []string{"'s", "’s"} {
		w = bytes.TrimSuffix(w, []byte(s))
	}
	if len(w) > maxVocabWord || utf8.RuneCount(w) < minVocabWord {
		return w, false
	}
	for _, c := range string(w) {
		if isLetter(c) {
			return w, true
		}
	}
	return w, false
}

// WordCounts counts the pages that hold each vocabulary word, on all
// cores: page i's searchable texts are fields(i), of n pages.
func WordCounts(n int, fields func(i int) []string) map[string]int32 {
	type worker struct {
		counts map[string]int32
		seen   map[string]bool
		buf    []byte
	}
	var mu sync.Mutex
	var all []*worker
	par.ForWith(n, func() *worker {
		w := &worker{counts: map[string]int32{}, seen: map[string]bool{}}
		mu.Lock()
		all = append(all, w)
		mu.Unlock()
		return w
	}, func(w *worker, i int) {
		clear(w.seen)
		for _, f := range fields(i) {
			w.buf = vocabWords(f, w.buf, func(word []byte) {
				if w.seen[string(word)] {
					return
				}
				s := string(word)
				w.seen[s] = true
				w.counts[s]++
			})
		}
	})
	counts := map[string]int32{}
	for _, w := range all {
		for s, n := range w.counts {
			counts[s] += n
		}
	}
	return counts
}

// EncodeVocab writes word counts as sorted lines of word, tab, pages.
func EncodeVocab(counts map[string]int32) []byte {
	words := slices.Sorted(maps.Keys(counts))
	var b []byte
	for _, w := range words {
		b = append(b, w...)
		b = append(b, '\t')
		b = strconv.AppendInt(b, int64(counts[w]), 10)
		b = append(b, '\n')
	}
	return b
}

// DecodeVocab reads what EncodeVocab wrote.
func DecodeVocab(b []byte) (*Vocab, error) {
	n := bytes.Count(b, []byte{'\n'})
	v := &Vocab{words: make([]string, 0, n), pages: make([]int32, 0, n)}
	text := string(b) // one string that the words share
	for text != "" {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		word, count, ok := strings.Cut(line, "\t")
		pages, err := strconv.Atoi(count)
		if !ok || err != nil {
			return nil, errors.New("the vocabulary is damaged")
		}
		v.words = append(v.words, word)
		v.pages = append(v.pages, int32(pages))
	}
	v.index()
	return v, nil
}

// Counts is v as word counts, as NewVocab takes them: for an index that
// goes on from a previous one's vocabulary.
func (v *Vocab) Counts() map[string]int32 {
	counts := make(map[string]int32, len(v.words))
	for i, w := range v.words {
		counts[w] = v.pages[i]
	}
	return counts
}

// VocabWord returns the vocabulary form of a word as Split finds it (lower
// case, a possessive 's dropped), and whether it belongs in the vocabulary:
// for callers that have split a text already and count its words by what
// they are.
func VocabWord(word string) (string, bool) {
	w, ok := vocabWord(lowerWord([]byte(word)))
	return string(w), ok
}

// PageWords lists the vocabulary words of one page's searchable texts, as
// WordCounts counts them, in order and as often as they come: for an index
// fed one page at a time, which counts each word of a page once. The words
// are cut from one text made of them all: a string for each word, and a set
// grown again and again to make them distinct, were most of what a page's
// words cost, where the index tells them apart by number (see
// search.lexicon.pageWords). A caller keeping a few of them copies them.
func PageWords(fields ...string) []string {
	var all, buf []byte
	var ends []int
	for _, f := range fields {
		buf = vocabWords(f, buf, func(word []byte) {
			all = append(all, word...)
			ends = append(ends, len(all))
		})
	}
	words := make([]string, len(ends))
	text, start := string(all), 0
	for i, end := range ends {
		words[i] = text[start:end]
		start = end
	}
	return words
}
