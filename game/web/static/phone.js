// The phone page of a Second Chance workshop: shows the round in front of the room and casts this phone's ballot.
// Everything from the server is put in as text (textContent), never as markup. No framework, nothing fetched
// from anywhere but this page's own server.
"use strict";

(function () {
  const KEY = "second-chance-phone";
  const ENDED_CODE = 4000;
  const PAUSED_CODE = 4002;
  // A lost connection is tried again, more and more slowly, for this long; then the page says so and stops
  // (coming back to the page, or the network coming back, tries again).
  const GIVE_UP = 30 * 60 * 1000;
  const PAUSED = "The workshop is paused: the facilitator may pick it up again. This page comes back by itself when they do.";
  const code = (new URLSearchParams(location.search).get("code") || "").trim();
  const $ = (id) => document.getElementById(id);

  const STATUS = {
    discussion: "Discussion: voting has not opened yet.",
    voting: "Voting is open: tap your choice.",
    locked: "Voting has closed. The tally comes next.",
    revealed: "The votes are in.",
    decided: "",
  };
  // While the workshop is paused or has ended, the vote in front of the room is not open to this phone, whatever
  // the last state said.
  // Only an open vote takes a tap to send later.
  const STOPPED = {
    paused: "Voting is paused with the workshop. A vote you tap now is sent when it comes back.",
    pausedEarly: "Discussion: voting has not opened yet, and the workshop is paused.",
    over: "Voting has stopped: the workshop has ended.",
  };

  let token = loadToken();
  let ws = null;
  let attempts = 0;
  let retryTimer = null;
  let over = false;
  let paused = false;
  let frozen = null;  // the seconds left when the workshop paused, shown until a new state comes
  let lostSince = null;
  let gaveUp = false;
  let busy = "";  // why the server turned this page away for now (the vote is full, too many pages from here)
  let state = null;
  let mine = { round: null, option: null };
  let feedback = "";
  let optionsKey = "";
  let buttons = new Map();
  let endingsSeen = 0;
  let deadline = null;
  let ticker = null;
  // A vote sent and not yet acknowledged: sent again (same token, same round, so counted once) when the page
  // reconnects, and never left saying "Sending..." for good.
  const ACK_WAIT = 4000;
  let pending = null;
  let pendingTimer = null;
  let asked = { id: null, mine: [], left: null, feedback: "", sending: "" };

  function loadToken() {
    let saved = null;
    try { saved = localStorage.getItem(KEY); } catch (e) { saved = null; }
    if (saved && /^[A-Za-z0-9_-]{16,64}$/.test(saved)) return saved;
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    const fresh = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    try { localStorage.setItem(KEY, fresh); } catch (e) { /* private browsing: the token lasts this page */ }
    return fresh;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setText(id, text) {
    const node = $(id);
    if (node.textContent !== text) node.textContent = text;
  }

  function show(id, visible) { $(id).hidden = !visible; }

  // -- the connection ------------------------------------------------------------------------------------

  function connect() {
    clearTimeout(retryTimer);
    retryTimer = null;
    if (over || gaveUp || (ws && ws.readyState <= 1)) return;
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    let socket;
    try {
      socket = new WebSocket(scheme + "//" + location.host + "/ws?code=" + encodeURIComponent(code));
    } catch (e) {
      retry();
      return;
    }
    ws = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      socket.send(JSON.stringify({ type: "hello", token: token }));
    };
    socket.onmessage = (event) => { if (socket === ws) receive(event.data); };
    socket.onclose = (event) => {
      if (socket !== ws) return;
      ws = null;
      if (asked.sending) {  // the idea is still in its box: nothing is lost, and the phone says so
        asked.feedback = "The connection dropped before the room confirmed your idea: send it again once connected.";
      }
      asked.sending = "";
      if (over) return;
      if (event.code === ENDED_CODE) { finish(""); return; }
      if (event.code === PAUSED_CODE) { paused = true; render(); }
      if (opened) retry(); else checkCode();
    };
  }

  // Try again, more and more slowly (at most every 15 s), for GIVE_UP at most: a workshop paused by the
  // facilitator, a crash or the laptop shutting down comes back where it was, and the page with it.
  function retry() {
    if (lostSince === null) lostSince = Date.now();
    if (Date.now() - lostSince > GIVE_UP) { giveUp(); return; }
    attempts += 1;
    const delay = Math.min(15000, 500 * Math.pow(2, Math.min(attempts, 5))) * (0.75 + Math.random() * 0.5);
    const wait = "trying again in " + Math.ceil(delay / 1000) + " s…";
    setText("connection", busy ? busy + " (" + wait + ")" : paused ? PAUSED + " (" + wait + ")"
      : "Connection lost: " + wait);
    retryTimer = setTimeout(connect, delay);
  }

  function giveUp() {
    gaveUp = true;
    clearTimeout(retryTimer);
    setText("connection", "The workshop has not come back. Reload this page when the facilitator says it is back.");
    $("connection").className = "connection problem";
  }

  // A socket that never opened: the server may be gone, or running a new session with a new code.
  function checkCode() {
    fetch(location.pathname + "?code=" + encodeURIComponent(code), { method: "HEAD", cache: "no-store" })
      .then((response) => {
        if (response.status === 403) {
          over = true;
          setText("connection", "That code is not right any more: check the screen, and join again.");
          $("connection").className = "connection problem";
        } else {
          retry();
        }
      }, retry);
  }

  function reconnectNow() {
    if (!over && !ws && !document.hidden) {
      attempts = 0;
      if (gaveUp) { gaveUp = false; lostSince = null; }
      connect();
    }
  }

  function finish(message) {
    over = true;
    clearTimeout(retryTimer);
    clearTimeout(pendingTimer);
    setText("connection", message || "The workshop has ended: thank you for voting. You can close this page.");
    for (const button of buttons.values()) if (button.tagName === "BUTTON") button.disabled = true;
    render();
  }

  // -- messages from the server -----------------------------------------------------------------------

  function receive(text) {
    let message;
    try { message = JSON.parse(text); } catch (e) { return; }
    if (!message || typeof message !== "object") return;
    switch (message.type) {
      case "welcome": welcome(message); break;
      case "state":
        attempts = 0;
        lostSince = null;
        paused = false;
        busy = "";
        setText("connection", "Connected.");
        $("connection").className = "connection";
        if (message.round !== mine.round) { mine = { round: message.round, option: null }; feedback = ""; }
        if (state && message.phase !== state.phase) feedback = "";
        state = message;
        // the countdown's end, from the server's time as this state says it: a redraw never moves it back
        deadline = message.timer && !message.timer.paused ? Date.now() + message.timer.remaining * 1000 : null;
        frozen = null;
        settlePending();
        render();
        break;
      case "you":
        if (message.option === null && !pending && mine.round === message.round && mine.option !== null) {
          // The room has no vote of ours in the round this page saw its vote counted in: the laptop lost it
          // (a power cut between the vote and the next save, then the workshop picked up from its log). Send
          // it again; the state that follows sends it if voting is still open.
          pending = { round: mine.round, option: mine.option, socket: null };
        } else if (!state || message.round === state.round) {
          mine = { round: message.round, option: message.option };
        }
        if (pending && message.round === pending.round && message.option === pending.option) {
          confirmed("Vote received: you can change it until voting closes.");  // it arrived before the drop
        }
        render();
        break;
      case "ack":
        if (state && message.round === state.round) {
          mine = { round: message.round, option: message.option };
          feedback = String(message.message || "");
        }
        if (pending && message.round === pending.round) confirmed(feedback);
        render();
        break;
      case "idea-ack":
        if (message.question === asked.id && asked.sending) {
          asked.mine.push(asked.sending);
          $("idea-text").value = "";
        }
        asked.sending = "";
        asked.left = Number(message.left);
        asked.feedback = String(message.message || "");
        render();
        break;
      case "error":
        if (message.idea) {
          asked.sending = "";
          asked.feedback = String(message.message || "That did not work.");
          render();
          break;
        }
        feedback = String(message.message || "That did not work.");
        if (message.code === "busy") { busy = feedback; setText("connection", feedback); }
        else if (pending) confirmed(feedback);  // the server answered the vote: nothing to send again
        render();
        break;
      case "bye":
        if (message.paused) {  // the connection closes next, and the page keeps trying to come back
          paused = true;
          setText("connection", String(message.message || PAUSED));
          render();
        } else {
          finish(String(message.message || ""));
        }
        break;
      default:
        break;
    }
  }

  function welcome(message) {
    setText("title", String(message.title || "The room's vote"));
    const rules = $("rules");
    rules.replaceChildren(...(message.rules || []).map((line) => el("li", "", String(line))));
    const help = message.help || {};
    setText("help-intro", String(help.intro || ""));
    $("help-list").replaceChildren(...(help.items || []).map((item) => {
      const li = el("li");
      const name = el("strong", "", String(item.name || ""));
      li.append(name);
      if (item.region) li.append(el("span", "", " (" + String(item.region) + ")"));
      li.append(el("span", "", ": " + String(item.contact || "")));
      if (item.about) li.append(el("div", "reason", String(item.about)));
      return li;
    }));
  }

  // -- drawing ---------------------------------------------------------------------------------------------

  function render() {
    const s = state;
    if (!s) return;
    if (s.title) setText("title", s.title);
    if (s.phase === "waiting" && s.rules && s.rules.length) {
      $("rules").replaceChildren(...s.rules.map((line) => el("li", "", String(line).replace("on F2", "at the foot of this page"))));
    }
    // Once the workshop has ended, what the last state said was in front of the room (the debrief, an ending,
    // a question, whose turn it is) is no longer true: the ended line says it all, as on the room display. A
    // vote stays, saying it has stopped; the endings reached and the help resources stay too.
    const elsewhere = !over && (s.phase === "compare" || s.phase === "debrief");
    show("elsewhere", elsewhere);
    setText("elsewhere-text", elsewhere ? s.status : "");
    setText("team", s.team && !over ? "Deciding now: " + s.team : "");
    show("team", Boolean(s.team) && !over);
    show("waiting", s.phase === "waiting" && !over);
    const inRound = s.phase in STATUS;
    show("round", inRound);
    show("ending", s.phase === "ended" && !over);
    setText("ending-title", s.ending || "");
    setText("expected", s.expected || "");
    show("expected", Boolean(s.expected));
    show("ideas", s.phase === "ideas" && Boolean(s.ask) && !over);
    if (s.phase === "ideas" && s.ask && !over) drawIdeas(s.ask);
    show("finished", Boolean(s.finished) && !over);  // "the facilitator may go back" is untrue once it has ended
    const endings = s.endings || [];
    $("endings").replaceChildren(...endings.map((e) => el("li", "", (e.team ? e.team + ": " : "") + e.title)));
    show("endings-note", endings.length > 1 || (endings.length === 1 && (s.phase !== "ended" || over)));
    if (endings.length > endingsSeen) $("help").open = true;
    endingsSeen = endings.length;
    if (inRound) drawRound(s);
    drawTimer(s.timer, s.phase);
  }

  function drawRound(s) {
    setText("step", s.label ? s.label : "Decision " + s.step + (s.runoff ? " · a runoff between the tied choices" : "")
      + (s.phase === "decided" ? " · the result" : ""));
    setText("scene", s.scene || (s.phase === "decided" ? "A scene was skipped" : "What happens next?"));
    const stopped = (s.phase === "discussion" || s.phase === "voting")
      && (over ? STOPPED.over : !paused ? "" : s.phase === "voting" ? STOPPED.paused : STOPPED.pausedEarly);
    const status = s.phase === "decided" ? s.status || s.outcome : stopped
      || STATUS[s.phase] + (s.runoff && s.phase === "voting" ? " Only the tied choices are open." : "");
    setText("status", status);
    const key = s.round + "\u0000" + JSON.stringify(s.options.map((o) => [o.index, o.text, o.open, o.number]));
    if (key !== optionsKey) {
      optionsKey = key;
      buildOptions(s.options);
    }
    const tally = new Map((s.tally || []).map((t) => [t.index, t.count]));
    const total = Array.from(tally.values()).reduce((a, b) => a + b, 0);
    for (const option of s.options) {
      const node = buttons.get(option.index);
      if (!node) continue;
      const chosen = mine.option === option.index && mine.round === s.round;
      if (node.tagName === "BUTTON") {
        node.disabled = s.phase !== "voting" || over;
        node.setAttribute("aria-pressed", chosen ? "true" : "false");
        node.querySelector(".mark").hidden = !chosen;
      }
      const tallyText = node.querySelector(".tally-text");
      const bar = node.querySelector(".bar");
      if (s.tally && option.open) {
        const count = tally.get(option.index) || 0;
        const share = total ? Math.round((100 * count) / total) : 0;
        tallyText.textContent = count + (count === 1 ? " vote" : " votes") + " (" + share + "%)";
        tallyText.hidden = false;
        bar.hidden = false;
        bar.firstChild.style.width = share + "%";
      } else {
        tallyText.hidden = true;
        bar.hidden = true;
      }
    }
    let note = over ? "" : feedback;  // once it has ended, nothing the vote said can be changed
    if (!note && mine.option !== null && mine.round === s.round) {
      const number = (s.options.find((o) => o.index === mine.option) || {}).number;
      note = s.phase === "voting" && !over ? "Vote received: you can change it until voting closes."
        : "Your vote: choice " + number + ".";
    }
    setText("feedback", note);
    const votes = s.votes + (s.votes === 1 ? " vote" : " votes");
    setText("count", s.phase === "discussion" || s.phase === "decided" ? ""
      : s.phase === "voting" && !over ? votes + " in so far." : votes + " in all.");
    setText("outcome", s.outcome && s.outcome !== status ? s.outcome : "");  // said once, never twice
  }

  function buildOptions(options) {
    buttons = new Map();
    const list = $("options");
    list.replaceChildren(...options.map((option) => {
      const li = el("li", option.struck ? "struck" : option.open ? "" : "closed");
      let node;
      if (option.open) {
        node = el("button", "option");
        node.type = "button";
        node.addEventListener("click", () => vote(option.index));
      } else {
        node = el("div", "option");
        node.setAttribute("aria-disabled", "true");
      }
      node.append(el("span", "num", option.number === null ? "–" : String(option.number)));
      const text = el("span", "text");
      if (!option.open) text.append(el("span", "visually-hidden", "Not open: "));
      text.append(document.createTextNode(option.text));
      node.append(text);
      if (option.reason) node.append(el("span", "reason", option.reason));
      const mark = el("span", "mark", "✓ Your vote");
      mark.hidden = true;
      node.append(mark);
      const tallyText = el("span", "tally-text");
      tallyText.hidden = true;
      node.append(tallyText);
      const bar = el("span", "bar");
      bar.setAttribute("aria-hidden", "true");
      bar.append(el("span", "fill"));
      bar.hidden = true;
      node.append(bar);
      buttons.set(option.index, node);
      li.append(node);
      return li;
    }));
  }

  function vote(index) {
    if (!state || state.phase !== "voting" || over) return;
    pending = { round: state.round, option: index, socket: null };
    if (!ws || ws.readyState !== 1) {
      feedback = "Not connected right now: your vote will be sent as soon as the connection is back.";
      render();
      reconnectNow();
      return;
    }
    sendPending();
  }

  // -- a vote not yet acknowledged -------------------------------------------------------------------------

  function sendPending() {
    if (!pending || !ws || ws.readyState !== 1 || pending.socket === ws) return;
    pending.socket = ws;
    feedback = "Sending your vote…";
    ws.send(JSON.stringify({ type: "vote", round: pending.round, option: pending.option }));
    clearTimeout(pendingTimer);
    pendingTimer = setTimeout(unconfirmed, ACK_WAIT);
    render();
  }

  // No answer in time: the connection is probably gone without saying so. Drop it; the page reconnects and
  // sends the vote again.
  function unconfirmed() {
    pendingTimer = null;
    if (!pending || over) return;
    feedback = "Your vote has not been confirmed yet: reconnecting to send it again…";
    render();
    if (ws && pending.socket === ws) {
      try { ws.close(); } catch (e) { /* already closing */ }
    }
  }

  function confirmed(message) {
    pending = null;
    clearTimeout(pendingTimer);
    pendingTimer = null;
    if (message) feedback = message;
  }

  // A state after (re)connecting: send a vote that was never acknowledged if its round is still voting;
  // otherwise say it did not count.
  function settlePending() {
    if (!pending) return;
    if (pending.round === state.round && state.phase === "voting") {
      sendPending();
    } else {
      confirmed("Your vote did not reach the room before voting closed.");
    }
  }

  // -- ideas: a question put to the room, and this phone's answers (kept on this page only) ---------------

  function drawIdeas(ask) {
    if (ask.ask !== asked.id) asked = { id: ask.ask, mine: [], left: null, feedback: "", sending: "" };
    setText("idea-where", String(ask.where || ""));
    setText("idea-question", String(ask.question || ""));
    const limit = Number(ask.limit) || 200;
    setText("idea-limit", String(limit));
    const box = $("idea-text");
    if (box.maxLength !== limit) box.maxLength = limit;
    const left = asked.left === null ? Number(ask.each) || 0 : asked.left;
    const more = asked.mine.length ? " more" : "";
    setText("idea-left", left > 0 ? limit - box.value.length + " characters left · you can send " + left + more
      + (left === 1 ? " idea" : " ideas") : "That is all the ideas this phone can send here.");
    $("idea-send").disabled = over || left <= 0 || Boolean(asked.sending);
    box.disabled = over || left <= 0;
    setText("idea-feedback", asked.sending ? "Sending…" : asked.feedback);
    setText("idea-note", String(ask.note || ""));
    const shown = (ask.ideas || []).map((text) => el("li", "", String(text)));
    $("idea-shown").replaceChildren(...shown);
    show("idea-shown-heading", shown.length > 0);
    $("idea-mine").replaceChildren(...asked.mine.map((text) => el("li", "", text)));
    show("idea-mine-heading", asked.mine.length > 0);
  }

  function sendIdea(event) {
    event.preventDefault();
    const text = $("idea-text").value.trim();
    if (!state || state.phase !== "ideas" || !state.ask || over || asked.sending) return;
    if (!text) { asked.feedback = "Write your idea first."; render(); return; }
    if (!ws || ws.readyState !== 1) {
      asked.feedback = "Not connected right now: your idea was not sent. Try again in a moment.";
      render();
      return;
    }
    asked.sending = text;
    ws.send(JSON.stringify({ type: "idea", question: state.ask.ask, text: text }));
    render();
  }

  // -- the timer: the server says how long is left; the phone counts down itself -------------------------

  function drawTimer(timer, phase) {
    clearInterval(ticker);
    ticker = null;
    if (!timer || !(phase in STATUS)) {
      show("timer", false);
      return;
    }
    const label = timer.period === "voting" ? "Time left to vote: " : "Time left to talk: ";
    if (over) {  // no time runs on a workshop that has ended
      show("timer", false);
      return;
    }
    if (timer.paused || paused) {  // paused on the laptop, or the whole workshop paused: the clock stands still
      if (frozen === null) frozen = deadline === null ? timer.remaining : Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      setText("timer", label + face(frozen) + " (paused)");
      show("timer", true);
      return;
    }
    if (deadline === null) deadline = Date.now() + timer.remaining * 1000;
    const tick = () => {
      const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      setText("timer", left > 0 ? label + face(left) : "Time is up.");
      if (left <= 0) { clearInterval(ticker); ticker = null; }
    };
    tick();
    ticker = setInterval(tick, 250);
    show("timer", true);
  }

  function face(seconds) {
    const s = Math.max(0, Math.round(seconds));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  $("idea-form").addEventListener("submit", sendIdea);
  $("idea-text").addEventListener("input", () => { if (state && state.ask) drawIdeas(state.ask); });
  document.addEventListener("visibilitychange", reconnectNow);
  window.addEventListener("online", reconnectNow);
  connect();
})();
