// The room's socket events: join and catch-up, live messages, room state, the
// pin, support alerts; loaded last, it connects the socket once every part of
// the page has registered its handlers.
(function () {
  "use strict";
  var R = window.RoomPage;
  if (!R) { return; }
  var socket = R.socket;
  var roomId = R.roomId;
  var connection = R.connection;
  var notice = document.getElementById("separation-notice");
  var earlier = document.getElementById("load-earlier");

  // At most one room:read per two seconds, the latest id included: a busy room
  // would otherwise send one per message it delivers and spend the socket's
  // event budget (SOCKET_EVENT_RATE) on read marks.
  var readTimer = null;
  var readSentAt = 0;
  function markRead() {
    if (readTimer) { return; }
    readTimer = setTimeout(function () {
      readTimer = null;
      var id = R.lastId();
      if (id !== null && document.visibilityState === "visible") {
        readSentAt = Date.now();
        socket.emit("room:read", { room_id: roomId, id: id });
      }
    }, Math.max(0, readSentAt + 2000 - Date.now()));
  }

  // Catch up from a little before the newest message shown: across server
  // processes, or after a crash between commit and broadcast, a message can
  // reach the database without reaching this page; replaying the last few
  // closes that gap, and place() drops duplicates by id.
  var REPLAY = 20;
  function resumeId() {
    var items = R.items();
    if (!items.length) { return null; }
    var index = Math.max(0, items.length - 1 - REPLAY);
    return index === 0 && items.length <= REPLAY ? null : items[index].getAttribute("data-id");
  }

  // The server lost (live: false) or regained (live: true) its link to the
  // other server processes: join again from the newest message shown, which
  // brings from the database whatever live delivery missed, and re-sends
  // what is still pending.
  var LIVE_DOWN = t("Live updates are interrupted; your messages are kept and sent when they are back.");
  var liveDown = false;

  function join() {
    socket.emit("room:join", { room_id: roomId, after_id: resumeId() }, function (ack) {
      if (ack && (ack.error === "removed" || ack.error === "paused" || ack.error === "conversation_closed")) { R.shutOut(ack); return; }
      if (!ack || !ack.ok) {
        connection.textContent = t("This room is not available.");
        if (R.form) { R.form.hidden = true; }
        return;
      }
      connection.textContent = liveDown ? LIVE_DOWN : "";
      R.placeAll(ack.messages);
      R.setPresence(ack.presence, ack.presence_more);
      if (notice) { notice.hidden = !ack.notice; }
      if (ack.more) { catchUp(); }
      if (R.flushPending) { R.flushPending(); }
      markRead();
    });
  }

  function catchUp() {
    socket.emit("message:history", { room_id: roomId, after_id: R.lastId() }, function (ack) {
      if (ack && ack.ok) {
        R.placeAll(ack.messages);
        if (ack.more) { catchUp(); }
      }
    });
  }

  socket.on("connect", join);
  socket.on("room:resync", function (event) {
    liveDown = !(event && event.live);
    join();
  });
  function reconnecting() { if (!shutOutText) { connection.textContent = t("Reconnecting…"); } }
  socket.on("disconnect", reconnecting);
  socket.io.on("reconnect_attempt", reconnecting);
  socket.on("connect_error", function (err) {
    if (err && err.message === "paused") { R.shutOut({ error: "paused" }); } else { reconnecting(); }
  });

  // A moderator took this person out of the room, or their access is paused:
  // say so calmly, keep it said, and stop reconnecting (nothing would rejoin).
  var shutOutText = "";
  R.shutOut = function (event) {
    shutOutText = event.error === "paused" ? t("Your access is paused; contact your organization.") :
      event.error === "conversation_closed" ? t("This conversation is closed.") :
      event.reason ? t("You were removed from this room. Reason: {reason}", { reason: event.reason }) :
      t("You were removed from this room.");
    if (event.error === "conversation_closed") {
      var banner = document.getElementById("closed-banner");
      var leave = document.getElementById("leave-conversation");
      if (banner) { banner.hidden = false; }
      if (leave) { leave.remove(); }  // nothing left to leave
      // Nothing can be edited, deleted or reported in it any more.
      document.getElementById("room").setAttribute("data-closed", "1");
    }
    if (R.dropPending) { R.dropPending(); }
    socket.disconnect();
    connection.textContent = shutOutText;
    connection.setAttribute("data-shut-out", "1");
    if (R.setPresence) { R.setPresence([], 0); }
    if (R.form) { R.form.hidden = true; }
  };
  socket.on("room:removed", function (event) {
    if (event.room_id === roomId) { R.shutOut({ error: "removed", reason: event.reason }); }
  });
  // A direct conversation closed (a leave, a block, lowered trust...): the same
  // words for both people, never why.
  socket.on("room:closed", function (event) {
    if (event.room_id === roomId) { R.shutOut({ error: "conversation_closed" }); }
  });
  socket.on("account:paused", function () { R.shutOut({ error: "paused" }); });

  socket.on("message:created", function (m) {
    if (m.room_id !== roomId) { return; }
    R.place(m);  // a message shown already (a retry broadcast again) is replaced
    R.stoppedTyping(m.author.id);
    markRead();
  });
  socket.on("message:updated", function (m) {
    var existing = m.room_id === roomId && R.shown(m.id);
    if (existing) { R.replace(existing, R.build(m)); R.markDays(); }
  });
  socket.on("message:deleted", function (event) {
    if (event.room_id === roomId) { R.markDeleted(event.id); }
  });
  socket.on("message:hidden", function (event) {
    if (event.room_id === roomId) { R.hideLocally(event.id); }
  });
  socket.on("message:hidden_notice", function (event) {
    if (event.room_id === roomId) { R.hideLocally(event.id, event.reason); }
  });

  if (earlier) {
    earlier.addEventListener("click", function (event) {
      event.preventDefault();
      var before = R.list.querySelector("li.message").getAttribute("data-id");
      socket.emit("message:history", { room_id: roomId, before_id: before }, function (ack) {
        if (!ack || !ack.ok) { return; }
        R.placeEarlier(ack.messages);
        if (!ack.more) { earlier.remove(); }
      });
    });
  }

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
    stateLine.textContent = event.open ? (runningText || t("The room is open.")) : t("Read-only for now: waiting for a facilitator.");
    stateLine.setAttribute("data-open", event.open ? "1" : "");
    if (event.open && R.showError) { R.showError(""); }
  });
  socket.on("room:settings", function (event) {
    if (event.room_id !== roomId) { return; }
    connection.textContent = event.locked ? t("The room is locked (read-only).") : "";
  });
  socket.on("room:muted", function (event) {
    if (event.room_id === roomId && R.showError) { R.showError(t("You are muted in this room for now: {reason}", { reason: event.reason })); }
  });

  supportEvents();
  document.addEventListener("visibilitychange", markRead);
  var last = R.list.lastElementChild;
  if (last) { last.scrollIntoView({ block: "end" }); }
  socket.connect();

  // Private alerts for facilitators (only they receive these events), and the
  // member's "I need support" and "Step out".
  function supportEvents() {
    var alerts = document.getElementById("support-alerts");
    socket.on("support:alert", function (event) {
      var box = document.createElement("div");
      box.className = "notice private support-alert";
      box.setAttribute("role", "alert");
      box.appendChild(R.text("p", "", t("{name} needs support in “{room}”. Only facilitators see this.",
        { name: R.displayName({ pseudonym: event.from, tag: event.from_tag }), room: event.room })));
      var open = document.createElement("form");
      open.method = "post";
      open.action = R.url(R.urls.oneToOne, "REQUEST", event.request_id);
      var token = document.createElement("input");
      token.type = "hidden";
      token.name = "csrf_token";
      token.value = R.csrf;
      open.appendChild(token);
      var go = R.text("button", "", t("Open a one-to-one space"));
      go.type = "submit";
      open.appendChild(go);
      box.appendChild(open);
      alerts.appendChild(box);
    });
    socket.on("support:private_room", function (event) {
      var box = document.createElement("div");
      box.className = "notice private";
      box.setAttribute("role", "alert");
      var link = R.text("a", "", t("A facilitator opened a private space for you: {name}", { name: event.name }));
      link.href = R.url(R.urls.room, "ROOM", event.room_id);
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
            supportStatus.textContent = t("Nobody who can help is online right now. Your alert waits for a facilitator or lead, and only they will see it. Meanwhile, contact your organization outside the network. If you are in danger, call your local emergency number.");
          } else if (ack && ack.ok) {
            supportStatus.textContent = t("A facilitator has been alerted privately. No one else sees it.");
          } else if (ack && ack.error === "unreachable") {
            // The same honest answer whatever the reason (rooms.services.UNREACHABLE).
            supportStatus.textContent = t("Nobody can be reached from here right now. You can leave this room at any time, try again a little later, or contact your organization outside the network. If you are in danger, call your local emergency number.");
          } else {
            supportStatus.textContent = t("The alert could not be sent; please try again.");
          }
        });
      });
    }
    var stepOut = document.getElementById("step-out");
    if (stepOut) {
      stepOut.addEventListener("click", function () {
        socket.emit("room:leave", { room_id: roomId }, function () {
          window.location.assign(R.urls.rooms);
        });
      });
    }
  }
})();
