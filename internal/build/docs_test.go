package build

import (
	"path/filepath"
	"reflect"
	"testing"
)

// An edit's search documents come from the parse its render made, and are
// those a page parsed again gives: its text, headings and the front matter
// the index keeps.
func TestEditDocumentsFromTheRender(t *testing.T) {
	b, dir := incSite(t)
	for _, body := range []string{
		guide("Alpha", "## First\n\nAlpha edited, see [Beta](b.md).", "cyber-security"),
		guide("Alpha renamed", "## Second\n\nAlpha *again*.", "cyber-security"),
	} {
		incWrite(t, dir, "content/guides/a.md", body)
		up, err := b.Build([]string{filepath.Join(dir, "content/guides/a.md")})
		if err != nil {
			t.Fatal(err)
		}
		p := up.Model.Site.BySource["content/guides/a.md"]
		if _, ok := up.docs[p]; !ok {
			t.Fatalf("the render kept no search document of the edited page (%d kept)", len(up.docs))
		}
		got, err := up.Documents()
		if err != nil {
			t.Fatal(err)
		}
		want, err := SearchPages(up.Upserted)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || !reflect.DeepEqual(got, want) {
			t.Errorf("documents from the render\n%+v\nwant, parsed again\n%+v", got, want)
		}
	}
}
