package build

import (
	"bytes"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nhsx/kb/internal/publish"
	"github.com/nhsx/kb/internal/search"
)

// kb build with its records kept in .kb/, after each of a series of edits on
// disk, brings the output folder and the index up to date in place, and the
// folder is then byte for byte what a fresh build of the same files makes.
// Edits that reach every page (settings, a shared layout) build the whole
// site again, and are right too.
//
// It runs twice: as kb build runs, where a file changed within moments of
// the last build is read again whatever its times (see settle), and
// trusting every file's recorded size and times, as kb build does once
// they have settled, so that an unchanged file is restored from its
// record unread and only the times tell an edit.
func TestBuildOnDiskMatchesAFreshBuild(t *testing.T) {
	for _, trust := range []bool{false, true} {
		t.Run(map[bool]string{false: "settling", true: "trusting times"}[trust], func(t *testing.T) { onDiskMatchesAFreshBuild(t, trust) })
	}
}

func onDiskMatchesAFreshBuild(t *testing.T, trust bool) {
	_, dir := frontMatterSite(t)
	theme, out, index := incTheme(t), filepath.Join(t.TempDir(), "public"), filepath.Join(t.TempDir(), "index.bleve")
	opt := Options{Source: dir, ThemeDir: theme, Out: out, IndexDir: index, Cache: ".kb", BaseURL: previewURL, trustRecent: trust}
	if _, st, err := Build(opt); err != nil || st.InPlace {
		t.Fatalf("first build: in place %v, %v", st.InPlace, err)
	}
	a := "content/guides/a.md"
	var aTime time.Time // a's time after the last edit: a later one sets it back
	steps := []struct {
		name, file, old, new string
		inPlace              bool
	}{
		{"body", a, "Text of a.", "New text of a, on axolotls.", true},
		{"title", a, "title: Alpha", "title: Zulu alpha", true},
		{"date", a, "date: 2026-01-05", "date: 2025-12-01", true},
		{"organisation's name", "content/guides/c.md", "title: Gamma", "title: Aardvark", true},
		{"measure", a, "measures: [well-led]", "measures: [healthy-populations]", true},
		{"new page", "content/guides/g.md", "", "---\ntitle: Zz last\nsummary: S.\nmeasures: [well-led]\ntopics: [records]\n---\nText, see [b](b.md).\n", true},
		{"link", "content/guides/g.md", "see [b](b.md)", "see [a](a.md)", true},
		{"bundle file", "content/guides/h/data.csv", "", "x,y\n", true},
		{"bundle page", "content/guides/h/index.md", "", "---\ntitle: H\nsummary: S.\nmeasures: [well-led]\n---\n[Data](data.csv)\n", true},
		{"deleted page", "content/guides/e.md", "", "", true},
		// The risks of trusting sizes and times: an edit that sets the
		// time back, a file saved again unchanged, a page renamed.
		{"size, not time", a, "New text of a, on axolotls.", "New text of a, on axolotls, and newts.", true},
		{"touched", a, "", "", true},
		{"renamed page", "content/guides/f.md", "content/guides/zeta.md", "", true},
		{"settings", "site.yaml", "page_size: 2", "page_size: 3", false},
		{"nothing", "", "", "", true},
		// A CI cache that restores .kb/ but not the output folder.
		{"output folder gone", "", "", "", false},
	}
	for _, step := range steps {
		switch step.name {
		case "size, not time":
			edit(t, dir, step.file, step.old, step.new)
			setTime(t, filepath.Join(dir, a), aTime)
		case "touched":
			setTime(t, filepath.Join(dir, a), aTime.Add(time.Hour))
		case "renamed page":
			if err := os.Rename(filepath.Join(dir, step.file), filepath.Join(dir, step.old)); err != nil {
				t.Fatal(err)
			}
		default:
			edit(t, dir, step.file, step.old, step.new)
		}
		if fi, err := os.Stat(filepath.Join(dir, a)); err == nil {
			aTime = fi.ModTime()
		}
		if step.name == "output folder gone" {
			os.RemoveAll(out)
		}
		_, st, err := Build(opt)
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if st.InPlace != step.inPlace {
			t.Errorf("%s: in place %v, want %v", step.name, st.InPlace, step.inPlace)
		}
		if step.inPlace && step.name != "settings" && st.Rendered >= st.Files/2 {
			t.Errorf("%s: %d of %d outputs rendered", step.name, st.Rendered, st.Files)
		}
		if (step.name == "nothing" || step.name == "touched") && st.Written != 0 {
			t.Errorf("%s: nothing changed, yet %d files written", step.name, st.Written)
		}
		fresh := filepath.Join(t.TempDir(), "public")
		freshOpt := opt
		freshOpt.Out, freshOpt.Cache, freshOpt.IndexDir = fresh, "", ""
		if _, _, err := Build(freshOpt); err != nil {
			t.Fatalf("%s: fresh build: %v", step.name, err)
		}
		sameTree(t, step.name, out, fresh)
	}
	idx, err := search.Open(index)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	r, _ := search.ParseRequest(url.Values{"q": {"axolotls"}})
	if res, err := idx.Search(t.Context(), r); err != nil || res.Total != 1 || res.Results[0].URL != "/guides/a/" {
		t.Errorf("the index after the edits: %+v, %v", res, err)
	}
}

// A build that fails after an edit leaves the output folder and its
// records as they were, and the build after the fix is right.
func TestBuildOnDiskFailureLeavesTheOutput(t *testing.T) {
	_, dir := frontMatterSite(t)
	theme, out := incTheme(t), filepath.Join(t.TempDir(), "public")
	opt := Options{Source: dir, ThemeDir: theme, Out: out, Cache: ".kb"}
	if _, _, err := Build(opt); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, out)
	edit(t, dir, "content/guides/a.md", "Text of a.", "Text of a, see [nowhere](missing.md).")
	if _, _, err := Build(opt); err == nil || !strings.Contains(err.Error(), "content/guides/a.md:11:") {
		t.Fatalf("a broken link: %v", err)
	}
	if after := snapshot(t, out); len(after) != len(before) {
		t.Fatalf("the failed build changed the folder: %d files, had %d", len(after), len(before))
	} else {
		for p, data := range before {
			if !bytes.Equal(after[p], data) {
				t.Errorf("the failed build changed %s", p)
			}
		}
	}
	edit(t, dir, "content/guides/a.md", "see [nowhere](missing.md)", "see [b](b.md)")
	if _, st, err := Build(opt); err != nil || !st.InPlace {
		t.Fatalf("after the fix: in place %v, %v", st.InPlace, err)
	}
	fresh := filepath.Join(t.TempDir(), "public")
	if _, _, err := Build(Options{Source: dir, ThemeDir: theme, Out: fresh}); err != nil {
		t.Fatal(err)
	}
	sameTree(t, "after the fix", out, fresh)
}

// edit replaces old by new in a file (writing it when old is ""), or
// deletes it when both are "".
func edit(t *testing.T, dir, file, old, new string) {
	t.Helper()
	if file == "" {
		return
	}
	p := filepath.Join(dir, file)
	if old == "" && new == "" {
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
		return
	}
	if old == "" {
		incWrite(t, dir, file, new)
		return
	}
	src, err := os.ReadFile(p)
	if err != nil || !bytes.Contains(src, []byte(old)) {
		t.Fatalf("%s lacks %q (%v)", file, old, err)
	}
	incWrite(t, dir, file, strings.Replace(string(src), old, new, 1))
}

// sameTree checks that two output folders hold the same files, byte for byte.
func sameTree(t *testing.T, step, got, want string) {
	t.Helper()
	g, w := snapshot(t, got), snapshot(t, want)
	for p, data := range w {
		if !bytes.Equal(g[p], data) {
			t.Errorf("%s: %s differs from a fresh build's", step, p)
		}
	}
	for p := range g {
		if _, ok := w[p]; !ok {
			t.Errorf("%s: %s is not in a fresh build", step, p)
		}
	}
}

// snapshot reads every file and folder under dir.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			files[rel+"/"] = nil
			return nil
		}
		if rel == publish.Manifest {
			// It records the files' times, which no two builds share:
			// only that it is there is compared (publish tests the rest).
			files[rel] = []byte("manifest")
			return nil
		}
		data, err := os.ReadFile(p)
		files[rel] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// setTime sets a file's modification time.
func setTime(t *testing.T, file string, mod time.Time) {
	t.Helper()
	if err := os.Chtimes(file, time.Time{}, mod); err != nil {
		t.Fatal(err)
	}
}
