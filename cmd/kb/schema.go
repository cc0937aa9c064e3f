package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/nhsx/kb/internal/config"
	"github.com/nhsx/kb/internal/schema"
)

const schemaArgs = "[--source DIR] [--out DIR]"

func runSchema(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flags("schema", schemaArgs, "Write JSON Schemas (draft-07) for page front matter, site.yaml and topics.yaml,\n"+
		"with the measures, types and topics of this knowledge base, for editors to check\n"+
		"as you type (.vscode/settings.json maps site.yaml and topics.yaml to them)", stderr)
	source := fs.String("source", ".", "the knowledge base `folder`")
	out := fs.String("out", schema.DefaultDir, "the `folder` to write the schemas in, inside SOURCE unless absolute")
	if code := parseNoArgs(fs, args); code >= 0 {
		return code
	}
	cfg, errs := config.Load(*source)
	if len(errs) > 0 {
		return report(stderr, errs)
	}
	dir := *out
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(*source, dir)
	}
	files, err := schema.Write(dir, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "kb schema: %v: choose another --out folder\n", err)
		return 1
	}
	for _, f := range files {
		fmt.Fprintf(stdout, "kb: wrote %s\n", filepath.ToSlash(f))
	}
	return 0
}
