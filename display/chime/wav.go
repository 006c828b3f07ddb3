package chime

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// ErrBadWAV is returned for a sound that is not a WAV this package plays:
// 16-bit PCM (the chime), or 4-bit IMA ADPCM (the voice's segments, half
// the size of 8-bit mu-law for the same speech).
var ErrBadWAV = errors.New("not a 16-bit PCM or 4-bit IMA ADPCM WAV")

// WAV format tags.
const (
	formatPCM      = 1
	formatIMAADPCM = 0x11
)

// Sound is decoded PCM: signed 16-bit little-endian samples.
type Sound struct {
	Rate     int
	Channels int
	PCM      []byte
}

// Duration is how long the sound plays.
func (s Sound) Duration() time.Duration {
	if s.Rate == 0 || s.Channels == 0 {
		return 0
	}
	frames := len(s.PCM) / (2 * s.Channels)
	return time.Duration(frames) * time.Second / time.Duration(s.Rate)
}

// ParseWAV reads a RIFF WAV of 16-bit PCM (mono or stereo) or of mono 4-bit
// IMA ADPCM, into PCM.
func ParseWAV(data []byte) (Sound, error) {
	if len(data) < 12 || string(data[0:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
		return Sound{}, fmt.Errorf("chime: no RIFF/WAVE header: %w", ErrBadWAV)
	}
	var s Sound
	var format, blockAlign int
	frames := -1 // from the fact chunk: ADPCM's last block is padded
	fmtSeen := false
	for p := 12; p+8 <= len(data); {
		id, size := string(data[p:p+4]), int(binary.LittleEndian.Uint32(data[p+4:p+8]))
		body := p + 8
		if size < 0 || body+size > len(data) || body+size < body {
			return Sound{}, fmt.Errorf("chime: chunk %q runs past the end: %w", id, ErrBadWAV)
		}
		switch id {
		case "fmt ":
			if size < 16 {
				return Sound{}, fmt.Errorf("chime: short fmt chunk: %w", ErrBadWAV)
			}
			format = int(binary.LittleEndian.Uint16(data[body:]))
			s.Channels = int(binary.LittleEndian.Uint16(data[body+2:]))
			s.Rate = int(binary.LittleEndian.Uint32(data[body+4:]))
			blockAlign = int(binary.LittleEndian.Uint16(data[body+12:]))
			bits := binary.LittleEndian.Uint16(data[body+14:])
			ok := s.Rate >= 8000 && s.Rate <= 192000
			switch format {
			case formatPCM:
				ok = ok && bits == 16 && (s.Channels == 1 || s.Channels == 2)
			case formatIMAADPCM:
				ok = ok && bits == 4 && s.Channels == 1 && blockAlign > 4
			default:
				ok = false
			}
			if !ok {
				return Sound{}, fmt.Errorf("chime: format %d, %d bits, %d channels, %d Hz: %w", format, bits, s.Channels, s.Rate, ErrBadWAV)
			}
			fmtSeen = true
		case "fact":
			if size >= 4 {
				frames = int(binary.LittleEndian.Uint32(data[body:]))
			}
		case "data":
			if !fmtSeen {
				return Sound{}, fmt.Errorf("chime: data before fmt: %w", ErrBadWAV)
			}
			raw := data[body : body+size]
			if format == formatIMAADPCM {
				s.PCM = decodeIMA(raw, blockAlign, frames)
				return s, nil
			}
			s.PCM = raw[:size-size%(2*s.Channels)]
			return s, nil
		}
		p = body + size + size%2 // chunks are word-aligned
	}
	return Sound{}, fmt.Errorf("chime: no data chunk: %w", ErrBadWAV)
}

// IMA ADPCM's tables (the IMA Digital Audio Focus and Technical Working
// Group's recommendation, as in every WAV decoder).
var (
	imaIndex = [16]int{-1, -1, -1, -1, 2, 4, 6, 8, -1, -1, -1, -1, 2, 4, 6, 8}
	imaStep  = [89]int{
		7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37, 41, 45,
		50, 55, 60, 66, 73, 80, 88, 97, 107, 118, 130, 143, 157, 173, 190, 209, 230,
		253, 279, 307, 337, 371, 408, 449, 494, 544, 598, 658, 724, 796, 876, 963,
		1060, 1166, 1282, 1411, 1552, 1707, 1878, 2066, 2272, 2499, 2749, 3024, 3327,
		3660, 4026, 4428, 4871, 5358, 5894, 6484, 7132, 7845, 8630, 9493, 10442, 11487,
		12635, 13899, 15289, 16818, 18500, 20350, 22385, 24623, 27086, 29794, 32767,
	}
)

// decodeIMA decodes mono IMA ADPCM blocks into 16-bit PCM: each block starts
// with its first sample and step index, then two samples a byte, low
// nibble first. frames < 0 keeps every sample of the last block.
func decodeIMA(raw []byte, blockAlign, frames int) []byte {
	perBlock := (blockAlign-4)*2 + 1
	total := (len(raw) / blockAlign) * perBlock
	if rest := len(raw) % blockAlign; rest >= 4 {
		total += (rest-4)*2 + 1
	}
	if frames >= 0 && frames < total {
		total = frames
	}
	out := make([]byte, 0, 2*total)
	put := func(v int) bool {
		if len(out) >= 2*total {
			return false
		}
		out = binary.LittleEndian.AppendUint16(out, uint16(int16(v)))
		return true
	}
	for b := 0; b+4 <= len(raw); b += blockAlign {
		block := raw[b:min(b+blockAlign, len(raw))]
		pred := int(int16(binary.LittleEndian.Uint16(block)))
		index := min(max(int(block[2]), 0), 88)
		if !put(pred) {
			break
		}
		for _, by := range block[4:] {
			for _, nib := range [2]int{int(by & 0x0f), int(by >> 4)} {
				step := imaStep[index]
				diff := step >> 3
				if nib&1 != 0 {
					diff += step >> 2
				}
				if nib&2 != 0 {
					diff += step >> 1
				}
				if nib&4 != 0 {
					diff += step
				}
				if nib&8 != 0 {
					diff = -diff
				}
				pred = min(max(pred+diff, -32768), 32767)
				index = min(max(index+imaIndex[nib], 0), 88)
				if !put(pred) {
					return out
				}
			}
		}
	}
	return out
}

// Resample converts a sound to rate and channels, by linear interpolation:
// the sound card is opened once, at the chime's format, and the voice's
// segments are recorded at another.
func Resample(s Sound, rate, channels int) Sound {
	if s.Rate == rate && s.Channels == channels || s.Rate == 0 || s.Channels == 0 {
		return s
	}
	in := len(s.PCM) / (2 * s.Channels)
	sample := func(i, c int) float64 {
		c = min(c, s.Channels-1)
		return float64(int16(binary.LittleEndian.Uint16(s.PCM[2*(i*s.Channels+c):])))
	}
	n := int(int64(in) * int64(rate) / int64(s.Rate))
	out := make([]byte, 0, 2*n*channels)
	for j := range n {
		x := float64(j) * float64(s.Rate) / float64(rate)
		i := int(x)
		f := x - float64(i)
		for c := range channels {
			var v float64
			if s.Channels == 2 && channels == 1 {
				v = (sample(i, 0) + sample(i, 1)) / 2
				if i+1 < in {
					v = v*(1-f) + (sample(i+1, 0)+sample(i+1, 1))/2*f
				}
			} else {
				v = sample(i, c)
				if i+1 < in {
					v = v*(1-f) + sample(i+1, c)*f
				}
			}
			out = binary.LittleEndian.AppendUint16(out, uint16(int16(v)))
		}
	}
	return Sound{Rate: rate, Channels: channels, PCM: out}
}

// Silence is d of silence in a format.
func Silence(rate, channels int, d time.Duration) Sound {
	frames := int(d * time.Duration(rate) / time.Second)
	return Sound{Rate: rate, Channels: channels, PCM: make([]byte, 2*frames*channels)}
}
