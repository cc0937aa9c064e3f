package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/nhsx/kb/internal/build"
	"github.com/nhsx/kb/internal/linkcheck"
	"github.com/nhsx/kb/internal/sitetest"
)

// TestCheckExternalSourcesAndLinks checks a site whose sources (https, so
// against a TLS test server) and body links reach every kind of answer, and
// expects each broken or moved one at its line and column.
func TestCheckExternalSourcesAndLinks(t *testing.T) {
	srv, _ := sitetest.LinkServer(t, true)
	u := srv.URL
	root := sitetest.Write(t, []byte(strings.ReplaceAll(`-- content/guides/a.md --
---
title: A
summary: A page.
measures: [well-led]
sources:
  - title: Fine
    url: SRV/ok
    publisher: P
    accessed: 2026-01-01
  - title: Moved
    url: SRV/old
    publisher: P
    accessed: 2026-01-01
---
A [missing page](SRV/missing) and a [good one](SRV/ok).

An autolink: <SRV/no-head> and a [local link](../guides/a.md).
`, "SRV", u)))
	m, err := build.Check(build.Options{Source: root, ThemeDir: sitetest.ThemeDir(t)})
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	// A generous timeout: a loaded test machine can be slow to answer.
	e := linkcheck.External{Client: srv.Client(), Timeout: 30 * time.Second}
	code := checkExternal(context.Background(), m.Site, e, &stdout, &stderr)
	want := "content/guides/a.md:11:10: warning: " + u + "/old has moved to " + u + "/new: link to the new address\n" +
		"content/guides/a.md:15:3: " + u + "/missing is broken: the server answered 404 Not Found: fix the address or remove the link\n"
	if code != 1 || stderr.String() != want || stdout.String() != "kb: checked 5 web addresses: 1 broken, 1 moved\n" {
		t.Errorf("exit %d\nstdout %q\nstderr:\n%s\nwant:\n%s", code, stdout.String(), stderr.String(), want)
	}
}

// TestCheckExternalFlag runs kb check --external from the command line: a
// site whose links all answer passes; one with a broken link fails. A
// normal check never asks the network.
func TestCheckExternalFlag(t *testing.T) {
	srv, _ := sitetest.LinkServer(t, false)
	page := func(path string) []byte {
		return []byte("-- content/guides/a.md --\n---\ntitle: A\nsummary: A page.\nmeasures: [well-led]\n---\nSee [this](" + srv.URL + path + ").\n")
	}
	theme := sitetest.ThemeDir(t)
	good := sitetest.Write(t, page("/no-head"))
	if code, stdout, stderr := kb(t, "check", "--source", good, "--theme", theme, "--external", "--timeout", "30s"); code != 0 || stderr != "" || !strings.HasSuffix(stdout, "kb: checked 1 web address: 0 broken, 0 moved\n") {
		t.Errorf("good site: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	bad := sitetest.Write(t, page("/missing"))
	code, _, stderr := kb(t, "check", "--source", bad, "--theme", theme, "--external")
	if want := "content/guides/a.md:6:5: " + srv.URL + "/missing is broken: the server answered 404 Not Found: fix the address or remove the link\n"; code != 1 || stderr != want {
		t.Errorf("bad site: exit %d, stderr %q, want %q", code, stderr, want)
	}
	srv.Close() // a normal check must not need the server
	if code, stdout, stderr := kb(t, "check", "--source", bad, "--theme", theme); code != 0 || strings.Contains(stdout+stderr, "web address") {
		t.Errorf("check without --external: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
