// Package watch reports changes to a knowledge base's source files in
// batches: it watches folders recursively (including ones created later),
// ignores editor droppings and chmod-only events, and gathers a burst of
// events (a git checkout, an editor's save through a temporary file) into one
// batch. Where the system's watch limit is reached it falls back to polling.
package watch

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Options say what to watch and how.
type Options struct {
	// Dirs are watched recursively; they need not exist yet, but their
	// parent must, and is watched for them to appear.
	Dirs []string
	// Files are single files, such as site.yaml; their folder is watched.
	Files []string
	// Quiet is how long the files must be still before a batch is sent: long
	// enough to gather a burst, short enough not to be noticed. Default 10ms.
	Quiet time.Duration
	// MaxWait bounds how long a stream of events can hold a batch back.
	MaxWait time.Duration
	// Poll forces polling; Interval is its period (default 500ms).
	Poll     bool
	Interval time.Duration
	Logger   *slog.Logger

	// add adds one folder to the notifier; tests replace it to simulate the
	// system's watch limit.
	add func(dir string) error
}

// Watcher sends batches of changed paths on C until closed.
type Watcher struct {
	// C receives the paths changed since the last batch, deduplicated.
	C <-chan []string

	opt     Options
	out     chan []string
	done    chan struct{}
	wg      sync.WaitGroup
	fsw     *fsnotify.Watcher
	polling atomic.Bool     // set by the watcher's goroutine if it falls back at run time
	roots   map[string]bool // Dirs and Files, cleaned
}

// New starts watching. It reports the watch limit on opt.Logger and falls back
// to polling rather than failing.
func New(opt Options) (*Watcher, error) {
	if opt.Quiet <= 0 {
		opt.Quiet = 10 * time.Millisecond
	}
	if opt.MaxWait <= 0 {
		opt.MaxWait = time.Second
	}
	if opt.Interval <= 0 {
		opt.Interval = 500 * time.Millisecond
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	w := &Watcher{opt: opt, out: make(chan []string), done: make(chan struct{}), roots: map[string]bool{}}
	w.C = w.out
	for _, p := range append(append([]string{}, opt.Dirs...), opt.Files...) {
		w.roots[filepath.Clean(p)] = true
	}
	if !opt.Poll {
		if err := w.startNotify(); err != nil {
			if !limitReached(err) {
				return nil, err
			}
			w.fallBack(err)
		}
	}
	w.polling.Store(w.fsw == nil)
	w.wg.Add(1)
	if w.polling.Load() {
		go w.poll(w.snapshot()) // taken now: a change right after New is seen
	} else {
		go w.notify()
	}
	return w, nil
}

// Polling reports whether the watcher polls instead of using notifications.
func (w *Watcher) Polling() bool { return w.polling.Load() }

// Close stops watching and waits for the watcher's goroutine to end.
func (w *Watcher) Close() error {
	select {
	case <-w.done:
		return nil
	default:
	}
	close(w.done)
	w.wg.Wait()
	if w.fsw != nil {
		return w.fsw.Close()
	}
	return nil
}

// limitReached reports the errors inotify gives when a user's watches or
// instances run out.
func limitReached(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EMFILE)
}

func (w *Watcher) fallBack(err error) {
	w.opt.Logger.Warn(fmt.Sprintf("the system's limit on watched folders is reached (%v): checking for changes every %s instead. "+
		"To watch instantly, raise the limit, for example: sudo sysctl fs.inotify.max_user_watches=524288", err, w.opt.Interval))
	if w.fsw != nil {
		w.fsw.Close()
		w.fsw = nil
	}
}

// startNotify watches every folder below Dirs, and the parents of Dirs and
// Files so that their creation and replacement are seen.
func (w *Watcher) startNotify() error {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	w.fsw = fsw
	if w.opt.add == nil {
		w.opt.add = fsw.Add
	}
	parents := map[string]bool{}
	for p := range w.roots {
		parents[filepath.Dir(p)] = true
	}
	for dir := range parents {
		if err := w.opt.add(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	for _, d := range w.opt.Dirs {
		if _, err := w.addTree(d); err != nil {
			return err
		}
	}
	return nil
}

// addTree watches dir and every folder below it, returning the files found:
// files created in a new folder before its watch was added would be missed.
func (w *Watcher) addTree(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // gone already, or unreadable: nothing to watch
		}
		if p != dir && Ignored(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			files = append(files, p)
			return nil
		}
		if err := w.opt.add(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	})
	return files, err
}

// relevant reports whether a path is under a watched folder or is a watched
// file (the parents' other entries are not of interest).
func (w *Watcher) relevant(p string) bool {
	for q := filepath.Clean(p); ; {
		if w.roots[q] {
			return true
		}
		if Ignored(filepath.Base(q)) {
			return false
		}
		parent := filepath.Dir(q)
		if parent == q {
			return false
		}
		q = parent
	}
}

// Ignored reports names that are never source: hidden files and folders
// (.git, editor lock files), swap, backup and temporary files, node_modules.
func Ignored(name string) bool {
	if name == "" {
		return false
	}
	switch {
	case name[0] == '.', name[0] == '#', name == "4913", name == "node_modules":
		return true
	}
	for _, suffix := range []string{"~", ".swp", ".swx", ".swo", ".tmp", ".bak", ".orig", ".part", ".crdownload", "___jb_tmp___", "___jb_old___"} {
		if len(name) >= len(suffix) && name[len(name)-len(suffix):] == suffix {
			return true
		}
	}
	return false
}

// notify turns notifications into batches.
func (w *Watcher) notify() {
	defer w.wg.Done()
	b := newBatcher(w.opt.Quiet, w.opt.MaxWait)
	defer b.stop()
	for {
		var out chan<- []string
		if b.ready {
			out = w.out
		}
		select {
		case <-w.done:
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			if err := w.handle(ev, b); err != nil && limitReached(err) {
				w.fallBack(err)
				w.polling.Store(true)
				w.wg.Add(1)
				go w.poll(w.snapshot())
				return
			}
		case err, ok := <-w.fsw.Errors:
			if ok {
				w.lost(err, b)
			}
		case <-b.timer.C:
			b.fire()
		case out <- b.take():
			b.reset()
		}
	}
}

// lost reports an error from the notifier. When events were dropped (the
// system's queue overflowed), every watched folder and file is sent as
// changed, so that the builder looks at everything again rather than trust
// the changes it was told of.
func (w *Watcher) lost(err error, b *batcher) {
	w.opt.Logger.Warn("watching files: " + err.Error())
	if errors.Is(err, fsnotify.ErrEventOverflow) {
		b.add(w.opt.Dirs...)
		b.add(w.opt.Files...)
	}
}

// handle records one event; a new folder is watched and its files reported.
func (w *Watcher) handle(ev fsnotify.Event, b *batcher) error {
	if ev.Op == fsnotify.Chmod || !w.relevant(ev.Name) {
		return nil
	}
	b.add(ev.Name)
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
			files, err := w.addTree(ev.Name)
			b.add(files...)
			return err
		}
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		_ = w.fsw.Remove(ev.Name) // a folder renamed away: its new name arrives as a Create
	}
	return nil
}
