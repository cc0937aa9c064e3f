package content

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/nhsx/kb/internal/diag"
)

// published lists the only file types content/ may publish besides its pages:
// documents to download and images to show. It is an allow-list, not a
// deny-list, because anything a browser renders on the site's own address
// (HTML, SVG, XML with a stylesheet, JavaScript) runs under the site's
// script-src 'self' policy; a type nobody thought of must fail closed.
// Macro-enabled and legacy Office formats are left out for the same reason.
var published = map[string]bool{
	"pdf": true, "docx": true, "xlsx": true, "pptx": true, "odt": true, "ods": true, "odp": true,
	"csv": true, "txt": true, "zip": true,
	"png": true, "jpg": true, "jpeg": true, "gif": true, "webp": true, "avif": true,
}

// active names the refused types a contributor is most likely to try, with
// the fix for each: they are the types that would run script on the site.
var active = map[string]string{
	"html":  "a browser would run any script in it on the site's own address: publish it as a PDF, or link to it where it is hosted",
	"htm":   "a browser would run any script in it on the site's own address: publish it as a PDF, or link to it where it is hosted",
	"xhtml": "a browser would run any script in it on the site's own address: publish it as a PDF, or link to it where it is hosted",
	"shtml": "a browser would run any script in it on the site's own address: publish it as a PDF, or link to it where it is hosted",
	"js":    "it would run as script on the site's own address: link to the code where it is hosted",
	"mjs":   "it would run as script on the site's own address: link to the code where it is hosted",
	"svg":   "an SVG image can carry script that runs on the site's own address: save the image as PNG instead",
	"svgz":  "an SVG image can carry script that runs on the site's own address: save the image as PNG instead",
	"xml":   "a browser renders XML with its stylesheet and any script in it: publish the data as CSV, or as a PDF",
	"xsl":   "an XSL stylesheet can run script in the browser: publish the data as CSV, or as a PDF",
	"xslt":  "an XSL stylesheet can run script in the browser: publish the data as CSV, or as a PDF",
	"md":    "a page bundle's other files are published as they are, so this would not become a page: merge it into index.md, or move it out of the bundle's folder",
	"css":   "a stylesheet from content could restyle or hide any page: put site styles in static/",
}

// Publishable lists the file extensions content/ may publish, for messages.
func Publishable() []string {
	exts := make([]string, 0, len(published))
	for e := range published {
		exts = append(exts, e)
	}
	slices.Sort(exts)
	return exts
}

// checkPublishable reports a file of content/ that kb will not publish, at
// rel (its path from the source folder). It reports false when refused.
func checkPublishable(rel string, errs *diag.List) bool {
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(rel), "."))
	if published[ext] {
		return true
	}
	pos := diag.Pos{File: rel, Line: 1, Col: 1}
	switch {
	case active[ext] != "":
		errs.Addf(pos, "kb does not publish .%s files from content/: %s", ext, active[ext])
	case ext == "":
		errs.Addf(pos, "file has no extension, so kb cannot tell what it is: name it with one of %s, or delete it", strings.Join(Publishable(), ", "))
	default:
		errs.Addf(pos, "kb does not publish .%s files from content/: convert it to one of %s, or link to it where it is hosted", ext, strings.Join(Publishable(), ", "))
	}
	return false
}

// checkRegular refuses what is neither a file nor a folder: a named pipe, a
// socket or a device. Opening a named pipe waits for a writer that never
// comes, which would hang the build and the preview with no message.
func checkRegular(rel string, mode fs.FileMode, errs *diag.List) bool {
	if mode.IsRegular() || mode.IsDir() {
		return true
	}
	errs.Addf(diag.Pos{File: rel, Line: 1, Col: 1}, "%s", notRegular(mode))
	return false
}

// notRegular says why a special file is refused.
func notRegular(mode fs.FileMode) string {
	return "this is " + Special(mode) + ", not an ordinary file: kb reads only files and folders from content/; remove it"
}

// Special names what a file that is not an ordinary one is, for messages
// about it (a named pipe, a socket, a device).
func Special(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeDevice != 0, mode&fs.ModeCharDevice != 0:
		return "a device"
	case mode&fs.ModeIrregular != 0:
		return "an irregular file"
	case mode.IsDir():
		return "a folder"
	}
	return fmt.Sprintf("a special file (%v)", mode.Type())
}
