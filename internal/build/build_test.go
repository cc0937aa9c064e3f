package build

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/search"
)

// A one-shot build frees every item's syntax tree once the page and the
// search entry are made, yet publishes each item's body and indexes its
// words: the trees were most of a large build's memory.
func TestBuildFreesTreesAfterUse(t *testing.T) {
	dir, theme := t.TempDir(), incTheme(t)
	incWrite(t, dir, "content/guides/a.md", guide("Alpha", "Axolotl husbandry in the **wards**.", "cyber-security"))
	incWrite(t, dir, "content/guides/b.md", guide("Beta", "Beta body, see [Alpha](a.md).", "cyber-security"))
	out, index := filepath.Join(t.TempDir(), "public"), filepath.Join(t.TempDir(), "index.bleve")
	m, _, err := Build(Options{Source: dir, ThemeDir: theme, Out: out, IndexDir: index})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m.Site.Items {
		if p.Doc.Root != nil || p.Doc.Source != nil {
			t.Errorf("%s: the tree or the source is still held after the build", p.Path)
		}
		if len(p.Doc.Headings()) != 0 || len(p.Doc.Links()) > 1 {
			t.Errorf("%s: walks lost or wrong after release", p.Path)
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
