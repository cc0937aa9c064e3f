package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Rows kbbench can time, as -rows names them.
const (
	rowNew  = "new"  // kb build with .kb/ removed: a new search index
	rowKept = "kept" // kb build again, .kb/ kept, nothing changed
	rowEdit = "edit" // kb build after one page's body was edited on disk
)

// outcome is every run of one corpus: kb's rows by name, and Hugo's.
type outcome struct {
	corpus     corpus
	kb         map[string][]sample
	hugo       []sample
	preview    []sample // live heaps of the preview (sample.peak), if asked for
	previewErr error    // why the preview has no figure
	hugoErr    error    // why Hugo has no figure (not installed, over the cap…)
}

// timeCorpus runs the rounds on one corpus. Each round times Hugo, then
// kb's rows in order, so the tools take turns and a change in the shared
// machine's load falls on both rather than on whichever ran last.
func timeCorpus(ctx context.Context, cfg *config, c corpus) (*outcome, error) {
	w, err := prepare(ctx, cfg, c)
	if err != nil {
		return nil, err
	}
	o := &outcome{corpus: c, kb: map[string][]sample{}, hugoErr: cfg.noHugo}
	if err := warmUp(ctx, cfg, w, c, cfg.noHugo == nil); err != nil {
		return nil, err
	}
	for round := range c.runs {
		cfg.progress("%s: round %d of %d", c.name, round+1, c.runs)
		if o.hugoErr == nil {
			s, err := measure(ctx, hugoBuild(cfg, w))
			cfg.done("hugo", s)
			if err != nil {
				o.hugoErr = err // kb's rows go on: "if it finishes" is part of the target
			} else {
				o.hugo = append(o.hugo, s)
			}
		}
		for _, row := range cfg.rows {
			s, err := kbRow(ctx, cfg, w, row, round, nil)
			if err != nil {
				return nil, fmt.Errorf("%s, %s row: %w", c.name, row, err)
			}
			o.kb[row] = append(o.kb[row], s)
		}
	}
	return o, os.WriteFile(w.editPage, w.editOrigin, 0o644)
}

// warmUp builds the corpus untimed, cfg.warmup times with kb (each with a
// new index, as the first row) and once with Hugo when asked, so that every
// timed build finds what a user's later builds find. kb's first build into
// a new output folder makes every file and folder; its second makes them
// all again beside the first, which it keeps as the spare (publish.Staging);
// only from the third does a build write over the build before last and
// leave its unchanged files alone. The first two cost a 100,000-page build
// 8-13 s more here, and 20-45 s more just after a whole output was deleted:
// without a journal, ext4 reads and skips each inode freed in the last few
// minutes before it hands out another (README, "Performance"). Without
// the warm-up a corpus timed three times had two of its three rounds of the
// first kind, and one timed five times two of five: the 100,000-page
// median was not of the same kind of build as the 10,000-page one.
func warmUp(ctx context.Context, cfg *config, w *workspace, c corpus, hugo bool) error {
	for i := range cfg.warmup {
		cfg.progress("%s: warm-up build %d of %d (not timed)", c.name, i+1, cfg.warmup)
		j, err := kbBuild(cfg, w, rowNew, 0)
		if err == nil {
			_, err = measure(ctx, j)
		}
		if err != nil {
			return fmt.Errorf("%s, warm-up build: %w", c.name, err)
		}
	}
	if hugo && cfg.warmup > 0 {
		cfg.progress("%s: Hugo's warm-up build (not timed)", c.name)
		// A failure is left to the timed rounds, which report it as Hugo's.
		_, _ = measure(ctx, hugoBuild(cfg, w))
	}
	return nil
}

// kbRow sets up and times one kb build (see kbBuild).
func kbRow(ctx context.Context, cfg *config, w *workspace, row string, round int, env []string) (sample, error) {
	j, err := kbBuild(cfg, w, row, round)
	if err != nil {
		return sample{}, err
	}
	j.env = env
	s, err := measure(ctx, j)
	cfg.done(fmt.Sprintf("kb %s %s", row, strings.Join(env, " ")), s)
	return s, err
}

// kbBuild sets up one kb build of the workspace for row, removing .kb/ for
// a new index, editing the page for an edit, nothing for a kept index, and
// returns its command.
func kbBuild(cfg *config, w *workspace, row string, round int) (job, error) {
	switch row {
	case rowNew:
		if err := os.RemoveAll(filepath.Join(w.src, ".kb")); err != nil {
			return job{}, err
		}
	case rowEdit:
		if err := w.edit(round); err != nil {
			return job{}, err
		}
	}
	return cfg.job(cfg.kb, "build", "--source", w.src, "--theme", cfg.theme, "--out", w.out), nil
}

// hugoBuild is Hugo's build of the workspace's peer site.
func hugoBuild(cfg *config, w *workspace) job {
	return cfg.job(cfg.hugo, "--quiet", "-s", w.hugoSite, "-d", w.hugoOut)
}

// gcOutcome is kb's builds under each GC setting: the new-index row, and
// the kept row when -rows names it.
type gcOutcome struct {
	settings []string
	newIdx   map[string][]sample
	kept     map[string][]sample
}

// asOutcome is one setting's new-index builds of corpus c, as timeCorpus
// would have them, for the scaling line.
func (g *gcOutcome) asOutcome(c corpus, set string) *outcome {
	return &outcome{corpus: c, kb: map[string][]sample{rowNew: g.newIdx[set]}}
}

// timeGC times kb build with a new index, then again keeping it if -rows
// names kept, under each setting (environment assignments, "" for none:
// kb's own policy); settings take turns within each round, as the tools do
// in timeCorpus.
func timeGC(ctx context.Context, cfg *config, c corpus) (*gcOutcome, error) {
	w, err := prepare(ctx, cfg, c)
	if err != nil {
		return nil, err
	}
	g := &gcOutcome{settings: cfg.gc, newIdx: map[string][]sample{}, kept: map[string][]sample{}}
	if err := warmUp(ctx, cfg, w, c, false); err != nil {
		return nil, err
	}
	for round := range c.runs {
		for _, set := range cfg.gc {
			cfg.progress("GC %q: round %d of %d", set, round+1, c.runs)
			env := splitEnv(set)
			s, err := kbRow(ctx, cfg, w, rowNew, round, env)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", set, err)
			}
			g.newIdx[set] = append(g.newIdx[set], s)
			if !slices.Contains(cfg.rows, rowKept) {
				continue
			}
			if s, err = kbRow(ctx, cfg, w, rowKept, round, env); err != nil {
				return nil, fmt.Errorf("%s: %w", set, err)
			}
			g.kept[set] = append(g.kept[set], s)
		}
	}
	return g, nil
}
