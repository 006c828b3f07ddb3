package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// The board's palette: light text on a dark ground reads best from far away
// and does not glare in a hall; yellow is the one colour that says "you".
var (
	boardGround   = color.NRGBA{R: 0x0a, G: 0x16, B: 0x28, A: 0xff}
	boardPanel    = color.NRGBA{R: 0x13, G: 0x25, B: 0x3e, A: 0xff}
	boardInk      = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	boardDim      = color.NRGBA{R: 0xa9, G: 0xb8, B: 0xcc, A: 0xff}
	boardYellow   = color.NRGBA{R: 0xff, G: 0xd4, B: 0x00, A: 0xff}
	boardBlack    = color.NRGBA{R: 0x00, G: 0x00, B: 0x00, A: 0xff}
	boardGreen    = color.NRGBA{R: 0x4c, G: 0xe0, B: 0x8a, A: 0xff}
	boardAmber    = color.NRGBA{R: 0xff, G: 0xa9, B: 0x3a, A: 0xff}
	boardRed      = color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}
	boardMessage  = color.NRGBA{R: 0x00, G: 0x4d, B: 0x99, A: 0xff} // the blue of Italian public-administration sites
	boardSeparate = color.NRGBA{R: 0x2a, G: 0x3f, B: 0x5c, A: 0xff}
)

// Text sizes of the board, in Fyne units at scale 1 on a 1920x1080 screen
// (about 0.57 mm a unit on a 50" screen): the newest call is about 11 cm
// tall, readable at ten metres; nothing a citizen needs is smaller than
// sizeMin, about 16 mm, and texts that shrink to fit stop there and are cut.
const (
	sizeNewest     float32 = 150
	sizeNewestMin  float32 = 60
	sizeCurrent    float32 = 84
	sizeCurrentRow float32 = 60
	sizeLast       float32 = 44
	sizeHeading    float32 = 34
	sizeWaiting    float32 = 56
	sizeService    float32 = 34
	sizeReason     float32 = 30
	sizeCaption    float32 = 28
	sizeClock      float32 = 64
	sizeOffice     float32 = 40
	sizeBanner     float32 = 44
	sizeMessage    float32 = 44
	sizeMin        float32 = 28
)

// boardTheme is Fyne's default theme on the board's dark ground, with large
// body text for the few widgets that wrap (the hall message, the reasons).
type boardTheme struct{ fyne.Theme }

func (t boardTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameBackground:
		return boardGround
	case theme.ColorNameForeground:
		return boardInk
	}
	return t.Theme.Color(n, theme.VariantDark)
}

func (t boardTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return sizeMin
	case theme.SizeNamePadding:
		return 8
	}
	return t.Theme.Size(n)
}

// flowTheme is Fyne's light theme, whatever the system says, with text a
// little larger than the desktop's: the view is read on a tablet held at
// arm's length, between two citizens.
type flowTheme struct{ fyne.Theme }

func (t flowTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, theme.VariantLight)
}

func (t flowTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 15
	case theme.SizeNameSubHeadingText:
		return 19
	}
	return t.Theme.Size(n)
}

// NewFlowTheme is the flow view's theme, for the app to set.
func NewFlowTheme() fyne.Theme { return flowTheme{theme.DefaultTheme()} }

// NewBoardTheme is the board's theme, for the app to set.
func NewBoardTheme() fyne.Theme { return boardTheme{theme.DefaultTheme()} }
