package serve

import (
	"net/http"
	"sync"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/site"
)

// memorySearch keeps an in-memory search index in step with the preview:
// an edit re-indexes only the pages it changed.
type memorySearch struct {
	mu   sync.Mutex
	idx  *search.Index
	syn  *search.Synonyms // the vocabulary idx was built with
	gate *search.Gate     // shared by the handlers of every build
}

// NewSearch returns the preview's search over an in-memory index of the
// site it is given.
func NewSearch() Search { return &memorySearch{gate: search.NewGate(0, 0)} }

func (m *memorySearch) Update(model *build.Model, upserted []*site.Page, deleted []string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	// The builder reads synonyms.txt again only when it or the settings
	// change, and every page is parsed again then too: index them all.
	if m.idx == nil || model.Synonyms != m.syn {
		idx, err := search.NewMemory(model.Site, model.Synonyms)
		if err != nil {
			return err
		}
		if m.idx != nil {
			m.idx.Close()
		}
		m.idx, m.syn = idx, model.Synonyms
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
	// no-store: the next edit changes the answers, and a reader must not see
	// the ones from before it.
	return search.Handler(m.idx, model.Renderer, search.WithGate(m.gate), search.WithCacheControl("no-store"))
}

func (m *memorySearch) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.idx == nil {
		return nil
	}
	return m.idx.Close()
}
