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
		{srv.URL + "/slow", at(4)},
		{srv.URL + "/no-head", at(5)},
		{srv.URL + "/head-forbidden", at(6)},
		{srv.URL + "/missing", at(7)}, // asked once, reported at both places
	}
	e := External{Timeout: 300 * time.Millisecond, Concurrency: 2, UserAgent: "kb-test"}
	start := time.Now()
	got := e.Check(context.Background(), targets)
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("took %s: the per-request timeout did not stop the slow server", elapsed)
	}
	want := []struct {
		status        int
		final, err    string
		broken, moved bool
	}{
		{200, "", "", false, false},
		{200, srv.URL + "/new", "", false, true},
		{404, "", "the server answered 404 Not Found", true, false},
		{0, "", "no answer in time (the site is down or very slow)", true, false},
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
