// Package markdown sets up goldmark for kb (GFM, footnotes, typographer, heading
// IDs, YAML front matter) and offers the few walks over its syntax tree that the
// rest of kb needs: links with their offsets, headings, and plain text.
package markdown

import (
	"bytes"
	"html"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	meta "github.com/yuin/goldmark-meta"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Converter parses and renders Markdown. It is safe for concurrent use.
type Converter struct {
	md goldmark.Markdown
	// body parses a page whose front matter an earlier parse found valid:
	// it skips the front matter rather than decode it again (see
	// skipFrontMatter).
	body goldmark.Markdown
	// scan is md for a first pass (see Scan), with goldmark-meta's front
	// matter block decoding once rather than twice (see decodeFrontMatter).
	scan goldmark.Markdown
	// renderers are goldmark renderers with kb's link hook, one per render
	// in flight: the hook's resolver is set for one page at a time.
	renderers sync.Pool
	// strs keeps the strings of the facts of every Doc it parses, once.
	strs *strtab
}

// New returns the converter every kb page goes through. Raw HTML is left out of
// the output (goldmark's default): content comes from many hands and must not
// carry script into the site.
func New() *Converter {
	c := &Converter{md: newGoldmark(meta.Meta), body: newGoldmark(skipFrontMatter{}), strs: newStrtab(),
		scan: newGoldmark(decodeFrontMatter{}, goldmark.WithParserOptions(scanOptions))}
	c.renderers.New = func() any { return newLinkRenderer() }
	return c
}

// newGoldmark is kb's goldmark, with front reading the front matter.
func newGoldmark(front goldmark.Extender, opts ...goldmark.Option) goldmark.Markdown {
	return goldmark.New(append([]goldmark.Option{
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.Typographer, front),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithAttribute(),
			parser.WithASTTransformers(util.Prioritized(keepAttrs{}, 1000), util.Prioritized(unreserve{}, 900)),
			parser.WithInlineParsers(util.Prioritized(delimLimiter{}, 0))),
	}, opts...)...)
}

// Doc is one parsed Markdown file. It is never changed once Parse returns
// it, so any number of goroutines may read and render it at once.
//
// A Doc is either whole, holding its source and syntax tree, or only the
// facts other pages need from it (see Facts): links, headings and anchors.
// The site model keeps only facts, so that its memory grows with neither
// the sum of every page's tree nor that of their sources; rendering reads
// the source again (through its Loader) and parses it, one page at a time.
type Doc struct {
	// Source is the text parsed; nil in a Doc of facts, which reads it
	// again through load when it is needed whole.
	Source []byte
	root   ast.Node // nil in a Doc of facts
	load   Loader   // nil in a whole Doc
	conv   *Converter
	// Meta is the decoded front matter; MetaErr is set when it is not valid YAML.
	Meta    map[string]any
	MetaErr error
	// Limit is set when the page went past a bound that Check cannot see
	// before parsing (too many emphasis marks in one paragraph); the tree
	// is complete, with the marks past the bound left as text.
	Limit *LimitError
	// Renamed maps a heading id that collided with the theme's own ids (see
	// Reserved) to the id the heading has instead; links written to the
	// first follow it to the second.
	Renamed map[string]string

	// walks memoises a whole Doc's walks; nil in a Doc of facts, which has
	// what they find packed in facts instead.
	walks *walks
	facts facts
	// scanned marks a Doc from Scan, whose tree leaves out paragraphs
	// without links: Whole parses its source again.
	scanned bool
}

// walks are a whole Doc's walks, memoised: the preview server rebuilds the
// site model from cached documents on every edit, and re-walking thousands
// of syntax trees would cost more than the edit itself.
type walks struct {
	linksOnce, headingsOnce, idsOnce sync.Once
	links                            []Link
	raw                              []RawLink // links left as text, found in the same walk
	headings                         []Heading
	ids                              map[string]bool
}

// Parse parses src (front matter included) into a syntax tree. Callers run
// Check first: Parse's time is only bounded for sources Check accepts.
func (c *Converter) Parse(src []byte) *Doc { return c.parseWith(c.md, src) }

// parseBody is Parse for a source whose front matter is known to be valid
// YAML, its Meta left out: the tree is the same as Parse's.
func (c *Converter) parseBody(src []byte) *Doc { return c.parseWith(c.body, src) }

// parseWith parses src with md, one of c's goldmarks, and keeps what the
// parse noted besides the tree: the front matter (none from a goldmark
// that skips it), the emphasis bound passed, the heading ids renamed.
func (c *Converter) parseWith(md goldmark.Markdown, src []byte) *Doc {
	ctx := parser.NewContext()
	root := md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
	m, err := meta.TryGet(ctx)
	if d, ok := ctx.Get(metaKey).(*decoded); ok {
		m, err = d.meta, d.err
	}
	renamed, _ := ctx.Get(renamedKey).(map[string]string)
	return &Doc{Source: src, root: root, conv: c, Meta: m, MetaErr: err, Limit: delimError(ctx), Renamed: renamed, walks: &walks{}}
}

// Loader gives a Doc of facts its source again, the same bytes it was parsed
// from, or an error saying why it cannot (the file changed or went since).
//
// It is an interface rather than a function so that a page can be its own
// Loader: a method value is an allocation of its own, one for each of a
// site's pages, held for the whole build.
type Loader interface {
	Load() ([]byte, error)
}

// LoaderFunc is a function as a Loader.
type LoaderFunc func() ([]byte, error)

func (f LoaderFunc) Load() ([]byte, error) { return f() }

// Facts returns the document without its source or syntax tree: links,
// headings and anchors, which is what the rest of the site needs of a page
// before the page itself is rendered; load gives the source back when the
// page is rendered. The decoded front matter (Meta) is left out too: the
// page's fields were decoded from it, and a site of 100,000 pages would
// keep 100,000 maps. d is left as it was.
func (d *Doc) Facts(load Loader) *Doc { return d.FactsInto(new(Doc), load) }

// FactsInto is Facts made in f, which it overwrites and returns: a page
// keeps its facts in its own struct rather than in one more object for the
// collector to find on every cycle.
func (d *Doc) FactsInto(f *Doc, load Loader) *Doc {
	*f = Doc{load: load, conv: d.conv, MetaErr: d.MetaErr, Limit: d.Limit, Renamed: d.Renamed, facts: d.facts}
	if d.walks != nil {
		f.facts = packFacts(d.conv.strs, d.Links(), d.RawLinks(), d.Headings(), maps.Keys(d.IDs()))
	}
	return f
}

// strs is the table of the strings of d's facts (nil when d has none).
func (d *Doc) strs() *strtab {
	if d.conv == nil {
		return nil
	}
	return d.conv.strs
}

// HasTree reports whether d holds its syntax tree (a Doc of facts does not).
func (d *Doc) HasTree() bool { return d.root != nil }

// Whole returns d with its source and syntax tree: d itself when it has
// them, else a new parse of its source (as its Loader gives it, or its own
// for a Doc from Scan), which the caller holds for as long as it needs it
// and d does not keep.
func (d *Doc) Whole() (*Doc, error) {
	if d.root != nil && !d.scanned {
		return d, nil
	}
	src := d.Source
	if d.root == nil {
		var err error
		if src, err = d.load.Load(); err != nil {
			return nil, err
		}
	}
	if d.MetaErr != nil {
		return d.conv.Parse(src), nil
	}
	return d.conv.parseBody(src), nil
}

// Render writes the HTML of a document, reading and parsing it again if d
// holds only its facts. dest, when not nil, gives the address each link and
// image destination (as written) stands for: links are resolved as they are
// written out, never by changing the tree. The bytes returned are the
// caller's: nothing else holds or reuses them (render takes them as its
// view's HTML without a copy).
func (c *Converter) Render(d *Doc, dest func(string) string) ([]byte, error) {
	var buf bytes.Buffer
	err := c.RenderTo(&buf, d, dest)
	return buf.Bytes(), err
}

// RenderTo is Render into buf, which it empties first, so that a caller
// rendering page after page can reuse its buffers: a fresh one for each
// page was a twentieth of all a build allocated.
func (c *Converter) RenderTo(buf *bytes.Buffer, d *Doc, dest func(string) string) error {
	w, err := d.Whole()
	if err != nil {
		return err
	}
	buf.Reset()
	buf.Grow(len(w.Source) * 3 / 2)
	lr := c.renderers.Get().(*linkRenderer)
	lr.hook.dest = dest
	err = lr.md.Renderer().Render(bufWriter{buf}, w.Source, w.root)
	lr.hook.dest = nil
	c.renderers.Put(lr)
	return err
}

// bufWriter lets goldmark write straight into a bytes.Buffer: given a plain
// io.Writer, it wraps it in a bufio.Writer of its own, 4 KB for each page,
// and copies everything once more.
type bufWriter struct{ *bytes.Buffer }

func (bufWriter) Buffered() int { return 0 }
func (bufWriter) Flush() error  { return nil }

// Link is a link or image destination found in a document.
type Link struct {
	Dest   string // the destination as written
	Offset int    // byte offset of the opening bracket in the source
}

// Links lists every link and image with where it starts in the source, and
// its destination as first parsed.
//
// The slice of a whole Doc is shared: do not change it. A Doc of facts
// makes a new one on each call.
func (d *Doc) Links() []Link {
	if d.walks == nil {
		return d.facts.linkList(d.strs())
	}
	w := d.walks
	w.linksOnce.Do(func() { w.links, w.raw = d.walkLinks() })
	return w.links
}

func (d *Doc) walkLinks() ([]Link, []RawLink) {
	var links []Link
	var raw []RawLink
	_ = ast.Walk(d.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := n.(type) {
		case *ast.CodeSpan, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if found := rawLinksIn(d.Source, v.Segment.Start, v.Segment.Stop); len(found) > 0 {
				raw = append(raw, found...)
			}
		case *ast.Link:
			links = append(links, Link{Dest: string(v.Destination), Offset: startOf(n, 1)})
		case *ast.Image:
			links = append(links, Link{Dest: string(v.Destination), Offset: startOf(n, 2)})
		}
		return ast.WalkContinue, nil
	})
	return links, raw
}

// ExternalLinks lists the links, images and bare web addresses (GFM
// autolinks) that leave the site, each with the offset where it is written,
// in the order they appear: what kb check --external asks the network about.
// d must be whole (see Whole): the offsets are into its Source.
func (d *Doc) ExternalLinks() []Link {
	var out []Link
	for _, l := range d.Links() {
		if isWeb(l.Dest) {
			out = append(out, l)
		}
	}
	_ = ast.Walk(d.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		a, ok := n.(*ast.AutoLink)
		if !entering || !ok || a.AutoLinkType != ast.AutoLinkURL {
			return ast.WalkContinue, nil
		}
		dest := string(a.URL(d.Source))
		if !isWeb(dest) {
			return ast.WalkContinue, nil
		}
		// goldmark keeps no offset on an autolink: find its text in the
		// enclosing block.
		at := startOf(n, 0)
		if i := bytes.Index(d.Source[at:], a.Label(d.Source)); i >= 0 {
			at += i
		}
		out = append(out, Link{Dest: dest, Offset: at})
		return ast.WalkContinue, nil
	})
	slices.SortStableFunc(out, func(a, b Link) int { return a.Offset - b.Offset })
	return out
}

// isWeb reports whether a destination is an http or https address.
func isWeb(dest string) bool {
	lower := strings.ToLower(dest)
	return strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://")
}

// startOf estimates the offset of an inline node's opening bracket from its
// first text child (goldmark keeps no offsets on links themselves), falling back
// to the start of the enclosing block.
func startOf(n ast.Node, bracket int) int {
	var first = -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			first = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if first >= bracket {
		return first - bracket
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return p.Lines().At(0).Start
		}
	}
	return 0
}

// Heading is a section heading with the ID that anchors link to.
type Heading struct {
	Level  int
	ID     string
	Text   string
	Offset int // byte offset of the start of its line in the source
}

// Headings lists the document's headings in order. The slice of a whole
// Doc is shared: do not change it. A Doc of facts makes a new one on each
// call.
func (d *Doc) Headings() []Heading {
	if d.walks == nil {
		return d.facts.headingList(d.strs())
	}
	w := d.walks
	w.headingsOnce.Do(func() { w.headings = d.walkHeadings() })
	return w.headings
}

func (d *Doc) walkHeadings() []Heading {
	var hs []Heading
	for n := d.root.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok {
			continue
		}
		id, _ := h.AttributeString("id")
		idb, _ := id.([]byte)
		off := 0
		if h.Lines().Len() > 0 {
			off = bytes.LastIndexByte(d.Source[:h.Lines().At(0).Start], '\n') + 1
		}
		hs = append(hs, Heading{Level: h.Level, ID: string(idb), Text: plain(h, d.Source), Offset: off})
	}
	return hs
}

// Level1 returns the byte offsets of the document's level-1 headings, at any
// depth (a "# Title" in a block quote is an h1 too).
// d must be whole (see Whole).
func (d *Doc) Level1() []int {
	var at []int
	_ = ast.Walk(d.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		if h.Level == 1 {
			off := h.Pos()
			if off < 0 && h.Lines().Len() > 0 {
				off = h.Lines().At(0).Start
			}
			at = append(at, max(off, 0))
		}
		return ast.WalkSkipChildren, nil
	})
	return at
}

// IDs returns every anchor a link may point to: heading IDs and footnote
// targets. The map of a whole Doc is shared: do not change it. A Doc of
// facts makes a new one on each call: ask it HasID instead.
func (d *Doc) IDs() map[string]bool {
	if d.walks == nil {
		return d.facts.idSet(d.strs())
	}
	w := d.walks
	w.idsOnce.Do(func() { w.ids = d.walkIDs() })
	return w.ids
}

// HasID reports whether id is one of the document's anchors (see IDs).
func (d *Doc) HasID(id string) bool {
	if d.walks == nil {
		return d.facts.hasID(d.strs(), id)
	}
	return d.IDs()[id]
}

// SameIDs reports whether d and o have the same anchors.
func (d *Doc) SameIDs(o *Doc) bool {
	if d.walks == nil && o.walks == nil {
		return d.facts.sameIDs(d.strs(), &o.facts, o.strs())
	}
	return maps.Equal(d.IDs(), o.IDs())
}

func (d *Doc) walkIDs() map[string]bool {
	ids := map[string]bool{}
	_ = ast.Walk(d.root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			if id, ok := n.AttributeString("id"); ok {
				if b, ok := id.([]byte); ok {
					ids[string(b)] = true
				}
			}
		}
		return ast.WalkContinue, nil
	})
	return ids
}

// PlainText returns the readable text of the document, one block a line, for
// search indexing and summaries. d must be whole (see Whole).
func (d *Doc) PlainText() string {
	var b strings.Builder
	b.Grow(len(d.Source))
	for n := d.root.FirstChild(); n != nil; n = n.NextSibling() {
		writePlain(&b, n, d.Source)
	}
	return b.String()
}

func writePlain(b *strings.Builder, n ast.Node, src []byte) {
	if n.Type() == ast.TypeBlock && n.HasChildren() && n.FirstChild().Type() == ast.TypeBlock {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			writePlain(b, c, src)
		}
		return
	}
	switch n.(type) {
	case *ast.HTMLBlock, *ast.LinkReferenceDefinition:
		return // markup, not text: "[dspt]: https://…" is where a link goes
	}
	if n.Type() == ast.TypeBlock && !n.HasChildren() {
		// Code blocks keep their text in lines.
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			b.Write(seg.Value(src))
		}
		b.WriteByte('\n')
		return
	}
	writeInline(b, n, src)
	b.WriteByte('\n')
}

// plain returns the text inside an inline container, without markup.
func plain(n ast.Node, src []byte) string {
	var b strings.Builder
	writeInline(&b, n, src)
	return b.String()
}

// writeInline writes the text inside an inline container to b.
func writeInline(b *strings.Builder, n ast.Node, src []byte) {
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := c.(type) {
		case *ast.Text:
			b.Write(v.Segment.Value(src))
			if v.SoftLineBreak() || v.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			// the typographer's curly quotes and dashes are HTML entities
			b.WriteString(html.UnescapeString(string(v.Value)))
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			b.Write(v.Label(src))
		}
		return ast.WalkContinue, nil
	})
}
