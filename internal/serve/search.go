package serve

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"sync"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/site"
)

// memorySearch keeps an in-memory search index in step with the preview:
// an edit re-indexes only the pages it changed.
type memorySearch struct {
	source string
	mu     sync.Mutex
	idx    *search.Index
	syn    []byte // synonyms.txt as last read: a change rebuilds the index
}

// NewSearch returns the preview's search over an in-memory index of the
// site at source.
func NewSearch(source string) Search { return &memorySearch{source: source} }

func (m *memorySearch) Update(model *build.Model, upserted []*site.Page, deleted []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	raw, _ := os.ReadFile(filepath.Join(m.source, search.SynonymsFile))
	if m.idx == nil || !bytes.Equal(raw, m.syn) {
		syn, err := search.ReadSynonyms(m.source)
		if err != nil {
			return err
		}
		idx, err := search.NewMemory(model.Site, syn)
		if err != nil {
			return err
		}
		if m.idx != nil {
			m.idx.Close()
		}
		m.idx, m.syn = idx, raw
		return nil
	}
	if err := m.idx.Delete(deleted...); err != nil {
		return err
	}
	var items []*site.Page
	for _, p := range upserted {
		if p.Kind == content.Item { // the index holds items only
			items = append(items, p)
		}
	}
	return m.idx.Upsert(items...)
}

func (m *memorySearch) Handler(model *build.Model) http.Handler {
	m.mu.Lock()
	defer m.mu.Unlock()
	return search.Handler(m.idx, model.Renderer)
}

func (m *memorySearch) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.idx == nil {
		return nil
	}
	return m.idx.Close()
}
