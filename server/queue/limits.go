package queue

// The limits of the free text a clerk types, for the apps to check before
// sending, in the clerk's words (counted in bytes, as the commands do).
const (
	MaxCaseRef  = maxCaseRef
	MaxNote     = maxNote
	MaxDocument = maxDocument
)
