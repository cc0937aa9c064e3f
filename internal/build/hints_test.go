package build

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// Each edit, hinted as the watcher reports it, gives the output of a fresh
// build; the writes of pages already known are taken from the hints without
// walking content/, and anything else (a page created, deleted or renamed, a
// folder renamed, a bundle's file added or changed, a hint that names a
// folder) walks it again.
func TestHintedEditsMatchAFreshBuild(t *testing.T) {
	b, dir := incSite(t)
	incWrite(t, dir, "content/guides/x/index.md", guide("Xray", "Xray body, see [the report](report.pdf).", "records"))
	incWrite(t, dir, "content/guides/x/report.pdf", "%PDF-1.4 one")
	abs := func(names ...string) []string {
		var out []string
		for _, n := range names {
			out = append(out, filepath.Join(dir, n))
		}
		return out
	}
	if _, err := b.Build(abs("content/guides/x", "content/guides/x/index.md", "content/guides/x/report.pdf")); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name  string
		do    func()
		hints []string
		walk  bool
		want  []string // outputs that must be there (and match a fresh build's)
		gone  []string // outputs that must not
	}{
		{"body", func() { incWrite(t, dir, "content/guides/a.md", guide("Alpha", "Alpha edited.", "cyber-security")) },
			abs("content/guides/a.md"), false, []string{"guides/a/index.html"}, nil},
		{"title and a layout", func() { incWrite(t, dir, "content/guides/b.md", guide("Beta two", "Beta body.", "cyber-security")) },
			append(abs("content/guides/b.md", "layouts"), filepath.Join(b.opt.ThemeDir, "layouts", "none.html")), false, []string{"guides/b/index.html"}, nil},
		{"bundle page", func() { incWrite(t, dir, "content/guides/x/index.md", guide("Xray", "Xray edited.", "records")) },
			abs("content/guides/x/index.md"), false, []string{"guides/x/index.html", "guides/x/report.pdf"}, nil},
		{"new page", func() { incWrite(t, dir, "content/guides/n.md", guide("New", "New body.", "records")) },
			abs("content/guides/n.md"), true, []string{"guides/n/index.html"}, nil},
		{"new page beside an edit", func() {
			incWrite(t, dir, "content/guides/a.md", guide("Alpha", "Alpha again.", "cyber-security"))
			incWrite(t, dir, "content/guides/m.md", guide("Em", "Em body.", "records"))
		}, abs("content/guides/a.md", "content/guides/m.md"), true, []string{"guides/m/index.html"}, nil},
		{"deleted page", func() { os.Remove(filepath.Join(dir, "content/guides/n.md")) },
			abs("content/guides/n.md"), true, nil, []string{"guides/n/index.html"}},
		{"bundle file added", func() { incWrite(t, dir, "content/guides/x/annex.pdf", "%PDF-1.4 annex") },
			abs("content/guides/x/annex.pdf"), true, []string{"guides/x/annex.pdf"}, nil},
		{"bundle file changed", func() { incWrite(t, dir, "content/guides/x/report.pdf", "%PDF-1.4 two, longer") },
			abs("content/guides/x/report.pdf"), true, []string{"guides/x/report.pdf"}, nil},
		{"folder renamed", func() {
			if err := os.Rename(filepath.Join(dir, "content/guides/x"), filepath.Join(dir, "content/guides/y")); err != nil {
				t.Fatal(err)
			}
		}, abs("content/guides/x", "content/guides/y", "content/guides/y/index.md", "content/guides/y/report.pdf", "content/guides/y/annex.pdf"),
			true, []string{"guides/y/index.html", "guides/y/report.pdf"}, []string{"guides/x/index.html", "guides/x/report.pdf"}},
		{"page renamed", func() {
			os.Rename(filepath.Join(dir, "content/guides/m.md"), filepath.Join(dir, "content/guides/k.md"))
		},
			abs("content/guides/m.md", "content/guides/k.md"), true, []string{"guides/k/index.html"}, []string{"guides/m/index.html"}},
		{"edit after the walks", func() { incWrite(t, dir, "content/guides/k.md", guide("Kay", "Kay body.", "records")) },
			abs("content/guides/k.md"), false, []string{"guides/k/index.html"}, nil},
		{"an overflow, as the watcher reports one", func() { incWrite(t, dir, "content/guides/o.md", guide("Oh", "Oh body.", "records")) },
			abs("content", "site.yaml"), true, []string{"guides/o/index.html"}, nil},
		{"more hints than are looked up one by one", func() { incWrite(t, dir, "content/guides/a.md", guide("Alpha", "Alpha many.", "cyber-security")) },
			slices.Repeat(abs("content/guides/a.md"), maxHints+1), true, []string{"guides/a/index.html"}, nil},
		{"a folder named", func() { incWrite(t, dir, "content/guides/y/index.md", guide("Why", "Why body.", "records")) },
			abs("content/guides"), true, []string{"guides/y/index.html"}, nil},
	}
	for _, st := range steps {
		st.do()
		walks := b.walks
		up, err := b.Build(st.hints)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if walked := b.walks > walks; walked != st.walk {
			t.Errorf("%s: walked content/ %v, want %v", st.name, walked, st.walk)
		}
		for _, p := range st.want {
			if _, ok := up.Outputs[p]; !ok {
				t.Errorf("%s: no %s", st.name, p)
			}
		}
		for _, p := range st.gone {
			if _, ok := up.Outputs[p]; ok || !slices.Contains(up.Removed, p) {
				t.Errorf("%s: %s still there (removed %v)", st.name, p, up.Removed)
			}
		}
		sameAsFresh(t, st.name, up, dir)
	}
}
