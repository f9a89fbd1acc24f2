// Package sql embeds the database migrations, one folder per dialect, run by goose.
package sql

import "embed"

// FS holds sqlite/*.sql and postgres/*.sql. The two folders carry the same
// numbered migrations so both dialects always have the same schema version.
//
//go:embed sqlite/*.sql postgres/*.sql
var FS embed.FS
