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
