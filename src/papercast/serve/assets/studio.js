// papercast studio: the review list, an episode's script with its names, the fix panel and
// the lexicon. Plain JavaScript, no build step; every action is a button, link or form
// field, so all of it works from the keyboard.
"use strict";

const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
};
const studio = { episode: null, fix: null, playback: [] };
window.studio = studio; // read by the browser test

async function api(path, options = {}) {
  const r = await fetch("/studio/api/" + path, { credentials: "same-origin", ...options });
  const type = r.headers.get("content-type") || "";
  const body = type.includes("json") ? await r.json() : await r.text();
  if (r.status === 401 && !path.startsWith("login")) show("login");
  return { status: r.status, body, headers: r.headers };
}

function say(text) { $("#status").textContent = text; }
function who() { return $("#who").value.trim(); }
$("#who").value = localStorage.getItem("papercast-editor") || "";
$("#who").addEventListener("change", () => localStorage.setItem("papercast-editor", who()));

function show(id) {
  for (const s of ["login", "review", "episode", "lexicon"]) $("#" + s).hidden = s !== id;
}

// -- playing --------------------------------------------------------------------------------
const player = $("#player");
function play(url, label) {
  const started = performance.now();
  const record = { url, label, requested: started, duration: null, ended: false };
  studio.playback.push(record);
  player.onplaying = () => { record.playing = performance.now() - started; };
  player.onloadedmetadata = () => { record.duration = player.duration; };
  player.onended = () => { record.ended = true; say(label + ": played"); };
  player.onerror = () => { record.error = true; say(label + ": could not be played"); };
  player.src = url;
  say("Playing " + label);
  player.play().catch(() => { record.error = true; });
}
const q = (params) => new URLSearchParams(params).toString();

// -- the review list -------------------------------------------------------------------------
async function reviewList() {
  show("review");
  const r = await api("episodes");
  if (r.status !== 200) return;
  const rows = $("#episodes tbody");
  rows.replaceChildren();
  for (const e of r.body.episodes) {
    const link = el("a", { href: "#/episode/" + encodeURIComponent(e.id) }, e.title || e.id);
    const names = e.flagged.map((f) => f.word).join(", ");
    const last = e.review ? `${e.review.decision} by ${e.review.who}` : "";
    rows.append(el("tr", { "data-id": e.id },
      el("td", {}, link),
      el("td", { class: "state-" + e.state }, e.state + (e.why ? ": " + e.why : "")),
      el("td", {}, names), el("td", {}, last)));
  }
  say(`${r.body.episodes.length} episodes`);
}

// -- an episode ------------------------------------------------------------------------------
function marked(text, marks, n) {
  // the sentence with each marked name as a button (flagged) or a labelled span (covered)
  const spans = [];
  for (const m of marks) {
    const rx = new RegExp("(^|[^\\p{L}\\p{N}])(" + m.word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
      + ")(?![\\p{L}\\p{N}])", "gu");
    let found;
    while ((found = rx.exec(text)) !== null) {
      const start = found.index + found[1].length;
      spans.push([start, start + found[2].length, m]);
    }
  }
  spans.sort((a, b) => a[0] - b[0]);
  const out = [];
  let at = 0;
  for (const [start, end, m] of spans) {
    if (start < at) continue;
    out.push(text.slice(at, start));
    const word = text.slice(start, end);
    if (m.kind === "flagged") {
      out.push(el("button", { type: "button", class: "name flagged", "data-word": m.word,
        title: m.reason, "aria-label": `${word}: ${m.reason}; fix it`,
        onclick: () => openFix(m, n) }, word));
    } else {
      out.push(el("button", { type: "button", class: "name covered", "data-word": m.word,
        title: `said /${m.ipa}/ (${m.source})`,
        "aria-label": `${word}: covered, said /${m.ipa}/; change it`,
        onclick: () => openFix(m, n) }, word));
    }
    at = end;
  }
  out.push(text.slice(at));
  return out;
}

async function episodeView(id) {
  show("episode");
  const r = await api("episode?" + q({ id }));
  if (r.status !== 200) { say(r.body.detail || "no such episode"); return; }
  const e = r.body;
  studio.episode = e;
  $("#episode-h").textContent = e.title;
  $("#episode-state").textContent = e.why ? "Held: " + e.why : "Published: listeners get it.";
  $("#episode-state").className = e.why ? "state-held" : "state-published";
  $("#episode-player").src = e.mp3;
  $("#readalong").href = e.page;
  $("#readalong-frame").src = e.page; // the episode's own page: the words light up as it plays
  $("#history").replaceChildren(...e.history.map((h) => el("li", {},
    `${h.decision} by ${h.who}, ${new Date(h.at * 1000).toLocaleString()}`
    + (h.note ? ": " + h.note : ""))));
  const list = $("#script");
  list.replaceChildren();
  for (const s of e.sentences) {
    const playButton = el("button", { type: "button", class: "play",
      "aria-label": `Play sentence ${s.n + 1}`,
      onclick: () => play("/studio/api/sentence.wav?" + q({ id: e.id, n: s.n }),
        `sentence ${s.n + 1}`) }, "Play");
    list.append(el("li", { class: s.role, "data-n": s.n }, playButton,
      ...marked(s.text, s.marks, s.n)));
  }
  $("#fix").hidden = true;
  say(`${e.sentences.length} sentences; ${e.flagged.length} names to check, `
    + `${e.covered.length} covered`);
}

async function decide(decision) {
  if (!who()) { say("Enter your name first"); $("#who").focus(); return; }
  const r = await api("review", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ id: studio.episode.id, decision, who: who(),
      note: $("#note").value }) });
  say(r.status === 200 ? `${decision === "approve" ? "Approved" : "Held"}; the feed follows `
    + "at the next build" : r.body.detail);
  if (r.status === 200) episodeView(studio.episode.id);
}
$("#approve").addEventListener("click", () => decide("approve"));
$("#hold").addEventListener("click", () => decide("hold"));

// -- fixing a name ---------------------------------------------------------------------------
async function openFix(mark, n) {
  const fix = { word: mark.word, n, entry: null, etag: '"absent"', ready: false };
  studio.fix = fix;
  $("#fix").hidden = false;
  $("#fix-word").textContent = mark.word;
  $("#fix-reason").textContent = mark.kind === "flagged" ? mark.reason
    : `covered by ${mark.source}`;
  for (const id of ["#respell", "#ipa", "#fix-note"]) $(id).value = "";
  for (const id of ["#fix-error", "#fix-phonemes", "#fix-warnings"]) $(id).textContent = "";
  for (const id of ["#hear-word", "#hear-sentence", "#save"]) $(id).disabled = true;
  $("#conflict").hidden = true;
  $("#saved").hidden = true;
  const r = await api("compare?" + q({ word: mark.word }));
  if (r.status === 200) {
    $("#fix-espeak").textContent = "/" + r.body.espeak_ipa + "/";
    $("#fix-current").textContent = r.body.current ? `/${r.body.current.ipa}/ (${r.body.current.source})`
      : "espeak's guess (no entry)";
    fix.etag = r.body.etag;
  }
  $("#respell").focus();
}

function reading() {
  const respell = $("#respell").value.trim(), ipa = $("#ipa").value.trim();
  return ipa ? { ipa } : { respell };
}

async function preview(event) {
  if (event) event.preventDefault();
  const fix = studio.fix;
  fix.ready = false;
  const r = await api("preview", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ word: fix.word, ...reading() }) });
  const ok = r.status === 200;
  $("#fix-error").textContent = ok ? "" : r.body.detail;
  $("#fix-phonemes").textContent = ok ? r.body.phonemes.join(" ") : "";
  $("#fix-warnings").textContent = ok ? r.body.warnings.join("; ") : "";
  for (const id of ["#hear-word", "#hear-sentence", "#save"]) $(id).disabled = !ok;
  if (ok) {
    fix.ipa = r.body.ipa;
    fix.ready = true;
    hearSentence();
  }
}
function hearWord() {
  const f = studio.fix;
  play("/studio/api/word.wav?" + q({ word: f.word, ipa: f.ipa }), `${f.word}, new reading`);
}
function hearSentence() {
  const f = studio.fix;
  play("/studio/api/sentence.wav?" + q({ id: studio.episode.id, n: f.n, word: f.word,
    ipa: f.ipa }), `sentence ${f.n + 1} with the new reading`);
}
$("#fix-form").addEventListener("submit", preview);
$("#hear-word").addEventListener("click", hearWord);
$("#hear-sentence").addEventListener("click", hearSentence);
$("#hear-espeak").addEventListener("click", () => play("/studio/api/word.wav?"
  + q({ word: studio.fix.word, plain: 1 }), `${studio.fix.word}, espeak's guess`));
$("#hear-current").addEventListener("click", () => play("/studio/api/word.wav?"
  + q({ word: studio.fix.word }), `${studio.fix.word}, as said now`));
$("#fix-close").addEventListener("click", () => { $("#fix").hidden = true; });
document.addEventListener("keydown", (e) => {
  if (e.key === "Escape" && !$("#fix").hidden) $("#fix").hidden = true;
});

async function save(etag) {
  const f = studio.fix;
  const r = await api("lexicon", { method: "PUT", headers: { "Content-Type": "application/json",
    "If-Match": etag }, body: JSON.stringify({ word: f.word, ...reading(),
    note: $("#fix-note").value, who: who() }) });
  if (r.status === 409) {
    const theirs = r.body.theirs;
    $("#conflict").hidden = false;
    $("#conflict-yours").textContent = `/${r.body.yours.ipa}/ ${r.body.yours.respell || ""}`;
    $("#conflict-theirs").textContent = theirs ? `/${theirs.ipa}/ ${theirs.respell || ""}`
      + ` (${theirs.note})` : "(removed)";
    f.theirsEtag = r.body.etag;
    say(r.body.detail);
    $("#keep-theirs").focus();
    return;
  }
  if (r.status !== 200) { $("#fix-error").textContent = r.body.detail; return; }
  f.etag = r.body.entry.etag;
  $("#conflict").hidden = true;
  $("#saved").hidden = false;
  const n = r.body.affected.length;
  $("#saved-summary").textContent = `Saved ${f.word}. This change re-records ${n} `
    + `episode${n === 1 ? "" : "s"}.`;
  $("#saved-affected").replaceChildren(...r.body.affected.map((a) => el("li", {},
    `${a.title}: ${a.sentences} sentence${a.sentences === 1 ? "" : "s"}`)));
  $("#saved-diff").textContent = r.body.diff;
  say($("#saved-summary").textContent);
}
$("#save").addEventListener("click", () => save(studio.fix.etag));
$("#save-mine").addEventListener("click", () => save(studio.fix.theirsEtag));
$("#keep-theirs").addEventListener("click", () => {
  $("#conflict").hidden = true;
  say("Kept their reading");
  if (studio.episode) episodeView(studio.episode.id);
});

// -- the lexicon -----------------------------------------------------------------------------
async function lexiconView() {
  show("lexicon");
  const r = await api("lexicon?" + q({ q: $("#lexicon-q").value }));
  if (r.status !== 200) return;
  const rows = $("#entries tbody");
  rows.replaceChildren(...r.body.entries.map((e) => el("tr", {},
    el("td", {}, e.word + (e.variants.length ? ` (${e.variants.join(", ")})` : "")),
    el("td", {}, el("code", {}, "/" + e.ipa + "/"), e.respell ? " " + e.respell : ""),
    el("td", {}, e.source + (e.note ? ": " + e.note : "")),
    el("td", {}, el("button", { type: "button", "aria-label": "Hear " + e.word,
      onclick: () => play("/studio/api/word.wav?" + q({ word: e.word }), e.word) }, "Play")))));
  say(`${r.body.entries.length} entries`);
}
$("#lexicon-q").addEventListener("input", () => lexiconView());
$("#pls-import").addEventListener("click", async () => {
  const file = $("#pls-file").files[0];
  if (!file) { say("Choose a PLS file first"); return; }
  const r = await api("lexicon/import?" + q({ who: who() }), { method: "POST",
    headers: { "Content-Type": "application/pls+xml" }, body: await file.arrayBuffer() });
  say(r.status === 200 ? `Imported ${r.body.imported} entries` : r.body.detail);
  if (r.status === 200) lexiconView();
});
$("#lexicon-test").addEventListener("click", async () => {
  $("#lexicon-test-result").textContent = "Testing every entry...";
  const r = await api("lexicon/test", { method: "POST" });
  $("#lexicon-test-result").textContent = r.status === 200
    ? `${r.body.checked} checked, ${r.body.failures.length} failed\n${r.body.failures.join("\n")}`
    : r.body.detail;
});

// -- signing in and routing ------------------------------------------------------------------
$("#login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const r = await fetch("/studio/login", { method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token: $("#token").value }) });
  if (r.ok) route(); else say("That is not the token");
});

function route() {
  const hash = location.hash;
  if (hash.startsWith("#/episode/")) episodeView(decodeURIComponent(hash.slice(10)));
  else if (hash === "#/lexicon") lexiconView();
  else reviewList();
}
window.addEventListener("hashchange", route);
route();
