package publish

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Marker is the file kb writes in every output folder it makes, and in its
// spare and staging folders. kb replaces and deletes only folders that hold
// it (or nothing at all): a build swaps the whole output folder, so pointed
// at a folder of someone's own files it would move them aside and, one
// build later, delete them. A dotfile, so Netlify does not deploy it, and
// the preview server never sees it (it serves from memory).
const Marker = ".kb-output"

// markerText says what the marker is to whoever finds it.
const markerText = `This folder was written by kb (kb build), the knowledge base's site builder.
kb replaces it whole on every build and deletes anything else in it, so keep
nothing of your own here. kb refuses to write into a folder without this file
unless the folder is empty.
`

// Check refuses an output folder kb may not replace: anything but a missing
// folder, an empty one, or one a kb build made. It checks the spare beside
// it the same way, since a build reuses and deletes that too.
func Check(out string) error {
	out = filepath.Clean(out)
	what, detail, err := inspect(out)
	switch {
	case err != nil:
		return fmt.Errorf("--out %s: %v", out, err)
	case what == aLink:
		return fmt.Errorf("--out %s is a symbolic link (to %s): kb replaces its output folder whole and does not write through links; give a real folder, or remove the link", out, detail)
	case what == aFile:
		return fmt.Errorf("--out %s is a file, not a folder: choose an empty or new folder, or delete the file yourself", out)
	case what == anOldBuild:
		return fmt.Errorf("--out %s was built by an older kb, which did not mark its output (%s): delete it once yourself, and build again", out, Marker)
	case what == foreign:
		return fmt.Errorf("--out %s holds files kb did not write (%s): choose an empty or new folder, or delete its contents yourself", out, detail)
	}
	return checkSpare(out)
}

// checkSpare refuses a spare kb did not make. Older versions of kb moved a
// foreign --out there, so its files are kept for their owner to find.
func checkSpare(out string) error {
	spare := spareOf(out)
	what, detail, err := inspect(spare)
	switch {
	case err != nil:
		return fmt.Errorf("%s: %v", spare, err)
	case what == aLink:
		return fmt.Errorf("%s is a symbolic link, where kb keeps the build before last of --out %s: remove the link", spare, out)
	case what == aFile:
		return fmt.Errorf("%s is a file, where kb keeps the build before last of --out %s: remove the file", spare, out)
	case what == anOldBuild:
		return fmt.Errorf("%s was left by an older kb, which did not mark its output (%s): delete it once yourself, and build again", spare, Marker)
	case what == foreign:
		return fmt.Errorf("%s holds files kb did not write (%s): kb keeps the build before last of --out %s there, and older versions moved a foreign --out there; move what you want to keep and delete the folder", spare, detail, out)
	}
	return nil
}

// found is what stands where kb would put a folder.
type found int

const (
	ours       found = iota // nothing, an empty folder, or a folder with the marker
	aLink                   // a symbolic link
	aFile                   // anything else that is not a folder
	anOldBuild              // an unmarked folder shaped like a kb build
	foreign                 // any other folder
)

// inspect says what stands at p; detail is a link's target, or a few of a
// foreign folder's entries.
func inspect(p string) (what found, detail string, err error) {
	fi, err := os.Lstat(p)
	switch {
	case os.IsNotExist(err):
		return ours, "", nil
	case err != nil:
		return ours, "", err
	case fi.Mode()&os.ModeSymlink != 0:
		to, _ := os.Readlink(p)
		return aLink, to, nil
	case !fi.IsDir():
		return aFile, "", nil
	}
	names, err := foreignFiles(p)
	switch {
	case err != nil || names == "":
		return ours, "", err
	case looksBuilt(p):
		return anOldBuild, "", nil
	}
	return foreign, names, nil
}

// foreignFiles names up to three entries of a folder kb did not make, or
// returns "" for an empty folder or one holding the marker.
func foreignFiles(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 || marked(dir) {
		return "", err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() {
			name += "/"
		}
		names = append(names, name)
	}
	sort.Strings(names)
	if len(names) > 3 {
		names = append(names[:3], "…")
	}
	return strings.Join(names, ", "), nil
}

// marked reports whether dir holds the marker as a plain file.
func marked(dir string) bool {
	fi, err := os.Lstat(filepath.Join(dir, Marker))
	return err == nil && fi.Mode().IsRegular()
}

// looksBuilt reports whether an unmarked folder has the shape of a kb
// build, to say so in the message. It never makes kb write there: a guess
// is not enough to delete a folder on.
func looksBuilt(dir string) bool {
	for _, name := range []string{"index.html", "sitemap.xml", "assets"} {
		if _, err := os.Lstat(filepath.Join(dir, name)); err != nil {
			return false
		}
	}
	return true
}

// staleAge is how old an unmarked staging folder must be before it is taken
// for a dead build's: a build just starting has made its folder but not yet
// its marker.
const staleAge = time.Minute

// clearStale removes the staging folders beside out that no running build
// holds: left by a build that was killed, or that crashed. They are kb's by
// their name, and can hold as much as a whole site.
func clearStale(out string) {
	found, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".new-*"))
	for _, dir := range found {
		fi, err := os.Lstat(dir)
		if err != nil {
			continue
		}
		if !fi.IsDir() {
			os.Remove(dir) // a link is removed, not followed
			continue
		}
		f, err := os.Open(filepath.Join(dir, Marker))
		if err != nil {
			if time.Since(fi.ModTime()) > staleAge {
				os.RemoveAll(dir)
			}
			continue
		}
		free := tryLock(f)
		f.Close()
		if free {
			os.RemoveAll(dir)
		}
	}
}

// lockMarker opens and locks dir's marker, so that no other build takes dir
// for a dead one; nil if there is none or another build holds it.
func lockMarker(dir string) *os.File {
	f, err := os.Open(filepath.Join(dir, Marker))
	if err != nil {
		return nil
	}
	if !tryLock(f) {
		f.Close()
		return nil
	}
	return f
}

// mark writes the marker in a new folder and locks it.
func mark(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, Marker), os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	tryLock(f)
	if _, err := f.WriteString(markerText); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
