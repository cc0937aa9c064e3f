package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/sitetest"
)

func readFile(t *testing.T, root, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func checkClean(t *testing.T, root, theme string) {
	t.Helper()
	if code, _, stderr := kb(t, "check", "--source", root, "--theme", theme); code != 0 || stderr != "" {
		t.Fatalf("kb check after the move: %d\n%s", code, stderr)
	}
}

// Renaming a page: its old URL becomes an alias that redirects, every link
// to it is rewritten wherever and however it is written, and kb check is
// clean after.
func TestMvRenamesAPage(t *testing.T) {
	theme := sitetest.ThemeDir(t)
	_, root := sitetest.Load(t, "testdata/mv.txtar")
	code, stdout, stderr := kb(t, "mv", "content/standards/dtac.md", "content/standards/digital-technology-assessment-criteria.md", "--source", root)
	want := `kb: move content/standards/dtac.md to content/standards/digital-technology-assessment-criteria.md (URL /standards/dtac/ becomes /standards/digital-technology-assessment-criteria/, the old one redirecting)
kb: update content/_index.md: 1 link rewritten
kb: update content/about.md: 1 link rewritten
kb: update content/guides/buying.md: 2 links rewritten
kb: update content/measures/safe-practice.md: 1 link rewritten
kb: update content/standards/digital-technology-assessment-criteria.md: alias /standards/dtac/ added
kb: update content/standards/dspt/index.md: 1 link rewritten
`
	if code != 0 || stdout != want || stderr != "" {
		t.Fatalf("kb mv: %d\n%s\nwant:\n%s\nstderr: %s", code, stdout, want, stderr)
	}
	if _, err := os.Stat(filepath.Join(root, "content/standards/dtac.md")); !os.IsNotExist(err) {
		t.Error("the old file is still there")
	}
	page := readFile(t, root, "content/standards/digital-technology-assessment-criteria.md")
	if !strings.Contains(page, "measures: [safe-practice] # the main one\naliases: # earlier names\n  - /old/dtac/\n  - /standards/dtac/\nweight: 10\n") {
		t.Errorf("front matter not edited minimally:\n%s", page)
	}
	for file, links := range map[string][]string{
		"content/guides/buying.md":          {"[d]: ../standards/digital-technology-assessment-criteria.md\n", "(../standards/digital-technology-assessment-criteria.md#scope)", "[this one](buying.md)"},
		"content/about.md":                  {"(standards/digital-technology-assessment-criteria.md#scope)", "(standards/dspt/index.md)"},
		"content/standards/dspt/index.md":   {"(checklist.csv)", "(../digital-technology-assessment-criteria.md#scope)"},
		"content/_index.md":                 {"(standards/digital-technology-assessment-criteria.md)"},
		"content/measures/safe-practice.md": {"(../standards/digital-technology-assessment-criteria.md)"},
	} {
		text := readFile(t, root, file)
		for _, l := range links {
			if !strings.Contains(text, l) {
				t.Errorf("%s lacks %q:\n%s", file, l, text)
			}
		}
	}
	checkClean(t, root, theme)
	out := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := kb(t, "build", "--source", root, "--theme", theme, "--out", out, "--index", ""); code != 0 {
		t.Fatalf("build: %s", stderr)
	}
	doc := sitetest.Page(t, out, "standards/dtac/index.html")
	if got, _ := doc.Find(`meta[http-equiv="refresh"]`).Attr("content"); !strings.Contains(got, "/standards/digital-technology-assessment-criteria/") {
		t.Errorf("the old URL does not redirect: refresh %q", got)
	}
	sitetest.Page(t, out, "old/dtac/index.html") // the earlier alias still works
}

// Moving a bundle moves its files with it; links inside it that climb out
// are recomputed from its new folder, and --dry-run writes nothing.
func TestMvMovesABundle(t *testing.T) {
	theme := sitetest.ThemeDir(t)
	_, root := sitetest.Load(t, "testdata/mv.txtar")
	before := sitetest.Snapshot(t, root)
	code, stdout, _ := kb(t, "mv", "--dry-run", "--source", root, "content/standards/dspt", "content/guides/dspt")
	want := `kb: would move content/standards/dspt to content/guides/dspt (URL /standards/dspt/ becomes /guides/dspt/, the old one redirecting)
kb: would update content/about.md: 1 link rewritten
kb: would update content/guides/buying.md: 2 links rewritten
kb: would update content/guides/dspt/index.md: alias /standards/dspt/ added, 1 link rewritten
kb: would update content/standards/dtac.md: 1 link rewritten
kb: dry run: nothing was written
`
	if code != 0 || stdout != want {
		t.Fatalf("dry run: %d\n%s\nwant:\n%s", code, stdout, want)
	}
	if after := sitetest.Snapshot(t, root); !reflect.DeepEqual(before, after) {
		t.Fatal("--dry-run changed files")
	}
	if code, stdout, stderr := kb(t, "mv", "--source", root, "content/standards/dspt", "content/guides/dspt"); code != 0 || stdout != strings.ReplaceAll(strings.ReplaceAll(want, "would ", ""), "kb: dry run: nothing was written\n", "") {
		t.Fatalf("kb mv: %d\n%s%s", code, stdout, stderr)
	}
	for file, links := range map[string][]string{
		"content/guides/dspt/index.md": {"aliases: [/old/dspt/, /standards/dspt/]\n", "(checklist.csv)", "(../../standards/dtac.md#scope)"},
		"content/guides/buying.md":     {"[toolkit](dspt/)", "[checklist](dspt/checklist.csv)"},
		"content/standards/dtac.md":    {"[toolkit](../guides/dspt/index.md)"},
	} {
		text := readFile(t, root, file)
		for _, l := range links {
			if !strings.Contains(text, l) {
				t.Errorf("%s lacks %q:\n%s", file, l, text)
			}
		}
	}
	if readFile(t, root, "content/guides/dspt/checklist.csv") != "item,done\n" {
		t.Error("the bundle's file did not move")
	}
	checkClean(t, root, theme)
	// Moving a page one folder deeper recomputes its own links.
	if code, _, stderr := kb(t, "mv", "--source", root, "content/about.md", "content/help/about.md"); code != 0 {
		t.Fatalf("kb mv about: %s", stderr)
	}
	if text := readFile(t, root, "content/help/about.md"); !strings.Contains(text, "(../standards/dtac.md#scope)") || !strings.Contains(text, "(../guides/dspt/index.md)") {
		t.Errorf("the moved page's own links:\n%s", text)
	}
	checkClean(t, root, theme)
}

func TestMvRefuses(t *testing.T) {
	_, root := sitetest.Load(t, "testdata/mv.txtar")
	before := sitetest.Snapshot(t, root)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"content/standards/nope.md", "content/standards/x.md"}, "kb mv: content/standards/nope.md does not exist: give the page's Markdown file or its bundle folder, such as content/standards/dtac.md\n"},
		{[]string{"content/standards/dtac.md", "content/guides/buying.md"}, "kb mv: content/guides/buying.md already exists: choose a new name, or remove that one first\n"},
		{[]string{"content/standards/dspt", "content/guides/dspt.md"}, "kb mv: content/standards/dspt is a bundle folder, so the new name must be a folder too, such as content/guides/dspt\n"},
		{[]string{"content/standards/dspt/index.md", "content/guides/x.md"}, "kb mv: content/standards/dspt/index.md is a bundle's page: move the whole folder, content/standards/dspt\n"},
		{[]string{"site.yaml", "content/site.md"}, "kb mv: site.yaml is not inside content/: give paths such as content/standards/dtac.md\n"},
	} {
		code, _, stderr := kb(t, append([]string{"mv", "--source", root}, c.args...)...)
		if code != 1 || stderr != c.want {
			t.Errorf("kb mv %s: %d %q, want %q", c.args, code, stderr, c.want)
		}
	}
	if code, _, stderr := kb(t, "mv", "--source", root, "content/standards/dtac.md"); code != 2 || !strings.HasPrefix(stderr, "kb mv: want the page's path and its new path") {
		t.Errorf("one argument: %d %q", code, stderr)
	}
	if after := sitetest.Snapshot(t, root); !reflect.DeepEqual(before, after) {
		t.Error("a refused move changed files")
	}
}
