// Package voice says a hall call aloud, "Numero A 12, sportello 3" or
// "Number A 12, counter 3", from short recorded segments embedded in the
// binary: the letters, the numbers every other number is composed from,
// and the words around them. The segments were synthesised offline by
// espeak-ng (gen_segments.go, go generate); the display needs no speech
// engine, no network and no licence of its own to speak.
//
// A Voice is a chime.Speaker: the board's chime.Caller plays the chime,
// then each Voice in turn.
package voice

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode"

	"turno/display/chime"
)

//go:generate go run gen_segments.go

//go:embed segments
var segments embed.FS

// ErrLanguage is returned for a language the voice does not speak.
var ErrLanguage = errors.New("voice: language not spoken (want it or en)")

// Pauses between the segments of a call.
const (
	// wordGap is the breath between two words of one phrase.
	wordGap = 60 * time.Millisecond
	// commaGap is the comma of "Numero A 12, sportello 3".
	commaGap = 280 * time.Millisecond
	// fade is the ramp at each segment's ends: segments cut from silence
	// click at the joints without it.
	fade = 5 * time.Millisecond
)

// pause is the word that stands for the comma.
const pause = ","

// Languages are the languages a Voice speaks.
func Languages() []string { return []string{"it", "en"} }

// Voice says calls in one language.
type Voice struct {
	lang          string
	number, desk  string // "numero", "sportello"
	rate          int
	say           func(n int) []string
	log           *slog.Logger
	warnedCounter map[string]bool // counters without a number, logged once
}

// New returns the voice of lang ("it" or "en"), after checking that every
// segment it may need is there and readable: a build with a missing word
// fails at start, not at the first call of the morning.
func New(lang string, logger *slog.Logger) (*Voice, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	v := &Voice{lang: lang, log: logger, warnedCounter: map[string]bool{}}
	switch lang {
	case "it":
		v.number, v.desk, v.say = "numero", "sportello", italian
	case "en":
		v.number, v.desk, v.say = "number", "counter", english
	default:
		return nil, fmt.Errorf("%w: %q", ErrLanguage, lang)
	}
	for _, w := range v.vocabulary() {
		s, err := v.segment(w)
		if err != nil {
			return nil, err
		}
		if v.rate == 0 {
			v.rate = s.Rate
		}
		if s.Rate != v.rate || s.Channels != 1 {
			return nil, fmt.Errorf("voice %s: segment %q is %d Hz, %d channels; want %d Hz mono like the others", lang, w, s.Rate, s.Channels, v.rate)
		}
	}
	return v, nil
}

// Lang is the voice's language.
func (v *Voice) Lang() string { return v.lang }

// vocabulary is every segment the voice may say.
func (v *Voice) vocabulary() []string {
	words := []string{v.number, v.desk}
	for c := 'a'; c <= 'z'; c++ {
		words = append(words, string(c))
	}
	seen := map[string]bool{}
	for _, w := range words {
		seen[w] = true
	}
	// Every number up to 9999 is made of the same few segments.
	for n := range 10000 {
		for _, w := range v.say(n) {
			if !seen[w] {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	return words
}

func (v *Voice) segment(name string) (chime.Sound, error) {
	data, err := fs.ReadFile(segments, "segments/"+v.lang+"/"+name+".wav")
	if err != nil {
		return chime.Sound{}, fmt.Errorf("voice %s: no segment %q: %w", v.lang, name, err)
	}
	s, err := chime.ParseWAV(data)
	if err != nil {
		return chime.Sound{}, fmt.Errorf("voice %s: segment %q: %w", v.lang, name, err)
	}
	return s, nil
}

// Words returns the segments that say a call, "," being the comma's pause:
// A012 at Sportello 3 is [numero a 12 , sportello 3]. A counter whose name
// and id hold no number or letter to say is left out, and said so in the
// log once: the board still shows it.
func (v *Voice) Words(a chime.Announcement) ([]string, error) {
	ticket := spell(a.Number, v.say)
	if len(ticket) == 0 {
		return nil, fmt.Errorf("voice %s: nothing to say in ticket number %q", v.lang, a.Number)
	}
	words := append([]string{v.number}, ticket...)
	counter := counterWords(a.Counter, a.CounterID, v.say)
	if len(counter) == 0 {
		if key := a.Counter + "|" + a.CounterID; !v.warnedCounter[key] {
			v.warnedCounter[key] = true
			v.log.Warn("counter has no number or letter to say: its calls are spoken without it; put its number in its name (Sportello 3)",
				"counter", a.Counter, "id", a.CounterID)
		}
		return words, nil
	}
	words = append(words, pause, v.desk)
	return append(words, counter...), nil
}

// Speak renders a call as one sound: the segments a breath apart, the comma
// a little longer.
func (v *Voice) Speak(a chime.Announcement) (chime.Sound, error) {
	words, err := v.Words(a)
	if err != nil {
		return chime.Sound{}, err
	}
	out := chime.Sound{Rate: v.rate, Channels: 1}
	for i, w := range words {
		if w == pause {
			out.PCM = append(out.PCM, chime.Silence(v.rate, 1, commaGap).PCM...)
			continue
		}
		if i > 0 && words[i-1] != pause {
			out.PCM = append(out.PCM, chime.Silence(v.rate, 1, wordGap).PCM...)
		}
		s, err := v.segment(w)
		if err != nil {
			return chime.Sound{}, err
		}
		out.PCM = append(out.PCM, ramp(s).PCM...)
	}
	return out, nil
}

// ramp fades a segment in and out over a few milliseconds.
func ramp(s chime.Sound) chime.Sound {
	pcm := append([]byte(nil), s.PCM...)
	n := len(pcm) / 2
	k := min(int(fade*time.Duration(s.Rate)/time.Second), n/2)
	for i := range k {
		for _, j := range []int{i, n - 1 - i} {
			x := int16(uint16(pcm[2*j]) | uint16(pcm[2*j+1])<<8)
			x = int16(int(x) * i / k)
			pcm[2*j], pcm[2*j+1] = byte(uint16(x)), byte(uint16(x)>>8)
		}
	}
	return chime.Sound{Rate: s.Rate, Channels: s.Channels, PCM: pcm}
}

// spell says a ticket number: its letters by name, then its number as a
// number (A012 is "a", "12"). Anything else is spelt sign by sign.
func spell(number string, say func(int) []string) []string {
	letters := strings.TrimRightFunc(number, unicode.IsDigit)
	digits := number[len(letters):]
	var out []string
	for _, r := range letters {
		r = unicode.ToLower(r)
		switch {
		case r >= 'a' && r <= 'z':
			out = append(out, string(r))
		case r >= '0' && r <= '9':
			out = append(out, say(int(r-'0'))...)
		}
	}
	if digits != "" {
		if n, err := strconv.Atoi(digits); err == nil && n < 10000 {
			out = append(out, say(n)...)
		} else {
			for _, d := range digits {
				out = append(out, say(int(d-'0'))...)
			}
		}
	}
	return out
}

// counterWords is what is said after "sportello": the first number in the
// counter's name (Sportello 6 — Consegna rapida is 6), else a lone letter in
// it (Sportello B), else its id when that is a number or a letter.
func counterWords(name, id string, say func(int) []string) []string {
	for _, s := range []string{name, id} {
		fields := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		for _, f := range fields {
			if n, err := strconv.Atoi(f); err == nil && n >= 0 && n < 10000 {
				return say(n)
			}
		}
		for i, f := range fields {
			// A lone letter, but not the first word: "A Sportello" is no letter.
			if r := []rune(f); len(r) == 1 && unicode.IsLetter(r[0]) && r[0] < unicode.MaxASCII && (i > 0 || len(fields) == 1) {
				return []string{strings.ToLower(f)}
			}
		}
	}
	return nil
}

// italian composes n below 10,000 from the segments: 0-99 whole (Italian
// elides inside them: ventuno, ventotto), then hundreds and thousands in
// front (1127 is "1000" "100" "27": millecentoventisette).
func italian(n int) []string {
	switch {
	case n < 0:
		return nil
	case n < 100:
		return []string{strconv.Itoa(n)}
	case n < 1000:
		out := []string{strconv.Itoa(n / 100 * 100)}
		if r := n % 100; r > 0 {
			out = append(out, strconv.Itoa(r))
		}
		return out
	case n < 10000:
		out := []string{strconv.Itoa(n / 1000 * 1000)}
		if r := n % 1000; r > 0 {
			out = append(out, italian(r)...)
		}
		return out
	}
	var out []string
	for _, d := range strconv.Itoa(n) {
		out = append(out, string(d))
	}
	return out
}

// english composes n below 10,000 the British way: 127 is "1" "hundred"
// "and" "20" "7".
func english(n int) []string {
	switch {
	case n < 0:
		return nil
	case n < 20:
		return []string{strconv.Itoa(n)}
	case n < 100:
		out := []string{strconv.Itoa(n / 10 * 10)}
		if r := n % 10; r > 0 {
			out = append(out, strconv.Itoa(r))
		}
		return out
	case n < 1000:
		out := []string{strconv.Itoa(n / 100), "hundred"}
		if r := n % 100; r > 0 {
			out = append(append(out, "and"), english(r)...)
		}
		return out
	case n < 10000:
		out := append(english(n/1000), "thousand")
		if r := n % 1000; r > 0 {
			if r < 100 {
				out = append(out, "and")
			}
			out = append(out, english(r)...)
		}
		return out
	}
	var out []string
	for _, d := range strconv.Itoa(n) {
		out = append(out, string(d))
	}
	return out
}
