// The room display of a Second Chance workshop: shows what the facilitator has released to the room, and
// nothing else. Everything from the server is put in as text (textContent), never as markup. No framework,
// nothing fetched from anywhere but this page's own server. A view longer than the screen is laid out in
// pages; the facilitator turns them, and the page tells the server how many there are.
"use strict";

(function () {
  const ENDED_CODE = 4000;
  const PAUSED_CODE = 4002;
  const GIVE_UP = 30 * 60 * 1000;  // a lost connection is tried again, more and more slowly, for this long
  const PAUSED = "The workshop is paused: the facilitator may pick it up again.";
  const key = (new URLSearchParams(location.search).get("key") || "").trim();
  const $ = (id) => document.getElementById(id);
  const main = $("room");

  const PHASE = { discussion: "Discussion", voting: "Voting is open", locked: "Vote locked", revealed: "The votes are in" };

  let ws = null;
  let attempts = 0;
  let retryTimer = null;
  let over = false;
  let paused = false;
  let busy = "";  // why the server turned this display away (too many room displays open)
  let lostSince = null;
  let state = null;
  let help = { intro: "", items: [] };
  let title = "";
  let shape = "";
  let pages = 1;
  let reported = 0;
  let deadline = null;
  let ticker = null;
  let frozen = null;  // the seconds left when the workshop paused, shown until a new state comes

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function setText(id, text) {
    const node = $(id);
    if (node.textContent !== text) node.textContent = text;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  // -- the connection ------------------------------------------------------------------------------------

  function connect() {
    clearTimeout(retryTimer);
    retryTimer = null;
    if (over || (ws && ws.readyState <= 1)) return;
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    let socket;
    try {
      socket = new WebSocket(scheme + "//" + location.host + "/room/ws?key=" + encodeURIComponent(key));
    } catch (e) {
      retry();
      return;
    }
    ws = socket;
    socket.onopen = () => { attempts = 0; reported = 0; };
    socket.onmessage = (event) => { if (socket === ws) receive(event.data); };
    socket.onclose = (event) => {
      if (socket !== ws) return;
      ws = null;
      if (over) return;
      if (event.code === ENDED_CODE) { finish("The workshop has ended. Thank you."); return; }
      if (event.code === PAUSED_CODE) pause();
      retry();
    };
  }

  // Try again, more and more slowly (at most every 10 s), for GIVE_UP at most: a workshop paused (a quit in
  // the middle of the story, a crash, the laptop shutting the game down) comes back where it was.
  function retry() {
    if (lostSince === null) lostSince = Date.now();
    if (Date.now() - lostSince > GIVE_UP) {
      finish("The workshop has not come back. Reload this page when it is picked up again.");
      return;
    }
    attempts += 1;
    const delay = Math.min(10000, 500 * Math.pow(2, Math.min(attempts, 5)));
    if (busy || paused) {
      $("flow").replaceChildren(el("h1", "", busy || PAUSED));  // said large: the room sees this page
      $("badge").hidden = true;
      shape = "";
    }
    setText("join", busy ? "Trying again in a moment…" : paused ? "This page comes back by itself when it is."
      : "Connection lost: trying again…");
    retryTimer = setTimeout(connect, delay);
  }

  // The whole workshop is paused: the countdown stands where it was, as it does on the phones.
  function pause() {
    paused = true;
    if (state) drawTimer(state.timer, state.stage === "scene" ? state.phase : "");
  }

  function finish(message) {
    over = true;
    clearTimeout(retryTimer);
    stopTicker();
    $("timer").hidden = true;  // no time runs on a workshop that has ended
    $("flow").replaceChildren(el("h1", "", message));
    setText("join", "");
    $("badge").hidden = true;
  }

  function receive(text) {
    let message;
    try { message = JSON.parse(text); } catch (e) { return; }
    if (!message || typeof message !== "object") return;
    if (message.type === "welcome") {
      title = String(message.title || "");
      help = message.help || help;
      if (state) draw(true);
    } else if (message.type === "state") {
      lostSince = null;
      paused = false;
      busy = "";
      state = message;
      // the countdown's end, from the server's time as this state says it: a redraw never moves it back
      deadline = message.timer && !message.timer.paused ? Date.now() + message.timer.remaining * 1000 : null;
      frozen = null;
      draw(false);
    } else if (message.type === "bye") {
      if (message.paused) pause();  // the connection closes next, and the page keeps trying
      else finish("The workshop has ended. Thank you.");
    } else if (message.type === "error" && message.code === "busy") {
      busy = String(message.message || "This room display cannot join now.");
    }
  }

  // -- drawing ------------------------------------------------------------------------------------------

  // What a view looks like apart from its live numbers: when only those change (a vote comes in, someone
  // joins) the page updates them in place instead of laying everything out again.
  function shapeOf(s) {
    const copy = Object.assign({}, s);
    delete copy.votes;
    delete copy.sent;
    delete copy.join;
    delete copy.timer;
    delete copy.page;
    return JSON.stringify(copy);
  }

  function draw(force) {
    const s = state;
    main.dataset.stage = s.stage;
    main.dataset.phase = s.phase || "";
    const next = shapeOf(s);
    if (force || next !== shape) {
      shape = next;
      $("flow").replaceChildren(...build(s));
      delete $("flow").dataset.fitted;
      $("flow").classList.toggle("three", s.stage === "lobby" && Boolean(s.join));
      $("flow").classList.toggle("plays", s.stage === "compare");
    }
    drawBar(s);
    drawJoin(s);
    drawTimer(s.timer, s.stage === "scene" ? s.phase : "");
    layout();
  }

  function drawBar(s) {
    const team = s.team ? " · " + s.team : "";
    let where = s.stage === "lobby" ? "Second Chance · a workshop" : s.title || title || "Second Chance";
    let badge = "";
    if (s.stage === "scene") {
      where = s.label + team + " · " + s.heading;
      badge = PHASE[s.phase] || "";
      if (s.phase !== "discussion") badge += " · " + plural(s.votes, "vote") + (s.phase === "voting" ? " in" : "");
    } else if (s.stage === "card") {
      where = s.label + team + (s.heading ? " · " + s.heading : "");
      badge = s.skipped ? "Skipped" : "Decided";
    } else if (s.stage === "ending") {
      where = (s.title || title) + team;
      badge = "The ending";
    } else if (s.stage === "compare") {
      where = (s.title || title) + " · every play side by side";
    } else if (s.stage === "debrief") {
      where = (s.title || title) + " · the room's debrief";
      badge = "section " + s.section + " of " + s.sections.length;
    } else if (s.stage === "ideas") {
      where = (s.title || title) + " · " + s.where;
      badge = plural(s.sent, "idea") + " sent";
    } else if (s.stage === "predict") {
      where = (s.title || title) + (s.heading ? " · " + s.heading : "") + " · predict the ending";
      badge = (PHASE[s.phase] || "") + " · " + plural(s.votes, "vote") + (s.phase === "voting" ? " in" : "");
    }
    setText("where", where);
    setText("badge", badge);
    $("badge").hidden = !badge;
  }

  function bare(address) { return String(address).replace(/^https?:\/\//, "").replace(/\/$/, ""); }

  // The foot of the screen: what the vote decided once it is revealed (whatever page is up), else how to join.
  function drawJoin(s) {
    const foot = $("join");
    const outcome = s.stage === "scene" || s.stage === "predict" ? s.outcome : "";
    foot.classList.toggle("lead", Boolean(outcome));
    const join = s.join;
    const joined = join ? plural(join.joined, "phone") + " joined" : "";
    const count = $("joined");
    if (count) count.textContent = joined;
    if (outcome) { setText("join", outcome + (join ? " · code " + join.code : "")); return; }  // for latecomers
    if (!join) { setText("join", ""); return; }
    setText("join", s.stage === "lobby" ? "" : "Vote: " + bare(join.address) + " · code " + join.code + " · " + joined);
  }

  function build(s) {
    switch (s.stage) {
      case "lobby": return lobby(s);
      case "scene": return scene(s);
      case "card": return card(s);
      case "ending": return ending(s);
      case "compare": return compare(s);
      case "debrief": return debrief(s);
      case "ideas": return ideas(s);
      case "predict": return predict(s);
      default: return [el("h1", "", "Waiting for the facilitator…")];
    }
  }

  function list(items, className, ordered) {
    const node = el(ordered ? "ol" : "ul", className);
    node.replaceChildren(...items.map((item) => (item instanceof Node ? item : el("li", "", item))));
    return node;
  }

  function lobby(s) {
    const heading = el("h1", "", s.title || "A Second Chance workshop");
    const out = [heading];
    if (s.join) {
      const box = el("div", "join-box");
      out.pop();
      box.append(heading, el("h2", "", "Vote on your phone"));
      const image = el("img", "qr");
      image.src = "/room/qr.svg?key=" + encodeURIComponent(key);
      image.alt = "A QR code: point your phone's camera at it to join the vote.";
      box.append(image);
      box.append(el("p", "", "or open " + bare(s.join.address)));
      box.append(el("p", "code", s.join.code));
      const joined = el("p", "lead", plural(s.join.joined, "phone") + " joined");
      joined.id = "joined";
      box.append(joined);
      out.push(box);
    } else if (s.summary) {
      out.push(el("p", "lead", s.summary));
    }
    if (!s.title) out.push(el("p", "em", "The facilitator is choosing the story."));
    if (s.notes && s.notes.length) {
      out.push(el("h2", "", "This story includes"));
      out.push(el("p", "", s.notes.join(" · ")));
    }
    if (s.rules && s.rules.length) {
      out.push(el("h2", "", "Ground rules"));
      out.push(list(s.rules.map((r) => r.replace("is on F2", "is at hand")), "dots"));
    }
    return out;
  }

  function messages(items) {
    return list(items.map((m) => {
      const li = el("li", "message" + (m.mine ? " mine" : "") + (m.draft ? " draft" : ""));
      li.append(el("span", "sender", m.from + ": "), document.createTextNode(m.text));
      if (m.draft) li.append(el("span", "em", " (a draft, not sent)"));
      return li;
    }), "messages");
  }

  function counts(tally) {
    const map = new Map((tally || []).map((t) => [t.index, t.count]));
    let total = 0;
    for (const value of map.values()) total += value;
    return { map, total };
  }

  function optionRow(option, tally, first, chosenIndex) {
    const classes = ["option", "keep"];
    if (option.struck) classes.push("struck");
    else if (!option.open) classes.push("closed");
    if (option.index === chosenIndex) classes.push("chosen");
    const li = el("li", classes.join(" "));
    li.append(el("span", "num", option.number === null ? "✗" : String(option.number)));
    const text = el("span", "text");
    if (option.struck) text.append(el("span", "visually-hidden", "Not open: "));
    text.append(document.createTextNode(option.text));
    li.append(text);
    if (option.reason) li.append(el("span", "em", option.reason));
    if (first && first.map.has(option.index)) {
      li.append(el("span", "", "First vote: " + plural(first.map.get(option.index), "vote")));
    }
    if (tally && option.open) {
      const count = tally.map.get(option.index) || 0;
      const share = tally.total ? Math.round((100 * count) / tally.total) : 0;
      li.append(meter(share, plural(count, "vote") + " (" + share + "%)" + (option.index === chosenIndex ? " · chosen" : "")));
    }
    return li;
  }

  // A count with its bar beside it, on one line: the bar for the eye, the words for everyone.
  function meter(share, words) {
    const row = el("span", "tally");
    const track = el("span", "bar-track");
    track.setAttribute("aria-hidden", "true");
    const fill = el("span", "bar-fill");
    fill.style.width = share + "%";
    track.append(fill);
    row.append(track, el("span", "count", words));
    return row;
  }

  function scene(s) {
    const out = s.text.map((p) => el("p", "", p));
    if (s.messages.length) out.push(messages(s.messages));
    const tally = s.tally ? counts(s.tally) : null;
    const first = s.first ? counts(s.first) : null;
    const chosen = s.winner === undefined ? null : s.winner;
    out.push(list(s.options.map((o) => optionRow(o, tally, first, chosen)), "options", true));
    if (s.runoff) out.push(el("p", "em", "A runoff: only the tied options are on the ballot."));
    if (s.prompts && s.prompts.length) out.push(prompts(s.prompts));
    return out;
  }

  function prompts(items) {
    const box = el("div", "box");
    box.append(el("h2", "", "To talk about"));
    box.append(list(items.map((p) => (p.about ? p.about + ": " : "") + p.text), "dots"));
    return box;
  }

  function bars(rows, heading) {
    const box = el("div", "bars");
    if (heading) box.append(el("h2", "", heading));
    const total = rows.reduce((sum, r) => sum + r.count, 0);
    box.append(list(rows.map((row) => {
      const share = total ? Math.round((100 * row.count) / total) : 0;
      const li = el("li", "bar-row" + (row.chosen ? " chosen" : ""));
      li.append(el("span", "", row.number + ". " + row.text));
      li.append(meter(share, plural(row.count, "vote") + " (" + share + "%)" + (row.chosen ? " · chosen" : "")));
      return li;
    }), "plain"));
    return box;
  }

  // A question put to the room: its words, and the ideas the facilitator has shown (the phones send them).
  function ideas(s) {
    const out = [el("h1", "", s.question)];
    if (s.note) out.push(el("p", "em", s.note));
    if (s.ideas.length) {
      out.push(list(s.ideas.map((text) => el("li", "idea keep", text)), "ideas"));
    } else {
      out.push(el("p", "lead", s.join ? "Send your idea from your phone: the facilitator puts ideas up here."
        : "Say your idea out loud: the facilitator puts ideas up here."));
    }
    return out;
  }

  // How a play will end: the tones it can still reach, voted on as a decision is.
  function predict(s) {
    const tally = s.tally ? counts(s.tally) : null;
    const out = [el("h1", "", s.label)];
    out.push(list(s.options.map((o) => optionRow(o, tally, null, s.winner === undefined ? null : s.winner)),
                  "options", true));
    if (s.every) out.push(el("p", "em", "Every tone the story has: it is too large to say which are still in reach."));
    return out;
  }

  function fromRoom(items, note) {
    const box = el("div", "box");
    box.append(el("h2", "", "Something else, from the room"));
    if (note) box.append(el("p", "em", note));
    box.append(list(items.map((text) => el("li", "idea", text)), "dots"));
    return box;
  }

  function card(s) {
    const out = [];
    if (s.chosen) {
      out.push(el("p", "", "The story goes on with:"));
      out.push(el("h1", "", s.chosen));
    } else {
      out.push(el("h1", "", "A scene was skipped."));
    }
    out.push(el("p", "lead", s.how));
    for (const round of s.rounds) out.push(bars(round.rows, round.title));
    if (s.ideas && s.ideas.length) out.push(fromRoom(s.ideas, s.note));
    return out;
  }

  function helpBlock() {
    const box = el("div", "box");
    box.append(el("h2", "", "Help and support"));
    if (help.intro) box.append(el("p", "", help.intro));
    box.append(list((help.items || []).map((item) => {
      const li = el("li");
      li.append(el("strong", "", item.name));
      if (item.region) li.append(document.createTextNode(" (" + item.region + ")"));
      li.append(document.createTextNode(": " + item.contact));
      return li;
    }), "dots"));
    return box;
  }

  function ending(s) {
    const out = [el("h1", "", "Ending: " + s.ending), el("p", "lead", s.tone + " · where they stand: " + s.stand)];
    if (s.expected) out.push(el("p", "lead", s.expected));
    for (const p of s.text) out.push(el("p", "", p));
    if (s.prompts && s.prompts.length) out.push(prompts(s.prompts));
    if (s.help) out.push(helpBlock());
    return out;
  }

  // Every play side by side, one play a column: each line is a child of its box, so a play longer than the
  // screen is cut between lines into pieces (`fitPlays`), never split across two columns.
  function compare(s) {
    return s.plays.map((play, n) => {
      const box = el("div", "play box");
      box.dataset.title = (n + 1) + ". " + play.label;
      box.append(el("h2", "", box.dataset.title));
      box.append(el("p", "lead", play.ending));
      if (play.tone) box.append(el("p", "", play.tone + " · where they stand: " + play.stand));
      if (play.expected) box.append(el("p", "em", play.expected));
      box.append(el("p", "", play.meters.map((m) => m.label + ": " + m.start + " → " + m.end).join(" · ")));
      for (const line of path(play.path)) box.append(el("p", "line", line));
      for (const a of play.advice) box.append(el("p", "line", a.mark + " " + a.title));
      return box;
    });
  }

  // The plays as the screen holds them: a play taller than the screen goes on in a piece of its own ("2. The
  // room, Sent it (continued)") on the next page, in the same place, so every page keeps the plays of its
  // group next to each other: plays 1 and 2 share their pages, then 3 and 4.
  // It cuts once for the screen it was built for, and again from the whole plays when that screen's size
  // changes.
  function fitPlays(flow) {
    const size = flow.clientWidth + "x" + flow.clientHeight;
    if (!flow.querySelector(":scope > .play") || flow.dataset.fitted === size) return;
    if (flow.dataset.fitted) flow.replaceChildren(...compare(state));
    const plays = Array.from(flow.querySelectorAll(":scope > .play"));
    flow.dataset.fitted = size;
    const limit = flow.clientHeight;
    const pieces = plays.map((box) => {
      const out = [box];
      let last = box;
      while (last.getBoundingClientRect().height > limit + 1 && last.children.length > 2) {
        const next = el("div", "play box");
        next.append(el("h2", "", last.dataset.title.replace(/ \(continued\)$/, "") + " (continued)"));
        next.dataset.title = next.firstChild.textContent;
        flow.append(next);
        while (last.getBoundingClientRect().height > limit + 1 && last.children.length > 2) {
          next.insertBefore(last.lastElementChild, next.children[1] || null);
        }
        out.push(next);
        last = next;
      }
      return out;
    });
    const across = matchMedia("(max-aspect-ratio: 1/1)").matches ? 1 : 2;
    const order = [];
    for (let g = 0; g < pieces.length; g += across) {
      const group = pieces.slice(g, g + across);
      const depth = Math.max(...group.map((p) => p.length));
      for (let k = 0; k < depth; k++) {
        for (const p of group) order.push(p[k] || el("div", "play-gap"));
      }
    }
    flow.replaceChildren(...order);
  }

  // A play's decisions, one a line; a run of skipped ones on one line ("2-11. skipped").
  function path(steps) {
    const lines = [];
    for (let i = 0; i < steps.length; i++) {
      if (!steps[i].skipped) { lines.push(steps[i].number + ". " + steps[i].text); continue; }
      let j = i;
      while (j + 1 < steps.length && steps[j + 1].skipped) j++;
      lines.push((j > i ? steps[i].number + "–" + steps[j].number : steps[i].number) + ". skipped by the facilitator");
      i = j;
    }
    return lines;
  }

  function block(b) {
    if (b.kind === "h") return el("h2", "", b.text);
    if (b.kind === "p") return el("p", b.em ? "em" : "", b.text);
    if (b.kind === "bars") return bars(b.rows, b.title);
    if (b.kind === "list") {
      return list(b.items.map((item) => {
        const li = el("li", "keep");
        li.append(el("strong", "", (item.mark ? item.mark + " " : "") + item.text));
        for (const line of item.sub) li.append(el("div", "", line));
        return li;
      }), "plain");
    }
    return el("p", "", "");
  }

  function debrief(s) {
    const out = [el("h1", "", s.section + ". " + s.heading)];
    for (const b of s.blocks) out.push(block(b));
    if (s.help) out.push(helpBlock());
    return out;
  }

  // -- pages: a view longer than the screen is split, and the facilitator turns the pages ------------------

  function layout() {
    const flow = $("flow");
    const foot = $("join").parentElement;
    if (state && state.stage === "compare") {
      // The plays are cut with the footer's row kept for "Page 1 of 2": a row that came only after the cut
      // would cover the bottom of every play.
      foot.hidden = false;
      $("pageno").hidden = false;
      if (!$("pageno").textContent) setText("pageno", "Page 1 of 2");  // set for real below
      fitPlays(flow);
    }
    const width = flow.clientWidth;
    const gap = parseFloat(getComputedStyle(flow).columnGap) || 0;
    const stride = width + gap;
    // A last page may hold only some of its columns (one play of two is half a page): every started page
    // counts, give or take a pixel or two of rounding.
    pages = stride > 0 ? Math.max(1, Math.ceil((flow.scrollWidth + gap) / stride - 0.01)) : 1;
    const page = Math.min(state ? state.page || 0 : 0, pages - 1);
    flow.scrollLeft = 0;
    flow.style.transform = page ? "translateX(" + (-page * stride) + "px)" : "";
    setText("pageno", "Page " + (page + 1) + " of " + pages);
    $("pageno").hidden = pages < 2;
    foot.hidden = pages < 2 && !$("join").textContent;
    if (pages !== reported && ws && ws.readyState === 1) {
      reported = pages;
      ws.send(JSON.stringify({ type: "pages", count: pages }));
    }
  }

  // -- the timer: the server says how long is left; the page counts down itself ------------------------------

  function stopTicker() {
    clearInterval(ticker);
    ticker = null;
  }

  function drawTimer(timer, phase) {
    stopTicker();
    if (!timer || !phase || over) {
      $("timer").hidden = true;
      return;
    }
    if (timer.paused || paused) {  // paused on the laptop, or the whole workshop paused: the clock stands still
      if (frozen === null) frozen = deadline === null ? timer.remaining : Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      setText("timer", face(frozen) + " (paused)");
      $("timer").hidden = false;
      return;
    }
    if (deadline === null) deadline = Date.now() + timer.remaining * 1000;
    const tick = () => {
      const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      setText("timer", left > 0 ? face(left) : "Time is up");
      if (left <= 0) stopTicker();
    };
    tick();
    ticker = setInterval(tick, 250);
    $("timer").hidden = false;
  }

  function face(seconds) {
    const s = Math.max(0, Math.round(seconds));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  window.addEventListener("resize", () => { if (state) { if (state.stage === "compare") draw(true); else layout(); } });
  document.addEventListener("visibilitychange", () => { if (!document.hidden && !ws && !over) connect(); });
  connect();
})();
