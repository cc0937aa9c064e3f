package build

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/nhsx/kb/internal/render"
	"github.com/nhsx/kb/internal/search"
	"github.com/nhsx/kb/internal/site"
)

// stagedIndex is a search index written beside its final place, waiting for
// the rest of the build to succeed.
type stagedIndex struct {
	tmp, next, dir string
	indexed        int // pages indexed anew
}

// Indexed is how many pages the new index took in anew; -1 without an index.
func (s *stagedIndex) Indexed() int {
	if s == nil {
		return -1
	}
	return s.indexed
}

// Commit swaps the new index in; nil (no index wanted) does nothing.
func (s *stagedIndex) Commit() error {
	if s == nil {
		return nil
	}
	return swapIndex(s.tmp, s.next, s.dir)
}

// Abort throws the new index away, leaving the old one.
func (s *stagedIndex) Abort() {
	if s != nil {
		os.RemoveAll(s.tmp)
	}
}

// pendingIndex is a search index being written as the pages render: each
// item's document goes to it from the render that parsed the item (see
// render.Indexer), into a temporary folder beside where the index goes.
type pendingIndex struct {
	w              *search.Writer
	dir, tmp, next string
}

// openIndex starts the index in a temporary folder beside dir, so that a
// folder kb cannot write is reported before any page is. An empty dir means
// no index is wanted (nil); a relative one is inside the source folder, so
// builds of different sites never share an index. The index dir holds now is
// the starting point: only pages that changed since are indexed again. With
// keep, pages not handed to it are taken as unchanged (search.Writer.Keep).
func openIndex(m *Model, dir string, keep bool) (*pendingIndex, error) {
	if dir == "" {
		return nil, nil
	}
	dir = IndexPath(m.Options.Source, dir)
	parent, base := filepath.Split(filepath.Clean(dir))
	if parent == "" {
		parent = "."
	}
	cannot := func(err error) error {
		return fmt.Errorf("search index: cannot write in %s (%v): choose another --index folder, or \"\" for none", parent, err)
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, cannot(err)
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".new-")
	if err != nil {
		return nil, cannot(err)
	}
	// bleve creates the folder itself and refuses one that exists.
	next := filepath.Join(tmp, "index")
	w, err := search.NewWriter(next, dir, m.Synonyms)
	if err == nil && keep {
		err = w.Keep()
	}
	if err != nil {
		w.Abort()
		os.RemoveAll(tmp)
		return nil, err
	}
	return &pendingIndex{w: w, dir: dir, tmp: tmp, next: next}, nil
}

// indexer is what the renderer hands items to; nil without an index.
func (p *pendingIndex) indexer() render.Indexer {
	if p == nil {
		return nil
	}
	return searchIndexer{p.w}
}

// close finishes the index with exactly the site's searchable pages; the
// build commits it only once the site itself has been published. A nil
// pendingIndex writes nothing.
func (p *pendingIndex) close(s *site.Site) (*stagedIndex, error) {
	if p == nil {
		return nil, nil
	}
	n, err := closeIndex(p.w, s)
	if err != nil {
		os.RemoveAll(p.tmp)
		return nil, err
	}
	return &stagedIndex{tmp: p.tmp, next: p.next, dir: p.dir, indexed: n}, nil
}

// abort throws the unfinished index away.
func (p *pendingIndex) abort() {
	if p != nil {
		p.w.Abort()
		os.RemoveAll(p.tmp)
	}
}

// swapIndex moves the new index into place, then removes the old one and the
// temporary folder; the old index is renamed aside first so that dir is
// never missing for longer than two renames.
func swapIndex(tmp, next, dir string) error {
	defer os.RemoveAll(tmp)
	old := filepath.Join(tmp, "old")
	if err := os.Rename(dir, old); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("search index: moving the old index aside: %w", err)
	}
	if err := os.Rename(next, dir); err != nil {
		_ = os.Rename(old, dir)
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// IndexPath resolves an index folder given on the command line: relative
// paths are inside the source folder, as kb build and kb search both take them.
func IndexPath(source, dir string) string {
	if filepath.IsAbs(dir) || dir == "" {
		return dir
	}
	return filepath.Join(source, dir)
}
