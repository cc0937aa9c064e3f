package build

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/diag"
)

// walked is the last walk of content/, kept so that an edit the watcher
// names precisely costs a stat of the files it names rather than a walk of
// every folder: at 10,000 pages the walk is most of an edit's work.
type walked struct {
	files  []*content.Page // as content.Scan lists them, in its order
	static []content.Resource
	clean  bool // the walk found no problem (else walk again, to report it)
}

// maxHints is the most hints looked up one by one in the last walk's list.
const maxHints = 64

// scan lists content/'s Markdown files and static files as they are now. When
// every hint under content/ names a page the last walk found and that is
// still an ordinary file, only those files are looked at again: the writes
// of an editor's save. Anything else (no hints, a file created, removed or
// renamed, a folder, a bundle's file, settings that changed, records from
// disk) walks the whole tree, as the first build does.
func (b *Incremental) scan(hints []string, errs *diag.List) ([]*content.Page, []content.Resource) {
	if files, ok := b.hinted(hints); ok {
		return files, b.walk.static
	}
	scan := content.Scan
	if len(b.pages) == 0 {
		scan = content.ScanPacked // a first build keeps every page
	}
	b.walks++
	files, static, serrs := scan(b.opt.Source)
	errs.Append(serrs)
	b.walk = &walked{files: files, static: static, clean: len(serrs) == 0}
	return files, static
}

// hinted returns the last walk's files with those the hints name stated
// again, or false when the hints may name a change a walk must find.
func (b *Incremental) hinted(hints []string) ([]*content.Page, bool) {
	w := b.walk
	// Many hints (a branch checked out) are looked up faster by a walk.
	if len(hints) == 0 || len(hints) > maxHints || w == nil || !w.clean || b.known != nil || b.settingsDirty {
		return nil, false
	}
	src, err := filepath.Abs(b.opt.Source)
	if err != nil {
		return nil, false
	}
	var files []*content.Page // copied on the first file stated again
	for _, h := range hints {
		rel, ok := contentPath(src, h)
		if !ok {
			continue // the theme, layouts, settings: each is hashed on its own
		}
		// A search of the list rather than a map by path: a hint or two
		// against 10,000 files takes microseconds, and the preview's memory
		// is spent elsewhere.
		i := slices.IndexFunc(w.files, func(f *content.Page) bool { return f.Path == rel })
		if i < 0 || b.pages[rel] == nil {
			return nil, false // new, or not a page: a folder, a bundle's file
		}
		old := w.files[i]
		fi, err := os.Lstat(old.File)
		if err != nil || !fi.Mode().IsRegular() {
			return nil, false // removed or renamed away, or now a link
		}
		if files == nil {
			files = append([]*content.Page(nil), w.files...)
		}
		// A new entry, never the old one: that may be the page last parsed.
		files[i] = &content.Page{Path: old.Path, File: old.File, Resources: old.Resources,
			FileSize: fi.Size(), FileTime: content.ModTime(fi)}
	}
	if files == nil {
		files = w.files // nothing under content/ changed
	}
	w.files = files
	return files, true
}

// contentPath is the slash-separated path of file below src, when it is in
// src's content folder (or is that folder).
func contentPath(src, file string) (string, bool) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return "", false
	}
	rel, err := filepath.Rel(src, abs)
	if err != nil || !filepath.IsLocal(rel) {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	return rel, rel == "content" || strings.HasPrefix(rel, "content/")
}
