package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/nhsx/kb/internal/sitetest"
)

func TestSchemaWritesTheSchemas(t *testing.T) {
	_, root := sitetest.Load(t, "testdata/site.txtar")
	code, stdout, stderr := kb(t, "schema", "--source", root)
	dir := filepath.ToSlash(filepath.Join(root, ".kb/schema"))
	want := "kb: wrote " + dir + "/page.schema.json\nkb: wrote " + dir + "/site.schema.json\nkb: wrote " + dir + "/topics.schema.json\n"
	if code != 0 || stdout != want {
		t.Fatalf("kb schema: %d\n%s\nwant:\n%s\n%s", code, stdout, want, stderr)
	}
	var page struct {
		Schema     string `json:"$schema"`
		Properties map[string]struct {
			Items struct {
				Enum []string `json:"enum"`
			} `json:"items"`
		} `json:"properties"`
	}
	b, err := os.ReadFile(filepath.Join(root, ".kb/schema/page.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &page); err != nil {
		t.Fatal(err)
	}
	if page.Schema != "http://json-schema.org/draft-07/schema#" {
		t.Errorf("$schema = %q", page.Schema)
	}
	if got := page.Properties["topics"].Items.Enum; !reflect.DeepEqual(got, []string{"cyber", "epr"}) {
		t.Errorf("topics enum = %q, want the site's topics.yaml", got)
	}
	if got := page.Properties["measures"].Items.Enum; len(got) != 7 || got[0] != "well-led" {
		t.Errorf("measures enum = %q", got)
	}
	out := t.TempDir()
	if code, _, stderr := kb(t, "schema", "--out", out, "--source", root); code != 0 {
		t.Fatalf("kb schema --out: %s", stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "topics.schema.json")); err != nil {
		t.Error(err)
	}
	// A broken topics.yaml is reported, not turned into a schema.
	os.WriteFile(filepath.Join(root, "topics.yaml"), []byte("- slug: Bad Slug\n  name: Bad\n"), 0o644)
	if code, _, stderr := kb(t, "schema", "--source", root); code != 1 || !strings.HasPrefix(stderr, "topics.yaml:1:1: topic slug \"Bad Slug\" must be lower case") {
		t.Errorf("broken topics.yaml: %d %q", code, stderr)
	}
}

// The repository's editor settings map the schemas kb schema writes.
func TestEditorSettingsMapTheSchemas(t *testing.T) {
	src, err := os.ReadFile("../../.vscode/settings.json")
	if err != nil {
		t.Fatal(err)
	}
	var settings struct {
		Schemas map[string][]string `json:"yaml.schemas"`
	}
	if err := json.Unmarshal(regexp.MustCompile(`(?m)^\s*//.*$`).ReplaceAll(src, nil), &settings); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if code, _, stderr := kb(t, "schema", "--source", "../..", "--out", filepath.Join(root, ".kb/schema")); code != 0 {
		t.Fatal(stderr)
	}
	want := map[string][]string{".kb/schema/site.schema.json": {"site.yaml"}, ".kb/schema/topics.schema.json": {"topics.yaml"}}
	if !reflect.DeepEqual(settings.Schemas, want) {
		t.Errorf("yaml.schemas = %v, want %v", settings.Schemas, want)
	}
	for file := range settings.Schemas {
		if _, err := os.Stat(filepath.Join(root, file)); err != nil {
			t.Errorf("settings map %s, which kb schema does not write", file)
		}
	}
	ext, _ := os.ReadFile("../../.vscode/extensions.json")
	if !strings.Contains(string(ext), `"redhat.vscode-yaml"`) {
		t.Errorf("extensions.json does not recommend the YAML extension:\n%s", ext)
	}
}
