// Package publish writes a built site to a folder so that readers never see a
// half-written site and a failed build loses nothing: files go into a fresh
// folder beside the target, which is swapped in only when all are written.
package publish

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
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
// swapped in by Commit or thrown away by Abort.
type Staging struct {
	out, dir string
}

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
	return &Staging{out: out, dir: tmp}, nil
}

// Put writes one output. It is safe to call from several goroutines for
// different paths.
func (s *Staging) Put(o render.Output) error { return write(s.dir, o) }

// PutAll writes outputs in parallel.
func (s *Staging) PutAll(outs []render.Output) error { return writeAll(s.dir, outs) }

// Commit swaps the staged folder in for out (two renames). If it fails, out is
// left as it was.
func (s *Staging) Commit() error {
	if err := os.Chmod(s.dir, 0o755); err != nil {
		s.Abort()
		return err
	}
	return swap(s.dir, s.out)
}

// Abort throws the staged folder away, leaving out untouched.
func (s *Staging) Abort() { os.RemoveAll(s.dir) }

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

// swap replaces out with tmp, keeping out if anything fails.
func swap(tmp, out string) error {
	if _, err := os.Lstat(out); os.IsNotExist(err) {
		return os.Rename(tmp, out)
	}
	old := tmp + ".old"
	if err := os.Rename(out, old); err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("cannot replace %s: %w", out, err)
	}
	if err := os.Rename(tmp, out); err != nil {
		_ = os.Rename(old, out)
		os.RemoveAll(tmp)
		return fmt.Errorf("cannot replace %s: %w", out, err)
	}
	return os.RemoveAll(old)
}

func writeAll(dir string, outs []render.Output) error {
	jobs := make(chan render.Output)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) * 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for o := range jobs {
				if err := write(dir, o); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for _, o := range outs {
		jobs <- o
	}
	close(jobs)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

func write(dir string, o render.Output) error {
	rel := filepath.FromSlash(o.Path)
	if !filepath.IsLocal(rel) || strings.HasPrefix(o.Path, "/") {
		return fmt.Errorf("refusing to write %q outside the output folder", o.Path)
	}
	dst := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if o.File == "" {
		return os.WriteFile(dst, o.Data, 0o644)
	}
	return copyFile(o.File, dst)
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
