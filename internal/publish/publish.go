// Package publish writes a built site to a folder so that readers never see a
// half-written site and a failed build loses nothing: files go into a fresh
// folder beside the target, which is swapped in only when all are written.
package publish

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/nhsx/kb/internal/par"
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

// Staging is a build being written: a folder beside the output folder,
// swapped in by Commit or thrown away by Abort. Put writes each output on
// the caller's goroutine before it returns, so that the caller may reuse
// the output's bytes at once: a build renders every page into a buffer
// lent from the theme's pool and gives it back once written, where a queue
// of writers needed a copy of every page of its own (a twentieth of what a
// 10,000-page build allocated, and the pages in the queue). The renderers
// run on every core, so several files are in flight at once all the same.
//
// The folder is the build before last when there is one: Commit keeps the
// version it replaces beside out as .<out>.previous, and the next Stage
// writes over it. Every file is written again or removed, so it ends the
// same as a fresh folder would, but files that did not change are left
// alone and no folder is made or removed for them: making and deleting the
// 27,000 files and folders of a 10,000-page site took seconds of its build.
// A build that fails or is cancelled leaves no spare: its half-written
// folder is removed, as the room it takes (after a disk-full failure) is
// what the next build needs.
//
// Each staging folder holds the Marker, locked while its build runs, so
// that the next build can tell the folder of a build that died (and remove
// it) from one still running.
type Staging struct {
	ctx      context.Context
	out, dir string
	lock     *os.File // the folder's marker, locked while the build runs
	mu       sync.Mutex
	err      error
	// dirs are the folders already made, relative to dir: each is a part
	// of an output's own path, so the set holds no strings of its own.
	dirs set
	// scratch lends Put a buffer for reading back a file that may be
	// unchanged.
	scratch sync.Pool

	reused  bool         // dir is an earlier build, written over
	listing chan listing // its files and folders as found, parents first
	// before is the reused folder's manifest, which tells the files that
	// hold what that build wrote without reading them; nil for none.
	before manifest
	// after is what this build writes, the manifest Commit leaves in it.
	afterMu sync.Mutex
	after   manifest
	// readBack counts the files read back to compare with an output.
	readBack atomic.Int64
	// claimed are the output paths put, to refuse a second one. A
	// build that commits wrote every one of them, so they are also the
	// files prune keeps (with the Marker) in a reused folder.
	claimed set

	// writeFile writes one file and returns its modification time; tests
	// replace it to fail as a full disk does, part way through.
	writeFile func(name string, data []byte, perm os.FileMode) (mtime int64, err error)
}

// spareOf names the folder that keeps the version of out a commit replaced.
func spareOf(out string) string {
	return filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".previous")
}

// Stage starts writing a new version of the folder out, once Check allows
// it, and removes the staging folders of builds that died. When ctx is
// done, writing stops and Commit publishes nothing.
func Stage(ctx context.Context, out string) (*Staging, error) {
	out = filepath.Clean(out)
	if err := Check(out); err != nil {
		return nil, err
	}
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	clearStale(out)
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".new-")
	if err != nil {
		return nil, err
	}
	s := &Staging{ctx: ctx, out: out, dir: tmp, writeFile: writeFile}
	// Locking the spare's marker, then renaming the spare to the new
	// folder's unique name, claims it: a second build running at the same
	// time finds no spare and starts afresh, and never takes this one's
	// folder for a dead build's.
	if s.lock = lockMarker(spareOf(out)); s.lock != nil && os.Remove(tmp) == nil && os.Rename(spareOf(out), tmp) == nil {
		s.reused = true
		s.before = readManifest(tmp)
		s.after = make(manifest, 0, len(s.before))
		s.listing = make(chan listing, 1)
		go func() { s.listing <- list(tmp) }()
	} else {
		s.unlock()
		// An empty spare (Check allows one: an empty --out swapped out) is
		// removed, as a folder cannot be renamed over it.
		os.Remove(spareOf(out))
		if err := os.MkdirAll(tmp, 0o700); err != nil {
			return nil, err
		}
		if s.lock, err = mark(tmp); err != nil {
			os.RemoveAll(tmp)
			return nil, err
		}
	}
	return s, nil
}

// listing is what a folder holds, as found, each folder before what it
// holds: for each file or folder, the number of the folder holding it (0
// for the top; the folders listed are numbered from 1 in turn) and whether
// it is a folder, as one varint, then its name and a NUL byte. It is held
// from the start of a build to its commit: at 100,000 pages a []string of
// the paths was 32 MB of the build's live heap and 270,000 pointers for the
// collector to follow on every cycle, the paths in one array of bytes 16 MB,
// and the names under their folders' numbers 8 MB.
type listing []byte

// each calls f with the path of every file and folder in l, relative to the
// folder listed, in the order they were found, until f returns an error,
// which each returns.
func (l listing) each(f func(rel string) error) error {
	dirs := []string{""}
	for len(l) > 0 {
		head, n := binary.Uvarint(l)
		l = l[n:]
		end := bytes.IndexByte(l, 0)
		name := l[:end]
		l = l[end+1:]
		var rel string // made in one allocation, the name's bytes copied once
		if parent := dirs[head>>1]; parent != "" {
			rel = parent + string(filepath.Separator) + string(name)
		} else {
			rel = string(name)
		}
		if head&1 == 1 {
			dirs = append(dirs, rel)
		}
		if err := f(rel); err != nil {
			return err
		}
	}
	return nil
}

// list returns what dir holds (see listing).
func list(dir string) listing {
	var found listing
	type open struct {
		path string
		num  uint64
	}
	stack := []open{{dir, 0}} // the folders above the walk's place
	folders := uint64(0)
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return nil
		}
		parent := filepath.Dir(p)
		for len(stack) > 1 && stack[len(stack)-1].path != parent {
			stack = stack[:len(stack)-1]
		}
		head := stack[len(stack)-1].num << 1
		if d.IsDir() {
			folders++
			head |= 1
			stack = append(stack, open{p, folders})
		}
		found = binary.AppendUvarint(found, head)
		found = append(append(found, d.Name()...), 0)
		return nil
	})
	return found
}

func (s *Staging) failed() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Put writes one output, and keeps nothing of it but its path once it
// returns. It is safe to call from several goroutines; it reports its own
// or an earlier write's failure so the build can stop.
// A second output for the same path is refused: the site model rejects
// every collision a contributor can cause with a positioned message, so one
// reaching here is kb's own bug, and writing both would let whichever
// writer finished last win, differently from build to build.
func (s *Staging) Put(o render.Output) error {
	var sum [32]byte
	if o.File == "" {
		sum = sha256.Sum256(o.Data)
	}
	return s.PutSum(o, sum)
}

// PutSum is Put for an output whose bytes' SHA-256 the caller has made
// already (for a file copied as it is, sum is not used).
func (s *Staging) PutSum(o render.Output, sum [32]byte) error {
	if err := s.failed(); err != nil {
		return err
	}
	if err := s.ctx.Err(); err != nil {
		return err
	}
	if !s.claimed.add(o.Path) {
		return s.fail(fmt.Errorf("internal error: two outputs for %s; please report this as a kb bug", o.Path))
	}
	scratch, _ := s.scratch.Get().(*[]byte)
	if scratch == nil {
		scratch = new([]byte)
	}
	defer s.scratch.Put(scratch)
	if err := s.write(o, sumKey(sum), scratch); err != nil {
		return s.fail(err)
	}
	return nil
}

// ReadBack is how many files Put has read back so far, to compare them
// with an output: those the reused folder's manifest does not record.
func (s *Staging) ReadBack() int64 { return s.readBack.Load() }

// Earlier names the file that holds the output path's bytes from the build
// before last, which Put reads to compare with the new ones, or "" when
// there is none to read: a fresh staging folder, or a path Put refuses.
// Reading it ahead of Put (content.ReadAhead) saves a wait on the disk
// when the build before last is no longer cached, as it is not after a
// few minutes on a machine short of memory.
func (s *Staging) Earlier(path string) string {
	rel, ok := inside(path)
	if !s.reused || !ok {
		return ""
	}
	if _, known := s.before.find(pathKey(path)); known {
		return "" // Put goes by the manifest, and does not read it
	}
	return filepath.Join(s.dir, rel)
}

// inside gives an output's slash-separated path in the system's form, and
// whether it stays inside the output folder, as every path written must.
func inside(path string) (rel string, ok bool) {
	rel = filepath.FromSlash(path)
	return rel, filepath.IsLocal(rel) && !strings.HasPrefix(path, "/")
}

// fail notes err as the build's failure, unless one came first, and
// returns it.
func (s *Staging) fail(err error) error {
	s.mu.Lock()
	if s.err == nil {
		s.err = err
	}
	s.mu.Unlock()
	return err
}

// PutAll writes outputs, several at once (they are mostly files copied as
// they are, which wait on the disk), and returns the first failure.
func (s *Staging) PutAll(outs []render.Output) error { return s.PutAllSum(outs, nil) }

// PutAllSum is PutAll for outputs whose SHA-256s the caller has made, sums[i]
// for outs[i] (see PutSum); nil sums has them made.
func (s *Staging) PutAllSum(outs []render.Output, sums [][32]byte) error {
	errs := make([]error, len(outs))
	par.ForIO(len(outs), func(i int) {
		if sums == nil {
			errs[i] = s.Put(outs[i])
		} else {
			errs[i] = s.PutSum(outs[i], sums[i])
		}
	})
	return firstOf(errs)
}

func firstOf(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// wait returns the first failure: every Put has written its output by the
// time it returned.
func (s *Staging) wait() error { return s.failed() }

// Commit waits for every write, then swaps the staged folder in for out (two
// renames) and removes what must be. If anything failed, or the build was
// cancelled, out is left as it was.
func (s *Staging) Commit() error {
	cleared, err := s.CommitAndClear()
	if err != nil {
		return err
	}
	return <-cleared
}

// CommitAndClear is Commit for a caller with more to do: it returns once the
// new folder is in place, and removes in the background the previous
// version, if it cannot be kept as the next build's spare. Removing
// thousands of files can take as long as writing them did, and it needs the
// disk, not the processor. The channel reports the removal's result.
func (s *Staging) CommitAndClear() (<-chan error, error) {
	err := s.wait()
	if err == nil {
		// The last moment to stop: after the swap the new site is live.
		err = s.ctx.Err()
	}
	if err == nil && s.reused {
		err = s.prune()
	}
	if err == nil {
		_, err = s.writeFile(filepath.Join(s.dir, Manifest), s.after.encode(), 0o644)
	}
	if err == nil {
		err = os.Chmod(s.dir, 0o755)
	}
	if err != nil {
		s.Abort()
		return nil, err
	}
	old, err := swap(s.dir, s.out)
	s.unlock()
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

// prune removes what the reused folder held that this build did not write.
func (s *Staging) prune() error {
	used := map[string]bool{} // folders holding a file this build wrote
	s.claimed.each(func(p string) {
		for d := filepath.Dir(filepath.FromSlash(p)); d != "." && !used[d]; d = filepath.Dir(d) {
			used[d] = true
		}
	})
	return (<-s.listing).each(func(rel string) error {
		if s.wrote(rel) || used[rel] || s.underFile(rel) {
			return nil
		}
		return os.RemoveAll(filepath.Join(s.dir, rel))
	})
}

// underFile reports whether a folder above rel was written over as a file,
// which took rel away with it.
func (s *Staging) underFile(rel string) bool {
	for d := filepath.Dir(rel); d != "."; d = filepath.Dir(d) {
		if s.wrote(d) {
			return true
		}
	}
	return false
}

// wrote reports whether this build wrote the file rel (relative to the
// staging folder, in the system's form), the Marker included.
func (s *Staging) wrote(rel string) bool {
	return rel == Marker || rel == Manifest || s.claimed.has(filepath.ToSlash(rel))
}

// Abort throws the staged folder away, leaving out untouched. It is not
// kept as the spare: it may hold half-written files, and after a disk-full
// failure the next build needs the room.
func (s *Staging) Abort() {
	_ = s.wait()
	os.RemoveAll(s.dir)
	s.unlock()
}

// unlock lets other builds take the staging folder for a dead one.
func (s *Staging) unlock() {
	if s.lock != nil {
		s.lock.Close()
		s.lock = nil
	}
}

// write writes one output, whose fingerprint (sumKey) is sum, into the
// staging folder, refusing any path that would land outside it, and notes
// it for the manifest. In a reused folder it leaves a file that already
// holds the same bytes, and clears whatever stands where the output goes.
func (s *Staging) write(o render.Output, sum uint64, scratch *[]byte) error {
	rel, ok := inside(o.Path)
	if !ok {
		return fmt.Errorf("refusing to write %q outside the output folder", o.Path)
	}
	if s.reused && o.File == "" {
		if mtime, same := s.unchanged(o, rel, sum, scratch); same {
			s.note(o, sum, mtime)
			return nil
		}
	}
	mtime, err := s.put(o, rel)
	if err != nil && s.reused {
		// A folder where a file goes, or a file where a folder does: the
		// site's shape changed since the build before last.
		s.clearWay(rel)
		mtime, err = s.put(o, rel)
	}
	if err == nil {
		s.note(o, sum, mtime)
	}
	return err
}

// unchanged reports whether the reused folder's file for o holds o's bytes
// already, and if so its modification time: by the manifest when it
// records the file (a file it records otherwise changed, or was changed
// since, and is written again without a look), else by reading it back.
func (s *Staging) unchanged(o render.Output, rel string, sum uint64, scratch *[]byte) (mtime int64, same bool) {
	p := filepath.Join(s.dir, rel)
	if r, ok := s.before.find(pathKey(o.Path)); ok {
		return holdsAsRecorded(p, r, sum, int64(len(o.Data)))
	}
	s.readBack.Add(1)
	return holds(p, o.Data, scratch)
}

// note records a page written (or found written) for the manifest; files
// copied as they are are not fingerprinted, and always copied.
func (s *Staging) note(o render.Output, sum uint64, mtime int64) {
	if o.File != "" {
		return
	}
	s.afterMu.Lock()
	s.after = append(s.after, record{path: pathKey(o.Path), state: stateKey(sum, int64(len(o.Data)), mtime)})
	s.afterMu.Unlock()
}

// put makes the output's folder, then writes the file, and returns its
// modification time (0 for a copied file).
func (s *Staging) put(o render.Output, rel string) (mtime int64, err error) {
	dst := filepath.Join(s.dir, rel)
	if dir := filepath.Dir(rel); dir != "." && !s.dirs.has(dir) {
		if err := mkdir(filepath.Join(s.dir, dir)); err != nil {
			return 0, err
		}
		s.dirs.add(dir)
	}
	if o.File == "" {
		return s.writeFile(dst, o.Data, 0o644)
	}
	return 0, copyFile(o.File, dst)
}

// mkdir makes dir and its parents. Most outputs are a page's index.html in
// a folder of its own whose parent is made already: one call makes it,
// where os.MkdirAll asks about the folder and its parent first, three
// system calls for each of a site's thousands of folders.
func mkdir(dir string) error {
	err := os.Mkdir(dir, 0o755)
	if err == nil {
		return nil
	}
	if errors.Is(err, fs.ErrExist) {
		if fi, serr := os.Stat(dir); serr == nil && fi.IsDir() {
			return nil
		}
	}
	return os.MkdirAll(dir, 0o755)
}

// clearWay removes what stands in the way of writing rel: a file where one
// of its folders goes, or a folder where it goes.
func (s *Staging) clearWay(rel string) {
	parts := strings.Split(rel, string(filepath.Separator))
	for i := range parts[:len(parts)-1] {
		p := filepath.Join(s.dir, filepath.Join(parts[:i+1]...))
		if fi, err := os.Lstat(p); err == nil && !fi.IsDir() {
			os.Remove(p)
			return
		}
	}
	os.RemoveAll(filepath.Join(s.dir, rel))
}

// holds reports whether the file at p holds exactly data, and if so its
// modification time.
func holds(p string, data []byte, scratch *[]byte) (mtime int64, same bool) {
	f, err := openRead(p)
	if err != nil {
		return 0, false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		return 0, false
	}
	if cap(*scratch) < len(data)+1 {
		*scratch = make([]byte, len(data)+1)
	}
	buf := (*scratch)[:len(data)+1]
	n, err := io.ReadFull(f, buf)
	return fi.ModTime().UnixNano(), err == io.ErrUnexpectedEOF && n == len(data) && bytes.Equal(buf[:n], data)
}

// Dir writes outs into out atomically (as far as the file system allows: two
// renames). On any error the previous contents of out are left as they were.
func Dir(out string, outs []render.Output) error {
	st, err := Stage(context.Background(), out)
	if err != nil {
		return err
	}
	if err := st.PutAll(Dedupe(outs)); err != nil {
		st.Abort()
		return err
	}
	return st.Commit()
}

// swap replaces out with tmp, keeping out if anything fails. The version it
// replaces becomes the spare for the next build; when a spare is there
// already (another build's), it is moved aside instead, and swap returns
// where, for the caller to remove.
func swap(tmp, out string) (remove string, err error) {
	if _, err := os.Lstat(out); os.IsNotExist(err) {
		return "", os.Rename(tmp, out)
	}
	aside := spareOf(out)
	if os.Rename(out, aside) != nil {
		aside, remove = tmp+".old", tmp+".old"
		if err := os.Rename(out, aside); err != nil {
			os.RemoveAll(tmp)
			return "", fmt.Errorf("cannot replace %s: %w", out, err)
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		_ = os.Rename(aside, out)
		os.RemoveAll(tmp)
		return "", fmt.Errorf("cannot replace %s: %w", out, err)
	}
	return remove, nil
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
