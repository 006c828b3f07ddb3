//go:build ignore

// gen_segments writes the spoken call's segments into segments/<lang>/:
// the words of "Numero A 12, sportello 3" and "Number A 12, counter 3"
// (the letters, the numbers the voice composes every other number from,
// "numero", "sportello", ...), one short WAV each, synthesised OFFLINE by
// espeak-ng and trimmed, levelled and stored as 16 kHz 8-bit mu-law by sox.
//
// Run it where both are installed (Debian: apt-get install espeak-ng sox):
//
//	go generate ./display/voice
//
// The output is committed: the display needs neither tool, and every board
// speaks with the same voice. An office that prefers a recorded human voice
// records the same words under the same names and regenerates nothing:
// any 16-bit PCM or mu-law WAV is read.
//
// espeak-ng and its voice data are GPL-3.0-or-later; the sounds it
// produces are its output, not a copy of it, and carry no licence of
// theirs (see README.md).
package main

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// word is a segment: the file's name and what espeak-ng is given to say.
type word struct{ name, text string }

// Italian composes every number below 10,000 from 0-99 (whole words,
// because Italian elides inside them: ventuno, ventotto), the hundreds and
// the thousands: 127 is "cento" + "ventisette".
func italian() []word {
	ws := []word{{"numero", "numero"}, {"sportello", "sportello"}}
	for n := 0; n < 100; n++ {
		ws = append(ws, word{strconv.Itoa(n), strconv.Itoa(n)})
	}
	for n := 100; n < 1000; n += 100 {
		ws = append(ws, word{strconv.Itoa(n), strconv.Itoa(n)})
	}
	for n := 1000; n < 10000; n += 1000 {
		ws = append(ws, word{strconv.Itoa(n), strconv.Itoa(n)})
	}
	return append(ws, letters()...)
}

// English composes from 0-19, the tens, "hundred", "thousand" and "and":
// 127 is "one" "hundred" "and" "twenty" "seven".
func english() []word {
	ws := []word{{"number", "number"}, {"counter", "counter"}, {"hundred", "hundred"}, {"thousand", "thousand"}, {"and", "and"}}
	for n := 0; n < 20; n++ {
		ws = append(ws, word{strconv.Itoa(n), strconv.Itoa(n)})
	}
	for n := 20; n < 100; n += 10 {
		ws = append(ws, word{strconv.Itoa(n), strconv.Itoa(n)})
	}
	return append(ws, letters()...)
}

// letters are the tickets' prefixes: espeak-ng says a lone capital as the
// letter's name in either language ("acca", "aitch").
func letters() []word {
	var ws []word
	for c := 'A'; c <= 'Z'; c++ {
		ws = append(ws, word{strings.ToLower(string(c)), string(c)})
	}
	return ws
}

func main() {
	for _, tool := range []string{"espeak-ng", "sox"} {
		if _, err := exec.LookPath(tool); err != nil {
			log.Fatalf("%s is needed (Debian: apt-get install espeak-ng sox): %v", tool, err)
		}
	}
	version, _ := exec.Command("espeak-ng", "--version").Output()
	for _, l := range []struct {
		dir, voice string
		words      []word
	}{{"it", "it", italian()}, {"en", "en-gb", english()}} {
		dir := filepath.Join("segments", l.dir)
		if err := os.RemoveAll(dir); err != nil {
			log.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			log.Fatal(err)
		}
		for _, w := range l.words {
			if err := synth(l.voice, w.text, filepath.Join(dir, w.name+".wav")); err != nil {
				log.Fatalf("%s %q: %v", l.dir, w.text, err)
			}
		}
		fmt.Printf("%s: %d segments (voice %s, %s)\n", l.dir, len(l.words), l.voice, strings.TrimSpace(string(version)))
	}
}

// synth says text with espeak-ng at a calm pace (140 words a minute: a hall
// is noisy and some listeners are old), then sox trims the silence at both
// ends, levels the peak to
// -3 dB (the chime's level) and writes 16 kHz mu-law: speech needs no more,
// and it halves the size of 16-bit PCM.
func synth(voice, text, out string) error {
	// sox fades by the sound's length, which a pipe does not tell.
	raw := out + ".raw.wav"
	defer os.Remove(raw)
	var stderr bytes.Buffer
	say := exec.Command("espeak-ng", "-v", voice, "-s", "140", "-w", raw, text)
	say.Stderr = &stderr
	if err := say.Run(); err != nil {
		return fmt.Errorf("espeak-ng: %w: %s", err, stderr.String())
	}
	stderr.Reset()
	sox := exec.Command("sox", raw, "-r", "16000", "-e", "ima-adpcm", "-b", "4", out,
		"silence", "1", "0.01", "0.5%", "reverse", "silence", "1", "0.01", "0.5%", "reverse",
		"norm", "-3")
	sox.Stderr = &stderr
	if err := sox.Run(); err != nil {
		return fmt.Errorf("sox: %w: %s", err, stderr.String())
	}
	return nil
}
