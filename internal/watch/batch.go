package watch

import (
	"io/fs"
	"path/filepath"
	"sort"
	"time"
)

// batcher gathers paths until the files have been quiet for a moment, or a
// stream of events has gone on for maxWait.
type batcher struct {
	quiet, maxWait time.Duration
	timer          *time.Timer
	paths          map[string]bool
	first          time.Time
	ready          bool
}

func newBatcher(quiet, maxWait time.Duration) *batcher {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &batcher{quiet: quiet, maxWait: maxWait, timer: t, paths: map[string]bool{}}
}

// add records paths and waits for quiet again, unless the batch is overdue.
func (b *batcher) add(paths ...string) {
	if len(b.paths) == 0 {
		b.first = time.Now()
	}
	for _, p := range paths {
		b.paths[p] = true
	}
	if len(b.paths) == 0 {
		return
	}
	if time.Since(b.first) >= b.maxWait {
		b.ready = true
		return
	}
	b.ready = false
	b.timer.Reset(b.quiet)
}

func (b *batcher) fire() { b.ready = len(b.paths) > 0 }

// take returns the batch, sorted; it is only sent once ready.
func (b *batcher) take() []string {
	if !b.ready {
		return nil
	}
	out := make([]string, 0, len(b.paths))
	for p := range b.paths {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func (b *batcher) reset() {
	b.paths = map[string]bool{}
	b.ready = false
}

func (b *batcher) stop() { b.timer.Stop() }

// stamp is what polling compares: a change of size, time or kind is a change.
type stamp struct {
	size int64
	mod  time.Time
	dir  bool
}

// poll walks the watched paths every interval and reports what differs,
// once a walk finds nothing new: a walk can catch a file between an editor's
// truncating and writing it, and building that half-written file would show
// the contributor an error that is not theirs. The same quiet tick gathers a
// burst of saves into one report.
func (w *Watcher) poll(last map[string]stamp) {
	defer w.wg.Done()
	tick := time.NewTicker(w.opt.Interval)
	defer tick.Stop()
	var pending []string
	settled := false
	for {
		var out chan<- []string
		if len(pending) > 0 && settled {
			out = w.out
		}
		select {
		case <-w.done:
			return
		case <-tick.C:
			now := w.snapshot()
			changed := diffSnapshots(last, now)
			settled = len(changed) == 0
			pending = mergePaths(pending, changed)
			last = now
		case out <- pending:
			pending = nil
		}
	}
}

// snapshot stamps every file below the watched folders and the watched files.
func (w *Watcher) snapshot() map[string]stamp {
	snap := map[string]stamp{}
	for root := range w.roots {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if p != root && Ignored(d.Name()) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if fi, err := d.Info(); err == nil {
				snap[p] = stamp{size: fi.Size(), mod: fi.ModTime(), dir: d.IsDir()}
			}
			return nil
		})
	}
	return snap
}

func diffSnapshots(before, after map[string]stamp) []string {
	var changed []string
	for p, s := range after {
		if old, ok := before[p]; !ok || old != s {
			if !s.dir || !ok {
				changed = append(changed, p)
			}
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			changed = append(changed, p)
		}
	}
	sort.Strings(changed)
	return changed
}

func mergePaths(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range append(a, b...) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}
