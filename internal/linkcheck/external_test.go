package linkcheck

import (
	"context"
	"testing"
	"time"

	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/sitetest"
)

func TestExternal(t *testing.T) {
	srv, asked := sitetest.LinkServer(t, false)
	at := func(line int) diag.Pos { return diag.Pos{File: "content/guides/a.md", Line: line, Col: 1} }
	targets := []Target{
		{srv.URL + "/ok", at(1)},
		{srv.URL + "/old", at(2)},
		{srv.URL + "/missing", at(3)},
		{srv.URL + "/no-head", at(5)},
		{srv.URL + "/head-forbidden", at(6)},
		{srv.URL + "/missing", at(7)}, // asked once, reported at both places
	}
	// A generous timeout: a loaded test machine can be slow to answer.
	e := External{Timeout: 30 * time.Second, Concurrency: 2, UserAgent: "kb-test"}
	got := e.Check(context.Background(), targets)
	want := []struct {
		status        int
		final, err    string
		broken, moved bool
	}{
		{200, "", "", false, false},
		{200, srv.URL + "/new", "", false, true},
		{404, "", "the server answered 404 Not Found", true, false},
		{200, "", "", false, false},
		{200, "", "", false, false},
		{404, "", "the server answered 404 Not Found", true, false},
	}
	for i, w := range want {
		o := got[i]
		if o.Target != targets[i] || o.Status != w.status || o.Final != w.final || o.Err != w.err || o.Broken() != w.broken || o.Moved() != w.moved {
			t.Errorf("%s: got %+v (broken %v, moved %v), want %+v", targets[i].URL, o, o.Broken(), o.Moved(), w)
		}
	}
	for path, methods := range map[string][]string{"/ok": {"HEAD"}, "/missing": {"HEAD"}, "/no-head": {"HEAD", "GET"}, "/head-forbidden": {"HEAD", "GET"}} {
		if got := asked(path); len(got) != len(methods) || got[0] != methods[0] || got[len(got)-1] != methods[len(methods)-1] {
			t.Errorf("%s was asked with %v, want %v", path, got, methods)
		}
	}
}

// TestExternalTimeout: a server that never answers is broken once the
// per-request timeout passes, and the check does not wait for it.
func TestExternalTimeout(t *testing.T) {
	srv, _ := sitetest.LinkServer(t, false)
	target := Target{srv.URL + "/slow", diag.Pos{File: "content/guides/a.md", Line: 1, Col: 1}}
	start := time.Now()
	got := External{Timeout: 100 * time.Millisecond}.Check(context.Background(), []Target{target})
	if elapsed := time.Since(start); elapsed > 20*time.Second {
		t.Errorf("took %s", elapsed)
	}
	if want := (Outcome{Target: target, Err: "no answer in time (the site is down or very slow)"}); len(got) != 1 || got[0] != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
