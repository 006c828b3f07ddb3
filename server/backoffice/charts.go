package backoffice

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// Series is one set of bars of a chart.
type Series struct {
	Name   string
	Values []float64 // NaN: no value
	Class  string    // the bars' CSS class: c1, c2, good, bad
}

// chartW and the margins are in the SVG's own units; it scales to its box.
const (
	chartW    = 720.0
	axisLeft  = 42.0
	axisRight = 8.0
	labelH    = 18.0
)

// BarChart draws grouped bars of one or more series over labels as inline
// SVG: a value axis of round steps, thinned labels, a <title> on each bar
// with its exact value, and a text alternative for screen readers.
func BarChart(title string, labels []string, ss []Series, height float64, format func(float64) string) template.HTML {
	var b strings.Builder
	h := height + labelH + 8
	fmt.Fprintf(&b, `<figure class="chart"><figcaption>%s</figcaption>`, html.EscapeString(title))
	if len(ss) > 1 {
		b.WriteString(`<div class="legend">`)
		for _, s := range ss {
			fmt.Fprintf(&b, `<span><i class="%s"></i>%s</span>`, s.Class, html.EscapeString(s.Name))
		}
		b.WriteString(`</div>`)
	}
	fmt.Fprintf(&b, `<svg viewBox="0 0 %.0f %.0f" role="img" aria-label="%s">`, chartW, h, html.EscapeString(title+": "+alt(labels, ss, format)))
	maxV := 0.0
	for _, s := range ss {
		for _, v := range s.Values {
			if !math.IsNaN(v) {
				maxV = math.Max(maxV, v)
			}
		}
	}
	step := niceStep(maxV / 4)
	top := step * math.Ceil(maxV/step)
	if top == 0 {
		top = step
	}
	bottom := 4 + height
	width := chartW - axisLeft - axisRight
	for v := 0.0; v <= top+step/2; v += step {
		y := bottom - v/top*height
		fmt.Fprintf(&b, `<line class="grid" x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f"/>`, axisLeft, chartW-axisRight, y, y)
		fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%.1f" text-anchor="end">%s</text>`, axisLeft-5, y+4, html.EscapeString(format(v)))
	}
	n := len(labels)
	if n == 0 {
		fmt.Fprintf(&b, `<text class="empty" x="%.1f" y="%.1f" text-anchor="middle">—</text>`, chartW/2, bottom-height/2)
	}
	slot := width / math.Max(float64(n), 1)
	barW := slot * 0.8 / float64(max(len(ss), 1))
	for i, lb := range labels {
		for j, s := range ss {
			if i >= len(s.Values) {
				continue
			}
			v := s.Values[i]
			if math.IsNaN(v) || v <= 0 {
				continue
			}
			bh := v / top * height
			fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s, %s: %s</title></rect>`,
				s.Class, axisLeft+float64(i)*slot+slot*0.1+float64(j)*barW, bottom-bh, math.Max(barW-0.5, 0.5), bh,
				html.EscapeString(lb), html.EscapeString(s.Name), html.EscapeString(format(v)))
		}
	}
	fmt.Fprintf(&b, `<line class="base" x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f"/>`, axisLeft, chartW-axisRight, bottom, bottom)
	widest := 0
	for _, lb := range labels {
		widest = max(widest, len([]rune(lb)))
	}
	every := max(int(math.Ceil((float64(widest)*6.2+6)/slot)), 1) // 11-unit text is about 6 units a character
	if n <= 8 {
		every = 1 // a few categories: every name counts
	}
	for i, lb := range labels {
		if i%every == 0 {
			fmt.Fprintf(&b, `<text class="axis" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, axisLeft+float64(i)*slot+slot/2, bottom+14, html.EscapeString(lb))
		}
	}
	b.WriteString(`</svg></figure>`)
	return template.HTML(b.String()) // every text above is escaped
}

// alt is the chart's data as text, for screen readers.
func alt(labels []string, ss []Series, format func(float64) string) string {
	var parts []string
	for i, lb := range labels {
		var vs []string
		for _, s := range ss {
			if i < len(s.Values) && !math.IsNaN(s.Values[i]) {
				vs = append(vs, s.Name+" "+format(s.Values[i]))
			}
		}
		parts = append(parts, lb+": "+strings.Join(vs, ", "))
		if len(parts) == 40 {
			parts = append(parts, "…")
			break
		}
	}
	return strings.Join(parts, "; ")
}

// niceStep rounds a step up to 1, 2 or 5 times a power of ten.
func niceStep(x float64) float64 {
	if x <= 0 {
		return 1
	}
	e := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*e >= x {
			return m * e
		}
	}
	return 10 * e
}
