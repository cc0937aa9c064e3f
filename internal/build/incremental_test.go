package build

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func incSite(t *testing.T) (*Incremental, string) {
	t.Helper()
	dir := t.TempDir()
	theme, _ := filepath.Abs("../../themes/default")
	if _, err := os.Stat(filepath.Join(theme, "node_modules")); err != nil {
		t.Skip("the theme's node_modules are not installed: run make deps")
	}
	for name, body := range map[string]string{
		"content/guides/a.md":    guide("Alpha", "Alpha body.", "cyber-security"),
		"content/guides/b.md":    guide("Beta", "Beta body, see [Alpha](a.md).", "cyber-security"),
		"content/standards/c.md": "---\ntitle: Gamma\nsummary: About Gamma.\nmeasures: [improve-care]\ntopics: [records]\n---\n\nGamma body.\n",
	} {
		incWrite(t, dir, name, body)
	}
	b := NewIncremental(Options{Source: dir, ThemeDir: theme}, false)
	up, err := b.Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !up.Full || up.Rendered == 0 || len(up.Changed) != len(up.Outputs) {
		t.Fatalf("first build: full %v, %d rendered, %d changed of %d", up.Full, up.Rendered, len(up.Changed), len(up.Outputs))
	}
	return b, dir
}

func guide(title, body, topic string) string {
	return "---\ntitle: " + title + "\nsummary: About " + title + ".\nmeasures: [well-led]\ntopics: [" + topic + "]\n---\n\n" + body + "\n"
}

func incWrite(t *testing.T, dir, name, body string) {
	t.Helper()
	p := filepath.Join(dir, name)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A body edit re-renders that page and the whole-site outputs only, and
// changes only that page's bytes.
func TestBodyEditRendersOnePage(t *testing.T) {
	b, dir := incSite(t)
	incWrite(t, dir, "content/guides/a.md", guide("Alpha", "Alpha body, edited.", "cyber-security"))
	up, err := b.Build([]string{filepath.Join(dir, "content/guides/a.md")})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(up.Changed, []string{"guides/a/index.html"}) {
		t.Errorf("changed %v, want only the page", up.Changed)
	}
	whole := 0 // outputs that depend on the whole site: home, indexes, feeds
	for _, j := range up.Model.Renderer.Jobs() {
		if j.Deps == nil {
			whole++
		}
	}
	if up.Full || up.Rendered != 1+whole {
		t.Errorf("re-rendered %d outputs (full %v) for a body edit, want the page and %d whole-site outputs", up.Rendered, up.Full, whole)
	}
	if len(up.Upserted) != 1 || up.Upserted[0].Path != "content/guides/a.md" || len(up.Deleted) != 0 {
		t.Errorf("search changes: %d upserted, deleted %v", len(up.Upserted), up.Deleted)
	}
}

// A title edit re-renders the lists showing the page, not unrelated ones.
func TestTitleEditRendersItsLists(t *testing.T) {
	b, dir := incSite(t)
	incWrite(t, dir, "content/guides/a.md", guide("Alpha renamed", "Alpha body.", "cyber-security"))
	up, err := b.Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"guides/a/index.html", "guides/index.html", "topics/cyber-security/index.html", "measures/well-led/index.html", "guides/b/index.html"} {
		if !slices.Contains(up.Changed, want) {
			t.Errorf("%s not updated; changed %v", want, up.Changed)
		}
	}
	for _, not := range []string{"standards/c/index.html", "topics/records/index.html", "measures/improve-care/index.html"} {
		if slices.Contains(up.Changed, not) {
			t.Errorf("%s changed by an unrelated edit", not)
		}
	}
}

// Deleting a page removes its output and its search document, and a failed
// build changes nothing until it is fixed.
func TestDeleteAndFailure(t *testing.T) {
	b, dir := incSite(t)
	incWrite(t, dir, "content/guides/a.md", "---\ntitle: [broken\n---\n")
	if _, err := b.Build(nil); err == nil || !strings.HasPrefix(err.Error(), "content/guides/a.md:2:") {
		t.Fatalf("broken YAML: %v", err)
	}
	os.Remove(filepath.Join(dir, "content/guides/a.md"))
	_, err := b.Build(nil)
	if err == nil || !strings.Contains(err.Error(), "content/guides/b.md:") || !strings.Contains(err.Error(), "a.md") {
		t.Fatalf("b.md links to the deleted page: want an error naming b.md, got %v", err)
	}
	incWrite(t, dir, "content/guides/b.md", guide("Beta", "Beta body.", "cyber-security"))
	up, err := b.Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(up.Removed, "guides/a/index.html") || !slices.Equal(up.Deleted, []string{"/guides/a/"}) {
		t.Errorf("removed %v, search deleted %v", up.Removed, up.Deleted)
	}
	if _, ok := up.Outputs["guides/a/index.html"]; ok {
		t.Error("deleted page still in the outputs")
	}
}

// A change to one page layout re-renders only the pages using it; a change to
// a partial re-renders everything.
func TestLayoutEditRendersItsPages(t *testing.T) {
	b, dir := incSite(t)
	theme, _ := filepath.Abs("../../themes/default/layouts")
	single, err := os.ReadFile(filepath.Join(theme, "single.html"))
	if err != nil {
		t.Fatal(err)
	}
	incWrite(t, dir, "layouts/single.html", strings.Replace(string(single), "<h1>", `<h1 class="edited">`, 1))
	up, err := b.Build([]string{filepath.Join(dir, "layouts/single.html")})
	if err != nil {
		t.Fatal(err)
	}
	singles, whole := 0, 0 // whole: outputs of the whole site (home, indexes, feeds), always re-run
	for _, j := range up.Model.Renderer.Jobs() {
		switch {
		case j.Deps == nil:
			whole++
		case j.Layout == "single":
			singles++
		}
	}
	if up.Full || up.Rendered != singles+whole {
		t.Errorf("re-rendered %d outputs (full %v) for a change to single.html, want its %d pages and %d whole-site outputs", up.Rendered, up.Full, singles, whole)
	}
	want := []string{"guides/a/index.html", "guides/b/index.html", "standards/c/index.html"}
	if got := slices.Sorted(slices.Values(up.Changed)); !slices.Equal(got, want) {
		t.Errorf("changed %v, want %v", got, want)
	}
	footer, err := os.ReadFile(filepath.Join(theme, "partials/footer.html"))
	if err != nil {
		t.Fatal(err)
	}
	incWrite(t, dir, "layouts/partials/footer.html", strings.Replace(string(footer), "Support links", "Links", 1))
	up, err = b.Build([]string{filepath.Join(dir, "layouts/partials/footer.html")})
	if err != nil {
		t.Fatal(err)
	}
	if !up.Full || up.Rendered != len(up.Model.Renderer.Jobs()) {
		t.Errorf("a partial's change re-rendered %d of %d outputs (full %v)", up.Rendered, len(up.Model.Renderer.Jobs()), up.Full)
	}
}
