package history

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// The CSV as a spreadsheet reads it: RFC 4180 records, a header, names
// with commas and quotes intact, UTF-8, and the Italian decimal comma.
func TestCSVOpensAsASpreadsheetReadsIt(t *testing.T) {
	r, _, _ := scripted(t)
	rep, err := r.Report(context.Background(), Query{From: scriptDay, To: scriptDay, Group: GroupDay, By: DimService})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		opt   CSVOptions
		comma rune
		point string
	}{
		{"international", CSVOptions{}, ',', "."},
		{"italian", CSVOptions{DecimalComma: true, BOM: true}, ';', ","},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteCSV(&buf, rep, tc.opt); err != nil {
				t.Fatal(err)
			}
			raw := buf.Bytes()
			if !utf8.Valid(raw) {
				t.Fatal("not UTF-8")
			}
			if bom := bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")); bom != tc.opt.BOM {
				t.Fatalf("BOM %v, want %v", bom, tc.opt.BOM)
			}
			if !bytes.HasSuffix(raw, []byte("\r\n")) || bytes.Count(raw, []byte("\r\n")) != bytes.Count(raw, []byte("\n")) {
				t.Fatal("records must end with CRLF (RFC 4180)")
			}
			cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))))
			cr.Comma = tc.comma
			records, err := cr.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			header := records[0]
			if header[0] != "period" || header[1] != "key" || header[2] != "name" || len(records) != 3 {
				t.Fatalf("got header %v and %d records", header, len(records))
			}
			col := func(name string) int {
				i := slices.Index(header, name)
				if i < 0 {
					t.Fatalf("no column %s in %v", name, header)
				}
				return i
			}
			ana, trib := records[1], records[2]
			if ana[col("name")] != "Anagrafe, stato civile" || trib[col("name")] != "Tributi (IMU, TARI)" || ana[col("period")] != scriptDay {
				t.Fatalf("names: got %q and %q", ana[col("name")], trib[col("name")])
			}
			// Anagrafe: waits 5, 9, 10 min; tributi: 19, 23, 37.
			num := func(s string) float64 {
				t.Helper()
				if strings.Contains(s, map[string]string{".": ",", ",": "."}[tc.point]) {
					t.Fatalf("%q has the wrong decimal separator", s)
				}
				x, err := strconv.ParseFloat(strings.Replace(s, tc.point, ".", 1), 64)
				if err != nil {
					t.Fatalf("%q: %v", s, err)
				}
				return x
			}
			if got := num(ana[col("wait_mean_min")]); got != 8 {
				t.Errorf("anagrafe wait_mean_min: got %v, want 8", got)
			}
			if got := num(trib[col("wait_mean_min")]); got != 26.33 {
				t.Errorf("tributi wait_mean_min: got %v, want 26.33", got)
			}
			if got := trib[col("wait_mean_min")]; got != "26"+tc.point+"33" {
				t.Errorf("tributi wait_mean_min: got %q, want 26%s33", got, tc.point)
			}
			if got := ana[col("filter_pct")]; got != "75" { // 3 resolved of 4
				t.Errorf("anagrafe filter_pct: got %q, want 75", got)
			}
			if got := trib[col("appointments_kept_pct")]; got != "" {
				t.Errorf("tributi has no appointments: got %q, want an empty cell", got)
			}
			if trib[col("turnaways_daily_cap")] != "1" || ana[col("ratings_5")] != "1" || ana[col("issued")] != "5" {
				t.Errorf("counts: %v", ana)
			}
		})
	}
}

func TestCSVOfTheWholeOfficeHasNoKeyColumns(t *testing.T) {
	r, _, _ := scripted(t)
	rep, err := r.Report(context.Background(), Query{From: scriptDay, To: "2026-03-04", Group: GroupDay})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, rep, CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if records[0][0] != "period" || records[0][1] != "days" || len(records) != 2 {
		t.Fatalf("got %v", records)
	}
}

func TestCSVTextIsNeverAFormula(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+39": "'+39", "-x": "'-x", "@SUM(A1)": "'@SUM(A1)", "Anagrafe": "Anagrafe", "": ""} {
		if got := safeText(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}
