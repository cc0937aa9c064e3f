package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/nhsx/kb/internal/sitetest"
)

// kb build, kb check and kb serve count the pages of one site the same way
// and say it in the same words: published pages, the source files they come
// from (drafts among them), and the pages kb generates.
func TestBuildCheckServeCountPagesAlike(t *testing.T) {
	theme := sitetest.ThemeDir(t)
	_, root := sitetest.Load(t, "testdata/site.txtar")
	const want = "8 pages (from 9 source files, 1 of them a draft) and 20 generated pages"
	lines := map[string]*regexp.Regexp{
		"build": regexp.MustCompile(`^kb: built (.*), \d+ files in all \(.*\) in \S+ into .*\n$`),
		"check": regexp.MustCompile(`^kb: checked (.*) in \S+: no errors, 2 warnings\n$`),
		"serve": regexp.MustCompile(`^kb: built (.*) in \S+\n`),
	}
	outputs := map[string]string{}
	code, stdout, stderr := kb(t, "build", "--source", root, "--theme", theme, "--out", filepath.Join(t.TempDir(), "public"), "--index", "")
	if code != 0 {
		t.Fatalf("build: %d %s", code, stderr)
	}
	outputs["build"] = stdout
	if code, stdout, stderr = kb(t, "check", "--source", root, "--theme", theme); code != 0 {
		t.Fatalf("check: %d %s", code, stderr)
	}
	outputs["check"] = stdout
	outputs["serve"] = serveFirstLine(t, root, theme, "--drafts=false")
	for cmd, re := range lines {
		m := re.FindStringSubmatch(outputs[cmd])
		if m == nil {
			t.Errorf("kb %s printed %q, want a line matching %s", cmd, outputs[cmd], re)
			continue
		}
		if m[1] != want {
			t.Errorf("kb %s counts %q, want %q", cmd, m[1], want)
		}
	}
	// The preview shows drafts unless told not to, and says so.
	const shown = "9 pages (from 9 source files, 1 of them a draft, shown) and 20 generated pages"
	if m := lines["serve"].FindStringSubmatch(serveFirstLine(t, root, theme)); m == nil || m[1] != shown {
		t.Errorf("kb serve with drafts counts %q, want %q", m, shown)
	}
}

// serveFirstLine runs kb serve until it has printed its first build's line.
func serveFirstLine(t *testing.T, root, theme string, flags ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--source", root, "--theme", theme, "--addr", "127.0.0.1:0"}, flags...), &out, &errb)
	}()
	built := regexp.MustCompile(`(?m)^kb: built .*\n`)
	deadline := time.Now().Add(60 * time.Second)
	for !built.MatchString(out.String()) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve: %d %s", code, errb.String())
	}
	return built.FindString(out.String())
}

// lockedBuffer is a bytes.Buffer the server and the test may share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
