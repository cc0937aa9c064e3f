package watch

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

func start(t *testing.T, opt Options) (*Watcher, string) {
	t.Helper()
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	if err := os.MkdirAll(content, 0o755); err != nil {
		t.Fatal(err)
	}
	opt.Dirs = append(opt.Dirs, content)
	opt.Files = append(opt.Files, filepath.Join(dir, "site.yaml"))
	w, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w, dir
}

func next(t *testing.T, w *Watcher) []string {
	t.Helper()
	select {
	case b := <-w.C:
		return b
	case <-time.After(5 * time.Second):
		t.Fatal("no batch within 5s")
		return nil
	}
}

func mustWrite(t *testing.T, p, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A save through a temporary file and a rename is one batch naming the file,
// and the temporary file is not reported.
func TestRenameSave(t *testing.T) {
	w, dir := start(t, Options{})
	p := filepath.Join(dir, "content", "a.md")
	tmp := filepath.Join(dir, "content", ".a.md.tmp")
	mustWrite(t, tmp, "new")
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
	if got := next(t, w); !slices.Equal(got, []string{p}) {
		t.Errorf("batch %v, want [%s]", got, p)
	}
}

// Folders made after the start are watched, and files already in them reported.
func TestNewFolder(t *testing.T) {
	w, dir := start(t, Options{})
	deep := filepath.Join(dir, "content", "guides", "bundle", "index.md")
	mustWrite(t, deep, "x")
	got := next(t, w)
	for len(got) > 0 && !slices.Contains(got, deep) {
		got = append(got, next(t, w)...)
	}
	later := filepath.Join(dir, "content", "guides", "bundle", "more.md")
	mustWrite(t, later, "y")
	if got := next(t, w); !slices.Contains(got, later) {
		t.Errorf("file in a new folder: %v", got)
	}
}

// Settings files at the root are watched; other root files are not.
func TestRootFiles(t *testing.T) {
	w, dir := start(t, Options{})
	mustWrite(t, filepath.Join(dir, "notes.txt"), "ignored")
	mustWrite(t, filepath.Join(dir, "site.yaml"), "title: x")
	if got := next(t, w); !slices.Equal(got, []string{filepath.Join(dir, "site.yaml")}) {
		t.Errorf("batch %v", got)
	}
}

// When the system's watch limit is reached, the watcher says so and polls.
func TestWatchLimitFallsBackToPolling(t *testing.T) {
	var log bytes.Buffer
	opt := Options{Interval: 20 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(&log, nil)),
		add: func(string) error { return syscall.ENOSPC }}
	w, dir := start(t, opt)
	if !w.Polling() {
		t.Fatal("not polling after ENOSPC")
	}
	if !bytes.Contains(log.Bytes(), []byte("limit on watched folders is reached")) ||
		!bytes.Contains(log.Bytes(), []byte("fs.inotify.max_user_watches")) {
		t.Errorf("log does not explain the fallback: %s", log.String())
	}
	p := filepath.Join(dir, "content", "a.md")
	mustWrite(t, p, "polled")
	if got := next(t, w); !slices.Equal(got, []string{p}) {
		t.Errorf("polled batch %v", got)
	}
}

func TestIgnored(t *testing.T) {
	for name, want := range map[string]bool{
		"a.md": false, ".a.md.swp": true, "a.md~": true, "#a.md#": true, ".git": true, "4913": true,
		"a.md.bak": true, "node_modules": true, "a.md___jb_tmp___": true, "kb.css": false,
	} {
		if got := Ignored(name); got != want {
			t.Errorf("Ignored(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestPollingWaitsForWritesToSettle: a file still being written is reported
// only once a walk finds it unchanged, so the build never reads it half-way.
func TestPollingWaitsForWritesToSettle(t *testing.T) {
	w, dir := start(t, Options{Poll: true, Interval: 100 * time.Millisecond})
	p := filepath.Join(dir, "content", "a.md")
	var last time.Time
	for i := range 250 { // about half a second of writes, each longer than the last
		mustWrite(t, p, strings.Repeat("x", i+1))
		last = time.Now()
		select {
		case b := <-w.C:
			t.Fatalf("batch %v reported while the file was still being written", b)
		case <-time.After(2 * time.Millisecond):
		}
	}
	if got := next(t, w); !slices.Equal(got, []string{p}) {
		t.Errorf("batch %v, want %s once", got, p)
	}
	if since := time.Since(last); since < 100*time.Millisecond {
		t.Errorf("reported %s after the last write, before a quiet walk", since)
	}
}

// When the system drops events (its queue overflowed), the batch names every
// watched folder and file, so that the builder looks at everything again
// rather than trust the changes it was told of; another error names nothing.
func TestOverflowNamesEverything(t *testing.T) {
	var log bytes.Buffer
	w, dir := start(t, Options{Logger: slog.New(slog.NewTextHandler(&log, nil))})
	if w.Polling() {
		t.Skip("polling: no notifier to overflow")
	}
	w.fsw.Errors <- errors.New("some other trouble")
	w.fsw.Errors <- fsnotify.ErrEventOverflow
	want := []string{filepath.Join(dir, "content"), filepath.Join(dir, "site.yaml")}
	if got := next(t, w); !slices.Equal(got, want) {
		t.Errorf("after an overflow: %v, want %v", got, want)
	}
	if !strings.Contains(log.String(), "some other trouble") || !strings.Contains(log.String(), "queue or buffer overflow") {
		t.Errorf("errors not logged: %s", log.String())
	}
}
