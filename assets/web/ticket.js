// The phone's ticket page: follows one ticket on the live stream
// (docs/stream.md) and says plainly where it stands. No build step.
"use strict";

(function () {
  const lang = (navigator.language || "it").toLowerCase().startsWith("it") ? "it" : "en";
  const T = {
    it: {
      ahead: "Persone prima di Lei", eta: "Attesa stimata", about: "circa {m} min", between: "tra {l} e {h} min", soon: "a momenti",
      turn: "È il Suo turno!", go: "Si rechi a:", calledAgain: "La stanno richiamando",
      serving: "Servizio in corso", done: "Servizio concluso. Grazie della visita.",
      noshow: "Turno perso: alla chiamata nessuno si è presentato allo sportello. Chieda all'accoglienza se il biglietto può essere riattivato.",
      expired: "Turno scaduto: la giornata dell'ufficio è finita. Prenda un nuovo biglietto.",
      waiting: "Resti nei paraggi: questa pagina si aggiorna da sola e suona quando tocca a Lei.",
      unknown: "Biglietto non trovato. Controlli il link o il codice QR.",
      failed: "Impossibile seguire questo biglietto.",
      connecting: "Connessione…", live: "Aggiornato in tempo reale",
      lost: "Connessione persa. Nuovo tentativo tra {s} s…",
      busy: "Questo biglietto è già aperto su troppi schermi. Nuovo tentativo tra {s} s…",
      sound: "Attivi il suono", soundOn: "Suono attivo ✓",
      priority: "priorità",
      rateQuestion: "Com'è andata allo sportello?", rateThanks: "Grazie del Suo giudizio.",
      rateFailed: "Non è stato possibile registrare il giudizio. Riprovi.",
      faces: ["Male", "Non bene", "Così così", "Bene", "Molto bene"],
      issued: "Emesso alle {t}", issuedOn: "Emesso il {d} alle {t}", called: "chiamato alle {t}",
    },
    en: {
      ahead: "People ahead of you", eta: "Estimated wait", about: "about {m} min", between: "between {l} and {h} min", soon: "any moment now",
      rateQuestion: "How did it go at the counter?", rateThanks: "Thank you for your rating.",
      rateFailed: "Your rating could not be recorded. Please try again.",
      faces: ["Bad", "Not good", "So-so", "Good", "Very good"],
      turn: "It's your turn!", go: "Go to", calledAgain: "You are being called again",
      serving: "You are at the counter", done: "Served. Thank you for your visit.",
      noshow: "Missed: you did not come when you were called. Ask at the information desk whether it can be reactivated.",
      expired: "Expired: the office's day has ended. Please take a new ticket.",
      waiting: "Stay nearby: this page updates by itself and rings when it is your turn.",
      unknown: "Ticket not found. Check the link or the QR code.",
      failed: "This ticket cannot be followed.",
      connecting: "Connecting…", live: "Live updates",
      lost: "Connection lost. Retrying in {s} s…",
      busy: "This ticket is open on too many screens. Retrying in {s} s…",
      sound: "Turn on sound", soundOn: "Sound on ✓",
      priority: "priority",
      issued: "Issued at {t}", issuedOn: "Issued on {d} at {t}", called: "called at {t}",
    },
  }[lang];
  document.documentElement.lang = lang;

  const $ = (id) => document.getElementById(id);
  const app = $("app");
  const id = decodeURIComponent(location.pathname.split("/").pop() || "");
  $("ahead-label").textContent = T.ahead;
  $("eta-label").textContent = T.eta;

  let audio = null;
  let lastAlert = ""; // status and recall count of the last alert, so it rings once per call
  const sound = $("sound");
  sound.textContent = T.sound;
  sound.hidden = !(window.AudioContext || window.webkitAudioContext);
  // Phones only play sound after a tap: the button unlocks it.
  sound.addEventListener("click", () => {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      audio.resume();
      sound.textContent = T.soundOn;
      beep(0.15);
    } catch (e) { sound.hidden = true; }
  });

  function beep(seconds) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      [0, 0.3].forEach((at) => {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.frequency.value = 880;
        gain.gain.setValueAtTime(0.0001, audio.currentTime + at);
        gain.gain.exponentialRampToValueAtTime(0.3, audio.currentTime + at + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + at + seconds);
        osc.connect(gain).connect(audio.destination);
        osc.start(audio.currentTime + at);
        osc.stop(audio.currentTime + at + seconds + 0.05);
      });
    } catch (e) { /* no sound on this browser: the screen still says it */ }
  }

  function alertTurn() {
    // Browsers vibrate only for a page the citizen has touched.
    const touched = !navigator.userActivation || navigator.userActivation.hasBeenActive;
    if (navigator.vibrate && touched) navigator.vibrate([300, 150, 300, 150, 600]);
    beep(0.25);
  }

  // Times are the office's, whatever the phone's zone: the server names the
  // zone in the page. Without it (or a browser that does not know it) no
  // time is shown rather than a wrong one.
  const zone = (document.querySelector('meta[name="timezone"]') || {}).content || "";
  let clock = null, calendar = null, isoDate = null;
  try {
    const locale = lang === "it" ? "it-IT" : "en-GB";
    clock = new Intl.DateTimeFormat(locale, { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    calendar = new Intl.DateTimeFormat(locale, { timeZone: zone, day: "2-digit", month: "2-digit", year: "numeric" });
    isoDate = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" });
    if (!zone) clock = null;
  } catch (e) { clock = null; }

  function times(t) {
    if (!clock || !t.issued_at) return "";
    const issued = new Date(t.issued_at);
    const today = isoDate.format(new Date()) === t.day;
    let text = (today ? T.issued : T.issuedOn.replace("{d}", calendar.format(issued))).replace("{t}", clock.format(issued));
    if (t.called_at) text += " · " + T.called.replace("{t}", clock.format(new Date(t.called_at)));
    return text;
  }

  // The server rounds the forecast as every surface shows it
  // (queue.Wait.Readable); the page only words it.
  function wait(r) {
    if (!r) return "–";
    if (!r.about) return T.between.replace("{l}", r.low || 0).replace("{h}", r.high || 0);
    return r.minutes ? T.about.replace("{m}", r.minutes) : T.soon;
  }

  function render(t) {
    app.dataset.status = t.status;
    $("number").textContent = t.number;
    $("service").textContent = (lang === "it" ? t.service_name_it || t.service_name_en : t.service_name_en || t.service_name_it) +
      (t.priority ? " · " + T.priority : "");
    document.title = t.number + " · Turno";
    $("times").textContent = times(t);
    const waiting = t.status === "waiting";
    $("wait").hidden = !waiting;
    if (waiting) {
      $("ahead").textContent = t.ahead != null ? String(t.ahead) : "–";
      $("eta").textContent = wait(t.wait_readable);
    }
    const atCounter = t.status === "called" || t.status === "serving";
    $("turn").hidden = !atCounter;
    if (atCounter) {
      const where = t.counter_name || t.counter || "";
      $("turn-title").textContent = t.status === "serving" ? T.serving : t.recalls ? T.calledAgain : T.turn;
      $("turn-counter").textContent = t.status === "serving" ? where : T.go + " " + where;
    }
    $("message").textContent = { waiting: T.waiting, done: T.done, noshow: T.noshow, expired: T.expired }[t.status] || "";
    // One question, once, after the service: anonymous, 1 to 5.
    const rate = t.status === "done" && (t.ratable || t.rated);
    $("rate").hidden = !rate;
    if (rate) {
      $("faces").hidden = !!t.rated;
      $("rate-thanks").hidden = !t.rated;
      if (t.rated) $("rate-thanks").textContent = T.rateThanks;
    }
    // The sound matters until the call; after it, the button would only
    // be in the way of the question.
    if (t.status !== "waiting" && t.status !== "called") sound.hidden = true;
    const key = t.status + "/" + (t.recalls || 0);
    if (t.status === "called" && key !== lastAlert) alertTurn();
    lastAlert = key;
  }

  $("rate-question").textContent = T.rateQuestion;
  document.querySelectorAll("#faces button").forEach((b, i) => {
    b.setAttribute("aria-label", (i + 1) + " · " + T.faces[i]);
    b.title = T.faces[i];
    b.addEventListener("click", () => rateTicket(Number(b.dataset.score)));
  });
  function rateTicket(score) {
    const buttons = document.querySelectorAll("#faces button");
    buttons.forEach((b) => { b.disabled = true; });
    fetch("/api/v1/tickets/" + id + "/rating", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ score: score }),
    }).then((r) => r.ok ? null : r.json().then((e) => (e.error || {}).code)).then((code) => {
      if (code && code !== "already_rated") throw new Error(code);
      $("faces").hidden = true;
      $("rate-thanks").hidden = false;
      $("rate-thanks").textContent = T.rateThanks;
    }).catch(() => {
      buttons.forEach((b) => { b.disabled = false; });
      $("rate-thanks").hidden = false;
      $("rate-thanks").textContent = T.rateFailed;
    });
  }

  function fail(message) {
    app.dataset.status = "error";
    $("message").textContent = message;
    $("wait").hidden = true;
    $("turn").hidden = true;
    $("conn").textContent = "";
  }

  // Reconnect with backoff (1 s doubling to 30 s, with jitter); a refusal
  // that retrying cannot fix stops it.
  let delay = 1000;
  let stopped = false;
  let busy = false; // refused as followed on too many screens
  function connect() {
    const conn = $("conn");
    conn.className = "conn";
    conn.textContent = T.connecting;
    const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/api/v1/stream");
    ws.onopen = () => ws.send(JSON.stringify({ ticket: id }));
    ws.onmessage = (msg) => {
      let f;
      try { f = JSON.parse(msg.data); } catch (e) { return; }
      if (f.type === "ticket" && f.ticket) {
        delay = 1000;
        conn.className = "conn";
        conn.textContent = T.live;
        render(f.ticket);
      } else if (f.type === "error") {
        const code = f.error && f.error.code;
        if (code === "too_many_streams") {
          // Followed on too many screens: try again now and then, slowly.
          busy = true;
          delay = Math.max(delay, 30000);
        } else if (code !== "unavailable" && code !== "internal" && code !== "subscribe_timeout") {
          stopped = true;
          fail(code === "unknown_ticket" ? T.unknown : T.failed);
        }
      }
    };
    ws.onclose = () => {
      if (stopped) return;
      const wait = delay / 2 + Math.random() * delay / 2;
      delay = Math.min(delay * 2, busy ? 60000 : 30000);
      conn.className = "conn lost";
      conn.textContent = (busy ? T.busy : T.lost).replace("{s}", Math.ceil(wait / 1000));
      busy = false;
      setTimeout(connect, wait);
    };
  }
  if (!/^[0-9a-f]{32}$/.test(id)) {
    fail(T.unknown);
  } else {
    connect();
  }
})();
