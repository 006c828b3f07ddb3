package assets

import _ "embed"

// Chime is the hall display's call chime: a 16-bit mono PCM WAV made by
// sounds/gen_chime.go.
//
//go:embed sounds/chime.wav
var Chime []byte
