//go:build ignore

// icon_gen draws the kiosk's icon, assets/icons/kiosk.png: a ticket in the
// blue of Italian public-administration sites, with its tear-off notches
// and a number line. Run: go run icon_gen.go (from kiosk/).
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"os"
)

func main() {
	const n = 512
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	blue := color.NRGBA{0x00, 0x4d, 0x99, 0xff}
	white := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	in := func(x, y, cx, cy, r int) bool { return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r }
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			// A rounded square background.
			const r, m = 96, 16
			cx, cy := min(max(x, m+r), n-m-r), min(max(y, m+r), n-m-r)
			if !in(x, y, cx, cy, r) {
				continue
			}
			img.Set(x, y, blue)
			// The ticket: a white card with a notch on each side.
			if x >= 112 && x < 400 && y >= 96 && y < 416 && !in(x, y, 112, 300, 28) && !in(x, y, 400, 300, 28) {
				img.Set(x, y, white)
				// A big "number": three thick bars, and a dashed tear line.
				bar := y >= 150 && y < 250 && ((x >= 160 && x < 200) || (x >= 236 && x < 276) || (x >= 312 && x < 352))
				tear := y >= 296 && y < 304 && (x/20)%2 == 0 && x > 150 && x < 362
				small := y >= 340 && y < 364 && x >= 160 && x < 352
				if bar || tear || small {
					img.Set(x, y, blue)
				}
			}
		}
	}
	f, err := os.Create("../assets/icons/kiosk.png")
	if err != nil {
		log.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
