package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/nhsx/kb/internal/assess"
	"github.com/nhsx/kb/internal/build"
)

const assessArgs = "--answers FILE [--format text|json]"

// runAssess prints the self-assessment's results for a file of answers: the
// same positions and recommendations as /self-assessment/results/.
func runAssess(_ context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flags("assess", assessArgs, "Show where each measure stands and what to read next, from a file of self-assessment answers.\n"+
		"FILE holds the results page's query: audience=organisation&SP1=0&SP2=3…, one answer a line if you like\n"+
		"(lines are joined with &; lines starting with # are comments). Answers: 0 not started, 1 planning,\n"+
		"2 partly in place, 3 fully in place, dk don't know", stderr)
	var opt build.Options
	fs.StringVar(&opt.Source, "source", ".", "the knowledge base `folder`")
	fs.StringVar(&opt.ThemeDir, "theme", "", "the theme `folder` (default SOURCE/themes/default)")
	answers := fs.String("answers", "", "the `FILE` of answers (- for standard input)")
	format := fs.String("format", "text", "text or json")
	if code := parse(fs, args); code >= 0 {
		return code
	}
	if *answers == "" || (*format != "text" && *format != "json") || fs.NArg() > 0 {
		fmt.Fprintf(stderr, "kb assess: usage: kb assess %s\n", assessArgs)
		return 2
	}
	raw, err := readAnswers(*answers)
	if err != nil {
		fmt.Fprintf(stderr, "kb assess: %v\n", err)
		return 2
	}
	m, err := build.Load(opt)
	if err != nil {
		fmt.Fprintf(stderr, "%v\nkb: the site has problems; fix them first\n", err)
		return 1
	}
	if m.Assessment == nil || len(m.Assessment.Statements) == 0 {
		fmt.Fprintf(stderr, "kb assess: %s has no statements in %s\n", opt.Source, assess.Folder)
		return 1
	}
	a, err := m.Assessment.ParseQuery(raw)
	var bad assess.BadAnswers
	if errors.As(err, &bad) {
		for _, p := range bad {
			fmt.Fprintf(stderr, "%s: %s\n", *answers, p.Message)
		}
		return 2
	}
	res := m.Assessment.Evaluate(a, build.AssessItems(m.Site))
	if *format == "json" {
		err = res.JSON(stdout)
	} else {
		err = res.Text(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "kb assess: %v\n", err)
		return 1
	}
	return 0
}

// readAnswers reads a file of answers as one query string.
func readAnswers(name string) (string, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(io.LimitReader(os.Stdin, 1<<20))
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return "", err
	}
	var parts []string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts = append(parts, strings.Trim(line, "&?"))
	}
	return strings.Join(parts, "&"), nil
}
