package build

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"testing"
)

// incTheme is the repository's default theme, skipping the test when its
// node_modules (the NHS design system) are not installed.
func incTheme(t testing.TB) string {
	theme, _ := filepath.Abs("../../themes/default")
	if _, err := os.Stat(filepath.Join(theme, "node_modules")); err != nil {
		t.Skip("the theme's node_modules are not installed: run make deps")
	}
	return theme
}

func incSite(t *testing.T) (*Incremental, string) {
	t.Helper()
	dir, theme := t.TempDir(), incTheme(t)
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

// A body edit re-renders that page only: no other output shows a body, not
// even those that list no pages (home, indexes, feeds), which stay as a
// fresh build makes them; and only that page's bytes change.
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
	if up.Full || up.Rendered != 1 {
		t.Errorf("re-rendered %d outputs (full %v) for a body edit, want the page alone", up.Rendered, up.Full)
	}
	sameAsFresh(t, "body", up, dir)
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
		case j.Shows(nil) == nil:
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

// frontMatterSite is a site of guides in paged lists (two to a page), sharing
// topics and organisations, one with an alias and one overdue for review, so
// that a front-matter edit moves pages between list pages, changes related
// items and can change an organisation's name.
func frontMatterSite(t *testing.T) (*Incremental, string) {
	t.Helper()
	dir, theme := t.TempDir(), incTheme(t)
	incWrite(t, dir, "site.yaml", "title: Test KB\npage_size: 2\n")
	for name, fm := range map[string]string{
		"a": "title: Alpha\ndate: 2026-01-05\nmeasures: [well-led]\ntopics: [records]\norganisations: [NHS Example]\naliases: [/old-alpha/]",
		"b": "title: Beta\ndate: 2026-01-05\nmeasures: [well-led, improve-care]\ntopics: [records, cyber-security]",
		"c": "title: Gamma\ndate: 2026-01-04\nmeasures: [improve-care]\ntopics: [records]\norganisations: [nhs example]",
		"d": "title: Delta\ndate: 2026-01-03\nmeasures: [well-led]\ntopics: [cyber-security]\nreview_due: 2020-01-01",
		"e": "title: Epsilon\ndate: 2026-01-02\nmeasures: [well-led]\ntopics: [records]\norganisations: [NHS Example]",
		"f": "title: Zeta\ndate: 2026-01-01\nmeasures: [safe-practice]\ntopics: [cyber-security]",
	} {
		body := "Text of " + name + "."
		if name == "b" {
			body += " See [Alpha](a.md)."
		}
		incWrite(t, dir, "content/guides/"+name+".md", "---\n"+fm+"\nsummary: About "+name+".\n---\n\n"+body+"\n")
	}
	b := NewIncremental(Options{Source: dir, ThemeDir: theme, BaseURL: previewURL}, false)
	if _, err := b.Build(nil); err != nil {
		t.Fatal(err)
	}
	return b, dir
}

// previewURL is the base URL kb serve gives its builds: its own address, so
// that the sitemap and the feed are made (and kept up to date) as in a build.
const previewURL = "http://127.0.0.1:1313"

// sameAsFresh checks that an incremental build's outputs are byte for byte
// those of a build from scratch of the same files.
func sameAsFresh(t *testing.T, step string, up *Update, dir string) {
	t.Helper()
	fresh, err := NewIncremental(Options{Source: dir, ThemeDir: up.Model.Options.ThemeDir, BaseURL: up.Model.Options.BaseURL}, false).Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	for p, o := range fresh.Outputs {
		if got, ok := up.Outputs[p]; !ok || got.File != o.File || !bytes.Equal(got.Data, o.Data) {
			t.Errorf("%s: %s differs from a fresh build's", step, p)

		}
	}
	for p := range up.Outputs {
		if _, ok := fresh.Outputs[p]; !ok {
			t.Errorf("%s: %s is not in a fresh build", step, p)
		}
	}
}

// Front-matter edits that keep a page's place (title, date, summary, weight)
// patch the site model in place, and still update every list, measure, topic
// and organisation page and related-items block showing the page, and its
// search document, exactly as a fresh build would; an edit that moves the
// page to another measure rebuilds the model, and is right too.
func TestFrontMatterEditsMatchAFreshBuild(t *testing.T) {
	b, dir := frontMatterSite(t)
	a := "content/guides/a.md"
	src, err := os.ReadFile(filepath.Join(dir, a))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name, file, old, new string
		patch                bool     // the model is patched, not built anew
		changed              []string // outputs that must change, among others
	}{
		{"title", a, "title: Alpha", "title: Zulu alpha", true, []string{"guides/a/index.html", "guides/index.html", "guides/page/3/index.html",
			"measures/well-led/index.html", "topics/records/index.html", "topics/records/page/2/index.html", "organisations/nhs-example/index.html",
			"guides/b/index.html", "old-alpha/index.html", "index.html", "feed.xml"}},
		{"date", a, "date: 2026-01-05", "date: 2025-12-01", true, []string{"guides/a/index.html", "index.html", "feed.xml", "sitemap.xml"}},
		{"summary", a, "summary: About a.", "summary: All about a.", true, []string{"guides/a/index.html", "guides/page/3/index.html", "measures/well-led/index.html"}},
		{"organisation's name", "content/guides/c.md", "title: Gamma", "title: Aardvark", true, []string{"organisations/index.html",
			"organisations/nhs-example/index.html", "guides/a/index.html", "guides/c/index.html", "guides/e/index.html"}},
		{"weight", a, "title: Zulu alpha", "title: Zulu alpha\nweight: 1", true, []string{"guides/index.html", "guides/page/3/index.html",
			"organisations/index.html", "guides/e/index.html"}},
		{"title in place", a, "title: Zulu alpha", "title: Zulu alpha, renamed", true, []string{"guides/a/index.html", "guides/index.html",
			"measures/well-led/index.html", "topics/records/index.html", "organisations/nhs-example/index.html", "guides/b/index.html", "old-alpha/index.html"}},
		{"overdue", "content/guides/d.md", "review_due: 2020-01-01", "reviewed: 2026-02-01\nreview_due: 2027-01-01", true, []string{"guides/d/index.html", "sitemap.xml"}},
		{"body", a, "Text of a.", "New text of a.", true, []string{"guides/a/index.html"}},
		{"measure", a, "measures: [well-led]", "measures: [healthy-populations]", false, []string{"guides/a/index.html",
			"measures/well-led/index.html", "measures/healthy-populations/index.html"}},
		{"organisation added", "content/guides/f.md", "title: Zeta", "title: Able\nweight: 1\norganisations: [NHS EXAMPLE]", false, []string{
			"organisations/nhs-example/index.html", "guides/a/index.html", "guides/c/index.html", "guides/e/index.html"}},
		{"new page", "content/guides/g.md", "", "---\ntitle: Zz last\nsummary: S.\nmeasures: [well-led]\ntopics: [records]\n---\nText.\n", false, []string{
			"guides/g/index.html", "guides/index.html", "topics/records/index.html"}},
	}
	for _, st := range steps {
		if st.file == a {
			src = bytes.Replace(src, []byte(st.old), []byte(st.new), 1)
			incWrite(t, dir, a, string(src))
		} else {
			old, _ := os.ReadFile(filepath.Join(dir, st.file))
			incWrite(t, dir, st.file, strings.Replace(string(old), st.old, st.new, 1))
		}
		model := b.good.model.Site
		warned := len(model.Warnings)
		up, err := b.Build([]string{filepath.Join(dir, st.file)})
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if patched := up.Model.Site == model; patched != st.patch {
			t.Errorf("%s: model patched %v, want %v", st.name, patched, st.patch)
		}
		for _, want := range st.changed {
			if !slices.Contains(up.Changed, want) {
				t.Errorf("%s: %s not updated; changed %v", st.name, want, up.Changed)
			}
		}
		var upserted []string // in path order
		for _, p := range up.Upserted {
			upserted = append(upserted, p.Path)
		}
		want := []string{st.file}
		switch st.name { // the organisation's name changes: its pages show it
		case "organisation's name", "weight":
			want = []string{a, "content/guides/c.md", "content/guides/e.md"}
		case "organisation added":
			want = []string{a, "content/guides/c.md", "content/guides/e.md", "content/guides/f.md"}
		}
		if !slices.Equal(upserted, want) {
			t.Errorf("%s: search documents of %v rewritten, want %v", st.name, upserted, want)
		}
		if st.name == "overdue" && len(up.Model.Site.Warnings) != warned-1 {
			t.Errorf("%s: %d warnings, want %d", st.name, len(up.Model.Site.Warnings), warned-1)
		}
		sameAsFresh(t, st.name, up, dir)
	}
	p := b.good.model.Site.BySource[a]
	if p.Title != "Zulu alpha, renamed" || p.Summary != "All about a." {
		t.Errorf("search reads title %q, summary %q", p.Title, p.Summary)
	}
	if got := b.good.model.Site.Organisations[0].Name; got != "NHS EXAMPLE" {
		t.Errorf("organisation named %q, want NHS EXAMPLE from the first of its pages", got)
	}
}

func TestListOf(t *testing.T) {
	for path, want := range map[string]string{
		"guides/page/3/index.html":              "guides/index.html",
		"topics/records/page/12/index.html":     "topics/records/index.html",
		"guides/index.html":                     "guides/index.html",
		"guides/page/index.html":                "guides/page/index.html",
		"guides/page/x/index.html":              "guides/page/x/index.html",
		"guides/mypage/2/index.html":            "guides/mypage/2/index.html",
		"guides/page//index.html":               "guides/page//index.html",
		"organisations/a/page/2/index.html.bak": "organisations/a/page/2/index.html.bak",
	} {
		if got := listOf(path); got != want {
			t.Errorf("listOf(%q) = %q, want %q", path, got, want)
		}
	}
}

// BenchmarkIncrementalEdit times Incremental.Build after a one-page edit of
// the shared corpus (KB_CORPUS_10K, else KB_CORPUS_1K), as kb serve runs it:
// a body edit, and a title edit, which the page's lists show too.
func BenchmarkIncrementalEdit(b *testing.B) {
	src := os.Getenv("KB_CORPUS_10K")
	if src == "" {
		src = os.Getenv("KB_CORPUS_1K")
	}
	if src == "" {
		b.Skip("KB_CORPUS_10K or KB_CORPUS_1K is not set: run make bench, which generates the corpora")
	}
	// A copy: the corpora are shared, and must never be read mid-edit.
	dst := b.TempDir()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		b.Fatal(err)
	}
	src = dst
	theme := incTheme(b)
	guides, _ := filepath.Glob(filepath.Join(src, "content", "guides", "*.md"))
	file := guides[len(guides)/2]
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.WriteFile(file, orig, 0o644) })
	edits := map[string]func(i int) []byte{
		"body": func(i int) []byte { return append(slices.Clone(orig), fmt.Sprintf("\nEdit number %d.\n", i)...) },
		"title": func(i int) []byte {
			return bytes.Replace(orig, []byte("\ntitle: "), fmt.Appendf(nil, "\ntitle: Edit %d of ", i), 1)
		},
	}
	defer debug.SetGCPercent(debug.SetGCPercent(400)) // as kb serve runs
	for _, kind := range []string{"body", "title"} {
		b.Run("edit="+kind, func(b *testing.B) {
			inc := NewIncremental(Options{Source: src, ThemeDir: theme, BaseURL: previewURL}, true)
			if _, err := inc.Build(nil); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := range b.N {
				if err := os.WriteFile(file, edits[kind](i), 0o644); err != nil {
					b.Fatal(err)
				}
				// labelled, so that a profile can leave out the first build
				pprof.Do(context.Background(), pprof.Labels("edit", kind), func(context.Context) {
					if _, err := inc.Build([]string{file}); err != nil {
						b.Fatal(err)
					}
				})
			}
		})
	}
}
