package theme

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
	"testing/fstest"
)

var base = fstest.MapFS{
	"base.html":          {Data: []byte(`<html>{{template "nav" .}}{{template "main" .}}</html>`)},
	"partials/nav.html":  {Data: []byte(`{{define "nav"}}<nav>default nav</nav>{{end}}`)},
	"single.html":        {Data: []byte(`{{define "main"}}<h1>{{.}}</h1>{{end}}`)},
	"alias.html":         {Data: []byte(`<p>moved to {{.}}</p>`)},
	"static-is-not.html": {Data: []byte(`{{define "main"}}x{{end}}`)},
}

func exec(t *testing.T, th *Theme, name string, data any) string {
	t.Helper()
	var b bytes.Buffer
	if err := th.Execute(&b, name, data); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestOverrideReplacesOneFileOnly(t *testing.T) {
	over := fstest.MapFS{"partials/nav.html": {Data: []byte(`{{define "nav"}}<nav>site nav</nav>{{end}}`)}}
	th, errs := Load(template.FuncMap{}, Layer{Name: "themes/default/layouts", Layouts: base}, Layer{Name: "layouts", Layouts: over})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if got := exec(t, th, "single", "<Title>"); got != "<html><nav>site nav</nav><h1>&lt;Title&gt;</h1></html>" {
		t.Errorf("single = %s", got)
	}
	if got := exec(t, th, "alias", "/x/"); got != "<p>moved to /x/</p>" {
		t.Errorf("a layout without main is executed on its own: %s", got)
	}
	if !th.Has("single") || th.Has("partials/nav") || th.Has("base") {
		t.Error("only page layouts are executable by name")
	}
}

func TestErrorsNameTheOverridingFile(t *testing.T) {
	over := fstest.MapFS{"single.html": {Data: []byte("{{define \"main\"}}\n{{.Missing}\n{{end}}")}}
	_, errs := Load(template.FuncMap{}, Layer{Name: "themes/default/layouts", Layouts: base}, Layer{Name: "layouts", Layouts: over})
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "layouts/single.html:2:1: template error: ") {
		t.Fatalf("errors = %v", errs)
	}
	bad := fstest.MapFS{"single.html": {Data: []byte("{{define \"main\"}}{{index . 5}}{{end}}")}}
	th, errs := Load(template.FuncMap{}, Layer{Name: "themes/default/layouts", Layouts: base}, Layer{Name: "layouts", Layouts: bad})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	err := th.Execute(&bytes.Buffer{}, "single", []int{1})
	if err == nil || !strings.HasPrefix(err.Error(), "layouts/single.html:1:") {
		t.Errorf("execution error = %v", err)
	}
	if err := th.Execute(&bytes.Buffer{}, "nope", nil); err == nil || !strings.Contains(err.Error(), "no layout nope.html") {
		t.Errorf("unknown layout: %v", err)
	}
}
