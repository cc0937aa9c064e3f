package build

import (
	"sync"

	"github.com/nhsx/kb/internal/markdown"
	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/site"
)

// renderedDocs keeps the search documents of the pages an edit's build
// renders, made from the parse each render needed anyway, so that the
// preview's index is brought up to date without parsing those pages again
// (render.Indexer). Only an edit's build keeps them: a whole site's
// documents at once would cost the preview the memory it saves elsewhere.
type renderedDocs struct {
	// want are the source paths of the pages changed: other pages rendered
	// (those listing a retitled page among their related items) keep their
	// documents, and making them would only delay the reload.
	want  map[string]bool
	mu    sync.Mutex
	pages map[*site.Page]search.Page
}

func (d *renderedDocs) Add(p *site.Page, whole *markdown.Doc) {
	if !d.want[p.Path] || !Searchable(p) {
		return
	}
	sp := searchPage(p, whole)
	d.mu.Lock()
	d.pages[p] = sp
	d.mu.Unlock()
}

// Documents are the search documents of the searchable pages among
// Upserted, each from the parse its render made, or parsed again when the
// build did not render it (a page whose file changed since its facts were
// read is an error: the next build, which the watcher starts, reads it).
func (up *Update) Documents() ([]search.Page, error) {
	return searchPagesFrom(up.Upserted, up.docs)
}
