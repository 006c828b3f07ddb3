// Package assets holds the files embedded in Turno's binaries: the demo
// office, and later icons, sounds and web pages.
package assets

import _ "embed"

// DemoOffice is the configuration the server runs with no -config: a
// municipal front office with a fast-track document lane.
//
//go:embed demo-office.toml
var DemoOffice []byte
