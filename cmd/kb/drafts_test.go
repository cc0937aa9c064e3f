package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nhsx/kb/internal/sitetest"
)

// kb build leaves drafts out unless asked, and marks them when asked.
func TestBuildLeavesDraftsOut(t *testing.T) {
	_, out := buildSite(t)
	if _, err := os.Stat(filepath.Join(out, "guides/unfinished/index.html")); !os.IsNotExist(err) {
		t.Errorf("kb build published a draft: %v", err)
	}
	_, out = buildSite(t, "--drafts")
	doc := sitetest.Page(t, out, "guides/unfinished/index.html")
	if got := sitetest.Texts(doc.Find(".nhsuk-warning-callout .nhsuk-warning-callout__label")); len(got) != 1 || got[0] != "Important: Draft: not published" {
		t.Errorf("draft callout = %q", got)
	}
}

// kb serve shows drafts unless --drafts=false, asked over HTTP of the real
// command.
func TestServeShowsDraftsByDefault(t *testing.T) {
	theme := sitetest.ThemeDir(t)
	_, root := sitetest.Load(t, "testdata/site.txtar")
	for _, c := range []struct {
		flags []string
		code  int
		want  string
	}{
		{nil, 200, "Draft: not published"},
		{[]string{"--drafts=false"}, 404, "This page is a draft: content/guides/unfinished.md has <code>draft: true</code>"},
	} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan int)
		var stderr lockedBuffer
		args := append([]string{"serve", "--source", root, "--theme", theme, "--addr", addr}, c.flags...)
		go func() { done <- run(ctx, args, io.Discard, &stderr) }()
		var code int
		var body []byte
		for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			resp, err := http.Get("http://" + addr + "/guides/unfinished/")
			if err != nil {
				continue
			}
			body, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			code = resp.StatusCode
			if code != 500 && code != 503 { // the first build is done
				break
			}
		}
		cancel()
		if exit := <-done; exit != 0 {
			t.Errorf("kb serve %s exited %d: %s", c.flags, exit, stderr.String())
		}
		if code != c.code || !strings.Contains(string(body), c.want) {
			t.Errorf("kb serve %s: GET a draft: %d, want %d with %q:\n%s", c.flags, code, c.code, c.want, body)
		}
	}
}
