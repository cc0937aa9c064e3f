package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/sitetest"
)

func TestNewHelpListsTypes(t *testing.T) {
	code, _, stderr := kb(t, "new", "--help")
	if code != 0 {
		t.Fatalf("code %d", code)
	}
	for _, want := range []string{"--bundle", "blueprint   content/blueprints/: ", "case-study  content/case-studies/: what a named NHS organisation did", "guide       content/guides/: "} {
		if !strings.Contains(stderr, want) {
			t.Errorf("kb new --help lacks %q:\n%s", want, stderr)
		}
	}
}

func TestNewSuggestsTheNearestType(t *testing.T) {
	_, root := sitetest.Load(t, "testdata/site.txtar")
	code, _, stderr := kb(t, "new", "casestudy", "X", "--source", root)
	want := `kb new: unknown type "casestudy"; valid types are blueprint, standard, template, case-study, guide (did you mean "case-study"?)` + "\n"
	if code != 2 || stderr != want {
		t.Errorf("code %d, stderr %q", code, stderr)
	}
}

// undraft takes a new page out of draft and gives it measures, as a
// contributor would, leaving the placeholder text for the test to deal with.
func undraft(t *testing.T, file string, edits ...string) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(src), "draft: true\n", "", 1)
	s = strings.Replace(s, "measures: []", "measures: [well-led]", 1)
	for i := 0; i+1 < len(edits); i += 2 {
		s = strings.Replace(s, edits[i], edits[i+1], 1)
	}
	if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A bundle's links climb one folder more; its example link is a real page,
// so once the placeholders are replaced the page checks clean; before that,
// kb check points at each placeholder.
func TestNewBundleChecksOncePlaceholdersGo(t *testing.T) {
	theme := sitetest.ThemeDir(t)
	_, root := sitetest.Load(t, "testdata/site.txtar")
	code, stdout, stderr := kb(t, "new", "--bundle", "template", "Benefits plan", "--source", root)
	if code != 0 || stdout != "kb: created "+filepath.ToSlash(root)+"/content/templates/benefits-plan/index.md, a draft: kb serve shows it; remove its draft line to publish it\n" {
		t.Fatalf("kb new --bundle: %d %q %q", code, stdout, stderr)
	}
	file := filepath.Join(root, "content/templates/benefits-plan/index.md")
	src, _ := os.ReadFile(file)
	if !strings.Contains(string(src), "[Data Security and Protection Toolkit](../../standards/dspt/index.md)") {
		t.Errorf("the example link is not the real page, two folders up:\n%s", src)
	}
	if code, _, stderr := kb(t, "check", "--source", root, "--theme", theme); code != 0 {
		t.Fatalf("a draft with placeholders must check: %d %s", code, stderr)
	}
	undraft(t, file)
	code, _, stderr = kb(t, "check", "--source", root, "--theme", theme)
	want := "content/templates/benefits-plan/index.md:4:11: summary is still kb new's placeholder: write one or two sentences saying what this page is for and who it helps\n" +
		"content/templates/benefits-plan/index.md:19:1: the page still holds kb new's placeholder text (\"Write the page here, with ## headings for its sections.\"): replace it with the page's own text\n" +
		"kb: 2 problems found; nothing was written\n"
	if code != 1 || stderr != want {
		t.Errorf("published placeholders: %d\n%s\nwant:\n%s", code, stderr, want)
	}
	undraft(t, file, "One or two plain sentences saying what this page is for and who it helps.", "How to plan benefits.",
		"Write the page here, with ## headings for its sections.", "The plan.")
	if code, _, stderr := kb(t, "check", "--source", root, "--theme", theme); code != 0 {
		t.Errorf("the filled-in bundle: %d %s", code, stderr)
	}
}

func TestNewPageLinksToARealPage(t *testing.T) {
	theme := sitetest.ThemeDir(t)
	_, root := sitetest.Load(t, "testdata/site.txtar")
	if code, _, stderr := kb(t, "new", "blueprint", "Ward rollout", "--source", root); code != 0 {
		t.Fatalf("kb new: %d %s", code, stderr)
	}
	file := filepath.Join(root, "content/blueprints/ward-rollout.md")
	undraft(t, file, "One or two plain sentences saying what this page is for and who it helps.", "A rollout.",
		"Write the page here, with ## headings for its sections.", "Steps.")
	src, _ := os.ReadFile(file)
	if !strings.Contains(string(src), "(../standards/dspt/index.md)") {
		t.Errorf("example link:\n%s", src)
	}
	if code, _, stderr := kb(t, "check", "--source", root, "--theme", theme); code != 0 {
		t.Errorf("the published page with its example link: %d %s", code, stderr)
	}
}
