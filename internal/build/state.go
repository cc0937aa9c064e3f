package build

import (
	"errors"
	"maps"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/publish"
	"github.com/nhsx/kb/internal/site"
)

// stateVersion changes whenever the records below, or what a signature
// covers, change: a build that finds another version starts afresh.
const stateVersion = 5

// stateFile is the name of a build's records in the cache folder; the
// files' records are in a log beside it (see records.go).
const stateFile = "build.bin"

// state is what kb build keeps in .kb/ for the next kb build: the preview's
// dependency records (the files read, each output's signature) and each
// output's fingerprint, so that the next build re-renders only what an edit
// reaches and writes only the files whose bytes changed. It describes one
// output folder, built with one set of options.
type state struct {
	Version  int
	Key      string // the options and output folder it was built with
	Settings [32]byte
	Layouts  map[string][32]byte
	Static   map[string][32]byte
	Sigs     map[string]uint64   // output path → its pages' signature
	Sums     map[string][32]byte // output path → its bytes' (or copied file's) fingerprint
	URLs     map[string]string   // content path → URL
	Kinds    map[string]content.Kind
	Orgs     map[string]string // organisation slug → name
	Content  string            // resourceKey of content/'s files outside bundles
	// Stamp is when the build that made these records began, by the
	// clock file times come from (see trusted).
	Stamp int64
	// Marker is when the output folder's marker file was made: a folder
	// that is missing (a CI cache restores .kb/ but not the output), or
	// was replaced since, has another, and the next build is a full one.
	Marker int64
	// Log names the log of the files' records, and how much of it is theirs.
	Log logRef

	files map[string]fileRecord // content path → what was read (in the log)
}

// markerStamp identifies the output folder a build wrote (see state.Marker);
// 0 when there is none.
func markerStamp(out string) int64 {
	fi, err := os.Stat(filepath.Join(out, publish.Marker))
	if err != nil {
		return 0
	}
	return fi.ModTime().UnixNano()
}

// fileRecord is one Markdown file as the last build read it.
type fileRecord struct {
	Sum [32]byte
	Res string // its bundle's files (resourceKey)
	// Size, Mod and Change are the file's size, modification and change
	// times (see content.ChangeTime) when it was read: while all three are
	// the same, the file is trusted to hold the same bytes (see trusted).
	Size, Mod, Change int64
	// Facts is what parsing it found, when that found no problem: the next
	// build restores the page from it rather than parse the same bytes.
	// Read from the log, they stay encoded in facts until asked for.
	Facts *content.Record
	facts []byte
	// page is the page this build read, whose facts are encoded only as
	// the record's entry is written (see record).
	page  *content.Page
	entry int64 // the size of its entry in the log
}

// readState reads the records in dir, if they are there and were made for
// key; nil otherwise, which means a full build.
func readState(dir, key string) *state {
	if dir == "" {
		return nil
	}
	data, err := os.ReadFile(filepath.Join(dir, stateFile))
	if err != nil {
		return nil
	}
	st := decodeHead(data, key)
	if st == nil {
		return nil
	}
	if st.files, err = readLog(dir, st.Log); err != nil {
		return nil
	}
	return st
}

// dropState removes the records before the output folder is changed in
// place: should the build die while writing, the next one starts afresh.
func dropState(dir string) error {
	if dir == "" {
		return nil
	}
	err := os.Remove(filepath.Join(dir, stateFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// writeState saves the records, whole or not at all: the files' records
// first, appended to the log of prev (the records the build started from)
// where they can be, then the rest, naming the log.
func writeState(dir string, st, prev *state) error {
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	st.Version = stateVersion
	var err error
	if prev != nil && prev.Settings == st.Settings {
		st.Log, err = writeLog(dir, st.files, prev.files, prev.Log, false)
	} else {
		st.Log, err = writeLog(dir, st.files, nil, logRef{}, true)
	}
	if err != nil {
		return err
	}
	return writeHead(dir, st)
}

// writeHead writes the records but the files', which name their log.
func writeHead(dir string, st *state) error {
	tmp := filepath.Join(dir, "."+stateFile+".new")
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	err = encodeHead(f, st) // in slices, not whole: see spillAt
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	os.Remove(filepath.Join(dir, "build.gob")) // what kb wrote before stateVersion 5
	return os.Rename(tmp, filepath.Join(dir, stateFile))
}

// restore makes b continue from the records of the last kb build: its
// settings and theme fingerprints, the files it read and its outputs'
// signatures. The model is not kept: each page is read again, and restored
// from its recorded facts when its bytes, bundle files and the settings are
// those they were recorded with (parsed otherwise); only pages whose bytes
// differ count as changed.
func (b *Incremental) restore(st *state) {
	b.settingsSum, b.stamp = st.Settings, st.Stamp
	b.layoutSums, b.staticSums = st.Layouts, st.Static
	b.known, b.factsOK = st.files, true
	g := &goodBuild{sigs: st.Sigs, urls: st.URLs, kinds: st.Kinds, static: st.Content}
	for slug, name := range st.Orgs {
		g.orgs = append(g.orgs, &site.Term{Slug: slug, Name: name})
	}
	b.good = g
}

// recorded returns the facts the last kb build recorded for a file whose
// bytes (sum) and bundle files (res) are as that build read them, with the
// same settings; nil when there are none.
func (b *Incremental) recorded(path string, sum [32]byte, res string) *content.Record {
	if r, ok := b.known[path]; ok && b.factsOK && r.Sum == sum && r.Res == res {
		return r.decodeFacts()
	}
	return nil
}

// settle is how long before a build began a file must have last changed for
// the next build to trust its size and times: a file system's clock can be
// as coarse as 2 seconds (FAT; ext4 without fine-grained times has a few
// milliseconds), so a file written just as it was read could keep the same
// time through an edit. Git calls such files "racily clean".
const settle = 2 * time.Second

// trusted makes c the page as the last kb build recorded it, restored from
// its facts without reading the file, when the file's size, modification
// time and change time are those it was read with, its bundle files too,
// and it had settled before that build began (see settle); it reports
// whether it did.
//
// This is what is trusted, as Make and Hugo trust modification times: a
// file whose bytes change keeps its size, modification time and change
// time only if its change time is set back, which needs the clock set back
// (no program can set it). Where the change time is unknown (0: not Linux),
// size and modification time are trusted alone.
func (b *Incremental) trusted(f *content.Page, c *parsed) bool {
	r, ok := b.known[f.Path]
	if !ok || !b.factsOK || !r.hasFacts() {
		return false
	}
	size, mod, change := f.FileSize, f.FileTime, f.FileChange
	if mod == 0 { // a bundle's index.md
		fi, err := os.Stat(f.File)
		if err != nil {
			return false
		}
		size, mod, change = fi.Size(), content.ModTime(fi), content.ChangeTime(fi)
	}
	res := resourceKey(f.Resources)
	settled := b.stamp - settle.Nanoseconds()
	if b.opt.trustRecent {
		settled = math.MaxInt64
	}
	if size != r.Size || mod != r.Mod || change != r.Change || res != r.Res || r.Mod >= settled || r.Change >= settled {
		return false
	}
	facts := r.decodeFacts()
	if facts == nil {
		return false
	}
	facts.Share(b.vocab)
	content.Restore(f, r.Sum, b.conv, facts)
	*c = parsed{size: size, mod: mod, change: change, sum: r.Sum, res: res, page: f, ok: true}
	return true
}

// kept reports whether a file parsed now is as the last kb build read it.
func (b *Incremental) kept(path string, c *parsed) bool {
	r, ok := b.known[path]
	return ok && r.Sum == c.sum && r.Res == c.res
}

// record makes the records of the build just done. A file as prev (the
// records the build started from, nil for none) recorded it, with the same
// settings, keeps its record, facts still encoded: only the records of
// files read anew are made (and written, see writeLog).
func (b *Incremental) record(key string, m *Model, sigs map[string]uint64, sums map[string][32]byte, prev *state) *state {
	st := &state{Key: key, Settings: b.settingsSum, Layouts: b.layoutSums, Static: b.staticSums,
		files: make(map[string]fileRecord, len(b.pages)), Sigs: sigs, Sums: sums,
		URLs: map[string]string{}, Kinds: map[string]content.Kind{}, Orgs: map[string]string{}, Content: b.static}
	var old map[string]fileRecord
	if prev != nil && prev.Settings == b.settingsSum {
		old = prev.files
	}
	for path, c := range b.pages {
		r := fileRecord{Sum: c.sum, Res: c.res, Size: c.size, Mod: c.mod, Change: c.change}
		good := c.ok && len(c.errs) == 0
		if o, ok := old[path]; ok && good && o.hasFacts() && o.sameFile(r) {
			r = o
		} else if good {
			// encoded as its entry is written: made first, every page's
			// record was held at once at the build's end (95 MB of the
			// 100,000-page build's peak), beside the index's final merge
			r.page = c.page
		}
		st.files[path] = r
	}
	for src, p := range m.Site.BySource {
		st.URLs[src] = p.URL
		st.Kinds[src] = p.Kind
	}
	for _, t := range m.Site.Organisations {
		st.Orgs[t.Slug] = t.Name
	}
	return st
}

// relinkOnly returns the changed pages, when the records of the last kb
// build show that nothing a link can point at changed with them: the same
// files, each changed page keeping its bundle files, draft flag and anchors
// (a page's URL follows from its path). The last build found every link
// good, so only the changed pages' own links need checking; nil means all.
// The site model checks the files outside bundles (see siteFor).
func (b *Incremental) relinkOnly() map[string]bool {
	if b.known == nil || !b.factsOK || len(b.known) != len(b.pages) {
		return nil
	}
	only := make(map[string]bool, len(b.dirty))
	for path := range b.dirty {
		r, had := b.known[path]
		c := b.pages[path]
		if !had || c == nil || !c.ok || len(c.errs) > 0 || r.Res != c.res {
			return nil
		}
		old := r.decodeFacts()
		if old == nil || old.Draft != c.page.Draft {
			return nil
		}
		before := b.conv.Restore(old.Doc, nil)
		if !before.SameIDs(c.page.Doc) || !maps.Equal(before.Renamed, c.page.Doc.Renamed) {
			return nil
		}
		only[path] = true
	}
	for path := range b.pages {
		if _, ok := b.known[path]; !ok {
			return nil
		}
	}
	return only
}
