package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/nhsx/kb/internal/par"
	"github.com/nhsx/kb/internal/site"
)

// batchSize bounds how many documents go into bleve at once: big enough that
// a 10,000-page site makes few segments, small enough to keep memory modest.
const batchSize = 1000

// formatVersion is stored in every index kb writes; Open refuses others, so a
// stale or foreign index is reported rather than answering with wrong fields.
const formatVersion = "kb-search-4"

// Internal keys for what an opened index needs besides its documents.
var (
	keyVersion  = []byte("kb:version")
	keySynonyms = []byte("kb:synonyms")
	keyLabels   = []byte("kb:labels")
	keyRows     = []byte("kb:rows")
)

// Index is a searchable index of the site's pages, on disk or in memory.
// It is safe for concurrent use.
type Index struct {
	bi       bleve.Index
	mapping  mapping.IndexMapping
	synonyms *Synonyms

	mu     sync.RWMutex
	labels labels
	rows   map[string]row // by URL: what filters, facets and sorting read
	tbl    *table         // rows in search order; nil after a change
	// readOnly indexes never renumber their documents, so rows can be found
	// by bleve's internal IDs without loading each match's URL.
	readOnly bool
}

// labels are the display names of topic and organisation slugs, for facets
// and results; measures and types have fixed names in kb itself.
type labels struct {
	Topics        map[string]string `json:"topics"`
	Organisations map[string]string `json:"organisations"`
}

func (l *labels) add(p *site.Page) {
	for _, t := range p.TopicTerms {
		l.Topics[t.Slug] = t.Name
	}
	for _, t := range p.OrgTerms {
		l.Organisations[t.Slug] = t.Name
	}
}

// Build writes a new index of s's published items into dir, which must not
// exist yet, and closes it. The build writes into a temporary folder and
// renames it, so readers never see half an index.
func Build(s *site.Site, dir string, syn *Synonyms) error {
	m := newMapping()
	bi, err := bleve.NewUsing(dir, m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return fmt.Errorf("creating search index %s: %w", dir, err)
	}
	idx := &Index{bi: bi, mapping: m, synonyms: syn, labels: newLabels(), rows: map[string]row{}}
	err = idx.Upsert(s.Items...)
	if err == nil {
		err = idx.saveMeta()
	}
	if err == nil {
		// One segment opens and searches fastest; the index never changes after.
		if sc, ok := indexImpl(bi); ok {
			err = sc.ForceMerge(context.Background(), nil)
		}
	}
	if cerr := bi.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing search index %s: %w", dir, err)
	}
	return nil
}

// indexImpl finds the scorch index under bleve's wrapper, for force merging.
func indexImpl(bi bleve.Index) (*scorch.Scorch, bool) {
	adv, err := bi.Advanced()
	if err != nil {
		return nil, false
	}
	sc, ok := adv.(*scorch.Scorch)
	return sc, ok
}

// NewMemory indexes s in memory, for the preview server, which keeps it up to
// date with Upsert and Delete as files change.
func NewMemory(s *site.Site, syn *Synonyms) (*Index, error) {
	m := newMapping()
	bi, err := bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("creating search index in memory: %w", err)
	}
	idx := &Index{bi: bi, mapping: m, synonyms: syn, labels: newLabels(), rows: map[string]row{}}
	if err := idx.Upsert(s.Items...); err != nil {
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
	bi, err := bleve.OpenUsing(dir, map[string]interface{}{"read_only": true})
	if err != nil {
		return nil, fmt.Errorf("search index %s cannot be opened (%v): delete it and run kb build again", dir, err)
	}
	idx := &Index{bi: bi, mapping: bi.Mapping(), readOnly: true}
	if err := idx.loadMeta(); err != nil {
		bi.Close()
		return nil, fmt.Errorf("search index %s is not one kb can read (%v): delete it and run kb build again", dir, err)
	}
	if _, err := idx.table(); err != nil {
		bi.Close()
		return nil, fmt.Errorf("search index %s cannot be read (%v): delete it and run kb build again", dir, err)
	}
	return idx, nil
}

func (x *Index) saveMeta() error {
	lb, err := json.Marshal(x.labels)
	if err != nil {
		return err
	}
	rows, err := encodeRows(x.rows)
	if err != nil {
		return err
	}
	for k, v := range map[string][]byte{string(keyVersion): []byte(formatVersion),
		string(keySynonyms): []byte(x.synonyms.text), string(keyLabels): lb, string(keyRows): rows} {
		if err := x.bi.SetInternal([]byte(k), v); err != nil {
			return err
		}
	}
	return nil
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
	if x.synonyms, err = ParseSynonyms(string(text), "synonyms in the index"); err != nil {
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
	rows, err := x.bi.GetInternal(keyRows)
	if err != nil {
		return err
	}
	x.rows, err = decodeRows(rows)
	return err
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
func (x *Index) Upsert(pages ...*site.Page) error {
	docs := x.documents(pages)
	b := x.bi.NewBatch()
	for i, p := range pages {
		if err := b.Index(p.URL, docs[i]); err != nil {
			return fmt.Errorf("indexing %s: %w", p.Path, err)
		}
		if b.Size() >= batchSize || i == len(pages)-1 {
			if err := x.bi.Batch(b); err != nil {
				return fmt.Errorf("indexing: %w", err)
			}
			b.Reset()
		}
	}
	x.mu.Lock()
	for _, p := range pages {
		x.labels.add(p)
		x.rows[p.URL] = rowFrom(p)
	}
	x.tbl = nil
	x.mu.Unlock()
	return nil
}

// documents prepares the pages' index documents on all cores: extracting
// text and finding vocabulary terms is a good part of indexing.
func (x *Index) documents(pages []*site.Page) []document {
	docs := make([]document, len(pages))
	par.For(len(pages), func(i int) { docs[i] = docFrom(pages[i], x.synonyms) })
	return docs
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
func (x *Index) Close() error { return x.bi.Close() }
