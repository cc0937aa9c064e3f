package publish

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/nhsx/kb/internal/render"
)

var site = []render.Output{{Path: "index.html", Data: []byte("home")}, {Path: "a/index.html", Data: []byte("a")}}

func mustWrite(t *testing.T, file, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// beside lists what stands beside out with kb's names for its spare and
// staging folders.
func beside(t *testing.T, out string) []string {
	t.Helper()
	found, err := filepath.Glob(filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".*"))
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range found {
		found[i] = filepath.Base(f)
	}
	return found
}

// refused builds into out twice and checks both are refused with exactly
// want, and that nothing under root changed.
func refused(t *testing.T, root, out, want string) {
	t.Helper()
	before := snapshot(t, root)
	for i := range 2 {
		err := Dir(out, site)
		if err == nil || err.Error() != want {
			t.Fatalf("build %d: error %v\nwant %s", i+1, err, want)
		}
	}
	if after := snapshot(t, root); !reflect.DeepEqual(before, after) {
		t.Errorf("a refused build changed the files:\n got %v\nwant %v", after, before)
	}
}

// A folder kb did not make keeps its files: kb used to move them aside on
// the first build and delete them on the second.
func TestForeignFolderIsRefused(t *testing.T) {
	home := t.TempDir()
	out := filepath.Join(home, "Sites")
	mustWrite(t, filepath.Join(out, ".ssh", "id_rsa"), "secret")
	mustWrite(t, filepath.Join(out, "docs", "thesis.txt"), "years of work")
	refused(t, home, out, "--out "+out+" holds files kb did not write (.ssh/, docs/): choose an empty or new folder, or delete its contents yourself")
	if got := beside(t, out); len(got) != 0 {
		t.Errorf("left beside the folder: %v", got)
	}
}

func TestFileAsOutIsRefused(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "notes.txt")
	mustWrite(t, out, "mine")
	refused(t, root, out, "--out "+out+" is a file, not a folder: choose an empty or new folder, or delete the file yourself")
}

// kb replaces the output folder whole, so a link there would be swapped for
// a folder, or written through into wherever it leads.
func TestLinkAsOutIsRefused(t *testing.T) {
	root := t.TempDir()
	target := filepath.Join(root, "www")
	mustWrite(t, filepath.Join(target, "index.html"), "the live site")
	out := filepath.Join(root, "public")
	if err := os.Symlink(target, out); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	refused(t, root, out, "--out "+out+" is a symbolic link (to "+target+"): kb replaces its output folder whole and does not write through links; give a real folder, or remove the link")
}

func TestLinkAsSpareIsRefused(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	if err := Dir(out, site); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(root, "elsewhere")
	mustWrite(t, filepath.Join(target, "keep.txt"), "mine")
	if err := os.Symlink(target, spareOf(out)); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	refused(t, root, out, spareOf(out)+" is a symbolic link, where kb keeps the build before last of --out "+out+": remove the link")
}

// Older kb moved a foreign --out to the spare: its files stay there for
// their owner.
func TestForeignSpareIsRefused(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "Sites")
	mustWrite(t, filepath.Join(spareOf(out), "docs", "thesis.txt"), "years of work")
	refused(t, root, out, spareOf(out)+" holds files kb did not write (docs/): kb keeps the build before last of --out "+out+" there, and older versions moved a foreign --out there; move what you want to keep and delete the folder")
}

// A site an older kb built has no marker: kb says so rather than guess.
func TestUnmarkedOldBuildIsRefused(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	for _, f := range []string{"index.html", "sitemap.xml", "assets/kb.css"} {
		mustWrite(t, filepath.Join(out, f), "old")
	}
	refused(t, root, out, "--out "+out+" was built by an older kb, which did not mark its output (.kb-output): delete it once yourself, and build again")
}

// An empty folder, and one kb made, are kb's to replace.
func TestEmptyAndMarkedFoldersAreAccepted(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	if err := os.Mkdir(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := Dir(out, site); err != nil {
			t.Fatalf("build %d: %v", i+1, err)
		}
	}
	want := map[string]string{Marker: markerText, Manifest: "sums of a/index.html index.html", "index.html": "home", "a": "/", "a/index.html": "a"}
	if got := snapshot(t, out); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if got := snapshot(t, spareOf(out)); !reflect.DeepEqual(got, want) {
		t.Errorf("spare: got %v\nwant %v", got, want)
	}
}

// Staging folders of builds that died are removed; those of a build still
// running, or one just starting (no marker yet), are not.
func TestStaleStagingIsRemoved(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	stage := func(name string, marker bool, age time.Duration) string {
		dir := filepath.Join(root, ".public.new-"+name)
		mustWrite(t, filepath.Join(dir, "index.html"), "half a build")
		if marker {
			mustWrite(t, filepath.Join(dir, Marker), markerText)
		}
		then := time.Now().Add(-age)
		if err := os.Chtimes(dir, then, then); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	stage("1killed", true, 0)
	stage("2older-kb", false, time.Hour)
	stage("3starting", false, 0)
	live := stage("4running", true, 0)
	f, err := os.Open(filepath.Join(live, Marker))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if !tryLock(f) {
		t.Fatal("cannot lock")
	}
	if err := Dir(out, site); err != nil {
		t.Fatal(err)
	}
	if got, want := beside(t, out), []string{".public.new-3starting", ".public.new-4running"}; !reflect.DeepEqual(got, want) {
		t.Errorf("left beside the output: %v, want %v", got, want)
	}
}

// A build that fails part way, as on a full disk, publishes nothing and
// leaves no half-written spare: the next build starts afresh and succeeds.
func TestFailedBuildLeavesNoSpare(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	for _, text := range []string{"one", "two"} {
		if err := Dir(out, []render.Output{{Path: "index.html", Data: []byte(text)}, {Path: text + ".txt", Data: []byte(text)}}); err != nil {
			t.Fatal(err)
		}
	}
	before := snapshot(t, out)
	st, err := Stage(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int32
	st.writeFile = func(name string, data []byte, perm os.FileMode) (int64, error) {
		if n.Add(1) < 3 {
			return writeFile(name, data, perm)
		}
		_ = os.WriteFile(name, data[:len(data)/2], perm)
		return 0, &os.PathError{Op: "write", Path: name, Err: syscall.ENOSPC}
	}
	var outs []render.Output
	for _, p := range []string{"index.html", "a/index.html", "b/index.html", "c/index.html"} {
		outs = append(outs, render.Output{Path: p, Data: []byte("three " + p)})
	}
	_ = st.PutAll(outs)
	if err := st.Commit(); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Commit = %v, want no space left", err)
	}
	if after := snapshot(t, out); !reflect.DeepEqual(before, after) {
		t.Errorf("the failed build changed the output:\n got %v\nwant %v", after, before)
	}
	if got := beside(t, out); len(got) != 0 {
		t.Errorf("left beside the output: %v", got)
	}
	four := []render.Output{{Path: "index.html", Data: []byte("four")}}
	if err := Dir(out, four); err != nil {
		t.Fatal(err)
	}
	if got, want := snapshot(t, out), map[string]string{"index.html": "four", Marker: markerText, Manifest: "sums of index.html"}; !reflect.DeepEqual(got, want) {
		t.Errorf("the next build: %v, want %v", got, want)
	}
}

// A cancelled build (Ctrl-C) publishes nothing and leaves nothing beside the
// output, even with every file written.
func TestCancelledBuildPublishesNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	if err := Dir(out, site); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, out)
	ctx, cancel := context.WithCancel(context.Background())
	st, err := Stage(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Put(render.Output{Path: "index.html", Data: []byte("new")}); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := st.Put(render.Output{Path: "late.html", Data: []byte("late")}); !errors.Is(err, context.Canceled) {
		t.Errorf("Put after cancel = %v", err)
	}
	if err := st.Commit(); !errors.Is(err, context.Canceled) {
		t.Errorf("Commit = %v, want canceled", err)
	}
	if after := snapshot(t, out); !reflect.DeepEqual(before, after) {
		t.Errorf("the cancelled build changed the output:\n got %v\nwant %v", after, before)
	}
	if got := beside(t, out); len(got) != 0 {
		t.Errorf("left beside the output: %v", got)
	}
}
