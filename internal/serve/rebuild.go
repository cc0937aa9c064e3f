package serve

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/diag"
)

// Problem is one error shown in the overlay and printed in the terminal.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Message string `json:"message"`
	Text    string `json:"text"` // path:line:col: message
}

func problemsOf(err error) []Problem {
	var list diag.List
	if !errors.As(err, &list) {
		return []Problem{{File: "kb", Message: err.Error(), Text: err.Error()}}
	}
	out := make([]Problem, len(list))
	for i, d := range list {
		out[i] = Problem{File: d.File, Line: d.Line, Col: d.Col, Message: d.Message(), Text: d.Error()}
	}
	return out
}

// rebuild brings the site up to date after changes to paths (nil: the first
// build) and tells the browsers, only once the new build is in place. The
// first build is searchable as soon as it is served; after an edit, the tabs
// are told first and the search index follows, as a reader waits for the
// page, not for the index (the results page is never a tab reloaded).
func (s *Server) rebuild(paths []string) {
	start := time.Now()
	up, err := s.b.Build(paths)
	if err != nil {
		s.fail(problemsOf(err), paths)
		return
	}
	edit := paths != nil
	if !edit && !s.index(up, paths) {
		return
	}
	first, wasBroken, version := s.swap(up)
	s.announce(up, first, wasBroken, version)
	if edit && !s.index(up, paths) {
		return
	}
	s.report(up, paths, time.Since(start))
	if s.afterBuild != nil {
		s.afterBuild(buildReport{Update: up})
	}
}

// index brings the search index up to date with up and serves searches from
// it, reporting whether it could.
func (s *Server) index(up *build.Update, paths []string) bool {
	if s.opt.Search == nil {
		return true
	}
	if err := s.opt.Search.Update(up); err != nil {
		s.fail(problemsOf(fmt.Errorf("updating the search index: %w", err)), paths)
		return false
	}
	h := s.opt.Search.Handler(up.Model)
	s.mu.Lock()
	s.st.search = h
	s.mu.Unlock()
	return true
}

// swap makes up the build served.
func (s *Server) swap(up *build.Update) (first, wasBroken bool, version int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	first = s.st.outs == nil
	wasBroken = len(s.st.problems) > 0
	s.st.version++
	s.st.outs = up.Outputs
	s.st.model = up.Model
	s.st.problems = nil
	for _, p := range up.Changed {
		s.st.changed[p] = s.st.version
	}
	for _, p := range up.Removed {
		s.st.changed[p] = s.st.version
	}
	return first, wasBroken, s.st.version
}

// announce sends the events a build calls for: a stylesheet swap to every
// tab, a reload to the tabs whose page changed (every tab after the first
// good build, or when a script changed), and a clear overlay to the rest.
func (s *Server) announce(up *build.Update, first, wasBroken bool, version int) {
	touched := map[string]bool{}
	var css []string
	all := first
	for _, p := range append(append([]string{}, up.Changed...), up.Removed...) {
		switch {
		case strings.HasSuffix(p, ".html"):
			touched[p] = true
		case assetKind(p) == ".css":
			css = append(css, "/"+p)
		case assetKind(p) == ".js":
			all = true
		}
	}
	reload := newMessage("reload", map[string]any{"version": version})
	ok := newMessage("ok", map[string]any{"version": version})
	if len(css) > 0 && !all { // a tab about to reload gets the new styles anyway
		sort.Strings(css)
		m := newMessage("css", map[string]any{"paths": css})
		s.hub.send(func(*client) (message, bool) { return m, true })
	}
	s.hub.send(func(c *client) (message, bool) {
		if all || touched[c.page] {
			return reload, true
		}
		return ok, wasBroken
	})
}

// assetKind is ".css" or ".js" for a stylesheet or script of the site's
// assets (output path), which a tab takes in without its page changing.
func assetKind(p string) string {
	if ext := path.Ext(p); strings.HasPrefix(p, "assets/") && (ext == ".css" || ext == ".js") {
		return ext
	}
	return ""
}

// fail keeps the last good build and shows the problems everywhere.
func (s *Server) fail(problems []Problem, paths []string) {
	s.mu.Lock()
	s.st.problems = problems
	s.mu.Unlock()
	m := newMessage("problems", map[string]any{"problems": problems})
	s.hub.send(func(*client) (message, bool) { return m, true })
	for _, p := range problems {
		fmt.Fprintln(s.opt.Stderr, p.Text)
	}
	noun := "problems"
	if len(problems) == 1 {
		noun = "problem"
	}
	fmt.Fprintf(s.opt.Stderr, "kb: %d %s found; still serving the last good build. Fix and save to try again.\n", len(problems), noun)
	if s.afterBuild != nil {
		s.afterBuild(buildReport{Problems: problems})
	}
}

// report prints the one summary line of a rebuild.
func (s *Server) report(up *build.Update, paths []string, took time.Duration) {
	if paths == nil {
		fmt.Fprintf(s.opt.Stdout, "kb: built %s in %s\n", up.Model.Count(), took.Round(time.Millisecond))
		return
	}
	fmt.Fprintf(s.opt.Stdout, "kb: %s changed: re-rendered %d, %d updated, %d removed in %s\n",
		s.describe(paths), up.Rendered, len(up.Changed), len(up.Removed), took.Round(time.Millisecond))
}

// describe names the changed files as the contributor knows them.
func (s *Server) describe(paths []string) string {
	if len(paths) == 1 {
		if rel, err := filepath.Rel(s.b.Options().Source, paths[0]); err == nil && filepath.IsLocal(rel) {
			return filepath.ToSlash(rel)
		}
		return paths[0]
	}
	return fmt.Sprintf("%d files", len(paths))
}
