// Package move plans and applies the renaming of a page or a page bundle
// (kb mv): the files move, the page keeps its old URL as an alias, and every
// Markdown link to it across content/ is rewritten, relative to each linking
// file. A plan is worked out in full before anything is written, so a dry run
// shows exactly what would change.
package move

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/site"
)

// Rename is one file moving, both paths slash-separated from the source folder.
type Rename struct{ From, To string }

// Edit is a Markdown file whose text changes. Path is where it ends up.
type Edit struct {
	Path     string
	Old, New []byte
	Links    int    // link destinations rewritten
	Alias    string // the old URL added to its aliases, if any
}

// Plan is everything a move does.
type Plan struct {
	From, To         string // the content paths as asked
	OldURL, NewURL   string
	Renames          []Rename
	Edits            []Edit
	Warnings         []string // links that could not be rewritten and must be fixed by hand
	pageFrom, pageTo string   // the moved page's Markdown file, before and after
}

// Make plans moving from (a page's Markdown file, or a bundle folder) to to,
// both given relative to root, such as content/standards/dtac.md. It refuses
// when from is missing, when to exists, or when either is not a page in
// content/, saying why.
func Make(root, from, to string) (*Plan, error) {
	from, to = clean(root, from), clean(root, to)
	p := &Plan{From: from, To: to}
	for _, c := range []string{from, to} {
		if !strings.HasPrefix(c, "content/") {
			return nil, fmt.Errorf("%s is not inside content/: give paths such as content/standards/dtac.md", c)
		}
	}
	fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(from)))
	if err != nil {
		return nil, fmt.Errorf("%s does not exist: give the page's Markdown file or its bundle folder, such as content/standards/dtac.md", from)
	}
	if _, err := os.Lstat(filepath.Join(root, filepath.FromSlash(to))); err == nil {
		return nil, fmt.Errorf("%s already exists: choose a new name, or remove that one first", to)
	}
	if fi.IsDir() {
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(from), "index.md")); err != nil {
			return nil, fmt.Errorf("%s is a folder but not a page bundle (it has no index.md): move its pages one by one", from)
		}
		if path.Ext(to) != "" {
			return nil, fmt.Errorf("%s is a bundle folder, so the new name must be a folder too, such as %s", from, strings.TrimSuffix(to, path.Ext(to)))
		}
		if strings.HasPrefix(to+"/", from+"/") {
			return nil, fmt.Errorf("cannot move %s into itself", from)
		}
		p.pageFrom, p.pageTo = from+"/index.md", to+"/index.md"
	} else {
		if !strings.EqualFold(path.Ext(from), ".md") || !strings.EqualFold(path.Ext(to), ".md") {
			return nil, fmt.Errorf("kb mv moves pages: %s and %s must both be Markdown files (.md), or both bundle folders", from, to)
		}
		if path.Base(from) == "index.md" {
			return nil, fmt.Errorf("%s is a bundle's page: move the whole folder, %s", from, path.Dir(from))
		}
		p.pageFrom, p.pageTo = from, to
	}
	oldPage, newPage := content.Classify(p.pageFrom), content.Classify(p.pageTo)
	for _, c := range []*content.Page{oldPage, newPage} {
		if c.Kind == content.Home || c.Kind == content.Section {
			return nil, fmt.Errorf("%s is a home or section introduction: kb mv moves items and plain pages", c.Path)
		}
	}
	p.OldURL, p.NewURL = site.URLOf(oldPage), site.URLOf(newPage)
	if p.NewURL == "" {
		return nil, fmt.Errorf("%s would not be a page: measure introductions are named after their measure", to)
	}
	files, err := markdownFiles(root)
	if err != nil {
		return nil, err
	}
	if err := p.plan(root, files, fi.IsDir()); err != nil {
		return nil, err
	}
	return p, nil
}

// clean makes a path given on the command line relative to root, slashed.
func clean(root, arg string) string {
	c := path.Clean(filepath.ToSlash(arg))
	if strings.HasPrefix(c, "content/") || c == "content" {
		return c
	}
	abs, err1 := filepath.Abs(arg)
	base, err2 := filepath.Abs(root)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(base, abs); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return c
}

// mapPath is where a file or folder at src (slash-separated) is after the
// move, and whether it moves.
func (p *Plan) mapPath(src string, bundle bool) (string, bool) {
	if bundle {
		if src == p.From {
			return p.To, true
		}
		if rest, ok := strings.CutPrefix(src, p.From+"/"); ok {
			return p.To + "/" + rest, true
		}
		return src, false
	}
	if src == p.From {
		return p.To, true
	}
	return src, false
}

// plan works out the renames and the edits to every Markdown file.
func (p *Plan) plan(root string, files []string, bundle bool) error {
	if bundle {
		err := filepath.WalkDir(filepath.Join(root, filepath.FromSlash(p.From)), func(abs string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(root, abs)
			from := filepath.ToSlash(rel)
			to, _ := p.mapPath(from, true)
			p.Renames = append(p.Renames, Rename{from, to})
			return nil
		})
		if err != nil {
			return err
		}
	} else {
		p.Renames = []Rename{{p.From, p.To}}
	}
	for _, f := range files {
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			return err
		}
		to, _ := p.mapPath(f, bundle)
		out, n, warns := p.relink(f, to, src, bundle)
		p.Warnings = append(p.Warnings, warns...)
		e := Edit{Path: to, Old: src, New: out, Links: n}
		if f == p.pageFrom && p.OldURL != p.NewURL && p.OldURL != "" {
			e.New, err = addAlias(e.New, p.OldURL, p.NewURL)
			if err != nil {
				return fmt.Errorf("%s: %v", f, err)
			}
			e.Alias = p.OldURL
		}
		if string(e.New) != string(e.Old) {
			p.Edits = append(p.Edits, e)
		}
	}
	sort.Slice(p.Edits, func(i, j int) bool { return p.Edits[i].Path < p.Edits[j].Path })
	return nil
}

// markdownFiles lists the Markdown files under root/content, slashed, sorted,
// skipping the hidden and backup files kb never reads.
func markdownFiles(root string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(filepath.Join(root, "content"), func(abs string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if strings.HasPrefix(name, ".") && abs != filepath.Join(root, "content") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !strings.EqualFold(filepath.Ext(name), ".md") || strings.HasSuffix(name, "~") {
			return nil
		}
		rel, _ := filepath.Rel(root, abs)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	sort.Strings(out)
	return out, err
}

// Apply carries the plan out: the files move, then the edited texts are
// written over them. It checks again that nothing is in the way first.
func (p *Plan) Apply(root string) error {
	abs := func(rel string) string { return filepath.Join(root, filepath.FromSlash(rel)) }
	for _, r := range p.Renames {
		if _, err := os.Lstat(abs(r.To)); err == nil {
			return fmt.Errorf("%s already exists: nothing was changed", r.To)
		}
	}
	if strings.HasSuffix(p.pageFrom, "/index.md") {
		if err := os.MkdirAll(filepath.Dir(abs(p.To)), 0o755); err != nil {
			return err
		}
		if err := os.Rename(abs(p.From), abs(p.To)); err != nil {
			return err
		}
	} else {
		for _, r := range p.Renames {
			if err := os.MkdirAll(filepath.Dir(abs(r.To)), 0o755); err != nil {
				return err
			}
			if err := os.Rename(abs(r.From), abs(r.To)); err != nil {
				return err
			}
		}
	}
	var errs []error
	for _, e := range p.Edits {
		errs = append(errs, os.WriteFile(abs(e.Path), e.New, 0o644))
	}
	return errors.Join(errs...)
}
