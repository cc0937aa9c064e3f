package build

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/nhsx/kb/internal/assess"
)

// Files of the search function's bundle (cmd/netlify/search/bundle), which
// it embeds: the index, the frame of the results page, and the
// self-assessment's statements and frames (when the site has one).
const (
	FunctionIndex      = "index.bleve"
	FunctionFrame      = "search.html"
	FunctionAssessment = "assessment.json"
)

// WriteFunction writes the search function's bundle into dir: a copy of the
// index this build wrote, the search page's frame rendered through the
// theme, and the self-assessment's statements with the frames of its pages.
// The function then needs nothing of the site's sources, theme or packages,
// only these files. What dir held of an earlier bundle is replaced.
func WriteFunction(m *Model, dir string) error {
	index := IndexPath(m.Options.Source, m.Options.IndexDir)
	if index == "" {
		return fmt.Errorf("the search function needs the search index: build it with one (Options.IndexDir)")
	}
	f, err := m.Renderer.SearchFrame()
	if err != nil {
		return fmt.Errorf("search function: %w", err)
	}
	for _, name := range []string{FunctionIndex, FunctionFrame, FunctionAssessment} {
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("search function: %w", err)
		}
	}
	if err := os.CopyFS(filepath.Join(dir, FunctionIndex), os.DirFS(index)); err != nil {
		return fmt.Errorf("search function: copying the index: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, FunctionFrame), f.Bytes(), 0o644); err != nil {
		return fmt.Errorf("search function: %w", err)
	}
	return writeAssessment(m, filepath.Join(dir, FunctionAssessment))
}

// writeAssessment writes the self-assessment's part of the bundle, if the
// site serves one (see assessJobs).
func writeAssessment(m *Model, file string) error {
	set := m.Assessment
	if set == nil || len(set.Statements) == 0 || !m.Theme.Has(assess.FormLayout) || !m.Theme.Has(assess.ResultsLayout) {
		return nil
	}
	src, err := m.AssessSource(set)
	if err == nil {
		var data []byte
		if data, err = src.Encode(); err == nil {
			err = os.WriteFile(file, data, 0o644)
		}
	}
	if err != nil {
		return fmt.Errorf("search function: the self-assessment: %w", err)
	}
	return nil
}
