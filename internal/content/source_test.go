package content

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/markdown"
)

// A page whose body goes past a parsing bound keeps only its front matter
// when its source is read again to render it, whether its parse noted that
// (checked) or not (a page restored from records).
func TestSourceReadAgainKeepsCheck(t *testing.T) {
	fm := "---\ntitle: T\nsummary: S.\nmeasures: [well-led]\ntopics: [records]\n---\n"
	dir := t.TempDir()
	for _, c := range []struct {
		name, body string
		want       bodyCheck
		kept       bool // the body is in the Doc read again
	}{
		{"fits", "## Heading\n\nText.\n", bodyFits, true},
		{"nested too deep", "## Heading\n\n" + strings.Repeat(">", markdown.MaxNesting+1) + " text\n", bodyCut, false},
	} {
		file := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".md")
		if err := os.WriteFile(file, []byte(fm+c.body), 0o644); err != nil {
			t.Fatal(err)
		}
		p := &Page{Path: "content/guides/" + filepath.Base(file), File: file}
		var errs diag.List
		Parse(p, markdown.New(), nil, &errs)
		if p.checked != c.want || (len(errs) == 0) != c.kept {
			t.Fatalf("%s: checked %d with %v, want %d", c.name, p.checked, errs, c.want)
		}
		for _, checked := range []bodyCheck{c.want, bodyUnchecked} {
			p.checked = checked
			whole, err := p.Doc.Whole()
			if err != nil {
				t.Fatal(err)
			}
			if got := len(whole.Headings()) == 1; got != c.kept {
				t.Errorf("%s, checked %d: body read again %v, want %v", c.name, checked, got, c.kept)
			}
		}
	}
}
