package content

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/markdown"
	"github.com/nhsx/kb/internal/par"
	"github.com/nhsx/kb/internal/wgll"
)

// AssessmentFolder holds the statements of the self-assessment, which are
// data, not pages: the walker leaves the folder to internal/assess.
const AssessmentFolder = wgll.AssessmentFolder

// MaxFileSize bounds one Markdown file: anything larger is almost certainly a
// mistake (a data dump or a binary with a .md name) and would stall the build.
const MaxFileSize = 10 << 20

// Tree is what Load found under content/.
type Tree struct {
	Pages []*Page
	// Static lists files outside page bundles, published at the same path.
	Static []Resource
	// Unread lists the Markdown files that could not be read (their front
	// matter is broken, say). Their errors are reported; they are kept so
	// that links to them are not reported as well, burying the one that
	// matters under a dozen "link to missing page".
	Unread []*Page
}

// Load reads and checks every file under root/content. It returns every
// problem found, not only the first, so a contributor can fix them in one go.
func Load(root string, conv *markdown.Converter, vocab Vocabulary) (*Tree, diag.List) {
	files, static, errs := Scan(root)
	w := walker{root: root, tree: &Tree{Static: static}, errs: &errs, files: files}
	w.parseAll(conv, vocab)
	return w.tree, errs
}

// LoadFrame reads what a page that is not one of the site's own needs around
// it: the home page, section and measure introductions and plain pages (the
// header, navigation and footer come from them), each from its front matter
// alone. Items are not read at all. The Netlify search function renders only
// the results page; reading every item would cost a large site seconds and
// much of its memory on each cold start.
func LoadFrame(root string, conv *markdown.Converter, vocab Vocabulary) (*Tree, diag.List) {
	files, _, errs := Scan(root)
	var frame []*Page
	for _, p := range files {
		if p.classify(); p.Kind != Item {
			frame = append(frame, p)
		}
	}
	tree := &Tree{}
	for _, p := range frame {
		if src, ok := read(p, &errs); ok && ParseSource(p, frontMatterOf(p.Path, src), conv, vocab, &errs) {
			tree.Pages = append(tree.Pages, p)
		}
	}
	return tree, errs
}

// InItem reports whether a file at rel (a slash-separated path from the
// source folder, such as content/guides/a.md) is an item or one of an item
// bundle's files: what LoadFrame never reads.
func InItem(rel string) bool {
	p := &Page{Path: rel}
	p.classify()
	return p.Kind == Item
}

// frontMatterOf cuts src after its front matter's closing line; without
// front matter src is returned whole, for ParseSource to report.
func frontMatterOf(file string, src []byte) []byte {
	var later diag.List // ParseSource reports them
	fm := splitFrontMatter(file, src, &later)
	if !fm.has() {
		return src
	}
	return bytes.Join(fm.lines[:fm.end+1], []byte("\n"))
}

// Scan walks root/content as Load does but reads no file: it returns the
// Markdown files to parse (with their bundle resources) and the static files.
// The preview server uses it to re-parse only what changed since its last build.
func Scan(root string) (files []*Page, static []Resource, errs diag.List) {
	return scan(walker{root: root, tree: &Tree{}})
}

// ScanPacked is Scan with each folder's pages made in one array: for a
// build's first walk, which keeps every page to its end, each object kept is
// one more for the collector to find on every cycle. A later walk (the
// preview's, after an edit) keeps few of its pages, and one kept page would
// keep its folder's whole array.
func ScanPacked(root string) (files []*Page, static []Resource, errs diag.List) {
	return scan(walker{root: root, tree: &Tree{}, packed: true})
}

func scan(w walker) (files []*Page, static []Resource, errs diag.List) {
	root := w.root
	w.errs = &errs
	dir := filepath.Join(root, "content")
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		errs.Addf(diag.Pos{File: "content"}, "no content folder in %s: create content/ with your Markdown pages, or pass --source", root)
		return nil, nil, errs
	}
	w.dir(dir, "content")
	return w.files, w.tree.Static, errs
}

type walker struct {
	root   string
	tree   *Tree
	errs   *diag.List
	files  []*Page
	packed bool // each folder's pages in one array (see ScanPacked)
}

// ignored reports names that are never content: hidden files, editor swap and
// backup files.
func ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") ||
		strings.HasSuffix(name, "~") || strings.HasSuffix(name, ".swp") ||
		strings.HasSuffix(name, ".swx") || strings.HasSuffix(name, ".tmp") ||
		strings.HasSuffix(name, ".bak")
}

// dir walks one folder. A folder holding index.md is a page bundle: its other
// files are that page's resources.
func (w *walker) dir(abs, rel string) {
	entries, err := os.ReadDir(abs)
	if err != nil {
		w.errs.Addf(diag.Pos{File: rel}, "cannot read folder: %v", err)
		return
	}
	if rel == AssessmentFolder {
		return // the self-assessment's statements: internal/assess reads them
	}
	if rel != "content" && hasIndex(entries) {
		w.bundle(abs, rel, entries)
		return
	}
	entries = slices.DeleteFunc(entries, func(e fs.DirEntry) bool { return ignored(e.Name()) })
	found := w.followAll(abs, rel, entries)
	var pages []Page // see ScanPacked
	if w.packed {
		pages = make([]Page, countIf(found, isMarkdown))
	}
	for _, f := range found {
		switch {
		case f.info == nil:
		case f.info.IsDir():
			w.dir(f.abs, f.rel)
		case isMarkdown(f):
			var p *Page
			if len(pages) > 0 {
				p, pages = &pages[0], pages[1:]
			} else {
				p = new(Page)
			}
			*p = Page{Path: f.rel, File: f.abs, FileSize: f.info.Size(), FileTime: ModTime(f.info), FileChange: ChangeTime(f.info)}
			w.files = append(w.files, p)
		case checkPublishable(f.rel, w.errs):
			w.tree.Static = append(w.tree.Static, Resource{Name: strings.TrimPrefix(f.rel, "content/"), File: f.abs, Size: f.info.Size()})
		}
	}
}

// isMarkdown reports whether f is a Markdown file (a page).
func isMarkdown(f entry) bool {
	return f.info != nil && !f.info.IsDir() && strings.EqualFold(path.Ext(f.rel), ".md")
}

func countIf[T any](list []T, ok func(T) bool) int {
	n := 0
	for _, v := range list {
		if ok(v) {
			n++
		}
	}
	return n
}

// joinAll returns the path of each entry of the folder at abs; a packed
// walk's are parts of one string (see ScanPacked and Pack), as a page keeps
// its path for the whole build.
func (w *walker) joinAll(abs string, entries []fs.DirEntry) []string {
	paths := make([]string, len(entries))
	for i, e := range entries {
		paths[i] = abs + string(filepath.Separator) + e.Name()
	}
	if w.packed {
		Pack(paths)
	}
	return paths
}

// entry is one entry of a folder with its paths, and its info once followed
// (nil when it could not be).
type entry struct {
	abs, rel string
	info     fs.FileInfo
}

// followAll follows a folder's entries, on all cores when there are many: a
// large knowledge base keeps thousands of pages in one folder, and the
// preview server walks content/ again on every edit.
func (w *walker) followAll(abs, rel string, entries []fs.DirEntry) []entry {
	out := make([]entry, len(entries))
	errs := make([]diag.List, len(entries))
	paths := w.joinAll(abs, entries)
	one := func(i int) {
		name := entries[i].Name() // never "", "." or "..": joining needs no cleaning
		out[i] = entry{abs: paths[i]}
		out[i].rel = shared(out[i].abs, rel, name)
		out[i].info = follow(w.root, scope{filepath.Join(w.root, "content"), "content/"}, out[i].abs, out[i].rel, entries[i], &errs[i])
	}
	if workers := runtime.GOMAXPROCS(0); len(entries) < 256 || workers == 1 {
		for i := range entries {
			one(i)
		}
	} else {
		par.For(workers, func(k int) {
			for i := k * len(entries) / workers; i < (k+1)*len(entries)/workers; i++ {
				one(i)
			}
		})
	}
	for _, e := range errs {
		w.errs.Append(e)
	}
	return out
}

func hasIndex(entries []fs.DirEntry) bool {
	for _, e := range entries {
		if e.Name() == "index.md" && !e.IsDir() {
			return true
		}
	}
	return false
}

// bundle records a page bundle: index.md and every other file below it.
// Its files are published beside the page, so each must be of a type kb
// publishes, and a symbolic link in it may point only within the bundle.
func (w *walker) bundle(abs, rel string, entries []fs.DirEntry) {
	in := scope{abs, "its page bundle " + rel + "/"}
	i := slices.IndexFunc(entries, func(e fs.DirEntry) bool { return e.Name() == "index.md" })
	index := filepath.Join(abs, "index.md")
	if follow(w.root, in, index, rel+"/index.md", entries[i], w.errs) == nil {
		return
	}
	p := &Page{Path: rel + "/index.md", File: index}
	w.files = append(w.files, p)
	var collect func(a, r, prefix string)
	collect = func(a, r, prefix string) {
		entries, err := os.ReadDir(a)
		if err != nil {
			w.errs.Addf(diag.Pos{File: r}, "cannot read folder: %v", err)
			return
		}
		for _, e := range entries {
			if ignored(e.Name()) || (prefix == "" && e.Name() == "index.md") {
				continue
			}
			ea, er := filepath.Join(a, e.Name()), path.Join(r, e.Name())
			info := follow(w.root, in, ea, er, e, w.errs)
			switch {
			case info == nil:
			case info.IsDir():
				collect(ea, er, prefix+e.Name()+"/")
			case checkPublishable(er, w.errs):
				p.Resources = append(p.Resources, Resource{Name: prefix + e.Name(), File: ea, Size: info.Size()})
			}
		}
	}
	collect(abs, rel, "")
}

// scope is a folder symbolic links may point into, and how messages name
// it.
type scope struct {
	dir, name string
}

// resolved is the folder as symbolic links are compared with it: worked out
// only when a link is found, as most folders hold none.
func (s scope) resolved() string {
	dir := s.dir
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	abs, _ := filepath.Abs(dir)
	return abs
}

// follow returns a directory entry's info, refusing what is not an ordinary
// file or folder (a named pipe would hang the build), and resolving a
// symbolic link only when it points at a file inside in: the page bundle
// holding it, or content/ for the files outside bundles, and not at a hidden
// file there. A link anywhere else could publish what was never meant to be,
// such as .git/config. It returns nil, adding to errs, when the entry
// cannot be used.
func follow(root string, in scope, abs, rel string, e fs.DirEntry, errs *diag.List) fs.FileInfo {
	if e.Type()&fs.ModeSymlink == 0 {
		info, err := e.Info()
		if err != nil {
			errs.Addf(diag.Pos{File: rel}, "cannot read: %v", err)
			return nil
		}
		if !checkRegular(rel, info.Mode(), errs) {
			return nil
		}
		return info
	}
	target, err := filepath.EvalSymlinks(abs)
	if err != nil {
		errs.Addf(diag.Pos{File: rel, Line: 1, Col: 1}, "broken symbolic link: remove it or point it at a file inside the source folder")
		return nil
	}
	target, _ = filepath.Abs(target) // relative when the source was given as one (--source .)
	rootAbs, _ := filepath.EvalSymlinks(root)
	rootAbs, _ = filepath.Abs(rootAbs)
	if !within(rootAbs, target) {
		errs.Addf(diag.Pos{File: rel, Line: 1, Col: 1}, "symbolic link points outside the source folder (to %s): kb never follows links out of the source; copy the file in instead", target)
		return nil
	}
	shown := filepath.ToSlash(target)
	if r, err := filepath.Rel(rootAbs, target); err == nil {
		shown = filepath.ToSlash(r)
	}
	inDir := in.resolved()
	if !within(inDir, target) {
		errs.Addf(diag.Pos{File: rel, Line: 1, Col: 1}, "symbolic link points outside %s (to %s): kb follows links only within it, so that nothing else in the source is published; copy the file in instead", in.name, shown)
		return nil
	}
	if below, _ := filepath.Rel(inDir, target); slices.ContainsFunc(strings.Split(filepath.ToSlash(below), "/"), ignored) {
		errs.Addf(diag.Pos{File: rel, Line: 1, Col: 1}, "symbolic link points at %s, which kb never publishes (its name is hidden or a backup's): copy the file in under an ordinary name instead", shown)
		return nil
	}
	info, err := os.Stat(target)
	if err != nil {
		errs.Addf(diag.Pos{File: rel}, "cannot read: %v", err)
		return nil
	}
	if info.IsDir() {
		errs.Addf(diag.Pos{File: rel, Line: 1, Col: 1}, "symbolic link to a folder: kb does not follow these; move the folder here instead")
		return nil
	}
	if !checkRegular(rel, info.Mode(), errs) {
		return nil
	}
	return info
}

func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// parseAll reads and decodes the files found, in parallel on all cores.
func (w *walker) parseAll(conv *markdown.Converter, vocab Vocabulary) {
	results := make([]diag.List, len(w.files))
	ok := make([]bool, len(w.files))
	par.ForIO(len(w.files), func(i int) { ok[i] = Parse(w.files[i], conv, vocab, &results[i]) })
	for i, p := range w.files {
		w.errs.Append(results[i])
		if ok[i] {
			w.tree.Pages = append(w.tree.Pages, p)
		} else {
			w.tree.Unread = append(w.tree.Unread, p)
		}
	}
}

// Parse reads p.File and fills in p. It reports false when the page cannot be
// used at all (unreadable, not text, no front matter).
func Parse(p *Page, conv *markdown.Converter, vocab Vocabulary, errs *diag.List) bool {
	src, ok := read(p, errs)
	return ok && parseSource(p, src, conv, vocab, errs)
}

// ParseRaw fills in p from raw, the bytes just read from p.File, as Parse
// would: for a caller that read them to tell whether they changed, and so
// has sum, their SHA-256, already (hashing them again was a second pass over
// every source in a build's first pass).
func ParseRaw(p *Page, raw []byte, sum [32]byte, conv *markdown.Converter, vocab Vocabulary, errs *diag.List) bool {
	p.classify()
	if len(raw) > MaxFileSize {
		return Parse(p, conv, vocab, errs)
	}
	src, err := Clean(p.Path, raw)
	if err != nil {
		addReadError(p, err, errs)
		return false
	}
	p.sum = sum
	return parseSource(p, src, conv, vocab, errs)
}

// read reads and cleans p's file, reporting why it cannot.
func read(p *Page, errs *diag.List) ([]byte, bool) {
	p.classify()
	src, err := readSource(p)
	if err != nil {
		addReadError(p, err, errs)
		return nil, false
	}
	return src, true
}

// addReadError reports why p's file cannot be read or used as text.
func addReadError(p *Page, err error, errs *diag.List) {
	var d diag.Diagnostic
	if errors.As(err, &d) {
		errs.Append(diag.List{d})
	} else {
		errs.Addf(diag.Pos{File: p.Path}, "cannot read: %v", err)
	}
}

// ParseSource decodes already-read, cleaned source into p. The page keeps
// src, as there is no file to read it from again (see Source).
func ParseSource(p *Page, src []byte, conv *markdown.Converter, vocab Vocabulary, errs *diag.List) bool {
	p.given = &src
	return parseSource(p, src, conv, vocab, errs)
}

// parseSource decodes src, the cleaned source of p, into p.
func parseSource(p *Page, src []byte, conv *markdown.Converter, vocab Vocabulary, errs *diag.List) bool {
	p.classify()
	before := len(*errs)
	p.fm = splitFrontMatter(p.Path, src, errs)
	if len(*errs) > before {
		return false
	}
	if !p.fm.has() {
		errs.Addf(diag.Pos{File: p.Path, Line: 1, Col: 1}, "missing front matter: start the file with a line ---, then title: and summary: lines, then another ---")
		return false
	}
	body := src
	p.checked = bodyFits
	if lerr := markdown.Check(src); lerr != nil {
		// Parse the front matter alone: the page keeps its title and place
		// (so links to it are not reported too), without the body.
		errs.Addf(diag.At(p.Path, src, lerr.Offset), "%s", lerr.Msg)
		body = src[:p.fm.bodyStart()]
		p.checked = bodyCut
	}
	p.Doc = conv.Scan(body) // its facts only: see Scan
	if lerr := p.Doc.Limit; lerr != nil {
		errs.Addf(diag.At(p.Path, src, lerr.Offset), "%s", lerr.Msg)
	}
	if p.Doc.MetaErr != nil {
		d := p.fm.yamlError(p.Doc.MetaErr)
		errs.Append(diag.List{d})
		return false
	}
	p.decode(p.Doc.Meta, vocab, errs)
	p.checkHeadings(src, errs)
	// The page keeps only what other pages need of it; its source is read
	// and parsed again, for its own render, when its turn comes.
	p.Doc = p.Doc.FactsInto(&p.facts, (*loader)(p))
	p.remember()
	return true
}

// readSource reads a Markdown file and cleans what editors add: a byte-order
// mark and Windows line endings are accepted; binary or non-UTF-8 text is not.
func readSource(p *Page) ([]byte, error) {
	file, rel := p.File, p.Path
	info, err := os.Stat(file)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, diag.Diagnostic{Pos: diag.Pos{File: rel, Line: 1, Col: 1}, Msg: notRegular(info.Mode())}
	}
	if info.Size() > MaxFileSize {
		return nil, diag.Diagnostic{Pos: diag.Pos{File: rel, Line: 1, Col: 1}, Msg: fmt.Sprintf("file is %.1f MB; a page must be under %d MB: split it, or publish large data as a download in a page bundle", float64(info.Size())/1e6, MaxFileSize>>20)}
	}
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	p.sum = sha256.Sum256(src)
	return Clean(rel, src)
}

// Clean strips a byte-order mark and carriage returns, and rejects content that
// is not UTF-8 text, pointing at the first bad byte.
func Clean(rel string, src []byte) ([]byte, error) {
	src = bytes.TrimPrefix(src, []byte("\xEF\xBB\xBF"))
	if len(bytes.TrimSpace(src)) == 0 {
		return nil, diag.Diagnostic{Pos: diag.Pos{File: rel, Line: 1, Col: 1}, Msg: "file is empty: add front matter with a title and summary, or delete the file"}
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		return nil, diag.Diagnostic{Pos: diag.At(rel, src, i), Msg: "file contains a NUL byte, so it is not text: is it a binary file saved with a .md name?"}
	}
	if !utf8.Valid(src) {
		i := 0
		for i < len(src) {
			r, n := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		return nil, diag.Diagnostic{Pos: diag.At(rel, src, i), Msg: "file is not valid UTF-8 text: save it with UTF-8 encoding"}
	}
	if bytes.IndexByte(src, '\r') >= 0 {
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
		src = bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
	}
	return src, nil
}

// classify sets Kind, Section and Slug from the page's path.
func (p *Page) classify() {
	rel := strings.TrimPrefix(p.Path, "content/")
	dir, name := path.Split(rel)
	dir = strings.TrimSuffix(dir, "/")
	stem := strings.TrimSuffix(name, path.Ext(name))
	if stem == "index" && dir != "" {
		dir, stem = path.Split(dir)
		dir = strings.TrimSuffix(dir, "/")
	}
	first, below, _ := strings.Cut(path.Join(dir, stem), "/")
	switch {
	case rel == "_index.md":
		p.Kind = Home
	case stem == "_index" && TypeOf(dir) != "":
		p.Kind, p.Section = Section, dir
	case stem == "_index":
		p.Kind, p.Slug = Plain, Slugify(dir)
	case first == "measures" && dir == "measures":
		p.Kind, p.Slug = MeasureIntro, stem
	case TypeOf(first) != "" && below != "":
		// the section's own name: first would keep the joined path alive
		p.Kind, p.Section, p.Slug = Item, SectionOf(TypeOf(first)), Slugify(below)
	default:
		p.Kind, p.Slug = Plain, Slugify(path.Join(dir, stem))
	}
	p.Slug = partOf(p.Path, p.Slug)
}

// partOf returns s as a part of whole when whole holds it, else s: a file's
// slug is most often its name, and every page keeps both for the whole
// build.
func partOf(whole, s string) string {
	if i := strings.Index(whole, s); i >= 0 && s != "" {
		return whole[i : i+len(s)]
	}
	return s
}

// Slugify makes a URL path from a file path or a name: lower case, spaces and
// underscores as hyphens, punctuation dropped. Letters outside ASCII are kept;
// browsers show them.
func Slugify(s string) string {
	parts := strings.Split(s, "/")
	for i, p := range parts {
		parts[i] = slugSegment(p)
	}
	return strings.Join(parts, "/")
}

func slugSegment(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	var b strings.Builder
	dash := false
	for _, r := range s {
		switch {
		case r == ' ' || r == '_' || r == '-':
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
			continue
		case (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r > 127 && unicode.IsLetter(r)):
			b.WriteRune(r)
		default:
			continue
		}
		dash = false
	}
	return strings.Trim(b.String(), "-")
}

// ModTime is a file's modification time in nanoseconds since 1970, as
// Page.FileTime keeps it; 0 stands for unknown.
func ModTime(fi os.FileInfo) int64 { return fi.ModTime().UnixNano() }
