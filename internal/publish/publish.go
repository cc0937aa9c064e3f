// Package publish writes a built site to a folder so that readers never see a
// half-written site and a failed build loses nothing: files go into a fresh
// folder beside the target, which is swapped in only when all are written.
package publish

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/nhsx/kb/internal/render"
)

// Dedupe keeps the last output for each path, where it last appears: a theme
// override's file replaces the default's, and a page replaces nothing silently
// because the site model already rejects duplicate URLs.
func Dedupe(outs []render.Output) []render.Output {
	last := make(map[string]int, len(outs))
	for i, o := range outs {
		last[o.Path] = i
	}
	kept := outs[:0:0]
	for i, o := range outs {
		if last[o.Path] == i {
			kept = append(kept, o)
		}
	}
	return kept
}

// Staging is a build being written: a fresh folder beside the output folder,
// swapped in by Commit or thrown away by Abort. Writes go through a pool of
// writers, so rendering never waits on the disk and several files are in
// flight at once.
type Staging struct {
	out, dir string
	queue    chan render.Output
	wg       sync.WaitGroup
	closing  sync.Once
	mu       sync.Mutex
	err      error
	dirs     sync.Map // folders already made
}

// writers is how many files are written at once.
const writers = 4

// Stage starts writing a new version of the folder out.
func Stage(out string) (*Staging, error) {
	out = filepath.Clean(out)
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".new-")
	if err != nil {
		return nil, err
	}
	s := &Staging{out: out, dir: tmp, queue: make(chan render.Output, 256)}
	for range writers {
		s.wg.Add(1)
		go s.writer()
	}
	return s, nil
}

func (s *Staging) writer() {
	defer s.wg.Done()
	for o := range s.queue {
		if s.failed() != nil {
			continue
		}
		if err := s.write(o); err != nil {
			s.mu.Lock()
			if s.err == nil {
				s.err = err
			}
			s.mu.Unlock()
		}
	}
}

func (s *Staging) failed() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Put queues one output for writing. It is safe to call from several
// goroutines; it reports an earlier write's failure so the build can stop.
func (s *Staging) Put(o render.Output) error {
	if err := s.failed(); err != nil {
		return err
	}
	s.queue <- o
	return nil
}

// PutAll queues outputs in order.
func (s *Staging) PutAll(outs []render.Output) error {
	for _, o := range outs {
		if err := s.Put(o); err != nil {
			return err
		}
	}
	return nil
}

// wait lets the writers finish and returns the first error.
func (s *Staging) wait() error {
	s.closing.Do(func() { close(s.queue) })
	s.wg.Wait()
	return s.failed()
}

// Commit waits for every write, then swaps the staged folder in for out (two
// renames) and removes the previous version. If anything failed, out is left
// as it was.
func (s *Staging) Commit() error {
	cleared, err := s.CommitAndClear()
	if err != nil {
		return err
	}
	return <-cleared
}

// CommitAndClear is Commit for a caller with more to do: it returns once the
// new folder is in place, and removes the previous version in the
// background. Removing thousands of files can take as long as writing them
// did, and it needs the disk, not the processor. The channel reports the
// removal's result.
func (s *Staging) CommitAndClear() (<-chan error, error) {
	if err := s.wait(); err != nil {
		s.Abort()
		return nil, err
	}
	if err := os.Chmod(s.dir, 0o755); err != nil {
		s.Abort()
		return nil, err
	}
	old, err := swap(s.dir, s.out)
	if err != nil {
		return nil, err
	}
	cleared := make(chan error, 1)
	go func() {
		if old == "" {
			cleared <- nil
			return
		}
		cleared <- os.RemoveAll(old)
	}()
	return cleared, nil
}

// Abort throws the staged folder away, leaving out untouched.
func (s *Staging) Abort() {
	_ = s.wait()
	os.RemoveAll(s.dir)
}

// write writes one output into the staging folder, refusing any path that
// would land outside it.
func (s *Staging) write(o render.Output) error {
	rel := filepath.FromSlash(o.Path)
	if !filepath.IsLocal(rel) || strings.HasPrefix(o.Path, "/") {
		return fmt.Errorf("refusing to write %q outside the output folder", o.Path)
	}
	dst := filepath.Join(s.dir, rel)
	if dir := filepath.Dir(dst); dir != s.dir {
		if _, made := s.dirs.Load(dir); !made {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			s.dirs.Store(dir, true)
		}
	}
	if o.File == "" {
		return os.WriteFile(dst, o.Data, 0o644)
	}
	return copyFile(o.File, dst)
}

// Dir writes outs into out atomically (as far as the file system allows: two
// renames). On any error the previous contents of out are left as they were.
func Dir(out string, outs []render.Output) error {
	st, err := Stage(out)
	if err != nil {
		return err
	}
	if err := st.PutAll(Dedupe(outs)); err != nil {
		st.Abort()
		return err
	}
	return st.Commit()
}

// swap replaces out with tmp, keeping out if anything fails. It returns
// where the previous out now is, for the caller to remove ("" if none).
func swap(tmp, out string) (old string, err error) {
	if _, err := os.Lstat(out); os.IsNotExist(err) {
		return "", os.Rename(tmp, out)
	}
	old = tmp + ".old"
	if err := os.Rename(out, old); err != nil {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("cannot replace %s: %w", out, err)
	}
	if err := os.Rename(tmp, out); err != nil {
		_ = os.Rename(old, out)
		os.RemoveAll(tmp)
		return "", fmt.Errorf("cannot replace %s: %w", out, err)
	}
	return old, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
