// The room page: keeps the server-rendered message list live over Socket.IO.
// Nothing of the chat is written to localStorage, sessionStorage or IndexedDB:
// unsent messages live only in this page's memory.
(function () {
  "use strict";
  var root = document.getElementById("room");
  if (!root || typeof io === "undefined") { return; }

  var roomId = root.getAttribute("data-room-id");
  var me = root.getAttribute("data-me");
  var labels = JSON.parse(root.getAttribute("data-labels") || "{}");
  var moderator = root.getAttribute("data-moderator") === "1";
  var csrf = root.getAttribute("data-csrf");
  var list = document.getElementById("messages");
  var presenceList = document.getElementById("presence");
  var presenceMore = document.getElementById("presence-more");
  var typingLine = document.getElementById("typing");
  var connection = document.getElementById("connection");
  var notice = document.getElementById("separation-notice");
  var form = document.getElementById("composer");
  var bodyField = document.getElementById("body");
  var cwField = document.getElementById("content-warning");
  var errorLine = document.getElementById("composer-error");
  var earlier = document.getElementById("load-earlier");
  var typers = {};
  var pending = [];  // {client_msg_id, body, content_warning} not yet acknowledged
  var unconfirmed = [];  // pending items the server answered "unavailable"
  var editing = null;
  var lastTypingSent = 0;

  // Same origin only, WebSocket transport: the page sends no Referer and Origin
  // is checked on the handshake.
  var socket = io({ transports: ["websocket"], reconnectionDelayMax: 5000 });

  // Message ids are opaque strings, only ever compared for equality. The room's
  // order (the database id order, the same for everyone) travels as order_key:
  // the send time in microseconds, which the server keeps increasing with the
  // id (it says nothing created_at does not). The list is kept in that order
  // whatever order live messages arrive in, so its last message is the newest.
  function lastId() {
    var items = list.querySelectorAll("li.message");
    return items.length ? items[items.length - 1].getAttribute("data-id") : null;
  }

  function shown(id) {
    var items = list.querySelectorAll("li.message");
    for (var i = 0; i < items.length; i++) {
      if (items[i].getAttribute("data-id") === id) { return items[i]; }
    }
    return null;
  }

  function text(tag, className, value) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    node.textContent = value;
    return node;
  }

  // A person as the server's person() macro draws them: pseudonym, then the tag
  // that tells apart two people who share a name.
  function displayName(p) { return p.pseudonym + (p.tag ? " · " + p.tag : ""); }
  function personNode(tag, className, p) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    var name = text("span", "person", p.pseudonym);
    if (p.tag) {
      name.appendChild(document.createTextNode(" "));
      name.appendChild(text("span", "tag", "· " + p.tag));
    }
    node.appendChild(name);
    return node;
  }

  function build(m) {
    var item = document.createElement("li");
    item.className = "message" + (m.deleted ? " deleted" : "");
    item.setAttribute("data-id", String(m.id));
    item.setAttribute("data-author", m.author.id);
    item.setAttribute("data-order", m.order_key == null ? "" : String(m.order_key));
    var meta = document.createElement("div");
    meta.className = "meta";
    meta.appendChild(personNode("span", "author", m.author));
    meta.appendChild(text("span", "org muted", labels[m.author.org] || "partner organization"));
    var time = text("time", "muted", (m.created_at || "").slice(11, 16));
    time.setAttribute("datetime", m.created_at);
    meta.appendChild(time);
    if (m.edited && !m.deleted) { meta.appendChild(text("span", "muted edited", "(edited)")); }
    item.appendChild(meta);
    if (m.deleted) {
      item.appendChild(text("p", "muted body", "Message deleted."));
    } else if (m.hidden) {
      item.classList.add("hidden-message");
      item.appendChild(text("p", "muted body", m.hidden_reason
        ? "Your message was hidden by a moderator: " + m.hidden_reason
        : "Message hidden by a moderator."));
    } else if (m.resource) {
      var cardBox = document.createElement("div");
      cardBox.className = "body resource-card";
      cardBox.setAttribute("data-resource", m.resource);
      cardBox.appendChild(text("span", "muted", "Loading the shared resource…"));
      item.appendChild(cardBox);
      loadCard(cardBox, m.resource);
    } else {
      var body = document.createElement("div");
      body.className = "body";
      body.innerHTML = m.html;  // sanitized on the server by nh3; CSP forbids script
      if (m.content_warning) {
        var details = document.createElement("details");
        details.className = "cw";
        var summary = document.createElement("summary");
        summary.appendChild(document.createTextNode("Content warning: "));
        summary.appendChild(text("span", "cw-text", m.content_warning));
        summary.appendChild(document.createTextNode(" (show)"));
        details.appendChild(summary);
        details.appendChild(body);
        item.appendChild(details);
      } else {
        item.appendChild(body);
      }
    }
    if (!m.deleted && !m.hidden && m.author.id !== me) {
      var report = text("a", "report-link muted", "Report");
      report.href = "/reports/new?message=" + encodeURIComponent(m.id);
      item.appendChild(report);
    }
    addActions(item);
    return item;
  }

  function button(label, action) {
    var node = text("button", "secondary", label);
    node.type = "button";
    node.setAttribute("data-action", action);
    return node;
  }

  // A shared resource's title is never in the broadcast: each viewer asks for the
  // card, and one who may not see the resource gets "resource unavailable".
  function loadCard(box, resourceId) {
    fetch("/library/" + encodeURIComponent(resourceId) + "/card.json", { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { available: false }; })
      .catch(function () { return { available: false }; })
      .then(function (card) {
        box.textContent = "";
        if (card.available) {
          var link = text("a", "", card.title);
          link.href = card.url;
          box.appendChild(link);
          box.appendChild(text("span", "muted", " shared from the library"));
        } else {
          box.appendChild(text("span", "muted", "Resource unavailable"));
        }
      });
  }

  function addActions(item) {
    if (item.classList.contains("deleted") || item.classList.contains("hidden-message")) { return; }
    if (item.querySelector(".actions") || !form) { return; }
    var actions = document.createElement("div");
    actions.className = "actions";
    if (item.getAttribute("data-author") === me) {
      actions.appendChild(button("Edit", "edit"));
      actions.appendChild(button("Delete", "delete"));
    }
    if (moderator) {
      actions.appendChild(button("Hide", "hide"));
      actions.appendChild(button("Pin", "pin"));
    }
    if (actions.childNodes.length) { item.appendChild(actions); }
  }

  // A message from before order keys (none on the page) is older than any with one.
  function orderOf(node) {
    var key = node.getAttribute("data-order");
    return key ? Number(key) : -Infinity;
  }

  // Replace a message already shown; a new live one goes right after the last
  // message before it in the room's order: across server processes a message
  // can arrive after one sent later.
  function place(m) {
    var existing = shown(m.id);
    var node = build(m);
    if (existing) { list.replaceChild(node, existing); return; }
    var key = m.order_key == null ? Infinity : m.order_key;
    var after = list.lastElementChild;
    while (after && after.matches("li.message") && orderOf(after) > key) {
      after = after.previousElementSibling;
    }
    if (after) { after.insertAdjacentElement("afterend", node); } else { list.insertBefore(node, list.firstChild); }
  }

  // A batch in server order (catch-up or history) is authoritative: each message
  // goes right after the one before it in the batch (moving it if it arrived
  // live out of order), or, at the start of a batch, before the first later one
  // already shown.
  function placeAll(messages) {
    var previous = null;
    messages.forEach(function (m, index) {
      var existing = shown(m.id);
      var node = build(m);
      if (existing) {
        list.replaceChild(node, existing);
        if (previous && previous.nextElementSibling !== node) {
          previous.insertAdjacentElement("afterend", node);
        }
      } else if (previous) {
        previous.insertAdjacentElement("afterend", node);
      } else {
        var later = null;
        for (var j = index + 1; j < messages.length && !later; j++) { later = shown(messages[j].id); }
        if (later) { list.insertBefore(node, later); } else { list.appendChild(node); }
      }
      previous = node;
    });
  }

  function placeEarlier(messages) {
    var first = list.querySelector("li.message");
    messages.forEach(function (m) {
      if (shown(m.id)) { return; }
      if (first) { list.insertBefore(build(m), first); } else { list.appendChild(build(m)); }
    });
  }

  // At most one room:read per two seconds, the latest id included: a busy room
  // would otherwise send one per message it delivers and spend the socket's
  // event budget (SOCKET_EVENT_RATE) on read marks.
  var readTimer = null;
  var readSentAt = 0;
  function markRead() {
    if (readTimer) { return; }
    readTimer = setTimeout(function () {
      readTimer = null;
      var id = lastId();
      if (id !== null && document.visibilityState === "visible") {
        readSentAt = Date.now();
        socket.emit("room:read", { room_id: roomId, id: id });
      }
    }, Math.max(0, readSentAt + 2000 - Date.now()));
  }

  function changeMore(by) {
    var span = presenceMore.querySelector("span");
    var more = Math.max(0, (parseInt(span.textContent, 10) || 0) + by);
    span.textContent = String(more);
    presenceMore.hidden = !more;
  }

  function setPresence(people, more) {
    if (presenceMore) {
      presenceMore.hidden = !more;
      presenceMore.querySelector("span").textContent = String(more || 0);
    }
    presenceList.textContent = "";
    people.forEach(function (person) {
      var item = personNode("li", "", person);
      item.setAttribute("data-id", person.id);
      presenceList.appendChild(item);
    });
  }

  // Catch up from a little before the newest message shown: across server
  // processes, or after a crash between commit and broadcast, a message can
  // reach the database without reaching this page; replaying the last few
  // closes that gap, and place() drops duplicates by id.
  var REPLAY = 20;
  function resumeId() {
    var items = list.querySelectorAll("li.message");
    if (!items.length) { return null; }
    var index = Math.max(0, items.length - 1 - REPLAY);
    return index === 0 && items.length <= REPLAY ? null : items[index].getAttribute("data-id");
  }

  function join() {
    socket.emit("room:join", { room_id: roomId, after_id: resumeId() }, function (ack) {
      if (ack && (ack.error === "removed" || ack.error === "paused")) { shutOut(ack); return; }
      if (!ack || !ack.ok) {
        connection.textContent = "This room is not available.";
        if (form) { form.hidden = true; }
        return;
      }
      connection.textContent = liveDown ? LIVE_DOWN : "";
      placeAll(ack.messages);
      setPresence(ack.presence, ack.presence_more);
      if (notice) { notice.hidden = !ack.notice; }
      if (ack.more) { catchUp(); }
      flushPending();
      markRead();
    });
  }

  function catchUp() {
    socket.emit("message:history", { room_id: roomId, after_id: lastId() }, function (ack) {
      if (ack && ack.ok) {
        placeAll(ack.messages);
        if (ack.more) { catchUp(); }
      }
    });
  }

  socket.on("connect", join);
  // The server lost (live: false) or regained (live: true) its link to the
  // other server processes: join again from the newest message shown, which
  // brings from the database whatever live delivery missed, and re-sends
  // what is still pending.
  var LIVE_DOWN = "Live updates are interrupted; your messages are kept and sent when they are back.";
  var liveDown = false;
  socket.on("room:resync", function (event) {
    liveDown = !(event && event.live);
    join();
  });
  function reconnecting() { if (!shutOutText) { connection.textContent = "Reconnecting…"; } }
  socket.on("disconnect", reconnecting);
  socket.io.on("reconnect_attempt", reconnecting);
  socket.on("connect_error", function (err) {
    if (err && err.message === "paused") { shutOut({ error: "paused" }); } else { reconnecting(); }
  });

  // A moderator took this person out of the room, or their access is paused:
  // say so calmly, keep it said, and stop reconnecting (nothing would rejoin).
  var shutOutText = "";
  function shutOut(event) {
    shutOutText = event.error === "paused" ? "Your access is paused; contact your organization." :
      "You were removed from this room." + (event.reason ? " Reason: " + event.reason : "");
    pending = [];
    socket.disconnect();
    connection.textContent = shutOutText;
    connection.setAttribute("data-shut-out", "1");
    presenceList.textContent = "";
    if (form) { form.hidden = true; }
  }
  socket.on("room:removed", function (event) {
    if (event.room_id === roomId) { shutOut({ error: "removed", reason: event.reason }); }
  });
  socket.on("account:paused", function () { shutOut({ error: "paused" }); });

  socket.on("message:created", function (m) {
    if (m.room_id !== roomId) { return; }
    place(m);  // a message shown already (a retry broadcast again) is replaced
    delete typers[m.author.id];
    showTyping();
    markRead();
  });
  socket.on("message:updated", function (m) {
    var existing = m.room_id === roomId && shown(m.id);
    if (existing) { list.replaceChild(build(m), existing); }
  });
  socket.on("message:deleted", function (event) {
    if (event.room_id !== roomId) { return; }
    var item = shown(event.id);
    if (item) {
      item.classList.add("deleted");
      // As the server renders a deleted message: no actions, "(edited)" or Report.
      [".actions", ".edited", ".report-link"].forEach(function (selector) {
        var node = item.querySelector(selector);
        if (node) { node.remove(); }
      });
      var content = item.querySelector(".cw") || item.querySelector(".body");
      if (content) { content.replaceWith(text("p", "muted body", "Message deleted.")); }
    }
  });
  function personJoined(member) {
    if (presenceList.querySelector('li[data-id="' + member.id + '"]')) { return; }
    if (presenceMore && !presenceMore.hidden) { return changeMore(1); }  // list is full
    var item = personNode("li", "", member);
    item.setAttribute("data-id", member.id);
    presenceList.appendChild(item);
  }
  function personLeft(id) {
    var item = presenceList.querySelector('li[data-id="' + id + '"]');
    if (item) { item.remove(); } else if (presenceMore && !presenceMore.hidden) { changeMore(-1); }
  }
  // The server coalesces joins and leaves: one batch per room every ~250 ms,
  // applied in order (a join then a leave of one person ends with them gone).
  socket.on("presence:changed", function (event) {
    if (event.room_id !== roomId) { return; }
    event.changes.forEach(function (change) {
      if (change.joined) { personJoined(change.joined); }
      if (change.left) { personLeft(change.left); }
    });
  });

  function showTyping() {
    var names = Object.keys(typers).map(function (id) { return typers[id].name; });
    typingLine.textContent = names.length ? names.join(", ") + (names.length > 1 ? " are typing…" : " is typing…") : "";
  }
  socket.on("typing", function (event) {
    if (event.room_id !== roomId) { return; }
    var id = event.member.id;
    if (typers[id]) { clearTimeout(typers[id].timer); }
    typers[id] = { name: displayName(event.member), timer: setTimeout(function () { delete typers[id]; showTyping(); }, 4000) };
    showTyping();
  });

  function newId() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return String(Date.now()) + "-" + Math.random().toString(36).slice(2, 12);
  }

  function showError(message) {
    errorLine.textContent = message;
    errorLine.hidden = !message;
  }

  var ERRORS = {
    rules: "Accept the ground rules before your first message.",
    closed: "The room is read-only until a session starts or a facilitator arrives.",
    locked: "The room is locked (read-only).",
    muted: "You are muted in this room for now.",
    slow_mode: "Slow mode is on: wait a little between messages.",
    rate_limited: "You are sending quickly; wait a moment and try again.",
    too_long: "That message is too long.",
    empty: "Write something first.",
    forbidden: "You cannot post in this room right now.",
    not_found: "This room is not available.",
    unavailable: "Not sent yet: the server is having trouble. Your message is kept and will be sent when it is back."
  };

  // Send (or re-send after a reconnect) with the same client_msg_id: the server
  // stores it once, however many times it arrives.
  function sendPending(item) {
    socket.timeout(10000).emit("message:send", item, function (err, ack) {
      if (err) { return; }  // no answer: it stays pending and is retried on reconnect
      // Not confirmed while the server cannot reach the database or the other
      // processes: it stays pending, and is sent again (same client_msg_id, so
      // stored once) on the next join, which a room:resync or reconnect brings.
      if (!ack.ok && ack.error === "unavailable") {
        showError(ERRORS.unavailable);
        if (unconfirmed.indexOf(item) < 0) { unconfirmed.push(item); }
        setTimeout(function () {
          if (socket.connected && pending.indexOf(item) >= 0) { sendPending(item); }
        }, 5000);
        return;
      }
      if (ack.error === "paused" || ack.error === "removed") { shutOut(ack); return; }
      pending = pending.filter(function (p) { return p !== item; });
      if (ack.ok && unconfirmed.indexOf(item) >= 0) {
        unconfirmed = unconfirmed.filter(function (p) { return p !== item; });
        showError("");
      }
      if (!ack.ok) {
        showError(ack.error === "slow_mode" && ack.seconds ?
          "Slow mode is on: wait " + ack.seconds + (ack.seconds === 1 ? " second" : " seconds") + " before your next message." :
          ERRORS[ack.error] || "The message was not sent.");
        if (!bodyField.value) { bodyField.value = item.body; }
      }
    });
  }
  function flushPending() { pending.forEach(sendPending); }

  function submit() {
    var body = bodyField.value;
    if (!body.trim()) { showError(ERRORS.empty); return; }
    showError("");
    if (editing) {
      var id = editing;
      editing = null;
      socket.emit("message:edit", { room_id: roomId, id: id, body: body, content_warning: cwField.value }, function (ack) {
        if (!ack || !ack.ok) { showError(ERRORS[(ack || {}).error] || "The edit was not saved."); }
      });
    } else {
      var item = { room_id: roomId, body: body, content_warning: cwField.value, client_msg_id: newId() };
      pending.push(item);
      if (socket.connected) { sendPending(item); }
    }
    bodyField.value = "";
    cwField.value = "";
  }

  if (form) {
    form.addEventListener("submit", function (event) { event.preventDefault(); submit(); });
    bodyField.addEventListener("keydown", function (event) {
      // On a touch keyboard Enter makes a new line; the Send button sends.
      var touch = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !touch) {
        event.preventDefault();
        submit();
      }
    });
    bodyField.addEventListener("input", function () {
      var now = Date.now();
      if (now - lastTypingSent > 3000 && bodyField.value) {
        lastTypingSent = now;
        socket.emit("typing", { room_id: roomId });
      }
    });
    list.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-action]");
      if (!button) { return; }
      var item = button.closest("li.message");
      var id = item.getAttribute("data-id");
      var action = button.getAttribute("data-action");
      if (action === "delete") {
        if (window.confirm("Delete this message?")) {
          socket.emit("message:delete", { room_id: roomId, id: id });
        }
      } else if (action === "hide") {
        var reason = window.prompt("Why hide this message? Its author is told the reason (not who hid it).");
        if (reason) {
          socket.emit("message:hide", { room_id: roomId, id: id, reason: reason }, function (ack) {
            if (!ack || !ack.ok) { showError("The message was not hidden."); }
          });
        }
      } else if (action === "pin") {
        socket.emit("message:pin", { room_id: roomId, id: id });
      } else {
        editing = id;
        var body = item.querySelector(".body");
        bodyField.value = body ? body.textContent.trim() : "";
        bodyField.focus();
      }
    });
    Array.prototype.forEach.call(list.querySelectorAll("li.message"), addActions);
  }

  if (earlier) {
    earlier.addEventListener("click", function (event) {
      event.preventDefault();
      var before = list.querySelector("li.message").getAttribute("data-id");
      socket.emit("message:history", { room_id: roomId, before_id: before }, function (ack) {
        if (!ack || !ack.ok) { return; }
        placeEarlier(ack.messages);
        if (!ack.more) { earlier.remove(); }
      });
    });
  }

  function hideLocally(id) {
    var item = shown(id);
    if (!item || item.classList.contains("hidden-message")) { return item; }
    item.classList.add("hidden-message");
    ["actions", "report-link"].forEach(function (name) {
      var node = item.querySelector("." + name);
      if (node) { node.remove(); }
    });
    var content = item.querySelector(".cw") || item.querySelector(".body");
    var note = text("p", "muted body", "Message hidden by a moderator.");
    if (content) { content.replaceWith(note); } else { item.appendChild(note); }
    return item;
  }
  socket.on("message:hidden", function (event) {
    if (event.room_id === roomId) { hideLocally(event.id); }
  });
  socket.on("message:hidden_notice", function (event) {
    if (event.room_id !== roomId) { return; }
    var item = hideLocally(event.id);
    var body = item && item.querySelector(".body");
    if (body) { body.textContent = "Your message was hidden by a moderator: " + event.reason; }
  });
  var pinnedBox = document.getElementById("pinned");
  socket.on("room:pinned", function (event) {
    if (event.room_id !== roomId || !pinnedBox) { return; }
    pinnedBox.hidden = !event.message;
    document.getElementById("pinned-body").innerHTML = event.message ? event.message.html : "";
  });
  var stateLine = document.getElementById("room-state");
  // The server's "Session running until …" line stays while the room is open: a
  // facilitator coming or going does not end the session. Once the room closes,
  // no session runs any more.
  var runningText = stateLine && stateLine.getAttribute("data-running") === "1"
    ? stateLine.textContent.trim() : "";
  socket.on("room:state", function (event) {
    if (event.room_id !== roomId || !stateLine) { return; }
    if (!event.open) { runningText = ""; }
    stateLine.textContent = event.open ? (runningText || "The room is open.") : "Read-only for now: waiting for a facilitator.";
    stateLine.setAttribute("data-open", event.open ? "1" : "");
    if (event.open) { showError(""); }
  });
  socket.on("room:settings", function (event) {
    if (event.room_id !== roomId) { return; }
    connection.textContent = event.locked ? "The room is locked (read-only)." : "";
  });
  socket.on("room:muted", function (event) {
    if (event.room_id === roomId) { showError("You are muted in this room for now: " + event.reason); }
  });

  // Private alerts for facilitators: only they receive these events.
  var alerts = document.getElementById("support-alerts");
  socket.on("support:alert", function (event) {
    var box = document.createElement("div");
    box.className = "notice private support-alert";
    box.setAttribute("role", "alert");
    box.appendChild(text("p", "", displayName({ pseudonym: event.from, tag: event.from_tag }) + " needs support in “" + event.room + "”. Only facilitators see this."));
    var open = document.createElement("form");
    open.method = "post";
    open.action = "/support/" + encodeURIComponent(event.request_id) + "/one-to-one";
    var token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrf_token";
    token.value = csrf;
    open.appendChild(token);
    var go = text("button", "", "Open a one-to-one space");
    go.type = "submit";
    open.appendChild(go);
    box.appendChild(open);
    alerts.appendChild(box);
  });
  socket.on("support:private_room", function (event) {
    var box = document.createElement("div");
    box.className = "notice private";
    box.setAttribute("role", "alert");
    var link = text("a", "", "A facilitator opened a private space for you: " + event.name);
    link.href = "/rooms/" + encodeURIComponent(event.room_id);
    box.appendChild(link);
    alerts.appendChild(box);
  });

  var needSupport = document.getElementById("need-support");
  var supportStatus = document.getElementById("support-status");
  if (needSupport) {
    needSupport.addEventListener("click", function () {
      socket.emit("support:alert", { room_id: roomId }, function (ack) {
        if (ack && ack.ok && ack.online === false) {
          // Honest: nobody who can help is connected; it waits for them.
          supportStatus.textContent = "Nobody who can help is online right now. Your alert waits " +
            "for a facilitator or lead, and only they will see it. Meanwhile, contact your " +
            "organization outside the network. If you are in danger, call your local emergency number.";
        } else if (ack && ack.ok) {
          supportStatus.textContent = "A facilitator has been alerted privately. No one else sees it.";
        } else if (ack && ack.error === "unreachable") {
          // The same honest answer whatever the reason (rooms.services.UNREACHABLE).
          supportStatus.textContent = "Nobody can be reached from here right now. " +
            "You can leave this room at any time, try again a little later, or contact " +
            "your organization outside the network. If you are in danger, call your " +
            "local emergency number.";
        } else {
          supportStatus.textContent = "The alert could not be sent; please try again.";
        }
      });
    });
  }
  var stepOut = document.getElementById("step-out");
  if (stepOut) {
    stepOut.addEventListener("click", function () {
      socket.emit("room:leave", { room_id: roomId }, function () {
        window.location.assign("/rooms");
      });
    });
  }

  document.addEventListener("visibilitychange", markRead);
  if (list.lastElementChild) { list.lastElementChild.scrollIntoView({ block: "end" }); }
})();
