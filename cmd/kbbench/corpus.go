package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// corpus is one generated knowledge base to time, as gencorpus.py writes it.
type corpus struct {
	dir   string // gencorpus.py's --out: holds content/
	runs  int
	name  string // the folder's name, for the work folders and the table
	pages int    // items, not counting section introductions
}

// workspace is where one corpus is timed: kb builds a private copy of the
// content, so the page it edits and the .kb/ it keeps or removes never
// disturb anyone else's runs on the shared corpus; Hugo builds a peer site
// over the shared content itself (same bytes).
type workspace struct {
	src, out   string // kb's --source (the copy) and --out
	hugoSite   string
	hugoOut    string
	editPage   string // the page the one-page-edit row changes
	editOrigin []byte
}

// parseCorpus reads "DIR" or "DIR:RUNS".
func parseCorpus(arg string, runs int) (corpus, error) {
	c := corpus{dir: arg, runs: runs}
	if i := strings.LastIndexByte(arg, ':'); i > 0 {
		if _, err := fmt.Sscan(arg[i+1:], &c.runs); err != nil || c.runs < 1 {
			return c, fmt.Errorf("%s: the number of runs after ':' must be a whole number above 0", arg)
		}
		c.dir = arg[:i]
	}
	c.name = filepath.Base(filepath.Clean(c.dir))
	n, err := countPages(filepath.Join(c.dir, "content"))
	if err != nil {
		return c, fmt.Errorf("%s: no corpus here (make corpora, or gencorpus.py --out %s): %w", c.dir, c.dir, err)
	}
	c.pages = n
	return c, nil
}

// countPages counts the Markdown pages under dir that are not a section's
// _index.md, as the table's "pages" means.
func countPages(dir string) (int, error) {
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") && d.Name() != "_index.md" {
			n++
		}
		return err
	})
	return n, err
}

// prepare copies the corpus's content for kb, lays Hugo's peer site over
// the shared one (when Hugo is to be timed), and picks the page to edit:
// the middle guide, as the preview's benchmarks do.
func prepare(ctx context.Context, cfg *config, c corpus) (*workspace, error) {
	w := &workspace{
		src:      filepath.Join(cfg.work, "kb-"+c.name),
		out:      filepath.Join(cfg.work, "kb-out-"+c.name),
		hugoSite: filepath.Join(cfg.work, "hugo-"+c.name),
		hugoOut:  filepath.Join(cfg.work, "hugo-out-"+c.name),
	}
	if err := os.RemoveAll(w.src); err != nil {
		return nil, err
	}
	if err := os.CopyFS(filepath.Join(w.src, "content"), os.DirFS(filepath.Join(c.dir, "content"))); err != nil {
		return nil, fmt.Errorf("copying %s: %w", c.dir, err)
	}
	guides, _ := filepath.Glob(filepath.Join(w.src, "content", "guides", "*.md"))
	guides = slices.DeleteFunc(guides, func(p string) bool { return filepath.Base(p) == "_index.md" })
	if len(guides) == 0 {
		return nil, fmt.Errorf("%s: no guides to edit in content/guides", c.dir)
	}
	slices.Sort(guides)
	w.editPage = guides[len(guides)/2]
	var err error
	if w.editOrigin, err = os.ReadFile(w.editPage); err != nil {
		return nil, err
	}
	if cfg.noHugo == nil {
		peer := exec.CommandContext(ctx, "sh", cfg.peer, c.dir, w.hugoSite)
		if out, err := peer.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("%s: %v\n%s", cfg.peer, err, out)
		}
	}
	return w, nil
}

// edit changes the page's body the way a contributor would, differently
// each round so every build has something to do; saved whole (written
// beside, then renamed), as editors save.
func (w *workspace) edit(round int) error {
	body := fmt.Appendf(slices.Clone(w.editOrigin), "\nA benchmark edit, round %d.\n", round)
	tmp := w.editPage + ".tmp"
	if err := os.WriteFile(tmp, body, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, w.editPage)
}
