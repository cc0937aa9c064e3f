package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v2"

	"github.com/nhsx/kb/internal/config"
	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/sitetest"
)

// compile compiles a schema as a draft-07 validator would, formats asserted.
func compile(t *testing.T, s obj) *jsonschema.Schema {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("schema.json")
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	return sch
}

// instance reads YAML as the YAML extension sees it: dates are text.
func instance(t *testing.T, src []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(src, &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(jsonable(v))
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

func jsonable(v any) any {
	switch x := v.(type) {
	case map[any]any:
		m := map[string]any{}
		for k, val := range x {
			m[fmt.Sprint(k)] = jsonable(val)
		}
		return m
	case []any:
		for i := range x {
			x[i] = jsonable(x[i])
		}
		return x
	case time.Time:
		return x.Format(time.DateOnly)
	}
	return v
}

// frontMatter is the YAML between a page's --- lines.
func frontMatter(t *testing.T, file string) []byte {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	rest, ok := bytes.CutPrefix(src, []byte("---\n"))
	if !ok {
		return nil
	}
	fm, _, _ := bytes.Cut(rest, []byte("\n---"))
	return fm
}

func pages(t *testing.T, root string) []string {
	var files []string
	filepath.WalkDir(filepath.Join(root, "content"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	return files
}

// The schemas accept the whole bundled knowledge base.
func TestSchemasAcceptTheKnowledgeBase(t *testing.T) {
	root := "../.."
	cfg, errs := config.Load(root)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	page := compile(t, Page(cfg.Topics))
	files := pages(t, root)
	if len(files) < 50 {
		t.Fatalf("only %d pages found", len(files))
	}
	for _, f := range files {
		if err := page.Validate(instance(t, frontMatter(t, f))); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	for file, s := range map[string]obj{"site.yaml": Site(), "topics.yaml": Topics()} {
		src, err := os.ReadFile(filepath.Join(root, file))
		if err != nil {
			t.Fatal(err)
		}
		if err := compile(t, s).Validate(instance(t, src)); err != nil {
			t.Errorf("%s: %v", file, err)
		}
	}
}

// The schemas reject the files of the error fixtures that they can judge
// alone (not links, folders or duplicate URLs, which need the whole site).
func TestSchemasRejectTheErrorFixtures(t *testing.T) {
	for fixture, files := range map[string][]string{
		"unknown-measure":       {"content/guides/a.md", "content/guides/b.md"},
		"unknown-topic":         {"content/guides/a.md"},
		"unknown-type":          {"content/guides/a.md"},
		"unknown-field":         {"content/guides/a.md"},
		"wrong-types":           {"content/guides/a.md"},
		"bad-dates":             {"content/guides/a.md"},
		"list-as-string":        {"content/guides/a.md"},
		"missing-title-summary": {"content/guides/a.md"},
		"bad-aliases":           {"content/guides/a.md"},
		"bad-site-yaml":         {"site.yaml"},
		"bad-page-size":         {"site.yaml"},
		"bad-topics-yaml":       {"topics.yaml"},
	} {
		t.Run(fixture, func(t *testing.T) {
			_, root := sitetest.Load(t, "../../cmd/kb/testdata/errors/"+fixture+".txtar")
			cfg, _ := config.Load(root)
			for _, f := range files {
				var s obj
				var src []byte
				switch f {
				case "site.yaml":
					s = Site()
				case "topics.yaml":
					s = Topics()
				default:
					s = Page(cfg.Topics)
					src = frontMatter(t, filepath.Join(root, f))
				}
				if src == nil {
					src, _ = os.ReadFile(filepath.Join(root, f))
				}
				err := compile(t, s).Validate(instance(t, src))
				if err == nil {
					t.Errorf("%s: the schema accepts it", f)
					continue
				}
				t.Logf("%s: %v", f, err)
			}
		})
	}
}

// Each field kb reads has a property in the page schema, and each property
// is a field kb reads (downloads comes with the theme's bundles).
func TestPageSchemaHasEveryField(t *testing.T) {
	props := Page(nil)["properties"].(obj)
	for _, f := range content.Fields() {
		if props[f] == nil {
			t.Errorf("the page schema has no property %q", f)
		}
	}
	for name := range props {
		if !slices.Contains(content.Fields(), name) && name != "downloads" {
			t.Errorf("the page schema has %q, which kb does not read", name)
		}
	}
}
