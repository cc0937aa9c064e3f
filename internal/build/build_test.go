package build

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/search"
)

// No syntax tree is held by the site model, neither once it is loaded nor
// after the build: each page's tree lives for its own render, and the search
// entry is made from that same parse. Yet every item's body is published and
// its words indexed, and the model can render its pages again. The trees were
// most of a large build's memory.
func TestBuildHoldsNoTrees(t *testing.T) {
	dir, theme := t.TempDir(), incTheme(t)
	incWrite(t, dir, "content/guides/a.md", guide("Alpha", "Axolotl husbandry in the **wards**.", "cyber-security"))
	incWrite(t, dir, "content/guides/b.md", guide("Beta", "Beta body, see [Alpha](a.md).", "cyber-security"))
	out, index := filepath.Join(t.TempDir(), "public"), filepath.Join(t.TempDir(), "index.bleve")
	loaded, err := Load(Options{Source: dir, ThemeDir: theme})
	if err != nil {
		t.Fatal(err)
	}
	noTrees(t, "once loaded", loaded)
	m, _, err := Build(Options{Source: dir, ThemeDir: theme, Out: out, IndexDir: index})
	if err != nil {
		t.Fatal(err)
	}
	noTrees(t, "after the build", m)
	for _, p := range m.Site.Items {
		whole, err := p.Doc.Whole()
		if err != nil || len(p.Doc.Headings()) != 0 || len(p.Doc.Links()) != len(whole.Links()) {
			t.Errorf("%s: the facts kept differ from the page's (%v)", p.Path, err)
		}
	}
	again, err := m.Render()
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range again {
		if o.Path == "guides/b/index.html" && !strings.Contains(string(o.Data), `<a href="/guides/a/">Alpha</a>`) {
			t.Errorf("rendering the built model again: %s", o.Data)
		}
	}
	page, err := os.ReadFile(filepath.Join(out, "guides", "a", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "Axolotl husbandry in the <strong>wards</strong>.") {
		t.Errorf("the page lacks its body:\n%s", page)
	}
	idx, err := search.Open(index)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	r, err := search.ParseRequest(url.Values{"q": {"axolotl"}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := idx.Search(t.Context(), r)
	if err != nil || res.Total != 1 || res.Results[0].URL != "/guides/a/" {
		t.Errorf("search for a body word: %+v, %v", res, err)
	}
}

// noTrees fails for every page of m that holds its syntax tree, its source
// or its decoded front matter: the model keeps none, at any size of site.
func noTrees(t *testing.T, when string, m *Model) {
	t.Helper()
	for _, p := range m.Site.BySource {
		if p.Doc.HasTree() || p.Doc.Source != nil || p.Doc.Meta != nil {
			t.Errorf("%s: the syntax tree, source or front matter map is held %s", p.Path, when)
		}
	}
}

// The index kb build writes as the pages render and the one kb serve makes
// in memory from SearchPages take in the same pages, as Searchable decides:
// the items, with their headings, body and navigation text, and not the
// plain pages, whose words find nothing.
func TestIndexTakesTheSearchablePages(t *testing.T) {
	dir, theme := t.TempDir(), incTheme(t)
	incWrite(t, dir, "content/guides/a.md", guide("Alpha", "## Wombat care\n\nAxolotl husbandry.", "cyber-security"))
	incWrite(t, dir, "content/guides/b.md", guide("Beta", "Beta body.\n\n- [Alpha](a.md)", "cyber-security"))
	incWrite(t, dir, "content/about.md", "---\ntitle: About\nsummary: About the site.\n---\n\nQuokka sightings.\n")
	index := filepath.Join(t.TempDir(), "index.bleve")
	m, _, err := Build(Options{Source: dir, ThemeDir: theme, Out: filepath.Join(t.TempDir(), "public"), IndexDir: index})
	if err != nil {
		t.Fatal(err)
	}
	disk, err := search.Open(index)
	if err != nil {
		t.Fatal(err)
	}
	defer disk.Close()
	pages, err := SearchPages(append(slices.Clone(m.Site.Plain), m.Site.Items...))
	if err != nil {
		t.Fatal(err)
	}
	mem, err := search.NewMemory(pages, m.Synonyms)
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	for q, want := range map[string][]string{"wombat": {"/guides/a/"}, "husbandry": {"/guides/a/"}, "quokka": nil, "beta": {"/guides/b/"}} {
		r, err := search.ParseRequest(url.Values{"q": {q}})
		if err != nil {
			t.Fatal(err)
		}
		for name, idx := range map[string]*search.Index{"kb build's": disk, "in memory": mem} {
			res, err := idx.Search(t.Context(), r)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Results {
				got = append(got, h.URL)
			}
			if !slices.Equal(got, want) {
				t.Errorf("the index %s, %q: %v, want %v", name, q, got, want)
			}
		}
	}
}

// A page's text is read again when it renders, and must still be the bytes
// its facts came from: a file saved between the two passes stops the render
// with a message saying to build again, rather than publish a page whose
// links and anchors were checked against other text.
func TestRenderRefusesASourceChangedSinceItsFacts(t *testing.T) {
	dir, theme := t.TempDir(), incTheme(t)
	incWrite(t, dir, "content/guides/a.md", guide("Alpha", "Alpha body.", "cyber-security"))
	incWrite(t, dir, "content/guides/b.md", guide("Beta", "Beta body, see [Alpha](a.md).", "cyber-security"))
	m, err := Load(Options{Source: dir, ThemeDir: theme})
	if err != nil {
		t.Fatal(err)
	}
	incWrite(t, dir, "content/guides/b.md", guide("Beta", "Beta body, see [Alpha](a.md#gone).", "cyber-security"))
	_, err = m.Render()
	if err == nil || !strings.Contains(err.Error(), "content/guides/b.md: changed during the build; run kb build again") {
		t.Errorf("rendering a page changed since it was read: %v", err)
	}
}

// A build stopped before its first pass is over (Ctrl-C, SIGTERM) reads no
// more pages: it reports the stop, not the problems of pages it would have
// read next, and publishes nothing.
func TestStoppedBuildReadsNoMorePages(t *testing.T) {
	dir, theme := t.TempDir(), incTheme(t)
	incWrite(t, dir, "content/guides/a.md", guide("Alpha", "Alpha body.", "cyber-security"))
	incWrite(t, dir, "content/guides/b.md", "---\ntitle: [unclosed\n---\nBody.\n")
	out := filepath.Join(dir, "public")
	opt := Options{Source: dir, ThemeDir: theme, Out: out}
	if _, _, err := Build(opt); err == nil || !strings.Contains(err.Error(), "content/guides/b.md:2:") {
		t.Fatalf("a whole build: %v, want b.md's front-matter error", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := BuildContext(ctx, opt)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("a stopped build: %v, want %v", err, context.Canceled)
	}
	if _, serr := os.Stat(out); !os.IsNotExist(serr) {
		t.Errorf("a stopped build published %s (%v)", out, serr)
	}
}
