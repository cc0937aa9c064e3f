// Package theme loads the html/template layouts a site is rendered with. A
// theme is a stack of folders: the default theme first, then any override
// folder, whose files replace the default's one by one.
package theme

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/nhsx/kb/internal/diag"
)

// Layer is one folder of a theme: Layouts holds *.html at its root and
// partials/*.html; Static holds files copied into the site as they are. Name
// is how errors refer to the layer's files (themes/default, layouts), and
// StaticName how they refer to its static files (static, themes/x/static).
type Layer struct {
	Name       string
	Layouts    fs.FS
	Static     fs.FS
	StaticName string
}

// Theme is a loaded set of templates.
type Theme struct {
	pages  map[string]*template.Template
	source map[string]string // template file → the path errors name
	// over are the template files that a layer above the first (the
	// site's layouts folder) gave.
	over map[string]bool
	// mine says, for each layout and each template its set defines,
	// whether the site's layouts gave it (see Overridden); worked out once
	// at load, as the templates' trees change when they are first executed.
	mine   map[string]bool
	static []Layer
	pool   sync.Pool
}

// Load parses every layout of the stack. Errors name the overriding file and
// its line, so a broken override is easy to find.
func Load(funcs template.FuncMap, layers ...Layer) (*Theme, diag.List) {
	var errs diag.List
	files := map[string][]byte{}
	t := &Theme{pages: map[string]*template.Template{}, source: map[string]string{}, over: map[string]bool{}, mine: map[string]bool{}}
	t.pool.New = func() any { return new(bytes.Buffer) }
	for i, l := range layers {
		if l.Static != nil {
			t.static = append(t.static, l)
		}
		if l.Layouts == nil {
			continue
		}
		_ = fs.WalkDir(l.Layouts, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || path.Ext(p) != ".html" {
				return nil
			}
			b, err := fs.ReadFile(l.Layouts, p)
			if err != nil {
				errs.Addf(diag.Pos{File: path.Join(l.Name, p)}, "cannot read template: %v", err)
				return nil
			}
			files[p] = b
			t.source[p] = path.Join(l.Name, p)
			t.over[p] = i > 0
			return nil
		})
	}
	common := template.New("").Funcs(funcs)
	var names []string
	for p := range files {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		if strings.HasPrefix(p, "partials/") || p == "base.html" {
			if _, err := common.New(p).Parse(string(files[p])); err != nil {
				errs.Append(diag.List{t.wrap(err)})
			}
		}
	}
	if len(errs) > 0 {
		return t, errs
	}
	for _, p := range names {
		if strings.HasPrefix(p, "partials/") || p == "base.html" {
			continue
		}
		c, err := common.Clone()
		if err == nil {
			_, err = c.New(p).Parse(string(files[p]))
		}
		if err != nil {
			errs.Append(diag.List{t.wrap(err)})
			continue
		}
		layout := strings.TrimSuffix(p, ".html")
		t.pages[layout] = c
		t.settle(layout, c)
	}
	return t, errs
}

// settle notes which of the layout's templates the site's layouts gave, then
// has html/template escape every one of them now. It escapes a template
// the first time it is executed, changing the template as it does, and
// partialCached executes partials by name from many pages at once: left to
// the first page, that was a data race. Executing with no data escapes
// without writing anything; the errors are those of the missing data, and
// an escaping error comes back on every real execution.
func (t *Theme) settle(layout string, c *template.Template) {
	for _, d := range c.Templates() {
		if d.Tree != nil {
			t.mine[layout+"\x00"+d.Name()] = t.over[d.Tree.ParseName]
		}
	}
	for _, d := range c.Templates() {
		_ = c.ExecuteTemplate(io.Discard, d.Name(), nil)
	}
}

// Has reports whether the theme has a layout called name (without .html).
func (t *Theme) Has(name string) bool { _, ok := t.pages[name]; return ok }

// Static returns the layers with static folders, lowest layer first.
func (t *Theme) Static() []Layer { return t.static }

// Execute renders the layout name with data. A layout defines "main" and the
// shared base.html wraps it, so every page gets the same header and landmarks.
func (t *Theme) Execute(w io.Writer, name string, data any) error {
	buf, err := t.execute(name, data)
	if err == nil {
		_, err = w.Write(buf.Bytes())
	}
	t.pool.Put(buf)
	return err
}

// Page is Execute's output as a slice of its own, of the output's size: a
// build keeps each page's bytes only until they are written.
func (t *Theme) Page(name string, data any) ([]byte, error) {
	buf, err := t.execute(name, data)
	var out []byte
	if err == nil {
		out = bytes.Clone(buf.Bytes())
	}
	t.pool.Put(buf)
	return out, err
}

// Lend is Page without the copy: the output is rendered into a buffer of
// the theme's pool and lent to the caller, who gives it back with Return
// once done with it (a caller that keeps it need not: it is then the
// caller's). A build writes each page and forgets it: the copy Page makes
// was a twentieth of what a 10,000-page build allocated.
func (t *Theme) Lend(name string, data any) ([]byte, error) {
	buf, err := t.execute(name, data)
	if err != nil {
		t.pool.Put(buf)
		return nil, err
	}
	return buf.Bytes(), nil
}

// Return gives back an output Lend lent, for a later page to be rendered
// into: nothing may read or keep it after.
func (t *Theme) Return(out []byte) {
	if cap(out) > 0 {
		t.pool.Put(bytes.NewBuffer(out[:0]))
	}
}

// execute renders the layout name into a buffer of the pool, which the
// caller puts back.
func (t *Theme) execute(name string, data any) (*bytes.Buffer, error) {
	buf := t.pool.Get().(*bytes.Buffer)
	buf.Reset()
	tpl, ok := t.pages[name]
	if !ok {
		return buf, fmt.Errorf("theme has no layout %s.html", name)
	}
	entry := name + ".html"
	if tpl.Lookup("base.html") != nil && tpl.Lookup("main") != nil {
		entry = "base.html"
	}
	if err := tpl.ExecuteTemplate(buf, entry, data); err != nil {
		return buf, t.wrap(err)
	}
	return buf, nil
}

// ExecutePartial renders the template name (a partial's define) of the
// layout's set with data, as {{template name data}} in that layout would.
func (t *Theme) ExecutePartial(w io.Writer, layout, name string, data any) error {
	tpl, ok := t.pages[layout]
	if !ok {
		return fmt.Errorf("theme has no layout %s.html", layout)
	}
	if err := tpl.ExecuteTemplate(w, name, data); err != nil {
		return t.wrap(err)
	}
	return nil
}

// Overridden reports whether the template name, as the layout's set has
// it, comes from a file of the site's own layouts rather than from the
// theme: a partial the theme's layouts know the inputs of may have been
// replaced by one that shows other things.
func (t *Theme) Overridden(layout, name string) bool {
	if _, ok := t.pages[layout]; !ok {
		return false
	}
	mine, ok := t.mine[layout+"\x00"+name]
	return !ok || mine
}

var tplPos = regexp.MustCompile(`template: ([^:]+):(\d+)(?::(\d+))?: (.*)`)

// wrap turns an html/template error into a diagnostic naming the theme file,
// line and column it comes from.
func (t *Theme) wrap(err error) diag.Diagnostic {
	msg := err.Error()
	m := tplPos.FindStringSubmatch(msg)
	if m == nil {
		return diag.Diagnostic{Pos: diag.Pos{File: "theme"}, Msg: "template error: " + msg}
	}
	file := m[1]
	if src, ok := t.source[file]; ok {
		file = src
	}
	line, _ := strconv.Atoi(m[2])
	col, _ := strconv.Atoi(m[3])
	if col == 0 {
		col = 1
	}
	rest := m[4]
	if i := strings.Index(rest, ": "); i >= 0 && strings.HasPrefix(rest, "executing") {
		rest = rest[i+2:]
	}
	if rest == "unexpected EOF" {
		rest += ": an {{if}}, {{range}}, {{with}}, {{block}} or {{define}} is missing its {{end}}"
	}
	return diag.Diagnostic{Pos: diag.Pos{File: file, Line: line, Col: col}, Msg: "template error: " + rest}
}
