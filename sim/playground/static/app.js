// The playground chat page: renders the emulator's transcript of the visitor's chat (kept live by a
// long poll), sends what the visitor types or taps, and drives the "Release in 30 s" countdown.
"use strict";

const $ = (id) => document.getElementById(id);
const rendered = new Map(); // message id -> {el, key}: only messages whose JSON changed are redrawn
let countdownTimer = null;

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify(body),
  };
  const response = await fetch(path, options);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `The server answered ${response.status}.`);
  return data;
}

function toast(text, isAlert = false) {
  const el = $("toast");
  el.textContent = text;
  el.classList.toggle("alert", isAlert);
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, isAlert ? 6000 : 3000);
}

// ---- the transcript ----------------------------------------------------------------------------------

async function pollTranscript() {
  let version = null;
  for (;;) {
    const query = version === null ? "" : `?after_version=${version}&timeout=25`;
    try {
      const data = await api(`/api/transcript${query}`);
      version = data.version;
      setStatus(true);
      render(data.messages);
    } catch (error) {
      setStatus(false);
      version = null; // the process may have restarted with a new emulator: read the chat afresh
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

function setStatus(online) {
  $("status").textContent = online ? "bot · online" : "reconnecting…";
  $("status").classList.toggle("offline", !online);
}

function render(messages) {
  const box = $("messages");
  const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  const seen = new Set();
  $("empty").hidden = messages.length > 0;
  messages.forEach((message, index) => {
    seen.add(message.id);
    const key = JSON.stringify(message);
    let entry = rendered.get(message.id);
    if (!entry || entry.key !== key) {
      const el = messageElement(message);
      if (entry) {
        entry.el.replaceWith(el);
        el.classList.add("updated");
      }
      entry = {el, key};
      rendered.set(message.id, entry);
    }
    const slot = box.children[index + 1]; // children[0] is the empty-chat hint
    if (slot !== entry.el) box.insertBefore(entry.el, slot || null);
  });
  for (const [id, entry] of rendered) {
    if (!seen.has(id)) {
      entry.el.remove();
      rendered.delete(id);
    }
  }
  if (nearBottom) box.scrollTop = box.scrollHeight;
}

function messageElement(message) {
  const row = document.createElement("div");
  row.className = `message ${message.from_bot ? "from-bot" : "from-me"}`;
  row.dataset.messageId = message.id;

  const bubble = document.createElement("div");
  bubble.className = "bubble";
  if (message.document) bubble.append(documentLink(message.document));
  const words = message.text || message.caption;
  if (words) {
    const text = document.createElement("div");
    text.className = "text";
    text.append(...linkify(words));
    bubble.append(text);
  }
  const meta = document.createElement("span");
  meta.className = "meta";
  const time = new Date(message.date * 1000).toLocaleTimeString([], {hour: "2-digit", minute: "2-digit", hourCycle: "h23"});
  meta.textContent = message.edited ? `edited ${time}` : time;
  bubble.append(meta);
  row.append(bubble);

  if (message.keyboard.length) row.append(keyboardElement(message));
  return row;
}

function documentLink(document_) {
  const link = document.createElement("a");
  link.className = "document";
  link.href = `/api/files/${encodeURIComponent(document_.file_id)}`;
  link.download = document_.file_name;
  const icon = document.createElement("span");
  icon.className = "document-icon";
  icon.textContent = "📎";
  const name = document.createElement("span");
  name.className = "document-name";
  name.textContent = document_.file_name;
  const size = document.createElement("span");
  size.className = "document-size";
  size.textContent = `${(document_.size / 1024).toFixed(1)} kB · download`;
  link.append(icon, name, size);
  return link;
}

// Plain text with /commands (tap to send, as in Telegram) and web links made clickable.
function linkify(text) {
  const nodes = [];
  const pattern = /(https?:\/\/[^\s]+)|(?<![\w/])(\/[a-z][a-z0-9_]*)/gi;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    nodes.push(document.createTextNode(text.slice(last, match.index)));
    const link = document.createElement("a");
    link.textContent = match[0];
    if (match[1]) {
      link.href = match[1];
      link.target = "_blank";
      link.rel = "noopener";
    } else {
      link.href = "#";
      link.className = "command";
      link.dataset.command = match[2];
    }
    nodes.push(link);
    last = match.index + match[0].length;
  }
  nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

function keyboardElement(message) {
  const keyboard = document.createElement("div");
  keyboard.className = "keyboard";
  for (const buttons of message.keyboard) {
    const row = document.createElement("div");
    row.className = "keyboard-row";
    for (const button of buttons) {
      let el;
      if (button.url) {
        el = document.createElement("a");
        el.href = button.url;
        el.target = "_blank";
        el.rel = "noopener";
        el.textContent = `${button.text} ↗`;
      } else {
        el = document.createElement("button");
        el.type = "button";
        el.textContent = button.text;
        el.disabled = button.callback_data === undefined;
        el.addEventListener("click", () => press(keyboard, el, message.id, button.callback_data));
      }
      el.className = "key";
      row.append(el);
    }
    keyboard.append(row);
  }
  return keyboard;
}

async function press(keyboard, el, messageId, callbackData) {
  keyboard.classList.add("busy");
  el.classList.add("pressed");
  try {
    const {answer} = await api("/api/press", {message_id: messageId, callback_data: callbackData});
    if (answer && answer.text) toast(answer.text, answer.show_alert);
  } catch (error) {
    toast(error.message, true);
  } finally {
    keyboard.classList.remove("busy");
    el.classList.remove("pressed");
  }
}

// ---- typing --------------------------------------------------------------------------------------------

async function send(text) {
  if (!text.trim()) return;
  try {
    await api("/api/send", {text});
    return true;
  } catch (error) {
    toast(error.message, true);
    return false;
  }
}

async function submit(event) {
  event.preventDefault();
  const input = $("text");
  if (await send(input.value)) input.value = "";
  input.focus();
}

function typeValue(value) {
  const input = $("text");
  input.value = value;
  input.focus();
}

// ---- the side panel ------------------------------------------------------------------------------------

function showInfo(info) {
  $("bot-name").textContent = info.bot.name;
  document.title = `${info.bot.name} · playground`;

  const body = $("accounts").querySelector("tbody");
  for (const account of info.accounts) {
    const row = document.createElement("tr");
    for (const value of [account.username, account.password]) {
      const cell = document.createElement("td");
      const chip = document.createElement("button");
      chip.type = "button";
      chip.className = "value-chip";
      chip.textContent = value;
      chip.title = "Put it in the message box";
      chip.addEventListener("click", () => typeValue(value));
      cell.append(chip);
      row.append(cell);
    }
    body.append(row);
  }
  $("accounts").hidden = info.accounts.length === 0;

  if (info.club_url) {
    $("club-link").hidden = false;
    $("club-link").querySelector("a").href = info.club_url;
  }

  const commands = $("commands");
  for (const command of info.commands) {
    const chip = document.createElement("button");
    chip.type = "button";
    chip.className = "command-chip";
    chip.dataset.command = `/${command.command}`;
    chip.textContent = `/${command.command}`;
    chip.title = command.description;
    commands.append(chip);
  }

  $("release-card").hidden = !info.release_soon;
  if (info.release && info.release.seconds_left > 0) showRelease(info.release);
}

async function releaseSoon() {
  $("release").disabled = true;
  try {
    showRelease(await api("/api/release-soon", {}));
  } catch (error) {
    $("release").disabled = false;
    toast(error.message, true);
  }
}

function showRelease(release) {
  const deadline = performance.now() + release.seconds_left * 1000;
  const at = new Date(Date.now() + release.seconds_left * 1000);
  const clock = at.toLocaleTimeString([], {hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23"});
  $("release-info").hidden = false;
  $("release-day").textContent = `🔓 ${release.day_label}`;
  $("release").disabled = true;
  const text = $("release-text");
  text.hidden = false;
  const moved = release.retimed === 1
    ? "Your booking already scheduled now fires at this new time too. "
    : release.retimed > 1
      ? `Your ${release.retimed} bookings already scheduled now fire at this new time too. `
      : "";
  text.replaceChildren(
    "The club releases ",
    strong(release.day_label),
    ` at ${clock} (the countdown is at the top of the chat). `,
    moved,
    "Quick: send ",
    ...linkify("/book"),
    `, tap “🔒 ${release.day_label}”, a time, a court and a duration, then “⏰ Schedule”. `,
    "When the countdown ends, watch the progress message book it.",
  );
  const countdown = $("countdown");
  clearInterval(countdownTimer);
  const tick = () => {
    const left = Math.max(0, Math.ceil((deadline - performance.now()) / 1000));
    countdown.textContent = left > 0 ? `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}` : "Released!";
    countdown.classList.toggle("done", left === 0);
    if (left === 0) {
      clearInterval(countdownTimer);
      $("release").disabled = false;
    }
  };
  tick();
  countdownTimer = setInterval(tick, 250);
}

function strong(text) {
  const el = document.createElement("strong");
  el.textContent = text;
  return el;
}

// ---- start ---------------------------------------------------------------------------------------------

document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-command]");
  if (!target) return;
  event.preventDefault();
  send(target.dataset.command);
});
$("composer").addEventListener("submit", submit);
$("release").addEventListener("click", releaseSoon);
api("/api/info").then(showInfo).catch((error) => toast(error.message, true));
pollTranscript();
$("text").focus();
