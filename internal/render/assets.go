package render

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/nhsx/kb/internal/content"
	"github.com/nhsx/kb/internal/diag"
	"github.com/nhsx/kb/internal/site"
	"github.com/nhsx/kb/internal/theme"
)

// VendorDir is where the theme's npm install puts the NHS design system.
const VendorDir = "node_modules/nhsuk-frontend/dist/nhsuk"

// StyleFile is the theme's stylesheet of the NHS design system, compiled by
// `make deps` from sass/nhsuk.scss with only the components the layouts use.
const StyleFile = "dist/nhsuk.css"

// Assets lists the files copied into /assets/: the theme's compiled subset of
// the NHS design system's CSS, its JavaScript and icons from the theme's
// node_modules, then the theme's own static files (a later layer replaces an
// earlier one's file of the same name).
func Assets(t *theme.Theme, themeDir string) ([]Output, error) {
	var outs []Output
	vendor := filepath.Join(themeDir, filepath.FromSlash(VendorDir))
	js := filepath.Join(vendor, "nhsuk-frontend.min.js")
	if err := need(js, filepath.Join(themeDir, "node_modules"), "the NHS design system is not installed: run `make deps` (npm ci in "+themeDir+")"); err != nil {
		return nil, err
	}
	css := filepath.Join(themeDir, filepath.FromSlash(StyleFile))
	if err := need(css, css, "the theme's stylesheet is not compiled: run `make deps` (it compiles sass/nhsuk.scss in "+themeDir+")"); err != nil {
		return nil, err
	}
	outs = append(outs,
		Output{Path: "assets/nhsuk.css", File: css},
		Output{Path: "assets/nhsuk-frontend.min.js", File: js})
	assets := filepath.Join(vendor, "assets")
	err := filepath.WalkDir(assets, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(assets, p)
		outs = append(outs, Output{Path: path.Join("assets", filepath.ToSlash(rel)), File: p})
		return nil
	})
	if err != nil {
		return nil, err
	}
	var errs diag.List
	for _, layer := range t.Static() {
		err := fs.WalkDir(layer.Static, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			name := path.Join(layer.StaticName, p)
			if !staticFile(layer.Static, p, name, d, &errs) {
				return nil
			}
			b, err := fs.ReadFile(layer.Static, p)
			if err != nil {
				return err
			}
			outs = append(outs, Output{Path: path.Join("assets", p), Data: b})
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return outs, nil
}

// need checks that the file name is there. When it is missing, the error
// names shown and gives the advice; when it is there but cannot be looked
// at (a file where one of its folders should be, a permission), it gives
// the system's reason instead, which the advice to install again would
// only hide.
func need(name, shown, advice string) error {
	_, err := os.Stat(name)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: %s", filepath.ToSlash(shown), advice)
	default:
		return fmt.Errorf("%s: cannot be read: %w", filepath.ToSlash(name), errors.Unwrap(err))
	}
}

// staticFile reports whether the static file p (name, for messages) may be
// read: an ordinary file, or a symbolic link to one inside its folder. A
// named pipe would block the read for ever; a link out of the folder could
// publish any file on the machine (the folder is opened with os.Root, which
// refuses to follow one).
func staticFile(fsys fs.FS, p, name string, d fs.DirEntry, errs *diag.List) bool {
	pos := diag.Pos{File: name, Line: 1, Col: 1}
	mode := d.Type()
	if mode&fs.ModeSymlink != 0 {
		fi, err := fs.Stat(fsys, p)
		if err != nil {
			errs.Addf(pos, "symbolic link that is broken or points outside its static folder: kb follows links only within it; copy the file in instead")
			return false
		}
		mode = fi.Mode()
	}
	if mode.IsDir() {
		errs.Addf(pos, "symbolic link to a folder: kb does not follow these; move the folder here instead")
		return false
	}
	if !mode.IsRegular() {
		errs.Addf(pos, "this is %s, not an ordinary file: kb copies only files from a static folder; remove it", content.Special(mode))
		return false
	}
	return true
}

// Files lists the content files published as they are: page bundle resources
// beside their page, and files outside bundles at their own path.
func Files(s *site.Site) []Output {
	var outs []Output
	for _, p := range s.BySource {
		for _, r := range p.Resources {
			outs = append(outs, Output{Path: path.Join(p.URL[1:], r.Name), File: r.File})
		}
	}
	for _, r := range s.Static {
		outs = append(outs, Output{Path: r.Name, File: r.File})
	}
	return outs
}
