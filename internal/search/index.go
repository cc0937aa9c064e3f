package search

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	mmap "github.com/blevesearch/mmap-go"

	"github.com/nhsx/kb/internal/par"
	"github.com/nhsx/kb/internal/search/analysis"
)

// batchSize bounds how many documents go into bleve at once: big enough that
// a 10,000-page site makes few segments, small enough to keep memory modest.
const batchSize = 1000

// formatVersion is stored in every index kb writes; Open refuses others, so a
// stale or foreign index is reported rather than answering with wrong fields.
const formatVersion = "kb-search-13"

// Internal keys for what an opened index needs besides its documents.
var (
	keyVersion  = []byte("kb:version")
	keySynonyms = []byte("kb:synonyms")
	keyLabels   = []byte("kb:labels")
	keyVocab    = []byte("kb:vocabulary")
)

// Index is a searchable index of the site's pages, on disk or in memory.
// It is safe for concurrent use.
type Index struct {
	bi       bleve.Index
	mapping  mapping.IndexMapping
	synonyms *analysis.Synonyms

	mu     sync.RWMutex
	labels labels
	rows   map[string]row   // by URL: what filters, facets and sorting read
	tbl    *table           // rows in search order; nil after a change
	words  map[string]int32 // pages holding each word (see vocab); nil when opened
	voc    *analysis.Vocab  // words ready to search; nil after a change
	// vocabText is an opened index's vocabulary, as stored.
	vocabText []byte
	// readOnly indexes never renumber their documents, so rows can be found
	// by bleve's internal IDs without loading each match's URL.
	readOnly bool
	// lex numbers the pieces of the pages' bodies (see lexicon); dir is
	// where the index is on disk ("" in memory).
	lex *lexicon
	dir string
	// textMap is an opened index's text file, mapped (or, for an index
	// being written, the text file of the one it started from): the rows'
	// codes point into it until Close.
	textMap mmap.MMap
	// spill holds the codes of the pages a Writer indexed, until the text
	// file is written (nil for any other index).
	spill *spill
}

// labels are the display names of topic and organisation slugs, for facets
// and results; measures and types have fixed names in kb itself.
type labels struct {
	Topics        map[string]string `json:"topics"`
	Organisations map[string]string `json:"organisations"`
}

func (l *labels) add(p *Page) {
	for _, t := range p.Topics {
		l.Topics[t.Slug] = t.Name
	}
	for _, t := range p.Organisations {
		l.Organisations[t.Slug] = t.Name
	}
}

// Docs are the index documents of a site's searchable pages, with their
// fingerprints. They are made from the pages' text, which the build takes
// from their syntax trees before a one-shot build frees each as soon as it
// is rendered: made first, they let the index and the pages be built side by
// side without keeping every tree in memory until both end.
type Docs struct {
	syn   *analysis.Synonyms
	pages []Page
	docs  []document
	sums  []uint64
	words map[string]int32 // the vocabulary of all the pages
}

// Prepare makes the index documents of pages, on all cores. It takes the
// pages over: their text is let go once in the documents.
func Prepare(pages []Page, syn *analysis.Synonyms) *Docs {
	d := &Docs{syn: syn, pages: pages}
	d.docs, d.sums = documents(pages, syn)
	d.words = wordCounts(d.docs)
	return d
}

// Build writes a new index of the prepared pages into dir, which must not
// exist yet, and closes it. The caller writes dir beside the index it
// replaces and renames it into place, so readers never see half an index.
//
// previous names the index an earlier build wrote ("" for none). When it is
// one kb can read, with the same synonyms, Build starts from a copy of it and
// re-indexes only the pages whose documents changed: analysing every page is
// most of what a build with an index costs, and most builds change few pages.
// It reports how many pages it had to index.
func Build(d *Docs, dir, previous string) (indexed int, err error) {
	x, old, err := startBuild(dir, d.syn, previous)
	if err != nil {
		return 0, fmt.Errorf("creating search index %s: %w", dir, err)
	}
	x.words = d.words
	indexed, err = x.sync(d, old)
	if err == nil && indexed > 0 {
		err = mergeToOne(x.bi)
	}
	// Saving waits until the index on disk has caught up, merge included:
	// closing straight after a merge can leave the file of record naming
	// the segments from before it.
	if err == nil {
		err = x.saveMeta()
	}
	if cerr := x.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = dropDeadSegments(dir)
	}
	if err != nil {
		return 0, fmt.Errorf("writing search index %s: %w", dir, err)
	}
	return indexed, nil
}

// dropDeadSegments deletes the segment files of a closed index that its
// last snapshot does not use: scorch removes the files a merge replaced
// some time after, and closing the index can come first. Left, they would
// be copied into every later build and into the Netlify function.
func dropDeadSegments(dir string) error {
	bi, err := bleve.OpenUsing(dir, map[string]any{"read_only": true})
	if err != nil {
		return err
	}
	live, _, err := segments(bi)
	if cerr := bi.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	files, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if err != nil {
		return err
	}
	for _, f := range files {
		if !live[filepath.Base(f)] {
			if err := os.Remove(f); err != nil {
				return err
			}
		}
	}
	return nil
}

// startBuild creates the index in dir: a copy of previous if that can be
// reused, with its rows (nil otherwise), or else a new, empty one.
func startBuild(dir string, syn *analysis.Synonyms, previous string) (*Index, map[string]row, error) {
	if x, rows, err := reuse(dir, syn, previous); err == nil {
		return x, rows, nil
	}
	os.RemoveAll(dir) // what a failed reuse left
	m := newMapping()
	bi, err := bleve.NewUsing(dir, m, scorch.Name, scorch.Name, newIndexConfig(batchSize))
	if err != nil {
		return nil, nil, err
	}
	return &Index{bi: bi, mapping: m, synonyms: syn, labels: newLabels(), rows: map[string]row{}, lex: newLexicon(), dir: dir}, nil, nil
}

// reuse copies the index in previous to dir and opens the copy for writing.
// Its segment files never change once written, so they are linked rather
// than copied where the file system allows.
func reuse(dir string, syn *analysis.Synonyms, previous string) (*Index, map[string]row, error) {
	if previous == "" {
		return nil, nil, errors.New("no earlier index")
	}
	old, err := openMeta(previous) // its rows are all a rebuild needs
	if err != nil {
		return nil, nil, err
	}
	same := old.synonyms.Text() == syn.Text()
	// The rows' codes point into old's text file, mapped: the new index
	// keeps it mapped until it is closed, rather than copy tens of
	// megabytes of codes that it mostly writes out again unchanged.
	rows, lex, text := old.rows, old.lex, old.textMap
	old.textMap = nil
	old.Close()
	unmap := func(err error) (*Index, map[string]row, error) {
		text.Unmap()
		return nil, nil, err
	}
	if !same {
		return unmap(errors.New("the synonyms changed"))
	}
	if err := copyIndexFiles(previous, dir); err != nil {
		return unmap(err)
	}
	bi, err := bleve.OpenUsing(dir, updateConfig())
	if err != nil {
		return unmap(err)
	}
	x := &Index{bi: bi, mapping: bi.Mapping(), synonyms: syn, labels: newLabels(), rows: map[string]row{}, lex: lex, dir: dir, textMap: text}
	return x, rows, nil
}

// copyIndexFiles copies a closed index folder: bleve's metadata file and
// scorch's store, linking the segment files.
func copyIndexFiles(from, to string) error {
	if err := os.MkdirAll(filepath.Join(to, "store"), 0o755); err != nil {
		return err
	}
	files, err := filepath.Glob(filepath.Join(from, "store", "*"))
	if err != nil {
		return err
	}
	for _, name := range append(files, filepath.Join(from, "index_meta.json")) {
		rel, _ := filepath.Rel(from, name)
		dst := filepath.Join(to, rel)
		if filepath.Ext(name) == ".zap" && os.Link(name, dst) == nil {
			continue
		}
		if err := copyFile(name, dst); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// sync makes the index hold exactly d's pages: it indexes those whose
// documents differ from the rows of the index it started from (all of them
// when old is nil) and deletes the pages that are gone. It lets go of each
// document once bleve has taken it in, so d can be used only once.
func (x *Index) sync(d *Docs, old map[string]row) (int, error) {
	pages, docs, sums := d.pages, d.docs, d.sums
	var changed []int
	texts := make([]pageText, len(pages))
	for i := range pages {
		if r, ok := old[pages[i].URL]; !ok || r.Sum != sums[i] {
			changed = append(changed, i)
		} else {
			texts[i] = r.pageText
		}
	}
	x.encode(docs, changed, texts)
	if err := x.index(pages, docs, texts, changed); err != nil {
		return 0, err
	}
	b := x.bi.NewBatch()
	keep := make(map[string]bool, len(pages))
	for i := range pages {
		keep[pages[i].URL] = true
	}
	for u := range old {
		if !keep[u] {
			b.Delete(u)
		}
	}
	if b.Size() > 0 {
		if err := x.bi.Batch(b); err != nil {
			return 0, fmt.Errorf("indexing: %w", err)
		}
	}
	x.remember(pages, sums, texts)
	return len(changed) + b.Size(), nil
}

// pageText is a page's body in the lexicon's numbers, and the length of
// its prose. A code a Writer encoded is kept in its spill file rather than
// in memory: then code is nil, and at and n say where it is.
type pageText struct {
	code  []byte
	prose int
	at    int64
	n     int
}

// size is the length of t's code.
func (t pageText) size() int { return max(len(t.code), t.n) }

// encode puts the bodies of the documents at the positions given into
// texts, in the numbers of the lexicon, which first numbers their new
// pieces (most used first).
func (x *Index) encode(docs []document, at []int, texts []pageText) {
	bodies := make([]string, len(at))
	for n, i := range at {
		bodies[n] = docs[i].Body
	}
	x.lex.addAll(bodies)
	par.For(len(at), func(n int) {
		i := at[n]
		texts[i] = pageText{code: x.lex.encode(docs[i].Body), prose: len(docs[i].Text)}
	})
}

// index takes in the documents of the pages at the positions given, in
// batches, and lets go of each once bleve holds its own copy of the text.
func (x *Index) index(pages []Page, docs []document, texts []pageText, at []int) error {
	b := x.bi.NewBatch()
	for n, i := range at {
		d, err := x.bleveDoc(pages[i].URL, &docs[i], texts[i].code)
		if err == nil {
			err = b.IndexAdvanced(d)
		}
		if err != nil {
			return fmt.Errorf("indexing %s: %w", pages[i].Path, err)
		}
		docs[i] = document{}
		if b.Size() >= batchSize || n == len(at)-1 {
			if err := x.bi.Batch(b); err != nil {
				return fmt.Errorf("indexing: %w", err)
			}
			b.Reset()
		}
	}
	return nil
}

// NewMemory indexes pages in memory, for the preview server, which keeps it
// up to date with Upsert and Delete as files change.
func NewMemory(pages []Page, syn *analysis.Synonyms) (*Index, error) {
	m := newMapping()
	bi, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("creating search index in memory: %w", err)
	}
	idx := &Index{bi: bi, mapping: m, synonyms: syn, labels: newLabels(), rows: map[string]row{}, words: map[string]int32{}, lex: newLexicon()}
	if err := idx.Upsert(pages...); err != nil {
		bi.Close()
		return nil, err
	}
	return idx, nil
}

func newLabels() labels {
	return labels{Topics: map[string]string{}, Organisations: map[string]string{}}
}

// Open opens an index that kb build wrote, read-only. A missing or damaged
// index is an error that says how to make a new one.
func Open(dir string) (*Index, error) {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no search index at %s: run kb build to create it", dir)
	}
	idx, err := openMeta(dir)
	if err != nil {
		return nil, err
	}
	if _, err := idx.table(); err != nil {
		idx.Close()
		return nil, fmt.Errorf("search index %s cannot be read (%v): delete it and run kb build again", dir, err)
	}
	return idx, nil
}

// openMeta opens an index read-only with what kb stored beside its
// documents (version, synonyms, labels, rows), but not yet the search table.
func openMeta(dir string) (*Index, error) {
	bi, err := bleve.OpenUsing(dir, map[string]interface{}{"read_only": true})
	if err != nil {
		return nil, fmt.Errorf("search index %s cannot be opened (%v): delete it and run kb build again", dir, err)
	}
	idx := &Index{bi: bi, mapping: bi.Mapping(), readOnly: true, dir: dir}
	if err := idx.loadMeta(); err != nil {
		idx.Close() // its text file too, if mapped
		return nil, fmt.Errorf("search index %s is not one kb can read (%v): delete it and run kb build again", dir, err)
	}
	return idx, nil
}

func (x *Index) saveMeta() error {
	lb, err := json.Marshal(x.labels)
	if err != nil {
		return err
	}
	for k, v := range map[string][]byte{string(keyVersion): []byte(formatVersion),
		string(keySynonyms): []byte(x.synonyms.Text()), string(keyLabels): lb,
		string(keyVocab): analysis.EncodeVocab(x.words)} {
		if err := x.bi.SetInternal([]byte(k), v); err != nil {
			return err
		}
	}
	x.lex.termsOf(x.mapping.AnalyzerNamed(analysis.TextAnalyzer)) // saved with it
	f, err := os.Create(filepath.Join(x.dir, textFile))
	if err != nil {
		return err
	}
	var spilled io.ReaderAt
	if x.spill != nil {
		if err := x.spill.flush(); err != nil {
			f.Close()
			return err
		}
		spilled = x.spill
	}
	if err := writeText(f, x.lex, x.rows, spilled); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (x *Index) loadMeta() error {
	v, err := x.bi.GetInternal(keyVersion)
	if err != nil {
		return err
	}
	if string(v) != formatVersion {
		return fmt.Errorf("format %q, want %q", v, formatVersion)
	}
	text, err := x.bi.GetInternal(keySynonyms)
	if err != nil {
		return err
	}
	if x.synonyms, err = analysis.ParseSynonyms(string(text), "synonyms in the index"); err != nil {
		return err
	}
	lb, err := x.bi.GetInternal(keyLabels)
	if err != nil {
		return err
	}
	x.labels = newLabels()
	if err := json.Unmarshal(lb, &x.labels); err != nil {
		return err
	}
	if x.textMap, err = mapFile(filepath.Join(x.dir, textFile)); err != nil {
		return err
	}
	if x.lex, x.rows, err = unmarshalText(x.textMap); err != nil {
		return err
	}
	// The vocabulary is read on the first search, not to slow the opening.
	x.vocabText, err = x.bi.GetInternal(keyVocab)
	return err
}

// vocabulary returns the words of the pages, ready to search, gathering
// them again after a change.
func (x *Index) vocabulary() *analysis.Vocab {
	x.mu.RLock()
	v := x.voc
	x.mu.RUnlock()
	if v != nil {
		return v
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.voc != nil {
		return x.voc
	}
	if x.vocabText != nil {
		v, err := analysis.DecodeVocab(x.vocabText)
		x.vocabText = nil // the words hold their own copy
		if err == nil {
			x.voc = v
			return v
		}
		// A damaged vocabulary costs near spellings, not the search.
	}
	x.voc = analysis.NewVocab(x.words)
	return x.voc
}

// table returns the rows in search order, rebuilding them after a change.
func (x *Index) table() (*table, error) {
	x.mu.RLock()
	t := x.tbl
	x.mu.RUnlock()
	if t != nil {
		return t, nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.tbl != nil {
		return x.tbl, nil
	}
	t = newTable(x.rows)
	if x.readOnly {
		if err := t.mapInternal(x); err != nil {
			return nil, err
		}
	}
	x.tbl = t
	return t, nil
}

// Upsert indexes pages, replacing any earlier version of each (by URL).
func (x *Index) Upsert(pages ...Page) error {
	docs, sums := documents(pages, x.synonyms)
	words := wordCounts(docs)
	all := make([]int, len(pages))
	for i := range all {
		all[i] = i
	}
	texts := make([]pageText, len(pages))
	x.encode(docs, all, texts)
	if err := x.index(pages, docs, texts, all); err != nil {
		return err
	}
	x.remember(pages, sums, texts)
	x.mu.Lock()
	defer x.mu.Unlock()
	// The preview's vocabulary only grows: an edit that removes a word's last
	// use leaves a candidate that finds nothing, which costs a lookup.
	if x.words == nil {
		x.words = map[string]int32{}
	}
	for w, n := range words {
		x.words[w] += n
	}
	x.voc = nil
	return nil
}

// remember records the pages' labels and rows, with their documents' sums
// and bodies.
func (x *Index) remember(pages []Page, sums []uint64, texts []pageText) {
	for i := range pages {
		x.rememberOne(&pages[i], sums[i], texts[i])
	}
}

// rememberOne records one page's labels and row.
func (x *Index) rememberOne(p *Page, sum uint64, text pageText) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.labels.add(p)
	r := rowFrom(p)
	r.Sum = sum
	r.pageText = text
	x.rows[p.URL] = r
	x.tbl = nil
}

// documents makes the pages' index documents, and their sums, on all
// cores: extracting text and finding vocabulary terms is a good part of
// indexing.
func documents(pages []Page, syn *analysis.Synonyms) ([]document, []uint64) {
	docs, sums := make([]document, len(pages)), make([]uint64, len(pages))
	par.For(len(pages), func(i int) {
		docs[i] = docFrom(&pages[i], syn)
		sums[i] = docs[i].sum()
		// The document holds the text now; the page keeps what rows need.
		pages[i].Headings, pages[i].Prose, pages[i].Nav = nil, "", ""
	})
	return docs, sums
}

// wordCounts counts the pages holding each vocabulary word of the documents.
func wordCounts(docs []document) map[string]int32 {
	return analysis.WordCounts(len(docs), func(i int) []string {
		d := &docs[i]
		return []string{d.Title, d.Summary, d.Headings, d.Tags, d.Body}
	})
}

// Delete removes pages by URL; unknown URLs are ignored.
func (x *Index) Delete(urls ...string) error {
	b := x.bi.NewBatch()
	for _, u := range urls {
		b.Delete(u)
	}
	if err := x.bi.Batch(b); err != nil {
		return err
	}
	x.mu.Lock()
	for _, u := range urls {
		delete(x.rows, u)
	}
	x.tbl = nil
	x.mu.Unlock()
	return nil
}

// Len is the number of pages in the index.
func (x *Index) Len() int {
	n, _ := x.bi.DocCount()
	return int(n)
}

// Close releases the index's files.
func (x *Index) Close() error {
	err := x.bi.Close()
	x.spill.remove()
	x.spill = nil
	if x.textMap != nil {
		if uerr := x.textMap.Unmap(); err == nil {
			err = uerr
		}
		x.textMap = nil
	}
	return err
}

// mapFile maps a file into memory, read-only: the pages' codes are read
// where they lie, rather than copied at every cold start.
func mapFile(path string) (mmap.MMap, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // the mapping outlives it
	return mmap.Map(f, mmap.RDONLY, 0)
}
