package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for the commands kbbench times:
// linked as "kb" or "hugo" with KBBENCH_FAKE set it behaves as a small
// fake of that tool; with KBBENCH_ALLOC it holds that many MB for a while.
func TestMain(m *testing.M) {
	if os.Getenv("KBBENCH_FAKE") != "" {
		os.Exit(fake(filepath.Base(os.Args[0]), os.Args[1:]))
	}
	os.Exit(m.Run())
}

// fake is kb or Hugo, reduced to what kbbench relies on. The fake kb
// appends one line per build to $KBBENCH_LOG: whether .kb/ was there and
// the last line of the edited page, then makes .kb/.
func fake(tool string, args []string) int {
	if mbs := os.Getenv("KBBENCH_ALLOC"); mbs != "" {
		var n int
		fmt.Sscan(mbs, &n)
		b := make([]byte, n<<20)
		for i := range b {
			b[i] = 1 // touch every page, so it is resident
		}
		time.Sleep(300 * time.Millisecond)
		fmt.Println(b[len(b)-1])
	}
	if len(args) > 0 && args[0] == "version" {
		fmt.Println(tool, "fake")
		return 0
	}
	if os.Getenv("KBBENCH_FAIL") != "" {
		fmt.Fprintln(os.Stderr, "content/guides/a.md:1:1: broken on purpose")
		return 1
	}
	if tool != "kb" {
		return 0
	}
	src := args[indexOf(args, "--source")+1]
	_, err := os.Stat(filepath.Join(src, ".kb"))
	page, _ := os.ReadFile(filepath.Join(src, "content", "guides", "b.md"))
	lines := strings.Split(strings.TrimSpace(string(page)), "\n")
	f, _ := os.OpenFile(os.Getenv("KBBENCH_LOG"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	fmt.Fprintf(f, "kept=%v last=%q", err == nil, lines[len(lines)-1])
	if gc := os.Getenv("GOGC"); gc != "" {
		fmt.Fprintf(f, " GOGC=%s", gc) // a -gc setting's build
	}
	fmt.Fprintln(f)
	f.Close()
	return boolInt(os.MkdirAll(filepath.Join(src, ".kb"), 0o755) != nil)
}

func indexOf(args []string, s string) int {
	for i, a := range args {
		if a == s {
			return i
		}
	}
	return -1
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// fakeTools links the test binary as kb and hugo in a temporary folder.
func fakeTools(t *testing.T) (kb, hugo string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	kb, hugo = filepath.Join(dir, "kb"), filepath.Join(dir, "hugo")
	for _, p := range []string{kb, hugo} {
		if err := os.Symlink(self, p); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("KBBENCH_FAKE", "1")
	return kb, hugo
}

// fakeCorpus writes a corpus of three guides, as gencorpus.py lays one out,
// and a peer script that makes Hugo's site folder.
func fakeCorpus(t *testing.T) (dir, peer string) {
	t.Helper()
	dir = t.TempDir()
	for name, body := range map[string]string{
		"_index.md": "---\ntitle: Guides\n---\n",
		"a.md":      "---\ntitle: A\n---\nBody A.\n",
		"b.md":      "---\ntitle: B\n---\nBody B.\n",
		"c.md":      "---\ntitle: C\n---\nBody C.\n",
	} {
		p := filepath.Join(dir, "content", "guides", name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	peer = filepath.Join(t.TempDir(), "peer.sh")
	os.WriteFile(peer, []byte("#!/bin/sh\nmkdir -p \"$2\"\n"), 0o755)
	return dir, peer
}
