package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/sitetest"
)

// Two pages with the same title (whatever its case and spacing) would list
// twice, looking alike: each gets a warning naming the other, at the title.
func TestSameTitleWarnsOnBothPages(t *testing.T) {
	root := sitetest.Write(t, []byte(`-- site.yaml --
title: KB
base_url: https://kb.example.org
-- content/guides/a.md --
---
summary: A page.
title: "Choosing an EPR"
measures: [well-led]
---
-- content/standards/b.md --
---
title: choosing  an EPR
summary: B page.
measures: [well-led]
---
-- content/guides/c.md --
---
title: Choosing an EPR system
summary: C page.
measures: [well-led]
---
`))
	theme := sitetest.ThemeDir(t)
	want := `content/guides/a.md:3:9: warning: title "Choosing an EPR" is also the title of content/standards/b.md:2:8: give each page its own title, so that lists and search results tell them apart` + "\n" +
		`content/standards/b.md:2:8: warning: title "choosing  an EPR" is also the title of content/guides/a.md:3:9: give each page its own title, so that lists and search results tell them apart` + "\n"
	code, stdout, stderr := kb(t, "check", "--source", root, "--theme", theme)
	if code != 0 || stderr != want || !strings.HasSuffix(stdout, "no errors, 2 warnings\n") {
		t.Errorf("check: code %d\nstdout %q\nstderr %q\nwant   %q", code, stdout, stderr, want)
	}
	code, _, stderr = kb(t, "build", "--source", root, "--theme", theme, "--out", filepath.Join(t.TempDir(), "out"), "--index", "")
	if code != 0 || stderr != want {
		t.Errorf("build: code %d, stderr %q", code, stderr)
	}
}

// A big group of pages sharing a title names three others in each warning
// and counts the rest, so that the warnings do not grow with the square of
// the group.
func TestSameTitleNamesThreeAndCountsTheRest(t *testing.T) {
	var b strings.Builder
	b.WriteString("-- site.yaml --\ntitle: KB\nbase_url: https://kb.example.org\n")
	for _, name := range []string{"a", "b", "c", "d", "e", "f"} {
		b.WriteString("-- content/guides/" + name + ".md --\n---\ntitle: Same\nsummary: A page.\nmeasures: [well-led]\n---\n")
	}
	root := sitetest.Write(t, []byte(b.String()))
	code, _, stderr := kb(t, "check", "--source", root, "--theme", sitetest.ThemeDir(t))
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	want := `content/guides/a.md:2:8: warning: title "Same" is also the title of content/guides/b.md:2:8, content/guides/c.md:2:8, content/guides/d.md:2:8 and 2 more: give each page its own title, so that lists and search results tell them apart`
	if code != 0 || len(lines) != 6 || lines[0] != want {
		t.Errorf("check: code %d, %d lines, first\n%q\nwant\n%q", code, len(lines), lines[0], want)
	}
	wantLast := `content/guides/f.md:2:8: warning: title "Same" is also the title of content/guides/a.md:2:8, content/guides/b.md:2:8, content/guides/c.md:2:8 and 2 more: give each page its own title, so that lists and search results tell them apart`
	if lines[len(lines)-1] != wantLast {
		t.Errorf("last warning\n%q\nwant\n%q", lines[len(lines)-1], wantLast)
	}
}
