package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/nhsx/kb/internal/publish"
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
	mustWrite(t, filepath.Join(out, publish.Marker), "")
	before := sitetest.Snapshot(t, out)
	type result struct {
		code   int
		stderr string
	}
	done := make(chan result, 1)
	theme := sitetest.ThemeDir(t)
	go func() {
		code, _, stderr := kb(t, "build", "--source", root, "--theme", theme, "--out", out)
		done <- result{code, stderr}
	}()
	var code int
	var stderr string
	select {
	case r := <-done:
		code, stderr = r.code, r.stderr
	case <-time.After(time.Minute):
		// A named pipe opened for reading waits for a writer for ever.
		t.Fatal("the build did not finish in a minute: is it waiting on a named pipe?")
	}
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

// TestBuildSymlinkInside: a link that stays in content/ is an ordinary page.
func TestBuildSymlinkInside(t *testing.T) {
	root := t.TempDir()
	guides := filepath.Join(root, "content", "guides")
	mustWrite(t, filepath.Join(guides, "a.md"), goodPage)
	mustWrite(t, filepath.Join(root, "content", "shared", "b.md"), strings.Replace(goodPage, "title: A", "title: Shared", 1))
	mustLink(t, filepath.Join(root, "content", "shared", "b.md"), filepath.Join(guides, "b.md"))
	out := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := kb(t, "build", "--source", root, "--theme", sitetest.ThemeDir(t), "--out", out); code != 0 {
		t.Fatalf("exit code %d: %s", code, stderr)
	}
	doc := sitetest.Page(t, out, "guides/b/index.html")
	if got := sitetest.Texts(doc.Find("h1")); !reflect.DeepEqual(got, []string{"Shared"}) {
		t.Errorf("h1 = %q", got)
	}
}

// TestBuildSymlinkOutOfBundle: a link inside the source but outside the
// folder published with it is refused, so that nothing else in the source
// (.git/config, settings, drafts kept aside) can be published through it.
// A bundle's links must stay in the bundle, and point at no hidden file;
// other links must stay in content/.
func TestBuildSymlinkOutOfBundle(t *testing.T) {
	root := t.TempDir()
	bundle := filepath.Join(root, "content", "guides", "x")
	mustWrite(t, filepath.Join(bundle, "index.md"), goodPage)
	mustWrite(t, filepath.Join(root, ".git", "config"), "[remote \"origin\"]\n\turl = https://token@example.org/kb.git\n")
	mustWrite(t, filepath.Join(bundle, ".env"), "SECRET=1\n")
	mustWrite(t, filepath.Join(root, "content", "guides", "y", "index.md"), goodPage)
	mustWrite(t, filepath.Join(root, "content", "guides", "y", "plan.pdf"), "%PDF-1.4")
	mustWrite(t, filepath.Join(root, "notes", "private.txt"), "not for publishing")
	mustLink(t, "../../../.git/config", filepath.Join(bundle, "config.txt"))
	mustLink(t, ".env", filepath.Join(bundle, "env.txt"))
	mustLink(t, "../y/plan.pdf", filepath.Join(bundle, "plan.pdf"))
	mustLink(t, "../notes/private.txt", filepath.Join(root, "content", "private.txt"))
	if err := os.MkdirAll(filepath.Join(root, "content", "guides", "z"), 0o755); err != nil {
		t.Fatal(err)
	}
	mustLink(t, "../../../.git/config", filepath.Join(root, "content", "guides", "z", "index.md"))
	failBuild(t, root, []string{
		"content/guides/x/config.txt:1:1: symbolic link points outside its page bundle content/guides/x/ (to .git/config): kb follows links only within it, so that nothing else in the source is published; copy the file in instead",
		"content/guides/x/env.txt:1:1: symbolic link points at content/guides/x/.env, which kb never publishes (its name is hidden or a backup's): copy the file in under an ordinary name instead",
		"content/guides/x/plan.pdf:1:1: symbolic link points outside its page bundle content/guides/x/ (to content/guides/y/plan.pdf): kb follows links only within it, so that nothing else in the source is published; copy the file in instead",
		"content/guides/z/index.md:1:1: symbolic link points outside its page bundle content/guides/z/ (to .git/config): kb follows links only within it, so that nothing else in the source is published; copy the file in instead",
		"content/private.txt:1:1: symbolic link points outside content/ (to notes/private.txt): kb follows links only within it, so that nothing else in the source is published; copy the file in instead",
	})
}

// TestBuildSymlinkInBundle: a link from one file of a bundle to another is
// followed, and the file is published under the link's name, also when the
// source is given as a relative path.
func TestBuildSymlinkInBundle(t *testing.T) {
	root := t.TempDir()
	bundle := filepath.Join(root, "content", "guides", "x")
	mustWrite(t, filepath.Join(bundle, "index.md"), goodPage+"[Plan](plan.pdf)\n")
	mustWrite(t, filepath.Join(bundle, "files", "plan-v2.pdf"), "%PDF-1.4 v2")
	mustLink(t, "files/plan-v2.pdf", filepath.Join(bundle, "plan.pdf"))
	out := filepath.Join(t.TempDir(), "public")
	theme := sitetest.ThemeDir(t)
	t.Chdir(root) // --source . once made every link look outside the source
	if code, _, stderr := kb(t, "build", "--source", ".", "--theme", theme, "--out", out); code != 0 {
		t.Fatalf("exit code %d: %s", code, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(out, "guides", "x", "plan.pdf")); err != nil || string(b) != "%PDF-1.4 v2" {
		t.Errorf("guides/x/plan.pdf = %q, %v", b, err)
	}
}

// TestBuildSpecialFiles: a named pipe is refused wherever it is, never
// opened: opening one waits for a writer, and the build used to hang on a
// FIFO called x.md with no message.
func TestBuildSpecialFiles(t *testing.T) {
	root := t.TempDir()
	mustWrite(t, filepath.Join(root, "content", "guides", "a.md"), goodPage)
	mustWrite(t, filepath.Join(root, "content", "guides", "x", "index.md"), goodPage)
	for _, p := range []string{"content/x.md", "content/guides/x/data.csv", "content/notes.txt"} {
		sitetest.Fifo(t, filepath.Join(root, filepath.FromSlash(p)))
	}
	mustLink(t, "x.md", filepath.Join(root, "content", "y.md"))
	failBuild(t, root, []string{
		"content/guides/x/data.csv:1:1: this is a named pipe (FIFO), not an ordinary file: kb reads only files and folders from content/; remove it",
		"content/notes.txt:1:1: this is a named pipe (FIFO), not an ordinary file: kb reads only files and folders from content/; remove it",
		"content/x.md:1:1: this is a named pipe (FIFO), not an ordinary file: kb reads only files and folders from content/; remove it",
		"content/y.md:1:1: this is a named pipe (FIFO), not an ordinary file: kb reads only files and folders from content/; remove it",
	})
}

// TestBuildStaticFiles: static/ is copied into /assets/, so a link there
// may point only within static/, and a named pipe there is refused.
func TestBuildStaticFiles(t *testing.T) {
	root := t.TempDir()
	mustWrite(t, filepath.Join(root, "content", "guides", "a.md"), goodPage)
	mustWrite(t, filepath.Join(root, ".git", "config"), "secret")
	mustWrite(t, filepath.Join(root, "static", "real.css"), "body{}")
	mustLink(t, "../.git/config", filepath.Join(root, "static", "leak.css"))
	mustLink(t, "real.css", filepath.Join(root, "static", "alias.css"))
	sitetest.Fifo(t, filepath.Join(root, "static", "pipe.css"))
	failBuild(t, root, []string{
		"static/leak.css:1:1: symbolic link that is broken or points outside its static folder: kb follows links only within it; copy the file in instead",
		"static/pipe.css:1:1: this is a named pipe (FIFO), not an ordinary file: kb copies only files from a static folder; remove it",
	})
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
