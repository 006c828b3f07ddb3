//go:build ignore

// gen_chime writes chime.wav, the hall display's call chime: two soft bell
// tones, a major third apart (E5 then C5), each with a short attack, an
// exponential decay and a little second harmonic, so that it carries across
// a hall without being shrill. Run from this directory:
//
//	go run gen_chime.go
package main

import (
	"bytes"
	"encoding/binary"
	"log"
	"math"
	"os"
)

const rate = 44100

func main() {
	var pcm []int16
	tone := func(freq, seconds float64) {
		n := int(seconds * rate)
		for i := range n {
			t := float64(i) / rate
			attack := math.Min(1, t/0.008)
			env := attack * math.Exp(-t*4.2)
			v := math.Sin(2*math.Pi*freq*t) + 0.25*math.Sin(4*math.Pi*freq*t) + 0.08*math.Sin(6*math.Pi*freq*t)
			pcm = append(pcm, int16(v/1.33*env*0.7*math.MaxInt16))
		}
	}
	tone(659.25, 0.55) // E5
	tone(523.25, 0.95) // C5, left to ring
	// Fade the last 30 ms to silence so that the end does not click.
	fade := int(0.03 * rate)
	for i := range fade {
		k := len(pcm) - fade + i
		pcm[k] = int16(float64(pcm[k]) * float64(fade-i) / float64(fade))
	}
	var b bytes.Buffer
	data := len(pcm) * 2
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(36+data))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(rate), uint32(rate * 2), uint16(2), uint16(16)} {
		binary.Write(&b, binary.LittleEndian, v) // fmt chunk: PCM, mono, 16-bit
	}
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(data))
	binary.Write(&b, binary.LittleEndian, pcm)
	if err := os.WriteFile("chime.wav", b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
