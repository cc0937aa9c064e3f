package build

import (
	"path/filepath"
	"slices"
	"testing"
)

// Title edits patch the model, and bring its warnings about shared titles up
// to date only where the titles changed: they must be those a fresh build
// gives, as pages join, leave and swap groups of the same title.
func TestTitleEditsWarnAsAFreshBuild(t *testing.T) {
	b, dir := incSite(t)
	incWrite(t, dir, "content/guides/d.md", guide("Delta", "Delta body.", "records"))
	incWrite(t, dir, "content/guides/e.md", guide("Delta", "Echo body.", "records"))
	if _, err := b.Build([]string{filepath.Join(dir, "content/guides")}); err != nil {
		t.Fatal(err)
	}
	for _, st := range []struct{ file, title string }{
		{"a", "Beta"}, // a joins b
		{"a", "beta  "},
		{"e", "Beta"},  // e leaves d, joins a and b
		{"b", "Delta"}, // b swaps groups
		{"d", "Zeta"},
		{"a", "Alpha"},
		{"e", "Echo"}, // no title shared but Delta's
	} {
		name := "content/guides/" + st.file + ".md"
		topic := map[string]string{"a": "cyber-security", "b": "cyber-security"}[st.file]
		if topic == "" {
			topic = "records"
		}
		incWrite(t, dir, name, guide(st.title, "Body of "+st.file+".", topic))
		model := b.good.model.Site
		up, err := b.Build([]string{filepath.Join(dir, name)})
		if err != nil {
			t.Fatal(err)
		}
		if up.Model.Site != model {
			t.Fatalf("%s as %q: the model was made anew, not patched", st.file, st.title)
		}
		fresh, err := NewIncremental(Options{Source: dir, ThemeDir: b.opt.ThemeDir}, false).Build(nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := up.Model.Site.Warnings, fresh.Model.Site.Warnings; !slices.Equal(got, want) {
			t.Errorf("%s as %q: warnings\n%v\nwant\n%v", st.file, st.title, got, want)
		}
	}
}
