package backoffice

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestBarChartEscapesAndScales(t *testing.T) {
	svg := string(BarChart(`Attese <"a&b">`, []string{"<lun>", "mar"}, []Series{
		{Name: "mediana", Values: []float64{12, math.NaN()}, Class: "c1"},
		{Name: "90°", Values: []float64{30, 45}, Class: "c2"},
	}, 100, func(x float64) string { return fmt.Sprintf("%.0f", x) }))
	for _, bad := range []string{"<lun>", `<"a&b">`} {
		if strings.Contains(svg, bad) {
			t.Errorf("unescaped %q in %s", bad, svg)
		}
	}
	if n := strings.Count(svg, "<rect"); n != 3 { // the NaN draws nothing
		t.Errorf("got %d bars, want 3", n)
	}
	// The axis reaches the largest value with a round step: 0 20 40 60.
	for _, tick := range []string{">0<", ">20<", ">40<", ">60<"} {
		if !strings.Contains(svg, tick) {
			t.Errorf("no tick %s", tick)
		}
	}
	if !strings.Contains(svg, `aria-label="Attese &lt;&#34;a&amp;b&#34;&gt;: &lt;lun&gt;: mediana 12, 90° 30; mar: 90° 45"`) {
		t.Errorf("the text alternative: %s", svg)
	}
	if empty := string(BarChart("x", nil, nil, 50, func(float64) string { return "" })); strings.Contains(empty, "<rect") {
		t.Error("an empty chart has bars")
	}
}

func TestLoginPage(t *testing.T) {
	var buf bytes.Buffer
	if err := Render(&buf, Page{Lang: "en", Office: "Ufficio <Prova>", Error: "Unknown user <or> wrong password."}); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, want := range []string{`<html lang="en">`, "Back-office login", "Ufficio &lt;Prova&gt;", "Unknown user &lt;or&gt; wrong password.", `type="password"`, `lang="it"`} {
		if !strings.Contains(html, want) {
			t.Errorf("no %q", want)
		}
	}
	if strings.Contains(html, "<svg") || strings.Contains(html, "Log out") {
		t.Error("the login page shows the report")
	}
}
