package queue

import "time"

// The forecast of demand (server/history) travels to the apps (the flow
// view's tomorrow) in these types: one definition for both sides, as the
// other wire types.

// DemandForecast is the expected demand of the coming days and the counters it
// needs, against the staffing plan.
type DemandForecast struct {
	Office    string    `json:"office"`
	From      string    `json:"from"`
	To        string    `json:"to"`
	Generated time.Time `json:"generated_at"`
	// Weeks of history averaged, and how many past days had figures.
	Weeks        int     `json:"weeks"`
	HistoryDays  int     `json:"history_days"`
	ServiceLevel float64 `json:"service_level"`
	// Plan says whether the office has a staffing plan to compare with.
	Plan bool        `json:"plan"`
	Days []DemandDay `json:"days"`
}

// DemandDay is one day's forecast.
type DemandDay struct {
	Date    string `json:"date"`
	Weekday string `json:"weekday"` // mon ... sun
	// Closed days have no hours; Holiday names the holiday that closes it.
	Closed    bool   `json:"closed,omitempty"`
	Holiday   string `json:"holiday,omitempty"`
	HolidayEN string `json:"holiday_en,omitempty"`
	// Peaks are the scadenziario's periods that day.
	Peaks []string `json:"peaks,omitempty"`
	// Arrivals are the walk-ins expected (issued or turned away by a
	// cut-off), Booked the appointments already booked.
	Arrivals float64 `json:"arrivals"`
	Booked   int     `json:"booked"`
	// NoHistory: no past day of this weekday to learn from.
	NoHistory bool `json:"no_history,omitempty"`
	// Needed is the most counters needed in any hour; Planned the
	// counters the plan has then; Short the hours the plan falls short.
	Needed   int                `json:"counters_needed"`
	Planned  float64            `json:"counters_planned"`
	Short    int                `json:"short_hours"`
	Services []DemandServiceDay `json:"services"`
	Hours    []DemandHour       `json:"hours"`
}

// DemandServiceDay is a service's expected demand on a day.
type DemandServiceDay struct {
	Service  string   `json:"service"`
	Arrivals float64  `json:"arrivals"`
	Booked   int      `json:"booked"`
	Factor   float64  `json:"factor"` // the calendar's, 1 outside any peak
	Peaks    []string `json:"peaks,omitempty"`
}

// DemandHour is one hour of a day: per service, and per lane pooled,
// since a polyfunctional desk serves whoever comes.
type DemandHour struct {
	Hour     int                 `json:"hour"`
	Services []DemandServiceHour `json:"services"`
	Lanes    []DemandLaneHour    `json:"lanes"`
	Needed   int                 `json:"counters_needed"`
	Planned  float64             `json:"counters_planned"`
	Short    bool                `json:"short,omitempty"`
}

// DemandServiceHour is a service's hour: its demand, the counters it would need
// alone to call ServiceLevel of its citizens within its target wait, and
// the planned counters that may serve it (a polyvalent counter counts for
// each of its services).
type DemandServiceHour struct {
	Service     string  `json:"service"`
	Arrivals    float64 `json:"arrivals"`
	Booked      int     `json:"booked"`
	Load        float64 `json:"load"` // erlangs
	ServiceTime float64 `json:"service_time_s"`
	Target      float64 `json:"target_wait_s"`
	Needed      int     `json:"counters_needed"`
	Planned     float64 `json:"counters_planned"`
}

// DemandLaneHour is a lane's hour, its services pooled: the counters needed if
// any of the lane's counters serves any of its citizens, within the
// strictest target of its services, against the lane's planned counters.
type DemandLaneHour struct {
	Lane     Lane    `json:"lane"`
	Arrivals float64 `json:"arrivals"`
	Load     float64 `json:"load"`
	Needed   int     `json:"counters_needed"`
	Planned  float64 `json:"counters_planned"`
	Short    bool    `json:"short,omitempty"`
}
