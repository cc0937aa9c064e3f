// Package kb embeds the default theme's layouts and static files, so that the
// kb binary and the Netlify search function can render pages without the source
// tree beside them.
package kb

import "embed"

// DefaultTheme holds themes/default/layouts and themes/default/static.
//
//go:embed themes/default/layouts themes/default/static
var DefaultTheme embed.FS
