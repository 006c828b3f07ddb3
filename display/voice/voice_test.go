package voice

import (
	"bytes"
	"io/fs"
	"log/slog"
	"strings"
	"testing"
	"time"

	"turno/display/chime"
)

func TestTheWordsOfACall(t *testing.T) {
	for _, c := range []struct {
		lang, number, counter, id string
		want                      string
	}{
		{"it", "A012", "Sportello 3", "3", "numero a 12 , sportello 3"},
		{"it", "D002", "Sportello 6 — Consegna rapida", "6", "numero d 2 , sportello 6"},
		{"it", "T000", "Sportello 1", "1", "numero t 0 , sportello 1"},
		{"it", "A127", "Ufficio B", "front", "numero a 100 27 , sportello b"},
		{"it", "S1127", "Sala", "12", "numero s 1000 100 27 , sportello 12"},
		{"it", "A2021", "Sportello 21", "x", "numero a 2000 21 , sportello 21"},
		{"it", "A123456", "Sportello 1", "1", "numero a 1 2 3 4 5 6 , sportello 1"},
		// No number or letter to say: the counter is left out, not guessed.
		{"it", "A012", "Accettazione", "front-desk", "numero a 12"},
		{"en", "A012", "Sportello 3", "3", "number a 12 , counter 3"},
		{"en", "A027", "Sportello 3", "3", "number a 20 7 , counter 3"},
		{"en", "A127", "Sportello 3", "3", "number a 1 hundred and 20 7 , counter 3"},
		{"en", "A1005", "Sportello 3", "3", "number a 1 thousand and 5 , counter 3"},
		{"en", "A2300", "Sportello 3", "3", "number a 2 thousand 3 hundred , counter 3"},
		{"en", "B019", "Desk", "C", "number b 19 , counter c"},
	} {
		v, err := New(c.lang, nil)
		if err != nil {
			t.Fatal(err)
		}
		words, err := v.Words(chime.Announcement{Number: c.number, Counter: c.counter, CounterID: c.id})
		if err != nil {
			t.Fatalf("%s %s: %v", c.lang, c.number, err)
		}
		if got := strings.Join(words, " "); got != c.want {
			t.Errorf("%s %s at %q: got %q, want %q", c.lang, c.number, c.counter, got, c.want)
		}
	}
}

func TestAnUnknownLanguageOrANumberWithNothingToSayIsAnError(t *testing.T) {
	if _, err := New("fr", nil); err == nil {
		t.Fatal("French accepted")
	}
	v, err := New("it", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Speak(chime.Announcement{Number: "", Counter: "Sportello 1"}); err == nil {
		t.Fatal("an empty ticket number was spoken")
	}
}

func TestACounterWithoutANumberIsLoggedOnce(t *testing.T) {
	var log bytes.Buffer
	v, err := New("it", slog.New(slog.NewTextHandler(&log, nil)))
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := v.Speak(chime.Announcement{Number: "A001", Counter: "Accettazione", CounterID: "front"}); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(log.String(), "no number or letter"); n != 1 {
		t.Fatalf("logged %d times, want once:\n%s", n, log.String())
	}
}

func TestASpokenCallIsAFewSecondsOfSound(t *testing.T) {
	for _, lang := range Languages() {
		v, err := New(lang, nil)
		if err != nil {
			t.Fatal(err)
		}
		s, err := v.Speak(chime.Announcement{Number: "A012", Counter: "Sportello 3", CounterID: "3"})
		if err != nil {
			t.Fatal(err)
		}
		if d := s.Duration(); d < 1500*time.Millisecond || d > 5*time.Second {
			t.Errorf("%s: a call of %v, want 1.5-5 s", lang, d)
		}
		if s.Rate != 16000 || s.Channels != 1 {
			t.Errorf("%s: %d Hz, %d channels", lang, s.Rate, s.Channels)
		}
		loud := 0
		for i := 0; i+1 < len(s.PCM); i += 2 {
			if x := int16(uint16(s.PCM[i]) | uint16(s.PCM[i+1])<<8); x > 8000 || x < -8000 {
				loud++
			}
		}
		if loud < 100 {
			t.Errorf("%s: only %d loud samples: silence?", lang, loud)
		}
	}
}

// The segments stay a modest part of the binary: numbers are composed.
func TestTheEmbeddedSegmentsStaySmall(t *testing.T) {
	total, files := 0, 0
	err := fs.WalkDir(segments, "segments", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(segments, path)
		total += len(data)
		files++
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if total > 1500*1024 || files > 250 {
		t.Fatalf("%d segments, %d KB: want at most 250 and 1500 KB", files, total/1024)
	}
	t.Logf("%d segments, %d KB", files, total/1024)
}

func TestEveryNumberIsComposedFromSegmentsThatExist(t *testing.T) {
	// New checks the whole vocabulary; this names what it covers.
	for _, lang := range Languages() {
		v, err := New(lang, nil)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(v.vocabulary()); n < 40 {
			t.Fatalf("%s: a vocabulary of %d words", lang, n)
		}
	}
}
