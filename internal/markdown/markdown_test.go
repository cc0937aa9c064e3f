package markdown

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseKeepsMetaAndOffsets(t *testing.T) {
	src := []byte("---\ntitle: T\n---\n## Risks and *issues*\n\nSee [the DSPT](../standards/dspt.md#who).\n![diagram](flow.png)\n")
	d := New().Parse(src)
	if d.MetaErr != nil || d.Meta["title"] != "T" {
		t.Fatalf("meta = %v, %v", d.Meta, d.MetaErr)
	}
	if got := d.Headings(); !reflect.DeepEqual(got, []Heading{{Level: 2, ID: "risks-and-issues", Text: "Risks and issues", Offset: 17}}) {
		t.Errorf("headings = %+v", got)
	}
	links := d.Links()
	if len(links) != 2 {
		t.Fatalf("links = %+v", links)
	}
	for i, want := range []string{"[the DSPT]", "![diagram]"} {
		if !strings.HasPrefix(string(src[links[i].Offset:]), want) {
			t.Errorf("link %d offset points at %q", i, src[links[i].Offset:links[i].Offset+10])
		}
	}
	if !d.IDs()["risks-and-issues"] {
		t.Error("heading ID not among the anchors")
	}
}

func TestRenderDropsRawHTMLAndDangerousLinks(t *testing.T) {
	c := New()
	d := c.Parse([]byte("<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b onclick=\"x\">b</b>\n"))
	html, err := c.Render(d, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "javascript:", "onclick", "<b"} {
		if strings.Contains(string(html), bad) {
			t.Errorf("rendered HTML keeps %q: %s", bad, html)
		}
	}
}

func TestPlainTextHasNoMarkup(t *testing.T) {
	d := New().Parse([]byte("## Title\n\nSome **bold** and `code`.\n\n- item one\n- item two\n\n```\nfenced\n```\n<div>raw</div>\n"))
	got := d.PlainText()
	for _, want := range []string{"Title", "Some bold and code.", "item one", "fenced"} {
		if !strings.Contains(got, want) {
			t.Errorf("plain text lacks %q:\n%s", want, got)
		}
	}
	for _, bad := range []string{"**", "`", "<div>", "raw"} {
		if strings.Contains(got, bad) {
			t.Errorf("plain text keeps %q:\n%s", bad, got)
		}
	}
}

// A document's facts keep what the site model reads from other pages
// (headings, anchors, link offsets) without the syntax tree or the source,
// and still render the same HTML as the whole document, by reading the
// source again through their Loader and parsing it; a Loader's error is the
// render's.
func TestFactsKeepTheWalksWithoutTheTree(t *testing.T) {
	c := New()
	src := []byte("## Risks\n\nSee [the DSPT](../standards/dspt.md) and ![a chart](chart.png \"T\").\n")
	d := c.Parse(src)
	loads := 0
	f := d.Facts(LoaderFunc(func() ([]byte, error) { loads++; return src, nil }))
	if f.HasTree() || !d.HasTree() || f.Source != nil {
		t.Errorf("facts hold a tree: %v, a source: %v; the whole document: %v", f.HasTree(), f.Source != nil, d.HasTree())
	}
	if h := f.Headings(); len(h) != 1 || h[0].ID != "risks" {
		t.Errorf("headings of the facts = %+v", h)
	}
	if l := f.Links(); len(l) != 2 || l[0].Dest != "../standards/dspt.md" || l[0].Offset != 14 {
		t.Errorf("links of the facts = %+v", l)
	}
	if !f.IDs()["risks"] {
		t.Error("anchors lost")
	}
	whole, err := c.Render(d, nil)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.Render(f, nil)
	if err != nil || string(again) != string(whole) || loads != 1 {
		t.Errorf("the facts render %q (%v, %d loads), the whole document %q", again, err, loads, whole)
	}
	gone := d.Facts(LoaderFunc(func() ([]byte, error) { return nil, errors.New("x.md: changed during the build") }))
	if _, err := c.Render(gone, nil); err == nil || err.Error() != "x.md: changed during the build" {
		t.Errorf("a source that cannot be loaded renders with %v", err)
	}
}

// Links and images are resolved as they are written out, through the hook,
// and the tree keeps the destinations as written: rendering again with
// another resolver, or none, gives the other result.
func TestRenderResolvesLinksWithoutChangingTheTree(t *testing.T) {
	c := New()
	d := c.Parse([]byte("See [the DSPT](../standards/dspt.md \"Toolkit\") and ![a *chart*](chart.png).\n"))
	to := map[string]string{"../standards/dspt.md": "/standards/dspt/", "chart.png": "/guides/x/chart.png"}
	got, err := c.Render(d, func(dest string) string { return to[dest] })
	if err != nil {
		t.Fatal(err)
	}
	want := `<p>See <a href="/standards/dspt/" title="Toolkit">the DSPT</a> and <img src="/guides/x/chart.png" alt="a chart">.</p>` + "\n"
	if string(got) != want {
		t.Errorf("resolved:\n got %s\nwant %s", got, want)
	}
	plain, _ := c.Render(d, nil)
	if !strings.Contains(string(plain), `href="../standards/dspt.md"`) || !strings.Contains(string(plain), `src="chart.png"`) {
		t.Errorf("the tree was rewritten: %s", plain)
	}
	if l := d.Links(); l[0].Dest != "../standards/dspt.md" {
		t.Errorf("links after rendering = %+v", l)
	}
}

// BenchmarkPlainText extracts the text of the bundled knowledge base's
// pages, as the search index does for every page.
func BenchmarkPlainText(b *testing.B) {
	files, _ := filepath.Glob("../../content/*/*.md")
	c := New()
	var docs []*Doc
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, c.Parse(src))
	}
	if len(docs) == 0 {
		b.Skip("no content")
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			d.PlainText()
		}
	}
}

// TestExternalLinks lists links, images and autolinks that leave the site,
// in the order written, each at the offset where it starts; links inside the
// site are left out.
func TestExternalLinks(t *testing.T) {
	src := "---\ntitle: T\n---\nSee <https://a.example.org/x> and [b](http://b.example.org/).\n\n![c](https://c.example.org/c.png) [local](../guides/x.md) https://www.example.org/bare\n"
	d := New().Parse([]byte(src))
	var got []string
	for _, l := range d.ExternalLinks() {
		got = append(got, l.Dest+" @"+src[l.Offset:l.Offset+1])
	}
	want := []string{"https://a.example.org/x @h", "http://b.example.org/ @[", "https://c.example.org/c.png @!", "https://www.example.org/bare @h"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("external links = %q, want %q", got, want)
	}
}

// TestPlainTextLeavesOutLinkReferenceDefinitions: "[dspt]: https://…" says
// where a link goes; it is not text to index or show in a snippet.
func TestPlainTextLeavesOutLinkReferenceDefinitions(t *testing.T) {
	src := "---\ntitle: T\n---\nSee [the DSPT][dspt].\n\n[dspt]: https://www.dsptoolkit.nhs.uk/ \"Toolkit\"\n\n> [q]: https://example.org/q\n\n- item\n\n  [i]: https://example.org/i\n"
	got := New().Parse([]byte(src)).PlainText()
	if want := "See the DSPT.\nitem\n"; got != want {
		t.Errorf("plain text = %q, want %q", got, want)
	}
}

func TestReservedHeadingIDsGetASuffix(t *testing.T) {
	d := New().Parse([]byte("# Title\n\n## Downloads\n\n## Downloads-1\n\n## Search\n"))
	var got []string
	for _, h := range d.Headings() {
		got = append(got, h.ID)
	}
	want := []string{"title", "downloads-2", "downloads-1", "search-1"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("heading ids = %v, want %v", got, want)
	}
	if d.Renamed["downloads"] != "downloads-2" || d.Renamed["search"] != "search-1" {
		t.Errorf("Renamed = %v", d.Renamed)
	}
}

func TestHeadingTextHasNoEntities(t *testing.T) {
	d := New().Parse([]byte("## Moved from \"step down\" to \"step up\"\n"))
	if got := d.Headings()[0].Text; got != "Moved from “step down” to “step up”" {
		t.Errorf("heading text %q", got)
	}
}

// Attributes written after a heading keep only id and class: a style
// would be blocked by the site's Content-Security-Policy, and lets a page
// restyle the design system. A heading with nothing to drop keeps its own.
func TestHeadingAttributesKeepOnlyIDAndClass(t *testing.T) {
	c := New()
	for src, want := range map[string]string{
		"## Risks {#risks .wide style=\"color:red\" title=x}\n": `<h2 id="risks" class="wide">Risks</h2>`,
		"## Risks {style=\"color:red\"}\n":                      `<h2 id="risks">Risks</h2>`,
		"## Risks {.wide}\n":                                    `<h2 class="wide" id="risks">Risks</h2>`,
		"## Plain risks\n":                                      `<h2 id="plain-risks">Plain risks</h2>`,
	} {
		html, err := c.Render(c.Parse([]byte(src)), nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(string(html)); got != want {
			t.Errorf("%q renders %s, want %s", src, got, want)
		}
	}
}
