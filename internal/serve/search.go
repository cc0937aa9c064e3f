package serve

import (
	"net/http"
	"sync"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/search/analysis"
	"github.com/nhsx/kb/internal/search/web"
)

// memorySearch keeps an in-memory search index in step with the preview:
// an edit re-indexes only the pages it changed.
type memorySearch struct {
	mu   sync.Mutex
	idx  *search.Index
	syn  *analysis.Synonyms // the vocabulary idx was built with
	gate *web.Gate          // shared by the handlers of every build
}

// NewSearch returns the preview's search over an in-memory index of the
// site it is given.
func NewSearch() Search { return &memorySearch{gate: web.NewGate(0, 0)} }

func (m *memorySearch) Update(up *build.Update) error {
	model := up.Model
	m.mu.Lock()
	defer m.mu.Unlock()
	// The builder reads synonyms.txt again only when it or the settings
	// change, and every page is parsed again then too: index them all.
	if m.idx == nil || model.Synonyms != m.syn {
		pages, err := build.SearchPages(model.Site.Items)
		if err != nil {
			return err
		}
		idx, err := search.NewMemory(pages, model.Synonyms)
		if err != nil {
			return err
		}
		if m.idx != nil {
			m.idx.Close()
		}
		m.idx, m.syn = idx, model.Synonyms
		return nil
	}
	if err := m.idx.Delete(up.Deleted...); err != nil {
		return err
	}
	pages, err := up.Documents()
	if err != nil {
		return err
	}
	return m.idx.Upsert(pages...)
}

func (m *memorySearch) Handler(model *build.Model) http.Handler {
	m.mu.Lock()
	defer m.mu.Unlock()
	// no-store: the next edit changes the answers, and a reader must not see
	// the ones from before it.
	h, err := model.SearchHandler(m.idx, web.WithGate(m.gate), web.WithCacheControl("no-store"))
	if err != nil {
		// The theme's search layout cannot frame the results: say so where
		// the results would be.
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "search: "+err.Error(), http.StatusInternalServerError)
		})
	}
	return h
}

func (m *memorySearch) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.idx == nil {
		return nil
	}
	return m.idx.Close()
}
