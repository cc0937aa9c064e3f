package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"
	"time"

	"github.com/nhsx/kb/internal/sitetest"
)

// kb owns its output folder: it replaces only a folder it made (or an empty
// or missing one), and never writes through a symbolic link. These tests
// run kb build twice where it must refuse, since an older kb moved a foreign
// folder aside on the first build and deleted it on the second.

// refuseTwice runs kb build into out twice; both must fail with exactly
// want, and nothing under watched may change.
func refuseTwice(t *testing.T, root, out, watched, want string) {
	t.Helper()
	before := tree(t, watched)
	for i := range 2 {
		code, stdout, stderr := kb(t, "build", "--source", root, "--theme", sitetest.ThemeDir(t), "--out", out)
		if code != 1 || stdout != "" || stderr != want {
			t.Fatalf("build %d: exit %d, stdout %q\nstderr %q\nwant   %q", i+1, code, stdout, stderr, want)
		}
	}
	if after := tree(t, watched); !reflect.DeepEqual(before, after) {
		t.Errorf("a refused build changed %s:\n got %v\nwant %v", watched, after, before)
	}
}

// tree maps what is under dir to its contents: "/" for a folder, "-> target"
// for a link, which it does not follow.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.Type()&os.ModeSymlink != 0:
			to, _ := os.Readlink(p)
			got[rel] = "-> " + to
		case d.IsDir():
			got[rel] = "/"
		default:
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			got[rel] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// besideOut lists the spare and staging folders kb keeps beside out.
func besideOut(t *testing.T, out string) []string {
	t.Helper()
	found, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".*"))
	for i, f := range found {
		found[i] = filepath.Base(f)
	}
	return found
}

func TestBuildRefusesAFolderItDidNotMake(t *testing.T) {
	_, root := sitetest.Load(t, "testdata/site.txtar")
	home := t.TempDir()
	out := filepath.Join(home, "Sites")
	mustWrite(t, filepath.Join(out, ".ssh", "id_rsa"), "secret key")
	mustWrite(t, filepath.Join(out, "docs", "thesis.txt"), "years of work")
	refuseTwice(t, root, out, home,
		"kb: --out "+out+" holds files kb did not write (.ssh/, docs/): choose an empty or new folder, or delete its contents yourself\n")
}

func TestBuildRefusesAFileAsOut(t *testing.T) {
	_, root := sitetest.Load(t, "testdata/site.txtar")
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	mustWrite(t, out, "not a folder")
	refuseTwice(t, root, out, dir,
		"kb: --out "+out+" is a file, not a folder: choose an empty or new folder, or delete the file yourself\n")
}

// A link at --out, or on the way to it, that leads into the sources would
// have the site written over them.
func TestBuildRefusesOutLinkedIntoTheSources(t *testing.T) {
	_, root := sitetest.Load(t, "testdata/site.txtar")
	content := filepath.Join(root, "content")
	out := filepath.Join(root, "out")
	mustLink(t, content, out)
	refuseTwice(t, root, out, root,
		"kb: --out "+out+" would overwrite "+content+": choose a folder outside the sources, such as public/\n")

	link := filepath.Join(t.TempDir(), "link")
	mustLink(t, content, link)
	out = filepath.Join(link, "public")
	refuseTwice(t, root, out, root,
		"kb: --out "+out+" would overwrite "+content+": choose a folder outside the sources, such as public/\n")
}

// A public link to a web root was swapped for a folder on one build and
// back on the next.
func TestBuildRefusesALinkAsOut(t *testing.T) {
	_, root := sitetest.Load(t, "testdata/site.txtar")
	dir := t.TempDir()
	www := filepath.Join(dir, "www")
	mustWrite(t, filepath.Join(www, "index.html"), "the live site")
	out := filepath.Join(dir, "public")
	mustLink(t, www, out)
	refuseTwice(t, root, out, dir,
		"kb: --out "+out+" is a symbolic link (to "+www+"): kb replaces its output folder whole and does not write through links; give a real folder, or remove the link\n")
}

func TestBuildRefusesALinkAsSpare(t *testing.T) {
	root, out := buildSite(t)
	dir := filepath.Dir(out)
	mustWrite(t, filepath.Join(dir, "elsewhere", "keep.txt"), "mine")
	spare := filepath.Join(dir, ".public.previous")
	mustLink(t, filepath.Join(dir, "elsewhere"), spare)
	refuseTwice(t, root, out, dir,
		"kb: "+spare+" is a symbolic link, where kb keeps the build before last of --out "+out+": remove the link\n")
}

// Staging folders of builds that were killed, by this kb or an older one,
// can hold a whole site: the next build removes them.
func TestBuildRemovesDeadStagingFolders(t *testing.T) {
	root, out := buildSite(t)
	dir := filepath.Dir(out)
	older := filepath.Join(dir, ".public.new-2412093717")
	mustWrite(t, filepath.Join(older, "guides", "index.html"), "half a build")
	hourAgo := time.Now().Add(-time.Hour)
	if err := os.Chtimes(older, hourAgo, hourAgo); err != nil {
		t.Fatal(err)
	}
	killed := filepath.Join(dir, ".public.new-830221")
	mustWrite(t, filepath.Join(killed, "index.html"), "half a build")
	mustWrite(t, filepath.Join(killed, ".kb-output"), "")
	// --cache "": a whole build, which stages the site beside the output
	// (an in-place build after no edit stages nothing; see build.Options.Cache).
	if code, _, stderr := kb(t, "build", "--source", root, "--theme", sitetest.ThemeDir(t), "--out", out, "--cache", ""); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got, want := besideOut(t, out), []string{".public.previous"}; !reflect.DeepEqual(got, want) {
		t.Errorf("beside the output: %v, want %v", got, want)
	}
}

// A build that fails while writing pages leaves the output as it was and no
// half-written spare: after a disk-full failure, that spare kept the disk
// full and every later build failed.
func TestFailedBuildLeavesNoSpare(t *testing.T) {
	root, out := buildSite(t)
	args := []string{"build", "--source", root, "--theme", sitetest.ThemeDir(t), "--out", out}
	if code, _, stderr := kb(t, args...); code != 0 {
		t.Fatalf("second build: exit %d: %s", code, stderr)
	}
	before := tree(t, out)
	broken := filepath.Join(root, "layouts", "single.html")
	mustWrite(t, broken, "{{define \"main\"}}{{.Page.NoSuchField}}{{end}}\n")
	code, _, stderr := kb(t, args...)
	if want := "layouts/single.html:1:24: template error: can't evaluate field NoSuchField in type *site.Page\nkb: 1 problem found; nothing was written\n"; code != 1 || stderr != want {
		t.Fatalf("exit %d, stderr %q, want %q", code, stderr, want)
	}
	if after := tree(t, out); !reflect.DeepEqual(before, after) {
		t.Error("the failed build changed the output")
	}
	if got := besideOut(t, out); len(got) != 0 {
		t.Errorf("the failed build left %v beside the output", got)
	}
	if err := os.Remove(broken); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := kb(t, args...); code != 0 {
		t.Fatalf("the build after: exit %d: %s", code, stderr)
	}
	if after := tree(t, out); !reflect.DeepEqual(before, after) {
		t.Error("the build after the failed one differs from the one before it")
	}
}

// The first Ctrl-C or SIGTERM stops a build: nothing is published, the
// staging folder is removed, and the exit status says which signal (130,
// 143). It runs the real program, on a site big enough to catch mid-build.
func TestSignalStopsTheBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the kb program and a site of 3,000 pages")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "kb")
	if b, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	_, root := sitetest.Load(t, "testdata/site.txtar")
	for i := range 3000 {
		mustWrite(t, filepath.Join(root, "content", "guides", fmt.Sprintf("generated-%04d.md", i)),
			fmt.Sprintf("---\ntitle: Generated %d\nsummary: A page made for the test.\nmeasures: [well-led]\n---\nBody %d.\n", i, i))
	}
	out := filepath.Join(dir, "public")
	// Whole builds (--cache ""), which stage the site beside the output:
	// after no edit, an in-place build would render only a few pages.
	args := []string{"build", "--source", root, "--theme", sitetest.ThemeDir(t), "--out", out, "--index", "", "--cache", ""}
	if b, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("first build: %v\n%s", err, b)
	}
	before := tree(t, out)
	for _, c := range []struct {
		sig  syscall.Signal
		name string
		code int
	}{{syscall.SIGINT, "Ctrl-C (SIGINT)", 130}, {syscall.SIGTERM, "SIGTERM", 143}} {
		cmd := exec.Command(bin, args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if !stagingAppears(out, time.Minute) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("%s: no staging folder appeared; stderr %q", c.name, stderr.String())
		}
		if err := cmd.Process.Signal(c.sig); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		want := "kb: build stopped by " + c.name + ": nothing was published, " + out + " is as it was\n"
		if got := cmd.ProcessState.ExitCode(); got != c.code || stdout.String() != "" || stderr.String() != want {
			t.Errorf("%s: exit %d, stdout %q\nstderr %q\nwant exit %d, stderr %q", c.name, got, stdout.String(), stderr.String(), c.code, want)
		}
		if after := tree(t, out); !reflect.DeepEqual(before, after) {
			t.Errorf("%s: the stopped build changed the output", c.name)
		}
		if got := besideOut(t, out); len(got) != 0 {
			t.Errorf("%s: left beside the output: %v", c.name, got)
		}
	}
}

// stagingAppears waits for a build to start writing beside out.
func stagingAppears(out string, limit time.Duration) bool {
	pattern := filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".new-*")
	for end := time.Now().Add(limit); time.Now().Before(end); time.Sleep(2 * time.Millisecond) {
		if found, _ := filepath.Glob(pattern); len(found) > 0 {
			return true
		}
	}
	return false
}
