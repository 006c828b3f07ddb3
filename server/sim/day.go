package sim

import (
	"container/heap"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"turno/server/queue"
)

// tickEvery is the server's housekeeping timer: with no command, the office
// still announces its numerators' changes this often.
const tickEvery = 15 * time.Second

// What happens during a day, in the agenda.
type action uint8

const (
	actTick   action = iota // the server's timer: Run with no command
	actArrive               // a citizen takes a ticket
	actLogin                // a clerk opens a counter
	actReady                // a free clerk calls the next
	actStart                // the citizen reached the desk
	actRecall               // the called citizen did not come
	actFinish               // the service ends
	actLeave                // the shift ends (closing, or a departure)
)

type item struct {
	at  time.Time
	seq uint64 // ties go in the order things were planned: deterministic
	act action
	who int // citizen or shift index
}

type agenda []item

func (a agenda) Len() int { return len(a) }
func (a agenda) Less(i, j int) bool {
	if !a[i].at.Equal(a[j].at) {
		return a[i].at.Before(a[j].at)
	}
	return a[i].seq < a[j].seq
}
func (a agenda) Swap(i, j int) { a[i], a[j] = a[j], a[i] }
func (a *agenda) Push(x any)   { *a = append(*a, x.(item)) }
func (a *agenda) Pop() any {
	old := *a
	it := old[len(old)-1]
	*a = old[:len(old)-1]
	return it
}

// outcome is what happened to one citizen.
type outcome struct {
	ticket  string
	refused string // the refusal's rule, when turned away
	// promise is the ticket's EstimatedWait and range right after issue;
	// others are the estimators' promises, in Options order.
	promise queue.Wait
	others  []promise
	called  bool
	// calledAt is the first call.
	calledAt time.Time
	endAt    time.Time // finished or marked no-show
	served   bool
	noShow   bool
	// left: still waiting when the last counter closed after closing.
	left bool
}

type promise struct {
	w  queue.Wait
	ok bool
}

// clerk is a shift being played.
type clerk struct {
	sh      Shift
	rng     *rand.Rand
	open    bool
	pending bool // a ready is on the agenda
	current int  // the citizen at the desk, or -1
	// ticket is the current citizen's ticket id.
	ticket   string
	closedAt time.Time
}

// dayResult is a played day.
type dayResult struct {
	outcomes []outcome
	// overtime is, summed over the day's closings, how long past each the
	// last clerk of that closing closed the counter.
	overtime time.Duration
	// flaps are numerators cut off by load that reopened in the same
	// opening: when the cut happened, and how long it lasted.
	flaps []flap
	// office is the office after the day, for tests.
	office *queue.Office
}

type flap struct {
	at   time.Time
	lull time.Duration
	// atOpening: the cut came while clerks were logging in (within the
	// login delay plus five minutes of the service's opening).
	atOpening bool
}

// dayRun plays a day's plan through a real queue.Office, only by
// Office.Run, the way the server steps it.
type dayRun struct {
	cfg        *queue.Config
	p          *Profile
	plan       *dayPlan
	o          *queue.Office
	now        time.Time
	agenda     agenda
	seq        uint64
	clerks     []*clerk
	out        []outcome
	byTicket   map[string]int
	issued     []int // citizens in issue order
	estimators []Estimator
	truth      Truth
	keepLog    bool
	log        []queue.Event
	cutByLoad  map[string]time.Time // numerators cut off by load, since when
	overtime   map[time.Time]time.Duration
	res        dayResult
	err        error
}

// playDay plays plan on a fresh office of cfg. Estimators make their
// promises at each issue; a nil truth.ServiceTimes means none is asked.
func playDay(cfg *queue.Config, p *Profile, dp *dayPlan, seed uint64, estimators []Estimator, truth Truth) (*dayResult, error) {
	r := &dayRun{
		cfg: cfg, p: p, plan: dp, o: queue.NewOffice(cfg),
		out: make([]outcome, len(dp.citizens)), byTicket: map[string]int{},
		estimators: estimators, truth: truth, cutByLoad: map[string]time.Time{},
		overtime: map[time.Time]time.Duration{},
	}
	for _, e := range estimators {
		if _, naive := e.(Naive); !naive {
			r.keepLog = true
		}
	}
	ids := 0
	r.o.NewID = func() string { ids++; return "t" + strconv.Itoa(ids) } // deterministic; nobody guesses here
	codes := 0
	r.o.NewCode = func() string { codes++; return fmt.Sprintf("C%05d", codes) }
	r.truth.Shifts = dp.shifts
	first, last := r.bounds()
	for i, sh := range dp.shifts {
		r.clerks = append(r.clerks, &clerk{sh: sh, rng: stream(seed, streamClerk, dp.index, i), current: -1})
		r.schedule(sh.Login, actLogin, i)
		r.schedule(sh.End, actLeave, i)
	}
	for i, c := range dp.citizens {
		r.schedule(c.arrive, actArrive, i)
	}
	if len(dp.books) > 0 { // the agenda, booked on the days before
		r.now = dp.date.Add(-12 * time.Hour)
		for _, book := range dp.books {
			if err := r.step(book); err != nil {
				return nil, fmt.Errorf("day %s: book: %w", dp.date.Format(queue.DayLayout), err)
			}
		}
	}
	r.schedule(first, actTick, 0)
	for r.agenda.Len() > 0 && r.err == nil {
		it := heap.Pop(&r.agenda).(item)
		r.now = it.at
		switch it.act {
		case actTick:
			r.step(nil)
			if next := r.now.Add(tickEvery); next.Before(last) {
				r.schedule(next, actTick, 0)
			}
		case actArrive:
			r.arrive(it.who)
		case actLogin:
			r.login(it.who)
		case actReady:
			r.ready(it.who)
		case actStart:
			r.start(it.who)
		case actRecall:
			r.recall(it.who)
		case actFinish:
			r.finish(it.who)
		case actLeave:
			if c := r.clerks[it.who]; c.open && c.current < 0 && !c.pending {
				r.close(it.who)
			}
		}
	}
	if r.err != nil {
		return nil, fmt.Errorf("day %s: %w", dp.date.Format(queue.DayLayout), r.err)
	}
	r.sweep()
	r.res.outcomes = r.out
	for _, d := range r.overtime {
		r.res.overtime += d
	}
	r.res.office = r.o
	return &r.res, nil
}

// bounds is when the server's timer runs: from before the first opening to
// the last closing plus the overtime limit.
func (r *dayRun) bounds() (first, last time.Time) {
	spans := officeSpans(r.cfg, r.plan.date.Add(12*time.Hour))
	for _, s := range r.cfg.Services {
		spans = append(spans, r.cfg.Spans(&s, r.plan.date.Add(12*time.Hour))...)
	}
	first = r.plan.date.Add(24 * time.Hour)
	last = r.plan.date
	for _, sp := range spans {
		first, last = min64(first, sp.Open), max64(last, sp.Close)
	}
	for _, c := range r.plan.citizens {
		first = min64(first, c.arrive)
	}
	for _, sh := range r.plan.shifts {
		first = min64(first, sh.Login)
	}
	return first.Add(-15 * time.Minute), last.Add(r.p.OvertimeLimit)
}

func (r *dayRun) schedule(at time.Time, act action, who int) {
	r.seq++
	heap.Push(&r.agenda, item{at: at, seq: r.seq, act: act, who: who})
}

func (r *dayRun) fail(err error) {
	if r.err == nil {
		r.err = fmt.Errorf("%s: %w", r.now.In(r.cfg.Location).Format("15:04:05"), err)
	}
}

// step is one Office.Run: the day's rollover, cmd, the numerators' changes.
func (r *dayRun) step(cmd queue.Command) error {
	events, err := r.o.Run(r.now, cmd)
	if r.keepLog {
		r.log = append(r.log, events...)
	}
	for i := range events {
		ev := &events[i]
		switch ev.Type {
		case queue.EventServiceCutoff:
			if ev.Refusal != nil && ev.Refusal.Rule == queue.RuleCutoffLoad {
				r.cutByLoad[ev.Service] = ev.At
			} else {
				delete(r.cutByLoad, ev.Service)
			}
		case queue.EventServiceReopened:
			if since, ok := r.cutByLoad[ev.Service]; ok {
				sp, _ := spanAt(r.cfg, r.cfg.Service(ev.Service), since)
				early := since.Sub(sp.Open) <= r.p.LoginDelay+5*time.Minute
				r.res.flaps = append(r.res.flaps, flap{at: since, lull: ev.At.Sub(since), atOpening: early})
			}
			delete(r.cutByLoad, ev.Service)
		case queue.EventServiceClosed:
			delete(r.cutByLoad, ev.Service)
		}
	}
	return err
}

// ticketStep runs a command that returns a ticket.
func (r *dayRun) ticketStep(cmd func(now time.Time, o *queue.Office) ([]queue.Event, *queue.Ticket, error)) (*queue.Ticket, error) {
	var t *queue.Ticket
	err := r.step(func(now time.Time, o *queue.Office) ([]queue.Event, error) {
		events, tk, err := cmd(now, o)
		t = tk
		return events, err
	})
	return t, err
}

func (r *dayRun) arrive(i int) {
	c := &r.plan.citizens[i]
	issue := c.issue
	if issue == nil {
		issue = func(now time.Time, o *queue.Office) ([]queue.Event, *queue.Ticket, error) {
			return o.Issue(now, queue.IssueRequest{Service: c.service, Priority: c.priority, Channel: "kiosk"}, queue.Actor{Name: "kiosk"})
		}
	}
	t, err := r.ticketStep(issue)
	var refusal *queue.Refusal
	var checkIn *queue.CheckInRefusal
	switch {
	case errors.As(err, &refusal):
		r.out[i].refused = refusal.Rule // the citizen goes home
		return
	case errors.As(err, &checkIn):
		r.out[i].refused = "checkin_" + checkIn.Reason // asked to book again
		return
	case err != nil:
		r.fail(fmt.Errorf("issue a ticket for %s: %w", c.service, err))
		return
	case t == nil:
		r.fail(fmt.Errorf("issue a ticket for %s: no ticket", c.service))
		return
	}
	out := &r.out[i]
	out.ticket = t.ID
	r.byTicket[t.ID] = i
	r.issued = append(r.issued, i)
	t = r.o.Ticket(t.ID)
	out.promise = ticketPromise(r.o, t, r.now)
	if len(r.estimators) > 0 {
		in := PromiseInput{Now: r.now, Office: r.o, Ticket: t, Log: r.log, Truth: r.truth}
		for _, j := range r.issued {
			in.Issued = append(in.Issued, r.o.Ticket(r.out[j].ticket))
		}
		for _, e := range r.estimators {
			w, ok := e.Promise(in)
			out.others = append(out.others, promise{w: w, ok: ok})
		}
	}
	for k, cl := range r.clerks { // idle clerks see the new ticket on their console
		if cl.open && cl.current < 0 && !cl.pending && slices.Contains(cl.sh.Services, t.Service) {
			r.readyLater(k)
		}
	}
}

// ticketPromise is the wait printed on a ticket just issued: its place's
// estimate and range (what the kiosk, the PDF and the phone page show).
func ticketPromise(o *queue.Office, t *queue.Ticket, now time.Time) queue.Wait {
	pos, _ := o.PositionAt(now, t)
	return pos.Wait
}

func (r *dayRun) actor(k int) queue.Actor { return queue.Actor{Name: r.clerks[k].sh.Clerk} }

// readyLater makes clerk k call the next after a short pause.
func (r *dayRun) readyLater(k int) {
	cl := r.clerks[k]
	cl.pending = true
	r.schedule(r.now.Add(time.Duration(cl.rng.Float64()*float64(r.p.CallGap))), actReady, k)
}

func (r *dayRun) login(k int) {
	cl := r.clerks[k]
	if !r.now.Before(cl.sh.End) {
		return // the desk was busy for the whole shift
	}
	if c := r.o.Counter(cl.sh.Counter); c != nil && c.State != queue.CounterClosed {
		// The previous shift at this desk is still past its closing with a
		// citizen: the clerk waits for the desk.
		r.schedule(r.now.Add(time.Minute), actLogin, k)
		return
	}
	err := r.step(func(now time.Time, o *queue.Office) ([]queue.Event, error) {
		return o.Open(now, cl.sh.Counter, cl.sh.Services, r.actor(k))
	})
	if err != nil {
		r.fail(fmt.Errorf("%s opens counter %s: %w", cl.sh.Clerk, cl.sh.Counter, err))
		return
	}
	cl.open = true
	r.readyLater(k)
}

func (r *dayRun) ready(k int) {
	cl := r.clerks[k]
	cl.pending = false
	if !cl.open || cl.current >= 0 {
		return
	}
	if (cl.sh.Leaves && !r.now.Before(cl.sh.End)) || !r.now.Before(cl.sh.Closing.Add(r.p.OvertimeLimit)) {
		r.close(k)
		return
	}
	t, err := r.ticketStep(func(now time.Time, o *queue.Office) ([]queue.Event, *queue.Ticket, error) {
		return o.Next(now, cl.sh.Counter, r.actor(k))
	})
	switch {
	case errors.Is(err, queue.ErrQueueEmpty):
		if !r.now.Before(cl.sh.End) {
			r.close(k) // closing time and nobody left for this counter
		}
		return // idle until a ticket for it is issued
	case err != nil:
		r.fail(fmt.Errorf("%s calls the next at counter %s: %w", cl.sh.Clerk, cl.sh.Counter, err))
		return
	}
	i, ok := r.byTicket[t.ID]
	if !ok {
		r.fail(fmt.Errorf("counter %s called %s, a ticket of nobody", cl.sh.Counter, t.Number))
		return
	}
	cl.current, cl.ticket = i, t.ID
	out := &r.out[i]
	if !out.called && !out.left {
		out.called, out.calledAt = true, r.now
	}
	c := &r.plan.citizens[i]
	if c.absent || out.left {
		r.schedule(r.now.Add(r.recallGap(cl)), actRecall, k)
		return
	}
	r.schedule(r.now.Add(min(20*time.Second, c.serviceTime/2)), actStart, k)
	r.schedule(r.now.Add(c.serviceTime), actFinish, k)
}

// recallGap is about RecallGap, give or take a sixth.
func (r *dayRun) recallGap(cl *clerk) time.Duration {
	return time.Duration(float64(r.p.RecallGap) * (5.0/6 + cl.rng.Float64()/3))
}

func (r *dayRun) start(k int) {
	cl := r.clerks[k]
	if _, err := r.ticketStep(func(now time.Time, o *queue.Office) ([]queue.Event, *queue.Ticket, error) {
		return o.Start(now, cl.sh.Counter, r.actor(k))
	}); err != nil {
		r.fail(fmt.Errorf("%s starts serving at counter %s: %w", cl.sh.Clerk, cl.sh.Counter, err))
	}
}

func (r *dayRun) recall(k int) {
	cl := r.clerks[k]
	t := r.o.Ticket(cl.ticket)
	if t.Recalls < r.cfg.Rules.MaxRecalls {
		if _, err := r.ticketStep(func(now time.Time, o *queue.Office) ([]queue.Event, *queue.Ticket, error) {
			return o.Recall(now, cl.sh.Counter, r.actor(k))
		}); err != nil {
			r.fail(fmt.Errorf("%s recalls %s: %w", cl.sh.Clerk, t.Number, err))
			return
		}
		r.schedule(r.now.Add(r.recallGap(cl)), actRecall, k)
		return
	}
	if _, err := r.ticketStep(func(now time.Time, o *queue.Office) ([]queue.Event, *queue.Ticket, error) {
		return o.NoShow(now, cl.sh.Counter, r.actor(k))
	}); err != nil {
		r.fail(fmt.Errorf("%s marks %s a no-show: %w", cl.sh.Clerk, t.Number, err))
		return
	}
	out := &r.out[cl.current]
	out.noShow = !out.left
	out.endAt = r.now
	r.free(k)
}

func (r *dayRun) finish(k int) {
	cl := r.clerks[k]
	if _, err := r.ticketStep(func(now time.Time, o *queue.Office) ([]queue.Event, *queue.Ticket, error) {
		return o.Finish(now, cl.sh.Counter, queue.FinishRequest{Outcome: queue.OutcomeResolved}, r.actor(k))
	}); err != nil {
		r.fail(fmt.Errorf("%s finishes at counter %s: %w", cl.sh.Clerk, cl.sh.Counter, err))
		return
	}
	out := &r.out[cl.current]
	out.served, out.endAt = true, r.now
	r.free(k)
}

func (r *dayRun) free(k int) {
	cl := r.clerks[k]
	cl.current, cl.ticket = -1, ""
	r.readyLater(k)
}

// close ends clerk k's shift. When the last open counter closes after a
// closing, whoever is still waiting goes home uncalled.
func (r *dayRun) close(k int) {
	cl := r.clerks[k]
	if err := r.step(func(now time.Time, o *queue.Office) ([]queue.Event, error) {
		return o.Close(now, cl.sh.Counter, false, r.actor(k))
	}); err != nil {
		r.fail(fmt.Errorf("%s closes counter %s: %w", cl.sh.Clerk, cl.sh.Counter, err))
		return
	}
	cl.open, cl.closedAt = false, r.now
	if cl.sh.Leaves {
		return
	}
	if ot := r.now.Sub(cl.sh.Closing); ot > r.overtime[cl.sh.Closing] {
		r.overtime[cl.sh.Closing] = ot
	}
	for _, other := range r.clerks {
		if other.open {
			return
		}
	}
	r.sweep()
}

// sweep marks every citizen still waiting as gone home uncalled.
func (r *dayRun) sweep() {
	for _, i := range r.issued {
		out := &r.out[i]
		if !out.called && !out.left {
			if t := r.o.Ticket(out.ticket); t != nil && t.Status == queue.StatusWaiting {
				out.left = true
			}
		}
	}
}
