package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/wgll"
)

const newArgs = "[--bundle] [--source DIR] <type> \"Title\""

// typeHelp says in a line what each type of item is, for kb new --help.
var typeHelp = map[string]string{
	"blueprint":  "a reusable plan for a common piece of digital work: steps, standards, risks, measures",
	"standard":   "a plain-English summary of a national standard, framework or legal duty",
	"template":   "a document to download, copy and fill in (usually a --bundle, with the file beside it)",
	"case-study": "what a named NHS organisation did, drawn from published sources",
	"guide":      "step-by-step advice on one task",
}

func runNew(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flags("new", newArgs, "Start a new page: writes content/<section>/<slug>.md (or <slug>/index.md with --bundle) with its front matter filled in, as a draft", stderr)
	source := fs.String("source", ".", "the knowledge base `folder`")
	bundle := fs.Bool("bundle", false, "make a page bundle, content/<section>/<slug>/index.md, whose folder holds the page's files to download")
	usage := fs.Usage
	fs.Usage = func() {
		usage()
		fmt.Fprintln(fs.Output(), "\nTypes (each goes in its own section folder):")
		for _, s := range content.Sections {
			fmt.Fprintf(fs.Output(), "  %-11s content/%s/: %s\n", s.Type, s.Folder, typeHelp[s.Type])
		}
		fmt.Fprintln(fs.Output(), "\nThe page starts as a draft: kb serve shows it with a \"Draft\" banner, kb build leaves it out.\nRemove the draft line when it is ready; kb check reports any placeholder text left in it.")
	}
	if code := parse(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() != 2 {
		fmt.Fprintf(stderr, "kb new: want a type and a title, such as: kb new guide \"Running a discovery\"\ntypes: %s\n", strings.Join(content.Types(), ", "))
		return 2
	}
	typ, title := fs.Arg(0), strings.TrimSpace(fs.Arg(1))
	section := content.SectionOf(typ)
	if section == "" {
		section = content.SectionOf(strings.TrimSuffix(typ, "s"))
		typ = strings.TrimSuffix(typ, "s")
	}
	if section == "" {
		msg := fmt.Sprintf("kb new: unknown type %q; valid types are %s", fs.Arg(0), strings.Join(content.Types(), ", "))
		if near := wgll.Nearest(fs.Arg(0), content.Types()); near != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", near)
		}
		fmt.Fprintln(stderr, msg)
		return 2
	}
	slug := strings.Trim(slugUnsafe.ReplaceAllString(strings.ToLower(title), "-"), "-")
	if slug == "" {
		fmt.Fprintln(stderr, "kb new: the title needs at least one letter or digit")
		return 2
	}
	rel := filepath.Join("content", section, slug+".md")
	other := filepath.Join("content", section, slug, "index.md")
	if *bundle {
		rel, other = other, rel
	}
	path := filepath.Join(*source, rel)
	for _, p := range []string{path, filepath.Join(*source, other)} {
		if _, err := os.Stat(p); err == nil {
			fmt.Fprintf(stderr, "kb new: %s already exists: choose another title or edit that file\n", filepath.ToSlash(p))
			return 1
		}
	}
	link := exampleLink(*source, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		fmt.Fprintf(stderr, "kb new: %v\n", err)
		return 1
	}
	if err := os.WriteFile(path, []byte(newPage(typ, title, time.Now(), link, *bundle)), 0o644); err != nil {
		fmt.Fprintf(stderr, "kb new: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "kb: created %s, a draft: kb serve shows it; remove its draft line to publish it\n", filepath.ToSlash(path))
	return 0
}

var slugUnsafe = regexp.MustCompile(`[^a-z0-9]+`)

// link is a Markdown link to an existing page, relative to the new one.
type link struct{ Title, Target string }

var titleLine = regexp.MustCompile(`^title:\s*(.+?)\s*$`)

// exampleLink picks a real, published page for the new page's example link,
// so the example still works when the draft line goes: the first standard,
// else the first item of any section. It returns a zero link when the site
// has none.
func exampleLink(source, rel string) link {
	dirs := []string{"standards"}
	for _, s := range content.Sections {
		if s.Folder != "standards" {
			dirs = append(dirs, s.Folder)
		}
	}
	for _, d := range dirs {
		var files []string
		for _, pat := range []string{"*.md", "*/index.md"} {
			m, _ := filepath.Glob(filepath.Join(source, "content", d, pat))
			files = append(files, m...)
		}
		sort.Strings(files)
		for _, f := range files {
			if filepath.Base(f) == "_index.md" {
				continue
			}
			title, draft := frontTitle(f)
			if title == "" || draft {
				continue
			}
			target, err := filepath.Rel(filepath.Join(source, filepath.Dir(rel)), f)
			if err != nil {
				continue
			}
			return link{Title: title, Target: filepath.ToSlash(target)}
		}
	}
	return link{}
}

// frontTitle reads a page's title and draft flag from its front matter lines.
func frontTitle(file string) (title string, draft bool) {
	f, err := os.Open(file)
	if err != nil {
		return "", false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 0; sc.Scan(); n++ {
		l := strings.TrimRight(sc.Text(), " \t\r")
		switch {
		case n == 0 && l != "---":
			return "", false
		case n > 0 && l == "---":
			return title, draft
		case strings.HasPrefix(l, "draft:") && strings.Contains(l, "true"):
			draft = true
		}
		if m := titleLine.FindStringSubmatch(l); m != nil {
			title = strings.Trim(m[1], `"'`)
		}
	}
	return "", false
}

// newPage is the starting text of a new page: every field a contributor needs,
// with a draft flag so it is not published by accident. Its placeholder text
// is what kb check reports if the page is published without replacing it.
func newPage(typ, title string, now time.Time, example link, bundle bool) string {
	today := now.Format(time.DateOnly)
	due := now.AddDate(0, 6, 0).Format(time.DateOnly)
	body := content.PlaceholderBody + " Link to other pages\nby their Markdown file, relative to this one"
	if example.Target != "" {
		body += fmt.Sprintf(", such as [%s](%s)", strings.ReplaceAll(example.Title, "]", `\]`), example.Target)
	}
	body += ".\n"
	if bundle {
		body += "Put the files to download (PDF, Word, spreadsheets) in this folder, beside index.md.\n"
	}
	body += "Remove the draft line when the page is ready to publish.\n"
	return fmt.Sprintf(`---
title: %q
type: %s
summary: %q
measures: [] # one or more of: %s
topics: []
organisations: []
date: %s
reviewed: %s
review_due: %s
owner: # the team or role that reviews this page
sources: # the documents its facts come from, each with title, url (https), publisher, published (optional) and accessed:
#  - title: "What Good Looks Like framework"
#    url: https://transform.england.nhs.uk/digitise-connect-transform/what-good-looks-like/
#    publisher: NHS England
#    accessed: YYYY-MM-DD
draft: true
---

%s`, title, typ, content.PlaceholderSummary, strings.Join(wgll.Slugs(), ", "), today, today, due, body)
}
