package publish

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/nhsx/kb/internal/render"
)

// Update brings the published folder out up to date in place: it writes the
// outputs given (each to a temporary file beside it, renamed over the old
// one, so no file is ever seen half written) and removes the paths given,
// with the folders they leave empty. It is for a build that rendered only
// what an edit reached and found the rest unchanged: such a build renders
// everything it writes before writing anything, so a build that fails
// leaves out as it was. Only a failure of the disk part way through can
// leave out partly updated; the caller then forgets its records, and the next
// build is a full one.
func Update(out string, changed []render.Output, removed []string) error {
	out = filepath.Clean(out)
	if err := Check(out); err != nil {
		return err
	}
	clearStale(out)
	for _, o := range changed {
		if err := replace(out, o); err != nil {
			return err
		}
	}
	for _, p := range removed {
		rel := filepath.FromSlash(p)
		if !filepath.IsLocal(rel) {
			return fmt.Errorf("refusing to remove %q outside the output folder", p)
		}
		if err := os.Remove(filepath.Join(out, rel)); err != nil && !os.IsNotExist(err) {
			return err
		}
		for dir := filepath.Dir(rel); dir != "."; dir = filepath.Dir(dir) {
			if os.Remove(filepath.Join(out, dir)) != nil {
				break // not empty
			}
		}
	}
	return nil
}

// replace writes one output over its file in out.
func replace(out string, o render.Output) error {
	rel := filepath.FromSlash(o.Path)
	if !filepath.IsLocal(rel) || strings.HasPrefix(o.Path, "/") {
		return fmt.Errorf("refusing to write %q outside the output folder", o.Path)
	}
	dst := filepath.Join(out, rel)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".kb-new-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	tmp.Close()
	if o.File == "" {
		err = os.WriteFile(name, o.Data, 0o644)
	} else {
		err = copyFile(o.File, name)
	}
	if err == nil {
		err = os.Chmod(name, 0o644)
	}
	if err == nil {
		err = os.Rename(name, dst)
	}
	if err != nil {
		os.Remove(name)
	}
	return err
}
