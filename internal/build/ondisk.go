package build

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/nhsx/kb/internal/publish"
	"github.com/nhsx/kb/internal/render"
)

// CachePath resolves the folder of the build's records (Options.Cache) as
// IndexPath does the index's: inside the source folder unless absolute.
func CachePath(opt Options) string { return IndexPath(opt.Source, opt.Cache) }

// stateKey names what a build's records are valid for: the same output
// folder, built from the same sources with the same options by the same kb.
func stateKey(opt Options) string {
	abs := func(p string) string {
		if a, err := filepath.Abs(p); err == nil {
			return a
		}
		return p
	}
	return fmt.Sprintf("%s\x00%s\x00%s\x00%s\x00%t\x00%s\x00%s\x00%s", abs(opt.Source), abs(opt.Out), abs(opt.ThemeDir),
		abs(IndexPath(opt.Source, opt.IndexDir)), opt.Drafts, opt.BaseURL, opt.Now, program())
}

// program identifies the kb program running: another kb (a new version,
// with another embedded theme or other templates) builds afresh.
func program() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return exe
	}
	return exe + "\x00" + strconv.FormatInt(fi.Size(), 10) + "\x00" + strconv.FormatInt(fi.ModTime().UnixNano(), 10)
}

// putter is where a whole build's outputs go: the staging folder.
type putter interface {
	// PutSum writes an output whose fingerprint is given, which the
	// folder keeps so as to know the file again without reading it.
	PutSum(render.Output, [32]byte) error
	PutAllSum([]render.Output, [][32]byte) error
	// Earlier names the file Put compares an output's bytes with, "" for
	// none (see publish.Staging.Earlier).
	Earlier(path string) string
}

// sums records each output's fingerprint as it goes to the staging folder,
// by its place among the jobs, then the extras: a slice rather than a map
// keyed by path, as it is held through the whole render.
type sums struct {
	to    putter
	jobs  []render.Job
	extra []render.Output
	at    [][32]byte
}

func newSums(to putter, jobs []render.Job, extra []render.Output) *sums {
	return &sums{to: to, jobs: jobs, extra: extra, at: make([][32]byte, len(jobs)+len(extra))}
}

// put records and writes the output of job i; each job's is put once,
// from any goroutine.
func (s *sums) put(i int, o render.Output) error {
	s.at[i] = outputSum(o)
	return s.to.PutSum(o, s.at[i])
}

func (s *sums) putExtra() error {
	for k, o := range s.extra {
		s.at[len(s.jobs)+k] = outputSum(o)
	}
	return s.to.PutAllSum(s.extra, s.at[len(s.jobs):])
}

// byPath returns the fingerprints by output path, as the records keep them.
func (s *sums) byPath() map[string][32]byte {
	m := make(map[string][32]byte, len(s.at))
	for i, j := range s.jobs {
		m[j.Path] = s.at[i]
	}
	for k, o := range s.extra {
		m[o.Path] = s.at[len(s.jobs)+k]
	}
	return m
}

// outputSum fingerprints an output: its bytes, or for a copied file its
// path, size and time (copies are bundle files and theme assets, which
// change by being saved again).
func outputSum(o render.Output) [32]byte {
	if o.File == "" {
		return sha256.Sum256(o.Data)
	}
	key := "file\x00" + o.File
	if fi, err := os.Stat(o.File); err == nil {
		key += "\x00" + strconv.FormatInt(fi.Size(), 10) + "\x00" + strconv.FormatInt(fi.ModTime().UnixNano(), 10)
	}
	return sha256.Sum256([]byte(key))
}

// inPlace brings the output folder of the last build up to date: it renders
// the outputs the edits reach (the search index taking the items among
// them), and only once all rendered, writes those whose bytes changed and
// removes those gone. A failed build leaves the folder, the index and the
// records as they were.
func (b *Incremental) inPlace(ctx context.Context, m *Model, p picked, extra []render.Output, prev *state) (Stats, map[string][32]byte, error) {
	if err := distinct(p.jobs, publish.Dedupe(b.assets), render.Files(m.Site)); err != nil {
		return Stats{}, nil, err
	}
	pending, err := openIndex(m, m.Options.IndexDir, true)
	if err != nil {
		return Stats{}, nil, err
	}
	m.Renderer.Index = pending.indexer()
	outs, errs := render.Run(ctx, p.run)
	m.Renderer.Index = nil
	if err := errs.Err(); err != nil {
		pending.abort()
		if ctx.Err() != nil {
			return Stats{}, nil, ctx.Err()
		}
		return Stats{}, nil, err
	}
	changed, removed, all := compare(p.jobs, outs, extra, prev.Sums)
	err = dropState(CachePath(m.Options))
	if err == nil {
		err = publish.Update(m.Options.Out, changed, removed)
	}
	stats := Stats{Count: countOf(m, p.jobs), Files: len(p.jobs) + len(extra), Measures: len(m.Site.Measures),
		Topics: len(m.Site.Topics), Organisations: len(m.Site.Organisations), Rendered: len(p.run), Written: len(changed) + len(removed), InPlace: true}
	stats, err = finish(stats, pending, m, nil, err)
	return stats, all, err
}

// compare finds the outputs whose bytes differ from the last build's and
// the paths it wrote that this build has not, and returns every output's
// fingerprint: fresh for those rendered, the last build's for the others.
func compare(jobs []render.Job, outs, extra []render.Output, old map[string][32]byte) (changed []render.Output, removed []string, all map[string][32]byte) {
	all = make(map[string][32]byte, len(jobs)+len(extra))
	for _, j := range jobs {
		all[j.Path] = old[j.Path]
	}
	for _, o := range append(outs, extra...) {
		sum := outputSum(o)
		if prev, ok := old[o.Path]; !ok || prev != sum {
			changed = append(changed, o)
		}
		all[o.Path] = sum
	}
	for path := range old {
		if _, ok := all[path]; !ok {
			removed = append(removed, path)
		}
	}
	return changed, removed, all
}
