package ui

import (
	"crypto/rand"
	"encoding/hex"
)

// randomKey is a fresh idempotency key: 96 random bits, never repeated by
// chance, even across kiosks.
func randomKey() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}
