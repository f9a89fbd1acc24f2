// Package frontend embeds the pages' templates and static files: plain HTML,
// CSS and ES modules, no build step.
package frontend

import "embed"

// Templates holds templates/*.html (html/template).
//
//go:embed templates/*.html
var Templates embed.FS

// Static holds css/ and js/, served under /static/ with a content hash.
//
//go:embed css js
var Static embed.FS
