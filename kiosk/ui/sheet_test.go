package ui

import (
	"reflect"
	"testing"
)

func TestSheetParts(t *testing.T) {
	md := "**Cosa portare / What to bring**\n- documento d'identità\n* codice **fiscale**\n\nSolo consegna:\nriceverà una [ricevuta](http://x).\n# Orari\n1. prima\n"
	var got []string
	var bold, bullet []bool
	for _, p := range sheetParts(md) {
		got = append(got, p.Text)
		bold = append(bold, p.Bold)
		bullet = append(bullet, p.Bullet)
	}
	want := []string{"Cosa portare / What to bring", "documento d'identità", "codice fiscale", "Solo consegna: riceverà una ricevuta.", "Orari", "1. prima"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if !reflect.DeepEqual(bold, []bool{true, false, false, false, true, false}) {
		t.Errorf("bold: got %v", bold)
	}
	if !reflect.DeepEqual(bullet, []bool{false, true, true, false, false, false}) {
		t.Errorf("bullets: got %v", bullet)
	}
}
