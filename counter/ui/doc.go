// Package ui is the clerk's console: the login, the choice of the services
// served today, and the desk where the clerk calls, serves and closes
// tickets. A Console holds the state and the widgets it needs to reach; it
// speaks to the server only through server/client and follows the counter
// live through a client.Stream.
//
// Threading: every widget is touched only by functions passed to
// Options.Do (fyne.Do in the app). Server calls run on their own
// goroutines, so that a slow or unreachable server never freezes the
// window, and hand their results back through Do.
package ui
