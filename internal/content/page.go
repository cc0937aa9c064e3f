// Package content reads a knowledge base's source tree: it walks content/,
// splits and decodes each file's front matter, checks it, and hands on the page
// model with every problem positioned as path:line:col.
package content

import (
	"cmp"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/markdown"
	"github.com/nhsx/kb/internal/wgll"
)

// Kind says what a source file is for, from where it sits in content/.
type Kind int8

const (
	// Item is a knowledge-base item: a blueprint, standard, template, case study or guide.
	Item Kind = iota
	// Section is a section folder's _index.md: the introduction of its list page.
	Section
	// Home is content/_index.md.
	Home
	// MeasureIntro is content/measures/<slug>.md: the text of a measure's page.
	MeasureIntro
	// Plain is any other page, such as the about page or the accessibility statement.
	Plain
)

// Sections maps each section folder to the type of the items in it, in the
// order the site lists them (kept in wgll, which the search function reads).
var Sections = wgll.Sections

// SectionOf returns the section folder of a type, or "".
func SectionOf(typ string) string {
	for _, s := range Sections {
		if s.Type == typ {
			return s.Folder
		}
	}
	return ""
}

// TypeOf returns the type of a section folder, or "".
func TypeOf(folder string) string {
	for _, s := range Sections {
		if s.Folder == folder {
			return s.Type
		}
	}
	return ""
}

// Types lists the valid item types.
func Types() []string { return wgll.Types() }

// Resource is a file in a page bundle, published beside the page.
type Resource struct {
	Name string // file name, relative to the bundle
	File string // path on disk
	Size int64
}

// Page is one source file, decoded and checked.
type Page struct {
	Path    string // slash-separated, relative to the source root: content/guides/x.md
	File    string // path on disk
	Section string // section folder for items and section indexes
	Slug    string // path below the section (or below content/ for plain pages), without extension

	Title, Type, Summary string
	Measures             []string
	Aliases              []string
	Programme            string
	Date                 time.Time
	Reviewed, ReviewDue  time.Time
	Draft                bool
	Kind                 Kind // beside Draft: a page is 8 bytes smaller
	// tags numbers its topics and then its organisations (see names),
	// ntopics of them topics: see Topics and Organisations.
	tags    []uint32
	ntopics int32
	// checked is what Check said of the page's source when it was parsed, so
	// that reading it again to render it (see Source) need not ask again:
	// the bytes read again are those, or they are refused.
	checked      bodyCheck
	Weight       int
	Owner        string         // the team or role that reviews the page
	Sources      []Source       // public documents the page's facts come from
	DownloadInfo []DownloadInfo // titles and descriptions of bundle files

	Resources []Resource
	Doc       *markdown.Doc
	// facts holds Doc once the page is parsed or restored (Doc points to
	// it): one object fewer per page for the collector.
	facts markdown.Doc
	// FileSize, FileTime and FileChange are the source file's size,
	// modification time and change time (see ModTime and ChangeTime) as the
	// walk saw them (zero for a bundle's index.md), so that the preview
	// server and kb build can tell unchanged files without asking again.
	// The times are numbers rather than time.Time, whose location is one
	// more pointer a page for the collector to follow on every cycle.
	FileSize   int64
	FileTime   int64
	FileChange int64

	// fm is the front matter's lines while the page is parsed; nil once it
	// is (see front): a page keeps only the positions every build's warnings
	// ask of it (warned), and finds any other by reading its file again.
	fm     *frontMatter
	warned warnedAt
	// sum is the SHA-256 of the file's bytes its facts came from, and given
	// the source when it was given rather than read (see Source).
	sum   [32]byte
	given *[]byte
}

// KeyPos is where a front-matter field is set, for messages about it.
func (p *Page) KeyPos(key string) diag.Pos {
	if p.fm == nil && key == "review_due" && p.warned.due.known() {
		return p.warned.due.in(p.Path)
	}
	return p.front().keyPos(key)
}

// ValuePos is where a value of a front-matter field is written.
func (p *Page) ValuePos(key, value string) diag.Pos {
	if p.fm == nil && key == "title" && value == p.Title && p.warned.title.known() {
		return p.warned.title.in(p.Path)
	}
	return p.front().valuePos(key, value)
}

// warnedAt holds the positions every build's warnings may ask of any page
// (a title shared with another page, a review overdue), so that neither the
// front matter's lines nor a second read of the file is needed for them: at
// 100,000 pages the lines were a tenth of the site model.
type warnedAt struct {
	title, due lineCol
}

// lineCol is a position in the page's own file; the zero value is unknown.
type lineCol struct{ line, col int32 }

func (lc lineCol) known() bool { return lc.line > 0 }

func (lc lineCol) in(file string) diag.Pos {
	return diag.Pos{File: file, Line: int(lc.line), Col: int(lc.col)}
}

// ownLineCol is pos as a lineCol when it is in file, else unknown.
func ownLineCol(file string, pos diag.Pos) lineCol {
	if pos.File != file || pos.Line <= 0 || pos.Line > 1<<30 || pos.Col > 1<<30 {
		return lineCol{}
	}
	return lineCol{int32(pos.Line), int32(pos.Col)}
}

// remember notes the warned positions from the front matter, which the
// page then lets go.
func (p *Page) remember() {
	p.warned = warnedAt{due: ownLineCol(p.Path, p.KeyPos("review_due"))}
	if p.Title != "" {
		p.warned.title = ownLineCol(p.Path, p.ValuePos("title", p.Title))
	}
	p.fm = nil
}

// Vocabulary is what decoding checks values against.
type Vocabulary interface {
	// TopicKnown reports whether a topic slug may be used, and suggests the
	// nearest known one when not.
	TopicKnown(slug string) (ok bool, nearest string)
	// SourcesRequired reports whether items of a type must cite a source.
	SourcesRequired(typ string) bool
}

var knownFields = map[string]bool{
	"title": true, "type": true, "summary": true, "measures": true, "topics": true,
	"organisations": true, "programme": true, "date": true, "reviewed": true,
	"review_due": true, "draft": true, "aliases": true, "weight": true,
	"owner": true, "sources": true, "downloads": true,
}

// decode fills the page's fields from its front matter, reporting every problem.
func (p *Page) decode(m map[string]any, vocab Vocabulary, errs *diag.List) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !knownFields[k] {
			msg := fmt.Sprintf("unknown front-matter field %q", k)
			if near := wgll.Nearest(k, sortedKeys(knownFields)); near != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", near)
			} else {
				msg += ": remove it; kb reads only " + strings.Join(sortedKeys(knownFields), ", ")
			}
			errs.Addf(p.KeyPos(k), "%s", msg)
		}
	}
	d := decoder{p: p, m: m, errs: errs, wrong: map[string]bool{}}
	intern := internOf(vocab)
	p.Title, p.Summary = together(d.str("title"), d.str("summary"))
	p.Type = intern(d.str("type"))
	p.Programme = intern(d.str("programme"))
	p.Measures = measuresOf(vocab, internAll(d.list("measures"), intern))
	p.SetTags(d.list("topics"), d.list("organisations"))
	p.Aliases = d.list("aliases")
	p.Date = d.date("date")
	p.Reviewed = d.date("reviewed")
	p.ReviewDue = d.date("review_due")
	p.Draft = d.boolean("draft")
	p.Weight = d.integer("weight")
	p.Owner = intern(d.str("owner"))
	p.Sources = d.sources("sources")
	p.DownloadInfo = d.downloads("downloads")
	p.check(vocab, d.wrong, errs)
	p.checkPlaceholders(errs)
}

// together returns a and b as parts of one new string: a page's title and
// summary are kept for the whole build, and one allocation is both fewer
// objects for the collector and less rounding up than two.
func together(a, b string) (string, string) {
	both := a + b
	return both[:len(a)], both[len(a):]
}

// internAll puts the kept copy of each of list's values in its place.
func internAll(list []string, intern func(string) string) []string {
	for i, s := range list {
		list[i] = intern(s)
	}
	return list
}

// check applies the rules that depend on what kind of page this is. Fields in
// wrong were given with the wrong shape and already reported: saying they are
// also missing would only repeat it.
func (p *Page) check(vocab Vocabulary, wrong map[string]bool, errs *diag.List) {
	if strings.TrimSpace(p.Title) == "" && !wrong["title"] {
		errs.Addf(p.KeyPos("title"), "missing title: add a line such as title: \"Virtual wards\" to the front matter")
	}
	if strings.TrimSpace(p.Summary) == "" && p.Kind != Section && !wrong["summary"] {
		errs.Addf(p.KeyPos("summary"), "missing summary: add a line such as summary: \"One plain sentence saying what this page is for.\"")
	}
	if p.Kind == Item {
		want := TypeOf(p.Section)
		switch {
		case p.Type == "":
			p.Type = want
		case SectionOf(p.Type) == "":
			errs.Addf(p.ValuePos("type", p.Type), "unknown type %q; valid types are %s", p.Type, strings.Join(Types(), ", "))
		case p.Type != want:
			errs.Addf(p.ValuePos("type", p.Type), "type %q does not match the folder content/%s/: move the file to content/%s/ or remove the type line", p.Type, p.Section, SectionOf(p.Type))
		}
		if len(p.Measures) == 0 && !p.Draft && !wrong["measures"] {
			errs.Addf(p.KeyPos("measures"), "missing measures: add measures: [one or more of %s]", strings.Join(wgll.Slugs(), ", "))
		}
		if len(p.Sources) == 0 && !p.Draft && !wrong["sources"] && vocab != nil && vocab.SourcesRequired(p.Type) {
			errs.Addf(diag.Pos{File: p.Path, Line: 1, Col: 1}, "a %s must cite at least one source: add sources: with the title, url, publisher and accessed date of each document its facts come from (site.yaml's require_sources asks this of every %s)", typeWords(p.Type), typeWords(p.Type))
		}
	}
	for _, m := range p.Measures {
		if _, ok := wgll.Lookup(m); !ok {
			errs.Addf(p.ValuePos("measures", m), "%s", wgll.Unknown(m))
		}
	}
	for _, t := range p.Topics() {
		if Slugify(t) != t || strings.Contains(t, "/") {
			errs.Addf(p.ValuePos("topics", t), "topic %q is not a slug: write it in lower case with hyphens, such as %q", t, Slugify(strings.ReplaceAll(t, "/", " ")))
			continue
		}
		if vocab == nil {
			continue
		}
		if ok, near := vocab.TopicKnown(t); !ok {
			msg := fmt.Sprintf("unknown topic %q: add it to topics.yaml or use a listed topic", t)
			if near != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", near)
			}
			errs.Addf(p.ValuePos("topics", t), "%s", msg)
		}
	}
	if !p.Reviewed.IsZero() && !p.ReviewDue.IsZero() && p.ReviewDue.Before(p.Reviewed) {
		errs.Addf(p.KeyPos("review_due"), "review_due %s is before reviewed %s: the next review must come after the last one", p.ReviewDue.Format(time.DateOnly), p.Reviewed.Format(time.DateOnly))
	}
	for _, a := range p.Aliases {
		if msg := CheckAlias(a); msg != "" {
			errs.Addf(p.ValuePos("aliases", a), "%s", msg)
		}
	}
}

// typeWords is an item type as written in a sentence: "case study".
func typeWords(typ string) string { return strings.ReplaceAll(typ, "-", " ") }

// CheckAlias says what is wrong with an alias's spelling, or returns "". An
// alias is a folder-style address, /old/address/, whose redirect kb writes
// as that folder's index.html: one naming a file (/old.html, /feed.xml)
// could replace a file kb generates, and anything but lower-case letters,
// digits, -, _ and . (not starting a segment, so no .., no .git) could
// escape the site or be read differently by each web server.
func CheckAlias(a string) string {
	folders := strings.TrimSuffix(a, "/")
	segs := strings.Split(folders, "/")
	if !strings.HasPrefix(a, "/") || strings.HasPrefix(a, "//") || a == "/" {
		return fmt.Sprintf("alias %q must be a site path starting with /, such as /old/page/", a)
	}
	for _, seg := range segs[1:] {
		switch {
		case seg == "":
			return fmt.Sprintf("alias %q has an empty segment (//): write it as a path such as /old/page/", a)
		case seg[0] == '.':
			return fmt.Sprintf("alias %q has a segment starting with a dot (%s): kb never writes hidden or parent folders; use an address such as /old/page/", a, seg)
		}
		for _, r := range seg {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
				return fmt.Sprintf("alias %q has %q, which an alias may not hold: use lower-case letters, digits, -, _ and . only, such as /old/page/", a, string(r))
			}
		}
	}
	if last := segs[len(segs)-1]; !strings.HasSuffix(a, "/") && strings.Contains(last, ".") {
		return fmt.Sprintf("alias %q names a file: an alias must be a folder-style address ending in /, such as %s/ (kb writes the redirect as its index.html)", a, strings.TrimSuffix(folders, path.Ext(folders)))
	}
	return ""
}

func sortedKeys(m map[string]bool) []string {
	s := make([]string, 0, len(m))
	for k := range m {
		s = append(s, k)
	}
	sort.Strings(s)
	return s
}

// decoder reads typed values out of the front matter map, reporting the
// field's line when a value has the wrong shape and noting the field in wrong.
type decoder struct {
	p     *Page
	m     map[string]any
	errs  *diag.List
	wrong map[string]bool
}

// fail reports a value of the wrong shape.
func (d decoder) fail(key, format string, args ...any) {
	d.wrong[key] = true
	d.errs.Addf(d.p.KeyPos(key), format, args...)
}

func (d decoder) str(key string) string {
	v, ok := d.m[key]
	if !ok || v == nil {
		return ""
	}
	switch s := v.(type) {
	case string:
		return strings.TrimSpace(s)
	case int, float64, bool:
		if raw, ok := d.p.fm.raw(key); ok {
			return strings.Trim(raw, `"'`)
		}
		return fmt.Sprint(s)
	}
	d.fail(key, "%s must be text, not %s", key, shape(v))
	return ""
}

func (d decoder) list(key string) []string {
	v, ok := d.m[key]
	if !ok || v == nil {
		return nil
	}
	items, ok := v.([]any)
	if !ok {
		if s, isStr := v.(string); isStr {
			d.fail(key, "%s must be a list, not text: write %s: [%s]", key, key, s)
		} else {
			d.fail(key, "%s must be a list, not %s", key, shape(v))
		}
		return nil
	}
	out := make([]string, 0, len(items))
	seen := map[string]bool{}
	var raw []string // the items as written, read once an item is not text
	asked := false
	for j, it := range items {
		s, isStr := it.(string)
		if !isStr {
			if it == nil {
				d.errs.Addf(d.p.KeyPos(key), "%s has an empty item: remove it", key)
				continue
			}
			if _, scalar := it.([]any); scalar || isMap(it) {
				d.fail(key, "each item of %s must be text, not %s", key, shape(it))
				continue
			}
			// A number or a yes/no value: take it as written, as str does
			// (topics: [y] is the topic "y", not "true").
			if !asked {
				raw, asked = d.p.fm.rawItems(key), true
			}
			s = fmt.Sprint(it)
			if len(raw) == len(items) && raw[j] != "" {
				s = raw[j]
			}
		}
		s = strings.TrimSpace(s)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

func (d decoder) date(key string) time.Time {
	v, ok := d.m[key]
	if !ok || v == nil {
		return time.Time{}
	}
	switch t := v.(type) {
	case time.Time:
		return t
	case string:
		for _, layout := range []string{time.DateOnly, time.RFC3339, "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
			if parsed, err := time.Parse(layout, strings.TrimSpace(t)); err == nil {
				return parsed
			}
		}
		d.wrong[key] = true
		d.errs.Addf(d.p.ValuePos(key, t), "%s %q is not a date: write it as YYYY-MM-DD, such as 2026-03-31", key, t)
		return time.Time{}
	}
	d.fail(key, "%s must be a date written as YYYY-MM-DD, not %s", key, shape(v))
	return time.Time{}
}

func (d decoder) boolean(key string) bool {
	v, ok := d.m[key]
	if !ok || v == nil {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		d.fail(key, "%s must be true or false, not %s", key, shape(v))
	}
	return b
}

func (d decoder) integer(key string) int {
	v, ok := d.m[key]
	if !ok || v == nil {
		return 0
	}
	n, ok := v.(int)
	if !ok {
		d.fail(key, "%s must be a whole number, not %s", key, shape(v))
	}
	return n
}

func isMap(v any) bool {
	switch v.(type) {
	case map[any]any, map[string]any:
		return true
	}
	return false
}

// shape names a YAML value's kind in words a contributor knows.
func shape(v any) string {
	switch v.(type) {
	case string:
		return "text"
	case []any:
		return "a list"
	case bool:
		return "true/false"
	case int, int64, float64:
		return "a number"
	}
	if isMap(v) {
		return "a group of fields"
	}
	return fmt.Sprintf("%T", v)
}

// SortTitle is the title as lists order it: in lower case. Lists compare
// titles with CompareTitles, which orders them as their SortTitles without
// making them: kept beside every page, they were 80 bytes a page.
func (p *Page) SortTitle() string { return strings.ToLower(p.Title) }

// CompareTitles orders a and b as strings.Compare orders their SortTitles.
func CompareTitles(a, b *Page) int { return compareLower(a.Title, b.Title) }

// compareLower is strings.Compare(strings.ToLower(a), strings.ToLower(b)),
// rune by rune: UTF-8 orders as the runes it encodes do.
func compareLower(a, b string) int {
	for a != "" && b != "" {
		ra, na := rune(a[0]), 1
		if ra >= utf8.RuneSelf {
			ra, na = utf8.DecodeRuneInString(a)
		}
		rb, nb := rune(b[0]), 1
		if rb >= utf8.RuneSelf {
			rb, nb = utf8.DecodeRuneInString(b)
		}
		if ra != rb {
			if la, lb := unicode.ToLower(ra), unicode.ToLower(rb); la != lb {
				return cmp.Compare(la, lb)
			}
		}
		a, b = a[na:], b[nb:]
	}
	return cmp.Compare(len(a), len(b)) // the one left has more runes
}

// SourcePath is the file's path relative to the source root, for edit links.
func (p *Page) SourcePath() string { return p.Path }

// checkHeadings reports level-1 headings in the body: the theme shows the
// title as the page's one h1, and a second would break the outline that
// screen readers navigate by.
func (p *Page) checkHeadings(src []byte, errs *diag.List) {
	for _, off := range p.Doc.Level1() { // p.Doc holds its tree (from Scan) while it is parsed
		errs.Addf(diag.At(p.Path, src, off), "a level-1 heading in the body: the page title is the only level-1 heading (the theme shows it): start with ## for the first section, and move headings below it down one level too")
	}
}
