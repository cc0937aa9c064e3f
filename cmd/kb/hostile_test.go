package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nhsx/kb/internal/sitetest"
)

// The inputs here cannot live in a txtar archive: symbolic links, and a file
// too big to commit. Each must fail with exactly the expected positioned
// errors and leave the previous output as it was.

const goodPage = "---\ntitle: A\nsummary: A page.\nmeasures: [well-led]\n---\nBody.\n"

// failBuild builds root into an output folder holding a previous build, and
// checks the exit code, the positioned errors, and that nothing was written.
func failBuild(t *testing.T, root string, want []string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	mustWrite(t, filepath.Join(out, "index.html"), "previous build")
	before := sitetest.Snapshot(t, out)
	code, _, stderr := kb(t, "build", "--source", root, "--theme", sitetest.ThemeDir(t), "--out", out)
	if code != 1 {
		t.Fatalf("exit code %d, want 1; stderr:\n%s", code, stderr)
	}
	var got []string
	for _, l := range strings.Split(stderr, "\n") {
		if diagLine.MatchString(l) {
			got = append(got, l)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if after := sitetest.Snapshot(t, out); !reflect.DeepEqual(before, after) {
		t.Error("the failed build changed the previous output")
	}
}

func mustWrite(t *testing.T, file, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustLink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("cannot make symbolic links here: %v", err)
	}
}

// TestBuildSymlinks: a link to a file outside the source, a link to a folder
// outside it, and a broken link are all reported at once; a link to a file
// inside the source is followed.
func TestBuildSymlinks(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	guides := filepath.Join(root, "content", "guides")
	mustWrite(t, filepath.Join(guides, "a.md"), goodPage)
	mustWrite(t, filepath.Join(outside, "secret.md"), goodPage)
	mustLink(t, filepath.Join(outside, "secret.md"), filepath.Join(guides, "secret.md"))
	mustLink(t, outside, filepath.Join(guides, "elsewhere"))
	mustLink(t, filepath.Join(root, "gone.md"), filepath.Join(guides, "broken.md"))
	mustLink(t, filepath.Join(guides, "a.md"), filepath.Join(guides, "same.md"))
	real, err := filepath.EvalSymlinks(outside)
	if err != nil {
		t.Fatal(err)
	}
	failBuild(t, root, []string{
		"content/guides/broken.md:1:1: broken symbolic link: remove it or point it at a file inside the source folder",
		"content/guides/elsewhere:1:1: symbolic link points outside the source folder (to " + real + "): kb never follows links out of the source; copy the file in instead",
		"content/guides/secret.md:1:1: symbolic link points outside the source folder (to " + filepath.Join(real, "secret.md") + "): kb never follows links out of the source; copy the file in instead",
	})
}

// TestBuildSymlinkInside: a link that stays in the source is an ordinary page.
func TestBuildSymlinkInside(t *testing.T) {
	root := t.TempDir()
	guides := filepath.Join(root, "content", "guides")
	mustWrite(t, filepath.Join(guides, "a.md"), goodPage)
	mustWrite(t, filepath.Join(root, "shared", "b.md"), strings.Replace(goodPage, "title: A", "title: Shared", 1))
	mustLink(t, filepath.Join(root, "shared", "b.md"), filepath.Join(guides, "b.md"))
	out := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := kb(t, "build", "--source", root, "--theme", sitetest.ThemeDir(t), "--out", out); code != 0 {
		t.Fatalf("exit code %d: %s", code, stderr)
	}
	doc := sitetest.Page(t, out, "guides/b/index.html")
	if got := sitetest.Texts(doc.Find("h1")); !reflect.DeepEqual(got, []string{"Shared"}) {
		t.Errorf("h1 = %q", got)
	}
}

// TestBuildHugeFile: a 50 MB Markdown file is refused before it is read, and a
// second broken file in the same build is still reported.
func TestBuildHugeFile(t *testing.T) {
	root := t.TempDir()
	guides := filepath.Join(root, "content", "guides")
	mustWrite(t, filepath.Join(guides, "a.md"), goodPage)
	mustWrite(t, filepath.Join(guides, "b.md"), "---\ntitle: B\n---\n")
	big := bytes.Repeat([]byte("All work and no play makes a dull page.\n"), 50<<20/40)
	if err := os.WriteFile(filepath.Join(guides, "big.md"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	failBuild(t, root, []string{
		"content/guides/b.md:1:1: missing measures: add measures: [one or more of well-led, smart-foundations, safe-practice, support-people, empower-citizens, improve-care, healthy-populations]",
		`content/guides/b.md:1:1: missing summary: add a line such as summary: "One plain sentence saying what this page is for."`,
		"content/guides/big.md:1:1: file is 52.4 MB; a page must be under 10 MB: split it, or publish large data as a download in a page bundle",
	})
}

// TestBuildPathologicalMarkdown: the pages of issue 11's probes, each under
// 400 KB, that goldmark took a minute or more to parse, fail at once with an
// error at the place to fix. (How long each bound takes is measured by
// markdown's BenchmarkPathological.)
func TestBuildPathologicalMarkdown(t *testing.T) {
	root := t.TempDir()
	guides := filepath.Join(root, "content", "guides")
	head := "---\ntitle: P\nsummary: A page.\nmeasures: [well-led]\n---\n"
	mustWrite(t, filepath.Join(guides, "a.md"), goodPage)
	mustWrite(t, filepath.Join(guides, "links.md"), head+strings.Repeat("[a](", 100_000)+"\n")
	mustWrite(t, filepath.Join(guides, "lists.md"), head+strings.Repeat("- ", 100_000)+"a\n")
	mustWrite(t, filepath.Join(guides, "quotes.md"), head+strings.Repeat(">", 1_000_000)+"\n")
	start := time.Now()
	failBuild(t, root, []string{
		`content/guides/links.md:6:3: too many links here are left open: kb reads at most 20000000 characters of link targets a page, and the "](" from here on would make it read more: close each link target with ")" and each title with its quote, or write \] where a bracket is meant as text`,
		`content/guides/lists.md:6:201: this line opens 100000 block quotes, lists or footnotes inside each other; kb allows at most 100: if the characters are meant as text, put a backslash before the first (\>, \-, \[)`,
		`content/guides/quotes.md:6:101: this line opens 1000000 block quotes, lists or footnotes inside each other; kb allows at most 100: if the characters are meant as text, put a backslash before the first (\>, \-, \[)`,
	})
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the build took %v", took)
	}
}
