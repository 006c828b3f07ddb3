// Package ui holds the hall display's two screens: the Board, which
// citizens read from ten metres (the calls, the queues, the services'
// states), and the Flow view, which the hall floor assistant keeps in hand
// all morning (queues against their targets, counters, alerts, and the
// actions that fix what the alerts show).
//
// Both speak to the server only through server/client and follow the office
// live through a client.Stream, which reconnects and catches up by itself.
// Each is laid out for its screen (the board 1920x1080, the flow view a
// 1280x800 tablet) in regions that never grow past it; fit_test.go holds
// the checker that fails a test when something does not fit.
// Time on screen (the clock, waits, idle times, alerts) comes from
// Options.Now, so tests drive it with the office's own clock.
//
// Threading: every widget is touched only inside Options.Do (fyne.Do in the
// app). The stream, the one-second ticker and the server calls run on their
// own goroutines and hand their results over through Do, so that a slow
// server never freezes the screen.
package ui
